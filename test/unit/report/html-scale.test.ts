// report.html at scale (pure): a suite's failures past FAILURES_SHOWN behind one button that counts
// them, passed tests collapsed in pages of LIST_PAGE, and a large page written in small parts.
import { describe, expect, it } from "vitest";
import { htmlParts, toHtml } from "../../../src/report/html.js";
import { FAILURES_SHOWN, LIST_PAGE } from "../../../src/report/html-tests.js";
import type { MergedTest } from "../../../src/results/model.js";
import { RESULT_API_VERSION } from "../../../src/results/run-result.js";
import type { RunResult, SuiteResult } from "../../../src/results/run-result.js";

const test = (suite: string, i: number, status: MergedTest["status"]): MergedTest => ({
  id: `tests/e2e/${suite}/test_mod_${Math.floor(i / 100)}.py::TestThing${Math.floor(i / 10)}::test_case[${i}]`,
  name: `test_case[${i}]`,
  classname: `tests.e2e.${suite}.test_mod_${Math.floor(i / 100)}.TestThing${Math.floor(i / 10)}`,
  status,
  durationMs: 120 + i,
  attempt: 1,
  ...(status === "failed" ? { message: `AssertionError: case ${i}\nassert 1 == 2`, text: `E   assert 1 == 2\ntest_mod.py:${i}: AssertionError` } : {}),
});

function suite(name: string, passed: number, failed: number): SuiteResult {
  return {
    suite: name,
    verdict: failed ? "failed" : "passed",
    ...(failed ? { class: "testsFailed" as const } : {}),
    exitCode: failed ? 1 : 0,
    namespace: "e2e",
    job: `test-${name}-e2e-x`,
    pods: [],
    image: "registry.local/t:1",
    startedAt: "2026-12-07T10:00:00.000Z",
    finishedAt: "2026-12-07T10:01:00.000Z",
    durationSeconds: 60,
    phases: {},
    logs: {},
    events: [],
    notes: [],
    tests: [...Array.from({ length: failed }, (_, i) => test(name, i, "failed")), ...Array.from({ length: passed }, (_, i) => test(name, failed + i, "passed"))],
  };
}

const run = (suites: SuiteResult[]): RunResult => ({
  apiVersion: RESULT_API_VERSION,
  kind: "RunResult",
  runId: "big1",
  context: "c",
  namespace: "e2e",
  startedAt: "2026-12-07T10:00:00.000Z",
  finishedAt: "2026-12-07T10:02:00.000Z",
  exitCode: suites.some((s) => s.verdict !== "passed") ? 1 : 0,
  reportDir: ".incluster/runs/big1",
  suites,
});
const page = (r: RunResult) => toHtml({ result: r, timeline: { totalMs: 120_000, rows: [] }, excerpts: [], version: "0.1.0" });
const failuresOf = (html: string) => html.slice(html.indexOf('<section id="failures"'), html.indexOf('<section aria-labelledby="timeline-h">'));

describe("report.html at scale", () => {
  it(`a suite's first ${FAILURES_SHOWN} failing tests shown; the rest one click away, on a button that counts them`, () => {
    const r = run([suite("big", 5, FAILURES_SHOWN + 12)]);
    const failures = failuresOf(page(r));
    const more = failures.indexOf('<details class="more">');
    expect(failures).toContain('<details class="more"><summary>Show 12 more failing tests of big</summary>');
    expect(failures.slice(0, more).match(/<tr class="t-failed">/g)).toHaveLength(FAILURES_SHOWN);
    expect(failures.slice(more).match(/<tr class="t-failed">/g)).toHaveLength(12);
    for (const t of r.suites[0]!.tests!.filter((x) => x.status === "failed")) expect(failures).toContain(t.id);
    expect(failures).toContain("62 failing tests (62 failed) in 1 suite.");
  });

  it("no button when every failure fits", () => {
    const failures = failuresOf(page(run([suite("few", 5, FAILURES_SHOWN)])));
    expect(failures).not.toContain('<details class="more">');
    expect(failures.match(/<tr class="t-failed">/g)).toHaveLength(FAILURES_SHOWN);
  });

  it(`passed tests collapsed, in pages of ${LIST_PAGE} lines, each test once`, () => {
    const s = suite("wide", 2 * LIST_PAGE + 500, 0);
    const html = page(run([s]));
    expect(html).toContain(`<details class="list"><summary>${2 * LIST_PAGE + 500} passed tests</summary>`);
    expect(html.match(/<details class="page"><summary>passed tests [^<]*<\/summary>/g)).toEqual([
      `<details class="page"><summary>passed tests 1–${LIST_PAGE}</summary>`,
      `<details class="page"><summary>passed tests ${LIST_PAGE + 1}–${2 * LIST_PAGE}</summary>`,
      `<details class="page"><summary>passed tests ${2 * LIST_PAGE + 1}–${2 * LIST_PAGE + 500}</summary>`,
    ]);
    for (const t of s.tests!) expect(html.split(t.id)).toHaveLength(2);
    expect(failuresOf(html)).toContain("Nothing failed.");
  });

  it("a run of 20 suites × 1,000 tests: written in parts under V8's large-object size (128 KB), with no script", () => {
    const r = run(Array.from({ length: 20 }, (_, i) => suite(`s${i}`, 980, 20)));
    const parts = [...htmlParts({ result: r, timeline: { totalMs: 120_000, rows: [] }, excerpts: [], version: "0.1.0" })];
    const html = parts.join("");
    expect(parts.length).toBeGreaterThan(100);
    expect(Math.max(...parts.map((p) => p.length))).toBeLessThan(64 * 1024);
    expect(html).not.toMatch(/<script/i);
    expect(failuresOf(html).match(/<tr class="t-failed">/g)).toHaveLength(400);
  });
});
