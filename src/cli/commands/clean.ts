// `incluster clean`: delete finished incluster runs (by label); --all also running ones.
// It only ever selects Jobs labelled managed-by=incluster: never someone else's.
import type { Command } from "commander";
import type { CliContext } from "../context.js";

export interface CleanFlags {
  all?: boolean;
  run?: string;
  dryRun?: boolean;
}

export function registerClean(program: Command, ctx: CliContext): void {
  program
    .command("clean")
    .summary("delete finished incluster Jobs (and their Pods) in the namespace")
    .description(
      [
        "Deletes Jobs labelled app.kubernetes.io/managed-by=incluster that have finished.",
        "Jobs of other tools or people are never selected.",
        "",
        "Examples:",
        "  incluster clean --dry-run",
        "  incluster clean --run k3x9q2",
        "  incluster clean --all     # also runs still in progress",
      ].join("\n"),
    )
    .option("--all", "also delete runs that are still in progress")
    .option("--run <id>", "only this run")
    .option("--dry-run", "print what would be deleted")
    .action(async (flags: CleanFlags) => (await import("../actions/clean.js")).cleanAction(ctx, flags));
}
