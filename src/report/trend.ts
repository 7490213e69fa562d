// How a test's trend against its history is worded, the same in the terminal, the step summary
// and report.html: "still failing (5 of 5 runs)", "known flaky (5 of 5 runs)". Pure.
import type { TestTrend } from "../results/model.js";

const WORD: Record<TestTrend["kind"], string> = {
  newFailure: "new failure",
  stillFailing: "still failing",
  knownFlaky: "known flaky",
  newFlaky: "newly flaky",
};

/** "<kind> (<count> of <runs> runs)": the runs that failed (or were flaky) of the runs it ran in, this one included. */
export function trendText(t: TestTrend): string {
  return `${WORD[t.kind]} (${t.count} of ${t.runs} run${t.runs === 1 ? "" : "s"})`;
}
