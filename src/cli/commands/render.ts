// incluster render <suite>: the suite's objects, printed, without contacting any cluster.
import type { Command } from "commander";
import { Option } from "commander";
import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { contextFiles } from "../../build/context-files.js";
import { planBuild, withBuiltImage } from "../../build/plan.js";
import { resolveSuite, type ResolvedSuite } from "../../config/resolve.js";
import { toJson, toYaml } from "../../render/format.js";
import { renderSuite } from "../../render/suite.js";
import { loadForCommand } from "../load-config.js";
import type { CliContext } from "../context.js";

export function registerRender(program: Command, ctx: CliContext): void {
  program
    .command("render")
    .summary("print a suite's Job, ServiceAccount, Role and RoleBinding without contacting a cluster")
    .description("Print the Kubernetes objects incluster would apply for a suite. Nothing is sent to a cluster.")
    .argument("<suite>", "suite name from incluster.yaml")
    .addOption(new Option("-o, --output <format>", "output format").choices(["yaml", "json"]).default("yaml"))
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
    .action((suite: string, opts: { output: "yaml" | "json" }) => {
      const { config, path } = loadForCommand(ctx);
      const objects = renderSuite(builtImage(ctx, resolveSuite(config, suite), dirname(path)));
      ctx.stdout.write(opts.output === "json" ? toJson(objects) : toYaml(objects));
    });
}

/** A suite incluster builds shows the content-hash tag run would use (reading files only, no engine, no registry). */
function builtImage(ctx: CliContext, suite: ResolvedSuite, configDir: string): ResolvedSuite {
  if (!suite.build) return suite;
  try {
    return withBuiltImage(suite, planBuild(suite, configDir, { readText: (p) => readFileSync(p, "utf8"), contextFiles }).ref);
  } catch (err) {
    ctx.stderr.write(`note: cannot compute ${suite.name}'s content tag (${(err as Error).message}); showing ${suite.image}\n`);
    return suite;
  }
}
