// A representative run for the format goldens and the JUnit consumer check: a pytest suite with
// retries (failed, flaky, skipped, error), a sharded go suite, a suite without JUnit that passed,
// and one without JUnit that timed out. Tests come from the recorded runner files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseJunit } from "../../../src/results/junit.js";
import { mergeAttempts, mergeShards } from "../../../src/results/merge.js";
import type { TestCase } from "../../../src/results/model.js";
import { RESULT_API_VERSION } from "../../../src/results/run-result.js";
import type { RunResult, SuiteResult } from "../../../src/results/run-result.js";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "..", "fixtures", "junit", name), "utf8");

const attempt1 = parseJunit(fixture("pytest-xunit1.xml"), { runner: "pytest" }).tests;
const flakyId = "tests/e2e/test_api.py::test_eventually";
const flaky1: TestCase = { id: flakyId, name: "test_eventually", classname: "tests.e2e.test_api", file: "tests/e2e/test_api.py", line: 28, status: "failed", durationMs: 2003, message: "TimeoutError: service not ready after 2s", type: "TimeoutError", text: "tests/e2e/test_api.py:30: in test_eventually\n    wait_ready(timeout=2)\nE   TimeoutError: service not ready after 2s" };
const byId = (tests: TestCase[], id: string) => tests.find((t) => t.id === id)!;
const guest = byId(attempt1, "tests/e2e/test_api.py::TestUsers::test_create[guest]");
const migrate = byId(attempt1, "tests/e2e/test_api.py::test_migrate");
const attempt2: TestCase[] = [{ ...flaky1, status: "passed", durationMs: 412, message: undefined, type: undefined, text: undefined }, { ...guest, durationMs: 2 }, { ...migrate }].map((t) => JSON.parse(JSON.stringify(t)) as TestCase);
const apiTests = mergeAttempts([[...attempt1, flaky1], attempt2]);

const goTests = mergeShards([
  { index: 1, tests: parseJunit(fixture("gotestsum.xml")).tests.filter((_, i) => i % 2 === 1) },
  { index: 0, tests: parseJunit(fixture("gotestsum.xml")).tests.filter((_, i) => i % 2 === 0) },
]).tests.map((t) => ({ ...t, attempt: 1 }));

const base = (suite: string, over: Partial<SuiteResult>): SuiteResult => ({
  suite,
  verdict: "passed",
  exitCode: 0,
  namespace: "e2e",
  job: `test-${suite}-e2e-k3v9q`,
  pods: [`test-${suite}-e2e-k3v9q-abcde`],
  image: `registry.local:5000/shop/${suite}@sha256:0f3c`,
  commit: "4b1e2c9d7a",
  startedAt: "2026-11-24T10:00:05.000Z",
  finishedAt: "2026-11-24T10:01:05.000Z",
  durationSeconds: 60,
  phases: {},
  logs: { test: `${suite}/test-runner.log` },
  events: [],
  notes: [],
  ...over,
});

export const sampleResult: RunResult = {
  apiVersion: RESULT_API_VERSION,
  kind: "RunResult",
  runId: "k3v9q",
  context: "kind-incluster",
  namespace: "e2e",
  startedAt: "2026-11-24T10:00:00.000Z",
  finishedAt: "2026-11-24T10:02:30.000Z",
  exitCode: 1,
  reportDir: ".incluster/runs/k3v9q",
  suites: [
    base("api", {
      verdict: "failed",
      class: "testsFailed",
      exitCode: 1,
      testExitCode: 1,
      message: "2 tests failed after 2 attempts",
      hint: "see the failed tests below and api/attempt-2/test-runner.log",
      job: "test-api-e2e-k3v9q-a2",
      durationSeconds: 95.5,
      finishedAt: "2026-11-24T10:01:40.500Z",
      logs: { test: "api/attempt-2/test-runner.log" },
      tests: apiTests,
      attempts: [
        { attempt: 1, verdict: "failed", class: "testsFailed", exitCode: 1, job: "test-api-e2e-k3v9q", logs: { test: "api/attempt-1/test-runner.log" }, artifactsDir: "api/attempt-1/artifacts" },
        { attempt: 2, verdict: "failed", class: "testsFailed", exitCode: 1, job: "test-api-e2e-k3v9q-a2", logs: { test: "api/attempt-2/test-runner.log" }, artifactsDir: "api/attempt-2/artifacts", rerunIds: [guest.id, migrate.id, flakyId] },
      ],
    }),
    base("shop", {
      verdict: "failed",
      class: "testsFailed",
      exitCode: 1,
      testExitCode: 1,
      message: "shards 0 and 1 failed",
      durationSeconds: 41.2,
      tests: goTests,
      shards: [
        { index: 0, verdict: "failed", class: "testsFailed", pod: "test-shop-e2e-k3v9q-0-x7k2p" },
        { index: 1, verdict: "failed", class: "testsFailed", pod: "test-shop-e2e-k3v9q-1-m4n8q" },
      ],
    }),
    base("smoke", { durationSeconds: 12.25 }),
    base("load", {
      verdict: "timedOut",
      class: "deadlineExceeded",
      exitCode: 4,
      reason: "DeadlineExceeded",
      message: "Job was active longer than specified deadline",
      hint: "raise timeout: in incluster.yaml, or find what hangs in load/test-runner.log",
      durationSeconds: 150,
      events: [{ type: "Normal", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline", object: "job/test-load-e2e-k3v9q", count: 1, firstTimestamp: "2026-11-24T10:02:29Z", lastTimestamp: "2026-11-24T10:02:29Z" }],
    }),
  ],
};
