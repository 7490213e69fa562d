import { testCounts } from "../results/merge.js";
import type { MergedTest, TestCounts } from "../results/model.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";

/** A test as `-o json` gives it: its result and one-line facts; the traceback stays in the JUnit and the artifacts. */
export interface JsonTest {
  id: string;
  name: string;
  status: MergedTest["status"];
  durationMs: number;
  message?: string;
  file?: string;
  line?: number;
  shard?: number;
  /** A quarantined test's reason and what it did. */
  quarantine?: { reason: string; outcome: string };
  /** The other failing runs (attempt and message), for a flaky or retried test. */
  reruns?: { attempt: number; status: "failed" | "error"; message?: string }[];
}

export type JsonSuite = Omit<SuiteResult, "tests"> & { tests?: JsonTest[]; counts?: TestCounts };
export type JsonResult = Omit<RunResult, "suites"> & { suites: JsonSuite[]; counts?: TestCounts };

function jsonTest(t: MergedTest): JsonTest {
  return {
    id: t.id,
    name: t.name,
    status: t.status,
    durationMs: t.durationMs,
    ...(t.message !== undefined ? { message: t.message } : {}),
    ...(t.file !== undefined ? { file: t.file } : {}),
    ...(t.line !== undefined ? { line: t.line } : {}),
    ...(t.shard !== undefined ? { shard: t.shard } : {}),
    ...(t.quarantine ? { quarantine: { ...t.quarantine } } : {}),
    ...(t.reruns?.length
      ? { reruns: t.reruns.map((r) => ({ attempt: r.attempt, status: r.status, ...(r.message !== undefined ? { message: r.message } : {}) })) }
      : {}),
  };
}

/** The result document `-o json` prints: the model, each suite's tests with their counts. */
export function jsonResult(result: RunResult): JsonResult {
  const suites = result.suites.map(({ tests, ...s }): JsonSuite => (tests ? { ...s, tests: tests.map(jsonTest), counts: testCounts(tests) } : s));
  const all = result.suites.flatMap((s) => s.tests ?? []);
  const withTests = result.suites.some((s) => s.tests !== undefined);
  return { ...result, suites, ...(withTests ? { counts: testCounts(all) } : {}) };
}

/** `-o json`: the versioned result document. */
export function toJson(result: RunResult): string {
  return `${JSON.stringify(jsonResult(result), null, 2)}\n`;
}

/**
 * `JSON.stringify(value, null, 2)`, the same text, in chunks of about `size` characters: a writer
 * that writes them one by one never holds the whole text at once. result.json of a run of 100,000
 * tests is 46 MB; stringified whole and then copied to UTF-8 for the write, it was 100 MB of the
 * run's peak RSS (docs/performance.md, "Results at scale"). Objects and arrays that hold others are
 * walked; every other value (a test case, a string, a value with toJSON) is stringified on its own.
 */
export function* jsonChunks(value: unknown, size = 64 * 1024): Generator<string> {
  let chunk: string[] = [];
  let length = 0;
  for (const part of jsonParts(value, "")) {
    chunk.push(part);
    length += part.length;
    if (length >= size) {
      yield chunk.join("");
      chunk = [];
      length = 0;
    }
  }
  if (chunk.length) yield chunk.join("");
}

/** What JSON.stringify leaves out of an object and writes as null in an array. */
const unwritten = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";
const isObject = (v: unknown): v is object => v !== null && typeof v === "object";
/** An object or array walked part by part: one that holds others and has no toJSON of its own. */
const walked = (v: unknown): v is object =>
  isObject(v) && typeof (v as { toJSON?: unknown }).toJSON !== "function" && Object.values(v).some(isObject) && !small(v);

/**
 * Values in a tree of at most this many objects and arrays are stringified whole. Walked part
 * by part, a pod of pods.json (written for each of 1,000 suites) was a generator, a
 * JSON.stringify and a replaceAll per leaf: 168 MB allocated in a 1,000-suite run, 27% of all
 * (allocation profile, docs/performance.md). A whole one is one string of a few KiB.
 */
export const WHOLE_BELOW_NODES = 256;

/** Whether v holds fewer than WHOLE_BELOW_NODES objects and arrays; stops counting there. */
function small(v: object): boolean {
  const stack: unknown[] = [v];
  let seen = 0;
  while (stack.length) {
    const x = stack.pop();
    if (!isObject(x)) continue;
    if (++seen >= WHOLE_BELOW_NODES) return false;
    for (const y of Array.isArray(x) ? x : Object.values(x)) if (isObject(y)) stack.push(y);
  }
  return true;
}

function* jsonParts(value: unknown, indent: string): Generator<string> {
  if (!walked(value)) {
    const text = JSON.stringify(value, null, 2);
    yield indent && text ? text.replaceAll("\n", `\n${indent}`) : text;
    return;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    yield "[";
    for (let i = 0; i < value.length; i++) {
      yield `${i ? "," : ""}\n${inner}`;
      if (unwritten(value[i])) yield "null";
      else yield* jsonParts(value[i], inner);
    }
    yield `\n${indent}]`;
    return;
  }
  let first = true;
  yield "{";
  for (const [key, v] of Object.entries(value)) {
    if (unwritten(v)) continue;
    yield `${first ? "" : ","}\n${inner}${JSON.stringify(key)}: `;
    first = false;
    yield* jsonParts(v, inner);
  }
  yield `\n${indent}}`;
}
