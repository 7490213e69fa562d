// The pytest adapter: today's lines behind the interface (the render goldens did not move), and
// the fixture project (test/fixtures/runners/pytest) run by pytest through them (reports/).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failedIds, mergeAttempts } from "../../../src/results/merge.js";
import { parseReport } from "../../../src/results/report.js";
import { pytest, SHARD_PY } from "../../../src/runners/pytest.js";
import { FIXTURES, runLines } from "./run-lines.js";

const REPORTS = join(FIXTURES, "reports");
const report = (name: string) => readFileSync(join(REPORTS, name), "utf8");
const tests = (name: string) => parseReport("pytest", report(name)).tests;
const OPTS = "-v -s --tb=short --junitxml=/incluster/artifacts/junit.xml -o junit_family=xunit1";
const FAILING = "tests/e2e/test_orders.py::test_rejects_an_empty_cart";
const FLAKY = "tests/e2e/test_orders.py::TestRefunds::test_settles_on_the_second_attempt";
const hasPytest = spawnSync("python3", ["-m", "pytest", "--version"]).status === 0;

describe("the pytest adapter's lines are today's", () => {
  it("the target, a retry's node ids, a shard's share", () => {
    expect(pytest.script("tests/e2e")).toEqual([`printf '%s\\n' '+ python3 -m pytest tests/e2e ${OPTS}'`, `python3 -m pytest tests/e2e ${OPTS}`]);
    expect(pytest.script("tests/e2e", { rerun: ["t.py::a", "t.py::C::b[x y]"] })).toEqual([
      `printf '%s\\n' '+ python3 -m pytest t.py::a '\\''t.py::C::b[x y]'\\'' ${OPTS}'`,
      `python3 -m pytest t.py::a 't.py::C::b[x y]' ${OPTS}`,
    ]);
    const shard = pytest.script("tests/e2e", { sharded: true });
    expect(shard[0]).toBe(`printf '%s\\n' "+ pytest shard $INCLUSTER_SHARD_INDEX of $INCLUSTER_SHARD_COUNT: "tests/e2e`);
    expect(shard[1]).toMatch(/^python3 -c 'import json, os, subprocess, sys\n/);
    // A retry of a sharded suite is one plain Job of the failed ids.
    expect(pytest.script("tests/e2e", { rerun: ["t.py::a"], sharded: true })[1]).toBe(`python3 -m pytest t.py::a ${OPTS}`);
  });

  it("refuses only what is plainly another runner's target, naming it", () => {
    for (const ok of ["tests/e2e", "tests/e2e/test_x.py::TestC::test_y[a-b]", "t", "tests"]) expect(pytest.validateTarget(ok), ok).toBeUndefined();
    expect(pytest.validateTarget("./...")).toBe('pytest takes a file, folder or node id like tests/e2e/test_x.py::test_y, not a go package pattern "./..." (set runner: go)');
    expect(pytest.validateTarget("tests/api/orders.test.mjs")).toMatch(/not a JavaScript or TypeScript file "tests\/api\/orders\.test\.mjs" \(set runner: node/);
  });

  it("a command that names pytest gets its JUnit through PYTEST_ADDOPTS, keeping the user's", () => {
    expect(pytest.commandSetup()).toEqual(['export PYTEST_ADDOPTS="--junitxml=/incluster/artifacts/junit.xml -o junit_family=xunit1${PYTEST_ADDOPTS:+ $PYTEST_ADDOPTS}"']);
  });

  it.skipIf(!hasPytest)(`the shard script is valid Python${hasPytest ? "" : " (skipped: no python3 with pytest here)"}`, () => {
    expect(spawnSync("python3", ["-c", "import ast, sys; ast.parse(sys.argv[1])", SHARD_PY]).status).toBe(0);
  });
});

describe("pytest's JUnit (recorded through the adapter's lines)", () => {
  const first = tests("pytest-attempt1.xml");

  it("node ids, and the assertion's message", () => {
    expect(first.map((t) => [t.id, t.status])).toEqual([
      ["tests/e2e/test_orders.py::test_accepts_a_cart", "passed"],
      [FAILING, "failed"],
      [FLAKY, "failed"],
      ["tests/e2e/test_users.py::test_rejects_an_empty_cart", "passed"],
      ["tests/e2e/test_users.py::test_lists_users", "passed"],
    ]);
    expect(first[1]).toMatchObject({ file: "tests/e2e/test_orders.py", line: 11 });
    expect(first[1]?.message).toMatch(/^AssertionError: balance should be -5 after the refund\nassert 0 == -5/);
  });

  it("attempt 2 ran the failed node ids: the flaky one is flaky", () => {
    expect(report("pytest-attempt2.log").split("\n")[0]).toBe(`+ python3 -m pytest ${FAILING} ${FLAKY} ${OPTS}`);
    const merged = Object.fromEntries(mergeAttempts([first, tests("pytest-attempt2.xml")]).map((t) => [t.id, t.status]));
    expect(merged).toMatchObject({ [FAILING]: "failed", [FLAKY]: "flaky" });
  });

  it("shards split the collected node ids: every test in exactly one shard", () => {
    const shards = [0, 1].map((i) => tests(`pytest-shard${i}of2.xml`).map((t) => t.id));
    expect(shards.map((s) => s.length)).toEqual([3, 2]);
    expect(shards.flat().sort()).toEqual(first.map((t) => t.id).sort());
  });

  it.skipIf(!hasPytest)(`live: attempt 1, then the failed ids${hasPytest ? "" : " (skipped: no python3 with pytest here)"}`, () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const project = join(FIXTURES, "pytest");
      const a1 = parseReport("pytest", runLines(pytest, "tests/e2e", {}, { project, flakyDir }).report).tests;
      expect(failedIds(a1)).toEqual([FAILING, FLAKY]);
      const second = runLines(pytest, "tests/e2e", { rerun: failedIds(a1) }, { project, flakyDir });
      expect(parseReport("pytest", second.report).tests.map((t) => [t.id, t.status])).toEqual([[FAILING, "failed"], [FLAKY, "passed"]]);
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 60_000);
});
