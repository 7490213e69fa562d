// incluster clean's action (loaded when the command runs; commands/clean.ts declares it).
import { podsOf, runEnded } from "../../diagnose/job-state.js";
import { MANAGED_BY, RUN_ID_LABEL, overlayJob } from "../../render/names.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";
import type { CleanFlags } from "../commands/clean.js";

export async function cleanAction(ctx: CliContext, flags: CleanFlags): Promise<void> {
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
}
