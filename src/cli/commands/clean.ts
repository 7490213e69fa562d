// `incluster clean`: delete finished incluster runs (by label); --run <id> one run, finished or
// not; --all every run. It only ever selects objects labelled managed-by=incluster: never someone else's.
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import type { CleanFlags } from "../actions/clean.js";

export function registerClean(program: Command, ctx: CliContext): void {
  program
    .command("clean")
    .summary("delete finished incluster Jobs (and their Pods) in the namespace")
    .description(
      [
        "Deletes Jobs labelled app.kubernetes.io/managed-by=incluster that have",
        "finished, their Pods and overlay ConfigMaps. Objects of other tools or people",
        "are never selected. A running Job may belong to a CLI still following it, so it",
        "is kept unless its run is named (--run, e.g. a run whose CLI was killed) or",
        "--all is given.",
        "",
        "Examples:",
        "  incluster clean --dry-run",
        "  incluster clean --run k3x9q2   # that run, finished or not",
        "  incluster clean --all          # also runs still in progress",
      ].join("\n"),
    )
    .option("--all", "also delete runs that are still in progress")
    .option("--run <id>", "only this run, also while it is still in progress")
    .option("--dry-run", "print what would be deleted")
    .action(async (flags: CleanFlags) => (await import("../actions/clean.js")).cleanAction(ctx, flags));
}
