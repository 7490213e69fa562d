// A suite's history as the bytes a store keeps: columnar (each test id once, then per run one
// status letter per id and the durations of the tests it ran), gzipped. 50 runs of a 1,000-test
// suite as plain JSON would be ~3.5 MB, over a ConfigMap's 1 MiB; this way it is a few tens of KB
// (test/unit/history/codec.test.ts measures it), and fitHistory rolls off the oldest runs if a
// suite still outgrows HISTORY_MAX_BYTES (and bound.ts bounds a newest run that alone does). Pure
// (zlib's sync functions compute, they do no I/O).
import { gunzipSync, gzipSync } from "node:zlib";
import { boundRun } from "./bound.js";
import type { Omitted } from "./bound.js";
import type { HistoryRun, HistoryTest, HistoryTestStatus, HistoryVerdict, SuiteHistory } from "./model.js";

export const CODEC_VERSION = 1;
/** An encoded history stays below this: well under the API server's 1 MiB per object. */
export const HISTORY_MAX_BYTES = 512 * 1024;

const LETTER: Record<HistoryTestStatus, string> = { passed: "p", failed: "f", flaky: "k", skipped: "s", quarantined: "q" };
const STATUS: Record<string, HistoryTestStatus> = Object.fromEntries(Object.entries(LETTER).map(([s, l]) => [l, s as HistoryTestStatus]));
type Outcome = NonNullable<HistoryTest["outcome"]>;
/**
 * A quarantined test keeps what it did (the automatic quarantine releases a test on its clean
 * runs): its outcome's letter in upper case. "q" is one whose outcome is not known.
 */
function letterOf(t: HistoryTest): string {
  return t.status === "quarantined" && t.outcome ? LETTER[t.outcome].toUpperCase() : LETTER[t.status];
}
function testOf(letter: string): Pick<HistoryTest, "status" | "outcome"> | undefined {
  const status = STATUS[letter];
  if (status) return { status };
  const outcome = STATUS[letter.toLowerCase()];
  return outcome && outcome !== "quarantined" ? { status: "quarantined", outcome: outcome as Outcome } : undefined;
}
/** The letter of a test that did not run in that run. */
const ABSENT = ".";
const VERDICTS: readonly HistoryVerdict[] = ["passed", "failed", "timedOut", "couldNotRun"];

interface EncodedRun {
  r: string;
  c?: string;
  t: string;
  v: HistoryVerdict;
  a: number;
  d: number;
  /** One letter per id of `ids`. */
  s: string;
  /** The durations (ms) of the tests present, in the order of `ids`. */
  ms: number[];
  /** Tests left out of the record (HistoryRun.omitted), by status letter. */
  o?: Record<string, number>;
}

interface Encoded {
  v: typeof CODEC_VERSION;
  suite: string;
  ids: string[];
  runs: EncodedRun[];
}

/** The history's compact JSON (before compression). */
function columns(h: SuiteHistory): Encoded {
  const index = new Map<string, number>();
  for (const run of h.runs) for (const t of run.tests) if (!index.has(t.id)) index.set(t.id, index.size);
  const runs = h.runs.map((run): EncodedRun => {
    const letters = new Array<string>(index.size).fill(ABSENT);
    const ms = new Array<number | undefined>(index.size);
    for (const t of run.tests) {
      const i = index.get(t.id) ?? 0;
      letters[i] = letterOf(t);
      ms[i] = Math.max(0, Math.round(t.durationMs));
    }
    return {
      r: run.runId,
      ...(run.commit ? { c: run.commit } : {}),
      t: run.startedAt,
      v: run.verdict,
      a: run.attempts,
      d: Math.round(run.durationMs),
      s: letters.join(""),
      ms: ms.filter((d): d is number => d !== undefined),
      ...(run.omitted ? { o: Object.fromEntries(Object.entries(run.omitted).map(([st, n]) => [LETTER[st as HistoryTestStatus], n])) } : {}),
    };
  });
  return { v: CODEC_VERSION, suite: h.suite, ids: [...index.keys()], runs };
}

/** gzip's smallest output, what a store keeps; and the level fitHistory sizes its trials at (5× faster, ~1% larger). */
const STORED_LEVEL = 9;
const TRIAL_LEVEL = 6;

export function encodeHistory(h: SuiteHistory, level = STORED_LEVEL): Buffer {
  return gzipSync(JSON.stringify(columns(h)), { level });
}

/** The history the bytes hold, or why they cannot be read (another version, damaged). Never throws. */
export function decodeHistory(bytes: Buffer): SuiteHistory | { problem: string } {
  let doc: Encoded;
  try {
    doc = JSON.parse(gunzipSync(bytes).toString("utf8")) as Encoded;
  } catch (err) {
    return { problem: `not a history document (${(err as Error).message})` };
  }
  if (doc?.v !== CODEC_VERSION || !Array.isArray(doc.ids) || !Array.isArray(doc.runs)) return { problem: `unknown history format (v ${String(doc?.v)})` };
  const runs: HistoryRun[] = [];
  for (const r of doc.runs) {
    if (typeof r?.s !== "string" || r.s.length !== doc.ids.length || !Array.isArray(r.ms) || !VERDICTS.includes(r.v)) {
      return { problem: "a run of the history document is damaged" };
    }
    const tests: HistoryRun["tests"] = [];
    let k = 0;
    for (let i = 0; i < r.s.length; i++) {
      const t = testOf(r.s[i] ?? ABSENT);
      if (t) tests.push({ id: doc.ids[i] ?? "", ...t, durationMs: r.ms[k++] ?? 0 });
    }
    const omitted = omittedOf(r.o);
    const commit = r.c ? { commit: r.c } : {};
    runs.push({ runId: r.r, ...commit, startedAt: r.t, verdict: r.v, attempts: r.a, durationMs: r.d, tests, ...(omitted ? { omitted } : {}) });
  }
  return { suite: doc.suite, runs };
}

/** A run's omitted counts from their letters (unknown letters and non-counts ignored). */
function omittedOf(o: unknown): Omitted | undefined {
  if (typeof o !== "object" || o === null) return undefined;
  const out: Omitted = {};
  for (const [letter, n] of Object.entries(o)) if (STATUS[letter] && typeof n === "number" && n > 0) out[STATUS[letter]] = n;
  return Object.keys(out).length ? out : undefined;
}

export interface Fitted {
  bytes: Buffer;
  history: SuiteHistory;
  /** What a bounded newest run left out (bound.ts); absent when every test fit. */
  omitted?: Omitted;
}

/**
 * The newest `keep` runs, encoded; while the bytes exceed `maxBytes`, the oldest run rolls off
 * (the newest always stays). When the newest run alone exceeds them, its record is bounded
 * (bound.ts) and `omitted` says what this fit left out of it. Returns the bytes and the history they hold.
 */
export function fitHistory(h: SuiteHistory, keep: number, maxBytes = HISTORY_MAX_BYTES): Fitted {
  // Sized at the trial level (a 100,000-test run takes 2 s at level 9), stored at level 9 (no larger).
  const trial = (x: SuiteHistory) => encodeHistory(x, TRIAL_LEVEL);
  const stored = (x: SuiteHistory, sized: Buffer) => {
    const bytes = encodeHistory(x);
    return bytes.length <= sized.length ? bytes : sized;
  };
  let runs = h.runs.slice(0, Math.max(1, keep));
  for (;;) {
    const history = { suite: h.suite, runs };
    const sized = trial(history);
    const newest = runs[0];
    if (sized.length <= maxBytes || !newest) return { bytes: stored(history, sized), history };
    if (runs.length <= 1) {
      let last = sized;
      const bounded = boundRun(newest, sized.length, maxBytes, (r) => (last = trial({ suite: h.suite, runs: [r] })).length);
      const kept = { suite: h.suite, runs: [bounded.run] };
      return { bytes: stored(kept, last), history: kept, omitted: bounded.omitted };
    }
    // Most of the excess at once: the runs cost about the same each.
    const fits = Math.floor((runs.length * maxBytes) / sized.length);
    runs = runs.slice(0, Math.max(1, Math.min(runs.length - 1, fits)));
  }
}
