// Verdicts of a sharded suite (one Indexed Job): each index's own pod decides that shard, and the
// suite's verdict is there once every shard has one. Pure.
import type { Pod } from "../k8s-types.js";
import { classifyPod, decidingPod, podVerdict } from "./outcome.js";
import type { Diagnosis } from "./types.js";
import { TEST_CONTAINER } from "./types.js";

import { COMPLETION_INDEX_ANNOTATION } from "../names.js";

export function shardIndexOf(pod: Pod): number | undefined {
  const v = pod.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

export interface ShardVerdict {
  index: number;
  pod: string;
  diagnosis: Omit<Diagnosis, "hint">;
}

/** Each index's verdict so far: from its deciding pod, once that pod's tests have ended. */
export function shardVerdicts(pods: readonly Pod[], count: number): Map<number, ShardVerdict> {
  const out = new Map<number, ShardVerdict>();
  for (let index = 0; index < count; index++) {
    const mine = pods.filter((p) => shardIndexOf(p) === index);
    const d = podVerdict(mine);
    const pod = decidingPod(mine);
    if (d && pod) out.set(index, { index, pod: pod.metadata?.name ?? "", diagnosis: d });
  }
  return out;
}

const RANK: Record<Diagnosis["verdict"], number> = { passed: 0, failed: 1, couldNotRun: 2, timedOut: 3, interrupted: 4 };

/** The suite's verdict once every shard has one: the worst, naming the shards that did not pass. */
export function shardedVerdict(pods: readonly Pod[], count: number): Omit<Diagnosis, "hint"> | undefined {
  const v = shardVerdicts(pods, count);
  if (v.size < count) return undefined;
  const all = [...v.values()];
  const worst = all.reduce((a, b) => (RANK[b.diagnosis.verdict] > RANK[a.diagnosis.verdict] ? b : a));
  if (worst.diagnosis.verdict === "passed") return { verdict: "passed", testExitCode: 0, container: TEST_CONTAINER };
  const bad = all.filter((s) => s.diagnosis.verdict !== "passed").map((s) => `#${s.index}`);
  return { ...worst.diagnosis, message: `shard ${bad.join(", ")} of ${count}: ${worst.diagnosis.message ?? ""}`.trim() };
}

/** Whether a pod's tests have ended (so its output can be collected now). */
export function testsEnded(pod: Pod): boolean {
  return Boolean(pod.status?.containerStatuses?.some((c) => c.name === TEST_CONTAINER && c.state?.terminated)) && classifyPod(pod) !== undefined;
}
