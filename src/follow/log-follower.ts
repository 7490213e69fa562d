// Follows one container's log to its end without losing or repeating a line: it starts only
// once the container runs (following a waiting container fails with PodInitializing), resumes
// a dropped stream from the last timestamp (sinceTime) and drops what it already has, and after
// the container has terminated does one last read to catch lines a cut stream missed. The pod
// watch's signal drives it: a stream that ends before the container did is not reopened in a
// loop; the final read starts when the watch shows the container terminated.
import type { ClusterPort, KubeError, WatchHandle } from "../kube/port.js";
import { acceptLine, resumeSince, splitLines, startCursor } from "./log-lines.js";
import type { LineCursor } from "./log-lines.js";
import type { SetTimer, Timer } from "../timers.js";

export interface LogTarget {
  namespace: string;
  pod: string;
  container: string;
}

export interface FollowerOptions {
  /** Receives each new line exactly once, in order; the kubelet's timestamp apart ("" if none). */
  onLine(text: string, kubeletTs: string): void;
  /** Verbose diagnostics: resumes and their reasons. */
  onResume?(why: string): void;
  /** The owner's timers: a pending resume is cancelled by stop(). */
  setTimer: SetTimer;
  /** Where an earlier follower of the same container stopped: only lines after it are new. */
  from?: LineCursor;
  /**
   * The container has ended and the follow is still open after TERMINATED_GRACE_MS ("grace"), or
   * broke ("broke"): a read from the last timestamp would take over, which cannot bring back lines
   * the kubelet rotated into another file meanwhile (it reads only the current one). The owner
   * may keep following instead ("wait": a follow reads a rotated file to its end), or hand over
   * to the pod's own copy of the log ("handOver": the follower stops, without a partial line).
   * Default: "read".
   */
  catchUp?(cause: CatchUpCause): CatchUp;
}

export type CatchUpCause = "grace" | "broke";
export type CatchUp = "read" | "wait" | "handOver";

/** A follow that ended cleanly while the watch still shows the container running is reopened after this. */
export const IDLE_RESUME_MS = 2000;
/** …doubling while such follows bring nothing new, up to this. */
export const IDLE_RESUME_MAX_MS = 16_000;
/** A follow still open this long after the container terminated is cut and the final read takes over. */
export const TERMINATED_GRACE_MS = 500;

export class LogFollower {
  private cursor: LineCursor = startCursor;
  private replayed = 0;
  private pending = "";
  private handle: WatchHandle | undefined;
  /** A follow stream is open. */
  private live = false;
  private terminated = false;
  private stopped = false;
  private failures = 0;
  /** Clean ends of a follow in a row that brought no new line, and whether the current one did. */
  private idleEnds = 0;
  private gotNew = false;
  private retry: Timer | undefined;
  private resolveDone!: () => void;
  /** Resolves when every line has been delivered (or the follower was stopped). */
  readonly done: Promise<void> = new Promise((r) => (this.resolveDone = r));
  resumes = 0;

  private readonly port: ClusterPort;
  readonly target: LogTarget;
  private readonly opts: FollowerOptions;

  constructor(port: ClusterPort, target: LogTarget, opts: FollowerOptions) {
    this.port = port;
    this.target = target;
    this.opts = opts;
    if (opts.from) this.cursor = opts.from;
  }

  /** Follows the log; told already that the container ended, reads it once. */
  start(): void {
    this.open(!this.terminated);
  }

  /** The last line delivered: a later follower of the same container takes over from here. */
  get position(): LineCursor {
    return this.cursor;
  }

  /** The watch saw the container terminate: read what is left, once. */
  containerTerminated(): void {
    if (this.terminated || this.stopped) return;
    this.terminated = true;
    if (this.live) this.graceCheck();
    else if (this.retry) {
      this.retry.cancel();
      this.retry = undefined;
      this.open(false);
    }
  }

  /**
   * The kubelet ends a follow when the container exits; one still open after a grace (a simulated
   * node, a backlog) is cut and the final read takes over from the last timestamp. Told to wait
   * (the pod's copy of the log is coming), it asks again after another grace: kwok's follows never
   * end, and the copy may decline to take over.
   */
  private graceCheck(): void {
    this.retry = this.opts.setTimer(() => {
      this.retry = undefined;
      if (!this.live) return;
      const how = this.opts.catchUp?.("grace") ?? "read";
      if (how === "wait") return this.graceCheck();
      if (how === "handOver") return this.stop(false);
      const from = resumeSince(this.cursor) ?? "start";
      this.opts.onResume?.(`log of ${this.target.container}: follow still open ${TERMINATED_GRACE_MS} ms after the container ended; final read from ${from}`);
      this.handle?.stop();
      this.live = false;
      this.pending = "";
      this.open(false);
    }, TERMINATED_GRACE_MS);
  }

  /** Every line has been delivered, or the follower was stopped. */
  get finished(): boolean {
    return this.stopped;
  }

  /** `flush`: deliver a partial last line as a line (false when the pod's own copy takes over: it has the line whole). */
  stop(flush = true): void {
    if (this.stopped) return;
    this.stopped = true;
    this.retry?.cancel();
    this.handle?.stop();
    if (flush) this.flushPending();
    this.resolveDone();
  }

  private open(follow: boolean): void {
    if (this.stopped) return;
    this.replayed = 0;
    this.pending = "";
    const since = resumeSince(this.cursor);
    this.live = follow;
    this.handle = this.port.logs(
      { ...this.target, follow, ...(since ? { sinceTime: since } : {}) },
      {
        onData: (chunk) => this.take(chunk),
        onClose: (err) => this.closed(follow, err),
      },
    );
  }

  private take(chunk: string): void {
    this.failures = 0;
    const { lines, rest } = splitLines(this.pending, chunk);
    this.pending = rest;
    for (const line of lines) {
      const r = acceptLine(this.cursor, this.replayed, line);
      this.cursor = r.cursor;
      this.replayed = r.replayedAtLast;
      if (r.accept) {
        this.gotNew = true;
        this.opts.onLine(line.text, line.ts);
      }
    }
  }

  private flushPending(): void {
    if (!this.pending) return;
    this.take("\n");
  }

  private closed(wasFollow: boolean, err: KubeError | undefined): void {
    if (this.stopped) return;
    // A follow cut by containerTerminated(): its final read is already under way.
    if (wasFollow && !this.live && this.terminated) return;
    this.live = false;
    this.retry?.cancel();
    this.retry = undefined;
    if (err?.status === 404) {
      // The pod is gone: nothing more can be read.
      this.opts.onResume?.(`log of ${this.target.pod}/${this.target.container}: pod gone (${err.message})`);
      return this.stop();
    }
    if (!wasFollow && !err) {
      // The catch-up read after termination is complete.
      this.flushPending();
      return this.stop();
    }
    if (err && this.terminated && wasFollow && this.opts.catchUp?.("broke") === "handOver") {
      this.opts.onResume?.(`log of ${this.target.container}: stream broke (${err.message}) after the container ended; the pod's own copy takes over`);
      return this.stop(false);
    }
    if (err) this.failures++;
    this.resumes++;
    const from = resumeSince(this.cursor) ?? "start";
    const broke = err ? `stream broke (${err.message})` : undefined;
    if (this.terminated) {
      this.opts.onResume?.(`log of ${this.target.container}: ${broke ?? "stream ended"}; final read from ${from}`);
    } else {
      this.opts.onResume?.(`log of ${this.target.container}: ${broke ?? "stream ended before the container did"}; resuming from ${from}`);
    }
    // Partial last line: it will come again whole from the resumed stream.
    this.pending = "";
    // Errors back off; a clean end before the container's waits for the watch's signal
    // (containerTerminated), with a slow resume in case the stream was cut while it runs.
    // A clean end with nothing new since the last one doubles the wait (up to IDLE_RESUME_MAX_MS):
    // a server that ends every follow at once (kwok's) costs a few requests, not one per 2 s.
    if (!err && !this.terminated) this.idleEnds = this.gotNew ? 1 : this.idleEnds + 1;
    this.gotNew = false;
    const idle = Math.min(IDLE_RESUME_MS * 2 ** (this.idleEnds - 1), IDLE_RESUME_MAX_MS);
    const delay = err ? Math.min(250 * 2 ** Math.min(this.failures - 1, 4), 4000) : this.terminated ? 0 : idle;
    this.retry = this.opts.setTimer(() => {
      this.retry = undefined;
      this.open(!this.terminated);
    }, delay);
  }
}
