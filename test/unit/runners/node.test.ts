// The node:test adapter on real output: the fixture project (test/fixtures/runners/node) run by
// Node 22 and Node 24 through the adapter's own lines (reports/, recorded by record.ts), and run
// live here by this Node: attempt 1, attempt 2 with the failed ids, the shards.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { failedIds, mergeAttempts } from "../../../src/results/merge.js";
import type { TestCase } from "../../../src/results/model.js";
import { parseReport } from "../../../src/results/report.js";
import { namePattern, node, NODE_REPORT, parseNodeReport, splitNodeId } from "../../../src/runners/node.js";
import { FIXTURES, runLines } from "./run-lines.js";

const REPORTS = join(FIXTURES, "reports");
const PROJECT = join(FIXTURES, "node");
const report = (name: string) => readFileSync(join(REPORTS, name), "utf8");
const tests = (name: string) => parseReport("node", report(name)).tests;
const byId = (list: readonly TestCase[], id: string) => list.find((t) => t.id === id);

const FAILING = "tests/api/orders.test.mjs > orders > rejects an empty cart";
const FLAKY = "tests/api/orders.test.mjs > orders > refunds > settles on the second attempt";
const SESSIONS = "tests/api/users.test.mjs > sessions";
const ALL_IDS = [
  "tests/api/orders.test.mjs > orders > accepts a cart",
  FAILING,
  FLAKY,
  "tests/api/users.test.mjs > orders > rejects an empty cart",
  "tests/api/users.test.mjs > users > rejects an empty cart",
  "tests/api/users.test.mjs > users > is skipped on purpose (a skip the adapters must report)",
  SESSIONS,
];

describe.each([22, 24])("the node:test report of Node %i (recorded)", (major) => {
  const first = tests(`node${major}-attempt1.jsonl`);

  it("names every test by file, describes and name: unique, also for the same name in two describes and two files", () => {
    expect(first.map((t) => t.id)).toEqual(ALL_IDS);
    expect(first.map((t) => t.status)).toEqual(["passed", "failed", "failed", "passed", "passed", "skipped", "failed"]);
  });

  it("gives the assertion's own message, then expected and actual on their own lines; the failure text is the assertion", () => {
    const t = byId(first, FAILING)!;
    expect(t).toMatchObject({ name: "rejects an empty cart", classname: "orders", file: "tests/api/orders.test.mjs", line: 14, type: "AssertionError", expected: "-5", actual: "0" });
    expect(t.message).toBe("balance should be -5 after the refund\nexpected: -5\nactual: 0");
    expect(t.text).toMatch(/^balance should be -5 after the refund\nexpected: -5\nactual: 0\n\nAssertionError \[ERR_ASSERTION\]: balance should be -5 after the refund/);
    // The frames of the test's own code, none of node's internals.
    expect(t.text).toMatch(/at TestContext\.<anonymous> \(file:\/\/\/.*orders\.test\.mjs:16:12\)/);
    expect(t.text).not.toContain("node:internal");
    expect(byId(first, FLAKY)?.message).toBe("the refund is not settled yet\nexpected: { status: 'settled' }\nactual: { status: 'pending' }");
  });

  it("folds a test's subtests into it (node cannot select a subtest of a test by name), skips with their reason", () => {
    expect(byId(first, SESSIONS)).toMatchObject({ status: "failed", message: "close: TypeError: session.close is not a function", type: "TypeError" });
    expect(byId(first, "tests/api/users.test.mjs > users > is skipped on purpose (a skip the adapters must report)")?.message).toBe("the user service is not deployed here");
  });

  it("attempt 2 reran only the failed tests, named with anchored patterns and their files: the flaky one is flaky", () => {
    const ids = failedIds(first);
    expect(ids).toEqual([FAILING, FLAKY, SESSIONS]);
    const log = report(`node${major}-attempt2.log`);
    const commands = log.split("\n").filter((l) => l.startsWith("+ "));
    expect(commands).toEqual([
      "+ node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=/incluster/node-reporter.mjs --test-reporter-destination=stdout " +
        "'--test-name-pattern=^orders (?:> )?rejects an empty cart$' '--test-name-pattern=^orders (?:> )?refunds (?:> )?settles on the second attempt$' tests/api/orders.test.mjs",
      "+ node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=/incluster/node-reporter.mjs --test-reporter-destination=stdout '--test-name-pattern=^sessions$' tests/api/users.test.mjs",
    ]);
    const second = tests(`node${major}-attempt2.jsonl`);
    expect(second.map((t) => t.id)).toEqual([FAILING, FLAKY, SESSIONS]);
    const merged = mergeAttempts([first, second]);
    expect(Object.fromEntries(merged.map((t) => [t.id, t.status]))).toMatchObject({ [FAILING]: "failed", [FLAKY]: "flaky", [SESSIONS]: "failed" });
    expect(byId(merged as TestCase[], FAILING)).toMatchObject({ attempt: 1 });
  });

  it("shards by file with node's own --test-shard: every test in exactly one shard", () => {
    const shards = [0, 1].map((i) => tests(`node${major}-shard${i}of2.jsonl`).map((t) => t.id));
    expect(shards.every((s) => s.length > 0)).toBe(true);
    expect(shards.flat().sort()).toEqual([...ALL_IDS].sort());
    expect(report(`node${major}-shard0of2.log`)).toContain("--test-shard=1/2 ");
    expect(report(`node${major}-shard1of2.log`)).toContain("--test-shard=2/2 ");
  });
});

describe("the node:test adapter, live on this Node", () => {
  const bin = dirname(process.execPath);

  it("runs the fixture through its own lines, then reruns exactly the failed tests (a flaky one passes)", () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const first = runLines(node, "tests/api/", {}, { project: PROJECT, flakyDir, binDir: bin });
      expect(first.status).toBe(1);
      expect(first.log.split("\n")[0]).toBe(
        "+ node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=/incluster/node-reporter.mjs --test-reporter-destination=stdout " +
          "'tests/api/**/{test,test/**/*,test-*,*[._-]test}.{js,mjs,cjs,ts,mts,cts}'",
      );
      // The log reads as node's spec reporter prints it.
      expect(first.log).toContain("✖ rejects an empty cart");
      const a1 = parseReport("node", first.report).tests;
      expect(a1.map((t) => t.id)).toEqual(ALL_IDS);
      const second = runLines(node, "tests/api/", { rerun: failedIds(a1) }, { project: PROJECT, flakyDir, binDir: bin });
      expect(second.status).toBe(1);
      const a2 = parseReport("node", second.report).tests;
      expect(a2.map((t) => [t.id, t.status])).toEqual([[FAILING, "failed"], [FLAKY, "passed"], [SESSIONS, "failed"]]);
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  });

  it("a command suite that names runner node gets the reporters through NODE_OPTIONS", () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const asCommand = { ...node, script: () => [...node.commandSetup(), "node --test tests/api/orders.test.mjs"] };
      const r = runLines(asCommand, "", {}, { project: PROJECT, flakyDir, binDir: bin });
      expect(r.status).toBe(1);
      expect(r.log).toContain("✖ rejects an empty cart");
      expect(parseReport("node", r.report).tests.map((t) => t.id)).toEqual(ALL_IDS.slice(0, 3));
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  });
});

describe("the node:test adapter's lines", () => {
  it("takes files, folders and globs, and node options; refuses another runner's target and its own options, naming the value", () => {
    for (const ok of ["tests/", "tests/api/orders.test.mjs", "'tests/**/*.test.ts' --import=tsx", ".", "test --test-concurrency=1"]) expect(node.validateTarget(ok), ok).toBeUndefined();
    expect(node.validateTarget("tests/e2e/test_x.py::test_y")).toBe('node --test takes test files, folders or globs like tests/ or "tests/**/*.test.mjs", not a pytest node id "tests/e2e/test_x.py::test_y"');
    expect(node.validateTarget("./...")).toMatch(/not a go package pattern "\.\/\.\.\."/);
    expect(node.validateTarget("tests/x.py")).toMatch(/not a Python file "tests\/x\.py"/);
    expect(node.validateTarget("tests/ --test-reporter=dot")).toMatch(/^incluster sets --test-reporter itself/);
    expect(node.validateTarget("-r tsx")).toMatch(/take the form --name or --name=value/);
    expect(node.validateTarget("  ")).toMatch(/got nothing/);
  });

  it("a folder becomes node's own default patterns under it; '.' is node's default", () => {
    const last = (test: string) => node.script(test).at(-1)!;
    expect(last("tests/api")).toMatch(/ 'tests\/api\/\*\*\/\{test,test\/\*\*\/\*,test-\*,\*\[\._-\]test\}\.\{js,mjs,cjs,ts,mts,cts\}'$/);
    expect(last(".")).toMatch(/--test-reporter-destination=stdout$/);
    expect(last("--import=tsx e2e/*.spec.ts")).toMatch(/^node --test --import=tsx --test-reporter=spec .* 'e2e\/\*\.spec\.ts'$/);
  });

  it("writes its reporter and report where incluster collects them", () => {
    const lines = node.script("tests/");
    expect(lines[0]?.startsWith("printf '%s\\n' '// incluster'\\''s node:test reporter")).toBe(true);
    expect(lines[1]).toBe(`export INCLUSTER_NODE_REPORT=/incluster/artifacts/${NODE_REPORT}`);
  });

  it("a name with ' > ' in it still matches its pattern; ids split back into file and names", () => {
    const re = new RegExp(namePattern(["a > b", "c"]));
    expect(re.test("a > b c")).toBe(true);
    expect(re.test("a > b > c")).toBe(true);
    expect(re.test("a > b cd")).toBe(false);
    expect(new RegExp(namePattern(["deep [x] (y)"])).test("deep [x] (y)")).toBe(true);
    expect(splitNodeId("t/a.test.mjs > d > n")).toEqual({ file: "t/a.test.mjs", path: ["d", "n"] });
    expect(splitNodeId("t/broken.test.mjs")).toEqual({ file: "t/broken.test.mjs", path: [] });
  });

  it("a file that failed as a whole reruns whole, beside the named tests", () => {
    const lines = node.script("tests/", { rerun: ["t/broken.test.mjs", "t/a.test.mjs > d > n"] });
    expect(lines.filter((l) => l.startsWith("node "))).toEqual([
      "node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=/incluster/node-reporter.mjs --test-reporter-destination=stdout t/broken.test.mjs || code=$?",
      "node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=/incluster/node-reporter.mjs --test-reporter-destination=stdout '--test-name-pattern=^d (?:> )?n$' t/a.test.mjs || code=$?",
    ]);
    expect(lines.at(-1)).toBe('(exit "$code")');
  });

  it("reads a report with lines that are not its own: the tests it can, and a problem", () => {
    const r = parseNodeReport('{"file":"a.test.mjs","line":1,"path":[],"name":"n","status":"passed","ms":1.6}\nnot json\n{"file":1}\n');
    expect(r.tests).toEqual([{ id: "a.test.mjs > n", name: "n", classname: "", file: "a.test.mjs", line: 1, status: "passed", durationMs: 2 }]);
    expect(r.problem).toBe("2 lines of the node:test report could not be read");
  });
});
