// incluster scaffold <suite>: write the guide's layout (Dockerfile, run_test.py, manifest) for
// teams that keep manifests in git and run them without incluster.
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function registerScaffold(program: Command, ctx: CliContext): void {
  program
    .command("scaffold")
    .summary("write the guide's Dockerfile, run_test.py and Job manifest for a suite")
    .description(
      "Write jobs/test-<suite>-e2e/{Dockerfile,run_test.py} and deploy/k8s/99-test-<suite>-e2e.yaml, usable with podman/docker and kubectl alone. " +
        "A file that exists and differs is left alone unless --force; if any was left alone the exit code is 2.",
    )
    .argument("<suite>", "suite name from incluster.yaml")
    .option("--force", "overwrite files that differ")
    .option("--dir <dir>", "repository root to write into (default: the folder holding incluster.yaml)")
    .addHelpText(
      "after",
      `
Examples:
  # Write the three files for the smoke suite next to incluster.yaml
  incluster scaffold smoke

  # Regenerate them after changing incluster.yaml
  incluster scaffold smoke --force`,
    )
    .action(async (suiteName: string, opts: { force?: boolean; dir?: string }) =>
      (await import("../actions/scaffold.js")).scaffoldAction(ctx, suiteName, opts),
    );
}
