// incluster render's action (loaded when the command runs; commands/render.ts declares it).
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Config } from "../../config/schema.js";
import { placeholderProblems } from "../../config/placeholders.js";
import { resolveSuite, type ResolvedSuite } from "../../config/resolve.js";
import { toJson, toYaml } from "../../render/format.js";
import { renderSuite } from "../../render/suite.js";
import { unrestrictedWarnings } from "../../render/pod-template.js";
import { buildPlatform, checkPlatformFlag } from "../build-flags.js";
import { loadForCommand } from "../load-config.js";
import type { CliContext } from "../context.js";

export async function renderAction(ctx: CliContext, suite: string, opts: { output: "yaml" | "json"; platform?: string }): Promise<void> {
  checkPlatformFlag(opts.platform);
  const { config, path } = loadForCommand(ctx);
  // A preview may show placeholders; validate and run refuse them.
  for (const p of placeholderProblems(config)) ctx.stderr.write(`warning: ${p} (validate and run refuse it)\n`);
  const resolved = resolveSuite(config, suite);
  for (const w of unrestrictedWarnings([resolved])) ctx.stderr.write(`warning: ${w}\n`);
  const objects = renderSuite(await builtImage(ctx, config, resolved, dirname(path), opts.platform));
  ctx.stdout.write(opts.output === "json" ? toJson(objects) : toYaml(objects));
}

/**
 * A suite incluster builds shows the content-hash tag `run <suite>` would use (reading files only,
 * no engine, no registry), for the same platform choice as the build step. Loaded only then: the
 * hashing (node:crypto) is a few ms of every other render's start-up.
 */
async function builtImage(ctx: CliContext, config: Config, suite: ResolvedSuite, configDir: string, platform: string | undefined): Promise<ResolvedSuite> {
  if (!suite.build) return suite;
  const [{ contextFiles }, { planBuild, withBuiltImage }] = await Promise.all([import("../../build/context-files.js"), import("../../build/plan.js")]);
  try {
    return withBuiltImage(suite, planBuild(suite, configDir, { readText: (p) => readFileSync(p, "utf8"), contextFiles }, buildPlatform(config, platform)).ref);
  } catch (err) {
    ctx.stderr.write(`note: cannot compute ${suite.name}'s content tag (${(err as Error).message}); showing ${suite.image}\n`);
    return suite;
  }
}
