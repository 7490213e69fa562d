// The run's one event stream (RunEvent): every output — the terminal view, --events JSON lines,
// -o json, and later the HTML report, notifications and CI summaries — is a consumer of it.
// Versioned: a consumer checks `v`; fields are only ever added within a version.
import type { Phase } from "../diagnose/outcome.js";
import type { RanStatus } from "../results/model.js";
import type { FailureClass, Verdict } from "../diagnose/types.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";

export const EVENTS_VERSION = 1;

export interface EventBase {
  v: typeof EVENTS_VERSION;
  /** When incluster observed it: RFC 3339, UTC, millisecond precision. */
  ts: string;
  runId: string;
}

export type NoteLevel = "info" | "verbose" | "warning";

export type RunEvent =
  | (EventBase & { type: "run.started"; namespace: string; context: string; suites: string[] })
  | (EventBase & {
      type: "source.resolved";
      kind: "git" | "local" | "image";
      url?: string;
      ref?: string;
      commit?: string;
      overlay?: { files: number; deleted: number; bytes: number };
      text: string;
    })
  | (EventBase & {
      type: "image.ready";
      suite: string;
      ref: string;
      action: "built" | "skipped" | "planned" | "reused";
      platform?: string;
      checkMs?: number;
      buildMs?: number;
      pushMs?: number;
    })
  | (EventBase & { type: "build.output"; line: string })
  | (EventBase & { type: "suite.phase"; suite: string; phase: Phase; detail: string })
  /** A progress note about one suite (a pull error and its grace, an eviction, a reconnect). */
  | (EventBase & { type: "suite.note"; suite: string; level: NoteLevel; text: string })
  /** A run-level note (preflight failures, interrupt, deletions, warnings). */
  | (EventBase & { type: "run.note"; level: NoteLevel; text: string })
  | (EventBase & {
      type: "log";
      suite: string;
      /** For a suite with retries: which attempt (1 = the first Job). */
      attempt?: number;
      /** For a sharded suite: the shard (the Indexed Job's completion index). */
      shard?: number;
      pod: string;
      container: string;
      /** The kubelet's own timestamp of the line (RFC 3339, nanoseconds), when it gave one. */
      kubeletTs?: string;
      line: string;
      /**
       * The line came from the pod's own copy of its log, not the live follow: following fell
       * behind and was cut when the copy started to come; its lines are echoed as it streams in
       * (they are in the saved log already).
       */
      fromCopy?: true;
    })
  /**
   * The suites' histories were read at the start of the run (after the preflight): the store and
   * how many past runs each suite has; `problem` when they could not be read (the run goes on
   * without history, and a run.note warning says why once).
   */
  | (EventBase & { type: "history.read"; store: "cluster" | "dir"; where: string; suites: { suite: string; runs: number }[]; problem?: string })
  /**
   * A test's result is quarantined in this run: it ran, `outcome` is what it did, and it does not
   * fail its suite. `reason` as every output words it ("flaky in 6 of the last 20 runs", or the
   * entry's reason with its until); `rule`: a `quarantine:` entry or the automatic policy. One per
   * quarantined test, just before its suite's suite.verdict (whose result has them too).
   */
  | (EventBase & {
      type: "test.quarantined";
      suite: string;
      test: string;
      outcome: RanStatus;
      reason: string;
      until?: string;
      rule?: "entry" | "auto";
      /** For a sharded suite: the shard that ran it. */
      shard?: number;
    })
  /**
   * An attempt's verdict as soon as its Job and pods decide it (its tests ended, a hopeless pod, the
   * deadline, Ctrl-C), before its logs are read to the end and its results and artifacts are
   * copied (the copies queue for a slot: INCLUSTER_COPY_CONCURRENCY). suite.verdict follows with
   * the suite's result, its tests read from that copy. `retry`: the tests failed and retries are
   * left, so another attempt follows; the suite's verdict may still differ (a quarantined failure
   * passes, --fail-on-flaky fails a flaky pass).
   */
  | (EventBase & {
      type: "suite.decided";
      suite: string;
      attempt: number;
      verdict: Verdict;
      class?: FailureClass;
      reason?: string;
      message?: string;
      testExitCode?: number;
      retry: boolean;
    })
  | (EventBase & { type: "suite.verdict"; suite: string; result: SuiteResult })
  | (EventBase & { type: "run.finished"; result: RunResult });

export type RunEventType = RunEvent["type"];

/** Distributive Omit over the union: an event as a producer hands it over (no envelope yet). */
export type EventBody = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, keyof EventBase> : never) : never;

export type EventSink = (e: RunEvent) => void;
