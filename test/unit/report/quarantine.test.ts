// Quarantine, pure, from the engine's one verdict to every output: attempts → combineAttempts with a
// quarantine → the suite's result (passed when only quarantined tests failed), then -o junit
// (<skipped message="quarantined: …"> with what it did), -o json, the terminal summary, the step
// summary and the annotations (a ::warning per quarantined test that did not pass).
import { describe, expect, it } from "vitest";
import { annotations, stepSummary } from "../../../src/ci/github.js";
import { quarantineOf, DEFAULT_FLAKY_POLICY } from "../../../src/history/quarantine.js";
import { toJson } from "../../../src/report/json.js";
import { runSummary } from "../../../src/report/human.js";
import { toJunit } from "../../../src/report/junit.js";
import type { TestCase } from "../../../src/results/model.js";
import { RESULT_API_VERSION } from "../../../src/results/run-result.js";
import type { RunResult, SuiteResult } from "../../../src/results/run-result.js";
import { combineAttempts, probeOf } from "../../../src/run/attempts.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import type { Config } from "../../../src/config/schema.js";
import type { SuiteOutcome } from "../../../src/run/suite-run.js";
import { expectGolden } from "../support/golden.js";

const base: SuiteResult = {
  suite: "mixed",
  verdict: "failed",
  class: "testsFailed",
  exitCode: 1,
  testExitCode: 1,
  reason: "TestsFailed",
  message: "test-runner exited with code 1",
  namespace: "ns",
  job: "test-mixed-e2e-r1",
  pods: ["p1"],
  image: "i",
  startedAt: "2026-12-07T00:00:00.000Z",
  finishedAt: "2026-12-07T00:00:05.000Z",
  durationSeconds: 5,
  phases: {},
  logs: {},
  events: [],
  notes: [],
};
const tc = (name: string, status: TestCase["status"], over: Partial<TestCase> = {}): TestCase => ({
  id: `tests/test_mixed.py::${name}`,
  name,
  classname: "tests.test_mixed",
  file: "tests/test_mixed.py",
  status,
  durationMs: 12,
  ...(status === "failed" ? { message: `AssertionError: ${name} failed`, text: `def ${name}():\n>   assert False\nE   AssertionError` } : {}),
  ...over,
});
const outcome = (attempt: number, result: Partial<SuiteResult>, tests: TestCase[]): SuiteOutcome => ({
  attempt,
  result: { ...base, ...result },
  tests,
  job: null,
  pods: [],
  events: [],
});
const NOW = Date.parse("2026-12-07T00:00:00Z");
const resolved = () =>
  resolveSuite({ apiVersion: "incluster.dev/v1alpha1", kind: "Config", source: {}, defaults: { image: "x:1" }, suites: { mixed: { test: "tests" } } } as unknown as Config, "mixed");

const attempts = [
  outcome(1, {}, [tc("test_passes", "passed"), tc("test_fails_on_purpose", "failed"), tc("test_flaky_first_attempt", "failed")]),
  outcome(2, { job: "test-mixed-e2e-r1-a2" }, [tc("test_fails_on_purpose", "failed"), tc("test_flaky_first_attempt", "passed")]),
];

function result(suite: SuiteResult): RunResult {
  return {
    apiVersion: RESULT_API_VERSION,
    kind: "RunResult",
    runId: "r1",
    context: "c",
    namespace: "ns",
    startedAt: suite.startedAt,
    finishedAt: suite.finishedAt,
    exitCode: suite.exitCode,
    reportDir: ".incluster/runs/r1",
    suites: [suite],
  };
}

describe("a quarantined test runs, is reported, and does not fail its suite", () => {
  const q = quarantineOf([{ test: "tests/test_mixed.py::test_fails_*", reason: "JIRA-42 fails on purpose", until: "2026-12-31" }], DEFAULT_FLAKY_POLICY, undefined, NOW);
  const suite = combineAttempts(attempts, { failOnFlaky: false, quarantined: (id) => q.reasonFor(id) });
  const run = result(suite);

  it("the suite passes: exit 0, the quarantined failure kept with what it did, a note", () => {
    expect(suite).toMatchObject({ verdict: "passed", exitCode: 0, testExitCode: 1 });
    expect(suite.class).toBeUndefined();
    expect(suite.tests?.map((t) => [t.name, t.status, t.quarantine?.outcome])).toEqual([
      ["test_passes", "passed", undefined],
      ["test_fails_on_purpose", "quarantined", "failed"],
      ["test_flaky_first_attempt", "flaky", undefined],
    ]);
    expect(suite.notes).toContain(
      "1 quarantined test(s) failed and do not fail the suite: tests/test_mixed.py::test_fails_on_purpose (JIRA-42 fails on purpose (until 2026-12-31))",
    );
  });

  it("with --fail-on-flaky the flaky test still fails it; a failure that is not quarantined still fails it", () => {
    expect(combineAttempts(attempts, { failOnFlaky: true, quarantined: (id) => q.reasonFor(id) })).toMatchObject({ verdict: "failed", class: "flaky" });
    const none = combineAttempts(attempts, { failOnFlaky: false, quarantined: () => undefined });
    expect(none).toMatchObject({ verdict: "failed", class: "testsFailed", exitCode: 1 });
  });

  it("a failed shard with no quarantined failure of its own still fails the suite", () => {
    const shards = [
      { index: 0, verdict: "failed" as const, class: "testsFailed" as const, pod: "p0" },
      { index: 1, verdict: "failed" as const, class: "testsFailed" as const, pod: "p1" },
    ];
    const one = [outcome(1, { shards }, [tc("test_fails_on_purpose", "failed")])];
    expect(combineAttempts(one, { failOnFlaky: false, quarantined: (id) => q.reasonFor(id) }).verdict).toBe("failed");
  });

  it("-o junit (golden): a <skipped message=\"quarantined: …\"> case with its output", () => expectGolden("report/quarantine-junit.xml", toJunit(run)));
  it("-o json (golden)", () => expectGolden("report/quarantine-result.json", toJson(run)));
  it("the terminal summary (golden)", () => expectGolden("report/quarantine-summary.txt", runSummary({ color: false }, run)));
  it("the step summary and the annotations (golden)", () => {
    expectGolden("ci/quarantine-step-summary.md", stepSummary(run));
    expectGolden("ci/quarantine-annotations.txt", `${annotations(run).join("\n")}\n`);
    expect(annotations(run)[0]).toMatch(/^::warning file=tests\/test_mixed.py,title=mixed%3A tests\/test_mixed.py%3A%3Atest_fails_on_purpose \(quarantined\)::quarantined: JIRA-42/);
  });
});

describe("new-flake detection (flaky.newTests)", () => {
  const history = { suite: "mixed", runs: [{ runId: "h1", startedAt: "2026-12-06T00:00:00Z", verdict: "passed" as const, attempts: 1, durationMs: 1, tests: [{ id: "tests/test_mixed.py::test_passes", status: "passed" as const, durationMs: 1 }] }] };
  const suite = { ...resolved(), flaky: { quarantine: "off" as const, window: 20, threshold: 2, release: 5, newTests: 2 } };
  const first = [outcome(1, { verdict: "passed", class: undefined, exitCode: 0 }, [tc("test_passes", "passed"), tc("test_new", "passed")])];

  it("after the suite's own attempts, the passing tests the history has never seen, at most newTests times; none without a history", () => {
    expect(probeOf(first, new Set(), suite, history)).toEqual(["tests/test_mixed.py::test_new"]);
    expect(probeOf(first, new Set([2, 3]), suite, history)).toBeUndefined();
    expect(probeOf(first, new Set(), suite, undefined)).toBeUndefined();
    expect(probeOf(first, new Set(), { ...suite, flaky: { ...suite.flaky, newTests: 0 } }, history)).toBeUndefined();
  });

  it("a new test that fails on an extra run is flaky; the verdict stays the suite's own attempt's", () => {
    const all = [...first, outcome(2, { job: "j-2" }, [tc("test_new", "failed")]), outcome(3, { verdict: "passed", exitCode: 0, job: "j-3" }, [tc("test_new", "passed")])];
    const probes = new Set([2, 3]);
    const rerunIds = new Map([[2, ["tests/test_mixed.py::test_new"]], [3, ["tests/test_mixed.py::test_new"]]]);
    const r = combineAttempts(all.slice(0, 2), { failOnFlaky: false, probes, rerunIds });
    expect(r).toMatchObject({ verdict: "passed", exitCode: 0 });
    expect(r.tests?.find((t) => t.name === "test_new")?.status).toBe("flaky");
    expect(r.notes).toContain("1 new flaky test(s): not in the history, and did not pass every run: tests/test_mixed.py::test_new");
    expect(r.attempts?.map((a) => [a.attempt, a.newTests])).toEqual([[1, undefined], [2, true]]);
    // The same ids K times, even once one failed; not past K.
    expect(probeOf(all.slice(0, 2), new Set([2]), suite, history)).toEqual(["tests/test_mixed.py::test_new"]);
    expect(probeOf(all, probes, suite, history)).toBeUndefined();
    expect(combineAttempts(all, { failOnFlaky: true, probes, rerunIds })).toMatchObject({ verdict: "failed", class: "flaky" });
  });
});
