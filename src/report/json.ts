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
