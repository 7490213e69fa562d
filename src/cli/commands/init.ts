// incluster init: write a starting incluster.yaml from the repository. Never overwrites.
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export function registerInit(program: Command, ctx: CliContext): void {
  program
    .command("init")
    .summary("write a starting incluster.yaml from this repository")
    .description(
      "Write incluster.yaml with the git remote, the current branch, the test folders and the runners found " +
        "(pytest, node:test, go test, jest, vitest, Playwright). Never overwrites an existing file.",
    )
    .option("--dir <dir>", "repository root", ".")
    .addHelpText(
      "after",
      `
Examples:
  # In the repository root
  incluster init && incluster validate`,
    )
    .action(async (opts: { dir: string }) => (await import("../actions/init.js")).initAction(ctx, opts));
}
