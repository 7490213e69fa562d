// report.html (pure): one self-contained page per run — inline CSS, no script, no request to
// anywhere (its Content-Security-Policy forbids them) — readable offline and as a CI artifact:
// the run's timeline drawn to scale, then per suite its verdict, its tests with the failures
// expanded, the quoted logs and the pod's events. Landmarks and headings for screen readers;
// every colour pair meets WCAG AA contrast.
import { tallyText } from "./tally.js";
import type { FailureClass, Verdict } from "../diagnose/types.js";
import { testCounts } from "../results/merge.js";
import type { MergedTest } from "../results/model.js";
import type { LogExcerpt } from "./excerpts.js";
import { countsText } from "./human.js";
import type { EventSummary, RunResult, SuiteResult } from "../results/run-result.js";
import type { BarPhase, Timeline, TimelineRow } from "./timeline.js";
import { BAR_PHASES } from "./timeline.js";
import { stripAnsi } from "./text.js";

export interface HtmlReportInput {
  result: RunResult;
  timeline: Timeline;
  excerpts: readonly LogExcerpt[];
  /** incluster's version, for the footer. */
  version: string;
}

const esc = (s: string | number): string => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const clean = (s: string | undefined): string => esc(stripAnsi(s ?? ""));

const VERDICT: Record<Verdict, string> = {
  passed: "PASSED",
  failed: "FAILED",
  couldNotRun: "COULD NOT RUN",
  timedOut: "TIMED OUT",
  interrupted: "INTERRUPTED",
};
const STATUS_ORDER: Record<MergedTest["status"], number> = { error: 0, failed: 1, flaky: 2, skipped: 3, passed: 4 };

/** "0.4 s", "12 s", "2 min 5 s". */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m} min ${rest} s` : `${m} min`;
}

const anchor = (suite: string) => `suite-${suite.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
const badge = (v: Verdict, cls?: FailureClass) => `<span class="badge v-${v}">${VERDICT[v]}</span>${cls && v !== "passed" ? ` <code>${esc(cls)}</code>` : ""}`;
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

const STATUS_WORD: Record<MergedTest["status"], string> = { passed: "passed", failed: "FAILED", error: "ERROR", flaky: "FLAKY", skipped: "skipped" };

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

function testsTable(s: SuiteResult, excerpts: readonly LogExcerpt[]): string {
  if (!s.tests) return `<p>No per-test results: the suite wrote no JUnit file (docs/junit.md says how to add one).</p>`;
  const tests = [...s.tests].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]);
  const rows = tests.map((t) => {
    const where = [t.shard !== undefined ? `shard ${t.shard}` : "", t.reruns?.length || t.status === "flaky" ? `attempt ${t.attempt}` : ""]
      .filter(Boolean)
      .join(", ");
    const head =
      `<tr class="t-${t.status}"><td><span class="st st-${t.status}">${STATUS_WORD[t.status]}</span></td>` +
      `<td class="id"><code>${esc(t.id)}</code></td><td class="num">${esc(duration(t.durationMs))}</td><td>${esc(where)}</td>` +
      `<td class="msg">${clean(t.status === "flaky" ? `passed on attempt ${t.attempt}` : (t.message ?? "").split("\n")[0])}</td></tr>`;
    if (t.status === "passed" || t.status === "skipped") return head;
    const sections = excerpts.flatMap((x) => (x.sections[t.id] ? [{ label: `from ${x.path}`, lines: x.sections[t.id]! }] : []));
    return `${head}\n<tr class="detail"><td colspan="5">${failureDetail(t, sections)}</td></tr>`;
  });
  return `<p class="counts">${esc(countsText(testCounts(s.tests)))}</p>
<div class="scroll"><table class="tests">
<caption class="sr">Tests of ${esc(s.suite)}, failures first</caption>
<thead><tr><th scope="col">status</th><th scope="col">test</th><th scope="col">time</th><th scope="col">run</th><th scope="col">message</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table></div>`;
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

function suiteSection(s: SuiteResult, excerpts: readonly LogExcerpt[]): string {
  const id = anchor(s.suite);
  const mine = excerpts.filter((x) => x.suite === s.suite);
  return `<section id="${id}" aria-labelledby="${id}-h" class="suite">
<h2 id="${id}-h">${esc(s.suite)} ${badge(s.verdict)}</h2>
${facts(s)}
<h3>Tests</h3>
${testsTable(s, mine)}
${mine.length ? `<h3>Logs</h3>\n${mine.map(excerptBlock).join("\n")}` : ""}
${s.events.length ? `<h3>Pod events</h3>\n${eventsTable(s.events)}` : ""}
</section>`;
}

const CSS = `
:root{--fg:#1b1f24;--muted:#4b5563;--bg:#fff;--panel:#f4f5f7;--line:#d5d9de;--link:#0b57b8}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer,nav{max-width:1200px;margin:0 auto;padding:0 16px}
header{padding-top:16px}
h1{font-size:1.5rem;margin:.3em 0}
h2{font-size:1.25rem;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
h3{font-size:1.05rem;margin:1.2em 0 .4em}
a{color:var(--link)}
code,pre{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.85em}
pre{background:var(--panel);border:1px solid var(--line);padding:8px;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0}
pre.inline{display:inline-block;margin:0;padding:2px 6px;max-width:100%}
pre.log{max-height:28em}
.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.summary{color:var(--muted);margin:.2em 0}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 14px;margin:.6em 0}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;font-size:.8rem;font-weight:700;color:#fff;vertical-align:middle;white-space:nowrap}
.v-passed{background:#1e6b34}.v-failed{background:#b3261e}.v-couldNotRun,.v-timedOut{background:#8a4b00}.v-interrupted{background:#4b5563}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{font-size:.85rem;color:var(--muted)}
caption{caption-side:bottom;text-align:left;color:var(--muted);font-size:.85rem;padding-top:4px}
.timeline th[scope=row]{white-space:nowrap;width:1%}
.timeline tr.k-attempt th,.timeline tr.k-shard th{padding-left:22px;font-weight:400}
.track-cell,.axis{width:100%;min-width:160px}
.track{position:relative;height:18px;background:var(--panel)}
.axis .track{background:none;height:1.3em}
.tick{position:absolute;top:0;font-size:.75rem;color:var(--muted);border-left:1px solid var(--line);padding-left:2px;white-space:nowrap}
.tick.end{border-left:0;border-right:1px solid var(--line);padding:0 2px 0 0;transform:translateX(-100%)}
.seg{position:absolute;top:2px;bottom:2px;min-width:2px}
.mark{position:absolute;top:-2px;bottom:-2px;width:4px;margin-left:-2px;border-radius:1px}
.p-queued{background:#6b7280}.p-scheduled{background:#7c3aed}.p-pulling{background:#0369a1}.p-cloning{background:#b45309}.p-running{background:#0f766e}
.when{white-space:nowrap}.dur{color:var(--muted);font-size:.85rem}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:.85rem;margin:.3em 0}
.swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}
.mark-swatch{background:var(--fg);width:4px}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:.4em 0}
.facts div{display:contents}.facts dt{color:var(--muted)}.facts dd{margin:0;overflow-wrap:anywhere}
.st{font-weight:700;font-size:.8rem}.st-failed,.st-error{color:#b3261e}.st-flaky{color:#8a4b00}.st-passed{color:#1e6b34}.st-skipped{color:var(--muted)}
.tests .id{overflow-wrap:anywhere}.num{white-space:nowrap}.msg{overflow-wrap:anywhere}
tr.detail td{border-bottom:2px solid var(--line);padding-left:18px}
details summary{cursor:pointer;font-weight:600}.where{font-weight:400;color:var(--muted)}
.run{margin:.5em 0 .1em;font-size:.9rem}
.ev-warning td:nth-child(2){color:#8a4b00;font-weight:600}
.excerpt{margin:.6em 0}.excerpt figcaption{font-size:.9rem;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.8rem;padding:24px 16px}
@media (max-width:640px){
 body{font-size:14px}
 .facts{grid-template-columns:1fr}.facts dt{margin-top:4px}
 .timeline .when,.timeline thead th:last-child{display:none}
 .track-cell,.axis{min-width:120px}
 .tick:nth-child(even){display:none}
 .tests th:nth-child(4),.tests td:nth-child(4),.tests th:nth-child(3),.tests td:nth-child(3){display:none}
 tr.detail td{padding-left:6px}
}
`.trim();

/** The whole page for one run. */
export function toHtml(input: HtmlReportInput): string {
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
  return `<!doctype html>
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
${timelineSection(input.timeline)}
${r.suites.map((s) => suiteSection(s, input.excerpts)).join("\n")}
</main>
<footer>${footer}</footer>
</body>
</html>
`;
}
