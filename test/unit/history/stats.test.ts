import { describe, expect, it } from "vitest";
import { median, percentile, suiteStats } from "../../../src/history/stats.js";
import { historyDocument, historyTable, durationText } from "../../../src/history/table.js";
import { expectGolden } from "../support/golden.js";
import { history, run } from "./fixtures.js";

const h = history("checkout", [
  run(1, [["t::ok", "passed", 100], ["t::flaky", "failed", 900], ["t::slow", "passed", 61_000], ["t::skip", "skipped", 0]]),
  run(2, [["t::ok", "passed", 120], ["t::flaky", "flaky", 1100], ["t::slow", "passed", 64_000], ["t::skip", "skipped", 0]]),
  run(3, [["t::ok", "passed", 80], ["t::flaky", "passed", 1000], ["t::slow", "failed", 59_000], ["t::new", "failed", 5]]),
  run(4, [["t::ok", "passed", 110], ["t::flaky", "flaky", 1200], ["t::slow", "passed", 70_000], ["t::new", "quarantined", 7]]),
]);

describe("history statistics", () => {
  it("median and nearest-rank p90", () => {
    expect(median([])).toBe(0);
    expect(median([1, 2, 3])).toBe(2);
    expect(median([1, 2, 3, 10])).toBe(3);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([5], 90)).toBe(5);
  });

  it("counts per test, the flake rate, durations without skipped runs, the last status", () => {
    const s = suiteStats(h);
    expect(s.runs).toBe(4);
    const byId = Object.fromEntries(s.tests.map((t) => [t.id, t]));
    expect(byId["t::flaky"]).toEqual({
      id: "t::flaky", runs: 4, passed: 1, failed: 1, flaky: 2, flakeRate: 0.5, medianDurationMs: 1050, p90DurationMs: 1200, lastStatus: "flaky", quarantined: false,
    });
    expect(byId["t::skip"]).toMatchObject({ runs: 2, medianDurationMs: 0, lastStatus: "skipped" });
    expect(byId["t::new"]).toMatchObject({ runs: 2, failed: 1, lastStatus: "quarantined", quarantined: true });
  });

  it("orders by id, by flakiness, by duration", () => {
    expect(suiteStats(h).tests.map((t) => t.id)).toEqual(["t::flaky", "t::new", "t::ok", "t::skip", "t::slow"]);
    expect(suiteStats(h, "flaky").tests.map((t) => t.id)).toEqual(["t::flaky", "t::new", "t::slow", "t::ok", "t::skip"]);
    expect(suiteStats(h, "slow").tests.map((t) => t.id)).toEqual(["t::slow", "t::flaky", "t::ok", "t::new", "t::skip"]);
  });

  it("the table (golden) and the -o json document with exactly the issue's names", () => {
    const suites = [suiteStats(h, "flaky"), suiteStats({ suite: "empty", runs: [] })];
    expectGolden("history/table.txt", `${historyTable(suites)}\n`);
    const doc = historyDocument(suites);
    expect(Object.keys(doc)).toEqual(["suites"]);
    expect(Object.keys(doc.suites[0]!)).toEqual(["suite", "runs", "tests"]);
    expect(Object.keys(doc.suites[0]!.tests[0]!)).toEqual([
      "id", "runs", "passed", "failed", "flaky", "flakeRate", "medianDurationMs", "p90DurationMs", "lastStatus", "quarantined",
    ]);
    expect(durationText(125_000)).toBe("2m05s");
  });
});
