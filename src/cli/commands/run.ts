// `incluster run [suite...] [--all]`: every flag checked before the cluster is contacted; then
// the orchestrator; then the chosen format on stdout and the exit code by the README table.
import type { Command} from "commander";
import { Option } from "commander";
import { dirname, join, resolve } from "node:path";
import { loadForCommand } from "../load-config.js";
import { listSuites, resolveSuite } from "../../config/resolve.js";
import type { Config } from "../../config/schema.js";
import { parseDuration } from "../../config/duration.js";
import { CouldNotRunError, UsageError } from "../../errors.js";
import { renderSuite } from "../../render/suite.js";
import { runSummary } from "../../report/human.js";
import { toJson } from "../../report/json.js";
import { toJunit } from "../../report/junit.js";
import { notRunResult } from "../../report/not-run.js";
import type { RunResult } from "../../report/model.js";
import { reportFiles } from "../../run/files.js";
import { runSuites } from "../../run/orchestrator.js";
import type { PlannedSuite } from "../../run/orchestrator.js";
import { newRunId } from "../../run/run-id.js";
import { realSetTimer } from "../../run/timers.js";
import { humanOutput, outputStyle } from "../run-output.js";
import { connect } from "../connect.js";
import { buildStep, checkEngineFlag } from "../build-step.js";
import { resolveSources } from "../../source/resolve-sources.js";
import type { CliContext } from "../context.js";

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
}

/** Which suites: the named ones, all with --all, or the only one there is. */
export function pickSuites(config: Config, names: readonly string[], all: boolean): string[] {
  const known = listSuites(config);
  if (all && names.length) throw new UsageError("give suite names or --all, not both", ["drop --all to run only the named suites"]);
  if (all) return known;
  if (names.length) return [...new Set(names)];
  if (known.length === 1) return known;
  throw new UsageError("which suite? name one or more, or pass --all", [`known suites: ${known.join(", ") || "(none)"}`]);
}

function positiveInt(flag: string, v: string | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag}: expected a whole number of at least 1, got ${JSON.stringify(v)}`);
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
        "  # keep the Jobs after Ctrl-C, give pull errors a minute",
        "  incluster run smoke --keep --fail-fast 60s",
      ].join("\n"),
    )
    .argument("[suite...]", "suites to run (default: the only suite, if there is one)")
    .option("--all", "run every suite in the config")
    .addOption(new Option("-o, --output <format>", "result document on stdout").choices(["json", "junit"]))
    .option("--concurrency <n>", "how many suites run at once (default: all)")
    .option("--fail-fast <duration>", "how long an image pull error, unschedulable pod or missing Secret may last before the suite fails", "15s")
    .option("--timeout <duration>", "override every suite's timeout (e.g. 10m)")
    .option("--keep", "on interrupt, keep the run's Jobs and Pods instead of deleting them")
    .option("--report-dir <dir>", "where logs and result.json go (default .incluster/runs/<run-id>)")
    .option("-q, --quiet", "do not echo test output (it is still saved)")
    .option("--no-build", "do not build or push images; run the content-hash tags as they are")
    .option("--engine <engine>", "image engine: podman, docker, buildah or nerdctl (default: image.engine, else the first on PATH)")
    .action(async (names: string[], flags: RunFlags) => {
      ctx.setExitCode(await runAction(ctx, names, flags));
    });
}

export async function runAction(ctx: CliContext, names: string[], flags: RunFlags): Promise<number> {
  const g = ctx.globals();
  // Everything the user typed is checked before any cluster contact.
  const { config, path } = loadForCommand(ctx, flags.timeout ? { timeoutFlag: flags.timeout } : {});
  const suites = pickSuites(config, names, Boolean(flags.all));
  const failFastS = parseDuration(flags.failFast ?? "15s");
  if (failFastS === undefined) throw new UsageError(`--fail-fast: expected a duration like 15s or 2m, got ${JSON.stringify(flags.failFast)}`);
  const concurrency = positiveInt("--concurrency", flags.concurrency, suites.length);
  checkEngineFlag(flags.engine);
  // Loading the kubeconfig contacts nothing; a missing one is a usage error, found before any
  // git or engine work.
  const port = await connect(g);
  const runId = newRunId();
  // Before any cluster contact: the source (a missing ref stops here, no Job is created), then
  // the images (build and push only what the registry lacks).
  const configDir = dirname(path);
  const initial = suites.map((name) => resolveSuite(config, name));
  let stage: "sourceFailed" | "buildFailed" = "sourceFailed";
  let resolvedSuites: typeof initial;
  try {
    resolvedSuites = await resolveSources(initial, configDir, { info: (t) => ctx.stderr.write(`${t}\n`) });
    stage = "buildFailed";
    if (resolvedSuites.some((s) => s.build)) {
      resolvedSuites = (await buildStep(ctx, config, configDir, resolvedSuites, { engineFlag: flags.engine, planOnly: flags.build === false })).suites;
    }
  } catch (err) {
    // Still one verdict per suite on stdout for CI; the boundary prints the error and exits 3.
    if (err instanceof CouldNotRunError && flags.output) {
      const doc = notRunResult({
        runId,
        context: port.context().context,
        namespace: initial[0]?.namespace ?? "default",
        suites: initial.map((s) => ({ name: s.name, image: s.image })),
        class: stage,
        reason: err.code,
        message: err.message,
        ...(err.hint ? { hint: err.hint } : {}),
        at: new Date(),
      });
      ctx.stdout.write(flags.output === "json" ? toJson(doc) : toJunit(doc));
    }
    throw err;
  }
  const planned: PlannedSuite[] = resolvedSuites.map((resolved) => ({ resolved, objects: renderSuite(resolved, { runId }) }));
  const namespace = planned[0]?.resolved.namespace ?? "default";
  const reportDir = resolve(ctx.cwd, flags.reportDir ?? join(".incluster", "runs", runId));

  const style = outputStyle(ctx.stderr, ctx.env);
  const out = humanOutput({ style, several: suites.length > 1, verbose: Boolean(g.verbose), quietLogs: Boolean(flags.quiet), write: (t) => ctx.stderr.write(t) });
  out.info(`run ${runId}: ${suites.join(", ")} in namespace ${namespace} (context ${port.context().context})`);

  const controller = new AbortController();
  const detach = ctx.onInterrupt(() => controller.abort());
  let result: RunResult;
  try {
    result = await runSuites(
      {
        port,
        now: () => Date.now(),
        setTimer: realSetTimer,
        out,
        files: reportFiles(reportDir),
        signal: controller.signal,
      },
      { runId, namespace, suites: planned, concurrency, failFastMs: failFastS * 1000, keep: Boolean(flags.keep), reportDir: ctx.relative(reportDir) },
    );
  } finally {
    detach();
  }
  ctx.stderr.write(`${runSummary(style, result)}\n`);
  if (flags.output === "json") ctx.stdout.write(toJson(result));
  if (flags.output === "junit") ctx.stdout.write(toJunit(result));
  return result.exitCode;
}
