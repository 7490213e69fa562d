// pods/exec: a command in a running container, its output streamed (the artifact copy is a tar
// read this way, debug's shell a tty). client-node's Exec opens a WebSocket of its own: one more
// request and connection in the transport's counters.
import { Exec } from "../vendor/kube.js";
import { Writable } from "node:stream";
import type { Readable } from "node:stream";
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
    new Exec(conn.kc)
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
