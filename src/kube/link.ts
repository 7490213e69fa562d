// The one link to the API server: an HTTP/2 session over TLS (one TCP connection multiplexing
// requests, watches and log streams), or one keep-alive HTTP/1.1 agent for a plain-http server
// (kubectl proxy). A session that closes or goes away is replaced on the next exchange. Counts
// the connections it opens into the transport's stats.
import * as http from "node:http";
import * as http2 from "node:http2";
import { isIP } from "node:net";
import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
import type { ApiStats } from "./port.js";

/** TLS material and per-request headers (a token may rotate), from the kubeconfig. */
export interface Credentials {
  tls: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer; rejectUnauthorized?: boolean; servername?: string };
  headers: Record<string, string>;
}

export interface Opened {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** Ends the exchange from our side (a watch or a log follow that is no longer wanted). */
  cancel(): void;
}

/** RFC 9113 §6.5.2: SETTINGS_MAX_CONCURRENT_STREAMS is recommended to be no smaller than this. */
export const HTTP2_MIN_MAX_STREAMS = 100;

export class ServerLink {
  private session: http2.ClientHttp2Session | undefined;
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS, once a session has heard it (kube-apiserver: 100 here). */
  private serverMaxStreams: number | undefined;
  private agent: http.Agent | undefined;
  /** Exchanges open on the session: it keeps the process alive only while there is one. */
  private active = 0;
  private readonly url: URL;
  private readonly stats: ApiStats;

  constructor(url: URL, stats: ApiStats) {
    this.url = url;
    this.stats = stats;
  }

  /** Starts one exchange and resolves with the response head; the body streams. */
  open(creds: Credentials, method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Promise<Opened> {
    return this.url.protocol === "http:" ? this.openHttp1(method, path, headers, body) : this.openHttp2(creds, method, path, headers, body);
  }

  /**
   * How many exchanges may be open at once on the connection: the HTTP/2 server's limit once
   * heard, else HTTP/2's recommended minimum (RFC 9113 §6.5.2: no smaller than 100); none for
   * HTTP/1.1 (a socket per exchange).
   */
  maxStreams(): number {
    return this.url.protocol === "http:" ? Infinity : (this.serverMaxStreams ?? HTTP2_MIN_MAX_STREAMS);
  }

  /** Ends the connection now: every exchange on it fails with `err`; the next one opens a new connection. */
  destroy(err: Error): void {
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
    s.on("remoteSettings", (settings) => {
      if (settings.maxConcurrentStreams !== undefined) this.serverMaxStreams = settings.maxConcurrentStreams;
    });
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
