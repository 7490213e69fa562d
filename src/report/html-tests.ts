// report.html's tests (pure): the run's Failures section (every failed, errored and flaky test of
// every suite, its traceback and log section open; a suite's failures past the first
// FAILURES_SHOWN are one click away, on a button that counts them; suites that did not pass
// without a failing test say why), and in each suite's own section its counts with the passed
// and skipped tests collapsed, LIST_PAGE lines to a page. All plain HTML: no script is needed to see
// any of it, and the browser neither lays out nor paints a closed list.
import { testCounts } from "../results/merge.js";
import type { MergedTest } from "../results/model.js";
import type { SuiteResult } from "../results/run-result.js";
import type { LogExcerpt } from "./excerpts.js";
import { countsText } from "./human.js";
import { anchor, badge, clean, duration, esc, plural } from "./html-text.js";
import { firstAndRest, pages } from "./paging.js";
import { trendText } from "./trend.js";

/** How many failing tests of one suite the Failures section shows before its "show N more" button. */
export const FAILURES_SHOWN = 50;
/** Rows per page of a suite's collapsed list of passed or skipped tests. */
export const LIST_PAGE = 1000;
/** Failure rows per part of the page (list lines: ten times as many). */
const ROWS_PER_PART = 20;

const FAILING_ORDER: Partial<Record<MergedTest["status"], number>> = { error: 0, failed: 1, flaky: 2 };
const STATUS_WORD: Record<MergedTest["status"], string> = { passed: "passed", failed: "FAILED", error: "ERROR", flaky: "FLAKY", skipped: "skipped" };
const isFailing = (t: MergedTest) => t.status === "failed" || t.status === "error" || t.status === "flaky";

/** A suite's failed, errored and flaky tests, in that order (report order within each). */
export function failingTests(s: SuiteResult): MergedTest[] {
  return (s.tests ?? []).filter(isFailing).sort((a, b) => FAILING_ORDER[a.status]! - FAILING_ORDER[b.status]!);
}

const failuresAnchor = (suite: string) => `${anchor(suite)}-failures`;

function runOf(t: MergedTest): string {
  return [t.shard !== undefined ? `shard ${t.shard}` : "", t.reruns?.length || t.status === "flaky" ? `attempt ${t.attempt}` : ""].filter(Boolean).join(", ");
}

function failureDetail(t: MergedTest, sections: { label: string; lines: string[] }[]): string {
  const runs = t.status === "flaky" ? [] : [{ attempt: t.attempt, message: t.message, text: t.text }];
  const all = [...runs, ...(t.reruns ?? [])].sort((a, b) => a.attempt - b.attempt);
  const parts = all.map(
    (r) =>
      `<p class="run">attempt ${r.attempt}${r.message ? `: ${clean(r.message.split("\n")[0])}` : ""}</p>` +
      `${r.text ? `<pre>${clean(r.text)}</pre>` : ""}`,
  );
  if (t.status === "flaky") parts.push(`<p class="run">passed on attempt ${t.attempt}</p>`);
  for (const s of sections) parts.push(`<p class="run">${esc(s.label)}</p><pre class="log">${clean(s.lines.join("\n"))}</pre>`);
  return (
    `<details open><summary>${t.status === "flaky" ? "Its failures before it passed" : "Failure"}` +
    `${t.file ? ` <span class="where">${esc(t.file)}${t.line ? `:${t.line}` : ""}</span>` : ""}</summary>${parts.join("")}</details>`
  );
}

/** The trend's words and its pass/fail strip (oldest first, this run last), when the suite has a history. */
function trendCell(t: MergedTest): string {
  if (!t.trend) return "";
  const label = `last ${t.trend.recent.length} runs, oldest first: ${t.trend.recent.join(", ")}`;
  const cells = t.trend.recent.map((s) => `<i class="h-${s}"></i>`).join("");
  const strip = `<span class="strip" role="img" aria-label="${esc(label)}" title="${esc(label)}">${cells}</span>`;
  return `<span class="trend">${esc(trendText(t.trend))}</span> ${strip}<br>`;
}

function failureRows(t: MergedTest, excerpts: readonly LogExcerpt[]): string {
  const message = t.status === "flaky" ? `passed on attempt ${t.attempt}` : (t.message ?? "").split("\n")[0];
  const head =
    `<tr class="t-${t.status}"><td><span class="st st-${t.status}">${STATUS_WORD[t.status]}</span></td>` +
    `<td class="id"><code>${esc(t.id)}</code></td><td class="num">${esc(duration(t.durationMs))}</td><td>${esc(runOf(t))}</td>` +
    `<td class="msg">${trendCell(t)}${clean(message)}</td></tr>`;
  const sections = excerpts.flatMap((x) => (x.sections[t.id] ? [{ label: `from ${x.path}`, lines: x.sections[t.id]! }] : []));
  return `${head}\n<tr class="detail"><td colspan="5">${failureDetail(t, sections)}</td></tr>`;
}

/**
 * A table of failing tests, a few rows to a part: the page is written part by part, and parts
 * under V8's large-object size (128 KB) are freed with the young generation.
 */
function* failureTable(suite: string, tests: readonly MergedTest[], excerpts: readonly LogExcerpt[], caption: string): Generator<string> {
  yield `<div class="scroll"><table class="tests">
<caption class="sr">${esc(caption)} of ${esc(suite)}</caption>
<thead><tr><th scope="col">status</th><th scope="col">test</th><th scope="col">time</th><th scope="col">run</th><th scope="col">message</th></tr></thead>
<tbody>
`;
  for (let i = 0; i < tests.length; i += ROWS_PER_PART) yield `${tests.slice(i, i + ROWS_PER_PART).map((t) => failureRows(t, excerpts)).join("\n")}\n`;
  yield "</tbody></table></div>";
}

/** "12 failed, 1 error, 3 flaky". */
function failingText(tests: readonly MergedTest[]): string {
  const c = testCounts(tests);
  return [c.failed ? `${c.failed} failed` : "", c.errors ? plural(c.errors, "error") : "", c.flaky ? `${c.flaky} flaky` : ""].filter(Boolean).join(", ");
}

/** One suite's part of the Failures section: its failing tests, or why it did not pass when no test says. */
function* suiteFailures(s: SuiteResult, excerpts: readonly LogExcerpt[]): Generator<string> {
  const failing = failingTests(s);
  const head = `<h3 id="${failuresAnchor(s.suite)}"><a href="#${anchor(s.suite)}">${esc(s.suite)}</a> ${badge(s.verdict)}`;
  if (!failing.length) {
    const why = [s.class ? `<code>${esc(s.class)}</code>` : "", clean((s.message ?? s.reason ?? "").split("\n")[0])].filter(Boolean).join(": ");
    yield `<div class="fgroup">${head}</h3>\n<p>${why || "no test failed"} (<a href="#${anchor(s.suite)}">its section</a> has the details)</p></div>\n`;
    return;
  }
  const mine = excerpts.filter((x) => x.suite === s.suite);
  const { first, rest } = firstAndRest(failing, FAILURES_SHOWN);
  yield `<div class="fgroup">${head} <span class="dur">${esc(failingText(failing))}</span></h3>\n`;
  yield* failureTable(s.suite, first, mine, rest.length ? `Failing tests 1 to ${FAILURES_SHOWN}` : "Failing tests");
  if (rest.length) {
    yield `\n<details class="more"><summary>Show ${rest.length} more failing ${rest.length === 1 ? "test" : "tests"} of ${esc(s.suite)}</summary>\n`;
    yield* failureTable(s.suite, rest, mine, `Failing tests ${FAILURES_SHOWN + 1} to ${failing.length}`);
    yield "\n</details>";
  }
  yield "</div>\n";
}

/** "5 failing tests (3 failed, 1 error, 1 flaky) in 2 suites; 1 suite did not pass without a failing test." */
export function failuresSummary(suites: readonly SuiteResult[]): string {
  const withTests = suites.filter((s) => failingTests(s).length);
  const without = suites.filter((s) => s.verdict !== "passed" && !failingTests(s).length);
  const all = withTests.flatMap(failingTests);
  const parts = [
    all.length ? `${plural(all.length, "failing test")} (${failingText(all)}) in ${plural(withTests.length, "suite")}` : "",
    without.length ? `${plural(without.length, "suite")} did not pass without a failing test` : "",
  ].filter(Boolean);
  return parts.length ? `${parts.join("; ")}.` : "Nothing failed.";
}

/** The Failures section, in parts: its heading and summary, then each suite that has something to show. */
export function* failuresSection(suites: readonly SuiteResult[], excerpts: readonly LogExcerpt[]): Generator<string> {
  yield `<section id="failures" aria-labelledby="failures-h">\n<h2 id="failures-h">Failures</h2>\n<p class="counts">${esc(failuresSummary(suites))}</p>\n`;
  for (const s of suites) if (s.verdict !== "passed" || failingTests(s).length) yield* suiteFailures(s, excerpts);
  yield "</section>\n";
}

/** One line of a collapsed list: the time right-aligned, the id, where it ran, the skip's reason. */
function listLine(t: MergedTest): string {
  const run = runOf(t);
  const message = (t.message ?? "").split("\n")[0];
  return `${duration(t.durationMs).padStart(9)}  ${t.id}${run ? `  (${run})` : ""}${message ? ` — ${message}` : ""}`;
}

/**
 * A collapsed list of one kind of test (passed, skipped), in parts: plain lines, LIST_PAGE to a
 * page. One <pre> per page, not a table row per test: 100,000 rows were 300,000 elements for the
 * browser to build (docs/performance.md, "Results at scale"); lines of text read, search and copy as well.
 */
function* testList(s: SuiteResult, word: string, tests: readonly MergedTest[]): Generator<string> {
  if (!tests.length) return;
  const all = pages(tests.length, LIST_PAGE);
  yield `\n<details class="list"><summary>${tests.length} ${esc(word)} ${tests.length === 1 ? "test" : "tests"}</summary>\n`;
  for (const [k, p] of all.entries()) {
    if (all.length > 1) yield `${k ? "\n" : ""}<details class="page"><summary>${esc(word)} tests ${p.from}–${p.to}</summary>\n`;
    yield `<pre class="list" aria-label="${esc(word)} tests of ${esc(s.suite)}">`;
    for (let i = p.start; i < p.end; i += ROWS_PER_PART * 10) {
      yield `${i > p.start ? "\n" : ""}${clean(tests.slice(i, Math.min(i + ROWS_PER_PART * 10, p.end)).map(listLine).join("\n"))}`;
    }
    yield all.length > 1 ? "</pre>\n</details>" : "</pre>";
  }
  yield "\n</details>";
}

/** A suite's tests in its own section, in parts: the counts, where its failures are, its passed and skipped tests collapsed. */
export function* suiteTests(s: SuiteResult): Generator<string> {
  if (!s.tests) {
    yield `<p>No per-test results: the suite wrote no JUnit file (docs/runners.md says how to add one).</p>`;
    return;
  }
  const failing = failingTests(s);
  const where = failing.length
    ? `\n<p>Its failing ${failing.length === 1 ? "test is" : "tests are"} listed under <a href="#${failuresAnchor(s.suite)}">Failures</a>` +
      ` (${esc(failingText(failing))}).</p>`
    : "";
  yield `<p class="counts">${esc(countsText(testCounts(s.tests)))}</p>${where}`;
  yield* testList(s, "passed", s.tests.filter((t) => t.status === "passed"));
  yield* testList(s, "skipped", s.tests.filter((t) => t.status === "skipped"));
}
