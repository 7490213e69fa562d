// `incluster debug <suite> [--run <id>]`: the failed suite's pod, recreated and held open, with a
// shell in it (--shell) or the kubectl exec line; deleted when the shell ends or the deadline passes.
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import type { DebugFlags } from "../actions/debug.js";
import { DEFAULT_DEBUG_DEADLINE } from "../../debug/pod.js";

export function registerDebug(program: Command, ctx: CliContext): void {
  program
    .command("debug")
    .summary("recreate a failed suite's pod held open, and open a shell in it")
    .description(
      [
        [
          "Recreates the pod of the suite's newest failed Job (or of run <id>) as a pod that stays up:",
          "the same image, env, ServiceAccount, resources and checked-out source (the same commit and",
          "local overlay), Pod Security \"restricted\" kept, the test command replaced by a hold bounded",
          "by --deadline. Waits until it is Running, then prints the kubectl exec line, or with --shell",
          "opens the shell itself. The pod is deleted when the shell ends, on Ctrl-C, or at the deadline.",
        ].join(" "),
        "",
        "Examples:",
        "  # a shell in the newest failed Job's pod, held open; exit it to delete the pod",
        "  incluster debug services --shell",
        "  # run 5g0l9b's pod, for kubectl exec, deleted after 10 minutes",
        "  incluster debug services --run 5g0l9b --deadline 10m",
      ].join("\n"),
    )
    .argument("<suite>", "suite name from incluster.yaml")
    .option("--run <id>", "the run whose Job to recreate (default: the suite's newest failed Job)")
    .option("--deadline <duration>", "how long the pod may stay up", DEFAULT_DEBUG_DEADLINE)
    .option("--shell", "open a shell in the pod (pods/exec) instead of printing the kubectl exec line")
    .action(async (suite: string, flags: DebugFlags) => (await import("../actions/debug.js")).debugAction(ctx, suite, flags));
}
