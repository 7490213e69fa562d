// `incluster dev <suite>`: one held pod of the suite; each save in the working tree sends the
// changed files into it and reruns the tests in place, one verdict line per round. The action
// (actions/dev.ts) is loaded only when the command runs.
import type { Command } from "commander";
import { DEFAULT_DEV_IDLE } from "../../names.js";
import type { CliContext } from "../context.js";
import type { DevFlags } from "../actions/dev.js";

export function registerDev(program: Command, ctx: CliContext): void {
  program
    .command("dev")
    .summary("hold one pod of a suite and rerun its tests in place on every save")
    .description(
      [
        "Starts one pod of the suite as a run would (the same image, env, ServiceAccount,",
        "resources, clone and local overlay, Pod Security \"restricted\"), held alive. On",
        "each save in the working tree only the changed files go into the pod (one tar",
        "over pods/exec, credential-like files left out as source: local leaves them),",
        "then the tests run in the pod: one verdict line per round on stdout, the tests'",
        "output and results on stderr. A change to the config, a Dockerfile or a",
        "dependency manifest rebuilds the image and recreates the pod. The pod is deleted",
        "on exit, on Ctrl-C, and after --idle with no round. Needs source: local.",
        "",
        "Examples:",
        "  # rerun the services suite in its held pod on every save",
        "  incluster dev services",
        "  # only the test files that changed; every event to a file",
        "  incluster dev services --changed --events dev.jsonl",
      ].join("\n"),
    )
    .argument("<suite>", "suite name from incluster.yaml")
    .option("--changed", "run only the test files that changed (pytest; the whole suite when none did)")
    .option("--idle <duration>", "delete the pod after this long without a round", DEFAULT_DEV_IDLE)
    .option("--events <file>", "write every event of every round as a JSON line to a file")
    .option("-q, --quiet", "do not echo the tests' output")
    .option("--engine <engine>", "image engine for a suite incluster builds: podman, docker, buildah or nerdctl")
    .action(async (suite: string, flags: DevFlags) => {
      const { devAction } = await import("../actions/dev.js");
      ctx.setExitCode(await devAction(ctx, suite, flags));
    });
}
