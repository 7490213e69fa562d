// A suite's report → its test cases: JUnit (results/junit.ts; pytest's node ids when pytest wrote
// it) or a runner's own report (its adapter's parser, runners/). The same id twice is one test.
import { runnerAdapter, type ReportReader } from "../runners/index.js";
import { combineDuplicates, parseJunit } from "./junit.js";
import type { ParsedTests } from "./model.js";

export type { ReportReader } from "../runners/index.js";

export function parseReport(reader: ReportReader, text: string): ParsedTests {
  if (reader === "other") return parseJunit(text, { runner: "other" });
  const report = runnerAdapter(reader).report;
  if ("junit" in report) return parseJunit(text, { runner: report.junit });
  const parsed = report.parse(text);
  return { tests: combineDuplicates(parsed.tests), ...(parsed.problem ? { problem: parsed.problem } : {}) };
}
