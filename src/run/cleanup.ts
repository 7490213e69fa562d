// What an interrupted run deletes, and how: the session's record of what the run created (each
// suite's latest Job and overlay ConfigMap, the creates still in flight) and whether it was
// interrupted, which a suite's attempts (suite-attempts.ts) keep and heed; and the deletes the
// session (cluster-session.ts) runs on Ctrl-C, unless keep.
import { PassThrough } from "node:stream";
import type { KindWatch } from "../follow/kind-watch.js";
import { Limiter } from "../limiter.js";
import type { Pod } from "../k8s-types.js";
import { toKubeError } from "../kube/errors.js";
import type { ClusterPort } from "../kube/port.js";
import { COLLECTOR_CONTAINER, MANAGED_BY } from "../names.js";
import { RELEASE_COLLECTOR_COMMAND } from "./collect.js";
import type { RunContext } from "./context.js";

/** An interrupted run's pods are deleted with this grace: their tests are stopped, not waited for. */
export const INTERRUPT_POD_GRACE_S = 1;
/** Collectors told to go at once on Ctrl-C (each one pods/exec connection while it lasts). */
export const RELEASE_CONCURRENCY = 8;
/** How long Ctrl-C waits for those releases at most. */
const RELEASE_DEADLINE_MS = 8_000;
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
 * Jobs and Pods go by label, one request each (the run's id and managed-by; never another's),
 * else one by one where "deletecollection" is not granted.
 */
export async function deleteRun(ctx: RunContext, objects: CreatedObjects[], pods: KindWatch<"pods">, selector: { labelSelector: string }): Promise<void> {
  const { port } = ctx;
  const ns = ctx.namespace;
  const note = (text: string) => ctx.emit({ type: "run.note", level: "info", text });
  const ours = `${selector.labelSelector},${MANAGED_BY}=incluster`;
  // Collectors waiting for copies that will not come are told to go, beside the deletes.
  const released = releaseCollectors(ctx, [...pods.objects.values()]);
  // The Job first (deleting pods first would let the Job controller replace them), orphaning
  // its pods, which we delete with a short grace. Not Background: the garbage collector's delete
  // of the pods, with their full terminationGracePeriodSeconds (120 s), reached the kubelet before
  // ours, and a kill under way keeps its grace (seen: StopContainer with timeout 120 while our
  // 1 s delete was on the pod). A Job deleted just after its create may keep the orphan finalizer
  // a while as the garbage collector catches up (once ~35 s, seen on the cli branch).
  const jobs = async () => {
    const byLabel = await byCollection(ctx, "jobs", ours, { propagation: "Orphan" });
    if (byLabel) return;
    await Promise.all(
      objects.map(async ({ job }) => {
        if (!job) return;
        const gone = await port.delete("jobs", ns, job, { propagation: "Orphan" }).catch((e: unknown) => {
          note(`could not delete job/${job}: ${toKubeError(e).message}`);
          return false;
        });
        if (gone) note(`deleted job/${job}`);
      }),
    );
  };
  const overlays = objects.map(async ({ overlay }) => {
    if (!overlay) return;
    const gone = await port.delete("configmaps", ns, overlay).catch((e: unknown) => {
      note(`could not delete configmap/${overlay}: ${toKubeError(e).message} (incluster clean removes it)`);
      return false;
    });
    if (gone) note(`deleted configmap/${overlay}`);
  });
  await jobs();
  // The run's pods: those the watch has, and those it has not delivered yet (a Job interrupted
  // just after its create: the Job controller's pod, now orphaned, would otherwise run on).
  const deleted = new Set<string>();
  const deletePod = async (name: string) => {
    if (!name || deleted.has(name)) return;
    deleted.add(name);
    const gone = await port.delete("pods", ns, name, { gracePeriodSeconds: INTERRUPT_POD_GRACE_S }).catch(() => false);
    if (gone) note(`deleted pod/${name}`);
  };
  const podsByLabel = await byCollection(ctx, "pods", ours, { gracePeriodSeconds: INTERRUPT_POD_GRACE_S });
  if (podsByLabel) for (const name of podsByLabel) deleted.add(name);
  else {
    const listed = await port.list("pods", ns, selector).then(
      (l) => l.items,
      () => [],
    );
    await Promise.all([...pods.objects.values(), ...listed].map((p) => deletePod(p.metadata?.name ?? "")));
  }
  await Promise.all([...overlays, released]);
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

/** One deletecollection by label; the names it deleted, or undefined when the port or the user's RBAC cannot (then one by one). */
async function byCollection(ctx: RunContext, kind: "jobs" | "pods", labelSelector: string, opts: Parameters<NonNullable<ClusterPort["deleteCollection"]>>[3]) {
  if (!ctx.port.deleteCollection) return undefined;
  try {
    const names = await ctx.port.deleteCollection(kind, ctx.namespace, labelSelector, opts);
    const singular = kind === "jobs" ? "job" : "pod";
    for (const name of names) ctx.emit({ type: "run.note", level: "info", text: `deleted ${singular}/${name}` });
    return names;
  } catch {
    return undefined;
  }
}

/**
 * A pod whose tests ended holds on while its collector waits for a copy (up to its idle grace,
 * COLLECTOR_GRACE): the kubelet is already stopping that sidecar with the pod's full grace, and
 * a later delete with a 1 s grace does not shorten a kill under way (seen on this cluster: 28 pods
 * of an interrupted 30-suite run still there 18 s later). Interrupted, no copy is coming: each
 * such collector is told so (the marker a copy leaves).
 */
async function releaseCollectors(ctx: RunContext, pods: readonly Pod[]): Promise<void> {
  // Not only pods whose tests ended as far as the watch knows: with 30 containers ending at once
  // the kubelet's status comes 3-5 s late, and its kill is under way before. A collector whose
  // tests still run takes the marker as a copy done, and leaves at once on its TERM either way.
  const waiting = pods.filter((p) => p.status?.initContainerStatuses?.some((c) => c.name === COLLECTOR_CONTAINER && c.state?.running));
  // Not under the copy slots: at limit 1 and ~0.3 s an exec on a busy node, 30 releases in turn
  // took 9.6 s. Each is one short exec; RELEASE_CONCURRENCY of them at once, beside the copies.
  const releases = new Limiter(RELEASE_CONCURRENCY);
  // An API server that stops answering must not hold Ctrl-C: past the deadline the rest is given
  // up (those collectors go after their idle grace).
  const deadline = new AbortController();
  const timer = ctx.setTimer(() => deadline.abort(), RELEASE_DEADLINE_MS);
  await Promise.all(
    waiting.map(async (p) => {
      const slot = await releases.acquire({ signal: deadline.signal });
      if (!slot) return;
      try {
        const pod = p.metadata?.name ?? "";
        const req = { namespace: ctx.namespace, pod, container: COLLECTOR_CONTAINER, command: RELEASE_COLLECTOR_COMMAND, signal: deadline.signal };
        await ctx.port.exec(req, new PassThrough().resume(), new PassThrough().resume());
      } finally {
        slot.release();
      }
    }),
  );
  timer.cancel();
}
