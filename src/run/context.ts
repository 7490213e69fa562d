// The run's one context: what every level of the engine needs (the port, the clock and timers,
// the event stream, the abort signal, the report files, the run's settings), built once by the
// orchestrator and handed down unchanged: the cluster session, a suite's attempts, the driver
// and the modules it calls all take it, none repacks it. Also the run's event stream itself:
// every body stamped with its envelope, log lines saved, name-resolution errors noted.
import { isResolutionFailure } from "../diagnose/dns.js";
import { envelopeFactory } from "../events/envelope.js";
import type { Emit } from "../events/envelope.js";
import type { EventSink } from "../events/types.js";
import type { ClusterPort } from "../kube/port.js";
import type { JunitRunner } from "../results/junit.js";
import type { ParsedTests } from "../results/model.js";
import type { SetTimer } from "../timers.js";
import { logKey } from "./attempt-key.js";
import type { ReportFiles } from "./files.js";

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
  readJunit(path: string, runner: JunitRunner): ParsedTests | undefined;
  readonly runId: string;
  readonly namespace: string;
  readonly keep: boolean;
  /** How long a pull error, unschedulable pod or missing Secret may last before it is the verdict. */
  readonly failFastMs: number;
  /** Our own deadline beyond the Job's activeDeadlineSeconds, in case the cluster never says. */
  readonly deadlineSlackMs: number;
  /** "log": the preflight found pods/exec denied; the collectors send small artifacts through their logs. */
  readonly collectVia: "exec" | "log";
  readonly artifactsLimitBytes?: number;
  /** Left to echo above which a live follow is cut for the pod's copy (default LIVE_CUT_BYTES). */
  readonly liveCutBytes?: number;
  /** Waits before taking a broken log copy again (default COPY_RETRY_MS, the last one repeated). */
  readonly copyRetryMs?: readonly number[];
  /** How long after the last copy that reached the collector retries go on (default: its idle grace less a margin). */
  readonly copyRetryBudgetMs?: number;
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
