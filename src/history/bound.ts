// A single run too large for a history object (a suite of ~100,000 tests with long ids can encode
// past HISTORY_MAX_BYTES on its own, and the newest run always stays): its record is bounded so
// the write still lands. Every failed, flaky, quarantined and skipped test is kept, then the
// passing ones longest first (shard balance weighs the long ones; the rest get the suite's median)
// while the bytes allow; the tests left out are counted by status in the run's `omitted`. Pure.
import type { HistoryRun, HistoryTest, HistoryTestStatus } from "./model.js";

/** The order tests are kept in when not all fit: what went wrong first, passing tests last. */
const KEEP_ORDER: readonly HistoryTestStatus[] = ["failed", "flaky", "quarantined", "skipped", "passed"];
/** Aim a little below the limit: the bytes of a kept share are not exactly proportional. */
const AIM = 0.95;

export type Omitted = NonNullable<HistoryRun["omitted"]>;

/**
 * The run with as many of its tests as `size` says fit in `maxBytes` (`size` encodes a candidate;
 * `bytes` is the whole run's size), and what was left out. At most a handful of encodings.
 */
export function boundRun(run: HistoryRun, bytes: number, maxBytes: number, size: (r: HistoryRun) => number): { run: HistoryRun; omitted: Omitted } {
  const rank = (t: HistoryTest) => KEEP_ORDER.indexOf(t.status);
  const ranked = run.tests.map((t, i) => ({ t, i })).sort((a, b) => rank(a.t) - rank(b.t) || b.t.durationMs - a.t.durationMs || a.i - b.i);
  let n = Math.floor((run.tests.length * maxBytes * AIM) / Math.max(bytes, 1));
  for (;;) {
    const candidate = keepFirst(run, ranked, n);
    const got = size(candidate.run);
    if (got <= maxBytes || n === 0) return candidate;
    n = Math.min(n - 1, Math.floor((n * maxBytes * AIM) / got));
    n = Math.max(0, n);
  }
}

function keepFirst(run: HistoryRun, ranked: readonly { t: HistoryTest; i: number }[], n: number): { run: HistoryRun; omitted: Omitted } {
  const kept = new Set(ranked.slice(0, n).map((x) => x.i));
  const omitted: Omitted = { ...run.omitted };
  for (const { t, i } of ranked) if (!kept.has(i)) omitted[t.status] = (omitted[t.status] ?? 0) + 1;
  return { run: { ...run, tests: run.tests.filter((_, i) => kept.has(i)), omitted }, omitted };
}

/** The one warning of a bounded record: the run's test count, the limit, what was kept and what was left out. */
export function omittedText(suite: string, tests: number, omitted: Omitted, maxBytes: number): string {
  const left = KEEP_ORDER.flatMap((s) => (omitted[s] ? [`${count(omitted[s])} ${s}`] : []));
  const kept = tests - Object.values(omitted).reduce((a, b) => a + (b ?? 0), 0);
  const which = KEEP_ORDER.every((s) => s === "passed" || !omitted[s])
    ? "every test that did not pass, then the longest passing ones"
    : "the tests that did not pass, failed ones first";
  return (
    `history: this run of ${suite} has ${count(tests)} tests, more than one history object holds (${Math.round(maxBytes / 1024)} KiB): ` +
    `its record keeps ${count(kept)} (${which}) and leaves out the ids and durations of ${left.join(", ")} ` +
    "(counted in the record; shard balance gives tests it has no duration for the suite's median)"
  );
}

const count = (n: number) => n.toLocaleString("en-US");
