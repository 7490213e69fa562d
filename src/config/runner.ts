// A suite's `runner:`: which runner's adapter runs its `test:` (pytest when unset) or reads the
// report of its `command:`. The adapters (runners/) decide what a target may be; this file words
// their answers as config problems and tells the engine how a suite's results are read.
import * as z from "zod/mini";
import { RUNNER_NAMES, runnerAdapter, type RunnerName } from "../runners/index.js";
import { describe, shown } from "./fields.js";

export const runnerSchema = describe(
  z.enum(RUNNER_NAMES, { error: (iss) => `expected one of ${RUNNER_NAMES.join(", ")}, got ${shown(iss.input)}` }),
  `The test runner: ${RUNNER_NAMES.join(", ")}. With test:, incluster runs that target with it and reads its own report ` +
    "(ids, messages, retries of the failed tests, shards). With command:, the command runs as written and its report is read as this runner's. " +
    "Default: pytest for test:, none (junit: or nothing) for command:.",
);

/** The runner a suite's `test:` runs with: pytest unless it names another. */
export const DEFAULT_RUNNER: RunnerName = "pytest";

export interface RunnerProblem {
  field: "test" | "junit";
  message: string;
}

/** A suite's runner fields' problems, each for the field to name (the target's, or junit's). */
export function suiteRunnerProblems(s: { runner?: RunnerName | undefined; test?: string | undefined; junit?: string | undefined }): RunnerProblem[] {
  const out: RunnerProblem[] = [];
  if (s.test !== undefined) {
    const problem = runnerAdapter(s.runner ?? DEFAULT_RUNNER).validateTarget(s.test);
    if (problem) out.push({ field: "test", message: problem });
  }
  if (s.test !== undefined && s.junit !== undefined && s.runner !== undefined && s.runner !== "pytest") {
    out.push({ field: "junit", message: `runner ${s.runner} writes and reads its own report; junit: is for a command's JUnit file (remove it)` });
  }
  return out;
}
