// A suite's attempts (its first Job and each retry) → its one result. Pure: the verdict is the
// last attempt's; tests are merged over attempts (a failure that later passes is flaky), and a
// flaky test fails the suite only with failOnFlaky.
import { ExitCode } from "../exit-codes.js";
import { mergeAttempts } from "../results/merge.js";
import type { AttemptResult, SuiteResult } from "../results/run-result.js";
import type { SuiteOutcome } from "./suite-run.js";

export function combineAttempts(outcomes: readonly SuiteOutcome[], o: { failOnFlaky: boolean; rerunIds?: ReadonlyMap<number, readonly string[]> }): SuiteResult {
  const first = outcomes[0];
  const last = outcomes[outcomes.length - 1];
  if (!first || !last) throw new Error("combineAttempts needs at least one attempt");
  const anyTests = outcomes.some((x) => x.tests !== undefined);
  const tests = anyTests ? mergeAttempts(outcomes.map((x) => x.tests ?? [])) : undefined;
  const flaky = tests?.filter((t) => t.status === "flaky") ?? [];
  let result: SuiteResult = { ...last.result, startedAt: first.result.startedAt, durationSeconds: Math.round(Date.parse(last.result.finishedAt) - Date.parse(first.result.startedAt)) / 1000 };
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
