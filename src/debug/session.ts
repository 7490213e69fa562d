// One debug session: create the held-open pod, wait until it is Running, then either open a shell
// in it (pods/exec through the port) or print the kubectl exec line and hold until the deadline or
// Ctrl-C; the pod is deleted at the end either way. Used by `debug` and `run --debug-on-failure`.
import { CLONE_CONTAINER, RUN_ID_LABEL, SUITE_LABEL, TEST_CONTAINER } from "../names.js";
import { classifyPod, podProblem } from "../diagnose/outcome.js";
import { CouldNotRunError } from "../errors.js";
import type { Job, Pod } from "../k8s-types.js";
import { toKubeError } from "../kube/errors.js";
import type { ClusterPort } from "../kube/port.js";
import { KindWatch } from "../follow/kind-watch.js";
import { TimerScope } from "../timers.js";
import { debugPod, pickJob } from "./pod.js";

export interface DebugRequest {
  namespace: string;
  suite: string;
  runId?: string;
  deadlineSeconds: number;
  shell: boolean;
  /** How long the pod may take to be Running (the clone included). */
  startMs?: number;
}

export interface DebugIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves on Ctrl-C (the first one). */
  interrupted: Promise<void>;
}

export async function debugSession(port: ClusterPort, req: DebugRequest, io: DebugIo): Promise<{ pod: string; shellExit?: number }> {
  const say = (t: string) => io.stderr.write(`incluster: ${t}\n`);
  const selector = `${SUITE_LABEL}=${req.suite}${req.runId ? `,${RUN_ID_LABEL}=${req.runId}` : ""}`;
  const job = pickJob((await port.list("jobs", req.namespace, { labelSelector: selector })).items, req.suite);
  if (!job) {
    throw new CouldNotRunError(
      "DEBUG_NO_JOB",
      `no Job of suite ${req.suite}${req.runId ? ` in run ${req.runId}` : ""} in namespace ${req.namespace}`,
      `run it first (incluster run ${req.suite}); Jobs are kept ttlSecondsAfterFinished after they end`,
    );
  }
  const full = job as Job & Parameters<typeof debugPod>[0];
  const spec = debugPod(full, req.deadlineSeconds);
  if (!spec) throw new CouldNotRunError("DEBUG_NO_JOB", `job/${job.metadata?.name} has no ${TEST_CONTAINER} container`);
  const name = spec.metadata?.name ?? "";
  const timers = new TimerScope();
  const gone = async () => {
    const deleted = await port.delete("pods", req.namespace, name, { gracePeriodSeconds: 1 }).catch(() => false);
    say(deleted ? `deleted pod/${name}` : `pod/${name} is already gone`);
  };
  await port.delete("pods", req.namespace, name, { gracePeriodSeconds: 0 }).catch(() => false);
  try {
    await port.create(spec);
  } catch (err) {
    throw new CouldNotRunError("DEBUG_CREATE", `could not create pod/${name}: ${toKubeError(err).message}`, undefined, { cause: err });
  }
  say(
    `pod/${name}: job/${job.metadata?.name}'s pod, held open for ${req.deadlineSeconds}s ` +
      "(the same image, env, ServiceAccount, resources and checked-out source)",
  );
  try {
    const running = await untilRunning(port, req.namespace, name, timers, req.startMs ?? 120_000);
    if (running !== "Running") {
      throw new CouldNotRunError(
        "DEBUG_NOT_RUNNING",
        `pod/${name} did not start: ${running}`,
        `kubectl -n ${req.namespace} describe pod ${name}; the clone's log: kubectl -n ${req.namespace} logs ${name} -c ${CLONE_CONTAINER}`,
      );
    }
    const exec = `kubectl exec -it -n ${req.namespace} ${name} -c ${TEST_CONTAINER} -- /bin/sh`;
    if (!req.shell) {
      io.stdout.write(`${exec}\n`);
      say(`the pod is deleted after ${req.deadlineSeconds}s or on Ctrl-C`);
      await Promise.race([io.interrupted, new Promise<void>((r) => timers.set(r, req.deadlineSeconds * 1000))]);
      return { pod: name };
    }
    say(`opening a shell (${exec}); exit it to delete the pod`);
    const tty = Boolean(io.stdin.isTTY);
    if (tty) io.stdin.setRawMode?.(true);
    try {
      const r = await port.exec(
        { namespace: req.namespace, pod: name, container: TEST_CONTAINER, command: ["/bin/sh"], stdin: io.stdin, tty },
        io.stdout,
        io.stderr,
      );
      if (r.error) {
        throw new CouldNotRunError(
          "DEBUG_EXEC",
          `could not open a shell in pod/${name}: ${r.error.message}`,
          `${r.error.status === 403 ? 'grant "create" on pods/exec, or ' : ""}use: ${exec}`,
        );
      }
      return { pod: name, ...(r.exitCode !== undefined ? { shellExit: r.exitCode } : {}) };
    } finally {
      if (tty) io.stdin.setRawMode?.(false);
      io.stdin.pause();
    }
  } finally {
    timers.dispose();
    await gone();
  }
}

/**
 * Where the held-open pod is: "Running", why it never will be, or undefined while it starts. The
 * same classification as run's (diagnose/outcome), by types and reasons: a container stuck on a
 * problem run would fail fast on (its image, its config, its start), or the pod's end. A pod the
 * scheduler cannot place yet is left to the start bound: the failed Job's own pod may still hold
 * the room while its collector ends.
 */
export function startState(pod: Pod): string | undefined {
  const phase = pod.status?.phase;
  if (phase === "Running") return "Running";
  if (phase === "Failed" || phase === "Succeeded") {
    const why = classifyPod(pod)?.class ?? pod.status?.reason;
    return `phase ${phase}${why ? ` (${why})` : ""}`;
  }
  const problem = podProblem(pod);
  return problem?.container ? problem.reason : undefined;
}

/** Answer of untilRunning when `signal` aborted the wait. */
export const WAIT_INTERRUPTED = "interrupted";

/** Watches the pod (list, then watch resuming from its resourceVersion) until it is Running, failed, the time is up, or `signal` aborts. */
export function untilRunning(port: ClusterPort, ns: string, name: string, timers: TimerScope, ms: number, signal?: AbortSignal): Promise<string> {
  const pods = new KindWatch(port, "pods", ns, { fieldSelector: `metadata.name=${name}` }, { setTimer: timers.set });
  return new Promise((resolve) => {
    let done = false;
    const finish = (why: string) => {
      if (done) return;
      done = true;
      t.cancel();
      pods.stop();
      signal?.removeEventListener("abort", onAbort);
      resolve(why);
    };
    const onAbort = () => finish(WAIT_INTERRUPTED);
    const t = timers.set(() => finish(`not Running after ${ms / 1000}s`), ms);
    if (signal?.aborted) return finish(WAIT_INTERRUPTED);
    signal?.addEventListener("abort", onAbort, { once: true });
    pods.subscribe((type, pod) => {
      if (pod.metadata?.name !== name) return;
      const state = type === "DELETED" ? "deleted" : startState(pod);
      if (state) finish(state);
    });
    pods.start().catch((err: unknown) => finish(`could not watch it: ${toKubeError(err).message}`));
  });
}
