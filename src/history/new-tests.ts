// New-flake detection: the tests a suite's history has never seen. Pure.
import type { SuiteHistory } from "./model.js";

/** The ids absent from every run of the history, in the order given; none without a history (then every test would be new). */
export function newTestIds(ids: readonly string[], history: SuiteHistory | undefined): string[] {
  if (!history?.runs.length) return [];
  const seen = new Set(history.runs.flatMap((r) => r.tests.map((t) => t.id)));
  return [...new Set(ids)].filter((id) => !seen.has(id));
}
