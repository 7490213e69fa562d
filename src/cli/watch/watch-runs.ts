// `incluster run --watch`: the edge of watch mode. Watches the source.local working tree, runs a
// round through the library's run() (one connection for all rounds), prints one verdict line per
// round on stdout, and deletes each finished round's Jobs, Pods and overlay ConfigMaps once the
// next round starts and when watch mode ends (unless --keep); Ctrl-C ends it.
import { join, resolve } from "node:path";
import { pickSuites, run } from "../../api/run.js";
import type { RunOptions } from "../../api/options.js";
import type { Config } from "../../config/schema.js";
import { UsageError } from "../../errors.js";
import type { EventSink } from "../../events/types.js";
import type { ClusterPort } from "../../kube/port.js";
import { INCLUSTER_DIR, MANAGED_BY, RUN_ID_LABEL } from "../../names.js";
import { TimerScope } from "../../timers.js";
import { workingTree } from "../../source/working-tree.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { DEFAULT_DEBOUNCE_MS, watchLoop } from "./loop.js";
import { relativeToTop, watchTree } from "./tree.js";
import { verdictLine } from "./verdict.js";

export interface WatchFlags {
  output?: string;
  events?: string;
  debugOnFailure?: boolean;
}

/** --watch needs source: local and a stdout of its own; checked before any contact (exit 2). */
export function checkWatchFlags(config: Config, flags: WatchFlags): void {
  if (!config.source.local) {
    const kind = config.source.git ? "git" : "image";
    throw new UsageError(`--watch reruns the suites when files of the working tree change, so it needs source: local; this config's source is ${kind}`, [
      "set source: { local: {} } in incluster.yaml (the pod then gets the working tree, uncommitted edits included), or run without --watch",
    ]);
  }
  if (flags.output) {
    throw new UsageError("--watch prints one verdict line per round on stdout; it cannot be combined with -o", [
      "drop -o, or keep every event with --events <file>",
    ]);
  }
  if (flags.events === "-") {
    throw new UsageError("--watch prints its verdict lines on stdout; --events - would mix them with the events", [
      "write the events to a file: --events events.jsonl",
    ]);
  }
  if (flags.debugOnFailure) {
    throw new UsageError("--watch and --debug-on-failure cannot be combined", ["watch, then run incluster debug <suite> on a failed round"]);
  }
}

export interface WatchRequest {
  config: Config;
  /** run()'s options, without signal and onEvent. */
  options: RunOptions & { configDir: string; cwd: string };
  onEvent: EventSink;
  debounceMs?: number;
}

/** Rounds until Ctrl-C; returns the exit code of the last round, or 130 when it was interrupted. */
export async function watchRuns(ctx: CliContext, req: WatchRequest): Promise<number> {
  const { options } = req;
  const picked = pickSuites(req.config, options.suites ?? [], Boolean(options.all));
  const top = await workingTree(req.config, options.configDir);
  const port: ClusterPort = options.port ?? (await connect(ctx.globals()));
  const say = (t: string) => ctx.stderr.write(`incluster: ${t}\n`);
  const excluded = [join(options.cwd, INCLUSTER_DIR), ...(options.reportDir ? [resolve(options.cwd, options.reportDir)] : [])];
  const exclude = excluded.map((p) => relativeToTop(top, p)).filter((p): p is string => p !== undefined);
  const timers = new TimerScope();
  const retiring = new Set<Promise<void>>();
  let previous: { runId: string; namespace: string } | undefined;
  let changed: string[] = [];
  let stopping = false;

  const retirePrevious = () => {
    if (!previous || options.keep) return;
    const p = retire(port, previous.namespace, previous.runId, say).finally(() => retiring.delete(p));
    retiring.add(p);
    previous = undefined;
  };
  // The tree first: a change during round 1 must already count.
  let onChange: () => void = () => undefined;
  const tree = await watchTree(top, {
    exclude,
    onChange: (paths) => {
      changed.push(...paths);
      onChange();
    },
    onError: (err) => say(`watch: ${err.message}`),
  });
  const loop = watchLoop({
    setTimer: timers.set,
    debounceMs: req.debounceMs ?? DEFAULT_DEBOUNCE_MS,
    round: async (n, signal) => {
      const t0 = Date.now();
      say(`round ${n}${changed.length ? ` (${summarize(changed)} changed)` : ": the working tree as it is"}`);
      changed = [];
      retirePrevious();
      // A round that could not run (a preflight failure) is a result too: the next edit may fix it.
      const result = await run(req.config, { ...options, port, signal, onEvent: req.onEvent });
      const { exitCode, suites } = result;
      // A cancelled round's objects were deleted by run() itself.
      if (result.suites.length && !signal.aborted) previous = { runId: result.runId, namespace: result.namespace };
      const names = suites.length ? suites.map((s) => s.suite) : picked;
      ctx.stdout.write(`${verdictLine({ round: n, exitCode, suites, names, ms: Date.now() - t0, cancelled: signal.aborted && !stopping })}\n`);
      if (!stopping) say(`watching ${top} for changes (Ctrl-C ends)`);
      return exitCode;
    },
  });
  onChange = loop.change;
  const detach = ctx.onInterrupt(() => {
    stopping = true;
    loop.stop();
  });
  try {
    return await loop.done;
  } finally {
    tree.close();
    detach();
    timers.dispose();
    retirePrevious();
    await Promise.allSettled([...retiring]);
  }
}


/** A finished round's Jobs, Pods and overlay ConfigMaps (by its run id), deleted without waiting for the pods to end. */
async function retire(port: ClusterPort, namespace: string, runId: string, say: (t: string) => void): Promise<void> {
  const labelSelector = `${MANAGED_BY}=incluster,${RUN_ID_LABEL}=${runId}`;
  try {
    const [jobs, pods, maps] = await Promise.all([
      port.list("jobs", namespace, { labelSelector }),
      port.list("pods", namespace, { labelSelector }),
      port.listConfigMaps(namespace, labelSelector),
    ]);
    await Promise.all([
      ...jobs.items.map((j) => port.delete("jobs", namespace, j.metadata?.name ?? "", { propagation: "Orphan" })),
      ...maps.map((m) => port.delete("configmaps", namespace, m.metadata?.name ?? "")),
    ]);
    // After the Jobs (their controller would replace a pod deleted first).
    await Promise.all(pods.items.map((p) => port.delete("pods", namespace, p.metadata?.name ?? "", { gracePeriodSeconds: 1 })));
  } catch (err) {
    say(`could not delete run ${runId}'s objects (incluster clean --run ${runId} removes them): ${(err as Error).message}`);
  }
}

function summarize(paths: readonly string[]): string {
  const unique = [...new Set(paths)];
  return unique.length <= 3 ? unique.join(", ") : `${unique.slice(0, 3).join(", ")} and ${unique.length - 3} more`;
}
