// `incluster clean`: delete finished incluster runs (by label); --all also running ones.
// It only ever selects Jobs labelled managed-by=incluster: never someone else's.
import type { Command } from "commander";
import { podsOf, runEnded } from "../../diagnose/job-state.js";
import { MANAGED_BY, RUN_ID_LABEL, overlayJob } from "../../render/names.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";

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
    .action(async (flags: { all?: boolean; run?: string; dryRun?: boolean }) => {
      const port = await connect(ctx.globals());
      const namespace = namespaceOf(ctx, port);
      const selector = `${MANAGED_BY}=incluster,${flags.run ? `${RUN_ID_LABEL}=${flags.run}` : RUN_ID_LABEL}`;
      const [{ items }, pods] = await Promise.all([port.list("jobs", namespace, { labelSelector: selector }), port.list("pods", namespace, { labelSelector: selector })]);
      // Finished as run decides it: the Job's condition, or its pod's final state (seconds earlier).
      const chosen = items.filter((j) => flags.all || runEnded(j, podsOf(j, pods.items)));
      for (const j of chosen) {
        const name = j.metadata?.name ?? "";
        if (flags.dryRun) ctx.stdout.write(`would delete job/${name}\n`);
        else if (await port.delete("jobs", namespace, name)) ctx.stdout.write(`deleted job/${name}\n`);
      }
      // source: local overlays belong to their Job; one whose Job is gone (a crash between
      // creating the two) is a leftover.
      const remaining = new Set(items.filter((j) => !chosen.includes(j) || flags.dryRun).map((j) => j.metadata?.name ?? ""));
      for (const cm of await port.listConfigMaps(namespace, selector)) {
        const name = cm.metadata?.name ?? "";
        const owner = overlayJob(name);
        if (owner === undefined || remaining.has(owner)) continue;
        if (flags.dryRun) ctx.stdout.write(`would delete configmap/${name}\n`);
        else if (await port.delete("configmaps", namespace, name)) ctx.stdout.write(`deleted configmap/${name}\n`);
      }
      const kept = items.length - chosen.length;
      ctx.stderr.write(`${flags.dryRun ? "would delete" : "deleted"} ${chosen.length} job(s) in ${namespace}${kept ? `; ${kept} still running (use --all)` : ""}\n`);
    });
}
