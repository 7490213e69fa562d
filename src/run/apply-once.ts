// ServiceAccount, Role and RoleBinding are applied once per distinct object per run, and not at
// all when the namespace already holds them as rendered (an earlier run applied them): per-suite
// cost stays flat. Server-side apply is idempotent, so skipping an apply that would change
// nothing is safe.
import { toKubeError } from "../kube/errors.js";
import type { KubeObject } from "../k8s-types.js";
import type { ClusterPort } from "../kube/port.js";

const keyOf = (o: KubeObject) => `${o.kind}/${o.metadata?.name ?? ""}`;

/** Whether `live` already has every field `desired` sets, with the same value (labels: a subset). */
export function alreadyApplied(desired: KubeObject, live: KubeObject | undefined): boolean {
  if (!live) return false;
  const d = desired as unknown as Record<string, unknown>;
  const l = JSON.parse(JSON.stringify(live)) as Record<string, unknown>;
  for (const [k, v] of Object.entries(d)) {
    if (k === "apiVersion" || k === "kind") continue;
    if (k === "metadata") {
      const labels = desired.metadata?.labels ?? {};
      const liveLabels = live.metadata?.labels ?? {};
      if (Object.entries(labels).some(([lk, lv]) => liveLabels[lk] !== lv)) return false;
      continue;
    }
    if (JSON.stringify(v) !== JSON.stringify(l[k])) return false;
  }
  return true;
}

export class ApplyOnce {
  private readonly live = new Map<string, KubeObject>();
  private readonly applied = new Map<string, { spec: string; done: Promise<void> }>();
  private readonly port: ClusterPort;
  /** Applies skipped because the object was in place or already applied by this run. */
  skipped = 0;

  constructor(port: ClusterPort) {
    this.port = port;
  }

  /** What the namespace holds (one list per kind), if the port can tell and the user may list; else every object is applied. */
  async load(namespace: string, labelSelector: string): Promise<void> {
    if (!this.port.listApplied) return;
    const objs = await this.port.listApplied(namespace, labelSelector).catch((e: unknown) => {
      void toKubeError(e);
      return [] as KubeObject[];
    });
    for (const o of objs) this.live.set(keyOf(o), o);
  }

  apply(obj: KubeObject): Promise<void> {
    const key = keyOf(obj);
    const spec = JSON.stringify(obj);
    const prior = this.applied.get(key);
    if (prior && prior.spec === spec) {
      this.skipped++;
      return prior.done;
    }
    const inPlace = alreadyApplied(obj, this.live.get(key));
    if (inPlace) this.skipped++;
    const done = inPlace ? Promise.resolve() : this.port.apply(obj);
    this.applied.set(key, { spec, done });
    return done;
  }
}
