// What `incluster history` shows of a suite's history (pure): per test, its runs, outcomes, flake
// rate, median and p90 duration and last status. The JSON field names are a contract (issue 22).
import type { HistoryTestStatus, SuiteHistory } from "./model.js";

export interface TestStats {
  id: string;
  /** Runs the test ran in (skipped ones included). */
  runs: number;
  passed: number;
  failed: number;
  flaky: number;
  /** flaky ÷ runs, to 3 decimals. */
  flakeRate: number;
  /** Over the runs it was not skipped in; 0 when it never ran. */
  medianDurationMs: number;
  p90DurationMs: number;
  /** Its status in the newest run it ran in. */
  lastStatus: HistoryTestStatus;
  /** Its newest run reported it quarantined. */
  quarantined: boolean;
}

export interface SuiteStats {
  suite: string;
  /** Runs the history holds. */
  runs: number;
  tests: TestStats[];
}

export type StatsOrder = "id" | "flaky" | "slow";

/** The nearest-rank percentile of sorted values (0 for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

/** The median: the mean of the middle two for an even count, rounded to whole milliseconds. */
export function median(sorted: readonly number[]): number {
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : Math.round(((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2);
}

/** One row per test that ran in any run of the history, in the order asked for. */
export function suiteStats(h: SuiteHistory, order: StatsOrder = "id"): SuiteStats {
  const acc = new Map<string, { statuses: HistoryTestStatus[]; durations: number[] }>();
  // Newest first: a test's first status met is its last status.
  for (const run of h.runs) {
    for (const t of run.tests) {
      let a = acc.get(t.id);
      if (!a) acc.set(t.id, (a = { statuses: [], durations: [] }));
      a.statuses.push(t.status);
      if (t.status !== "skipped") a.durations.push(t.durationMs);
    }
  }
  const tests = [...acc].map(([id, a]): TestStats => {
    const count = (s: HistoryTestStatus) => a.statuses.filter((x) => x === s).length;
    const sorted = [...a.durations].sort((x, y) => x - y);
    const flaky = count("flaky");
    const lastStatus = a.statuses[0] ?? "passed";
    return {
      id,
      runs: a.statuses.length,
      passed: count("passed"),
      failed: count("failed"),
      flaky,
      flakeRate: Math.round((flaky / a.statuses.length) * 1000) / 1000,
      medianDurationMs: median(sorted),
      p90DurationMs: percentile(sorted, 90),
      lastStatus,
      quarantined: lastStatus === "quarantined",
    };
  });
  return { suite: h.suite, runs: h.runs.length, tests: tests.sort(ORDERS[order]) };
}

const byId = (a: TestStats, b: TestStats) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const ORDERS: Record<StatsOrder, (a: TestStats, b: TestStats) => number> = {
  id: byId,
  flaky: (a, b) => b.flakeRate - a.flakeRate || b.flaky - a.flaky || b.failed - a.failed || byId(a, b),
  slow: (a, b) => b.medianDurationMs - a.medianDurationMs || b.p90DurationMs - a.p90DurationMs || byId(a, b),
};
