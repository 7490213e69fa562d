// The result document when a run stops before any Job exists (source or build step failed), so
// `-o json` / `-o junit` consumers still get one verdict per suite instead of empty stdout.
import type { FailureClass } from "../diagnose/types.js";
import { ExitCode } from "../exit-codes.js";
import { RESULT_API_VERSION } from "../results/run-result.js";
import type { RunResult } from "../results/run-result.js";

export interface NotRunInput {
  runId: string;
  context: string;
  namespace: string;
  suites: readonly { name: string; image: string }[];
  class: FailureClass;
  reason: string;
  message: string;
  hint?: string;
  at: Date;
}

export function notRunResult(i: NotRunInput): RunResult {
  const at = i.at.toISOString();
  return {
    apiVersion: RESULT_API_VERSION,
    kind: "RunResult",
    runId: i.runId,
    context: i.context,
    namespace: i.namespace,
    startedAt: at,
    finishedAt: at,
    exitCode: ExitCode.couldNotRun,
    reportDir: "",
    suites: i.suites.map((s) => ({
      suite: s.name,
      verdict: "couldNotRun" as const,
      class: i.class,
      exitCode: ExitCode.couldNotRun,
      reason: i.reason,
      message: i.message,
      ...(i.hint ? { hint: i.hint } : {}),
      namespace: i.namespace,
      job: "",
      pods: [],
      image: s.image,
      startedAt: at,
      finishedAt: at,
      durationSeconds: 0,
      phases: {},
      logs: {},
      events: [],
      notes: ["stopped before any Job was created"],
    })),
  };
}
