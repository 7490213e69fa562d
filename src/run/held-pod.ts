// A pod whose tests ended but that a container incluster did not add keeps running: an admission
// webhook's ordinary sidecar (a mesh proxy). Its Job would run until activeDeadlineSeconds, and
// the collector (a native sidecar) would get no SIGTERM until then, which without pods/exec is when
// it prints the artifacts. The driver (suite-run.ts) asks heldPods once the verdict is in, and
// releases them: before the collector's log is awaited without pods/exec, after the copy with it,
// never with --keep.
import type { ResolvedSuite } from "../config/resolve.js";
import { foreignContainersRunning, jobTerminal } from "../diagnose/outcome.js";
import type { Job, Pod } from "../k8s-types.js";
import type { RunContext } from "./context.js";

/** The grace of a pod held by a sidecar incluster did not add, deleted once its output is copied. */
export const HELD_POD_GRACE_S = 1;

export interface HeldPods {
  pods: Pod[];
  why: string;
}

/** The attempt's pods held by containers incluster did not add; undefined when none is. Pure. */
export function heldPods(job: Job | undefined, pods: Iterable<Pod>, jobName: string, suite: ResolvedSuite): HeldPods | undefined {
  if (!job || jobTerminal(job)) return undefined;
  const live = [...pods].filter((p) => !p.metadata?.deletionTimestamp);
  const held = live.flatMap((p) => {
    const names = foreignContainersRunning(p);
    return names.length ? [`pod/${p.metadata?.name ?? ""} still runs ${names.join(", ")}`] : [];
  });
  if (!held.length) return undefined;
  const why = `${held.join("; ")}: not a container incluster added (an admission webhook's sidecar?)`;
  return { pods: live, why: `${why}, it keeps job/${jobName} running until its ${suite.timeoutSeconds}s timeout` };
}

/**
 * Deletes a held Job (Orphan, as on interrupt) and its pods: `graceS` once their output is copied,
 * the pods' own grace when their collector is still to print it (without pods/exec). The note it
 * returns says which, or why it could not.
 */
export async function releaseHeld(ctx: RunContext, jobName: string, held: HeldPods, graceS: number | undefined): Promise<string> {
  const ns = ctx.namespace;
  const grace = graceS !== undefined ? { gracePeriodSeconds: graceS } : {};
  const plural = held.pods.length > 1 ? "s" : "";
  const how = graceS !== undefined ? ", their output copied" : ", so that the collector prints the artifacts";
  return ctx.port
    .delete("jobs", ns, jobName, { propagation: "Orphan" })
    .then(() => Promise.all(held.pods.map((p) => ctx.port.delete("pods", ns, p.metadata?.name ?? "", grace))))
    .then(
      () => `${held.why}; deleted the Job and its pod${plural}${how}`,
      (e: { message?: string }) => `${held.why}; could not delete it (${e.message ?? String(e)}): \`incluster clean\` deletes it`,
    );
}
