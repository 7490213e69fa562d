// A suite's attempts (its first Job and each retry), the pure decisions on them: whether a
// finished attempt is rerun (the one retry decision) and the retry's objects, and the attempts →
// the suite's one result: the verdict is the last attempt's; tests are merged over attempts (a
// failure that later passes is flaky), quarantined tests marked; a flaky test fails the suite only
// with failOnFlaky, and a suite whose only failures are quarantined tests passes. This is the one
// place a suite's verdict is decided from its tests: every output reads the result made here.
import { rerunsFailedTests } from "../config/report.js";
import type { SuiteHistory } from "../history/model.js";
import { newTestIds } from "../history/new-tests.js";
import type { ResolvedSuite } from "../config/resolve.js";
import { ExitCode } from "../exit-codes.js";
import type { SuiteObjects } from "../render/objects.js";
import { renderSuite } from "../render/suite.js";
import { failedIds, mergeAttempts } from "../results/merge.js";
import { onlyQuarantinedFailed, quarantinedFailures, quarantineTests } from "../results/quarantine.js";
import type { QuarantineMark } from "../results/quarantine.js";
import type { MergedTest } from "../results/model.js";
import type { AttemptResult, SuiteResult } from "../results/run-result.js";
import { retryFollows } from "./attempt-key.js";
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
  if (!retryFollows(o.result, attempt, suite)) return undefined;
  const ids = rerunsFailedTests(suite) ? failedIds(o.tests ?? []) : [];
  return ids.length ? { ids } : {};
}

/**
 * New-flake detection (flaky.newTests: K): once the suite's own attempts are done, whether one more
 * attempt reruns the tests its history has never seen that passed in them (one that failed is
 * already flaky or failed): K such attempts of the same ids, stopped early only by a verdict that
 * is no test's. `outcomes` are every attempt so far; `probes` the ones that were such reruns.
 */
export function probeOf(
  outcomes: readonly SuiteOutcome[],
  probes: ReadonlySet<number>,
  suite: ResolvedSuite,
  history: SuiteHistory | undefined,
): string[] | undefined {
  const last = outcomes[outcomes.length - 1];
  if (!last || probes.size >= (suite.flaky?.newTests ?? 0) || !rerunsFailedTests(suite)) return undefined;
  if (last.result.verdict !== "passed" && last.result.class !== "testsFailed") return undefined;
  const own = outcomes.filter((x) => !probes.has(x.attempt));
  const passed = mergeAttempts(own.map((x) => x.tests ?? [])).filter((t) => t.status === "passed");
  const ids = newTestIds(passed.map((t) => t.id), history);
  return ids.length ? ids : undefined;
}

export interface CombineOptions {
  failOnFlaky: boolean;
  rerunIds?: RerunIds;
  /** Why a test is quarantined in this run (history/quarantine.ts), or undefined. */
  quarantined?: (id: string) => QuarantineMark | string | undefined;
  /** The attempts that reran new tests (probeOf): they add runs to the tests, never a verdict. */
  probes?: ReadonlySet<number>;
}

export function combineAttempts(outcomes: readonly SuiteOutcome[], o: CombineOptions): SuiteResult {
  const first = outcomes[0];
  const last = outcomes[outcomes.length - 1];
  if (!first || !last) throw new Error("combineAttempts needs at least one attempt");
  const anyTests = outcomes.some((x) => x.tests !== undefined);
  const merged = anyTests ? mergeAttempts(outcomes.map((x) => x.tests ?? [])) : undefined;
  const tests = merged && o.quarantined ? quarantineTests(merged, o.quarantined) : merged;
  const flaky = tests?.filter((t) => t.status === "flaky") ?? [];
  const durationSeconds = Math.round(Date.parse(last.result.finishedAt) - Date.parse(first.result.startedAt)) / 1000;
  // The verdict is the last of the suite's own attempts: a new test's extra runs only make it flaky.
  const decided = [...outcomes].reverse().find((x) => !o.probes?.has(x.attempt)) ?? last;
  let result: SuiteResult = { ...decided.result, startedAt: first.result.startedAt, finishedAt: last.result.finishedAt, durationSeconds };
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
        ...(o.probes?.has(x.attempt) ? { newTests: true as const } : {}),
      };
    });
    result = { ...result, attempts, pods: outcomes.flatMap((x) => x.result.pods) };
  }
  if (tests && result.verdict === "failed" && result.class === "testsFailed") {
    const failedShards = (decided.result.shards ?? []).filter((sh) => sh.verdict !== "passed").map((sh) => sh.index);
    const allTestsFailed = failedShards.every((i) => decided.result.shards?.find((sh) => sh.index === i)?.class === "testsFailed");
    if (allTestsFailed && onlyQuarantinedFailed(tests, failedShards)) result = passedWithQuarantine(result, tests);
  }
  if (flaky.length && result.verdict === "passed") {
    const probed = new Set([...(o.probes ?? [])].flatMap((a) => o.rerunIds?.get(a) ?? []));
    const fresh = flaky.filter((t) => probed.has(t.id));
    const retried = flaky.filter((t) => !probed.has(t.id));
    const note = [
      retried.length ? `${retried.length} flaky test(s): failed, then passed on a retry: ${retried.map((t) => t.id).join(", ")}` : "",
      fresh.length ? `${fresh.length} new flaky test(s): not in the history, and did not pass every run: ${fresh.map((t) => t.id).join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    result = { ...result, notes: [...result.notes, note] };
    if (o.failOnFlaky) result = { ...result, verdict: "failed", class: "flaky", exitCode: ExitCode.testsFailed, message: `${note} (--fail-on-flaky)` };
  }
  return result;
}

/** A suite whose only failures are quarantined tests: passed, with a note naming them and why. */
function passedWithQuarantine(r: SuiteResult, tests: readonly MergedTest[]): SuiteResult {
  const q = quarantinedFailures(tests);
  const names = q.map((t) => `${t.id} (${t.quarantine?.reason ?? "quarantined"})`).join(", ");
  const note = `${q.length} quarantined test(s) failed and do not fail the suite: ${names}`;
  const { class: _c, reason: _r, message: _m, hint: _h, ...rest } = r;
  return { ...rest, verdict: "passed", exitCode: ExitCode.ok, events: [], notes: [...r.notes, note] };
}
