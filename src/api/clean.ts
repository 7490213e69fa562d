// The library's clean: deletes finished incluster runs in a namespace (by label, never another
// tool's objects). It cannot tell a run whose caller still follows it from one whose caller died
// (killed, a lost CI runner): a running Job is left alone unless its run is named or `all` is set.
import { podsOf, runEnded } from "../diagnose/job-state.js";
import { DEV_LABEL, JOB_NAME_LABEL, MANAGED_BY, RUN_ID_LABEL, jobName, overlayJob } from "../names.js";
import { checkRunId, onCluster, reach } from "./cluster.js";
import type { ClusterAccess } from "./cluster.js";

export interface CleanOptions extends ClusterAccess {
  /** Also runs still in progress. */
  all?: boolean;
  /** Only this run, also while it is still in progress. */
  runId?: string;
  /** Delete nothing: say what would be deleted. */
  dryRun?: boolean;
  /** Each object as it is deleted (or would be), as kind/name: "job/…", "pod/…", "configmap/…". */
  onDelete?: (object: string) => void;
}

export interface CleanResult {
  namespace: string;
  dryRun: boolean;
  /** The Jobs chosen: finished ones, the named run's, or all. */
  jobs: string[];
  /** Every object deleted (or, with dryRun, that would be), as kind/name, in order. */
  deleted: string[];
  /** Jobs left because they are still running, and their run ids. */
  kept: { jobs: string[]; runs: string[] };
}

export async function clean(o: CleanOptions = {}): Promise<CleanResult> {
  return onCluster(() => cleanUnwrapped(o));
}

async function cleanUnwrapped(o: CleanOptions = {}): Promise<CleanResult> {
  checkRunId(o.runId);
  const { port, namespace } = await reach(o);
  const selector = `${MANAGED_BY}=incluster,${o.runId ? `${RUN_ID_LABEL}=${o.runId}` : RUN_ID_LABEL}`;
  // Pods first: a pod's Job exists before it does, so a Job missing from the later list is gone.
  const pods = await port.list("pods", namespace, { labelSelector: selector });
  const { items } = await port.list("jobs", namespace, { labelSelector: selector });
  // Finished as run decides it: the Job's condition, or its pod's final state (seconds earlier).
  const chosen = items.filter((j) => o.all || o.runId || runEnded(j, podsOf(j, pods.items)));
  const deleted: string[] = [];
  const remove = async (kind: "jobs" | "pods" | "configmaps", name: string, opts?: { gracePeriodSeconds?: number; propagation?: "Orphan" }) => {
    if (!o.dryRun && !(await port.delete(kind, namespace, name, opts))) return;
    const what = `${kind.replace(/s$/, "")}/${name}`;
    deleted.push(what);
    o.onDelete?.(what);
  };
  // As an interrupted run does: the Job with Orphan propagation (the garbage collector would give
  // each running pod its full termination grace, 30 s by default), then its pods with 5 s.
  for (const j of chosen) await remove("jobs", j.metadata?.name ?? "", { propagation: "Orphan" });
  const jobNames = new Set(items.map((j) => j.metadata?.name ?? ""));
  const chosenNames = new Set(chosen.map((j) => j.metadata?.name ?? ""));
  // `incluster dev`'s held pods (no Job): one still held is its session's, kept like a running
  // Job unless its run is named or `all` is set; one whose hold ended (idle) is a leftover.
  const isDev = (p: (typeof pods.items)[number]) => p.metadata?.labels?.[DEV_LABEL] !== undefined;
  const heldDev = pods.items.filter((p) => isDev(p) && !o.all && !o.runId && !["Succeeded", "Failed"].includes(p.status?.phase ?? ""));
  for (const p of pods.items) {
    if (heldDev.includes(p)) continue;
    const job = p.metadata?.labels?.[JOB_NAME_LABEL] ?? "";
    // A chosen Job's pods, and pods whose Job is already gone (a run killed mid-cleanup).
    if (chosenNames.has(job) || !jobNames.has(job)) await remove("pods", p.metadata?.name ?? "", { gracePeriodSeconds: 5 });
  }
  // source: local overlays belong to their Job; one whose Job is gone (a crash between
  // creating the two) is a leftover.
  const remaining = new Set(items.filter((j) => !chosen.includes(j) || o.dryRun).map((j) => j.metadata?.name ?? ""));
  // A held dev pod's overlay is named after the Job name its session would have.
  for (const p of heldDev) remaining.add(jobName(p.metadata?.labels?.[DEV_LABEL] ?? "", p.metadata?.labels?.[RUN_ID_LABEL]));
  for (const cm of await port.listConfigMaps(namespace, selector)) {
    const name = cm.metadata?.name ?? "";
    const owner = overlayJob(name);
    if (owner === undefined || remaining.has(owner)) continue;
    await remove("configmaps", name);
  }
  const running = items.filter((j) => !chosen.includes(j));
  return {
    namespace,
    dryRun: Boolean(o.dryRun),
    jobs: chosen.map((j) => j.metadata?.name ?? ""),
    deleted,
    kept: {
      jobs: running.map((j) => j.metadata?.name ?? ""),
      runs: [...new Set([...running, ...heldDev].map((j) => j.metadata?.labels?.[RUN_ID_LABEL] ?? "?"))],
    },
  };
}
