// `incluster debug <suite> [--run <id>]`: the failed suite's pod, recreated and held open, with a
// shell in it (--shell) or the kubectl exec line; deleted when the shell ends or the deadline passes.
import type { Command } from "commander";
import { parseDuration } from "../../config/duration.js";
import { resolveSuite } from "../../config/resolve.js";
import { DEFAULT_DEBUG_DEADLINE } from "../../debug/pod.js";
import { debugSession } from "../../debug/session.js";
import { UsageError } from "../../errors.js";
import { ExitCode } from "../../exit-codes.js";
import { RUN_ID_PATTERN } from "../../run/run-id.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { loadForCommand } from "../load-config.js";
import { withContextNamespace } from "../namespace.js";

export interface DebugFlags {
  run?: string;
  deadline: string;
  shell?: boolean;
}

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
    .action(async (suite: string, flags: DebugFlags) => {
      const deadlineSeconds = checkDebugFlags(flags);
      const loaded = loadForCommand(ctx);
      resolveSuite(loaded.config, suite); // an unknown suite is a usage error, before any contact
      const port = await connect(ctx.globals());
      const namespace = withContextNamespace(loaded.config, port).namespace;
      const r = await runDebug(ctx, { namespace, suite, ...(flags.run ? { runId: flags.run } : {}), deadlineSeconds, shell: Boolean(flags.shell) }, port);
      ctx.setExitCode(r.shellExit ?? ExitCode.ok);
    });
}

/** --deadline and --run, checked before any contact (exit 2). */
export function checkDebugFlags(flags: { run?: string; deadline?: string }): number {
  const seconds = parseDuration(flags.deadline ?? DEFAULT_DEBUG_DEADLINE);
  if (seconds === undefined) throw new UsageError(`--deadline: expected a duration like 30m or 1h, got ${JSON.stringify(flags.deadline)}`);
  if (flags.run !== undefined && !RUN_ID_PATTERN.test(flags.run)) throw new UsageError(`--run: expected a run id like 5g0l9b, got ${JSON.stringify(flags.run)}`, ["incluster status lists the runs"]);
  return seconds;
}

export async function runDebug(ctx: CliContext, req: Parameters<typeof debugSession>[1], port: Parameters<typeof debugSession>[0]) {
  let detach: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => (detach = ctx.onInterrupt(resolve)));
  try {
    return await debugSession(port, req, { stdin: process.stdin, stdout: ctx.stdout, stderr: ctx.stderr, interrupted });
  } finally {
    detach();
  }
}
