// The report folder's saved logs: the pod's own copy replaces what was streamed from it, and the
// lines of another pod of the same folder (one the Job replaced after an eviction) are kept.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reportFiles } from "../../../src/run/files.js";

const dir = mkdtempSync(join(tmpdir(), "incluster-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scratchWithCopy(files: ReturnType<typeof reportFiles>, key: string, copy: string): string {
  const scratch = files.scratchDir(key);
  writeFileSync(join(scratch, "test-runner.log"), copy);
  return scratch;
}

describe("reportFiles: the pod's log copy", () => {
  it("replaces the streamed lines of its own pod", async () => {
    const files = reportFiles(join(dir, "a"), (p) => p);
    files.appendLog("s", "test-runner", "one", "p1");
    const r = await files.adoptCollected("s", "test-runner", scratchWithCopy(files, "s", "one\ntwo (rotated away before it was read)\n"), "p1");
    await files.close();
    expect(readFileSync(join(dir, "a/s/test-runner.log"), "utf8")).toBe("one\ntwo (rotated away before it was read)\n");
    expect(r).toMatchObject({ streamedLines: 1, copyLines: 2 });
  });

  it("keeps an evicted pod's streamed lines ahead of the replacement pod's copy", async () => {
    const files = reportFiles(join(dir, "b"), (p) => p);
    mkdirSync(join(dir, "b"), { recursive: true });
    for (const l of ["evicted 1", "evicted 2\r with a carriage return", "evicted 3"]) files.appendLog("s", "test-runner", l, "p1");
    for (const l of ["new 1", "new 2"]) files.appendLog("s", "test-runner", l, "p2");
    const r = await files.adoptCollected("s", "test-runner", scratchWithCopy(files, "s", "new 1\nnew 2\nnew 3\n"), "p2");
    files.appendLog("s", "clone-repo", "cloned", "p2");
    await files.close();
    expect(readFileSync(join(dir, "b/s/test-runner.log"), "utf8")).toBe("evicted 1\nevicted 2\r with a carriage return\nevicted 3\nnew 1\nnew 2\nnew 3\n");
    expect(r).toMatchObject({ streamedLines: 5, copyLines: 3 });
  });
});

describe("reportFiles: reading a saved log back", () => {
  it("gives the lines from a given one on, in batches, across read boundaries (a 2 MB copy)", async () => {
    const files = reportFiles(join(dir, "c"), (p) => p);
    const lines = Array.from({ length: 30_000 }, (_, i) => `${String(i).padStart(6, "0")} ${"x".repeat(66)}`);
    await files.adoptCollected("s", "test-runner", scratchWithCopy(files, "s", `${lines.join("\n")}\n`), "p1");
    const got: string[] = [];
    let batches = 0;
    for await (const b of files.savedLines("s", "test-runner", 12_345)) {
      batches++;
      got.push(...b);
    }
    expect(got).toEqual(lines.slice(12_345));
    expect(batches).toBeGreaterThan(1);
    await files.close();
  });
});
