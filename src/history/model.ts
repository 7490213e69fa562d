// A suite's memory across runs: what incluster keeps of each run (compact: ids, statuses and
// durations, never messages or logs), newest first. Pure data; the stores read and write it,
// and the decisions over it (flake rates, quarantine, shard balance) are pure functions of it.

/** A test's status in one run: its merged status, with `error` counted as failed and a quarantined test marked as such. */
export type HistoryTestStatus = "passed" | "failed" | "flaky" | "skipped" | "quarantined";

export interface HistoryTest {
  /** The test id as the result model has it (TestCase.id): stable across runs. */
  id: string;
  status: HistoryTestStatus;
  durationMs: number;
  /** For a quarantined test, what it did (its merged status): the automatic policy releases it after clean runs. */
  outcome?: Exclude<HistoryTestStatus, "quarantined">;
}

export type HistoryVerdict = "passed" | "failed" | "timedOut" | "couldNotRun";

/** One run of one suite. */
export interface HistoryRun {
  runId: string;
  /** The commit the suite ran, when the source has one. */
  commit?: string;
  /** ISO 8601, when the run started. */
  startedAt: string;
  verdict: HistoryVerdict;
  attempts: number;
  durationMs: number;
  tests: HistoryTest[];
  /**
   * Tests left out of `tests`, by status: the run alone outgrew a history object (bound.ts), so
   * these are counted but their ids and durations are not kept.
   */
  omitted?: Partial<Record<HistoryTestStatus, number>>;
}

/** A suite's history: its last runs, newest first, at most `history.keep` of them. */
export interface SuiteHistory {
  suite: string;
  runs: HistoryRun[];
}
