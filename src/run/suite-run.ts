// Drives one attempt of a suite: feeds its pure state machine (suite-state.ts) what the run's
// shared watches saw and its timers fired, and carries out the effects: progress events, the
// fail-fast and deadline timers, deleting a hopeless Job, and at the end the outcome. It calls two
// modules of its own: the logs and their echo (suite-logs.ts), the pods' output (artifacts.ts).
// It owns no watch and writes no report file: the session routes objects to it (routes.ts), and
// the orchestrator saves the outcome it resolves.
import type { ResolvedSuite } from "../config/resolve.js";
import { recentEvents } from "../diagnose/outcome.js";
import { shardVerdicts } from "../diagnose/shards.js";
import type { ShardVerdict } from "../diagnose/shards.js";
import type { ChangeType } from "../follow/kind-watch.js";
import type { Job, KubeEvent, Pod } from "../k8s-types.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../names.js";
import type { SuiteResult } from "../results/run-result.js";
import type { TestCase } from "../results/model.js";
import type { Timer } from "../timers.js";
import { attemptKey, retryFollows, tracksAttempts } from "./attempt-key.js";
import { SuiteArtifacts } from "./artifacts.js";
import type { RunContext } from "./context.js";
import { suiteResult } from "./suite-result.js";
import { SuiteLogs } from "./suite-logs.js";
import { HELD_POD_GRACE_S, heldPods, releaseHeld } from "./held-pod.js";
import type { AttemptRef, SuiteView } from "./attempt-ref.js";
import { initialState, step } from "./suite-state.js";
import type { Effect, Observation, StepContext, Verdict } from "./suite-state.js";

/** What a finished attempt hands up: the result, and the objects worth saving. */
export interface SuiteOutcome {
  result: SuiteResult;
  attempt: number;
  /** This attempt's test cases (from its JUnit). */
  tests?: TestCase[];
  job: Job | null;
  pods: Pod[];
  events: KubeEvent[];
}

/** How long the logs of terminated containers may take to be read to the end after the verdict. */
const LOG_DRAIN_MS = 60_000;

export class SuiteRun {
  readonly suite: ResolvedSuite;
  readonly jobName: string;
  /** 1 for the first Job of a suite, n for its (n-1)th retry. */
  readonly attempt: number;
  private readonly ctx: RunContext;
  private readonly ref: AttemptRef;
  /** The reducer's state: kept here only, read by the logs and artifacts. */
  private readonly view: SuiteView = { state: initialState };
  private problemTimer: Timer | undefined;
  private deadlineTimer: Timer | undefined;
  private readonly logs: SuiteLogs;
  private readonly artifacts: SuiteArtifacts;
  private resolveOutcome!: (r: SuiteOutcome) => void;
  readonly outcome: Promise<SuiteOutcome> = new Promise((r) => (this.resolveOutcome = r));

  constructor(ctx: RunContext, suite: ResolvedSuite, jobName: string, attempt: number) {
    this.ctx = ctx;
    this.suite = suite;
    this.jobName = jobName;
    this.attempt = attempt;
    const tracked = tracksAttempts(suite);
    this.ref = { suite, attempt, tracked, key: tracked ? attemptKey(suite.name, attempt) : suite.name };
    this.logs = new SuiteLogs(ctx, this.ref, this.view);
    this.artifacts = new SuiteArtifacts(ctx, this.ref, this.view, this.logs);
  }

  get done(): boolean {
    return this.view.state.finished !== undefined;
  }

  /** The Job was created: start the clock and our own deadline. */
  started(job: Job): void {
    this.observe({ type: "created", job });
  }

  /** Creating the Job (or anything before it) failed, or the run stopped first: the verdict without a Job. */
  notCreated(verdict: Verdict): void {
    this.observe({ type: "notCreated", verdict });
  }

  onJob(change: ChangeType, job: Job): void {
    this.observe({ type: "job", change, job });
  }

  onPod(change: ChangeType, pod: Pod): void {
    if (change === "DELETED") this.logs.podGone(pod.metadata?.name ?? "");
    this.observe({ type: "pod", change, pod });
  }

  onEvents(events: readonly KubeEvent[]): void {
    this.observe({ type: "events", events });
  }

  interrupt(): void {
    this.observe({ type: "interrupt" });
  }

  private context(): StepContext {
    const { failFastMs, deadlineSlackMs, keep } = this.ctx;
    return { now: this.ctx.now(), suite: this.suite, jobName: this.jobName, failFastMs, deadlineSlackMs, keep };
  }

  private observe(o: Observation): void {
    const wasFinished = this.done;
    const next = step(this.view.state, o, this.context());
    this.view.state = next.state;
    for (const e of next.effects) this.apply(e);
    // Followers start once a container runs, and learn when it has ended (also after the verdict).
    if (this.view.state.startedAt !== undefined && (o.type === "pod" || o.type === "created")) {
      this.logs.feed(this.view.state.pods.values(), wasFinished);
      this.artifacts.startAll();
    }
  }

  private apply(e: Effect): void {
    const suite = this.suite.name;
    switch (e.type) {
      case "phase":
        return this.ctx.emit({ type: "suite.phase", suite, phase: e.phase, detail: e.detail });
      case "note":
        return this.ctx.emit({ type: "suite.note", suite, level: "info", text: e.text });
      case "armProblemTimer":
        this.problemTimer?.cancel();
        this.problemTimer = this.ctx.setTimer(() => this.observe({ type: "problemTimer" }), e.ms);
        return;
      case "cancelProblemTimer":
        this.problemTimer?.cancel();
        this.problemTimer = undefined;
        return;
      case "armDeadline":
        this.deadlineTimer?.cancel();
        this.deadlineTimer = this.ctx.setTimer(() => this.observe({ type: "deadline" }), e.ms);
        return;
      case "finish":
        void this.finish(e.verdict, e.deleteJob);
        return;
    }
  }

  private note(text: string, notes: string[]): void {
    notes.push(text);
    this.ctx.emit({ type: "suite.note", suite: this.suite.name, level: "info", text });
  }

  /** Called when the suite gives up on a hopeless Job, so it does not linger. */
  private async deleteJob(): Promise<void> {
    await this.ctx.port.delete("jobs", this.ctx.namespace, this.jobName);
  }

  /** The attempt's verdict, said now: its logs, results and artifacts come after (a copy may queue for its slot). */
  private decided(v: Verdict): void {
    const { verdict, class: cls, reason, message, testExitCode } = v;
    const retry = retryFollows(v, this.attempt, this.suite);
    const more = { ...(cls ? { class: cls } : {}), ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
    const exit = testExitCode !== undefined ? { testExitCode } : {};
    this.ctx.emit({ type: "suite.decided", suite: this.suite.name, attempt: this.attempt, verdict, ...more, ...exit, retry });
  }

  private async finish(verdict: Verdict, deleteJob: boolean): Promise<void> {
    this.decided(verdict);
    const interrupted = verdict.verdict === "interrupted";
    this.deadlineTimer?.cancel();
    const notes = [...this.view.state.notes];
    if (deleteJob) await this.deleteJob().catch((e: { message?: string }) => notes.push(`could not delete job/${this.jobName}: ${e.message}`));
    // A pod held by a sidecar incluster did not add (held-pod.ts): without pods/exec its collector
    // prints the artifacts only once the pod is deleted (now, unless --keep); otherwise after the copy.
    const viaLog = this.ctx.collectVia === "log";
    const { state: ended } = this.view;
    const held = interrupted || deleteJob ? undefined : heldPods(ended.job, ended.pods.values(), this.jobName, this.suite);
    const keptHeld = held !== undefined && this.ctx.keep;
    if (held && keptHeld) {
      const why = viaLog ? "; its collector prints the artifacts only when the pod stops (pods/exec is forbidden)" : "";
      this.note(`${held.why}; kept (--keep): \`incluster clean\` deletes it${why}`, notes);
    } else if (held && viaLog) this.note(await releaseHeld(this.ctx, this.jobName, held, undefined), notes);
    // Terminated containers: wait for their logs to be read to the end. Anything still
    // running (interrupt, hopeless pod, our deadline) is stopped.
    this.logs.stopUnfinished(interrupted, keptHeld);
    const drain = this.ctx.setTimer(() => this.logs.stopAll(), LOG_DRAIN_MS);
    // A live follow far behind (a burst of output) need not be waited for: when the pod's own
    // copy of its log starts to come, it is cut and the copy echoes the rest (suite-logs.ts).
    // The verdict is decided before observe() starts the copies for the status that decided it.
    // An interrupted suite starts no copy and waits for none.
    if (!interrupted) this.artifacts.startAll();
    await this.logs.settled();
    if (!interrupted) await this.artifacts.retryBrokenCopies();
    drain.cancel();
    this.logs.settleHeads();

    const artifacts = interrupted ? undefined : await this.artifacts.collect(verdict, notes);
    const { state } = this.view;
    // Still held once the output is copied (a sidecar may have ended meanwhile): released now.
    const stillHeld = held && !keptHeld && !viaLog ? heldPods(state.job, state.pods.values(), this.jobName, this.suite) : undefined;
    if (stillHeld) this.note(await releaseHeld(this.ctx, this.jobName, stillHeld, HELD_POD_GRACE_S), notes);
    const pods = [...state.pods.values()];
    const finishedAt = this.ctx.now();
    const result = suiteResult({
      suite: this.suite,
      jobName: this.jobName,
      diagnosis: verdict,
      pods,
      events: state.events,
      tails: this.logs.out.tails,
      phases: state.phases,
      notes,
      ...(this.logs.out.commit ? { clonedCommit: this.logs.out.commit } : {}),
      startedAt: state.startedAt ?? finishedAt,
      finishedAt,
      logPath: (c: string) => this.ctx.files.logPath(this.ref.key, c),
      ...(artifacts ? { artifacts } : {}),
    });
    const shardCount = this.suite.shards ?? 1;
    if (shardCount > 1) {
      const v = shardVerdicts(pods, shardCount);
      const shard = (x: ShardVerdict) => ({
        index: x.index,
        verdict: x.diagnosis.verdict,
        ...(x.diagnosis.class ? { class: x.diagnosis.class } : {}),
        pod: x.pod,
      });
      result.shards = [...v.values()].sort((a, b) => a.index - b.index).map(shard);
      const logsOf = (i: number) => [CLONE_CONTAINER, TEST_CONTAINER].map((c) => [`${c}#${i}`, this.ctx.files.logPath(`${this.ref.key}/shard-${i}`, c)]);
      result.logs = Object.fromEntries([...v.keys()].sort((a, b) => a - b).flatMap(logsOf));
    }
    const names = new Set([this.jobName, ...state.pods.keys()]);
    const tests = this.artifacts.tests;
    const events = recentEvents(state.events, names, 100);
    this.resolveOutcome({ result, attempt: this.attempt, ...(tests ? { tests } : {}), job: state.job ?? null, pods, events });
  }
}
