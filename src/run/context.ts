// What a run is given and the one context it hands down. PipelineDeps and PipelinePlan are the
// orchestrator's input (the library's run(), the tests). RunContext is what every level below it
// needs (the port, the clock and timers, the event stream, the abort signal, the report files,
// the run's settings), built once by the orchestrator (runContext) and handed down unchanged: the
// cluster session, a suite's attempts, the driver and the modules it calls all take it, none
// repacks it. runStream is the run's event stream: each body stamped, log lines saved, DNS errors noted.
import type { ResolvedSuite } from "../config/resolve.js";
import { isResolutionFailure } from "../diagnose/dns.js";
import { envelopeFactory } from "../events/envelope.js";
import type { Emit } from "../events/envelope.js";
import type { EventSink } from "../events/types.js";
import type { ClusterPort } from "../kube/port.js";
import type { SuiteHistory } from "../history/model.js";
import type { ReportReader } from "../config/report.js";
import type { ParsedTests } from "../results/model.js";
import type { RunResult } from "../results/run-result.js";
import type { Limiter } from "../limiter.js";
import type { SetTimer, TimerScope } from "../timers.js";
import { logKey } from "./attempt-key.js";
import { copySlots } from "./copy-slots.js";
import type { ReportFiles } from "./files.js";
import type { PreflightReport } from "./preflight.js";
import type { RunHistory } from "./history.js";

export interface ImageReady {
  suite: string;
  ref: string;
  action: "built" | "skipped" | "planned" | "reused";
  checkMs?: number;
  buildMs?: number;
  pushMs?: number;
}

export interface StageNotes {
  /** A line for humans (what was resolved, what was built). */
  info(text: string): void;
  /** A line of the image engine's own output. */
  engineLine(line: string): void;
}

export interface PipelineDeps {
  port: ClusterPort;
  now(): number;
  timers: TimerScope;
  /** Every event of the run, with its envelope. */
  emit: EventSink;
  files: ReportFiles;
  signal: AbortSignal;
  /** The source stage: git ref → commit, local working tree → overlay. Throws CouldNotRunError. */
  resolveSources(suites: readonly ResolvedSuite[], notes: StageNotes): Promise<ResolvedSuite[]>;
  /** Reads and parses a JUnit file the suite wrote (absent file: undefined). */
  readJunit(path: string, reader: ReportReader): ParsedTests | undefined;
  /** The build stage, called only when some suite is built. Throws CouldNotRunError. */
  build(suites: readonly ResolvedSuite[], notes: StageNotes): Promise<{ suites: ResolvedSuite[]; images: ImageReady[] }>;
  /**
   * The consumers of the final result (report.html, notifications), called once the saved logs are
   * closed and before result.json and run.finished: their warnings join the result; `emit` is the
   * run's own, for their notes.
   */
  finishing?(result: RunResult, emit: Emit): Promise<RunResult>;
  /** The suites' history store and how many runs it keeps; absent: no history (history.store none). */
  history?: RunHistory;
}

export interface PipelinePlan {
  runId: string;
  namespace: string;
  suites: ResolvedSuite[];
  concurrency: number;
  failFastMs: number;
  keep: boolean;
  /** The report directory as shown to the user. */
  reportDir: string;
  /** A flaky test (failed, then passed on a retry) fails its suite. */
  failOnFlaky?: boolean;
  artifactsLimitBytes?: number;
  deadlineSlackMs?: number;
  /** Left to echo above which a live follow is cut for the pod's copy (default LIVE_CUT_BYTES). */
  liveCutBytes?: number;
  /** Waits before taking a broken log copy again (default COPY_RETRY_MS). */
  copyRetryMs?: readonly number[];
  /** How long the API server has to answer the preflight (default PREFLIGHT_ANSWER_MS). */
  preflightAnswerMs?: number;
  /** How long after the last copy that reached the collector retries go on (tests). */
  copyRetryBudgetMs?: number;
  /** Each suite's run history (suite name → its last runs), read before the run; absent: none. */
  histories?: ReadonlyMap<string, SuiteHistory>;
  /** Artifact copies (pods/exec connections) at once (default DEFAULT_COPY_CONCURRENCY). */
  copyConcurrency?: number;
}

export interface RunContext {
  readonly port: ClusterPort;
  now(): number;
  /** The run's timer scope: disposed at the run's end, so no timer outlives it. */
  readonly setTimer: SetTimer;
  /** Progress, notes and log lines, as bodies: the run's stream stamps them (runStream). */
  readonly emit: Emit;
  /** Ctrl-C: the session interrupts every suite and deletes what the run created. */
  readonly signal: AbortSignal;
  /** The report directory. */
  readonly files: ReportFiles;
  /** Reads and parses a JUnit file the suite wrote (absent file: undefined). */
  readJunit(path: string, reader: ReportReader): ParsedTests | undefined;
  readonly runId: string;
  readonly namespace: string;
  readonly keep: boolean;
  /** How long a pull error, unschedulable pod or missing Secret may last before it is the verdict. */
  readonly failFastMs: number;
  /** Our own deadline beyond the Job's activeDeadlineSeconds, in case the cluster never says. */
  readonly deadlineSlackMs: number;
  /** A flaky test (failed, then passed on a retry) fails its suite. */
  readonly failOnFlaky: boolean;
  /** "log": the preflight found pods/exec denied; the collectors send small artifacts through their logs. */
  readonly collectVia: "exec" | "log";
  /** The run's copy slots: each artifact copy over pods/exec holds one (run/copy-slots.ts). */
  readonly copies: Limiter;
  readonly artifactsLimitBytes?: number;
  /** Left to echo above which a live follow is cut for the pod's copy (default LIVE_CUT_BYTES). */
  readonly liveCutBytes?: number;
  /** Waits before taking a broken log copy again (default COPY_RETRY_MS, the last one repeated). */
  readonly copyRetryMs?: readonly number[];
  /** How long after the last copy that reached the collector retries go on (default: its idle grace less a margin). */
  readonly copyRetryBudgetMs?: number;
  /** Each suite's history as read at the run's start (suite → history); empty without a store or when it could not be read. */
  readonly histories: ReadonlyMap<string, SuiteHistory>;
}

/**
 * The run's event stream over the caller's sink: each body stamped from the run's one clock, the
 * log lines saved (the saved logs are one more consumer), the suites whose output held a
 * name-resolution error noted (their verdict gets the DNS hint, run/dns-hint.ts). run.finished
 * is the last event of every run: nothing is said (or saved) after it.
 */
export function runStream(runId: string, o: { now(): number; files: ReportFiles; emit: EventSink }): { emit: Emit; unresolved: ReadonlySet<string> } {
  const envelope = envelopeFactory(runId, o.now);
  const unresolved = new Set<string>();
  let finished = false;
  const emit: Emit = (body) => {
    if (finished) return;
    const e = envelope(body);
    if (e.type === "log" && !e.fromCopy) o.files.appendLog(logKey(e.suite, e.attempt, e.shard), e.container, e.line, e.pod);
    if (e.type === "log" && isResolutionFailure(e.line)) unresolved.add(e.suite);
    o.emit(e);
    finished = e.type === "run.finished";
  };
  return { emit, unresolved };
}

/** The run's one context for the engine below the orchestrator: the caller's deps, the plan's settings, the run's stream. */
export function runContext(
  deps: PipelineDeps,
  plan: PipelinePlan,
  emit: Emit,
  report: PreflightReport,
  histories: ReadonlyMap<string, SuiteHistory> = new Map(),
): RunContext {
  const execDenied = report.denied.some((d) => d.resource === "pods" && d.subresource === "exec");
  return {
    port: deps.port,
    now: deps.now,
    setTimer: deps.timers.set,
    emit: (b) => emit(b),
    signal: deps.signal,
    files: deps.files,
    readJunit: (path, runner) => deps.readJunit(path, runner),
    runId: plan.runId,
    namespace: plan.namespace,
    keep: plan.keep,
    failFastMs: plan.failFastMs,
    deadlineSlackMs: plan.deadlineSlackMs ?? 60_000,
    failOnFlaky: plan.failOnFlaky ?? false,
    collectVia: execDenied ? "log" : "exec",
    copies: copySlots(plan.copyConcurrency),
    // The caller's own (RunOptions.histories: tests, the bench) are used as they are; else the store's.
    histories: plan.histories ?? histories,
    ...(plan.artifactsLimitBytes !== undefined ? { artifactsLimitBytes: plan.artifactsLimitBytes } : {}),
    ...(plan.liveCutBytes !== undefined ? { liveCutBytes: plan.liveCutBytes } : {}),
    ...(plan.copyRetryMs ? { copyRetryMs: plan.copyRetryMs } : {}),
    ...(plan.copyRetryBudgetMs !== undefined ? { copyRetryBudgetMs: plan.copyRetryBudgetMs } : {}),
  };
}
