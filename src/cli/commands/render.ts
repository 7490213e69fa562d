// incluster render <suite>: the suite's objects, printed, without contacting any cluster.
import type { Command } from "commander";
import { Option } from "commander";
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
    .action(async (suite: string, opts: { output: "yaml" | "json"; platform?: string }) =>
      (await import("../actions/render.js")).renderAction(ctx, suite, opts),
    );
}
