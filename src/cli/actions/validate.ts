// incluster validate's action (loaded when the command runs; commands/validate.ts declares it).
import { listSuites } from "../../config/resolve.js";
import { loadForCommand } from "../load-config.js";
import type { CliContext } from "../context.js";

export function validateAction(ctx: CliContext): void {
  const { config, path } = loadForCommand(ctx);
  const n = listSuites(config).length;
  ctx.stdout.write(`ok: ${n} suite${n === 1 ? "" : "s"} in ${path}\n`);
}
