// incluster validate's action (loaded when the command runs; commands/validate.ts declares it).
import { placeholderError } from "../../config/placeholders.js";
import { listSuites, resolveSuite } from "../../config/resolve.js";
import { unrestrictedWarnings } from "../../render/pod-template.js";
import { loadForCommand } from "../load-config.js";
import type { CliContext } from "../context.js";

export function validateAction(ctx: CliContext): void {
  const { config, path } = loadForCommand(ctx);
  // Valid, but not ready: init's registry.example.com would fail only at the push or the pull.
  const placeholders = placeholderError(config, path);
  if (placeholders) throw placeholders;
  const names = listSuites(config);
  // Acknowledged (allowUnrestricted: true), so valid; said all the same, as every run says it.
  for (const w of unrestrictedWarnings(names.map((s) => resolveSuite(config, s)))) ctx.stderr.write(`warning: ${w}\n`);
  const n = names.length;
  ctx.stdout.write(`ok: ${n} suite${n === 1 ? "" : "s"} in ${path}\n`);
}
