// Drives one suite: feeds its pure state machine (suite-state.ts) what the run's shared watches
// saw and its timers fired, and carries out the effects: progress events, the fail-fast and
// deadline timers, deleting a hopeless Job, following container logs, and at the end the result.
// It owns no watch and writes no file: the orchestrator feeds it and saves what it returns.
import type { ResolvedSuite } from "../config/resolve.js";
import { recentEvents } from "../diagnose/outcome.js";
import type { EventBody } from "../events/types.js";
import type { Job, KubeEvent, Pod } from "../k8s-types.js";
import type { ClusterPort } from "../kube/port.js";
import { checkedOutCommit } from "../render/clone-script.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../names.js";
import { runnerBanner } from "../render/runner-script.js";
import type { ArtifactsSummary, SuiteResult } from "../results/run-result.js";
import { ARTIFACTS_SUBDIR, COLLECTOR_CONTAINER, COLLECTOR_GRACE, LOG_FALLBACK } from "../names.js";
import { decidingPod } from "../diagnose/outcome.js";
import { humanBytes } from "../bytes.js";
import { shardIndexOf, shardVerdicts, testsEnded } from "../diagnose/shards.js";
import { mergeShards } from "../results/merge.js";
import type { ChangeType } from "../follow/kind-watch.js";
import { ContainerLogs } from "../follow/container-logs.js";
import type { CatchUp, CatchUpCause } from "../follow/log-follower.js";
import { COPY_MAX_TRIES, COPY_RETRY_MARGIN_MS, COPY_RETRY_MS, LIVE_CUT_BYTES, catchUpWhileCopyComes, fingerprint, holdHead, lateHead, newPodEcho } from "./pod-echo.js";
import type { PodEcho } from "./pod-echo.js";
import { CopyEcho } from "../follow/copy-echo.js";
import type { LogCopySink } from "./collect.js";
import { suiteResult } from "./suite-result.js";
import { initialState, step } from "./suite-state.js";
import type { Effect, Observation, StepContext, SuiteState, Verdict } from "./suite-state.js";
import type { SetTimer, Timer } from "../timers.js";
import type { TestCase } from "../results/model.js";
import { attemptKey } from "./attempt-key.js";

export interface SuiteRunDeps {
  port: ClusterPort;
  now: () => number;
  /** The run's timer scope. */
  setTimer: SetTimer;
  /** Progress, notes and log lines, as events without their envelope. */
  emit(e: EventBody): void;
  /** Where a container's log is saved (for the report). */
  logPath(suite: string, container: string): string;
  /** Called when a suite gives up on a hopeless Job, so it does not linger. */
  deleteJob(job: string): Promise<void>;
  /**
   * Copies the pod's artifacts and complete log out of its collector now (while it still runs);
   * the returned function takes them into the report folder `key` (once the pod's log followers
   * are done) and reads the suite's JUnit. `onLogCopy`: called at the log copy's start with its
   * size, may return a sink that takes its bytes as they stream in.
   */
  collect(key: string, pod: string, suite: ResolvedSuite, onLogCopy?: (size: number) => LogCopySink | undefined): Promise<Fetched>;
  /** Saves a log line to report folder `key` without an event (one already echoed from the pod's copy). */
  saveLine(key: string, container: string, line: string, pod: string): void;
  /** Without pods/exec: takes the artifacts the collector printed (a gzipped tar) into folder `key`. */
  collectFromLog(key: string, suite: ResolvedSuite, archive: Buffer): Promise<CollectOutcome>;
}

/** A pod's output, copied out: a way to take it into the report, or to drop it (a copy taken again). */
export interface Fetched {
  take(): Promise<CollectOutcome>;
  discard(): void;
}

export interface CollectOutcome {
  artifactsDir?: string;
  files: number;
  bytes: number;
  dropped: string[];
  /** The limit that applied. */
  limitBytes: number;
  /** Lines the live follow delivered, and lines in the pod's own copy (when it came back). */
  streamedLines: number;
  copyLines?: number;
  error?: string;
  /** The test cases of the suite's JUnit, when it wrote one. */
  tests?: TestCase[];
  /** Why the JUnit could not be read (malformed XML). */
  junitProblem?: string;
}

export interface SuiteRunOptions {
  /** How long a pull error, unschedulable pod or missing Secret may last before it is the verdict. */
  failFastMs: number;
  /** Our own deadline beyond the Job's activeDeadlineSeconds, in case the cluster never says. */
  deadlineSlackMs: number;
  keep: boolean;
  /** How long the logs of terminated containers may take to be read to the end after the verdict. */
  logDrainMs?: number;
  /** 1 for the first Job of a suite, n for its (n-1)th retry. */
  attempt?: number;
  /** The suite has retries: each attempt's files go to <suite>/attempt-<n>/ and events carry the attempt. */
  tracked?: boolean;
  /** "log": pods/exec is denied; the collector's log brings small artifacts instead. */
  collectVia?: "exec" | "log";
  /** Left to echo above which a live follow is cut for the pod's copy (default LIVE_CUT_BYTES). */
  liveCutBytes?: number;
  /** Waits before taking a broken log copy again (default COPY_RETRY_MS, the last one repeated). */
  copyRetryMs?: readonly number[];
  /** How long after the last copy that reached the collector retries go on (default: its idle grace less a margin). */
  copyRetryBudgetMs?: number;
}

/** What a finished suite hands the orchestrator: the result, and the objects worth saving. */
export interface SuiteOutcome {
  result: SuiteResult;
  attempt: number;
  /** This attempt's test cases (from its JUnit). */
  tests?: TestCase[];
  job: Job | null;
  pods: Pod[];
  events: KubeEvent[];
}

const TAIL_LINES = 20;

export class SuiteRun {
  readonly suite: ResolvedSuite;
  readonly jobName: string;
  private readonly deps: SuiteRunDeps;
  private readonly opts: SuiteRunOptions;
  private state: SuiteState = initialState;
  private problemTimer: Timer | undefined;
  private deadlineTimer: Timer | undefined;
  private readonly logs: ContainerLogs;
  private readonly tails = new Map<string, string[]>();
  private commit: string | undefined;
  private tests: TestCase[] | undefined;
  /** Collections started, by pod: each as soon as that pod's tests ended. */
  private readonly fetched = new Map<string, { key: string; shard?: number; adopt: Promise<Fetched> }>();
  /** What of each pod's test-runner output was echoed, live and from its copies (see PodEcho). */
  private readonly echoed = new Map<string, PodEcho>();
  private readonly wheres = new Map<string, { suite: string; attempt?: number; shard?: number; pod: string; container: string }>();
  /** The report folder of this attempt: <suite> or <suite>/attempt-<n>. */
  readonly key: string;
  readonly attempt: number;
  private readonly viaLog: boolean;
  /** The collector's log (only without pods/exec): where the fallback archive comes from. */
  private readonly collectorLines: string[] = [];
  private resolveOutcome!: (r: SuiteOutcome) => void;
  readonly outcome: Promise<SuiteOutcome> = new Promise((r) => (this.resolveOutcome = r));

  constructor(suite: ResolvedSuite, jobName: string, deps: SuiteRunDeps, opts: SuiteRunOptions) {
    this.suite = suite;
    this.jobName = jobName;
    this.deps = deps;
    this.opts = opts;
    this.attempt = opts.attempt ?? 1;
    this.key = opts.tracked ? attemptKey(suite.name, this.attempt) : suite.name;
    this.viaLog = opts.collectVia === "log";
    this.logs = new ContainerLogs(deps.port, suite.namespace, [CLONE_CONTAINER, TEST_CONTAINER, ...(this.viaLog ? [COLLECTOR_CONTAINER] : [])], {
      onLine: (container, line, pod, ts) => this.line(container, line, pod, ts),
      onResume: (why) => deps.emit({ type: "suite.note", suite: suite.name, level: "verbose", text: why }),
      setTimer: deps.setTimer,
      after: { [TEST_CONTAINER]: CLONE_CONTAINER },
      catchUp: (pod, container, cause) => this.catchUp(pod, container, cause),
    });
  }

  get done(): boolean {
    return this.state.finished !== undefined;
  }

  private get interrupted(): boolean {
    return this.state.finished?.verdict.verdict === "interrupted";
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
    return { now: this.deps.now(), suite: this.suite, jobName: this.jobName, failFastMs: this.opts.failFastMs, deadlineSlackMs: this.opts.deadlineSlackMs, keep: this.opts.keep };
  }

  private observe(o: Observation): void {
    const wasFinished = this.done;
    const next = step(this.state, o, this.context());
    this.state = next.state;
    for (const e of next.effects) this.apply(e);
    // Followers start once a container runs, and learn when it has ended (also after the verdict).
    if (this.state.startedAt !== undefined && (o.type === "pod" || o.type === "created")) {
      this.logs.feed(this.state.pods.values(), wasFinished);
      this.startCollects();
    }
  }

  private apply(e: Effect): void {
    const suite = this.suite.name;
    switch (e.type) {
      case "phase":
        return this.deps.emit({ type: "suite.phase", suite, phase: e.phase, detail: e.detail });
      case "note":
        return this.deps.emit({ type: "suite.note", suite, level: "info", text: e.text });
      case "armProblemTimer":
        this.problemTimer?.cancel();
        this.problemTimer = this.deps.setTimer(() => this.observe({ type: "problemTimer" }), e.ms);
        return;
      case "cancelProblemTimer":
        this.problemTimer?.cancel();
        this.problemTimer = undefined;
        return;
      case "armDeadline":
        this.deadlineTimer?.cancel();
        this.deadlineTimer = this.deps.setTimer(() => this.observe({ type: "deadline" }), e.ms);
        return;
      case "finish":
        void this.finish(e.verdict, e.deleteJob);
        return;
    }
  }

  private shardOf(pod: Pod | undefined): number | undefined {
    return (this.suite.shards ?? 1) > 1 && pod ? shardIndexOf(pod) : undefined;
  }

  /** Without pods/exec: the archive the collector printed between its markers, or why there is none. */
  private async collectViaLog(notes: string[]): Promise<ArtifactsSummary> {
    const begin = this.collectorLines.indexOf(LOG_FALLBACK.begin);
    const end = this.collectorLines.indexOf(LOG_FALLBACK.end);
    const prefix = `${LOG_FALLBACK.tooBig} ${ARTIFACTS_SUBDIR}/`;
    const dropped = this.collectorLines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
    const denied = `pods/exec is forbidden: only files up to ${LOG_FALLBACK.fileLimitKiB} KiB come back (through the collector's log), the complete log copy stays in the pod (grant "create" on pods/exec)`;
    if (begin === -1 || end <= begin) {
      notes.push(`no artifacts collected: the collector printed none; ${denied}`);
      return { files: 0, bytes: 0, dropped, logComplete: false, problem: "pods/exec is forbidden and the collector printed no artifacts" };
    }
    const archive = Buffer.from(this.collectorLines.slice(begin + 1, end).join(""), "base64");
    const c = await this.deps.collectFromLog(this.key, this.suite, archive);
    this.tests = c.tests;
    notes.push(`artifacts: ${c.files} file(s) came back${dropped.length ? `, ${dropped.length} left in the pod: ${dropped.join(", ")}` : ""}; ${denied}`);
    return { ...(c.artifactsDir ? { dir: c.artifactsDir } : {}), files: c.files, bytes: c.bytes, dropped, logComplete: false, problem: "pods/exec is forbidden" };
  }

  /** Starts the copy of every pod whose tests have ended (once per pod). */
  private startCollects(): void {
    for (const pod of this.state.pods.values()) if (testsEnded(pod)) this.startCollect(pod);
  }

  /** Starts copying a pod's output while its collector runs (not for a disrupted or deleted pod). */
  private startCollect(pod: Pod): void {
    if (this.viaLog) return;
    const name = pod.metadata?.name ?? "";
    if (!name || this.fetched.has(name) || pod.metadata?.deletionTimestamp || this.interrupted) return;
    if (pod.status?.conditions?.some((c) => c.type === "DisruptionTarget" && c.status === "True")) return;
    const collector = pod.status?.initContainerStatuses?.find((c) => c.name === COLLECTOR_CONTAINER);
    if (!collector?.state?.running) return;
    const shard = this.shardOf(pod);
    const key = shard !== undefined ? `${this.key}/shard-${shard}` : this.key;
    const t0 = this.deps.now();
    const adopt = this.deps.collect(key, name, this.suite, (size) => this.copyArrives(name, shard, size));
    void adopt.then(() => this.deps.emit({ type: "suite.note", suite: this.suite.name, level: "verbose", text: `output of pod/${name} copied out in ${((this.deps.now() - t0) / 1000).toFixed(2)}s` }));
    this.fetched.set(name, { key, ...(shard !== undefined ? { shard } : {}), adopt });
  }

  /** Every pod's output into the report once its logs are read; what did not come back is said. */
  private async collect(verdict: Verdict, notes: string[]): Promise<ArtifactsSummary | undefined> {
    if (this.viaLog) return this.collectViaLog(notes);
    const pod = decidingPod([...this.state.pods.values()]);
    if (pod && this.fetched.size === 0) this.startCollect(pod);
    const why = verdict.class === "oomKilled" ? "the test container was OOMKilled" : undefined;
    if (this.fetched.size === 0) {
      const collector = pod?.status?.initContainerStatuses?.find((c) => c.name === COLLECTOR_CONTAINER);
      if (!pod?.metadata?.name || !collector) return undefined;
      notes.push(`no artifacts collected: the collector in pod/${pod.metadata.name} had already stopped${why ? ` (${why})` : ""}`);
      return { files: 0, bytes: 0, dropped: [], logComplete: false, problem: "the collector had already stopped" };
    }
    const total: ArtifactsSummary = { files: 0, bytes: 0, dropped: [], logComplete: true };
    const shardTests: { index: number; tests: TestCase[] }[] = [];
    for (const [podName, f] of this.fetched) {
      const c = await (await f.adopt).take();
      const where = f.shard !== undefined ? `shard #${f.shard} (pod/${podName})` : `pod/${podName}`;
      if (f.shard === undefined) this.tests = c.tests;
      else shardTests.push({ index: f.shard, tests: c.tests ?? [] });
      if (c.junitProblem) notes.push(`JUnit of ${where}: ${c.junitProblem}`);
      total.files += c.files;
      total.bytes += c.bytes;
      total.dropped.push(...c.dropped);
      if (c.artifactsDir) total.dir = this.fetched.size > 1 ? c.artifactsDir.replace(/\/shard-\d+\/artifacts$/, "") : c.artifactsDir;
      total.logComplete &&= c.copyLines !== undefined;
      if (c.error) {
        total.problem = c.error;
        notes.push(`artifacts: could not copy them out of ${where}: ${c.error}${c.files ? ` (${c.files} file(s) came back)` : ""}`);
      } else if (!c.files && why) notes.push(`no artifacts: ${why} before writing any`);
      if (c.dropped.length) notes.push(`artifacts of ${where} over the ${humanBytes(c.limitBytes)} limit: kept ${c.files} file(s) (${humanBytes(c.bytes)}), dropped ${c.dropped.length}: ${c.dropped.slice(0, 10).join(", ")}${c.dropped.length > 10 ? ", …" : ""}`);
      const { liveLines: live, copyLines: fromCopy, copy } = this.echoOf(podName);
      if (c.copyLines !== undefined && copy?.echo.found) {
        const lost = c.copyLines - live - fromCopy;
        const text = `live echo of ${where} was cut for the pod's own copy of its log, echoed as it came: ${live} of ${c.copyLines} lines echoed live, the last ${fromCopy} from the copy${lost > 0 ? `, ${lost} not echoed (the kubelet rotated them away before they were read)` : ""}; the saved test-runner log is that copy, complete`;
        notes.push(text);
        this.deps.emit({ type: "suite.note", suite: this.suite.name, level: lost > 0 ? "warning" : "info", text });
      } else if (c.copyLines !== undefined && c.copyLines > c.streamedLines) {
        const text = `live echo of ${where} missed ${c.copyLines - c.streamedLines} of ${c.copyLines} lines (the kubelet rotated them away before they were read); the saved test-runner log is the pod's own copy, complete`;
        notes.push(text);
        this.deps.emit({ type: "suite.note", suite: this.suite.name, level: "warning", text });
      }
    }
    if (shardTests.length) {
      const merged = mergeShards(shardTests);
      this.tests = merged.tests;
      for (const d of merged.duplicates) notes.push(`test ${d.id} ran in more than one shard: #${d.shards.join(", #")}`);
    }
    return total;
  }

  /**
   * What a log event of this attempt names: suite, attempt (when tracked), shard, pod, container.
   * Built once per pod and container: every line of a run is an event.
   */
  private logWhere(pod: string, container: string, knownShard?: number) {
    const key = `${pod}/${container}`;
    let where = this.wheres.get(key);
    if (!where) {
      const shard = knownShard ?? this.shardOf(this.state.pods.get(pod));
      where = { suite: this.suite.name, ...(this.opts.tracked ? { attempt: this.attempt } : {}), ...(shard !== undefined ? { shard } : {}), pod, container };
      this.wheres.set(key, where);
    }
    return where;
  }

  /**
   * A test container's follow is still open after the container ended, or broke then. While the
   * pod's own copy is coming, a read from the last timestamp (which misses what the kubelet
   * rotated into another file) never takes over: the follow goes on (it reads a rotated file to
   * its end) until the copy's header decides, and a broken follow hands over to the copy.
   */
  private catchUp(pod: string, container: string, cause: CatchUpCause): CatchUp {
    if (container !== TEST_CONTAINER) return "read";
    const e = this.echoOf(pod);
    // The container ended with the follow's head undecided: a headless follow hands over now.
    this.settleHead(pod, e, "mark");
    if (e.headless && !e.copy) return "handOver";
    if (this.viaLog || this.interrupted || !this.fetched.has(pod)) return "read";
    return catchUpWhileCopyComes(e, cause);
  }


  /**
   * The pod's own copy of its log starts to come: when the live follow is more than liveCutBytes
   * behind, it is cut, and the copy's lines after the last ones echoed live are echoed as the copy
   * streams in (log events with fromCopy; the copy itself becomes the saved log).
   */
  private copyArrives(pod: string, shard: number | undefined, size: number): LogCopySink | undefined {
    if (this.interrupted) return undefined;
    // A copy taken again after one broke off: its follow is cut already.
    const e = this.echoOf(pod);
    e.reachedAt = this.deps.now();
    this.settleHead(pod, e, "cutOrMark");
    if (!e.copy && e.headless) {
      this.deps.emit({ type: "suite.note", suite: this.suite.name, level: "verbose", text: `live follow of pod/${pod} cut about ${humanBytes(size)} behind: it had started after the kubelet rotated the log's first lines away; all of its output is echoed from the pod's own copy as it comes` });
    } else if (!e.copy && e.handedOver) {
      this.deps.emit({ type: "suite.note", suite: this.suite.name, level: "verbose", text: `live follow of pod/${pod} broke after its container ended: the rest of its output is echoed from the pod's own copy as it comes` });
    } else if (!e.copy) {
      if (e.declined) return undefined;
      const behind = size - e.liveBytes;
      if (behind <= (this.opts.liveCutBytes ?? LIVE_CUT_BYTES) || !this.logs.cut(pod, TEST_CONTAINER)) {
        e.declined = true;
        return undefined;
      }
      this.deps.emit({ type: "suite.note", suite: this.suite.name, level: "verbose", text: `live follow of pod/${pod} cut about ${humanBytes(behind)} behind: the rest of its output is echoed from the pod's own copy as it comes` });
    }
    const tail = [...e.last];
    const where = this.logWhere(pod, TEST_CONTAINER, shard);
    const echo = new CopyEcho({
      tail,
      skipLines: e.liveLines + e.copyLines - tail.length,
      onLine: (line) => {
        e.copyLines++;
        this.pushTail(TEST_CONTAINER, line);
        fingerprint(e, line);
        this.deps.emit({ type: "log", ...where, line, fromCopy: true });
      },
    });
    const entry: { echo: CopyEcho; complete?: boolean } = { echo };
    e.copy = entry;
    // An interrupted suite's outcome does not wait for its copies: nothing is echoed after it.
    return {
      write: (chunk) => {
        if (!this.interrupted) echo.write(chunk);
      },
      // A copy cut short: its partial last line is not echoed; the next copy or the resumed follow brings it whole.
      end: (complete) => {
        entry.complete = complete;
        e.reachedAt = this.deps.now();
        if (complete && !this.interrupted) echo.end();
      },
    };
  }

  /**
   * A copy that broke off after its pod's follow was cut is taken again, continuing the echo
   * after the last line echoed; when no copy comes whole, the follow resumes where it was cut
   * (its first lines, as many as the copies echoed, are saved but not echoed again). Called by
   * finish() only for a verdict other than interrupted.
   */
  private async resumeBrokenCopies(): Promise<void> {
    for (const [pod, f] of this.fetched) {
      const e = this.echoOf(pod);
      if (!e.copy && !e.handedOver) continue;
      await f.adopt.catch(() => undefined);
      const waits = this.opts.copyRetryMs ?? COPY_RETRY_MS;
      const budget = this.opts.copyRetryBudgetMs ?? COLLECTOR_GRACE.idleS * 1000 - COPY_RETRY_MARGIN_MS;
      // The collector's idle grace restarts whenever a copy reaches it; before any did, it runs from the first try.
      const since = e.reachedAt ?? this.deps.now();
      let tries = 1;
      for (; tries < COPY_MAX_TRIES && !e.copy?.complete; tries++) {
        const ms = waits[Math.min(tries - 1, waits.length - 1)] ?? 0;
        if (this.deps.now() + ms - (e.reachedAt ?? since) > budget) break;
        this.deps.emit({ type: "suite.note", suite: this.suite.name, level: "verbose", text: `the copy of pod/${pod}'s log ${e.copy ? "broke off" : "did not come"} (${e.copyLines} line(s) echoed from copies so far); copying it again in ${ms} ms` });
        await new Promise<void>((r) => this.deps.setTimer(r, ms));
        void f.adopt.then((x) => x.discard(), () => undefined);
        f.adopt = this.deps.collect(f.key, pod, this.suite, (size) => this.copyArrives(pod, f.shard, size));
        await f.adopt.catch(() => undefined);
      }
      if (e.copy?.complete) continue;
      e.skip = e.copyLines;
      e.resumed = true;
      this.deps.emit({ type: "suite.note", suite: this.suite.name, level: "warning", text: `no copy of pod/${pod}'s log came whole in ${tries} tries (${e.copyLines} line(s) echoed from them); its live follow resumes where it was cut (lines the kubelet rotated away since are in no saved log)` });
      this.logs.resume(pod, TEST_CONTAINER);
    }
    await this.logs.settled();
  }

  private echoOf(pod: string): PodEcho {
    let e = this.echoed.get(pod);
    if (!e) this.echoed.set(pod, (e = newPodEcho()));
    return e;
  }

  private pushTail(container: string, text: string): void {
    const tail = this.tails.get(container) ?? [];
    tail.push(text);
    if (tail.length > TAIL_LINES) tail.shift();
    this.tails.set(container, tail);
  }

  private line(container: string, text: string, pod: string, kubeletTs: string): void {
    if (container === COLLECTOR_CONTAINER) return void this.collectorLines.push(text);
    const e = container === TEST_CONTAINER ? this.echoOf(pod) : undefined;
    // Cut for the pod's copy: a line the follow still delivers is the copy's to echo.
    if (e && (e.copy || e.handedOver) && !e.resumed) return;
    if (e && !e.headDecided && e.liveLines === 0 && !e.skip) {
      const status = this.state.pods.get(pod)?.status?.containerStatuses?.find((c) => c.name === TEST_CONTAINER)?.state;
      const held = holdHead(e, text, kubeletTs, runnerBanner(this.suite.name), status?.running?.startedAt ?? status?.terminated?.startedAt);
      if (held !== "hold") this.decideHead(pod, e, held === "headless" ? "cut" : "whole");
      return;
    }
    this.echoLine(container, text, pod, kubeletTs, e);
  }

  /** A line echoed live (and the pod's record of it kept), or saved only when a resumed follow brings it again. */
  private echoLine(container: string, text: string, pod: string, kubeletTs: string, e: PodEcho | undefined): void {
    if (e?.skip) {
      e.skip--;
      return this.deps.saveLine(this.fetched.get(pod)?.key ?? this.key, container, text, pod);
    }
    this.pushTail(container, text);
    const commit = container === CLONE_CONTAINER ? checkedOutCommit(text) : undefined;
    if (commit) this.commit = commit;
    if (e) {
      e.liveBytes += text.length + 1;
      e.liveLines++;
      fingerprint(e, text);
    }
    this.deps.emit({ type: "log", ...this.logWhere(pod, container), ...(kubeletTs ? { kubeletTs } : {}), line: text });
  }

  /**
   * A test container's follow whose first lines hold no runner banner started after the kubelet
   * had rotated the log's beginning into another file, which a follow never reads: its lines
   * would be echoed after a gap no copy can fill in order. Its first lines are held (holdHead):
   * the banner among them echoes them; without it the follow is cut, and the pod's own copy
   * echoes all of the output once the tests end (taken as for any cut follow).
   * `how`: "cut" while following (no cut, no hand-over: the held lines are echoed), "mark" when
   * the follower hands over itself, "cutOrMark" when the copy is coming.
   */
  private decideHead(pod: string, e: PodEcho, how: "whole" | "cut" | "mark" | "cutOrMark"): void {
    const held = e.head?.lines ?? [];
    e.headDecided = true;
    delete e.head;
    if (how !== "whole" && this.headless(pod, how)) return;
    for (const h of held) this.echoLine(TEST_CONTAINER, h.text, pod, h.ts, e);
  }

  /** A head still undecided when the follow ends or the copy comes: its first line's stamp decides (lateHead). */
  private settleHead(pod: string, e: PodEcho, how: "mark" | "cutOrMark" | "whole"): void {
    if (!e.headDecided && e.head) this.decideHead(pod, e, lateHead(e) ? how : "whole");
  }

  private headless(pod: string, how: "cut" | "mark" | "cutOrMark"): boolean {
    if (this.viaLog || this.interrupted) return false;
    // "cut" while following needs the follow cut now; "cutOrMark" tries it; "mark" has none to cut.
    const cut = how !== "mark" && this.logs.cut(pod, TEST_CONTAINER);
    if (how === "cut" && !cut) return false;
    const e = this.echoOf(pod);
    e.headless = true;
    e.handedOver = true;
    this.deps.emit({ type: "suite.note", suite: this.suite.name, level: "info", text: `the kubelet rotated the first lines of pod/${pod}'s test-runner log away before they could be followed: its output is echoed from the pod's own copy once the tests end` });
    return true;
  }

  private async finish(verdict: Verdict, deleteJob: boolean): Promise<void> {
    this.deadlineTimer?.cancel();
    const notes = [...this.state.notes];
    if (deleteJob) await this.deps.deleteJob(this.jobName).catch((e: { message?: string }) => notes.push(`could not delete job/${this.jobName}: ${e.message}`));
    // Terminated containers: wait for their logs to be read to the end. Anything still
    // running (interrupt, hopeless pod, our deadline) is stopped.
    // Without pods/exec the collector prints the artifacts when it stops, after the tests.
    this.logs.stopUnfinished(this.state.pods.values(), verdict.verdict === "interrupted", this.viaLog && verdict.verdict !== "interrupted" ? new Set([COLLECTOR_CONTAINER]) : new Set());
    const drain = this.deps.setTimer(() => this.logs.stopAll(), this.opts.logDrainMs ?? 60_000);
    // A live follow far behind (a burst of output) need not be waited for: when the pod's own
    // copy of its log starts to come, it is cut and the copy echoes the rest (copyArrives).
    // The verdict is decided before observe() starts the copies for the status that decided it.
    if (verdict.verdict !== "interrupted") this.startCollects();
    await this.logs.settled();
    if (verdict.verdict !== "interrupted") await this.resumeBrokenCopies();
    drain.cancel();
    // Heads still held (no copy came for them): decided now, before the verdict.
    for (const [pod, e] of this.echoed) if (!e.headDecided && e.head) this.decideHead(pod, e, "whole");

    const artifacts = verdict.verdict === "interrupted" ? undefined : await this.collect(verdict, notes);
    const pods = [...this.state.pods.values()];
    const finishedAt = this.deps.now();
    const result = suiteResult({
      suite: this.suite,
      jobName: this.jobName,
      diagnosis: verdict,
      pods,
      events: this.state.events,
      tails: this.tails,
      phases: this.state.phases,
      notes,
      ...(this.commit ? { clonedCommit: this.commit } : {}),
      startedAt: this.state.startedAt ?? finishedAt,
      finishedAt,
      logPath: (c: string) => this.deps.logPath(this.key, c),
      ...(artifacts ? { artifacts } : {}),
    });
    const shardCount = this.suite.shards ?? 1;
    if (shardCount > 1) {
      const v = shardVerdicts(pods, shardCount);
      result.shards = [...v.values()].sort((a, b) => a.index - b.index).map((x) => ({ index: x.index, verdict: x.diagnosis.verdict, ...(x.diagnosis.class ? { class: x.diagnosis.class } : {}), pod: x.pod }));
      result.logs = Object.fromEntries([...v.keys()].sort((a, b) => a - b).flatMap((i) => [CLONE_CONTAINER, TEST_CONTAINER].map((c) => [`${c}#${i}`, this.deps.logPath(`${this.key}/shard-${i}`, c)])));
    }
    const names = new Set([this.jobName, ...this.state.pods.keys()]);
    this.resolveOutcome({ result, attempt: this.attempt, ...(this.tests ? { tests: this.tests } : {}), job: this.state.job ?? null, pods, events: recentEvents(this.state.events, names, 100) });
  }
}
