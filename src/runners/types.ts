// The runner adapter: what incluster knows about one test runner, behind one small interface.
// A suite says `runner: <name>` and `test: <that runner's target>`; the adapter checks the
// target, writes the shell lines that run it in the pod (a retry's and a shard's too) and reads
// the runner's own report back into tests. Pure: the lines are text, the report is text.

export const RUNNER_NAMES = ["pytest", "node", "go", "jest", "vitest", "playwright"] as const;
export type RunnerName = (typeof RUNNER_NAMES)[number];

export type ReportedStatus = "passed" | "failed" | "error" | "skipped";

/** A try of a test that failed before the same attempt passed it (the runner's own retries: Playwright's `flaky`). */
export interface FailedTry {
  durationMs: number;
  message?: string;
  type?: string;
  text?: string;
}

/** One test as the runner's report says it ran; results/model.ts's TestCase has these fields. */
export interface ReportedTest {
  /** Names the test, unique in the suite and stable across runs: what a retry reruns. */
  id: string;
  name: string;
  classname: string;
  file?: string;
  /** 1-based. */
  line?: number;
  status: ReportedStatus;
  durationMs: number;
  /** The failure as the runner means it: the assertion's own message, then `expected: …` and `actual: …` lines where the runner gives them. */
  message?: string;
  /** The error's kind (AssertionError). */
  type?: string;
  /** The failure text: message, values, the error and the frames of the tests' own code. */
  text?: string;
  expected?: string;
  actual?: string;
  /** Passed, after these tries failed within the attempt: the test is flaky. */
  flakyFailures?: FailedTry[];
}

export interface ReportedTests {
  tests: ReportedTest[];
  /** Why nothing (or not everything) could be read. */
  problem?: string;
}

export interface ScriptOptions {
  /** Attempt 2 and later: only these ids run (the adapter's own ids, from its report). */
  rerun?: readonly string[];
  /** The suite is one Indexed Job: $INCLUSTER_SHARD_INDEX (0-based) and $INCLUSTER_SHARD_COUNT say which share this pod runs. */
  sharded?: boolean;
}

/** A runner's report: pytest's is JUnit (results/junit.ts reads it, with pytest's node ids); the others' are their own. */
export type RunnerReport = { file: string; junit: "pytest" } | { file: string; parse(text: string): ReportedTests };

export interface RunnerAdapter {
  readonly name: RunnerName;
  /** What `test:` names for this runner, as messages say it: "test files, folders or globs like tests/". */
  readonly takes: string;
  /** Why this runner cannot take `test:`'s value (a message naming the value), or undefined. */
  validateTarget(test: string): string | undefined;
  /**
   * The sh lines, run in /workspace under `set -eu`, that run `test` and leave the report at
   * $INCLUSTER_ARTIFACTS/<report.file>. Each command is printed (`+ …`, pasteable) before it runs;
   * the lines' status is the runner's (the worst, when they run it more than once).
   */
  script(test: string, o?: ScriptOptions): string[];
  /** The runner's own command for `test`, without incluster's report, retries or shards: for a runner baked into an image (scaffold). */
  plain(test: string): string[];
  /**
   * For a `command:` suite that names this runner: sh lines run before the command so that the
   * runner, started by the command, writes its report where incluster reads it (exports only).
   */
  commandSetup(): string[];
  /** The report, under the artifacts directory, and how it is read. */
  readonly report: RunnerReport;
  /**
   * How its shards are balanced by the run history's durations ($INCLUSTER_SHARD_WEIGHTS): by test
   * (the weights name test ids, or with `unitOf` the test a shard runs, a go test with its subtests),
   * or by file (they name files; `fileOf` is a test id's file). Absent: the runner's own split.
   */
  readonly shardBalance?: ShardBalance;
}

export type ShardBalance = { by: "test"; unitOf?(id: string): string | undefined } | { by: "file"; fileOf(id: string): string | undefined };
