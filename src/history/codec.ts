// A suite's history as the bytes a store keeps: columnar (each test id once, then per run one
// status letter per id and the durations of the tests it ran), gzipped. 50 runs of a 1,000-test
// suite as plain JSON would be ~3.5 MB, over a ConfigMap's 1 MiB; this way it is a few tens of KB
// (test/unit/history/codec.test.ts measures it), and fitHistory rolls off the oldest runs if a
// suite still outgrows HISTORY_MAX_BYTES. Pure (zlib's sync functions compute, they do no I/O).
import { gunzipSync, gzipSync } from "node:zlib";
import type { HistoryRun, HistoryTestStatus, HistoryVerdict, SuiteHistory } from "./model.js";

export const CODEC_VERSION = 1;
/** An encoded history stays below this: well under the API server's 1 MiB per object. */
export const HISTORY_MAX_BYTES = 512 * 1024;

const LETTER: Record<HistoryTestStatus, string> = { passed: "p", failed: "f", flaky: "k", skipped: "s", quarantined: "q" };
const STATUS: Record<string, HistoryTestStatus> = Object.fromEntries(Object.entries(LETTER).map(([s, l]) => [l, s as HistoryTestStatus]));
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
      letters[i] = LETTER[t.status];
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
    };
  });
  return { v: CODEC_VERSION, suite: h.suite, ids: [...index.keys()], runs };
}

export function encodeHistory(h: SuiteHistory): Buffer {
  return gzipSync(JSON.stringify(columns(h)), { level: 9 });
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
      const status = STATUS[r.s[i] ?? ABSENT];
      if (status) tests.push({ id: doc.ids[i] ?? "", status, durationMs: r.ms[k++] ?? 0 });
    }
    runs.push({ runId: r.r, ...(r.c ? { commit: r.c } : {}), startedAt: r.t, verdict: r.v, attempts: r.a, durationMs: r.d, tests });
  }
  return { suite: doc.suite, runs };
}

/**
 * The newest `keep` runs, encoded; while the bytes exceed `maxBytes`, the oldest run rolls off
 * (the newest always stays). Returns the bytes and the history they hold.
 */
export function fitHistory(h: SuiteHistory, keep: number, maxBytes = HISTORY_MAX_BYTES): { bytes: Buffer; history: SuiteHistory } {
  let runs = h.runs.slice(0, Math.max(1, keep));
  for (;;) {
    const history = { suite: h.suite, runs };
    const bytes = encodeHistory(history);
    if (bytes.length <= maxBytes || runs.length <= 1) return { bytes, history };
    // Most of the excess at once: the runs cost about the same each.
    const fits = Math.floor((runs.length * maxBytes) / bytes.length);
    runs = runs.slice(0, Math.max(1, Math.min(runs.length - 1, fits)));
  }
}
