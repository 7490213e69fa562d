// A suite's history seeded for a real run: from a RunResult (what the run did), or made up to a
// recipe (a test flaky in k of n runs). The history store is issue 22's other part; these runs hand
// their history to the engine through the library's RunOptions.histories.
import type { HistoryRun, HistoryTest, SuiteHistory } from "../../../src/history/model.js";
import type { RunResult } from "../../../src/results/run-result.js";

/** One run of a suite as history keeps it: each test's merged status and duration. */
export function historyRunOf(result: RunResult, suite: string): HistoryRun {
  const s = result.suites.find((x) => x.suite === suite);
  if (!s) throw new Error(`no suite ${suite} in the result`);
  const tests: HistoryTest[] = (s.tests ?? []).map((t) => {
    const status = t.status === "error" ? "failed" : t.status;
    if (status !== "quarantined") return { id: t.id, status, durationMs: t.durationMs };
    const outcome = t.quarantine?.outcome === "error" ? "failed" : (t.quarantine?.outcome ?? "passed");
    return { id: t.id, status, outcome, durationMs: t.durationMs };
  });
  const verdict = s.verdict === "interrupted" ? "failed" : s.verdict;
  return { runId: result.runId, startedAt: s.startedAt, verdict, attempts: s.attempts?.length ?? 1, durationMs: s.durationSeconds * 1000, tests };
}

/** n runs, newest first, where `id` was flaky in the first k of them and passed otherwise, beside `others` that passed. */
export function flakyHistory(suite: string, id: string, k: number, n: number, others: readonly string[] = []): SuiteHistory {
  const runs: HistoryRun[] = Array.from({ length: n }, (_, i) => ({
    runId: `seed${i}`,
    startedAt: new Date(Date.parse("2026-12-01T00:00:00Z") - i * 3_600_000).toISOString(),
    verdict: "passed",
    attempts: i < k ? 2 : 1,
    durationMs: 5000,
    tests: [{ id, status: i < k ? "flaky" : "passed", durationMs: 20 }, ...others.map((o) => ({ id: o, status: "passed" as const, durationMs: 5 }))],
  }));
  return { suite, runs };
}
