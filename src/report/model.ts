// One result model; every output format is a pure function of it (sonobuoy, chainsaw).
import type { FailureClass, Verdict } from "../diagnose/types.js";
import type { Phase } from "../diagnose/outcome.js";

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
  /** Pod events, on every non-pass. */
  events: EventSummary[];
  notes: string[];
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
