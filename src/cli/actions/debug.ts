// incluster debug's action (loaded when the command runs; commands/debug.ts declares it): a shell
// over the library's debug() with the terminal's streams and Ctrl-C.
import { checkRunId } from "../../api/cluster.js";
import { deadlineSeconds, debug } from "../../api/debug.js";
import type { DebugOptions, DebugResult } from "../../api/debug.js";
import { ExitCode } from "../../exit-codes.js";
import type { CliContext } from "../context.js";
import { loadForCommand } from "../load-config.js";

/** --deadline and --run, checked before any contact (exit 2). */
/** The options commands/debug.ts declares, as commander hands them to the action. */
export interface DebugFlags {
  run?: string;
  deadline: string;
  shell?: boolean;
}

export function checkDebugFlags(flags: { run?: string; deadline?: string }): number {
  const seconds = deadlineSeconds(flags.deadline, "--deadline");
  checkRunId(flags.run, "--run");
  return seconds;
}

/** The library's debug() on this terminal; the first Ctrl-C ends the hold. */
export async function runDebug(ctx: CliContext, suite: string, o: DebugOptions): Promise<DebugResult> {
  const g = ctx.globals();
  const controller = new AbortController();
  const detach = ctx.onInterrupt(() => controller.abort());
  try {
    return await debug(suite, {
      ...(g.kubeconfig ? { kubeconfig: g.kubeconfig } : {}),
      ...(g.context ? { context: g.context } : {}),
      ...o,
      signal: controller.signal,
      stdin: process.stdin,
      stdout: ctx.stdout,
      stderr: ctx.stderr,
    });
  } finally {
    detach();
  }
}

export async function debugAction(ctx: CliContext, suite: string, flags: DebugFlags): Promise<void> {
  const deadline = checkDebugFlags(flags);
  // -n and INCLUSTER_NAMESPACE are applied to it; an unknown suite is a usage error, before any contact.
  const { config } = loadForCommand(ctx);
  const r = await runDebug(ctx, suite, { config, deadline, ...(flags.run ? { runId: flags.run } : {}), shell: Boolean(flags.shell) });
  ctx.setExitCode(r.shellExit ?? ExitCode.ok);
}
