// A suite's attempts (its first Job and each retry), the pure decisions on them: whether a
// finished attempt is rerun (the one retry decision) and the retry's objects, and the attempts →
// the suite's one result: the verdict is the last attempt's; tests are merged over attempts (a
// failure that later passes is flaky), and a flaky test fails the suite only with failOnFlaky.
import { rerunsFailedTests } from "../config/report.js";
import type { ResolvedSuite } from "../config/resolve.js";
import { ExitCode } from "../exit-codes.js";
import type { SuiteObjects } from "../render/objects.js";
import { renderSuite } from "../render/suite.js";
import { failedIds, mergeAttempts } from "../results/merge.js";
import type { AttemptResult, SuiteResult } from "../results/run-result.js";
import type { SuiteOutcome } from "./suite-run.js";

/** What of the run an attempt's objects depend on (the run's context has both). */
export interface AttemptRun {
  runId: string;
  collectVia: "exec" | "log";
}

/**
 * A retry's objects: a fresh Job (named -<attempt>) rerunning these test ids, or the whole suite.
 * A retry of failed ids is one plain Job, also for a sharded suite. (Attempt 1's are the
 * orchestrator's render stage: the same objects.)
 */
export function attemptObjects(run: AttemptRun, resolved: ResolvedSuite, attempt: number, rerunIds?: string[]): SuiteObjects {
  return renderSuite(rerunIds?.length ? { ...resolved, shards: 1 } : resolved, { runId: run.runId, attempt, rerunIds, collectVia: run.collectVia });
}

/** By attempt: the test ids it reran (absent: the first, or a rerun of the whole suite). */
export type RerunIds = ReadonlyMap<number, readonly string[]>;

/** Whether a finished attempt is rerun, and with which test ids (no ids: the whole suite). Decided once, as each attempt ends. */
export function retryOf(o: SuiteOutcome, attempt: number, suite: ResolvedSuite): { ids?: string[] } | undefined {
  // Only failing tests are rerun; could-not-run classes (pull, OOM, eviction, clone) never are.
  if (attempt > (suite.retries ?? 0) || o.result.verdict !== "failed" || o.result.class !== "testsFailed") return undefined;
  const ids = rerunsFailedTests(suite) ? failedIds(o.tests ?? []) : [];
  return ids.length ? { ids } : {};
}

export function combineAttempts(outcomes: readonly SuiteOutcome[], o: { failOnFlaky: boolean; rerunIds?: RerunIds }): SuiteResult {
  const first = outcomes[0];
  const last = outcomes[outcomes.length - 1];
  if (!first || !last) throw new Error("combineAttempts needs at least one attempt");
  const anyTests = outcomes.some((x) => x.tests !== undefined);
  const tests = anyTests ? mergeAttempts(outcomes.map((x) => x.tests ?? [])) : undefined;
  const flaky = tests?.filter((t) => t.status === "flaky") ?? [];
  const durationSeconds = Math.round(Date.parse(last.result.finishedAt) - Date.parse(first.result.startedAt)) / 1000;
  let result: SuiteResult = { ...last.result, startedAt: first.result.startedAt, durationSeconds };
  if (tests) result = { ...result, tests };
  if (outcomes.length > 1) {
    const attempts: AttemptResult[] = outcomes.map((x) => {
      const ids = o.rerunIds?.get(x.attempt);
      return {
        attempt: x.attempt,
        verdict: x.result.verdict,
        ...(x.result.class ? { class: x.result.class } : {}),
        exitCode: x.result.exitCode,
        job: x.result.job,
        logs: x.result.logs,
        ...(x.result.artifacts?.dir ? { artifactsDir: x.result.artifacts.dir } : {}),
        ...(ids ? { rerunIds: [...ids] } : {}),
      };
    });
    result = { ...result, attempts, pods: outcomes.flatMap((x) => x.result.pods) };
  }
  if (flaky.length && result.verdict === "passed") {
    const note = `${flaky.length} flaky test(s): failed, then passed on a retry: ${flaky.map((t) => t.id).join(", ")}`;
    result = { ...result, notes: [...result.notes, note] };
    if (o.failOnFlaky) result = { ...result, verdict: "failed", class: "flaky", exitCode: ExitCode.testsFailed, message: `${note} (--fail-on-flaky)` };
  }
  return result;
}
