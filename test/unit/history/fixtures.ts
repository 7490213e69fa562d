// Histories for the history unit tests: runs built from a compact description.
import type { HistoryRun, HistoryTestStatus, SuiteHistory } from "../../../src/history/model.js";

/** A run whose tests are given as [id, status, durationMs]. */
export function run(n: number, tests: [string, HistoryTestStatus, number][], verdict: HistoryRun["verdict"] = "passed"): HistoryRun {
  return {
    runId: `run${n}`,
    startedAt: new Date(Date.UTC(2026, 11, 1, 0, n)).toISOString(),
    verdict,
    attempts: 1,
    durationMs: 1000 * n,
    tests: tests.map(([id, status, durationMs]) => ({ id, status, durationMs })),
  };
}

/** Runs given oldest first, kept newest first as the model has them. */
export function history(suite: string, oldestFirst: HistoryRun[]): SuiteHistory {
  return { suite, runs: [...oldestFirst].reverse() };
}

/** A run of `tests` tests with realistic pytest ids. */
export function bigRun(i: number, tests: number): HistoryRun {
  return {
    runId: `r${String(i).padStart(4, "0")}`,
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    verdict: "passed",
    attempts: 1,
    durationMs: 60_000 + i,
    tests: Array.from({ length: tests }, (_, k) => ({
      id: `tests/e2e/test_module_${Math.floor(k / 50)}.py::TestClass::test_case_number_${k}[param-${k % 7}]`,
      status: (k + i) % 97 === 0 ? ("flaky" as const) : (k + i) % 211 === 0 ? ("failed" as const) : ("passed" as const),
      durationMs: 100 + ((k * 37 + i * 11) % 5000),
    })),
  };
}
