// Reads a suite's report (JUnit, or its runner's own) from its collected artifacts; parsing is pure (results/report.ts).
import { readFileSync } from "node:fs";
import { parseReport, type ReportReader } from "../results/report.js";
import type { ParsedTests } from "../results/model.js";

export function readJunit(path: string, runner: ReportReader): ParsedTests | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined; // the runner wrote none (it failed before, or this runner writes elsewhere)
  }
  return parseReport(runner, text);
}
