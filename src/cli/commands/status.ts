// `incluster status`: the runs in the namespace, each Job classified as `run` would (diagnose/job-state).
import type { Command } from "commander";
import { Option } from "commander";
import type { CliContext } from "../context.js";

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command("status")
    .summary("list incluster runs in the namespace, each with run's verdict and failure class")
    .description(
      [
        "Lists Jobs labelled app.kubernetes.io/managed-by=incluster: run id, suite,",
        "state, age. A finished Job shows the verdict and class `run` gave it (failed",
        "(testsFailed), timed out (deadlineExceeded), could not run (cloneFailed),",
        "passed); others show their phase.",
        "",
        "Examples:",
        "  incluster status",
        "  incluster status -n e2e -o json",
      ].join("\n"),
    )
    .addOption(new Option("-o, --output <format>", "a document on stdout instead of the table").choices(["json"]))
    .action(async (flags: { output?: "json" }) => (await import("../actions/status.js")).statusAction(ctx, flags));
}
