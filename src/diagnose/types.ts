// The vocabulary of verdicts and failure classes (Tekton's reason names inspired the classes).

export type Verdict = "passed" | "failed" | "couldNotRun" | "timedOut" | "interrupted";

export type FailureClass =
  | "testsFailed"
  | "installFailed"
  | "flaky"
  | "workspaceEmpty"
  | "imagePull"
  | "unschedulable"
  | "cloneFailed"
  | "oomKilled"
  | "deadlineExceeded"
  | "evicted"
  | "containerConfig"
  | "startError"
  | "forbidden"
  | "unreachable"
  | "unsupportedCluster"
  | "namespaceMissing"
  | "podDeleted"
  | "jobFailed"
  | "sourceFailed"
  | "buildFailed"
  | "interrupted";

export interface Diagnosis {
  verdict: Verdict;
  class?: FailureClass;
  /** Kubernetes' own reason and message, verbatim. */
  reason?: string;
  message?: string;
  /** Our explanation and the next step. */
  hint?: string;
  /** The container whose failure decided it. */
  container?: string;
  /** The test container's exit code, when it ran to the end. */
  testExitCode?: number;
}

export { CLONE_CONTAINER, TEST_CONTAINER } from "../names.js";
