// The runner adapters by name: the one place that lists them.
import { go } from "./go.js";
import { jest } from "./jest.js";
import { node } from "./node.js";
import { playwright } from "./playwright.js";
import { pytest } from "./pytest.js";
import type { RunnerAdapter, RunnerName } from "./types.js";
import { vitest } from "./vitest.js";

export { RUNNER_NAMES } from "./types.js";
export type { FailedTry, ReportedTest, ReportedTests, RunnerAdapter, RunnerName, RunnerReport, ScriptOptions, ShardBalance } from "./types.js";

const ADAPTERS: Record<RunnerName, RunnerAdapter> = { pytest, node, go, jest, vitest, playwright };

export function runnerAdapter(name: RunnerName): RunnerAdapter {
  return ADAPTERS[name];
}

/** How a suite's report is read: as a runner's own report, or as JUnit with `classname::name` ids ("other"). */
export type ReportReader = RunnerName | "other";
