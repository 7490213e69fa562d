// `incluster dev`'s held pod, created and deleted: the suite's ServiceAccount and RBAC applied as
// a run applies them, the overlay ConfigMap first and then owned by the pod (the garbage
// collector deletes it with the pod), the pod watched until Running. Deletion takes the pod and
// its overlay at once (grace 0: the hold has nothing to finish).
import type { ResolvedSuite } from "../config/resolve.js";
import { WAIT_INTERRUPTED, untilRunning } from "../debug/session.js";
import { CouldNotRunError, InterruptedError } from "../errors.js";
import type { KubeObject } from "../k8s-types.js";
import { toKubeError } from "../kube/errors.js";
import type { ClusterPort } from "../kube/port.js";
import { CLONE_CONTAINER } from "../names.js";
import { renderSuite } from "../render/suite.js";
import type { TimerScope } from "../timers.js";
import { devPod } from "./pod.js";

/** How long the held pod may take to be Running (the clone and overlay included). */
export const DEV_START_MS = 180_000;

export interface HeldPod {
  namespace: string;
  name: string;
  /** The overlay ConfigMap, when the source is local and differs from its base commit. */
  overlay?: string;
}

/** Creates the held pod of `suite` for dev session `devId` and waits until it is Running. */
export async function openHeldPod(
  port: ClusterPort,
  suite: ResolvedSuite,
  devId: string,
  idleSeconds: number,
  timers: TimerScope,
  signal?: AbortSignal,
): Promise<HeldPod> {
  const objects = renderSuite(suite, { runId: devId, collectVia: "none" });
  const pod = devPod(suite, devId, idleSeconds);
  const ns = suite.namespace;
  const name = pod.metadata?.name ?? "";
  const shared = [objects.serviceAccount, objects.role, objects.roleBinding].filter((o): o is NonNullable<typeof o> => Boolean(o));
  const held: HeldPod = { namespace: ns, name, ...(objects.overlay ? { overlay: objects.overlay.metadata.name } : {}) };
  try {
    await Promise.all(shared.map((o) => port.apply(o as KubeObject)));
    if (objects.overlay) await port.create(objects.overlay as KubeObject);
    const created = await port.create(pod);
    if (objects.overlay && created.metadata?.uid) {
      const owner = { apiVersion: "v1", kind: "Pod", name, uid: created.metadata.uid };
      await port.setOwner(ns, objects.overlay.metadata.name, owner);
    }
  } catch (err) {
    await closeHeldPod(port, held);
    throw new CouldNotRunError("DEV_CREATE", `could not create pod/${name}: ${toKubeError(err).message}`, undefined, { cause: err });
  }
  const state = await untilRunning(port, ns, name, timers, DEV_START_MS, signal);
  if (state === WAIT_INTERRUPTED) {
    await closeHeldPod(port, held);
    throw new InterruptedError(`interrupted while pod/${name} started; deleted it`);
  }
  if (state !== "Running") {
    await closeHeldPod(port, held);
    throw new CouldNotRunError(
      "DEV_NOT_RUNNING",
      `pod/${name} did not start: ${state}`,
      `kubectl -n ${ns} describe pod ${name}; the clone's log: kubectl -n ${ns} logs ${name} -c ${CLONE_CONTAINER}`,
    );
  }
  return held;
}

/** Deletes the held pod and its overlay; true when the pod was still there. */
export async function closeHeldPod(port: ClusterPort, held: HeldPod): Promise<boolean> {
  const [pod] = await Promise.all([
    port.delete("pods", held.namespace, held.name, { gracePeriodSeconds: 0 }).catch(() => false),
    held.overlay ? port.delete("configmaps", held.namespace, held.overlay).catch(() => false) : false,
  ]);
  return pod;
}
