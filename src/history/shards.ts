// Shards balanced by time: each test's weight is its median duration over its recent runs (a test
// the history has not seen weighs the suite's median), and the split is longest-processing-time
// first (Graham's LPT: heaviest test to the least loaded shard, at most 4/3 of the optimum). Every
// shard's pod computes the same split from the same inputs (runners/pytest.ts SHARD_PY does it in
// Python the same way); this is the reference, for tests, the bench and `shards: auto`. Pure.
import type { SuiteHistory } from "./model.js";

/** How far back a test's median looks. */
export const DURATION_WINDOW = 20;

/** The split's input: a weight per test id seen, and the weight of one not seen. */
export interface ShardWeights {
  /** id → median duration (whole ms). */
  durations: Record<string, number>;
  /** The suite's median of its tests' medians: what a new test is taken to last. */
  defaultMs: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return 0;
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Each test's median duration over its last `window` runs that ran it (skipped runs say nothing about its time); undefined without any. */
export function shardWeights(history: SuiteHistory | undefined, window = DURATION_WINDOW): ShardWeights | undefined {
  const seen = new Map<string, number[]>();
  for (const run of history?.runs ?? []) {
    for (const t of run.tests) {
      if (t.status === "skipped" || (t.status === "quarantined" && t.outcome === "skipped")) continue;
      const list = seen.get(t.id) ?? [];
      if (list.length < window) list.push(t.durationMs);
      seen.set(t.id, list);
    }
  }
  if (!seen.size) return undefined;
  const durations: Record<string, number> = {};
  for (const [id, ms] of seen) durations[id] = Math.round(median(ms));
  return { durations, defaultMs: Math.round(median(Object.values(durations))) };
}

/** Orders strings by Unicode code point, as Python's sorted() orders str (the pods' side of the split). */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

export interface LptSplit {
  /** The ids of each shard, sorted by code point. */
  shards: string[][];
  /** Each shard's expected time (ms). */
  loads: number[];
}

/**
 * Longest processing time first: ids by weight, heaviest first (ties by code point), each to the
 * shard with the least load so far (ties: the lowest index). Deterministic for the same ids and weights.
 */
export function lptSplit(ids: readonly string[], count: number, weightOf: (id: string) => number): LptSplit {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a whole number ≥ 1, got ${count}`);
  const order = [...new Set(ids)].map((id) => ({ id, w: weightOf(id) })).sort((a, b) => b.w - a.w || byCodePoint(a.id, b.id));
  const shards: string[][] = Array.from({ length: count }, () => []);
  const loads: number[] = Array.from({ length: count }, () => 0);
  for (const { id, w } of order) {
    let k = 0;
    for (let j = 1; j < count; j++) if (loads[j]! < loads[k]!) k = j;
    shards[k]!.push(id);
    loads[k]! += w;
  }
  return { shards: shards.map((s) => s.sort(byCodePoint)), loads };
}

/**
 * Weights that fit `maxChars` as the pods' JSON ({"d": …, "m": …}): the heaviest tests are kept,
 * the lightest dropped (they weigh the suite's median instead); `dropped` counts them.
 */
export function fitWeights(weights: ShardWeights, maxChars: number): { weights: ShardWeights; dropped: number } {
  const all = Object.entries(weights.durations).sort((a, b) => b[1] - a[1] || byCodePoint(a[0], b[0]));
  let size = `{"d":{},"m":${weights.defaultMs}}`.length;
  const durations: Record<string, number> = {};
  let kept = 0;
  for (const [id, ms] of all) {
    const add = JSON.stringify(id).length + 1 + String(ms).length + (kept ? 1 : 0);
    if (size + add > maxChars) break;
    durations[id] = ms;
    size += add;
    kept++;
  }
  return { weights: { durations, defaultMs: weights.defaultMs }, dropped: all.length - kept };
}

/** A test's weight under `weights`: its median, or the suite's for a test not seen. */
export function weightOf(weights: ShardWeights): (id: string) => number {
  return (id) => (Object.hasOwn(weights.durations, id) ? weights.durations[id]! : weights.defaultMs);
}

/**
 * Runners that shard only by file (and go, whose shards run a test with its subtests): a file
 * weighs the sum of its tests' weights, its tests being
 * those of the newest run that ran it (a test since removed or renamed no longer counts; one
 * skipped there adds nothing). `fileOf` names a test id's file (undefined: not counted). A file the
 * history has not seen weighs the median file (`defaultMs`): the pods cannot know its tests.
 */
export function fileWeights(history: SuiteHistory, weights: ShardWeights, fileOf: (id: string) => string | undefined): ShardWeights {
  const durations: Record<string, number> = {};
  const weight = weightOf(weights);
  for (const run of history.runs) {
    const here: Record<string, number> = {};
    for (const t of run.tests) {
      const file = fileOf(t.id);
      if (file === undefined || Object.hasOwn(durations, file)) continue;
      const ran = t.status !== "skipped" && !(t.status === "quarantined" && t.outcome === "skipped");
      here[file] = (here[file] ?? 0) + (ran ? weight(t.id) : 0);
    }
    Object.assign(durations, here);
  }
  return { durations, defaultMs: Math.round(median(Object.values(durations))) };
}

/**
 * `shards: auto`: enough shards that the suite's expected test time (the tests of its most recent
 * run, by their medians) fits `targetMs` per shard, at least 1 and at most `max`. Without history: 1.
 */
export function autoShardCount(history: SuiteHistory | undefined, weights: ShardWeights | undefined, targetMs: number, max: number): number {
  if (!history?.runs[0] || !weights || targetMs <= 0) return 1;
  return Math.max(1, Math.min(max, Math.ceil(expectedTestTime(history, weights) / targetMs)));
}

/** The suite's expected test time (ms): the tests of its most recent run, each by its weight. */
export function expectedTestTime(history: SuiteHistory | undefined, weights: ShardWeights): number {
  const ids = new Set((history?.runs[0]?.tests ?? []).filter((t) => t.status !== "skipped").map((t) => t.id));
  let sum = 0;
  for (const id of ids) sum += weightOf(weights)(id);
  return sum;
}

/** The slowest shard's time ÷ the lower bound max(longest test, total ÷ shards): 1 is a perfect split. */
export function balanceRatio(shardTimes: readonly number[], testTimes: readonly number[]): number {
  const total = testTimes.reduce((a, b) => a + b, 0);
  const bound = Math.max(Math.max(0, ...testTimes), total / Math.max(1, shardTimes.length));
  return bound > 0 ? Math.max(0, ...shardTimes) / bound : 1;
}
