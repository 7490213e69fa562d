// What `incluster run` hands GitHub Actions: the step summary (Markdown), `::error` annotations
// for failed tests, and the step outputs. Pure functions of the RunResult.
import { countsText, LISTED_TESTS_MAX } from "../report/human.js";
import { failures, flakyTrends, suiteTally } from "../report/failures.js";
import { trendText } from "../report/trend.js";
import type { Failure } from "../report/failures.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";
import { tallyText } from "../report/tally.js";
import { oneLine } from "../report/text.js";
import { testCounts } from "../results/merge.js";

/** The step outputs, in the order action.yml declares them. */
export const OUTPUT_NAMES = ["exit-code", "run-id", "passed", "failed", "report-dir"] as const;
export type OutputName = (typeof OUTPUT_NAMES)[number];

/** GitHub shows 10 error annotations per step and 50 per job; more are noise. */
export const ANNOTATIONS_MAX = 50;
/** An annotation's message is cut here (GitHub truncates long ones anyway). */
const ANNOTATION_TEXT_MAX = 4000;

const VERDICT: Record<SuiteResult["verdict"], string> = {
  passed: "✅ passed",
  failed: "❌ failed",
  couldNotRun: "⚠️ could not run",
  timedOut: "⏱️ timed out",
  interrupted: "⏹️ interrupted",
};

/** `passed`/`failed` count suites: failed is every suite that did not pass. */
export function stepOutputs(r: RunResult): Record<OutputName, string> {
  const t = suiteTally(r);
  return { "exit-code": String(r.exitCode), "run-id": r.runId, passed: String(t.passed), failed: String(t.failed), "report-dir": r.reportDir };
}

/** GITHUB_OUTPUT's format: name=value, or name<<delimiter for a value with a line break. */
export function outputFileText(outputs: Readonly<Record<string, string>>): string {
  return Object.entries(outputs)
    .map(([k, v]) => {
      if (!/[\r\n]/.test(v)) return `${k}=${v}\n`;
      let delimiter = "INCLUSTER_EOF";
      while (v.includes(delimiter)) delimiter += "_";
      return `${k}<<${delimiter}\n${v}\n${delimiter}\n`;
    })
    .join("");
}

/** The step summary: the run's tally, one table row per suite, each failure with its message. */
export function stepSummary(r: RunResult, link?: { url: string; label: string }): string {
  const lines = [`### incluster run \`${r.runId}\`: ${tallyText(r)} — exit code ${r.exitCode}`, ""];
  lines.push("| suite | verdict | duration | class | tests |", "|---|---|---|---|---|");
  for (const s of r.suites) {
    const tests = s.tests ? countsText(testCounts(s.tests)) : "—";
    lines.push(
      `| ${md(s.suite)} | ${VERDICT[s.verdict]} | ${s.durationSeconds.toFixed(1)}s | ${s.verdict === "passed" ? "—" : (s.class ?? "—")} | ${md(tests)} |`,
    );
  }
  const all = failures(r);
  if (all.length) {
    lines.push("", "#### Failures", "");
    for (const f of all.slice(0, LISTED_TESTS_MAX)) lines.push(`- ${failureLine(f)}`);
    if (all.length > LISTED_TESTS_MAX) lines.push(`- … and ${all.length - LISTED_TESTS_MAX} more (the JUnit report lists every test)`);
  }
  const flaky = flakyTrends(r);
  if (flaky.length) {
    lines.push("", "#### Flaky", "");
    for (const f of flaky.slice(0, LISTED_TESTS_MAX)) lines.push(`- **${md(f.suite)}** ${code(f.test)}: ${trendText(f.trend)}`);
    if (flaky.length > LISTED_TESTS_MAX) lines.push(`- … and ${flaky.length - LISTED_TESTS_MAX} more`);
  }
  lines.push("", `Report: \`${r.reportDir || "(none)"}\`${link ? ` · [${md(link.label)}](${link.url})` : ""}`, "");
  return lines.join("\n");
}

function failureLine(f: Failure): string {
  const where = f.file ? ` (${md(f.file)}${f.line !== undefined ? `:${f.line}` : ""})` : "";
  const msg = `${f.trend ? `${trendText(f.trend)} — ` : ""}${md(oneLine(f.message)) || "failed"}`;
  return f.test ? `**${md(f.suite)}** ${code(f.test)}${where}: ${msg}` : `**${md(f.suite)}**: ${msg}`;
}

/** `::error` workflow commands, one per failure: file and line where the JUnit named them. */
export function annotations(r: RunResult): string[] {
  const all = failures(r);
  const out = all.slice(0, ANNOTATIONS_MAX).map((f) => {
    const props: string[] = [];
    if (f.file) props.push(`file=${property(f.file)}`);
    if (f.file && f.line !== undefined) props.push(`line=${f.line}`);
    props.push(`title=${property(f.test ? `${f.suite}: ${f.test}` : `incluster: suite ${f.suite} did not pass`)}`);
    const body = [f.message, f.detail].filter(Boolean).join("\n");
    return `::error ${props.join(",")}::${data(cut(body))}`;
  });
  if (all.length > ANNOTATIONS_MAX) {
    out.push(`::error title=incluster::${data(`… and ${all.length - ANNOTATIONS_MAX} more failures (see the step summary and the JUnit report)`)}`);
  }
  return out;
}

function cut(s: string): string {
  return s.length > ANNOTATION_TEXT_MAX ? `${s.slice(0, ANNOTATION_TEXT_MAX - 1)}…` : s;
}

// Workflow command escaping, as @actions/core's command.ts does it.
function data(s: string): string {
  return s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function property(s: string): string {
  return data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** Markdown text: no HTML, no table breaks, one line. */
function md(s: string): string {
  return s.replace(/[\r\n]+/g, " ").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/([\\`*_[\]|])/g, "\\$1");
}
/** An inline code span that survives backticks inside. */
function code(s: string): string {
  const one = s.replace(/[\r\n]+/g, " ");
  const fence = one.includes("`") ? "``" : "`";
  return `${fence}${fence === "``" ? ` ${one} ` : one}${fence}`;
}
