// incluster validate's action (loaded when the command runs; commands/validate.ts declares it).
import { placeholderError } from "../../config/placeholders.js";
import { listSuites } from "../../config/resolve.js";
import { loadForCommand } from "../load-config.js";
import type { CliContext } from "../context.js";

export function validateAction(ctx: CliContext): void {
  const { config, path } = loadForCommand(ctx);
  // Valid, but not ready: init's registry.example.com would fail only at the push or the pull.
  const placeholders = placeholderError(config, path);
  if (placeholders) throw placeholders;
  const n = listSuites(config).length;
  ctx.stdout.write(`ok: ${n} suite${n === 1 ? "" : "s"} in ${path}\n`);
}
