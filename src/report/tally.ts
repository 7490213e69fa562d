// The run's one-line tally of suites by verdict, as the terminal, the GitHub step summary and the
// Slack message all say it, so none can disagree ("0 passed, 0 failed, 1 could not run"). Pure.
import type { Verdict } from "../diagnose/types.js";
import type { RunResult } from "../results/run-result.js";

/** Each verdict in the order the tally says it; passed and failed always, the others when any suite has them. */
const WORDS: readonly { verdict: Verdict; word: string; always: boolean }[] = [
  { verdict: "passed", word: "passed", always: true },
  { verdict: "failed", word: "failed", always: true },
  { verdict: "couldNotRun", word: "could not run", always: false },
  { verdict: "timedOut", word: "timed out", always: false },
  { verdict: "interrupted", word: "interrupted", always: false },
];

/** How many suites ended with each verdict. */
export function verdictCounts(r: Pick<RunResult, "suites">): Record<Verdict, number> {
  const counts: Record<Verdict, number> = { passed: 0, failed: 0, couldNotRun: 0, timedOut: 0, interrupted: 0 };
  for (const s of r.suites) counts[s.verdict]++;
  return counts;
}

/** "1 passed, 2 failed, 1 could not run". */
export function tallyText(r: Pick<RunResult, "suites">): string {
  const counts = verdictCounts(r);
  return WORDS.filter((w) => w.always || counts[w.verdict] > 0)
    .map((w) => `${counts[w.verdict]} ${w.word}`)
    .join(", ");
}
