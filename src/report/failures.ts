// What failed in a run, as data the CI summary, the annotations and the Slack message all list:
// each failing test (with its file and line from the JUnit), or the suite itself when no test
// says why it did not pass. Pure.
import type { TestTrend } from "../results/model.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";
import { stripAnsi } from "./text.js";

export interface Failure {
  suite: string;
  /** The test's id (pytest node id, or classname::name); absent for a suite-level failure. */
  test?: string;
  file?: string;
  line?: number;
  /** The failure's message, colour removed; may span lines. */
  message: string;
  /** The traceback, when the runner wrote one. */
  detail?: string;
  /** New or still failing, against the suite's history. */
  trend?: TestTrend;
}

/** Suites that passed and the rest, as the run's one-line tally counts them. */
export function suiteTally(r: RunResult): { passed: number; failed: number } {
  const passed = r.suites.filter((s) => s.verdict === "passed").length;
  return { passed, failed: r.suites.length - passed };
}

/** Every failed or errored test of every suite that did not pass, else the suite's own reason. */
export function failures(r: RunResult): Failure[] {
  return r.suites.flatMap((s) => (s.verdict === "passed" ? [] : suiteFailures(s)));
}

function suiteFailures(s: SuiteResult): Failure[] {
  const failing = (s.tests ?? []).filter((t) => t.status === "failed" || t.status === "error");
  if (failing.length === 0) {
    const message = stripAnsi(s.message ?? "") || (s.class ?? s.verdict);
    return [{ suite: s.suite, message: s.hint ? `${message}\n${s.hint}` : message }];
  }
  return failing.map((t) => ({
    suite: s.suite,
    test: t.id,
    ...(t.file !== undefined ? { file: t.file } : {}),
    ...(t.line !== undefined ? { line: t.line } : {}),
    message: stripAnsi(t.message ?? "") || t.status,
    ...(t.text ? { detail: stripAnsi(t.text) } : {}),
    ...(t.trend ? { trend: t.trend } : {}),
  }));
}

/** Every flaky test that has a trend (known or newly flaky), by suite: what the step summary lists beside the failures. */
export function flakyTrends(r: RunResult): { suite: string; test: string; trend: TestTrend }[] {
  return r.suites.flatMap((s) => (s.tests ?? []).flatMap((t) => (t.status === "flaky" && t.trend ? [{ suite: s.suite, test: t.id, trend: t.trend }] : [])));
}
