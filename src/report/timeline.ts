// The run's timeline (pure): one row per suite from the phases the run saw, and one per attempt
// and per shard from that pod's own timestamps (created, PodScheduled, the clone's and the test
// container's start and end, as saved in pods.json). Times are milliseconds from the run's start.
import type { Phase } from "../diagnose/outcome.js";
import { PHASES } from "../diagnose/outcome.js";
import type { FailureClass, Verdict } from "../diagnose/types.js";
import type { Pod } from "../k8s-types.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../names.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";

/** The phases a bar is made of ("finished" is the verdict's mark, not a segment). */
export type BarPhase = Exclude<Phase, "finished">;
export const BAR_PHASES = PHASES.filter((p): p is BarPhase => p !== "finished");

export interface Segment {
  phase: BarPhase;
  startMs: number;
  endMs: number;
}

export interface TimelineRow {
  suite: string;
  kind: "suite" | "attempt" | "shard";
  /** "api", "attempt 2", "shard 0". */
  label: string;
  verdict: Verdict;
  class?: FailureClass;
  /** Where the bar starts (the suite's start, the pod's creation). */
  startMs: number;
  segments: Segment[];
  /** The verdict's time. */
  endMs: number;
}

export interface Timeline {
  /** From the run's start to its end. */
  totalMs: number;
  rows: TimelineRow[];
}

/** Pods as saved beside a suite's logs: the suite's own (shards), and each attempt's. */
export interface SavedPods {
  suite: Pod[];
  attempts: Record<number, Pod[]>;
}

const ms = (t: string | Date | undefined): number | undefined => {
  if (t === undefined) return undefined;
  const v = t instanceof Date ? t.getTime() : Date.parse(t);
  return Number.isNaN(v) ? undefined : v;
};

/** Segments from phase start times: each phase lasts until the next one starts, the last until `end`. */
function segmentsOf(starts: Partial<Record<BarPhase, number>>, end: number, origin: number): Segment[] {
  const present = BAR_PHASES.flatMap((p) => (starts[p] !== undefined ? [{ phase: p, at: starts[p] }] : [])).sort((a, b) => a.at - b.at);
  return present.map((p, i) => ({ phase: p.phase, startMs: p.at - origin, endMs: Math.max(p.at, present[i + 1]?.at ?? end) - origin }));
}

/** When each phase of one pod began, from the pod object alone. */
export function podPhaseStarts(pod: Pod): { starts: Partial<Record<BarPhase, number>>; end?: number } {
  const status = pod.status;
  const all = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
  const state = (name: string) => all.find((c) => c.name === name)?.state;
  const clone = state(CLONE_CONTAINER);
  const test = state(TEST_CONTAINER);
  const starts: Partial<Record<BarPhase, number>> = {};
  const put = (p: BarPhase, t: string | Date | undefined) => {
    const v = ms(t);
    if (v !== undefined) starts[p] = v;
  };
  put("queued", pod.metadata?.creationTimestamp);
  put("scheduled", status?.conditions?.find((c) => c.type === "PodScheduled" && c.status === "True")?.lastTransitionTime);
  put("cloning", clone?.terminated?.startedAt ?? clone?.running?.startedAt);
  put("running", test?.terminated?.startedAt ?? test?.running?.startedAt);
  const end = ms(test?.terminated?.finishedAt) ?? ms(clone?.terminated?.finishedAt);
  return end !== undefined ? { starts, end } : { starts };
}

const shardIndex = (pod: Pod): number | undefined => {
  const v = pod.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"];
  return v === undefined ? undefined : Number(v);
};

function podRow(base: Omit<TimelineRow, "startMs" | "segments" | "endMs">, pod: Pod | undefined, fallbackEnd: number, origin: number): TimelineRow {
  if (!pod) return { ...base, startMs: fallbackEnd - origin, segments: [], endMs: fallbackEnd - origin };
  const { starts, end = fallbackEnd } = podPhaseStarts(pod);
  const first = Math.min(...Object.values(starts), end);
  return { ...base, startMs: first - origin, segments: segmentsOf(starts, end, origin), endMs: end - origin };
}

function suiteRows(s: SuiteResult, pods: SavedPods | undefined, origin: number): TimelineRow[] {
  const start = ms(s.startedAt) ?? origin;
  const end = ms(s.finishedAt) ?? start;
  const starts: Partial<Record<BarPhase, number>> = {};
  for (const p of BAR_PHASES) {
    const v = ms(s.phases[p]);
    if (v !== undefined) starts[p] = v;
  }
  // A phase too short for the watch to see (a clone of one second) is still in the pod's own times.
  const only = !s.attempts?.length && !s.shards?.length && pods?.suite.length === 1 ? pods.suite[0] : undefined;
  if (only) {
    const seen = podPhaseStarts(only).starts;
    for (const p of BAR_PHASES) if (starts[p] === undefined && seen[p] !== undefined) starts[p] = seen[p];
  }
  const verdictAt = ms(s.phases.finished) ?? end;
  const rows: TimelineRow[] = [
    {
      suite: s.suite,
      kind: "suite",
      label: s.suite,
      verdict: s.verdict,
      ...(s.class ? { class: s.class } : {}),
      startMs: start - origin,
      segments: segmentsOf(starts, verdictAt, origin),
      endMs: Math.max(verdictAt, end) - origin,
    },
  ];
  for (const a of s.attempts ?? []) {
    const pod = pods?.attempts[a.attempt]?.[0];
    rows.push(
      podRow({ suite: s.suite, kind: "attempt", label: `attempt ${a.attempt}`, verdict: a.verdict, ...(a.class ? { class: a.class } : {}) }, pod, end, origin),
    );
  }
  for (const sh of s.shards ?? []) {
    const pod =
      pods?.suite.find((p) => shardIndex(p) === sh.index && p.metadata?.name === sh.pod) ?? pods?.suite.find((p) => shardIndex(p) === sh.index);
    rows.push(
      podRow({ suite: s.suite, kind: "shard", label: `shard ${sh.index}`, verdict: sh.verdict, ...(sh.class ? { class: sh.class } : {}) }, pod, end, origin),
    );
  }
  return rows;
}

/** Every row of the run's timeline, suites in the result's order, each followed by its attempts and shards. */
export function timelineOf(result: RunResult, pods: Record<string, SavedPods> = {}): Timeline {
  const origin = ms(result.startedAt) ?? 0;
  const rows = result.suites.flatMap((s) => suiteRows(s, pods[s.suite], origin));
  const totalMs = Math.max((ms(result.finishedAt) ?? origin) - origin, ...rows.map((r) => r.endMs), 1);
  return { totalMs, rows };
}
