// What an interrupted run deletes, and how: the session's record of what the run created (each
// suite's latest Job and overlay ConfigMap, the creates still in flight) and whether it was
// interrupted, which a suite's attempts (suite-attempts.ts) keep and heed; and the deletes the
// session (cluster-session.ts) runs on Ctrl-C, unless keep.
import type { KindWatch } from "../follow/kind-watch.js";
import { toKubeError } from "../kube/errors.js";
import type { RunContext } from "./context.js";

/** An interrupted run's pods are deleted with this grace: their tests are stopped, not waited for. */
export const INTERRUPT_POD_GRACE_S = 1;
/** After the deletes, how long the pod watch is heeded for a pod the Job controller made as its Job went. */
const LATE_POD_MS = 500;

export interface CreatedObjects {
  job: string;
  overlay?: string;
}

export class RunObjects {
  /** Set by the session the moment the run is interrupted: no suite starts, no attempt is created or retried. */
  interrupted = false;
  /** By suite: its latest Job ("" while only its overlay exists) and overlay ConfigMap. */
  readonly created = new Map<string, CreatedObjects>();
  /** Creates under way: the cleanup waits for them, so a Job whose create() was in flight goes too. */
  readonly inflight = new Set<Promise<void>>();
}

/**
 * Deletes the run's Jobs, their Pods and overlays, all at once, and returns once the deletes are
 * accepted: Ctrl-C leaves within a second or two. The Pods go with a 1 s grace (their collector
 * does not wait for a copy when the tests did not end), so nothing is left a few seconds later.
 */
export async function deleteRun(ctx: RunContext, objects: CreatedObjects[], pods: KindWatch<"pods">, selector: { labelSelector: string }): Promise<void> {
  const { port } = ctx;
  const ns = ctx.namespace;
  const note = (text: string) => ctx.emit({ type: "run.note", level: "info", text });
  // The Job first (deleting pods first would let the Job controller replace them), orphaning
  // its pods, which we delete with a short grace. Not Background: the garbage collector's delete
  // of the pods, with their full terminationGracePeriodSeconds (120 s), reached the kubelet before
  // ours, and a kill under way keeps its grace (seen: StopContainer with timeout 120 while our
  // 1 s delete was on the pod). A Job deleted just after its create may keep the orphan finalizer
  // a while as the garbage collector catches up (once ~35 s, seen on the cli branch).
  const jobs = objects.map(async ({ job }) => {
    if (!job) return;
    const gone = await port.delete("jobs", ns, job, { propagation: "Orphan" }).catch((e: unknown) => {
      note(`could not delete job/${job}: ${toKubeError(e).message}`);
      return false;
    });
    if (gone) note(`deleted job/${job}`);
  });
  const overlays = objects.map(async ({ overlay }) => {
    if (!overlay) return;
    const gone = await port.delete("configmaps", ns, overlay).catch((e: unknown) => {
      note(`could not delete configmap/${overlay}: ${toKubeError(e).message} (incluster clean removes it)`);
      return false;
    });
    if (gone) note(`deleted configmap/${overlay}`);
  });
  await Promise.all(jobs);
  // The run's pods: those the watch has, and those it has not delivered yet (a Job interrupted
  // just after its create: the Job controller's pod, now orphaned, would otherwise run on).
  const deleted = new Set<string>();
  const deletePod = async (name: string) => {
    if (!name || deleted.has(name)) return;
    deleted.add(name);
    const gone = await port.delete("pods", ns, name, { gracePeriodSeconds: INTERRUPT_POD_GRACE_S }).catch(() => false);
    if (gone) note(`deleted pod/${name}`);
  };
  const listed = await port.list("pods", ns, selector).then(
    (l) => l.items,
    () => [],
  );
  await Promise.all([...overlays, ...[...pods.objects.values(), ...listed].map((p) => deletePod(p.metadata?.name ?? ""))]);
  // A pod the Job controller was creating as its Job went is in neither: the watch brings it
  // within moments, and it is deleted too.
  await new Promise<void>((resolve) => {
    const unsubscribe = pods.subscribe((_type, p) => {
      if (!p.metadata?.deletionTimestamp) void deletePod(p.metadata?.name ?? "");
    });
    ctx.setTimer(() => {
      unsubscribe();
      resolve();
    }, LATE_POD_MS);
  });
}
