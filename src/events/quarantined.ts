// The test.quarantined events of a suite's result: one per quarantined test, from the result the
// engine decided (results/quarantine.ts marked them), so the events and every other output agree.
import type { SuiteResult } from "../results/run-result.js";
import type { EventBody } from "./types.js";

/** One test.quarantined body per quarantined test of the suite, in the result's order. */
export function quarantinedEvents(result: SuiteResult): EventBody[] {
  return (result.tests ?? []).flatMap((t): EventBody[] => {
    const q = t.quarantine;
    if (t.status !== "quarantined" || !q) return [];
    return [
      {
        type: "test.quarantined",
        suite: result.suite,
        test: t.id,
        outcome: q.outcome,
        reason: q.reason,
        ...(q.until !== undefined ? { until: q.until } : {}),
        ...(q.rule ? { rule: q.rule } : {}),
        ...(t.shard !== undefined ? { shard: t.shard } : {}),
      },
    ];
  });
}
