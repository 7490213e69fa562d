// What a Job of a past or running suite looks like now, in run's vocabulary: the same pure
// verdict (jobOutcome + finalDiagnosis) and failure classes, for `status` and `logs`.
import type { Job, Pod } from "../k8s-types.js";
import { finalDiagnosis } from "../run/suite-result.js";
import { decidingPod, jobOutcome, jobTerminal, phaseOf, podProblem } from "./outcome.js";
import type { Phase } from "./outcome.js";
import { TEST_CONTAINER } from "./types.js";
import type { FailureClass, Verdict } from "./types.js";

/** Kubernetes' label on a Job's pods naming the Job's uid (a re-created Job has a new one). */
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";

export interface JobState {
  /** A verdict once the Job is decided; otherwise where it is (a phase), or "deleting". */
  state: Verdict | Exclude<Phase, "finished"> | "deleting";
  /** The failure class of a verdict, or the problem a pending pod is stuck on. */
  class?: FailureClass;
  /** Kubernetes' own reason, verbatim. */
  reason?: string;
}

const VERDICT_WORDS: Record<Verdict, string> = {
  passed: "passed",
  failed: "failed",
  couldNotRun: "could not run",
  timedOut: "timed out",
  interrupted: "interrupted",
};

/** The Job's pods: those its controller labelled with its uid. */
export function podsOf(job: Job, pods: readonly Pod[]): Pod[] {
  const uid = job.metadata?.uid;
  return pods.filter((p) => uid !== undefined && p.metadata?.labels?.[CONTROLLER_UID_LABEL] === uid);
}

/** The Job's state from it and its pods: the verdict run would give, or its phase while it runs. */
export function jobState(job: Job, pods: readonly Pod[]): JobState {
  const outcome = jobOutcome(job, pods);
  if (outcome) {
    const d = finalDiagnosis(outcome, pods);
    return { state: d.verdict, ...(d.class && d.verdict !== "passed" ? { class: d.class } : {}), ...(d.reason && d.verdict !== "passed" ? { reason: d.reason } : {}) };
  }
  if (job.metadata?.deletionTimestamp) return { state: "deleting" };
  const pod = decidingPod(pods);
  const phase = phaseOf(job, pod, []);
  const problem = pod ? podProblem(pod) : undefined;
  const state = phase === "finished" ? "running" : phase;
  return { state, ...(problem ? { class: problem.class, reason: problem.reason } : {}) };
}

/** One word or two for a table: "failed (testsFailed)", "timed out (deadlineExceeded)", "running". */
export function stateText(s: JobState): string {
  const word = s.state in VERDICT_WORDS ? VERDICT_WORDS[s.state as Verdict] : s.state;
  return s.class ? `${word} (${s.class})` : word;
}

/**
 * Whether there is nothing more to wait for (`logs` follows until then): the Job is decided, or
 * the deciding pod's test container has ended (the Job's condition comes a few seconds later).
 */
export function runEnded(job: Job, pods: readonly Pod[]): boolean {
  if (jobTerminal(job)) return true;
  const pod = decidingPod(pods);
  return pod?.status?.containerStatuses?.some((s) => s.name === TEST_CONTAINER && s.state?.terminated !== undefined) ?? false;
}
