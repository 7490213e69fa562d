// incluster clean's action (loaded when the command runs; commands/clean.ts declares it).
// It cannot tell a run whose CLI still follows it from one whose CLI died (killed, a lost CI
// runner): a running Job is left alone unless the user names its run (--run) or says --all.
import { podsOf, runEnded } from "../../diagnose/job-state.js";
import { JOB_NAME_LABEL, MANAGED_BY, RUN_ID_LABEL, overlayJob } from "../../names.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";

/** The options commands/clean.ts declares, as commander hands them to the action. */
export interface CleanFlags {
  all?: boolean;
  run?: string;
  dryRun?: boolean;
}

export async function cleanAction(ctx: CliContext, flags: CleanFlags): Promise<void> {
  const port = await connect(ctx.globals());
  const namespace = namespaceOf(ctx, port);
  const selector = `${MANAGED_BY}=incluster,${flags.run ? `${RUN_ID_LABEL}=${flags.run}` : RUN_ID_LABEL}`;
  // Pods first: a pod's Job exists before it does, so a Job missing from the later list is gone.
  const pods = await port.list("pods", namespace, { labelSelector: selector });
  const { items } = await port.list("jobs", namespace, { labelSelector: selector });
  // Finished as run decides it: the Job's condition, or its pod's final state (seconds earlier).
  const chosen = items.filter((j) => flags.all || flags.run || runEnded(j, podsOf(j, pods.items)));
  const say = (what: string) => ctx.stdout.write(`${flags.dryRun ? "would delete" : "deleted"} ${what}\n`);
  const remove = async (kind: "jobs" | "pods" | "configmaps", name: string, opts?: { gracePeriodSeconds?: number; propagation?: "Orphan" }) => {
    if (flags.dryRun || (await port.delete(kind, namespace, name, opts))) say(`${kind.replace(/s$/, "")}/${name}`);
  };
  // As an interrupted run does: the Job with Orphan propagation (the garbage collector would give
  // each running pod its full termination grace, 30 s by default), then its pods with 5 s.
  for (const j of chosen) await remove("jobs", j.metadata?.name ?? "", { propagation: "Orphan" });
  const jobNames = new Set(items.map((j) => j.metadata?.name ?? ""));
  const chosenNames = new Set(chosen.map((j) => j.metadata?.name ?? ""));
  for (const p of pods.items) {
    const job = p.metadata?.labels?.[JOB_NAME_LABEL] ?? "";
    // A chosen Job's pods, and pods whose Job is already gone (a run killed mid-cleanup).
    if (chosenNames.has(job) || !jobNames.has(job)) await remove("pods", p.metadata?.name ?? "", { gracePeriodSeconds: 5 });
  }
  // source: local overlays belong to their Job; one whose Job is gone (a crash between
  // creating the two) is a leftover.
  const remaining = new Set(items.filter((j) => !chosen.includes(j) || flags.dryRun).map((j) => j.metadata?.name ?? ""));
  for (const cm of await port.listConfigMaps(namespace, selector)) {
    const name = cm.metadata?.name ?? "";
    const owner = overlayJob(name);
    if (owner === undefined || remaining.has(owner)) continue;
    await remove("configmaps", name);
  }
  const running = items.filter((j) => !chosen.includes(j));
  const runs = [...new Set(running.map((j) => j.metadata?.labels?.[RUN_ID_LABEL] ?? "?"))];
  const kept = running.length ? `; kept ${running.length} still running (run ${runs.join(", ")}: its CLI may still follow it; --run <id> or --all deletes it)` : "";
  ctx.stderr.write(`${flags.dryRun ? "would delete" : "deleted"} ${chosen.length} job(s) in ${namespace}${kept}\n`);
}
