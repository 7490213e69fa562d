// A failed or flaky test of this run told apart by its suite's history (pure): a new failure (it
// did not fail the last time it ran), one still failing, a known flaky test or a newly flaky one.
// The counts include this run. Without history for the suite, nothing is said.
import { TREND_STRIP } from "../results/model.js";
import type { MergedTest, TestTrend } from "../results/model.js";
import type { SuiteResult } from "../results/run-result.js";
import type { HistoryTestStatus, SuiteHistory } from "./model.js";

/** The test's trend, or undefined (it passed or was skipped, or the suite has no history yet). */
export function trendOf(t: Pick<MergedTest, "id" | "status">, h: SuiteHistory | undefined): TestTrend | undefined {
  if (!h || h.runs.length === 0) return undefined;
  const failed = t.status === "failed" || t.status === "error";
  if (!failed && t.status !== "flaky") return undefined;
  // Newest first, only the runs it ran in.
  const past: HistoryTestStatus[] = [];
  for (const run of h.runs) {
    const mine = run.tests.find((x) => x.id === t.id);
    if (mine) past.push(mine.status);
  }
  const runs = past.length + 1;
  const recent: TestTrend["recent"] = [...past.slice(0, TREND_STRIP - 1).reverse(), failed ? "failed" : "flaky"];
  if (failed) {
    const count = past.filter((s) => s === "failed").length + 1;
    return { kind: past[0] === "failed" ? "stillFailing" : "newFailure", count, runs, recent };
  }
  const count = past.filter((s) => s === "flaky").length + 1;
  return { kind: count > 1 ? "knownFlaky" : "newFlaky", count, runs, recent };
}

/** The suite's result with its duration trend and each failed and flaky test's trend. */
export function withTrends(s: SuiteResult, h: SuiteHistory | undefined): SuiteResult {
  if (!h || h.runs.length === 0) return s;
  const durationTrend = [...h.runs.slice(0, TREND_STRIP - 1).map((r) => r.durationMs).reverse(), Math.round(s.durationSeconds * 1000)];
  if (!s.tests) return { ...s, durationTrend };
  // One pass over the history for every test, not one per test: a run can hold thousands.
  const index = h.runs.map((run) => new Map(run.tests.map((x) => [x.id, x])));
  const slim = { suite: h.suite, runs: h.runs };
  const tests = s.tests.map((t) => {
    if (t.status !== "failed" && t.status !== "error" && t.status !== "flaky") return t;
    const own = { suite: slim.suite, runs: slim.runs.map((r, i) => ({ ...r, tests: index[i]?.has(t.id) ? [index[i]!.get(t.id)!] : [] })) };
    const trend = trendOf(t, own);
    return trend ? { ...t, trend } : t;
  });
  return { ...s, durationTrend, tests };
}
