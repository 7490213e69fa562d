// One connection to the API server for every call of a process, as kubectl has: HTTP/2 over TLS
// (one TCP connection multiplexing requests, watches and log streams), or one keep-alive
// HTTP/1.1 pool for a plain-http server (kubectl proxy). Unary requests are capped in number
// and retried on 429/503 after the server's Retry-After, so a 1,000-suite run does not trip API
// Priority and Fairness into rejecting the user's other traffic. Every request is counted.
// A session that closes or goes away (the API server restarted, the network dropped) is replaced
// by a new connection on the next request; callers (watches, log follows) retry on their own,
// and onConnectivity tells them once when the server stops answering and once when it is back.
import * as http from "node:http";
import * as http2 from "node:http2";
import { isIP } from "node:net";
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import { toKubeError } from "./errors.js";
import type { ApiStats, Connectivity } from "./port.js";

/** TLS material and per-request headers (a token may rotate), from the kubeconfig. */
export interface Credentials {
  tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized?: boolean; servername?: string };
  headers: Record<string, string>;
}

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

export interface Opened {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** Ends the exchange from our side (a watch or a log follow that is no longer wanted). */
  cancel(): void;
}

export interface UnaryResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export const MAX_IN_FLIGHT = 8;
const MAX_ATTEMPTS = 5;
const RETRY_AFTER_CAP_S = 30;
const RETRYABLE = new Set([429, 503]);

/** Seconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === "") return undefined;
  const secs = /^\d+$/.test(v.trim()) ? Number(v.trim()) : (Date.parse(v) - now) / 1000;
  if (!Number.isFinite(secs)) return undefined;
  return Math.min(Math.max(secs, 0), RETRY_AFTER_CAP_S) * 1000;
}

export class Transport {
  readonly stats: ApiStats = { requests: 0, streams: 0, retries: 0, connections: 0, peakInFlight: 0 };
  /** The last request could not reach the server (refused, reset, DNS, TLS) and none has since. */
  private unreachable = false;
  private readonly connectivity = new Set<(c: Connectivity) => void>();
  private session: http2.ClientHttp2Session | undefined;
  private agent: http.Agent | undefined;
  private active = 0;
  /** Bumped by drop(): a request begun before it fails with its error. */
  private generation = 0;
  private dropped: { generation: number; error: Error } | undefined;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  private readonly url: URL;
  private readonly opts: TransportOptions;

  constructor(opts: TransportOptions) {
    this.opts = opts;
    this.url = new URL(opts.server);
  }

  /** Starts a request and resolves with the response head; the body streams (watch, logs). */
  async open(method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Opened> {
    const creds = await this.opts.credentials();
    this.stats.requests++;
    const all = { ...creds.headers, ...headers };
    try {
      const opened = await (this.url.protocol === "http:" ? this.openHttp1(method, path, all, body) : this.openHttp2(creds, method, path, all, body));
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
    await this.acquire();
    try {
      const attempts = this.opts.maxAttempts ?? MAX_ATTEMPTS;
      for (let attempt = 1; ; attempt++) {
        if (this.dropped && this.dropped.generation > generation) throw this.dropped.error;
        const r = await this.open(method, path, headers, body);
        const chunks: Buffer[] = [];
        for await (const c of r.body) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
        const res = { status: r.status, headers: r.headers, body: Buffer.concat(chunks) };
        if (!RETRYABLE.has(res.status) || attempt >= attempts) return res;
        this.stats.retries++;
        await this.opts.sleep(retryAfterMs(res.headers["retry-after"]) ?? 250 * 2 ** attempt);
      }
    } finally {
      this.release();
    }
  }

  /** A stream (watch, log follow) is counted as a request and kept apart in `streams`. */
  async stream(path: string, headers: Record<string, string> = {}): Promise<Opened> {
    this.stats.streams++;
    return this.open("GET", path, headers);
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
    this.session?.destroy(err);
    this.session = undefined;
    this.agent?.destroy();
    this.agent = undefined;
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async acquire(): Promise<void> {
    const max = this.opts.maxInFlight ?? MAX_IN_FLIGHT;
    if (this.inFlight >= max) await new Promise<void>((r) => this.queue.push(r));
    this.inFlight++;
    this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.inFlight);
  }

  private release(): void {
    this.inFlight--;
    this.queue.shift()?.();
  }

  private h2session(creds: Credentials): http2.ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    this.stats.connections++;
    // SNI names a host, never an IP address (RFC 6066; Node warns DEP0123 on every run otherwise).
    const host = this.url.hostname.replace(/^\[|\]$/g, "");
    const s = http2.connect(this.url.origin, { ...creds.tls, ...(creds.tls.servername || isIP(host) ? {} : { servername: host }) });
    // Errors surface on the streams; a session that goes away is replaced on the next request.
    s.on("error", () => undefined);
    const drop = () => {
      if (this.session === s) this.session = undefined;
    };
    s.on("close", drop);
    s.on("goaway", drop);
    s.unref();
    this.session = s;
    return s;
  }

  // The session keeps the process alive only while an exchange is open: a finished run exits.
  private hold(): () => void {
    if (this.active++ === 0) this.session?.ref();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.active === 0) this.session?.unref();
    };
  }

  private openHttp2(creds: Credentials, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Opened> {
    return new Promise((resolve, reject) => {
      let session: http2.ClientHttp2Session;
      try {
        session = this.h2session(creds);
      } catch (err) {
        return reject(err);
      }
      const release = this.hold();
      const req = session.request({ ":method": method, ":path": path, ...headers }, { endStream: body === undefined });
      req.on("close", release);
      req.once("error", (err) => {
        release();
        reject(err);
      });
      req.once("response", (head) => {
        const status = Number(head[":status"]);
        resolve({ status, headers: head as IncomingHttpHeaders, body: req, cancel: () => req.close(http2.constants.NGHTTP2_CANCEL) });
      });
      if (body !== undefined) req.end(body);
    });
  }

  private openHttp1(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Opened> {
    this.agent ??= new http.Agent({ keepAlive: true });
    return new Promise((resolve, reject) => {
      const req = http.request({ protocol: "http:", host: this.url.hostname, port: this.url.port, method, path, headers, agent: this.agent });
      req.once("error", reject);
      req.once("response", (res) => {
        if (!req.reusedSocket) this.stats.connections++;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res, cancel: () => req.destroy() });
      });
      req.end(body);
    });
  }
}
