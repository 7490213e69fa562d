// Test-case results: what a runner's JUnit says about each test, and the merge of attempts
// (retries) and shards into one list per suite. Pure data; report/ renders it.

export type TestStatus = "passed" | "failed" | "error" | "skipped";

/** One `<testcase>` as one attempt (or shard) of a suite reported it. */
export interface TestCase {
  /** Stable across attempts and shards: the pytest node id for pytest, else `classname::name`. */
  id: string;
  name: string;
  classname: string;
  file?: string;
  /** 1-based (pytest's 0-based `line` attribute is converted). */
  line?: number;
  status: TestStatus;
  durationMs: number;
  /** The failure's, error's or skip's `message` attribute (or its first text line when absent). */
  message?: string;
  /** The failure's `type` attribute, when the runner wrote one. */
  type?: string;
  /** The failure's body (the traceback). */
  text?: string;
  /** The assertion's expected and actual values, as the runner printed them (node:test, testify). */
  expected?: string;
  actual?: string;
  /** Passed, after these tries failed in the same attempt (the runner's own retries: Playwright's `flaky`): merged as flaky. */
  flakyFailures?: { durationMs: number; message?: string; type?: string; text?: string }[];
}

export interface ParsedTests {
  tests: TestCase[];
  /** Why nothing (or not everything) could be read: malformed XML, no testsuite root. */
  problem?: string;
}

/** A test that failed, then passed, in some attempt: Playwright's "flaky", Surefire's flakyFailure. */
export type RanStatus = TestStatus | "flaky";
/** What a test's result is: what it did, or `quarantined` (it ran, and what it did is in its `quarantine`). */
export type MergedStatus = RanStatus | "quarantined";

/** A failing run of a test that is not its reported result (Surefire's rerun and flaky elements). */
export interface Rerun {
  attempt: number;
  status: "failed" | "error";
  durationMs: number;
  message?: string;
  type?: string;
  text?: string;
}

/**
 * A failed or flaky test against its suite's history (src/history/trend.ts): a new failure (it
 * did not fail in its previous run), a still-failing one, a known flaky one or a newly flaky one.
 * `count` is the runs that failed (failures) or were flaky (flaky kinds) and `runs` the runs the
 * test ran in, both counting this one.
 */
export interface TestTrend {
  kind: "newFailure" | "stillFailing" | "knownFlaky" | "newFlaky";
  count: number;
  runs: number;
  /** Its status in its last runs (at most TREND_STRIP), oldest first, this run last: report.html's pass/fail strip. */
  recent: ("passed" | "failed" | "flaky" | "skipped" | "quarantined")[];
}

/** How many runs a trend's `recent` strip shows. */
export const TREND_STRIP = 20;

export interface MergedTest extends Omit<TestCase, "status" | "flakyFailures"> {
  status: MergedStatus;
  /** The attempt (1-based) whose result the top-level fields carry. */
  attempt: number;
  /** The test's other failing runs, by attempt: for flaky, every failure; for failed, the ones after the first. */
  reruns?: Rerun[];
  /** The shard (JOB_COMPLETION_INDEX) that ran it, for a sharded suite. */
  shard?: number;
  /** A failed or flaky test against its history, when the suite has one. */
  trend?: TestTrend;
  /**
   * A quarantined test (status `quarantined`): why, and what it did; it never fails its suite.
   * `until` and `rule` (a `quarantine:` entry, or the automatic policy) when the engine knows them.
   */
  quarantine?: { reason: string; outcome: RanStatus; until?: string; rule?: "entry" | "auto" };
}

/** passed + failed + errors + skipped + flaky + quarantined = tests (a flaky test is not counted as passed). */
export interface TestCounts {
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  flaky: number;
  /** Present when some test is quarantined (whatever it did). */
  quarantined?: number;
}
