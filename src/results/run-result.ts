// One result model; every output format is a pure function of it (sonobuoy, chainsaw). Below
// events/ (run.finished carries it) and report/ (which renders it).
import type { FailureClass, Verdict } from "../diagnose/types.js";
import type { Phase } from "../diagnose/outcome.js";
import type { MergedTest } from "./model.js";

export const RESULT_API_VERSION = "incluster.dev/v1alpha1";

export interface EventSummary {
  type: string;
  reason: string;
  message: string;
  object: string;
  count: number;
  firstTimestamp: string;
  lastTimestamp: string;
}

export interface ArtifactsSummary {
  /** <report-dir>/<suite>/artifacts, when anything came back. */
  dir?: string;
  files: number;
  bytes: number;
  /** Files left behind because the size limit was reached. */
  dropped: string[];
  /** The saved test-runner log is the pod's own complete copy. */
  logComplete: boolean;
  /** Why nothing (or not everything) came back. */
  problem?: string;
}

export interface SuiteResult {
  suite: string;
  verdict: Verdict;
  class?: FailureClass;
  /** incluster's exit code for this suite (README table). */
  exitCode: number;
  /** The test container's own exit code, when it ran. */
  testExitCode?: number;
  reason?: string;
  message?: string;
  hint?: string;
  namespace: string;
  job: string;
  pods: string[];
  image: string;
  /** The commit the clone checked out, when known. */
  commit?: string;
  startedAt: string;
  finishedAt: string;
  durationSeconds: number;
  /** When each phase was first seen (ISO timestamps). */
  phases: Partial<Record<Phase, string>>;
  logs: Record<string, string>;
  /** What came back from the pod's artifacts directory (absent when the suite never ran). */
  artifacts?: ArtifactsSummary;
  /** Pod events, on every non-pass. */
  events: EventSummary[];
  notes: string[];
  /** Each test case from the suite's JUnit, merged over attempts and shards; absent without JUnit. */
  tests?: MergedTest[];
  /** Each attempt (a fresh Job) of a suite with `retries`, attempt 1 first. */
  attempts?: AttemptResult[];
  /** Each shard (an index of the suite's Indexed Job) of a suite with `shards`. */
  shards?: ShardResult[];
  /** With a history: the suite's durations (ms) over its last runs (at most TREND_STRIP), oldest first, this run last. */
  durationTrend?: number[];
}

export interface AttemptResult {
  /** 1-based. */
  attempt: number;
  verdict: Verdict;
  class?: FailureClass;
  /** incluster's exit code for this attempt. */
  exitCode: number;
  job: string;
  /** container → saved log path, as SuiteResult.logs. */
  logs: Record<string, string>;
  /** Where this attempt's artifacts came back (`<suite>/attempt-N/artifacts`). */
  artifactsDir?: string;
  /** The test ids this attempt reran (absent for attempt 1, or a runner without ids). */
  rerunIds?: string[];
}

export interface ShardResult {
  /** JOB_COMPLETION_INDEX, 0-based. */
  index: number;
  verdict: Verdict;
  class?: FailureClass;
  pod: string;
}

export interface RunResult {
  apiVersion: typeof RESULT_API_VERSION;
  kind: "RunResult";
  runId: string;
  context: string;
  namespace: string;
  startedAt: string;
  finishedAt: string;
  exitCode: number;
  reportDir: string;
  suites: SuiteResult[];
  /** Problems that did not change the verdict (a report file that could not be written). */
  warnings?: string[];
}
