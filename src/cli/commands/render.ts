// incluster render <suite>: the suite's objects, printed, without contacting any cluster.
import type { Command } from "commander";
import { Option } from "commander";
import { resolveSuite } from "../../config/resolve.js";
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
      const { config } = loadForCommand(ctx);
      const objects = renderSuite(resolveSuite(config, suite));
      ctx.stdout.write(opts.output === "json" ? toJson(objects) : toYaml(objects));
    });
}
