import { describe, expect, it } from "vitest";
import { decodeHistory, encodeHistory, fitHistory, HISTORY_MAX_BYTES } from "../../../src/history/codec.js";
import { gzipSync } from "node:zlib";
import { bigRun, history, run } from "./fixtures.js";

describe("the history codec", () => {
  it("round-trips runs, commits, verdicts and every status; a test absent from a run stays absent", () => {
    const h = history("api", [
      run(1, [["a", "passed", 10], ["b", "failed", 20], ["c", "skipped", 0]], "failed"),
      { ...run(2, [["a", "flaky", 11], ["d", "quarantined", 5]]), commit: "abc123", attempts: 2 },
    ]);
    expect(decodeHistory(encodeHistory(h))).toEqual(h);
  });

  it("refuses what it cannot read, without throwing", () => {
    expect(decodeHistory(Buffer.from("not gzip"))).toHaveProperty("problem");
    expect(decodeHistory(gzipSync(JSON.stringify({ v: 99, ids: [], runs: [] })))).toEqual({ problem: "unknown history format (v 99)" });
    expect(decodeHistory(gzipSync(JSON.stringify({ v: 1, suite: "x", ids: ["a"], runs: [{ s: "pp", ms: [], v: "passed" }] })))).toHaveProperty("problem");
  });

  it("50 runs of a 1,000-test suite stay well under 1 MiB (the figure is printed)", () => {
    const h = { suite: "big", runs: Array.from({ length: 50 }, (_, i) => bigRun(50 - i, 1000)) };
    const plain = Buffer.byteLength(JSON.stringify(h));
    const bytes = encodeHistory(h);
    const b64 = Math.ceil(bytes.length / 3) * 4;
    console.log(`[history] 50 runs x 1,000 tests: plain JSON ${plain} B, encoded ${bytes.length} B, as base64 in the ConfigMap ${b64} B`);
    expect(b64).toBeLessThan(HISTORY_MAX_BYTES);
    expect(decodeHistory(bytes)).toEqual(h);
  });

  it("fitHistory keeps the newest `keep` runs, and rolls the oldest off while the bytes are over the limit", () => {
    const h = { suite: "big", runs: Array.from({ length: 20 }, (_, i) => bigRun(20 - i, 300)) };
    expect(fitHistory(h, 5).history.runs.map((r) => r.runId)).toEqual(["r0020", "r0019", "r0018", "r0017", "r0016"]);
    const one = encodeHistory({ suite: "big", runs: h.runs.slice(0, 1) }).length;
    const fitted = fitHistory(h, 50, one * 4);
    expect(fitted.bytes.length).toBeLessThanOrEqual(one * 4);
    expect(fitted.history.runs.length).toBeGreaterThan(1);
    expect(fitted.history.runs[0]?.runId).toBe("r0020");
    // The newest run always stays, even alone over the limit.
    expect(fitHistory(h, 50, 10).history.runs.map((r) => r.runId)).toEqual(["r0020"]);
  });
});
