import { describe, expect, it } from "vitest";
import { trendOf, withTrends } from "../../../src/history/trend.js";
import { historyRun, withRun } from "../../../src/history/record.js";
import { trendText } from "../../../src/report/trend.js";
import type { SuiteResult } from "../../../src/results/run-result.js";
import { history, run } from "./fixtures.js";

const h = history("s", [
  run(1, [["a", "passed", 1], ["b", "failed", 1], ["f", "flaky", 1], ["g", "passed", 1]]),
  run(2, [["a", "passed", 1], ["b", "failed", 1], ["f", "flaky", 1], ["g", "passed", 1]]),
  run(3, [["a", "failed", 1], ["b", "failed", 1], ["f", "flaky", 1], ["g", "passed", 1]]),
  run(4, [["a", "passed", 1], ["b", "failed", 1], ["f", "flaky", 1], ["g", "passed", 1]]),
]);

describe("a test's trend against its history", () => {
  it("new failure, still failing, known flaky, newly flaky; counts include this run", () => {
    expect(trendOf({ id: "a", status: "failed" }, h)).toEqual({ kind: "newFailure", count: 2, runs: 5, recent: ["passed", "passed", "failed", "passed", "failed"] });
    expect(trendOf({ id: "b", status: "error" }, h)).toMatchObject({ kind: "stillFailing", count: 5, runs: 5 });
    expect(trendOf({ id: "f", status: "flaky" }, h)).toMatchObject({ kind: "knownFlaky", count: 5, runs: 5 });
    expect(trendOf({ id: "g", status: "flaky" }, h)).toMatchObject({ kind: "newFlaky", count: 1, runs: 5, recent: ["passed", "passed", "passed", "passed", "flaky"] });
    expect(trendOf({ id: "brand-new", status: "failed" }, h)).toEqual({ kind: "newFailure", count: 1, runs: 1, recent: ["failed"] });
    expect(trendOf({ id: "a", status: "passed" }, h)).toBeUndefined();
    expect(trendOf({ id: "b", status: "failed" }, { suite: "s", runs: [] })).toBeUndefined();
    expect(trendText({ kind: "knownFlaky", count: 5, runs: 5, recent: [] })).toBe("known flaky (5 of 5 runs)");
    expect(trendText({ kind: "newFailure", count: 1, runs: 1, recent: [] })).toBe("new failure (1 of 1 run)");
  });

  it("withTrends marks only failed and flaky tests; a suite without history is unchanged", () => {
    const s = {
      suite: "s",
      tests: [
        { id: "a", name: "a", classname: "", status: "passed", durationMs: 1, attempt: 1 },
        { id: "b", name: "b", classname: "", status: "failed", durationMs: 1, attempt: 1 },
        { id: "f", name: "f", classname: "", status: "flaky", durationMs: 1, attempt: 2 },
      ],
    } as unknown as SuiteResult;
    expect(withTrends(s, h).tests?.map((t) => t.trend?.kind)).toEqual([undefined, "stillFailing", "knownFlaky"]);
    expect(withTrends(s, undefined)).toBe(s);
  });

  it("a suite's record: merged statuses (error is failed), interrupted suites record nothing; withRun keeps the newest", () => {
    const s = {
      suite: "s", verdict: "failed", startedAt: "2026-12-07T10:00:00.000Z", durationSeconds: 12.5, commit: "c0ffee",
      attempts: [{}, {}],
      tests: [{ id: "x", status: "error", durationMs: 3.4 }, { id: "y", status: "flaky", durationMs: 7 }],
    } as unknown as SuiteResult;
    const r = historyRun("run9", s);
    expect(r).toEqual({
      runId: "run9", commit: "c0ffee", startedAt: "2026-12-07T10:00:00.000Z", verdict: "failed", attempts: 2, durationMs: 12500,
      tests: [{ id: "x", status: "failed", durationMs: 3 }, { id: "y", status: "flaky", durationMs: 7 }],
    });
    expect(historyRun("run9", { ...s, verdict: "interrupted" })).toBeUndefined();
    const kept = withRun(h, r!, 3);
    expect(kept.runs.map((x) => x.runId)).toEqual(["run9", "run4", "run3"]);
    expect(withRun(kept, r!, 3).runs.map((x) => x.runId)).toEqual(["run9", "run4", "run3"]);
  });
});
