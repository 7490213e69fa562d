// `incluster run [suite...] [--all]`: a shell over the library's run(): flags become options, the
// terminal view and --events consume the event stream, and the chosen format goes to stdout.
// The action (actions/run.ts) is loaded only when the command runs.
import type { Command } from "commander";
import { Option } from "commander";
import { DEFAULT_FAIL_FAST } from "../../api/defaults.js";
import { DEFAULT_DEBUG_DEADLINE } from "../../debug/pod.js";
import { RESULT_FILE, RUNS_DIR } from "../../names.js";
import type { CliContext } from "../context.js";
import type { RunFlags } from "../actions/run.js";

export function registerRun(program: Command, ctx: CliContext): void {
  program
    .command("run")
    .summary("run suites as Jobs in the cluster and report their verdicts")
    .description(
      [
        // Lines under 80 columns: commander wraps longer ones where they stand (a stray break).
        "Runs each suite as a Job with a unique name, follows it to the end (watching,",
        "never polling), streams the clone and test logs live, and exits with the",
        "verdict: 0 passed, 1 tests failed, 2 usage or config error, 3 could not run,",
        "4 timed out, 130 interrupted.",
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
    .option(
      "--otlp-endpoint <url>",
      "also send every log line and run event as OTLP logs over HTTP to this OpenTelemetry endpoint (default: OTEL_EXPORTER_OTLP_ENDPOINT)",
    )
    .option("--concurrency <n>", "how many suites run at once (default: all)")
    .option("--fail-fast <duration>", "how long an image pull error, unschedulable pod or missing Secret may last before the suite fails", DEFAULT_FAIL_FAST)
    .option("--timeout <duration>", "override every suite's timeout (e.g. 10m)")
    .option("--retries <n>", "rerun only the failed tests of a failed suite, up to n more times (overrides retries in the config)")
    .option("--fail-on-flaky", "a test that fails, then passes on a retry, fails its suite (exit 1)")
    .option(
      "--keep",
      "keep the run's Jobs and Pods instead of deleting them: on interrupt, and when a container incluster did not add " +
        "(an injected sidecar) holds a pod after its tests",
    )
    .option(
      "--history <store>",
      "where each suite's run history is kept: cluster (ConfigMaps in the namespace), none, or dir:<path> (default: history.store, else cluster)",
    )
    .option("--report-dir <dir>", `where logs and ${RESULT_FILE} go (default ${RUNS_DIR}/<run-id>)`)
    .option("-q, --quiet", "do not echo test output (it is still saved)")
    .option("--no-build", "do not build or push images; run the content-hash tags as they are")
    .option("--engine <engine>", "image engine: podman, docker, buildah or nerdctl (default: image.engine, else the first on PATH)")
    .option("--platform <os/arch>", "build images for this platform (default: image.platform, else the cluster's nodes, else this machine)")
    .option("--debug-on-failure", "when a suite's tests fail, recreate its pod held open and open a shell in it (incluster debug --shell)")
    .option("--deadline <duration>", "with --debug-on-failure: how long the debug pod may stay up", DEFAULT_DEBUG_DEADLINE)
    .option("--watch", "with source: local, rerun the suites each time a file of the working tree changes, one verdict line per round (Ctrl-C ends)")
    .action(async (names: string[], flags: RunFlags) => {
      const { runAction } = await import("../actions/run.js");
      ctx.setExitCode(await runAction(ctx, names, flags));
    });
}
