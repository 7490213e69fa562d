// One suite's state over time as a pure function: step(state, observation) → (state, effects).
// The driver (suite-run.ts) feeds it what the shared watches saw and its timers fired, and carries
// out the effects (progress events, timers, deleting a hopeless Job, finishing). Nothing here
// does I/O or reads a clock: `now` comes with each step.
import type { ChangeType } from "../follow/kind-watch.js";
import { PHASES, decidingPod, eventProblem, evictedPods, phaseOf, podProblem } from "../diagnose/outcome.js";
import type { Phase, PodProblem } from "../diagnose/outcome.js";
import type { Diagnosis } from "../diagnose/types.js";
import { suiteVerdict } from "../diagnose/job-state.js";
import type { Job, KubeEvent, Pod } from "../k8s-types.js";

export type Verdict = Omit<Diagnosis, "hint">;

export interface SuiteState {
  job?: Job;
  pods: ReadonlyMap<string, Pod>;
  events: readonly KubeEvent[];
  /** Index in PHASES of the furthest phase announced. */
  lastPhase: number;
  phases: Partial<Record<Phase, string>>;
  problem?: PodProblem & { since: number; pod: string };
  evicted: ReadonlySet<string>;
  /** The newest eviction (server time of its DisruptionTarget) and the pods said to replace it. */
  eviction?: { pod: string; at: number; replacements: readonly string[] };
  notes: readonly string[];
  startedAt?: number;
  /** Set once: the verdict and whether the Job must be deleted (hopeless, our deadline). */
  finished?: { verdict: Verdict; deleteJob: boolean };
}

export const initialState: SuiteState = { pods: new Map(), events: [], lastPhase: -1, phases: {}, evicted: new Set(), notes: [] };

/** The suite was interrupted (its verdict is set): nothing more is copied, cut or echoed from copies. */
export function interruptedIn(state: SuiteState): boolean {
  return state.finished?.verdict.verdict === "interrupted";
}

export type Observation =
  | { type: "created"; job: Job }
  | { type: "job"; change: ChangeType; job: Job }
  | { type: "pod"; change: ChangeType; pod: Pod }
  | { type: "events"; events: readonly KubeEvent[] }
  /** The fail-fast grace of the current problem ran out, or our own deadline passed. */
  | { type: "problemTimer" }
  | { type: "deadline" }
  | { type: "interrupt" }
  /** Creating the Job (or something before it) failed, or the run stopped before it was created. */
  | { type: "notCreated"; verdict: Verdict };

export type Effect =
  | { type: "phase"; phase: Phase; detail: string }
  | { type: "note"; text: string }
  | { type: "armProblemTimer"; ms: number }
  | { type: "cancelProblemTimer" }
  | { type: "armDeadline"; ms: number }
  | { type: "finish"; verdict: Verdict; deleteJob: boolean };

export interface StepContext {
  now: number;
  suite: { name: string; timeoutSeconds: number; source: SourceForDetail; image: string; shards?: number };
  jobName: string;
  failFastMs: number;
  deadlineSlackMs: number;
  keep: boolean;
}

type SourceForDetail = { kind: "git"; url: string; ref: string; commit?: string } | { kind: "local"; url?: string; commit?: string } | { kind: "image" };

export interface Step {
  state: SuiteState;
  effects: Effect[];
}

const INTERRUPTED: Verdict = { verdict: "interrupted", class: "interrupted", reason: "Interrupted", message: "interrupted by the user" };

/** The one transition function. A finished suite ignores everything but bookkeeping of pods. */
export function step(state: SuiteState, obs: Observation, c: StepContext): Step {
  if (state.finished) {
    // Pods still matter after the verdict: their logs are read to the end.
    if (obs.type === "pod") return { state: { ...state, pods: podsAfter(state.pods, obs.change, obs.pod) }, effects: [] };
    return { state, effects: [] };
  }
  switch (obs.type) {
    case "created": {
      const s = { ...state, job: state.job ?? obs.job, startedAt: c.now };
      const effects: Effect[] = [{ type: "armDeadline", ms: c.suite.timeoutSeconds * 1000 + c.deadlineSlackMs }];
      // The watch may have delivered the Job (even its pod) before create() returned.
      return chain(markPhase(s, "queued", `job/${c.jobName} created`, effects, c.now), c);
    }
    case "job":
      if (obs.change === "DELETED") {
        const deleted: Verdict = { verdict: "couldNotRun", class: "podDeleted", reason: "Deleted", message: `job/${c.jobName} was deleted while it ran` };
        return finish(state, deleted, false, []);
      }
      return evaluate({ ...state, job: obs.job }, c, []);
    case "pod":
      return evaluate({ ...state, pods: podsAfter(state.pods, obs.change, obs.pod) }, c, []);
    case "events":
      return evaluate({ ...state, events: obs.events }, c, []);
    case "problemTimer":
      return evaluate(state, c, []);
    case "deadline": {
      const message = `no verdict from the cluster within timeout ${c.suite.timeoutSeconds}s + ${c.deadlineSlackMs / 1000}s`;
      return finish(state, { verdict: "timedOut", class: "deadlineExceeded", reason: "DeadlineExceeded", message }, !c.keep, []);
    }
    case "interrupt":
      return finish(state, INTERRUPTED, false, []);
    case "notCreated":
      return finish({ ...state, startedAt: state.startedAt ?? c.now }, obs.verdict, false, []);
  }
}

function chain(s: Step, c: StepContext): Step {
  return evaluate(s.state, c, s.effects);
}

function podsAfter(pods: ReadonlyMap<string, Pod>, change: ChangeType, pod: Pod): ReadonlyMap<string, Pod> {
  const m = new Map(pods);
  const name = pod.metadata?.name ?? "";
  if (change === "DELETED") m.delete(name);
  else m.set(name, pod);
  return m;
}

function finish(state: SuiteState, verdict: Verdict, deleteJob: boolean, effects: Effect[]): Step {
  const notes = deleteJob && state.job ? [...state.notes, `deleted job/${state.job.metadata?.name ?? ""}: it could not make progress`] : state.notes;
  const del = deleteJob && Boolean(state.job);
  const ended: Effect[] = [...effects, { type: "cancelProblemTimer" }, { type: "finish", verdict, deleteJob: del }];
  return { state: { ...state, notes, finished: { verdict, deleteJob: del } }, effects: ended };
}

function markPhase(state: SuiteState, p: Phase, detail: string, effects: Effect[], now: number): Step {
  const i = PHASES.indexOf(p);
  if (i <= state.lastPhase) return { state, effects };
  const phases = { ...state.phases, [p]: new Date(now).toISOString() };
  return { state: { ...state, lastPhase: i, phases }, effects: [...effects, { type: "phase", phase: p, detail }] };
}

/** Phases, evictions, the verdict (Job, else the pod's final state), else hopeless-pod problems. */
function evaluate(state: SuiteState, c: StepContext, effects: Effect[]): Step {
  // Before the Job exists (create() has not returned) nothing is decided: the watch may be early.
  if (state.startedAt === undefined || !state.job) return { state, effects };
  const pods = [...state.pods.values()];
  const pod = decidingPod(pods);
  const phase = phaseOf(state.job, pod, state.events);
  let s: Step = phase !== "finished" ? markPhase(state, phase, phaseDetail(phase, pod, c), effects, c.now) : { state, effects };
  s = noteEvictions(s, pods);

  // The verdict status and logs give too (a sharded suite's once every shard has one).
  const outcome = suiteVerdict(s.state.job, pods, c.suite.shards ?? 1);
  if (outcome) return finish(s.state, outcome, false, s.effects);

  // Events can be stale (a FailedScheduling from before the pod was placed): only trust one
  // the pod's status does not already contradict.
  const podName = pod?.metadata?.name ?? "";
  const fromEvents = pod ? eventProblem(s.state.events, podName) : undefined;
  const problem = pod ? (podProblem(pod) ?? (fromEvents && !progressed(s.state, { ...fromEvents, pod: podName }) ? fromEvents : undefined)) : undefined;
  return trackProblem(s, problem, podName, c);
}

function phaseDetail(phase: Phase, pod: Pod | undefined, c: StepContext): string {
  const name = pod?.metadata?.name;
  const src = c.suite.source;
  switch (phase) {
    case "scheduled":
      return `pod/${name} on node ${pod?.spec?.nodeName ?? "?"}`;
    case "pulling":
      return c.suite.image;
    case "cloning":
      if (src.kind === "git") return `${src.url} @ ${src.commit ?? src.ref}`;
      return src.kind === "local" ? `${src.url ?? ""} @ ${src.commit ?? "?"} + local overlay` : "";
    case "running":
      return `pod/${name}`;
    default:
      return "";
  }
}

function noteEvictions(s: Step, pods: Pod[]): Step {
  let { state } = s;
  const effects = [...s.effects];
  const note = (text: string) => {
    state = { ...state, notes: [...state.notes, text] };
    effects.push({ type: "note", text });
  };
  for (const p of evictedPods(pods)) {
    const name = p.metadata?.name ?? "";
    if (state.evicted.has(name)) continue;
    // The Eviction API and the kubelet say why on the condition (EvictionByEvictionAPI, TerminationByKubelet...).
    const c = p.status?.conditions?.find((x) => x.type === "DisruptionTarget" && x.status === "True");
    const why = [c?.reason ?? p.status?.reason ?? "DisruptionTarget", c?.message ?? p.status?.message].filter(Boolean).join(": ");
    const at = time(c?.lastTransitionTime) || time(p.metadata?.creationTimestamp) + 1000;
    state = { ...state, evicted: new Set([...state.evicted, name]), eviction: { pod: name, at, replacements: [] } };
    note(`pod/${name} was evicted (${why}); the Job's podFailurePolicy ignores disruptions, so the Job starts a new pod`);
  }
  // The Job's new pod after an eviction, said once: the run recovered from it (or fails on its own).
  for (const p of pods) {
    const ev = state.eviction;
    const name = p.metadata?.name ?? "";
    if (!ev || state.evicted.has(name) || ev.replacements.includes(name) || time(p.metadata?.creationTimestamp) < ev.at) continue;
    state = { ...state, eviction: { ...ev, replacements: [...ev.replacements, name] } };
    note(`pod/${name} started in place of the evicted pod/${ev.pod}`);
  }
  return { state, effects };
}

function time(t: string | Date | undefined): number {
  return t ? new Date(t).getTime() : 0;
}

function trackProblem(s: Step, problem: PodProblem | undefined, podName: string, c: StepContext): Step {
  const { state } = s;
  const effects = [...s.effects];
  if (!problem && state.problem && !progressed(state, state.problem)) {
    // Between pull attempts the waiting reason flips (ErrImagePull, ImagePullBackOff, briefly
    // none): the grace keeps counting from the first error until the container gets going.
    return s;
  }
  if (!problem) {
    if (!state.problem) return s;
    const { problem: old, ...rest } = state;
    effects.push({ type: "note", text: `${old.reason} cleared` }, { type: "cancelProblemTimer" });
    return { state: rest, effects };
  }
  if (!state.problem || state.problem.class !== problem.class || state.problem.pod !== podName) {
    const graceS = Math.round(c.failFastMs / 1000);
    effects.push(
      { type: "cancelProblemTimer" },
      { type: "note", text: `${problem.reason}: ${problem.message || "(no message)"} — giving it ${graceS}s to clear` },
      { type: "armProblemTimer", ms: c.failFastMs },
    );
    return { state: { ...state, problem: { ...problem, since: c.now, pod: podName } }, effects };
  }
  if (c.now - state.problem.since >= c.failFastMs) {
    const { reason, message } = problem;
    const v: Verdict = { verdict: "couldNotRun", class: problem.class, reason, message, ...(problem.container ? { container: problem.container } : {}) };
    return finish(state, v, !c.keep, effects);
  }
  return s;
}

/** Whether the container (or pod) a problem was about has moved on: started, ended, or replaced. */
function progressed(state: SuiteState, p: PodProblem & { pod: string }): boolean {
  const pod = state.pods.get(p.pod);
  if (!pod || decidingPod([...state.pods.values()]) !== pod) return true;
  if (p.class === "unschedulable") return pod.status?.conditions?.some((x) => x.type === "PodScheduled" && x.status === "True") ?? false;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  if (!p.container) return pod.status?.phase !== undefined && pod.status.phase !== "Pending";
  const st = statuses.find((x) => x.name === p.container);
  return Boolean(st?.state?.running || st?.state?.terminated);
}
