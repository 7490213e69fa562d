// What the engine asks of a suite's runner after an attempt: where its results are and as whose
// report they are read, and whether a retry reruns only the failed tests. Pure.
import { runnerAdapter, type ReportReader } from "../runners/index.js";

export type { ReportReader } from "../runners/index.js";
import type { ResolvedSuite } from "./resolve.js";

export interface SuiteReport {
  /** Relative to the attempt's artifacts directory. */
  file: string;
  reader: ReportReader;
}

/** The suite's report: `junit:` (JUnit; pytest's ids when pytest wrote it), else its runner's own; none for a command without either. */
export function suiteReport(suite: ResolvedSuite): SuiteReport | undefined {
  const reads = suite.runner.kind === "command" ? suite.runner.reads : suite.runner.kind;
  if (suite.junit !== undefined) return { file: suite.junit, reader: reads === "pytest" ? "pytest" : "other" };
  return reads ? { file: runnerAdapter(reads).report.file, reader: reads } : undefined;
}

/** A retry reruns only the failed tests (the ids the runner reported) for a runner's target; a command reruns whole. */
export function rerunsFailedTests(suite: ResolvedSuite): boolean {
  return suite.runner.kind !== "command";
}
