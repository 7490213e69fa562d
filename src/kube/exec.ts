// pods/exec: a command in a running container, its output streamed (the artifact copy is a tar
// read this way, debug's shell a tty). client-node's Exec opens a WebSocket of its own: one more
// request and connection in the transport's counters.
import { Exec } from "../vendor/kube.js";
import { Writable } from "node:stream";
import type { Readable } from "node:stream";
import { createSecureContext } from "node:tls";
import type { SecureContext } from "node:tls";
import type { KubeConfig } from "@kubernetes/client-node";
import { toKubeError } from "./errors.js";
import type { KubeConnection } from "./connection.js";
import type { ExecRequest, ExecResult } from "./port.js";

/** The Status the API sends when the command ends. */
export interface ExecStatus {
  status?: string;
  reason?: string;
  message?: string;
  code?: number;
  details?: { causes?: { reason?: string; message?: string }[] };
}

/** The exit code from the closing Status: Success, or NonZeroExitCode with an ExitCode cause; else an error. Pure. */
export function execOutcome(status: ExecStatus | undefined): ExecResult {
  if (status?.status === "Success") return { exitCode: 0 };
  const code = status?.details?.causes?.find((c) => c.reason === "ExitCode")?.message;
  if (code !== undefined) return { exitCode: Number(code) };
  const message = status?.message ?? "exec stream closed without a status";
  return { exitCode: undefined, error: { message, ...(status?.code ? { status: status.code } : {}) } };
}

/** Resolves when the command's stream closes, never rejects: a failure is the result's `error`. */
export function execCommand(
  conn: Pick<KubeConnection, "kc" | "transport">,
  req: ExecRequest,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<ExecResult> {
  const closed = conn.transport.execOpened();
  // client-node writes every WebSocket message to stdout whatever it returns: the socket is
  // paused while the consumer (a tar unpacking to disk) is behind, so a 100 MB copy is never
  // held in memory.
  const paced = new Paced(stdout);
  const stdin = (req.stdin as Readable | undefined) ?? null;
  let onAbort = () => undefined as void;
  const done = new Promise<ExecResult>((resolve) => {
    let status: ExecStatus | undefined;
    let socket: { terminate(): void } | undefined;
    onAbort = () => {
      socket?.terminate();
      resolve({ exitCode: undefined, error: { message: "exec cancelled" } });
    };
    if (req.signal?.aborted) return onAbort();
    req.signal?.addEventListener("abort", onAbort, { once: true });
    new Exec(sharedTls(conn.kc) as KubeConfig)
      .exec(req.namespace, req.pod, req.container, [...req.command], paced, stderr as Writable, stdin, Boolean(req.tty), (s) => (status = s))
      .then((ws) => {
        paced.socket = ws;
        socket = ws;
        if (req.signal?.aborted) return ws.terminate();
        ws.on("close", () => resolve(execOutcome(status)));
        ws.on("error", (err: unknown) => resolve({ exitCode: undefined, error: toKubeError(err) }));
      })
      .catch((err: unknown) => resolve({ exitCode: undefined, error: toKubeError(err) }));
  });
  return done.finally(() => {
    req.signal?.removeEventListener("abort", onAbort);
    closed();
  });
}

/** Forwards to `target`; pauses `socket` while `target` is over its high-water mark. */
export class Paced extends Writable {
  socket: { pause(): void; resume(): void } | undefined;
  private readonly target: NodeJS.WritableStream;
  constructor(target: NodeJS.WritableStream) {
    super();
    this.target = target;
  }
  private paused = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    // Messages already read keep coming for a moment after a pause: one pause, one drain listener.
    if (!this.target.write(chunk) && this.socket && !this.paused) {
      const socket = this.socket;
      this.paused = true;
      socket.pause();
      this.target.once("drain", () => {
        this.paused = false;
        socket.resume();
      });
    }
    done();
  }
}

/** The TLS material client-node puts in the WebSocket's options: what a SecureContext is made of. */
const TLS_MATERIAL = ["ca", "cert", "key", "pfx", "passphrase"] as const;
type TlsOptions = Partial<Record<(typeof TLS_MATERIAL)[number], unknown>> & { secureContext?: SecureContext };
const sameMaterial = (a: unknown, b: unknown) => a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));
const contexts = new WeakMap<KubeConfig, { material: unknown[]; context: SecureContext }>();

/**
 * The kubeconfig as client-node's Exec uses it, with one TLS context for all its WebSockets.
 * Given ca/cert/key and no secureContext, tls.connect makes a context per connection: 51 KB of
 * OpenSSL memory each (1,000 made in a loop: +50 MB RSS), released only when a major GC
 * collects its small JS wrapper; a 1,000-suite run held ~1,000 of them (docs/performance.md).
 * A new one is made only when the material changes (an exec plugin's rotated client certificate).
 */
export function sharedTls(kc: KubeConfig): Pick<KubeConfig, "getCurrentCluster" | "applyToHTTPSOptions"> {
  return {
    getCurrentCluster: () => kc.getCurrentCluster(),
    async applyToHTTPSOptions(opts) {
      await kc.applyToHTTPSOptions(opts);
      const o = opts as TlsOptions;
      const material = TLS_MATERIAL.map((f) => o[f]);
      let kept = contexts.get(kc);
      if (!kept || !kept.material.every((m, i) => sameMaterial(m, material[i]))) {
        kept = { material, context: createSecureContext(opts as Parameters<typeof createSecureContext>[0]) };
        contexts.set(kc, kept);
      }
      o.secureContext = kept.context;
    },
  };
}
