// Quarantined tests in a suite's merged result: each one keeps what it did and says why it is
// quarantined, and the suite's verdict no longer counts it. Pure; the engine (run/attempts.ts)
// decides the verdict with it, once, for every output.
import type { MergedTest, RanStatus } from "./model.js";

const failing = (s: RanStatus) => s === "failed" || s === "error";

/**
 * Why a test is quarantined in a run: the reason as every output shows it, the entry's end, and
 * which rule it is (a `quarantine:` entry, or the automatic policy over the history).
 */
export interface QuarantineMark {
  reason: string;
  until?: string;
  rule: "entry" | "auto";
}

/** Each test `markOf` names (a mark, or a bare reason) is `quarantined`, with why and what it did; the others are as they were. */
export function quarantineTests(tests: readonly MergedTest[], markOf: (id: string) => QuarantineMark | string | undefined): MergedTest[] {
  return tests.map((t) => {
    if (t.status === "quarantined") return t;
    const mark = markOf(t.id);
    if (mark === undefined) return t;
    const why = typeof mark === "string" ? { reason: mark } : mark;
    return { ...t, status: "quarantined", quarantine: { ...why, outcome: t.status } };
  });
}

/** What a test did: its own status, or a quarantined test's outcome. */
export function ranStatus(t: Pick<MergedTest, "status" | "quarantine">): RanStatus {
  return t.status === "quarantined" ? (t.quarantine?.outcome ?? "passed") : t.status;
}

/** Quarantined tests that failed (or errored) in the end: the ones a suite no longer fails for. */
export function quarantinedFailures(tests: readonly MergedTest[]): MergedTest[] {
  return tests.filter((t) => t.status === "quarantined" && failing(ranStatus(t)));
}

/**
 * Whether the tests' failures are all quarantined ones: at least one quarantined test failed, no
 * other test failed, and every failed shard reported a quarantined failure of its own (a shard that
 * failed for a reason its tests do not show still fails the suite).
 */
export function onlyQuarantinedFailed(tests: readonly MergedTest[], failedShards: readonly number[] = []): boolean {
  const q = quarantinedFailures(tests);
  if (!q.length || tests.some((t) => t.status !== "quarantined" && failing(t.status))) return false;
  return failedShards.every((i) => q.some((t) => t.shard === i));
}
