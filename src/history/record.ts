// What a finished suite adds to its history (pure): its verdict, attempts and each test's merged
// status and duration, ids as the result model has them. An interrupted suite adds nothing: its
// tests were cut, not judged.
import type { MergedTest } from "../results/model.js";
import type { SuiteResult } from "../results/run-result.js";
import type { HistoryRun, HistoryTestStatus, SuiteHistory } from "./model.js";

const TEST_STATUS: Record<MergedTest["status"], HistoryTestStatus> = {
  passed: "passed",
  failed: "failed",
  error: "failed",
  flaky: "flaky",
  skipped: "skipped",
};

/** The run's record for one suite, or undefined when the suite was interrupted. */
export function historyRun(runId: string, s: SuiteResult): HistoryRun | undefined {
  if (s.verdict === "interrupted") return undefined;
  return {
    runId,
    ...(s.commit ? { commit: s.commit } : {}),
    startedAt: s.startedAt,
    verdict: s.verdict,
    attempts: Math.max(1, s.attempts?.length ?? 1),
    durationMs: Math.round(s.durationSeconds * 1000),
    tests: (s.tests ?? []).map((t) => ({ id: t.id, status: TEST_STATUS[t.status], durationMs: Math.round(t.durationMs) })),
  };
}

/** The history with `run` added as the newest (a run already there is not added twice), at most `keep` runs. */
export function withRun(h: SuiteHistory, run: HistoryRun, keep: number): SuiteHistory {
  const others = h.runs.filter((r) => r.runId !== run.runId);
  return { suite: h.suite, runs: [run, ...others].sort(newestFirst).slice(0, Math.max(1, keep)) };
}

function newestFirst(a: HistoryRun, b: HistoryRun): number {
  return a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0;
}
