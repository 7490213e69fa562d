// incluster render <suite>: the suite's objects, printed, without contacting any cluster.
import type { Command } from "commander";
import { Option } from "commander";
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

export function registerRender(program: Command, ctx: CliContext): void {
  program
    .command("render")
    .summary("print a suite's Job, ServiceAccount, Role and RoleBinding without contacting a cluster")
    .description("Print the Kubernetes objects incluster would apply for a suite. Nothing is sent to a cluster.")
    .argument("<suite>", "suite name from incluster.yaml")
    .addOption(new Option("-o, --output <format>", "output format").choices(["yaml", "json"]).default("yaml"))
    .option("--platform <os/arch>", "platform of the built image's tag, like linux/arm64 (default: image.platform, else this machine's)")
    .addHelpText(
      "after",
      `
Examples:
  # Show what would run for the smoke suite
  incluster render smoke

  # Apply it by hand, as the guide does
  incluster render smoke | kubectl apply -f -

  # JSON (a v1 List), for jq
  incluster render smoke -o json | jq '.items[] | .kind'`,
    )
    .action((suite: string, opts: { output: "yaml" | "json"; platform?: string }) => {
      checkPlatformFlag(opts.platform);
      const { config, path } = loadForCommand(ctx);
      const objects = renderSuite(builtImage(ctx, config, resolveSuite(config, suite), dirname(path), opts.platform));
      ctx.stdout.write(opts.output === "json" ? toJson(objects) : toYaml(objects));
    });
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
