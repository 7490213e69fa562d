// Human output on stderr: one plain line per change (CI-friendly), colour only when allowed.
import { testCounts } from "../results/merge.js";
import type { MergedTest, TestCounts } from "../results/model.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";
import { tallyText } from "./tally.js";
import { oneLine } from "./text.js";
import { trendText } from "./trend.js";

export interface Style {
  color: boolean;
}

const codes = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;
export function paint(style: Style, c: keyof typeof codes, s: string): string {
  return style.color ? `\u001b[${codes[c]}m${s}\u001b[0m` : s;
}

export function clock(at: Date): string {
  return at.toISOString().slice(11, 19);
}

export function progressLine(style: Style, at: Date, suite: string, text: string): string {
  return `${paint(style, "dim", clock(at))} ${paint(style, "blue", `[${suite}]`)} ${text}`;
}

const verdictWord: Record<SuiteResult["verdict"], { word: string; color: keyof typeof codes }> = {
  passed: { word: "PASSED", color: "green" },
  failed: { word: "FAILED", color: "red" },
  couldNotRun: { word: "COULD NOT RUN", color: "yellow" },
  timedOut: { word: "TIMED OUT", color: "yellow" },
  interrupted: { word: "INTERRUPTED", color: "yellow" },
};

/** The verdict block for one suite: reason and message verbatim, our hint, recent events. */
export function suiteSummary(style: Style, s: SuiteResult): string {
  const v = verdictWord[s.verdict];
  // No Job reference when none was created (the run stopped at the preflight, source or build).
  const about = [
    `${s.durationSeconds.toFixed(1)}s`,
    ...(s.job ? [`job/${s.job}`] : []),
    ...(s.testExitCode !== undefined ? [`exit code ${s.testExitCode}`] : []),
  ];
  const lines = [`${paint(style, v.color, paint(style, "bold", v.word))} ${s.suite} (${about.join(", ")})`];
  if (s.class && s.verdict !== "passed") lines.push(`  class:   ${s.class}`);
  if (s.reason) lines.push(`  reason:  ${s.reason}`);
  if (s.message) lines.push(`  message: ${s.message.split("\n").join("\n           ")}`);
  if (s.hint) lines.push(`  hint:    ${s.hint}`);
  if (s.commit) lines.push(`  commit:  ${s.commit}`);
  for (const n of s.notes) lines.push(`  note:    ${n}`);
  lines.push(...attemptLines(style, s), ...testLines(style, s));
  if (s.verdict !== "passed" && s.events.length > 0) {
    lines.push("  events:");
    for (const e of s.events) {
      lines.push(`    ${e.lastTimestamp.slice(11, 19)} ${e.type} ${e.reason} ${e.object}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ""}`);
    }
  }
  const logs = Object.entries(s.logs);
  if (logs.length) lines.push(`  logs:    ${logs.map(([c, p]) => `${c}=${p}`).join(" ")}`);
  return lines.join("\n");
}

/** At most this many failed and flaky tests are listed per suite; the rest are counted. */
export const LISTED_TESTS_MAX = 50;

const testWord: Partial<Record<MergedTest["status"], { word: string; color: keyof typeof codes }>> = {
  failed: { word: "FAILED", color: "red" },
  error: { word: "ERROR ", color: "red" },
  flaky: { word: "FLAKY ", color: "yellow" },
};

export function countsText(c: TestCounts): string {
  const parts = [`${c.passed} passed`, `${c.failed} failed`];
  if (c.errors) parts.push(`${c.errors} error${c.errors === 1 ? "" : "s"}`);
  if (c.flaky) parts.push(`${c.flaky} flaky`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return `${parts.join(", ")} (${c.tests} ${c.tests === 1 ? "test" : "tests"})`;
}

/** The suite's test counts, then each failed and flaky test: its id and one-line message. */
function testLines(style: Style, s: SuiteResult): string[] {
  if (!s.tests) return [];
  const listed = s.tests.filter((t) => testWord[t.status]);
  const lines = [`  tests:   ${countsText(testCounts(s.tests))}`];
  for (const t of listed.slice(0, LISTED_TESTS_MAX)) {
    const w = testWord[t.status]!;
    const where = t.shard !== undefined ? ` [shard ${t.shard}]` : "";
    const trend = t.trend ? ` — ${paint(style, "bold", trendText(t.trend))}` : "";
    lines.push(`    ${paint(style, w.color, w.word)} ${t.id}${where}${trend}${detail(t) ? ` — ${detail(t)}` : ""}`);
    // The assertion's values on their own lines, as the runner gave them (node:test, testify).
    if (t.expected !== undefined && t.actual !== undefined && t.status !== "flaky") {
      lines.push(`        expected: ${oneLine(t.expected)}`, `        actual:   ${oneLine(t.actual)}`);
    }
  }
  if (listed.length > LISTED_TESTS_MAX) lines.push(`    … and ${listed.length - LISTED_TESTS_MAX} more (-o junit or -o json lists every test)`);
  return lines;
}

function detail(t: MergedTest): string {
  if (t.status !== "flaky") return oneLine(t.message ?? t.text);
  const failed = (t.reruns ?? []).map((r) => `attempt ${r.attempt}: ${oneLine(r.message ?? r.text) || r.status}`);
  return [`passed on attempt ${t.attempt}`, ...failed].join("; ");
}

/** One line per attempt of a retried suite and per shard that did not pass. */
function attemptLines(style: Style, s: SuiteResult): string[] {
  const lines: string[] = [];
  for (const a of s.attempts ?? []) {
    const rerun = a.rerunIds ? `, reran ${a.rerunIds.length} failed test${a.rerunIds.length === 1 ? "" : "s"}` : "";
    lines.push(`  attempt ${a.attempt}: ${verdictText(style, a)}, job/${a.job}${rerun}`);
  }
  for (const sh of s.shards ?? []) if (sh.verdict !== "passed") lines.push(`  shard ${sh.index}: ${verdictText(style, sh)}, pod/${sh.pod}`);
  return lines;
}

function verdictText(style: Style, v: { verdict: SuiteResult["verdict"]; class?: SuiteResult["class"] }): string {
  const w = verdictWord[v.verdict];
  return `${paint(style, w.color, w.word)}${v.class && v.verdict !== "passed" ? ` (${v.class})` : ""}`;
}

export function runSummary(style: Style, r: RunResult): string {
  const tests = r.suites.some((s) => s.tests) ? `; tests: ${countsText(testCounts(r.suites.flatMap((s) => s.tests ?? [])))}` : "";
  // No report directory: it could not be written, so nothing was saved.
  const report = r.reportDir ? `report in ${r.reportDir}` : "nothing saved";
  return [...r.suites.map((s) => suiteSummary(style, s)), `run ${r.runId}: ${tallyText(r)}${tests} — exit code ${r.exitCode}; ${report}`].join("\n");
}
