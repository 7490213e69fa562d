// The library's debug: a suite's newest Job (or run <id>'s) recreated as a pod held open, with a
// shell in it (`shell`) or the kubectl exec line printed; the pod is deleted when the shell ends,
// at the deadline, or when the signal aborts. Also what `run --debug-on-failure` calls.
import { parseDuration } from "../config/duration.js";
import { resolveSuite } from "../config/resolve.js";
import { DEFAULT_DEBUG_DEADLINE } from "../debug/pod.js";
import { debugSession } from "../debug/session.js";
import type { DebugIo } from "../debug/session.js";
import { UsageError } from "../errors.js";
import { checkRunId, onCluster, reach } from "./cluster.js";
import type { ClusterAccess } from "./cluster.js";

export interface DebugOptions extends ClusterAccess {
  /** The run whose Job to recreate; default the suite's newest. */
  runId?: string;
  /** How long the pod may stay up: a duration ("30m", the default) or seconds. */
  deadline?: string | number;
  /** Open a shell in the pod (pods/exec) instead of printing the kubectl exec line and holding. */
  shell?: boolean;
  /** Aborting ends the hold and deletes the pod. */
  signal?: AbortSignal;
  /** The shell's terminal; default process.stdin, process.stdout, process.stderr (progress lines go to stderr). */
  stdin?: DebugIo["stdin"];
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export interface DebugResult {
  /** The held-open pod (deleted by now). */
  pod: string;
  /** The shell's exit code, when it ran. */
  shellExit?: number;
}

/** The deadline in seconds; a bad one is a UsageError naming `label`. */
export function deadlineSeconds(deadline: string | number | undefined, label = "deadline"): number {
  const seconds = typeof deadline === "number" ? deadline : parseDuration(deadline ?? DEFAULT_DEBUG_DEADLINE);
  if (seconds === undefined || !Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`${label}: expected a duration like 30m or 1h, got ${JSON.stringify(deadline)}`);
  }
  return seconds;
}

/** Options are checked (and the suite against `config`, when given) before any contact. */
export async function debug(suite: string, o: DebugOptions = {}): Promise<DebugResult> {
  return onCluster(() => debugUnwrapped(suite, o));
}

async function debugUnwrapped(suite: string, o: DebugOptions = {}): Promise<DebugResult> {
  const seconds = deadlineSeconds(o.deadline);
  checkRunId(o.runId);
  if (o.config) resolveSuite(o.config, suite); // an unknown suite is a usage error
  const { port, namespace } = await reach(o);
  let onAbort = () => undefined as void;
  const interrupted = new Promise<void>((resolve) => (onAbort = resolve));
  if (o.signal?.aborted) onAbort();
  else o.signal?.addEventListener("abort", onAbort, { once: true });
  const io: DebugIo = { stdin: o.stdin ?? process.stdin, stdout: o.stdout ?? process.stdout, stderr: o.stderr ?? process.stderr, interrupted };
  try {
    return await debugSession(port, { namespace, suite, ...(o.runId ? { runId: o.runId } : {}), deadlineSeconds: seconds, shell: Boolean(o.shell) }, io);
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
  }
}
