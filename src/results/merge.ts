// Attempts (retries) and shards of one suite → one list of tests; the ids to rerun; the split of
// test ids over shards. Pure: the engine reads the JUnit files and hands the parsed tests over.
import type { MergedStatus, MergedTest, Rerun, TestCase, TestCounts } from "./model.js";

/**
 * One result per test over a suite's attempts (attempt 1 first). A test that failed in one attempt
 * and passed in another is `flaky` (Playwright's outcome rule, whatever the order), its failures
 * kept as reruns; one that failed in every attempt it ran in keeps its first failure as its result
 * and the later ones as reruns (Surefire's failure + rerunFailure); skipped runs count only when
 * the test never ran otherwise; a test only in attempt 1 keeps that result. Order: first seen.
 */
export function mergeAttempts(attempts: readonly (readonly TestCase[])[]): MergedTest[] {
  const runs = new Map<string, { attempt: number; test: TestCase }[]>();
  attempts.forEach((tests, i) => {
    for (const test of tests) {
      const list = runs.get(test.id) ?? [];
      list.push({ attempt: i + 1, test });
      runs.set(test.id, list);
    }
  });
  return [...runs.values()].map(mergeRuns);
}

/** A pass with failed tries in the same attempt (Playwright's `flaky`): those tries, as failed runs of that attempt, then the pass. */
function withTries(r: { attempt: number; test: TestCase }): { attempt: number; test: TestCase }[] {
  const tries = r.test.status === "passed" ? (r.test.flakyFailures ?? []) : [];
  return [...tries.map((f) => ({ attempt: r.attempt, test: { ...r.test, ...f, status: "failed" as const } })), r];
}

function mergeRuns(tried: readonly { attempt: number; test: TestCase }[]): MergedTest {
  const all = tried.flatMap(withTries);
  const ran = all.filter((r) => r.test.status !== "skipped");
  const runs = ran.length > 0 ? ran : all;
  const failing = runs.filter((r) => r.test.status === "failed" || r.test.status === "error");
  const passing = runs.filter((r) => r.test.status === "passed");
  const last = runs[runs.length - 1]!;
  if (failing.length > 0 && passing.length > 0) return merged(passing[passing.length - 1]!, "flaky", failing);
  // As Surefire: the first failure is the result, the later ones its reruns.
  if (failing.length > 0) return merged(failing[0]!, failing[0]!.test.status, failing.slice(1));
  return merged(last, last.test.status, []);
}

function merged(r: { attempt: number; test: TestCase }, status: MergedStatus, reruns: readonly { attempt: number; test: TestCase }[]): MergedTest {
  const { flakyFailures: _tries, ...test } = r.test;
  return { ...test, status, attempt: r.attempt, ...(reruns.length ? { reruns: reruns.map(rerun) } : {}) };
}

function rerun(r: { attempt: number; test: TestCase }): Rerun {
  const t = r.test;
  return {
    attempt: r.attempt,
    status: t.status === "error" ? "error" : "failed",
    durationMs: t.durationMs,
    ...(t.message !== undefined ? { message: t.message } : {}),
    ...(t.type !== undefined ? { type: t.type } : {}),
    ...(t.text !== undefined ? { text: t.text } : {}),
  };
}

export interface MergedShards<T> {
  /** Every shard's tests, by shard index, each tagged with its shard. */
  tests: (T & { shard: number })[];
  /** Ids reported by more than one shard (a split that ran a test twice), with those shards. */
  duplicates: { id: string; shards: number[] }[];
}

/** The shards' tests as one list; nothing is dropped, so a duplicate counts twice and is named. */
export function mergeShards<T extends { id: string }>(shards: readonly { index: number; tests: readonly T[] }[]): MergedShards<T> {
  const ordered = [...shards].sort((a, b) => a.index - b.index);
  const tests = ordered.flatMap((s) => s.tests.map((t) => ({ ...t, shard: s.index })));
  const seen = new Map<string, number[]>();
  for (const t of tests) seen.set(t.id, [...(seen.get(t.id) ?? []), t.shard]);
  const duplicates = [...seen].filter(([, on]) => on.length > 1).map(([id, on]) => ({ id, shards: [...new Set(on)] }));
  return { tests, duplicates };
}

/** The ids a retry reruns: every failed or errored test, once, in report order. */
export function failedIds(tests: readonly { id: string; status: MergedStatus }[]): string[] {
  return [...new Set(tests.filter((t) => t.status === "failed" || t.status === "error").map((t) => t.id))];
}

/**
 * The ids shard `index` (0-based, JOB_COMPLETION_INDEX) of `count` runs: the distinct ids sorted
 * by code point (as Python's `sorted()` orders str, so the pod's pytest side can split the same
 * way), then dealt round-robin: id k goes to shard k mod count. Round-robin keeps shard sizes
 * within one of each other; sorting makes it independent of collection order.
 */
export function splitForShard(ids: readonly string[], index: number, count: number): string[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a whole number ≥ 1, got ${count}`);
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new RangeError(`shard index must be a whole number from 0 to ${count - 1}, got ${index}`);
  return [...new Set(ids)].sort(byCodePoint).filter((_, k) => k % count === index);
}

/** Orders strings by Unicode code point (JavaScript's default sort compares UTF-16 units, which differs above U+FFFF). */
export function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Counts by status; a flaky test is counted as flaky, not passed. */
export function testCounts(tests: readonly { status: MergedStatus }[]): TestCounts {
  const c: TestCounts = { tests: tests.length, passed: 0, failed: 0, errors: 0, skipped: 0, flaky: 0 };
  const key = { passed: "passed", failed: "failed", error: "errors", skipped: "skipped", flaky: "flaky" } as const;
  for (const t of tests) {
    if (t.status === "quarantined") c.quarantined = (c.quarantined ?? 0) + 1;
    else c[key[t.status]]++;
  }
  return c;
}
