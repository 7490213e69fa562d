// `-o junit`: one <testsuite> per suite holding its real test cases (from the suite's own JUnit),
// retries as Maven Surefire writes them (flakyFailure/rerunFailure, surefire-test-report-3.0.xsd),
// and the suite's own verdict as one testcase when it has no tests or no failing test to carry it.
// A quarantined test is a <skipped message="quarantined: …"> case with what it did in <system-out>,
// so CI systems do not count it as a failure.
import { create } from "../vendor/xml-builder.js";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import type { MergedTest, Rerun } from "../results/model.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";
import { xmlSafe } from "./text.js";

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function suiteCaseBody(s: SuiteResult): { tag: "failure" | "error" | undefined; type: string; text: string } {
  const detail = [
    s.reason && `reason: ${s.reason}`,
    s.message && `message: ${s.message}`,
    s.hint && `hint: ${s.hint}`,
    ...s.events.map((e) => `event: ${e.type} ${e.reason} ${e.object}: ${e.message}`),
  ]
    .filter(Boolean)
    .join("\n");
  if (s.verdict === "passed") return { tag: undefined, type: "", text: "" };
  if (s.verdict === "failed") return { tag: "failure", type: s.class ?? "testsFailed", text: detail };
  return { tag: "error", type: s.class ?? s.verdict, text: detail };
}

/** The suite's own testcase is kept when no test case says why it did not pass (or there are none). */
function needsSuiteCase(s: SuiteResult): boolean {
  const tests = s.tests ?? [];
  return tests.length === 0 || (s.verdict !== "passed" && !tests.some((t) => t.status === "failed" || t.status === "error"));
}

/** A failed test's failing runs in order: the first is its <failure>/<error>, the rest its reruns. */
function failingRuns(t: MergedTest): Rerun[] {
  const own: Rerun = { attempt: t.attempt, status: t.status === "error" ? "error" : "failed", durationMs: t.durationMs, ...pick(t) };
  return [own, ...(t.reruns ?? [])].sort((a, b) => a.attempt - b.attempt);
}

function pick(r: { message?: string; type?: string; text?: string }): Pick<Rerun, "message" | "type" | "text"> {
  return {
    ...(r.message !== undefined ? { message: r.message } : {}),
    ...(r.type !== undefined ? { type: r.type } : {}),
    ...(r.text !== undefined ? { text: r.text } : {}),
  };
}

function counts(s: SuiteResult): Counts {
  const c: Counts = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const t of s.tests ?? []) {
    c.tests++;
    if (t.status === "skipped" || t.status === "quarantined") c.skipped++;
    if (t.status === "failed" || t.status === "error") {
      if (failingRuns(t)[0]?.status === "error") c.errors++;
      else c.failures++;
    }
  }
  if (needsSuiteCase(s)) {
    const tag = suiteCaseBody(s).tag;
    c.tests++;
    if (tag === "failure") c.failures++;
    if (tag === "error") c.errors++;
  }
  return c;
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);
const wallMs = (from: string, to: string) => {
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) ? ms : 0;
};

function addTestCase(suite: XMLBuilder, t: MergedTest): void {
  const tc = suite.ele("testcase", {
    name: xmlSafe(t.name),
    classname: xmlSafe(t.classname),
    time: seconds(t.durationMs),
    ...(t.file ? { file: xmlSafe(t.file) } : {}),
    ...(t.line !== undefined ? { line: String(t.line) } : {}),
  });
  if (t.status === "skipped") {
    tc.ele("skipped", t.message ? { message: xmlSafe(t.message) } : {});
    return;
  }
  if (t.quarantine) {
    tc.ele("skipped", { message: xmlSafe(`quarantined: ${t.quarantine.reason}`) });
    tc.ele("system-out").txt(xmlSafe(quarantinedOutput(t)));
    return;
  }
  if (t.status === "flaky") {
    for (const r of t.reruns ?? []) rerunElement(tc, r.status === "error" ? "flakyError" : "flakyFailure", r);
    return;
  }
  if (t.status === "passed") return;
  const [first, ...later] = failingRuns(t);
  if (first) {
    tc.ele(first.status === "error" ? "error" : "failure", { message: xmlSafe(first.message ?? ""), type: xmlSafe(first.type ?? "") }).txt(
      xmlSafe(first.text ?? first.message ?? ""),
    );
  }
  for (const r of later) rerunElement(tc, r.status === "error" ? "rerunError" : "rerunFailure", r);
}

/** What a quarantined test did, for its <system-out>: its outcome, then each failing run's message and trace. */
function quarantinedOutput(t: MergedTest): string {
  const outcome = t.quarantine?.outcome ?? "passed";
  const own: Rerun = { attempt: t.attempt, status: outcome === "error" ? "error" : "failed", durationMs: t.durationMs, ...pick(t) };
  const runs = [...(outcome === "failed" || outcome === "error" ? [own] : []), ...(t.reruns ?? [])].sort((a, b) => a.attempt - b.attempt);
  const lines = [`quarantined test ${outcome} (attempt ${t.attempt})`];
  for (const r of runs) lines.push(`attempt ${r.attempt}: ${r.status}${r.message ? `: ${r.message}` : ""}`, ...(r.text ? [r.text] : []));
  return lines.join("\n");
}

/** Surefire's rerun and flaky elements carry the trace in a <stackTrace> child, not as text. */
function rerunElement(tc: XMLBuilder, tag: string, r: Rerun): void {
  tc.ele(tag, { message: xmlSafe(r.message ?? ""), type: xmlSafe(r.type ?? "") })
    .ele("stackTrace")
    .txt(xmlSafe(r.text ?? r.message ?? ""));
}

function properties(s: SuiteResult): [string, string][] {
  return [
    ["job", s.job],
    ["namespace", s.namespace],
    ["image", s.image],
    ["commit", s.commit ?? ""],
    ...Object.entries(s.logs).map(([k, v]): [string, string] => [`log.${k}`, v]),
    ...(s.attempts ?? []).flatMap((a): [string, string][] => [
      [`attempt.${a.attempt}.job`, a.job],
      [`attempt.${a.attempt}.verdict`, a.class ? `${a.verdict} (${a.class})` : a.verdict],
      ...Object.entries(a.logs).map(([k, v]): [string, string] => [`attempt.${a.attempt}.log.${k}`, v]),
      [`attempt.${a.attempt}.artifacts`, a.artifactsDir ?? ""],
    ]),
    ...(s.shards ?? []).flatMap((sh): [string, string][] => [
      [`shard.${sh.index}.pod`, sh.pod],
      [`shard.${sh.index}.verdict`, sh.class ? `${sh.verdict} (${sh.class})` : sh.verdict],
    ]),
  ];
}

export function toJunit(result: RunResult): string {
  const per = result.suites.map((s) => ({ s, c: counts(s) }));
  const sum = (k: keyof Counts) => per.reduce((n, p) => n + p.c[k], 0);
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele("testsuites", {
    name: `incluster run ${result.runId}`,
    tests: sum("tests"),
    failures: sum("failures"),
    errors: sum("errors"),
    skipped: sum("skipped"),
    // The run's wall time: suites run in parallel, so their times do not add up to it.
    time: seconds(wallMs(result.startedAt, result.finishedAt)),
  });
  for (const { s, c } of per) {
    const suite = root.ele("testsuite", {
      name: s.suite,
      tests: c.tests,
      failures: c.failures,
      errors: c.errors,
      skipped: c.skipped,
      time: s.durationSeconds.toFixed(3),
      timestamp: s.startedAt,
    });
    const props = suite.ele("properties");
    for (const [name, value] of properties(s)) if (value) props.ele("property", { name, value: xmlSafe(value) });
    for (const t of s.tests ?? []) addTestCase(suite, t);
    if (needsSuiteCase(s)) {
      const body = suiteCaseBody(s);
      const tc = suite.ele("testcase", { classname: `incluster.${s.suite}`, name: s.suite, time: s.durationSeconds.toFixed(3) });
      if (body.tag) tc.ele(body.tag, { type: body.type, message: xmlSafe(s.message || s.verdict) }).txt(xmlSafe(body.text));
    }
  }
  return `${keepWhitespace(root.end({ prettyPrint: true }))}\n`;
}

/**
 * A reader normalizes a raw newline or tab in an attribute to a space, and CR LF in text to LF
 * (XML 1.0, 3.3.3 and 2.11), so a multi-line failure message came back as one line. xmlbuilder2
 * writes them raw (it follows DOM Parsing's serialization); here they become character references.
 * Sound because the output has no CDATA or comments, and text and attributes have `<` and `>`
 * escaped: every raw `<` opens a tag that the next raw `>` closes.
 */
export function keepWhitespace(xml: string): string {
  return xml.replace(/<[^>]*>|\r/g, (m) => (m === "\r" ? CHAR_REF["\r"] : m.replace(/[\t\n\r]/g, (c) => CHAR_REF[c as "\t" | "\n" | "\r"])));
}

const CHAR_REF = { "\t": "&#9;", "\n": "&#10;", "\r": "&#13;" } as const;
