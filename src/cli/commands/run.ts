// `incluster run [suite...] [--all]`: a shell over the library's run(): flags become options, the
// terminal view and --events consume the event stream, and the chosen format goes to stdout.
import type { Command } from "commander";
import { Option } from "commander";
import { dirname } from "node:path";
import { DEFAULT_FAIL_FAST, run } from "../../api/run.js";
import type { RunOptions } from "../../api/options.js";
import { CouldNotRunError, UsageError } from "../../errors.js";
import type { EventSink } from "../../events/types.js";
import { toJson } from "../../report/json.js";
import { toJunit } from "../../report/junit.js";
import { notRunResult } from "../../report/not-run.js";
import { terminalView } from "../../report/terminal.js";
import { checkEngineFlag } from "../build-step.js";
import { githubReporter } from "../../ci/github-report.js";
import { connect } from "../connect.js";
import { DEFAULT_DEBUG_DEADLINE } from "../../debug/pod.js";
import { checkDebugFlags, runDebug } from "./debug.js";
import type { CliContext } from "../context.js";
import { openEventsFile } from "../events-file.js";
import { loadForCommand } from "../load-config.js";
import { outputStyle } from "../run-output.js";
import { checkWatchFlags, watchRuns } from "../watch/watch-runs.js";

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
}

export { pickSuites } from "../../api/run.js";

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

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command("run")
    .summary("run suites as Jobs in the cluster and report their verdicts")
    .description(
      [
        "Runs each suite as a Job with a unique name, follows it to the end (watching, never polling),",
        "streams the clone and test logs live, and exits with the verdict:",
        "0 passed, 1 tests failed, 3 could not run, 4 timed out, 130 interrupted.",
        "",
        "Examples:",
        "  # run one suite",
        "  incluster run smoke",
        "  # run every suite at once, JUnit on stdout for CI",
        "  incluster run --all -o junit > junit.xml",
        "  # every event (phases, log lines, verdicts) as JSON lines",
        "  incluster run --all --events events.jsonl",
        "  # the same logs and events to an OpenTelemetry collector",
        "  incluster run --all --otlp-endpoint http://localhost:4318",
        "  # keep the Jobs after Ctrl-C, give pull errors a minute",
        "  incluster run smoke --keep --fail-fast 60s",
        "  # source: local: rerun smoke on every saved edit, one verdict line per round",
        "  incluster run smoke --watch",
      ].join("\n"),
    )
    .argument("[suite...]", "suites to run (default: the only suite, if there is one)")
    .option("--all", "run every suite in the config")
    .addOption(new Option("-o, --output <format>", "result document on stdout").choices(["json", "junit"]))
    .option("--events <file|->", "write every run event as a JSON line to a file, or - for stdout")
    .option("--otlp-endpoint <url>", "also send every log line and run event as OTLP logs over HTTP to this OpenTelemetry endpoint (default: OTEL_EXPORTER_OTLP_ENDPOINT)")
    .option("--concurrency <n>", "how many suites run at once (default: all)")
    .option("--fail-fast <duration>", "how long an image pull error, unschedulable pod or missing Secret may last before the suite fails", DEFAULT_FAIL_FAST)
    .option("--timeout <duration>", "override every suite's timeout (e.g. 10m)")
    .option("--retries <n>", "rerun only the failed tests of a failed suite, up to n more times (overrides retries in the config)")
    .option("--fail-on-flaky", "a test that fails, then passes on a retry, fails its suite (exit 1)")
    .option("--keep", "on interrupt, keep the run's Jobs and Pods instead of deleting them")
    .option("--report-dir <dir>", "where logs and result.json go (default .incluster/runs/<run-id>)")
    .option("-q, --quiet", "do not echo test output (it is still saved)")
    .option("--no-build", "do not build or push images; run the content-hash tags as they are")
    .option("--engine <engine>", "image engine: podman, docker, buildah or nerdctl (default: image.engine, else the first on PATH)")
    .option("--platform <os/arch>", "build images for this platform (default: image.platform, else the cluster's nodes, else this machine)")
    .option("--debug-on-failure", "when a suite's tests fail, recreate its pod held open and open a shell in it (incluster debug --shell)")
    .option("--deadline <duration>", "with --debug-on-failure: how long the debug pod may stay up", DEFAULT_DEBUG_DEADLINE)
    .option("--watch", "with source: local, rerun the suites each time a file of the working tree changes, one verdict line per round (Ctrl-C ends)")
    .action(async (names: string[], flags: RunFlags) => {
      ctx.setExitCode(await runAction(ctx, names, flags));
    });
}

export async function runAction(ctx: CliContext, names: string[], flags: RunFlags): Promise<number> {
  const g = ctx.globals();
  // Everything the user typed is checked before any cluster contact (run() checks the rest).
  const { config, path } = loadForCommand(ctx, flags.timeout ? { timeoutFlag: flags.timeout } : {});
  checkEngineFlag(flags.engine);
  if (flags.watch) checkWatchFlags(config, flags);
  if (flags.events === "-" && flags.output) throw new UsageError("--events - and -o both write to stdout", ["write the events to a file (--events events.jsonl), or drop -o"]);
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
    ...(ctx.env.INCLUSTER_ARTIFACTS_LIMIT !== undefined ? { artifactsLimitBytes: wholeNumber("INCLUSTER_ARTIFACTS_LIMIT", ctx.env.INCLUSTER_ARTIFACTS_LIMIT) } : {}),
    ...(flags.reportDir ? { reportDir: flags.reportDir } : {}),
    build: flags.build !== false,
    ...(flags.engine ? { engine: flags.engine } : {}),
    ...(flags.platform ? { platform: flags.platform } : {}),
    ...(otlpEndpoint ? { otlpEndpoint } : {}),
    cwd: ctx.cwd,
    configDir: dirname(path),
  };
  const style = outputStyle(ctx.stderr, ctx.env);
  const view = terminalView({ style, several: names.length > 1 || Boolean(flags.all), verbose: Boolean(g.verbose), quietLogs: Boolean(flags.quiet), write: (t) => ctx.stderr.write(t) });
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
    const result = await run(config, { ...options, signal: controller.signal, onEvent: (e) => sinks.forEach((s) => s(e)) });
    // The first failed suite, recreated and held open with a shell (the verdict's exit code stands).
    const failed = result.suites.find((s) => s.verdict === "failed");
    if (flags.debugOnFailure && failed && !controller.signal.aborted) {
      detach();
      await runDebug(ctx, { namespace: failed.namespace, suite: failed.suite, runId: result.runId, deadlineSeconds, shell: true }, await connect(g));
    }
    if (flags.output === "json") ctx.stdout.write(toJson(result));
    if (flags.output === "junit") ctx.stdout.write(toJunit(result));
    githubReporter(ctx.env, (t) => ctx.stderr.write(t))(result);
    return result.exitCode;
  } catch (err) {
    // Still one verdict per suite on stdout for CI; the boundary prints the error and exits 3.
    if (err instanceof CouldNotRunError) {
      const doc = notRunResult({ runId: "", context: g.context ?? "", namespace: config.namespace ?? "", suites: names.map((name) => ({ name, image: "" })), class: "jobFailed", reason: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), at: new Date() });
      if (flags.output) ctx.stdout.write(flags.output === "json" ? toJson(doc) : toJunit(doc));
      githubReporter(ctx.env, (t) => ctx.stderr.write(t))(doc);
    }
    throw err;
  } finally {
    detach();
    events?.close();
  }
}
