// report.html (pure): one self-contained page per run — inline CSS, no script, no request to
// anywhere (its Content-Security-Policy forbids them) — readable offline and as a CI artifact:
// first what failed (html-tests.ts), then the run's timeline drawn to scale, then per suite its
// verdict, its tests (passed and skipped collapsed), the quoted logs and the pod's events.
// Landmarks and headings for screen readers; every colour pair meets WCAG AA contrast. The page
// comes as parts (htmlParts), so a run of 100,000 tests is written without one string of it all.
import { tallyText } from "./tally.js";
import { testCounts } from "../results/merge.js";
import type { LogExcerpt } from "./excerpts.js";
import { countsText } from "./human.js";
import type { EventSummary, RunResult, SuiteResult } from "../results/run-result.js";
import type { BarPhase, Timeline, TimelineRow } from "./timeline.js";
import { BAR_PHASES } from "./timeline.js";
import { CSS } from "./html-css.js";
import { failuresSection, suiteTests } from "./html-tests.js";
import { VERDICT, anchor, badge, clean, duration, esc } from "./html-text.js";

export { duration };

export interface HtmlReportInput {
  result: RunResult;
  timeline: Timeline;
  excerpts: readonly LogExcerpt[];
  /** incluster's version, for the footer. */
  version: string;
}

const pct = (x: number, total: number) => `${((x / total) * 100).toFixed(3)}%`;

/** Round steps of 1, 2 or 5 × 10^k seconds, about five ticks across. */
function ticks(totalMs: number): number[] {
  const raw = totalMs / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = 0; t <= totalMs; t += step) out.push(t);
  return out;
}

function rowText(r: TimelineRow): string {
  const parts = r.segments.map((s) => `${s.phase} ${duration(s.endMs - s.startMs)}`);
  return `${parts.join(", ")}${parts.length ? "; " : ""}${VERDICT[r.verdict]} at ${duration(r.endMs)}`;
}

function timelineRow(r: TimelineRow, total: number): string {
  const bars = r.segments
    .map(
      (s) =>
        `<span class="seg p-${s.phase}" style="left:${pct(s.startMs, total)};width:${pct(Math.max(s.endMs - s.startMs, 0), total)}" ` +
        `title="${esc(`${s.phase}: ${duration(s.endMs - s.startMs)}`)}"></span>`,
    )
    .join("");
  const mark = `<span class="mark v-${r.verdict}" style="left:${pct(r.endMs, total)}" title="${esc(`${VERDICT[r.verdict]} at ${duration(r.endMs)}`)}"></span>`;
  const label = r.kind === "suite" ? `<a href="#${anchor(r.suite)}">${esc(r.label)}</a>` : esc(r.label);
  return (
    `<tr class="k-${r.kind}"><th scope="row">${label}</th>` +
    `<td class="track-cell"><div class="track" aria-hidden="true">${bars}${mark}</div><span class="sr">${esc(rowText(r))}</span></td>` +
    `<td class="when">${badge(r.verdict)} <span class="dur">${esc(duration(r.endMs - r.startMs))}</span></td></tr>`
  );
}

function timelineSection(t: Timeline): string {
  const legend = BAR_PHASES.map((p: BarPhase) => `<li><span class="swatch p-${p}" aria-hidden="true"></span>${p}</li>`).join("");
  const axis = ticks(t.totalMs)
    // A label near the right end is drawn to the left of its tick, inside the track.
    .map((ms) => `<span class="tick${ms / t.totalMs > 0.8 ? " end" : ""}" style="left:${pct(ms, t.totalMs)}">${esc(duration(ms))}</span>`)
    .join("");
  return `<section aria-labelledby="timeline-h">
<h2 id="timeline-h">Timeline</h2>
<ul class="legend" aria-label="Phases">${legend}<li><span class="swatch mark-swatch" aria-hidden="true"></span>verdict</li></ul>
<div class="scroll"><table class="timeline">
<caption>Each suite's phases from the run's start (${esc(duration(t.totalMs))} in all), drawn to scale; attempts and shards on their own rows.</caption>
<thead><tr><th scope="col">suite</th><td class="axis" aria-hidden="true"><div class="track">${axis}</div></td><th scope="col">verdict</th></tr></thead>
<tbody>
${t.rows.map((r) => timelineRow(r, t.totalMs)).join("\n")}
</tbody></table></div>
</section>`;
}

function facts(s: SuiteResult): string {
  const rows: [string, string][] = [];
  const add = (k: string, v: string | undefined) => v && rows.push([k, v]);
  add("class", s.verdict !== "passed" && s.class ? `<code>${esc(s.class)}</code>` : undefined);
  add("reason", s.reason && esc(s.reason));
  add("message", s.message && `<pre class="inline">${clean(s.message)}</pre>`);
  add("hint", s.hint && clean(s.hint));
  add("duration", esc(duration(s.durationSeconds * 1000)));
  add("duration trend", s.durationTrend && durationBars(s.durationTrend));
  add("job", s.job ? `<code>job/${esc(s.job)}</code>` : undefined);
  add("pods", s.pods.map((p) => `<code>pod/${esc(p)}</code>`).join(" "));
  add("image", `<code>${esc(s.image)}</code>`);
  add("commit", s.commit && `<code>${esc(s.commit)}</code>`);
  add("test exit code", s.testExitCode !== undefined ? esc(s.testExitCode) : undefined);
  add("logs", Object.entries(s.logs).map(([c, p]) => `${esc(c)}: <code>${esc(p)}</code>`).join("<br>") || undefined);
  add("artifacts", s.artifacts && (s.artifacts.dir ? `<code>${esc(s.artifacts.dir)}</code> (${s.artifacts.files} files)` : esc(s.artifacts.problem ?? "none")));
  for (const a of s.attempts ?? []) {
    add(
      `attempt ${a.attempt}`,
      `${badge(a.verdict, a.class)} <code>job/${esc(a.job)}</code>` +
        `${a.rerunIds ? `, reran ${a.rerunIds.length} failed test${a.rerunIds.length === 1 ? "" : "s"}` : ""}`,
    );
  }
  for (const sh of s.shards ?? []) add(`shard ${sh.index}`, `${badge(sh.verdict, sh.class)} <code>pod/${esc(sh.pod)}</code>`);
  for (const n of s.notes) add("note", clean(n));
  return `<dl class="facts">${rows.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${v}</dd></div>`).join("")}</dl>`;
}

/** The suite's durations over its last runs as bars (oldest first, this run last), with a text alternative. */
function durationBars(ms: readonly number[]): string {
  const max = Math.max(1, ...ms);
  const label = `last ${ms.length} runs, oldest first: ${ms.map((d) => duration(d)).join(", ")}`;
  const bars = ms.map((d) => `<i style="height:${Math.max(1, Math.round((d / max) * 100))}%"></i>`).join("");
  return `<span class="bars" role="img" aria-label="${esc(label)}" title="${esc(label)}">${bars}</span>`;
}

function excerptBlock(x: LogExcerpt): string {
  const who = [x.attempt !== undefined ? `attempt ${x.attempt}` : "", x.shard !== undefined ? `shard ${x.shard}` : ""].filter(Boolean).join(", ");
  return (
    `<figure class="excerpt"><figcaption>Last ${x.tail.length} lines of <code>${esc(x.container)}</code>` +
    `${who ? ` (${esc(who)})` : ""}: <code>${esc(x.path)}</code></figcaption><pre class="log">${clean(x.tail.join("\n"))}</pre></figure>`
  );
}

function eventsTable(events: readonly EventSummary[]): string {
  const rows = events.map(
    (e) =>
      `<tr class="ev-${e.type === "Warning" ? "warning" : "normal"}"><td class="num">${esc(e.lastTimestamp.slice(11, 19))}</td>` +
      `<td>${esc(e.type)}</td><td>${esc(e.reason)}</td><td><code>${esc(e.object)}</code></td>` +
      `<td class="msg">${clean(e.message)}${e.count > 1 ? ` (×${e.count})` : ""}</td></tr>`,
  );
  return (
    `<div class="scroll"><table class="events"><caption class="sr">Kubernetes events</caption>` +
    `<thead><tr><th scope="col">time</th><th scope="col">type</th><th scope="col">reason</th>` +
    `<th scope="col">object</th><th scope="col">message</th></tr></thead><tbody>
${rows.join("\n")}
</tbody></table></div>`
  );
}

/** A suite's section, in parts (its tests may be thousands of lines). */
function* suiteSection(s: SuiteResult, excerpts: readonly LogExcerpt[]): Generator<string> {
  const id = anchor(s.suite);
  const mine = excerpts.filter((x) => x.suite === s.suite);
  yield `<section id="${id}" aria-labelledby="${id}-h" class="suite">
<h2 id="${id}-h">${esc(s.suite)} ${badge(s.verdict)}</h2>
${facts(s)}
<h3>Tests</h3>
`;
  yield* suiteTests(s);
  yield `
${mine.length ? `<h3>Logs</h3>\n${mine.map(excerptBlock).join("\n")}` : ""}
${s.events.length ? `<h3>Pod events</h3>\n${eventsTable(s.events)}` : ""}
</section>
`;
}

/** The page for one run, in parts to write one after the other: their concatenation is the page. */
export function* htmlParts(input: HtmlReportInput): Generator<string> {
  const r = input.result;
  const tests = r.suites.some((s) => s.tests) ? `; tests: ${countsText(testCounts(r.suites.flatMap((s) => s.tests ?? [])))}` : "";
  const title = `incluster run ${r.runId}: ${tallyText(r)}`;
  const nav = r.suites.map((s) => `<li><a href="#${anchor(s.suite)}">${esc(s.suite)}</a> ${badge(s.verdict)}</li>`).join("");
  const warnings = (r.warnings ?? []).map((w) => `<li>${clean(w)}</li>`).join("");
  const overall = r.exitCode === 0 ? "passed" : r.suites.find((s) => s.verdict !== "passed")?.verdict ?? "failed";
  const took = duration(Date.parse(r.finishedAt) - Date.parse(r.startedAt));
  const where =
    `namespace <code>${esc(r.namespace)}</code>, context <code>${esc(r.context)}</code>; ` +
    `started ${esc(r.startedAt)}, took ${esc(took)}; report directory <code>${esc(r.reportDir)}</code>`;
  const footer =
    `Written by incluster ${esc(input.version)} from <code>result.json</code> (${esc(r.apiVersion)}). ` +
    "This page makes no network requests and needs no JavaScript.";
  yield `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>
${CSS}
</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
<header>
<h1>incluster run <code>${esc(r.runId)}</code> ${badge(overall)}</h1>
<p class="summary">${esc(tallyText(r))}${esc(tests)} — exit code ${esc(r.exitCode)}</p>
<p class="summary">${where}</p>
${warnings ? `<ul class="warnings" aria-label="Warnings">${warnings}</ul>` : ""}
</header>
<nav aria-label="Suites"><ul>${nav}</ul></nav>
<main id="main">
`;
  yield* failuresSection(r.suites, input.excerpts);
  yield `${timelineSection(input.timeline)}\n`;
  for (const s of r.suites) yield* suiteSection(s, input.excerpts);
  yield `</main>
<footer>${footer}</footer>
</body>
</html>
`;
}

/** The whole page for one run. */
export function toHtml(input: HtmlReportInput): string {
  return [...htmlParts(input)].join("");
}
