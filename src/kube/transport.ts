// One connection to the API server for every call of a process, as kubectl has (link.ts: HTTP/2
// over TLS, or one keep-alive HTTP/1.1 pool for a plain-http server). Unary requests are capped
// in number and retried on 429/503 after the server's Retry-After (retry.ts), so a 1,000-suite
// run does not trip API Priority and Fairness into rejecting the user's other traffic. Every
// request is counted. A session that closes or goes away (the API server restarted, the network
// dropped) is replaced by a new connection on the next request; callers (watches, log follows)
// retry on their own, and onConnectivity tells them once when the server stops answering and
// once when it is back.
import type { IncomingHttpHeaders } from "node:http";
import { Limiter } from "../limiter.js";
import { toKubeError } from "./errors.js";
import { ServerLink } from "./link.js";
import type { Credentials, Opened } from "./link.js";
import type { ApiStats, Connectivity } from "./port.js";
import { MAX_ATTEMPTS, retryDelayMs } from "./retry.js";

/** A pending delay, cancellable (the run's timer abstraction is passed in: kube/ does not import run/). */
export type Sleep = (ms: number) => Promise<void>;

export interface TransportOptions {
  server: string;
  credentials: () => Promise<Credentials>;
  sleep: Sleep;
  /** Unary requests in flight at once (watches and log streams are not counted). */
  maxInFlight?: number;
  /** Attempts of a request answered 429/503 before its answer is returned. */
  maxAttempts?: number;
}

export interface UnaryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export const MAX_IN_FLIGHT = 8;
/**
 * Stream slots kept free of log follows besides the unary requests' MAX_IN_FLIGHT: a run's three
 * watches, their reconnects, and a margin.
 */
export const WATCH_STREAMS_RESERVE = 12;

export class Transport {
  readonly stats: ApiStats = { requests: 0, streams: 0, retries: 0, connections: 0, peakInFlight: 0, execs: 0, peakExecs: 0 };
  private openExecs = 0;
  /** The last request could not reach the server (refused, reset, DNS, TLS) and none has since. */
  private unreachable = false;
  private readonly connectivity = new Set<(c: Connectivity) => void>();
  /** Bumped by drop(): a request begun before it fails with its error. */
  private generation = 0;
  private dropped: { generation: number; error: Error } | undefined;
  /** The cap on unary requests in flight. */
  private readonly unaries: Limiter;
  /** The cap on log follows open at once (made at the first, once the server's stream limit is known). */
  private follows: Limiter | undefined;
  private readonly link: ServerLink;
  private readonly opts: TransportOptions;

  constructor(opts: TransportOptions) {
    this.opts = opts;
    this.unaries = new Limiter(opts.maxInFlight ?? MAX_IN_FLIGHT);
    this.link = new ServerLink(new URL(opts.server), this.stats);
  }

  /** Starts a request and resolves with the response head; the body streams (watch, logs). */
  async open(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Opened> {
    const creds = await this.opts.credentials();
    this.stats.requests++;
    const all = { ...creds.headers, ...headers };
    try {
      const opened = await this.link.open(creds, method, path, all, body);
      this.reached(undefined);
      return opened;
    } catch (err) {
      this.reached(err);
      throw err;
    }
  }

  /**
   * Called when the server stops answering (a request could not reach it) and when it answers
   * again: once per change, not per request. Returns the unsubscribe function.
   */
  onConnectivity(fn: (c: Connectivity) => void): () => void {
    this.connectivity.add(fn);
    return () => this.connectivity.delete(fn);
  }

  /** A request's outcome: an answer (err undefined) or an error; only unreachable errors count. */
  private reached(err: unknown): void {
    const e = err === undefined ? undefined : toKubeError(err);
    if (e && !e.unreachable) return;
    if (Boolean(e) === this.unreachable) return;
    this.unreachable = Boolean(e);
    const change: Connectivity = e ? { reachable: false, error: e } : { reachable: true };
    for (const fn of this.connectivity) fn(change);
  }

  /** A whole request: capped in number, retried on 429/503 after Retry-After. */
  async unary(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<UnaryResponse> {
    const generation = this.generation;
    const slot = await this.unaries.acquire();
    this.stats.peakInFlight = this.unaries.stats.peakActive;
    try {
      const attempts = this.opts.maxAttempts ?? MAX_ATTEMPTS;
      for (let attempt = 1; ; attempt++) {
        if (this.dropped && this.dropped.generation > generation) throw this.dropped.error;
        const r = await this.open(method, path, headers, body);
        const chunks: Buffer[] = [];
        for await (const c of r.body) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
        const res = { status: r.status, headers: r.headers, body: Buffer.concat(chunks) };
        const delay = retryDelayMs(res.status, res.headers["retry-after"], attempt, attempts);
        if (delay === undefined) return res;
        this.stats.retries++;
        await this.opts.sleep(delay);
      }
    } finally {
      slot?.release();
    }
  }

  /** A pods/exec connection (a WebSocket of its own, kube/exec.ts) opens: counted; the returned function says it closed. */
  execOpened(): () => void {
    this.stats.requests++;
    this.stats.connections++;
    this.stats.execs = (this.stats.execs ?? 0) + 1;
    this.stats.peakExecs = Math.max(this.stats.peakExecs ?? 0, ++this.openExecs);
    let open = true;
    return () => {
      if (open) this.openExecs--;
      open = false;
    };
  }

  /** A stream (watch, log follow) is counted as a request and kept apart in `streams`. */
  async stream(path: string, headers: Record<string, string> = {}): Promise<Opened> {
    this.stats.streams++;
    return this.open("GET", path, headers);
  }

  /**
   * A log follow, under a cap: the server takes only so many exchanges at once on the connection
   * (kube-apiserver: 100), and the rest wait unseen in the HTTP/2 stack, unary requests and watch
   * reconnects among them. 1,000 suites' follows (a follow lasts as long as its container) once
   * held every slot, and the run stalled, Ctrl-C's deletes queued behind them (issue 23). So
   * follows take at most the server's limit less MAX_IN_FLIGHT and WATCH_STREAMS_RESERVE; the
   * others wait here, in order, and begin as one ends (a late follow reads from its container's
   * start or its sinceTime: no line is lost).
   */
  async logStream(path: string): Promise<Opened> {
    const max = this.link.maxStreams();
    // A plain-http server (kubectl proxy) gives each exchange its own socket: nothing to share.
    if (max === Infinity) return this.stream(path);
    this.follows ??= new Limiter(Math.max(1, max - (this.opts.maxInFlight ?? MAX_IN_FLIGHT) - WATCH_STREAMS_RESERVE));
    this.stats.followLimit = this.follows.limit;
    const slot = await this.follows.acquire();
    this.stats.peakFollows = this.follows.stats.peakActive;
    this.stats.peakFollowsWaiting = this.follows.stats.peakWaiting;
    try {
      const opened = await this.stream(path);
      // Released when the stream is closed on our side (ended, broken or cancelled: the RST is sent).
      opened.body.once("close", () => slot?.release());
      return opened;
    } catch (err) {
      slot?.release();
      throw err;
    }
  }

  /**
   * The server did not answer in time (the caller's deadline): the connection is dropped, so every
   * exchange waiting on it fails now as unreachable (ETIMEDOUT) instead of holding the process
   * open; the next request opens a new connection.
   */
  drop(why: string): void {
    const err = Object.assign(new Error(why), { code: "ETIMEDOUT" });
    // Requests queued behind the in-flight cap fail too, rather than open a new connection.
    this.dropped = { generation: ++this.generation, error: err };
    this.link.destroy(err);
  }

  close(): void {
    this.link.close();
  }
}
