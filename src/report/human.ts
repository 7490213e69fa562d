// Human output on stderr: one plain line per change (CI-friendly), colour only when allowed.
import type { RunResult, SuiteResult } from "./model.js";

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
  const lines = [`${paint(style, v.color, paint(style, "bold", v.word))} ${s.suite} (${s.durationSeconds.toFixed(1)}s, job/${s.job}${s.testExitCode !== undefined ? `, exit code ${s.testExitCode}` : ""})`];
  if (s.class && s.verdict !== "passed") lines.push(`  class:   ${s.class}`);
  if (s.reason) lines.push(`  reason:  ${s.reason}`);
  if (s.message) lines.push(`  message: ${s.message.split("\n").join("\n           ")}`);
  if (s.hint) lines.push(`  hint:    ${s.hint}`);
  if (s.commit) lines.push(`  commit:  ${s.commit}`);
  for (const n of s.notes) lines.push(`  note:    ${n}`);
  if (s.verdict !== "passed" && s.events.length > 0) {
    lines.push("  events:");
    for (const e of s.events) lines.push(`    ${e.lastTimestamp.slice(11, 19)} ${e.type} ${e.reason} ${e.object}: ${e.message}${e.count > 1 ? ` (x${e.count})` : ""}`);
  }
  const logs = Object.entries(s.logs);
  if (logs.length) lines.push(`  logs:    ${logs.map(([c, p]) => `${c}=${p}`).join(" ")}`);
  return lines.join("\n");
}

export function runSummary(style: Style, r: RunResult): string {
  const count = (v: SuiteResult["verdict"]) => r.suites.filter((s) => s.verdict === v).length;
  const parts = [`${count("passed")} passed`, `${count("failed")} failed`];
  for (const [v, w] of [["couldNotRun", "could not run"], ["timedOut", "timed out"], ["interrupted", "interrupted"]] as const) if (count(v)) parts.push(`${count(v)} ${w}`);
  return [...r.suites.map((s) => suiteSummary(style, s)), `run ${r.runId}: ${parts.join(", ")} — exit code ${r.exitCode}; report in ${r.reportDir}`].join("\n");
}
