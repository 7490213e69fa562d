import { notRunResult } from "../../../src/report/not-run.js";
import { describe, expect, it } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { toJunit } from "../../../src/report/junit.js";
import { toJson } from "../../../src/report/json.js";
import { runSummary } from "../../../src/report/human.js";
import { oneLine, xmlSafe } from "../../../src/report/text.js";
import { parseJunit } from "../../../src/results/junit.js";
import { RESULT_API_VERSION } from "../../../src/results/run-result.js";
import { expectGolden } from "../support/golden.js";
import { sampleResult } from "./sample-result.js";

describe("formats of a run with failed, flaky, skipped, sharded and JUnit-less suites", () => {
  it("-o junit (golden)", () => expectGolden("report/junit.xml", toJunit(sampleResult)));
  it("-o json (golden)", () => expectGolden("report/result.json", toJson(sampleResult)));
  it("the terminal summary (golden)", () => expectGolden("report/summary.txt", runSummary({ color: false }, sampleResult)));
  it("a run stopped before any Job: no job reference (golden)", () => {
    const r = notRunResult({ runId: "k3v9q0", context: "kind-dev", namespace: "ns", suites: [{ name: "e2e", image: "registry.local/test-e2e-e2e:latest" }], class: "unreachable", reason: "PreflightFailed", message: "API server: https://127.0.0.1:1 unreachable (connect ECONNREFUSED 127.0.0.1:1)", hint: "the API server cannot be reached", at: new Date("2026-12-07T00:00:00Z") });
    const text = runSummary({ color: false }, { ...r, reportDir: ".incluster/runs/k3v9q0" });
    expect(text).not.toContain("job/");
    expectGolden("report/summary-not-run.txt", text);
  });

  it("JUnit times are wall durations: the root is the run's, not the sum of parallel suites", () => {
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(toJunit(sampleResult)) as { testsuites: { time: string; testsuite: { name: string; time: string }[] } };
    expect(doc.testsuites.time).toBe("150.000");
    expect(doc.testsuites.testsuite.map((s) => [s.name, s.time])).toEqual([["api", "95.500"], ["shop", "41.200"], ["smoke", "12.250"], ["load", "150.000"]]);
  });

  it("-o json keeps apiVersion and gives each suite tests with id, name, status, durationMs, message", () => {
    const doc = JSON.parse(toJson(sampleResult)) as { apiVersion: string; suites: { suite: string; tests?: Record<string, unknown>[] }[] };
    expect(doc.apiVersion).toBe(RESULT_API_VERSION);
    const api = doc.suites.find((s) => s.suite === "api")!;
    expect(api.tests!.find((t) => t.status === "failed")).toMatchObject({ id: "tests/e2e/test_api.py::TestUsers::test_create[guest]", name: "test_create[guest]", durationMs: 1, message: "assert 403 == 201" });
    expect(doc.suites.find((s) => s.suite === "smoke")!.tests).toBeUndefined();
  });

  it("a suite that failed with no failing test keeps its own testcase, so the failure is not lost", () => {
    const r = { ...sampleResult, suites: [{ ...sampleResult.suites[2]!, verdict: "failed" as const, class: "testsFailed" as const, message: "exit code 1", tests: sampleResult.suites[1]!.tests!.filter((t) => t.status === "passed") }] };
    const xml = toJunit(r);
    expect(xml).toContain('<testcase classname="incluster.smoke" name="smoke"');
    expect(xml).toContain('<testsuite name="smoke" tests="3" failures="1"');
  });
});

describe("text for the outputs", () => {
  it("xmlSafe drops colour codes and characters XML 1.0 cannot carry", () => {
    expect(xmlSafe("\u001b[31mred\u001b[0m ok\u0000\u0008\ud800 \u{1F600}\ttab")).toBe("red ok \u{1F600}\ttab");
  });
  it("oneLine: first non-blank line, cut with an ellipsis", () => {
    expect(oneLine("\n\n  \u001b[1mAssertionError\u001b[22m: x\nmore")).toBe("AssertionError: x");
    expect([...oneLine("y".repeat(500))].length).toBe(200);
    expect(oneLine(undefined)).toBe("");
  });
});

describe("-o junit keeps a message's lines", () => {
  it("writes newlines, tabs and CRs in attributes and CRs in text as character references, so a reader gets them back", () => {
    const result: typeof sampleResult = structuredClone(sampleResult);
    const suite = result.suites.find((s) => (s.tests ?? []).some((t) => t.status === "failed"))!;
    const test = suite.tests!.find((t) => t.status === "failed")!;
    test.message = "balance should be -5\n\texpected: -5\r\n\tactual: 0";
    test.text = "Traceback\r\nline 2";
    const xml = toJunit(result);
    const back = parseJunit(xml).tests.find((t) => t.name === test.name)!;
    expect(back.message).toBe(test.message);
    expect(back.text).toBe(test.text);
  });
});
