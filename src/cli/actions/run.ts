// incluster run's action (loaded when the command runs; commands/run.ts declares it).
import { dirname } from "node:path";
import { run } from "../../api/run.js";
import type { RunOptions } from "../../api/options.js";
import { UsageError } from "../../errors.js";
import type { EventSink } from "../../events/types.js";
import type { RunResult } from "../../results/run-result.js";
import { toJson } from "../../report/json.js";
import { terminalView } from "../../report/terminal.js";
import { checkEngineFlag } from "../build-flags.js";
import { githubReporter } from "../../ci/github-report.js";
import { checkDebugFlags, runDebug } from "./debug.js";
import type { CliContext } from "../context.js";
import { openEventsFile } from "../events-file.js";
import { loadForCommand } from "../load-config.js";
import { outputStyle } from "../run-output.js";
import { checkWatchFlags, watchRuns } from "../watch/watch-runs.js";

/** The options commands/run.ts declares, as commander hands them to the action. */
export interface RunFlags {
  all?: boolean;
  output?: string;
  concurrency?: string;
  failFast?: string;
  timeout?: string;
  keep?: boolean;
  reportDir?: string;
  quiet?: boolean;
  /** --no-build sets it to false. */
  build?: boolean;
  engine?: string;
  platform?: string;
  events?: string;
  retries?: string;
  failOnFlaky?: boolean;
  debugOnFailure?: boolean;
  deadline?: string;
  watch?: boolean;
  otlpEndpoint?: string;
  history?: string;
}

/** JUnit XML: its writer (xmlbuilder2, a DOM) is loaded only when asked for, not on every run. */
async function junitOf(result: RunResult): Promise<string> {
  return (await import("../../report/junit.js")).toJunit(result);
}

function positiveInt(flag: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a whole number of at least 1, got ${JSON.stringify(v)}`);
  return n;
}

function wholeNumber(flag: string, v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new UsageError(`${flag}: expected a whole number, got ${JSON.stringify(v)}`);
  return n;
}

export async function runAction(ctx: CliContext, names: string[], flags: RunFlags): Promise<number> {
  const g = ctx.globals();
  // Everything the user typed is checked before any cluster contact (run() checks the rest).
  const { config, path } = loadForCommand(ctx, flags.timeout ? { timeoutFlag: flags.timeout } : {});
  checkEngineFlag(flags.engine);
  if (flags.watch) checkWatchFlags(config, flags);
  if (flags.events === "-" && flags.output) {
    throw new UsageError("--events - and -o both write to stdout", ["write the events to a file (--events events.jsonl), or drop -o"]);
  }
  const otlpEndpoint = flags.otlpEndpoint ?? (ctx.env.OTEL_EXPORTER_OTLP_ENDPOINT || undefined);
  const options: RunOptions = {
    suites: names,
    all: Boolean(flags.all),
    ...(g.kubeconfig ? { kubeconfig: g.kubeconfig } : {}),
    ...(g.context ? { context: g.context } : {}),
    ...(flags.concurrency !== undefined ? { concurrency: positiveInt("--concurrency", flags.concurrency) ?? 1 } : {}),
    ...(flags.failFast !== undefined ? { failFast: flags.failFast } : {}),
    keep: Boolean(flags.keep),
    ...(flags.retries !== undefined ? { retries: wholeNumber("--retries", flags.retries) } : {}),
    ...(flags.failOnFlaky ? { failOnFlaky: true } : {}),
    ...(ctx.env.INCLUSTER_ARTIFACTS_LIMIT !== undefined
      ? { artifactsLimitBytes: wholeNumber("INCLUSTER_ARTIFACTS_LIMIT", ctx.env.INCLUSTER_ARTIFACTS_LIMIT) }
      : {}),
    ...(flags.reportDir ? { reportDir: flags.reportDir } : {}),
    build: flags.build !== false,
    ...(flags.engine ? { engine: flags.engine } : {}),
    ...(flags.platform ? { platform: flags.platform } : {}),
    ...(otlpEndpoint ? { otlpEndpoint } : {}),
    ...(flags.history !== undefined ? { history: flags.history } : {}),
    cwd: ctx.cwd,
    env: ctx.env,
    configDir: dirname(path),
  };
  const style = outputStyle(ctx.stderr, ctx.env);
  const view = terminalView({
    style,
    several: names.length > 1 || Boolean(flags.all),
    verbose: Boolean(g.verbose),
    quietLogs: Boolean(flags.quiet),
    write: (t) => ctx.stderr.write(t),
  });
  const events = flags.events ? openEventsFile(flags.events, ctx.stdout) : undefined;
  const sinks: EventSink[] = [view, ...(events ? [events.sink] : [])];
  if (flags.watch) {
    try {
      return await watchRuns(ctx, { config, options: { ...options, cwd: ctx.cwd, configDir: dirname(path) }, onEvent: (e) => sinks.forEach((s) => s(e)) });
    } finally {
      events?.close();
    }
  }
  const controller = new AbortController();
  const detach = ctx.onInterrupt(() => controller.abort());
  try {
    const deadlineSeconds = flags.debugOnFailure ? checkDebugFlags({ deadline: flags.deadline }) : 0;
    // Also a run that could not run: run() returns its result (exit code 3), rendered like any other.
    const result = await run(config, { ...options, signal: controller.signal, onEvent: (e) => sinks.forEach((s) => s(e)) });
    try {
      // The first failed suite, recreated and held open with a shell (the verdict's exit code stands).
      const failed = result.suites.find((s) => s.verdict === "failed");
      if (flags.debugOnFailure && failed && !controller.signal.aborted) {
        detach();
        await runDebug(ctx, failed.suite, { namespace: failed.namespace, runId: result.runId, deadline: deadlineSeconds, shell: true });
      }
    } finally {
      if (flags.output === "json") ctx.stdout.write(toJson(result));
      if (flags.output === "junit") ctx.stdout.write(await junitOf(result));
      githubReporter(ctx.env, (t) => ctx.stderr.write(t))(result);
    }
    return result.exitCode;
  } finally {
    detach();
    events?.close();
  }
}
