// The recorded node:test, go, jest, vitest and playwright runs as a user reads them: the terminal summary (the assertion's
// message, then expected and actual on their own lines) and -o junit (the failure text).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { suiteSummary } from "../../../src/report/human.js";
import { toJunit } from "../../../src/report/junit.js";
import { mergeAttempts } from "../../../src/results/merge.js";
import { parseReport, type ReportReader } from "../../../src/results/report.js";
import type { RunResult, SuiteResult } from "../../../src/results/run-result.js";
import { FIXTURES } from "./run-lines.js";

const tests = (reader: ReportReader, name: string) => parseReport(reader, readFileSync(join(FIXTURES, "reports", name), "utf8")).tests;
const base: SuiteResult = {
  suite: "api", verdict: "failed", class: "testsFailed", exitCode: 1, namespace: "ns", job: "j", pods: ["p1"], image: "i",
  startedAt: "2026-11-26T00:00:00.000Z", finishedAt: "2026-11-26T00:00:05.000Z", durationSeconds: 5, phases: {}, logs: {}, events: [], notes: [],
};

describe("node:test and go results as the user reads them", () => {
  const node = mergeAttempts([tests("node", "node24-attempt1.jsonl"), tests("node", "node24-attempt2.jsonl")]);

  it("the terminal summary: the assertion's own message, then expected and actual on their own lines; the flaky test", () => {
    const text = suiteSummary({ color: false }, { ...base, tests: node });
    expect(text).toContain(
      "    FAILED tests/api/orders.test.mjs > orders > rejects an empty cart — balance should be -5 after the refund\n        expected: -5\n        actual:   0\n",
    );
    expect(text).toMatch(/ {4}FLAKY +tests\/api\/orders\.test\.mjs > orders > refunds > settles on the second attempt — passed on attempt 2; attempt 1: the refund is not settled yet\n/);
    const go = mergeAttempts([tests("go", "go-attempt1.json"), tests("go", "go-attempt2.json")]);
    expect(suiteSummary({ color: false }, { ...base, suite: "shop", tests: go })).toContain(
      "    FAILED example.com/shop/ledger TestBalance — ledger_test.go:12: balance should be -5 after the refund: got 0",
    );
  });

  it("-o junit: the test's describe path as its classname, the failure text with the values", () => {
    const result: RunResult = {
      apiVersion: "incluster.dev/v1alpha1", kind: "RunResult", runId: "r", context: "c", namespace: "ns", startedAt: base.startedAt, finishedAt: base.finishedAt, exitCode: 1,
      reportDir: ".incluster/runs/r", suites: [{ ...base, tests: node }],
    } as RunResult;
    const xml = toJunit(result);
    expect(xml).toContain('<testcase name="rejects an empty cart" classname="orders" time="0.001" file="tests/api/orders.test.mjs" line="14">');
    expect(xml).toMatch(/balance should be -5 after the refund\nexpected: -5\nactual: 0\n\nAssertionError \[ERR_ASSERTION\]/);
  });
});

describe("jest and vitest results as the user reads them", () => {
  it("the terminal summary: jest's matcher message and vitest's assertion with expect's message, each with expected and actual; a broken file", () => {
    const jest = mergeAttempts([tests("jest", "jest-attempt1.json"), tests("jest", "jest-attempt2.json")]);
    const text = suiteSummary({ color: false }, { ...base, suite: "web", tests: jest });
    expect(text).toContain("  tests:   4 passed, 3 failed, 1 error, 1 flaky, 1 skipped (10 tests)\n");
    expect(text).toContain(
      "    FAILED tests/api/orders.test.js > orders > rejects an empty cart — expect(received).toBe(expected) // Object.is equality\n        expected: -5\n        actual:   0\n",
    );
    expect(text).toMatch(/\n {4}ERROR {2}tests\/api\/payments\.test\.js — PAYMENTS_URL is not set(\n|$)/);
    const vitest = mergeAttempts([tests("vitest", "vitest-attempt1.json"), tests("vitest", "vitest-attempt2.json")]);
    expect(suiteSummary({ color: false }, { ...base, suite: "web", tests: vitest })).toContain(
      "    FAILED tests/api/orders.test.mjs > orders > rejects an empty cart — balance should be -5 after the refund: expected +0 to be -5 // Object.is equality\n" +
        "        expected: -5\n        actual:   +0\n",
    );
  });
});

describe("playwright results as the user reads them", () => {
  it("the terminal summary: expect's own message with expected and actual; the test flaky over attempts and the one flaky on Playwright's own retry", () => {
    const pw = mergeAttempts([tests("playwright", "playwright-attempt1.json"), tests("playwright", "playwright-attempt2.json")]);
    const text = suiteSummary({ color: false }, { ...base, suite: "browser", tests: pw });
    expect(text).toContain("  tests:   4 passed, 3 failed, 2 flaky, 1 skipped (10 tests)\n");
    expect(text).toContain("    FAILED tests/e2e/cart.spec.js > cart > applies a coupon — the total after the coupon\n        expected: 180\n        actual:   200\n");
    expect(text).toContain("    FLAKY  tests/e2e/cart.spec.js > cart > retried > passes on its own retry — passed on attempt 1; attempt 1: fails on the first try\n");
    expect(text).toContain('    FAILED tests/e2e/users.spec.js > users > shows the heading — expect(locator).toHaveText(expected) failed\n        expected: "Orders"\n        actual:   "Cart"');
  });
});
