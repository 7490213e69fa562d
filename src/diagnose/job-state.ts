// What a Job of a past or running suite looks like now, in run's vocabulary: the same pure
// verdict (jobOutcome + finalDiagnosis) and failure classes, for `status` and `logs`.
import type { Job, Pod } from "../k8s-types.js";
import { decidingPod, finalDiagnosis, jobOutcome, phaseOf, podProblem, podVerdict } from "./outcome.js";
import type { Phase } from "./outcome.js";
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

/** As run decides (run/suite-state): the Job's condition, else the pod's final state, which comes first. */
function decision(job: Job, pods: readonly Pod[]) {
  const outcome = jobOutcome(job, pods) ?? podVerdict(pods);
  return outcome ? finalDiagnosis(outcome, pods) : undefined;
}

/** The Job's state from it and its pods: the verdict run would give, or its phase while it runs. */
export function jobState(job: Job, pods: readonly Pod[]): JobState {
  const d = decision(job, pods);
  if (d) {
    const failed = d.verdict !== "passed";
    return { state: d.verdict, ...(d.class && failed ? { class: d.class } : {}), ...(d.reason && failed ? { reason: d.reason } : {}) };
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
 * Whether the run has ended, so `logs` stops following once every log is read: when run would
 * have its verdict (the Job is decided, or its pod's test container ended and the kubelet marked
 * the pod final, which comes seconds before the Job's condition).
 */
export function runEnded(job: Job, pods: readonly Pod[]): boolean {
  return decision(job, pods) !== undefined;
}
