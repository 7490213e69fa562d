// incluster render's action (loaded when the command runs; commands/render.ts declares it).
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { contextFiles } from "../../build/context-files.js";
import { planBuild, withBuiltImage } from "../../build/plan.js";
import type { Config } from "../../config/schema.js";
import { resolveSuite, type ResolvedSuite } from "../../config/resolve.js";
import { toJson, toYaml } from "../../render/format.js";
import { renderSuite } from "../../render/suite.js";
import { buildPlatform, checkPlatformFlag } from "../build-step.js";
import { loadForCommand } from "../load-config.js";
import type { CliContext } from "../context.js";

export function renderAction(ctx: CliContext, suite: string, opts: { output: "yaml" | "json"; platform?: string }): void {
  checkPlatformFlag(opts.platform);
  const { config, path } = loadForCommand(ctx);
  const objects = renderSuite(builtImage(ctx, config, resolveSuite(config, suite), dirname(path), opts.platform));
  ctx.stdout.write(opts.output === "json" ? toJson(objects) : toYaml(objects));
}

/**
 * A suite incluster builds shows the content-hash tag `run <suite>` would use (reading files only,
 * no engine, no registry), for the same platform choice as the build step.
 */
function builtImage(ctx: CliContext, config: Config, suite: ResolvedSuite, configDir: string, platform: string | undefined): ResolvedSuite {
  if (!suite.build) return suite;
  try {
    return withBuiltImage(suite, planBuild(suite, configDir, { readText: (p) => readFileSync(p, "utf8"), contextFiles }, buildPlatform(config, platform)).ref);
  } catch (err) {
    ctx.stderr.write(`note: cannot compute ${suite.name}'s content tag (${(err as Error).message}); showing ${suite.image}\n`);
    return suite;
  }
}
