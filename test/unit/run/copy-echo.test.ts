// The copy's echo as it streams in: found after the last lines echoed live, whatever the chunks.
import { describe, expect, it } from "vitest";
import { CopyEcho } from "../../../src/follow/copy-echo.js";

/** Feeds `text` in chunks of `size` bytes; returns the lines echoed and the echo. */
function feed(text: string, size: number, o: { tail: string[]; skipLines: number }, complete = true) {
  const out: string[] = [];
  const echo = new CopyEcho({ ...o, onLine: (l) => out.push(l) });
  const bytes = Buffer.from(text, "utf8");
  for (let i = 0; i < bytes.length; i += size) echo.write(bytes.subarray(i, i + size));
  if (complete) echo.end();
  return { out, echo };
}

const lines = Array.from({ length: 30_000 }, (_, i) => `${String(i).padStart(6, "0")} ${"x".repeat(66)} ü€`);
const copy = `${lines.join("\n")}\n`;

describe("CopyEcho", () => {
  it("echoes the lines after the tail, across chunk boundaries and split multi-byte characters", () => {
    for (const size of [1, 7, 64 * 1024]) {
      const { out, echo } = feed(size === 1 ? `${lines.slice(0, 300).join("\n")}\n` : copy, size, { tail: lines.slice(120, 123), skipLines: 100 });
      const want = (size === 1 ? lines.slice(0, 300) : lines).slice(123);
      expect(out).toEqual(want);
      expect(echo).toMatchObject({ found: true, echoed: want.length });
    }
  });

  it("skips lines before the earliest place of the tail as bytes (a 2 MB copy)", () => {
    const { out } = feed(copy, 64 * 1024, { tail: lines.slice(12_342, 12_345), skipLines: 12_342 });
    expect(out).toEqual(lines.slice(12_345));
  });

  it("with no tail, echoes from the first line; a last line without a newline counts", () => {
    expect(feed("a\nb\nc", 2, { tail: [], skipLines: 0 }).out).toEqual(["a", "b", "c"]);
  });

  it("a tail not in the copy (rotated oddly) echoes nothing", () => {
    const { out, echo } = feed("a\nb\nc\n", 4, { tail: ["x", "y"], skipLines: 0 });
    expect(out).toEqual([]);
    expect(echo.found).toBe(false);
  });

  it("a copy cut short: its partial last line is not echoed", () => {
    expect(feed("a\nb\nhal", 3, { tail: ["a"], skipLines: 0 }, false).out).toEqual(["b"]);
  });
});
