// Follows one suite's Job from creation to verdict. It owns no watch: the orchestrator feeds it
// the run's shared Job, Pod and Event watches. Decisions are the pure functions of diagnose/;
// this class holds the state those need over time (grace timers, phases seen, log followers).
import type { ResolvedSuite } from "../config/resolve.js";
import { PHASES, decidingPod, eventProblem, evictedPods, jobOutcome, phaseOf, podProblem, recentEvents } from "../diagnose/outcome.js";
import type { Phase, PodProblem } from "../diagnose/outcome.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../diagnose/types.js";
import type { Diagnosis } from "../diagnose/types.js";
import type { Job, KubeEvent, Pod } from "../k8s-types.js";
import type { ClusterPort } from "../kube/port.js";
import type { SuiteResult } from "../report/model.js";
import { ContainerLogs } from "./container-logs.js";
import { suiteResult } from "./suite-result.js";
import type { SetTimer } from "./timers.js";

export interface SuiteRunDeps {
  port: ClusterPort;
  now: () => number;
  setTimer: SetTimer;
  /** Progress for humans: one line per change. */
  progress(suite: string, text: string): void;
  verbose(suite: string, text: string): void;
  /** A container's log line, delivered once and in order. */
  logLine(suite: string, container: string, line: string): void;
  /** Where a container's log is saved (for the report). */
  logPath(suite: string, container: string): string;
  /** Saves a JSON document in the run's report directory (the pod and events, before they vanish). */
  saveJson(relPath: string, data: unknown): Promise<void>;
  /** Called when a suite gives up on a hopeless Job, so it does not linger. */
  deleteJob(suite: string, job: string): Promise<void>;
}

export interface SuiteRunOptions {
  /** How long a pull error, unschedulable pod or missing Secret may last before it is the verdict. */
  failFastMs: number;
  /** Our own deadline beyond the Job's activeDeadlineSeconds, in case the cluster never says. */
  deadlineSlackMs: number;
  keep: boolean;
}


function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export class SuiteRun {
  readonly suite: ResolvedSuite;
  readonly jobName: string;
  private readonly deps: SuiteRunDeps;
  private readonly opts: SuiteRunOptions;
  private job: Job | undefined;
  private readonly pods = new Map<string, Pod>();
  private events: readonly KubeEvent[] = [];
  private readonly phases: Partial<Record<Phase, string>> = {};
  private lastPhase = -1;
  private problem: (PodProblem & { since: number; pod: string }) | undefined;
  private problemTimer: { cancel(): void } | undefined;
  private deadlineTimer: { cancel(): void } | undefined;
  private readonly logs: ContainerLogs;
  private readonly tails = new Map<string, string[]>();
  private readonly notes: string[] = [];
  private readonly evictionsNoted = new Set<string>();
  private commit: string | undefined;
  private startedAt = 0;
  private finishing = false;
  private resolveResult!: (r: SuiteResult) => void;
  readonly result: Promise<SuiteResult> = new Promise((r) => (this.resolveResult = r));

  constructor(suite: ResolvedSuite, jobName: string, deps: SuiteRunDeps, opts: SuiteRunOptions) {
    this.suite = suite;
    this.jobName = jobName;
    this.deps = deps;
    this.opts = opts;
    this.logs = new ContainerLogs(deps.port, suite.namespace, [CLONE_CONTAINER, TEST_CONTAINER], {
      onLine: (container, line) => this.line(container, line),
      onResume: (why) => deps.verbose(suite.name, why),
      setTimer: (fn, ms) => deps.setTimer(fn, ms),
    });
  }

  get done(): boolean {
    return this.finishing;
  }

  /** The Job was created: start the clock and our own deadline. */
  started(job: Job): void {
    this.startedAt = this.deps.now();
    this.job ??= job;
    this.markPhase("queued", `job/${this.jobName} created`);
    const ms = this.suite.timeoutSeconds * 1000 + this.opts.deadlineSlackMs;
    this.deadlineTimer = this.deps.setTimer(() => {
      void this.finish(
        { verdict: "timedOut", class: "deadlineExceeded", reason: "DeadlineExceeded", message: `no verdict from the cluster within timeout ${this.suite.timeoutSeconds}s + ${this.opts.deadlineSlackMs / 1000}s` },
        !this.opts.keep,
      );
    }, ms);
    // The watch may have delivered the Job (even its pod) before create() returned.
    this.evaluate();
  }

  /** Creating the Job (or anything before it) failed: the verdict without a Job. */
  failedBeforeJob(d: Diagnosis): void {
    this.startedAt ||= this.deps.now();
    void this.finish(d, false);
  }

  onJob(type: string, job: Job): void {
    if (this.finishing) return;
    if (type === "DELETED") {
      void this.finish({ verdict: "couldNotRun", class: "podDeleted", reason: "Deleted", message: `job/${this.jobName} was deleted while it ran` }, false);
      return;
    }
    this.job = job;
    this.evaluate();
  }

  onPod(type: string, pod: Pod): void {
    const name = pod.metadata?.name ?? "";
    if (type === "DELETED") {
      this.pods.delete(name);
      this.logs.podGone(name);
    } else this.pods.set(name, pod);
    if (!this.finishing) this.evaluate();
    else this.feedFollowers();
  }

  onEvents(events: readonly KubeEvent[]): void {
    this.events = events;
    if (!this.finishing) this.evaluate();
  }

  interrupt(): Promise<SuiteResult> {
    void this.finish({ verdict: "interrupted", class: "interrupted", reason: "Interrupted", message: "interrupted by the user" }, false);
    return this.result;
  }

  private markPhase(p: Phase, detail: string): void {
    const i = PHASES.indexOf(p);
    if (i <= this.lastPhase) return;
    this.lastPhase = i;
    this.phases[p] = iso(this.deps.now());
    this.deps.progress(this.suite.name, `${p}${detail ? `: ${detail}` : ""}`);
  }

  private evaluate(): void {
    // Until create() has returned, changes are only recorded: started() evaluates them.
    if (!this.startedAt || this.finishing) return;
    const pods = [...this.pods.values()];
    const pod = decidingPod(pods);
    const phase = phaseOf(this.job, pod, this.events);
    if (phase !== "finished") this.markPhase(phase, this.phaseDetail(phase, pod));
    this.noteEvictions(pods);
    this.feedFollowers();

    const outcome = jobOutcome(this.job, pods);
    if (outcome) return void this.finish(outcome, false);

    // A pod that ended before the Job noticed: classify it now rather than wait (backoffLimit 0).
    const podName = pod?.metadata?.name ?? "";
    // Events can be stale (a FailedScheduling from before the pod was placed): only trust one
    // the pod's status does not already contradict.
    const fromEvents = pod ? eventProblem(this.events, podName) : undefined;
    const problem = pod ? (podProblem(pod) ?? (fromEvents && !this.progressed({ ...fromEvents, pod: podName }) ? fromEvents : undefined)) : undefined;
    this.trackProblem(problem, podName);
  }

  private phaseDetail(phase: Phase, pod: Pod | undefined): string {
    const name = pod?.metadata?.name;
    switch (phase) {
      case "scheduled":
        return `pod/${name} on node ${pod?.spec?.nodeName ?? "?"}`;
      case "pulling":
        return this.suite.image;
      case "cloning":
        return this.suite.source.kind === "git" ? `${this.suite.source.url} @ ${this.suite.source.commit ?? this.suite.source.ref}` : this.suite.source.kind === "local" ? `${this.suite.source.url ?? ""} @ ${this.suite.source.commit ?? "?"} + local overlay` : "";
      case "running":
        return `pod/${name}`;
      default:
        return "";
    }
  }

  private noteEvictions(pods: Pod[]): void {
    for (const p of evictedPods(pods)) {
      const name = p.metadata?.name ?? "";
      if (this.evictionsNoted.has(name)) continue;
      this.evictionsNoted.add(name);
      const note = `pod/${name} was evicted (${p.status?.reason ?? "DisruptionTarget"}: ${p.status?.message ?? ""}); the Job's podFailurePolicy ignores disruptions, so it retries`;
      this.notes.push(note);
      this.deps.progress(this.suite.name, note);
    }
  }

  /** Starts a log follower per container once it runs; tells followers when it has ended. */
  private feedFollowers(): void {
    this.logs.feed(this.pods.values(), this.finishing);
  }

  private line(container: string, text: string): void {
    const tail = this.tails.get(container) ?? [];
    tail.push(text);
    if (tail.length > 20) tail.shift();
    this.tails.set(container, tail);
    // The clone script prints the commit it checked out: the report names it.
    const m = container === CLONE_CONTAINER ? /^Checked out ([0-9a-f]{7,40})\b/.exec(text) : undefined;
    if (m) this.commit = m[1];
    this.deps.logLine(this.suite.name, container, text);
  }

  private trackProblem(problem: PodProblem | undefined, podName: string): void {
    if (!problem && this.problem && !this.progressed(this.problem)) {
      // Between pull attempts the waiting reason flips (ErrImagePull, ImagePullBackOff, briefly
      // none): the grace keeps counting from the first error until the container gets going.
      return;
    }
    if (!problem) {
      if (this.problem) this.deps.progress(this.suite.name, `${this.problem.reason} cleared`);
      this.problem = undefined;
      this.problemTimer?.cancel();
      this.problemTimer = undefined;
      return;
    }
    const now = this.deps.now();
    if (!this.problem || this.problem.class !== problem.class || this.problem.pod !== podName) {
      this.problemTimer?.cancel();
      this.problem = { ...problem, since: now, pod: podName };
      const graceS = Math.round(this.opts.failFastMs / 1000);
      this.deps.progress(this.suite.name, `${problem.reason}: ${problem.message || "(no message)"} — giving it ${graceS}s to clear`);
      this.problemTimer = this.deps.setTimer(() => this.evaluate(), this.opts.failFastMs);
      return;
    }
    if (now - this.problem.since >= this.opts.failFastMs) {
      void this.finish({ verdict: "couldNotRun", class: problem.class, reason: problem.reason, message: problem.message, ...(problem.container ? { container: problem.container } : {}) }, !this.opts.keep);
    }
  }

  /** Whether the container (or pod) a problem was about has moved on: started, ended, or replaced. */
  private progressed(p: PodProblem & { pod: string }): boolean {
    const pod = this.pods.get(p.pod);
    if (!pod || decidingPod([...this.pods.values()]) !== pod) return true;
    if (p.class === "unschedulable") return pod.status?.conditions?.some((c) => c.type === "PodScheduled" && c.status === "True") ?? false;
    const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
    if (!p.container) return pod.status?.phase !== undefined && pod.status.phase !== "Pending";
    const s = statuses.find((x) => x.name === p.container);
    return Boolean(s?.state?.running || s?.state?.terminated);
  }

  private async finish(d: Omit<Diagnosis, "hint">, deleteJob: boolean): Promise<void> {
    if (this.finishing) return;
    this.finishing = true;
    this.deadlineTimer?.cancel();
    this.problemTimer?.cancel();
    if (deleteJob && this.job) {
      this.notes.push(`deleted job/${this.jobName}: it could not make progress`);
      await this.deps.deleteJob(this.suite.name, this.jobName).catch((e: { message?: string }) => this.notes.push(`could not delete job/${this.jobName}: ${e.message}`));
    }
    // Terminated containers: wait for their logs to be read to the end. Anything still
    // running (interrupt, hopeless pod, our deadline) is stopped.
    this.logs.stopUnfinished(this.pods.values(), d.verdict === "interrupted");
    const waited = this.deps.setTimer(() => this.logs.stopAll(), 60_000);
    await this.logs.settled();
    waited.cancel();

    // Keep what `kubectl describe` would show: the Job's TTL or a delete will take it away.
    const names = new Set([this.jobName, ...this.pods.keys()]);
    await Promise.all([
      this.deps.saveJson(`${this.suite.name}/job.json`, this.job ?? null),
      this.deps.saveJson(`${this.suite.name}/pods.json`, [...this.pods.values()]),
      this.deps.saveJson(`${this.suite.name}/events.json`, recentEvents(this.events, names, 100)),
    ]).catch((e: { message?: string }) => this.notes.push(`could not save pods/events: ${e.message}`));
    const result = suiteResult({
      suite: this.suite,
      jobName: this.jobName,
      diagnosis: d,
      pods: [...this.pods.values()],
      events: this.events,
      tails: this.tails,
      phases: this.phases,
      notes: this.notes,
      ...(this.commit ? { clonedCommit: this.commit } : {}),
      startedAt: this.startedAt,
      finishedAt: this.deps.now(),
      logPath: (c: string) => this.deps.logPath(this.suite.name, c),
    });
    this.resolveResult(result);
  }
}
