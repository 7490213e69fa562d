// incluster debug's action (loaded when the command runs; commands/debug.ts declares it).
import { parseDuration } from "../../config/duration.js";
import { resolveSuite } from "../../config/resolve.js";
import { debugSession } from "../../debug/session.js";
import { UsageError } from "../../errors.js";
import { ExitCode } from "../../exit-codes.js";
import { RUN_ID_PATTERN } from "../../run/run-id.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { loadForCommand } from "../load-config.js";
import { withContextNamespace } from "../namespace.js";
import { DEFAULT_DEBUG_DEADLINE } from "../../debug/pod.js";

/** The options commands/debug.ts declares, as commander hands them to the action. */
export interface DebugFlags {
  run?: string;
  deadline: string;
  shell?: boolean;
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

export async function debugAction(ctx: CliContext, suite: string, flags: DebugFlags): Promise<void> {
  const deadlineSeconds = checkDebugFlags(flags);
  const loaded = loadForCommand(ctx);
  resolveSuite(loaded.config, suite); // an unknown suite is a usage error, before any contact
  const port = await connect(ctx.globals());
  const namespace = withContextNamespace(loaded.config, port).namespace;
  const r = await runDebug(ctx, { namespace, suite, ...(flags.run ? { runId: flags.run } : {}), deadlineSeconds, shell: Boolean(flags.shell) }, port);
  ctx.setExitCode(r.shellExit ?? ExitCode.ok);
}
