// Pure decisions on what a suite's Job, Pods and Events mean (kubectl's rollout_status shape:
// a function of objects, no I/O). The orchestrator feeds it whatever its watches have seen.
import type { ContainerStatus, Job, KubeEvent, Pod } from "../k8s-types.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "./types.js";
import { RUNNER_STAGES } from "../render/runner-script.js";
import type { RunnerStage } from "../render/runner-script.js";
import type { Diagnosis, FailureClass } from "./types.js";

export type Phase = "queued" | "scheduled" | "pulling" | "cloning" | "running" | "finished";
export const PHASES: readonly Phase[] = ["queued", "scheduled", "pulling", "cloning", "running", "finished"];

/** A condition that will not cure itself; it becomes the verdict after a grace period. */
export interface PodProblem {
  class: FailureClass;
  reason: string;
  message: string;
  container?: string;
}

const PULL_REASONS = new Set(["ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"]);
const START_REASONS = new Set(["CreateContainerError", "RunContainerError", "StartError", "ContainerCannotRun"]);

function cond(conds: { type: string; status: string }[] | undefined, type: string) {
  return conds?.find((c) => c.type === type);
}

function allStatuses(pod: Pod): ContainerStatus[] {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

function isDisrupted(pod: Pod): boolean {
  return cond(pod.status?.conditions, "DisruptionTarget")?.status === "True" || pod.status?.reason === "Evicted";
}

function time(t: string | Date | undefined): number {
  return t ? new Date(t).getTime() : 0;
}

/** The suite's current phase, for progress lines. */
export function phaseOf(job: Job | undefined, pod: Pod | undefined, events: readonly KubeEvent[]): Phase {
  if (job && jobTerminal(job)) return "finished";
  if (!pod) return "queued";
  const byName = (n: string) => allStatuses(pod).find((s) => s.name === n);
  const test = byName(TEST_CONTAINER);
  // The clone runs beside the test container, which waits for it: cloning until it has ended.
  if (byName(CLONE_CONTAINER)?.state?.running && !test?.state?.terminated) return "cloning";
  if (test?.state?.running || test?.state?.terminated) return "running";
  const podName = pod.metadata?.name;
  if (events.some((e) => e.involvedObject?.name === podName && e.reason === "Pulling")) return "pulling";
  if (cond(pod.status?.conditions, "PodScheduled")?.status === "True" || pod.spec?.nodeName) return "scheduled";
  return "queued";
}

/**
 * Complete or Failed, as soon as the Job controller has decided. Since Kubernetes 1.31 the
 * controller first sets SuccessCriteriaMet / FailureTarget and only sets Complete / Failed once
 * every pod has terminated (30 s of graceful shutdown after a deadline): the verdict is known
 * at the first condition.
 */
export function jobTerminal(job: Job): "Complete" | "Failed" | undefined {
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== "True") continue;
    if (c.type === "Complete" || c.type === "SuccessCriteriaMet") return "Complete";
    if (c.type === "Failed" || c.type === "FailureTarget") return "Failed";
  }
  return undefined;
}

function failureCondition(job: Job) {
  const conds = job.status?.conditions ?? [];
  return conds.find((c) => c.type === "Failed" && c.status === "True") ?? conds.find((c) => c.type === "FailureTarget" && c.status === "True");
}

/** A problem on a pending pod that will not go away by itself (pull errors, unschedulable, missing Secret). */
export function podProblem(pod: Pod): PodProblem | undefined {
  for (const s of allStatuses(pod)) {
    const w = s.state?.waiting;
    if (!w?.reason) continue;
    if (PULL_REASONS.has(w.reason)) return { class: "imagePull", reason: w.reason, message: w.message ?? "", container: s.name };
    if (w.reason === "CreateContainerConfigError") return { class: "containerConfig", reason: w.reason, message: w.message ?? "", container: s.name };
    if (START_REASONS.has(w.reason)) return { class: "startError", reason: w.reason, message: w.message ?? "", container: s.name };
  }
  const sched = cond(pod.status?.conditions, "PodScheduled") as { status: string; reason?: string; message?: string } | undefined;
  if (sched?.status === "False" && sched.reason === "Unschedulable") {
    return { class: "unschedulable", reason: sched.reason, message: sched.message ?? "" };
  }
  return undefined;
}

/**
 * The same problems read from the pod's Warning events. The kubelet records an event the
 * moment a pull fails, while the pod's status can lag by seconds (13 s measured on the test
 * cluster): the fail-fast grace starts at whichever is seen first.
 */
export function eventProblem(events: readonly KubeEvent[], podName: string): PodProblem | undefined {
  // "Failed to pull image …" carries the registry's error; "Error: ImagePullBackOff" does not.
  const ordered = [...events].sort((a, b) => Number(/^Failed to pull image/.test(b.message ?? "")) - Number(/^Failed to pull image/.test(a.message ?? "")));
  for (const e of ordered) {
    if (e.involvedObject?.name !== podName || e.type !== "Warning") continue;
    const message = e.message ?? "";
    const container = /\{(.+)\}/.exec(e.involvedObject.fieldPath ?? "")?.[1];
    const c = container ? { container } : {};
    if (e.reason === "FailedScheduling") return { class: "unschedulable", reason: "Unschedulable", message };
    if (
      (e.reason === "Failed" && /^Failed to pull image|^Error: (ErrImagePull|ImagePullBackOff|InvalidImageName)/.test(message)) ||
      (e.reason === "BackOff" && /^Back-off pulling image/.test(message))
    ) {
      return { class: "imagePull", reason: "ErrImagePull", message, ...c };
    }
    if (e.reason === "Failed" && /^Error: (secret|configmap|couldn't find key)/i.test(message)) {
      return { class: "containerConfig", reason: "CreateContainerConfigError", message: message.replace(/^Error: /, ""), ...c };
    }
  }
  return undefined;
}

/**
 * The ordinary containers still running in a pod whose tests have ended that incluster did not
 * put there: an admission webhook's sidecar (a mesh proxy). They keep the pod Running, so its Job
 * would not complete before its activeDeadlineSeconds; native sidecars (init containers) do not.
 */
export function foreignContainersRunning(pod: Pod): string[] {
  const statuses = pod.status?.containerStatuses ?? [];
  if (!statuses.some((c) => c.name === TEST_CONTAINER && c.state?.terminated)) return [];
  return statuses.filter((c) => c.name !== TEST_CONTAINER && c.name !== CLONE_CONTAINER && c.state?.running).map((c) => c.name);
}

/** The pod that decides the verdict: the newest one that was not disrupted, else the newest. */
export function decidingPod(pods: readonly Pod[]): Pod | undefined {
  const sorted = [...pods].sort((a, b) => time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp));
  return sorted.find((p) => !isDisrupted(p)) ?? sorted[0];
}

export function evictedPods(pods: readonly Pod[]): Pod[] {
  return pods.filter(isDisrupted);
}

/** The stage in the runner's termination message ({"stage": …, "exitCode": …}), if it wrote one. */
export function runnerStage(message: string | undefined): RunnerStage | undefined {
  if (!message) return undefined;
  try {
    const stage = (JSON.parse(message) as { stage?: unknown }).stage;
    return RUNNER_STAGES.find((s) => s === stage);
  } catch {
    return undefined; // not ours (an image's own termination message)
  }
}

/** Classifies a pod that has ended (or the newest pod of a failed Job). */
export function classifyPod(pod: Pod): Omit<Diagnosis, "hint"> | undefined {
  // The clone container (an init container in Jobs rendered before it ran beside the tests).
  const it = allStatuses(pod).find((s) => s.name === CLONE_CONTAINER)?.state?.terminated;
  if (it && it.exitCode !== 0) {
    const cls: FailureClass = it.reason === "OOMKilled" ? "oomKilled" : "cloneFailed";
    return {
      verdict: "couldNotRun",
      class: cls,
      reason: it.reason ?? "Error",
      message: (it.message ?? "").trim() || `exit code ${it.exitCode}`,
      container: CLONE_CONTAINER,
    };
  }
  const test = pod.status?.containerStatuses?.find((s) => s.name === TEST_CONTAINER);
  const tt = test?.state?.terminated;
  if (tt) {
    if (tt.reason === "OOMKilled") {
      return {
        verdict: "couldNotRun",
        class: "oomKilled",
        reason: "OOMKilled",
        message: tt.message?.trim() || `exit code ${tt.exitCode}`,
        container: TEST_CONTAINER,
        testExitCode: tt.exitCode,
      };
    }
    if (tt.reason && START_REASONS.has(tt.reason)) {
      return {
        verdict: "couldNotRun",
        class: "startError",
        reason: tt.reason,
        message: tt.message?.trim() ?? "",
        container: TEST_CONTAINER,
        testExitCode: tt.exitCode,
      };
    }
    if (tt.exitCode === 0) return { verdict: "passed", testExitCode: 0, container: TEST_CONTAINER };
    // The runner's termination message says which stage ended it: a typed channel, not log text.
    const stage = runnerStage(tt.message);
    if (stage === "install") {
      return {
        verdict: "couldNotRun",
        class: "installFailed",
        reason: "InstallFailed",
        message: `the install step exited with code ${tt.exitCode}`,
        container: TEST_CONTAINER,
        testExitCode: tt.exitCode,
      };
    }
    if (stage === "source") {
      return {
        verdict: "couldNotRun",
        class: "workspaceEmpty",
        reason: "WorkspaceEmpty",
        message: "/workspace is missing or empty",
        container: TEST_CONTAINER,
        testExitCode: tt.exitCode,
      };
    }
    return {
      verdict: "failed",
      class: "testsFailed",
      reason: tt.reason ?? "Error",
      message: `test-runner exited with code ${tt.exitCode}`,
      container: TEST_CONTAINER,
      testExitCode: tt.exitCode,
    };
  }
  if (isDisrupted(pod)) {
    return {
      verdict: "couldNotRun",
      class: "evicted",
      reason: pod.status?.reason ?? "DisruptionTarget",
      message: pod.status?.message ?? cond(pod.status?.conditions, "DisruptionTarget")?.type ?? "",
    };
  }
  if (pod.status?.reason === "DeadlineExceeded") {
    return { verdict: "timedOut", class: "deadlineExceeded", reason: "DeadlineExceeded", message: pod.status.message ?? "" };
  }
  return undefined;
}

/**
 * The verdict once the Job is terminal, from the Job's condition and the deciding pod.
 * Returns undefined while the Job runs.
 */
export function jobOutcome(job: Job | undefined, pods: readonly Pod[]): Omit<Diagnosis, "hint"> | undefined {
  if (!job) return undefined;
  const terminal = jobTerminal(job);
  if (!terminal) return undefined;
  const failed = failureCondition(job);
  const pod = decidingPod(pods);
  if (terminal === "Complete") return { verdict: "passed", testExitCode: 0, container: TEST_CONTAINER };
  if (failed?.reason === "DeadlineExceeded") {
    return { verdict: "timedOut", class: "deadlineExceeded", reason: failed.reason, message: failed.message ?? "" };
  }
  const fromPod = pod ? classifyPod(pod) : undefined;
  if (fromPod && fromPod.verdict !== "passed") return fromPod;
  return { verdict: "couldNotRun", class: "jobFailed", reason: failed?.reason ?? "Failed", message: failed?.message ?? "" };
}

/**
 * The verdict from the pod alone, as soon as it is final: the test container has terminated (or
 * the kubelet marked the pod Succeeded or Failed, e.g. after a failed clone), and nothing says
 * the pod was disrupted or is being deleted. The Job controller's own condition
 * comes seconds later (SuccessCriteriaMet/FailureTarget, measured 2.1 s); a disrupted pod is the
 * exception: the Job's podFailurePolicy ignores it and starts another, so only the Job decides.
 */
export function podVerdict(pods: readonly Pod[]): Omit<Diagnosis, "hint"> | undefined {
  const pod = decidingPod(pods);
  if (!pod || isDisrupted(pod) || pod.metadata?.deletionTimestamp) return undefined;
  const phase = pod.status?.phase;
  // The collector sidecar keeps the pod Running after the tests: the test container's terminated
  // state is the evidence (the kubelet sets DisruptionTarget no later than it kills a container).
  const testEnded = pod.status?.containerStatuses?.some((c) => c.name === TEST_CONTAINER && c.state?.terminated);
  // A clone that failed is final too: the tests wait for its marker, which a clone killed
  // outright (OOMKilled: no exit trap runs) never writes; waiting for them would wait for the deadline.
  const cloneFailed = allStatuses(pod).some((c) => c.name === CLONE_CONTAINER && (c.state?.terminated?.exitCode ?? 0) !== 0);
  if (!testEnded && !cloneFailed && phase !== "Succeeded" && phase !== "Failed") return undefined;
  const d = classifyPod(pod);
  // Failed with no terminated container to explain it (e.g. a node-level failure): let the Job say.
  return d && d.class !== "evicted" && d.class !== "deadlineExceeded" ? d : undefined;
}

/** The Job's failure condition can arrive before the pod's last status: prefer the pod's story. */
export function finalDiagnosis(d: Omit<Diagnosis, "hint">, pods: readonly Pod[]): Omit<Diagnosis, "hint"> {
  const pod = decidingPod(pods);
  const fromPod = pod ? classifyPod(pod) : undefined;
  return d.class === "jobFailed" && fromPod && fromPod.verdict !== "passed" ? fromPod : d;
}

/** The pod's events, newest last, as short lines for reports. */
export function recentEvents(events: readonly KubeEvent[], names: ReadonlySet<string>, limit = 15): KubeEvent[] {
  const mine = events.filter((e) => names.has(e.involvedObject?.name ?? ""));
  const at = (e: KubeEvent) => time(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp);
  return mine.sort((a, b) => at(a) - at(b)).slice(-limit);
}
