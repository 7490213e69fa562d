// What a suite's Job and pods say, in run's vocabulary: the one verdict run, `status`, `logs` and
// `clean` decide with (suiteVerdict: the Job's condition, a pod's final state, every shard's), and
// where a Job that is not decided is (jobState). Pure.
import type { Job, Pod } from "../k8s-types.js";
import { CONTROLLER_UID_LABEL } from "../names.js";
import { decidingPod, finalDiagnosis, jobOutcome, phaseOf, podProblem, podVerdict } from "./outcome.js";
import type { Phase } from "./outcome.js";
import { shardedVerdict } from "./shards.js";
import type { Diagnosis, FailureClass, Verdict } from "./types.js";

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

/** How many shards a suite's Job runs: its completions when Indexed (render/job.ts), else 1. */
export function shardCount(job: Job | undefined): number {
  return job?.spec?.completionMode === "Indexed" ? Math.max(1, job.spec.completions ?? 1) : 1;
}

/**
 * The suite's verdict from its Job and pods, undefined while it runs: the Job's condition, else
 * the pod's final state (which comes seconds first). A sharded suite's once every shard has its
 * own from its pod (the worst wins), or the Job says passed; the Job's deadline decides at once.
 */
export function suiteVerdict(job: Job | undefined, pods: readonly Pod[], shards: number): Omit<Diagnosis, "hint"> | undefined {
  const jobSays = jobOutcome(job, pods);
  if (shards <= 1) return jobSays ?? podVerdict(pods);
  if (jobSays?.class === "deadlineExceeded") return jobSays;
  return shardedVerdict(pods, shards) ?? (jobSays?.verdict === "passed" ? jobSays : undefined);
}

/** As run decides (run/suite-state, then suite-result's finalDiagnosis), its shards read from the Job. */
function decision(job: Job, pods: readonly Pod[]) {
  const outcome = suiteVerdict(job, pods, shardCount(job));
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
