// incluster dev's action: a shell over the library's startDev(). The working tree's watcher and
// the debounced rounds are run --watch's (cli/watch/tree.ts, loop.ts); the rounds are the
// library's; the terminal view and --events consume the rounds' events; one verdict line per
// round on stdout. Ctrl-C, and --idle without a round, end it and delete the pod.
import { dirname, join, resolve } from "node:path";
import { deadlineSeconds } from "../../api/debug.js";
import { startDev, type DevSession } from "../../api/dev.js";
import { UsageError } from "../../errors.js";
import type { EventSink } from "../../events/types.js";
import { INCLUSTER_DIR } from "../../names.js";
import { terminalView } from "../../report/terminal.js";
import { TimerScope, type Timer } from "../../timers.js";
import type { CliContext } from "../context.js";
import { openEventsFile } from "../events-file.js";
import { loadForCommand } from "../load-config.js";
import { outputStyle } from "../run-output.js";
import { watchLoop } from "../watch/loop.js";
import { relativeToTop, watchTree } from "../watch/tree.js";
import { verdictLine } from "../watch/verdict.js";

/** The options commands/dev.ts declares, as commander hands them to the action. */
export interface DevFlags {
  changed?: boolean;
  idle: string;
  events?: string;
  quiet?: boolean;
  engine?: string;
}

/** A save is one burst of file events (an editor's write and rename): wait this long for its end. */
export const DEV_DEBOUNCE_MS = 40;

export async function devAction(ctx: CliContext, suite: string, flags: DevFlags): Promise<number> {
  const g = ctx.globals();
  const idle = deadlineSeconds(flags.idle, "--idle");
  if (flags.events === "-") {
    throw new UsageError("dev prints its verdict lines on stdout; --events - would mix them with the events", [
      "write the events to a file: --events dev.jsonl",
    ]);
  }
  const { config, path } = loadForCommand(ctx);
  const say = (t: string) => ctx.stderr.write(`incluster: ${t}\n`);
  const style = outputStyle(ctx.stderr, ctx.env);
  const view = terminalView({ style, several: false, verbose: Boolean(g.verbose), quietLogs: Boolean(flags.quiet), write: (t) => ctx.stderr.write(t) });
  const events = flags.events ? openEventsFile(flags.events, ctx.stdout) : undefined;
  const sinks: EventSink[] = [view, ...(events ? [events.sink] : [])];
  const timers = new TimerScope();
  let session: DevSession | undefined;
  let interrupted = false;
  let stop = () => undefined as void;
  const starting = new AbortController();
  const detach = ctx.onInterrupt(() => {
    interrupted = true;
    starting.abort();
    stop();
    void session?.close();
  });
  try {
    session = await startDev(config, suite, {
      ...(g.kubeconfig ? { kubeconfig: g.kubeconfig } : {}),
      ...(g.context ? { context: g.context } : {}),
      ...(g.namespace ? { namespace: g.namespace } : {}),
      ...(flags.engine ? { engine: flags.engine } : {}),
      idle,
      changed: Boolean(flags.changed),
      configPath: path,
      configDir: dirname(path),
      cwd: ctx.cwd,
      env: ctx.env,
      onEvent: (e) => sinks.forEach((s) => s(e)),
      signal: starting.signal,
    });
    if (interrupted) return 130;
    const dev = session;
    let changed: string[] = [];
    let idleTimer: Timer | undefined;
    // The rounds that ran: a round with nothing new for the pod prints no line and takes no number.
    let shown = 0;
    // The events file, when it is in the tree, would start a round with every round's events.
    const excluded = [join(ctx.cwd, INCLUSTER_DIR), ...(flags.events ? [resolve(ctx.cwd, flags.events)] : [])];
    const exclude = excluded.map((p) => relativeToTop(dev.top, p)).filter((p): p is string => p !== undefined);
    let onChange = () => undefined as void;
    const tree = await watchTree(dev.top, {
      exclude,
      onChange: (paths) => {
        changed.push(...paths);
        onChange();
      },
      onError: (err) => say(`watch: ${err.message}`),
    });
    const loop = watchLoop({
      setTimer: timers.set,
      debounceMs: DEV_DEBOUNCE_MS,
      round: async () => {
        idleTimer?.cancel();
        const t0 = Date.now();
        const paths = [...new Set(changed)];
        changed = [];
        const r = await dev.round(paths);
        const s = r.result.suites[0];
        const ms = Date.now() - t0;
        if (!r.unchanged) {
          const line = verdictLine({ round: ++shown, exitCode: r.result.exitCode, suites: s ? [s] : [], names: [suite], ms, cancelled: false });
          ctx.stdout.write(`${line}\n`);
        }
        if (!interrupted) {
          if (!r.unchanged) say(`watching ${dev.top} for changes (Ctrl-C ends; the pod is deleted after ${flags.idle} without a round)`);
          idleTimer = timers.set(() => {
            say(`no round for ${flags.idle}: ending`);
            loop.stop();
          }, idle * 1000);
        }
        return r.result.exitCode;
      },
    });
    onChange = loop.change;
    stop = loop.stop;
    try {
      return await loop.done;
    } finally {
      tree.close();
    }
  } finally {
    detach();
    timers.dispose();
    await session?.close();
    events?.close();
  }
}
