// The trends where users see them: the terminal summary and the step summary (goldens), and the
// OTLP records of each test case (test.case.name, test.case.result.status).
import { describe, expect, it } from "vitest";
import { stepSummary } from "../../../src/ci/github.js";
import { historyRun } from "../../../src/history/record.js";
import { withTrends } from "../../../src/history/trend.js";
import type { SuiteHistory } from "../../../src/history/model.js";
import { testCaseRecords } from "../../../src/otlp/records.js";
import { runSummary } from "../../../src/report/human.js";
import { toHtml } from "../../../src/report/html.js";
import type { RunResult } from "../../../src/results/run-result.js";
import { expectGolden } from "../support/golden.js";
import { sampleResult } from "../report/sample-result.js";

/** The sample run's suites as they were in `runs` earlier runs (each of the same outcome), then this run's trends. */
function withPast(r: RunResult, runs: number): RunResult {
  const past = (suite: string): SuiteHistory => {
    const s = r.suites.find((x) => x.suite === suite)!;
    const one = historyRun("earlier", s)!;
    return { suite, runs: Array.from({ length: runs }, (_, i) => ({ ...one, runId: `earlier${i}` })) };
  };
  return { ...r, suites: r.suites.map((s) => withTrends(s, past(s.suite))) };
}

describe("trends in the summaries", () => {
  const r = withPast(sampleResult, 4);
  it("the terminal summary says still failing and known flaky, with counts (golden)", () => {
    const text = runSummary({ color: false }, r);
    expect(text).toContain("known flaky (5 of 5 runs)");
    expect(text).toContain("still failing (5 of 5 runs)");
    expectGolden("report/summary-history.txt", text);
  });
  it("the step summary's failures and flaky tests carry them (golden)", () => {
    const md = stepSummary(r);
    expect(md).toContain("#### Flaky");
    expectGolden("ci/step-summary-history.md", md);
  });
});

describe("trends in report.html", () => {
  it("each failing test's trend and its pass/fail strip, oldest first", () => {
    const html = toHtml({ result: withPast(sampleResult, 4), timeline: { totalMs: 1000, rows: [] }, excerpts: [], version: "0.1.0" });
    expect(html).toContain('<span class="trend">known flaky (5 of 5 runs)</span>');
    expect(html).toContain('aria-label="last 5 runs, oldest first: flaky, flaky, flaky, flaky, flaky"');
    expect(html).toContain('<i class="h-failed"></i><i class="h-failed"></i><i class="h-failed"></i><i class="h-failed"></i><i class="h-failed"></i>');
    // Each suite's duration over its runs: the same in the sample's past, so five full bars.
    expect(html).toContain('aria-label="last 5 runs, oldest first: 1 min 36 s, 1 min 36 s, 1 min 36 s, 1 min 36 s, 1 min 36 s"');
  });
});

describe("OTLP test case records", () => {
  it("one per test after a suite's verdict, with OpenTelemetry's test attributes", () => {
    const suite = withPast(sampleResult, 2).suites[0]!;
    const records = testCaseRecords({ v: 1, ts: "2026-11-24T10:01:05.000Z", runId: "k3v9q", type: "suite.verdict", suite: suite.suite, result: suite });
    expect(records).toHaveLength(suite.tests!.length);
    const flaky = records.find((x) => x.attributes["test.case.name"] === "tests/e2e/test_api.py::test_eventually");
    expect(flaky).toMatchObject({
      eventName: "incluster.test.case",
      attributes: { "test.suite.name": "api", "test.case.result.status": "pass", "incluster.test.status": "flaky", "incluster.test.trend": "knownFlaky" },
    });
    const failed = records.find((x) => x.attributes["test.case.result.status"] === "fail");
    expect(failed?.severityText).toBe("ERROR");
    const skipped = records.find((x) => x.attributes["incluster.test.status"] === "skipped");
    expect(skipped?.attributes["test.case.result.status"]).toBeUndefined();
    expect(testCaseRecords({ v: 1, ts: "2026-11-24T10:01:05.000Z", runId: "k3v9q", type: "run.note", level: "info", text: "x" })).toEqual([]);
  });
});
