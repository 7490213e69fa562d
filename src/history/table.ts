// `incluster history`'s table and JSON document (pure): per suite a heading, then one row per test.
import type { SuiteStats, TestStats } from "./stats.js";

const HEAD = ["TEST", "RUNS", "PASSED", "FAILED", "FLAKY", "FLAKE RATE", "MEDIAN", "P90", "LAST", "QUARANTINED"];

/** 1234 → "1.2s", 420 → "420ms", 125000 → "2m05s". */
export function durationText(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

function row(t: TestStats): string[] {
  return [
    t.id,
    String(t.runs),
    String(t.passed),
    String(t.failed),
    String(t.flaky),
    `${(t.flakeRate * 100).toFixed(1)}%`,
    durationText(t.medianDurationMs),
    durationText(t.p90DurationMs),
    t.lastStatus,
    t.quarantined ? "yes" : "no",
  ];
}

/** One block per suite: "<suite>: N runs", then the aligned table (numbers right-aligned). */
export function historyTable(suites: readonly SuiteStats[]): string {
  return suites
    .map((s) => {
      const head = `${s.suite}: ${s.runs} run${s.runs === 1 ? "" : "s"}, ${s.tests.length} test${s.tests.length === 1 ? "" : "s"}`;
      if (!s.tests.length) return head;
      const all = [HEAD, ...s.tests.map(row)];
      const widths = HEAD.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
      const line = (r: string[]) => r.map((c, i) => (i === 0 || i >= 8 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ").trimEnd();
      return [head, ...all.map(line)].join("\n");
    })
    .join("\n\n");
}

/** What `-o json` prints: exactly {"suites":[{"suite","runs","tests":[…]}]} (issue 22's names). */
export function historyDocument(suites: readonly SuiteStats[]): { suites: SuiteStats[] } {
  return {
    suites: suites.map((s) => ({
      suite: s.suite,
      runs: s.runs,
      tests: s.tests.map((t) => ({
        id: t.id,
        runs: t.runs,
        passed: t.passed,
        failed: t.failed,
        flaky: t.flaky,
        flakeRate: t.flakeRate,
        medianDurationMs: t.medianDurationMs,
        p90DurationMs: t.p90DurationMs,
        lastStatus: t.lastStatus,
        quarantined: t.quarantined,
      })),
    })),
  };
}
