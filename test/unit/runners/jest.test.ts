// The jest adapter on real output: the fixture project (test/fixtures/runners/jest) run by jest
// 30.5.2 through the adapter's own lines (reports/, recorded by record.ts), and run live here by
// the same jest (scripts/npm-tool.sh: cached after its first install; the test is skipped when it
// cannot be had): attempt 1, attempt 2 with the failed ids, the two shards.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failedIds, mergeAttempts } from "../../../src/results/merge.js";
import type { TestCase } from "../../../src/results/model.js";
import { parseReport } from "../../../src/results/report.js";
import { jest, JEST_REPORT, parseJestReport } from "../../../src/runners/jest.js";
import { FIXTURES, runLines } from "./run-lines.js";

const REPORTS = join(FIXTURES, "reports");
const PROJECT = join(FIXTURES, "jest");
const report = (name: string) => readFileSync(join(REPORTS, name), "utf8");
const tests = (name: string) => parseReport("jest", report(name)).tests;
const byId = (list: readonly TestCase[], id: string) => list.find((t) => t.id === id);
const commands = (log: string) => log.split("\n").filter((l) => l.startsWith("+ jest "));

const FAILING = "tests/api/orders.test.js > orders > rejects an empty cart";
const FLAKY = "tests/api/orders.test.js > orders > refunds > settles on the second attempt";
const ODD_NAME = "tests/api/users.test.js > users > finds (one) user [by id] at $1.50?";
const HOOK = "tests/api/inventory.test.js > inventory > lists items";
const BROKEN = "tests/api/payments.test.js";
const ALL_IDS = [
  "tests/api/orders.test.js > orders > accepts a cart",
  FAILING,
  FLAKY,
  HOOK,
  "tests/api/users.test.js > orders > rejects an empty cart",
  "tests/api/users.test.js > users > rejects an empty cart",
  "tests/api/users.test.js > users > is skipped on purpose (a skip the adapters must report)",
  ODD_NAME,
  "tests/api/users.test.js > sessions open",
  BROKEN,
];
const OWN = "+ jest --ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults";

describe("the jest report (recorded, jest 30.5.2)", () => {
  const first = tests("jest-attempt1.json");

  it("names every test by file, describes and name, relative to /workspace: unique, also for the same name in two describes and two files", () => {
    expect([...first.map((t) => t.id)].sort()).toEqual([...ALL_IDS].sort());
    expect(Object.fromEntries(first.map((t) => [t.id, t.status]))).toMatchObject({
      [FAILING]: "failed", [FLAKY]: "failed", [ODD_NAME]: "failed", [HOOK]: "failed", [BROKEN]: "error",
      "tests/api/users.test.js > users > is skipped on purpose (a skip the adapters must report)": "skipped", "tests/api/users.test.js > sessions open": "passed",
    });
    expect(byId(first, "tests/api/users.test.js > sessions open")).toMatchObject({ name: "sessions open", classname: "", file: "tests/api/users.test.js", line: 24 });
  });

  it("gives the matcher's message as jest words it, then expected and actual on their own lines; the failure text is that test's own", () => {
    const t = byId(first, FAILING)!;
    expect(t).toMatchObject({ name: "rejects an empty cart", classname: "orders", file: "tests/api/orders.test.js", line: 13, type: "JestAssertionError", expected: "-5", actual: "0" });
    expect(t.message).toBe("expect(received).toBe(expected) // Object.is equality\nexpected: -5\nactual: 0");
    expect(t.text).toBe(
      "expect(received).toBe(expected) // Object.is equality\nexpected: -5\nactual: 0\n\n" +
        "Error: expect(received).toBe(expected) // Object.is equality\n\nExpected: -5\nReceived: 0\nat Object.toBe (/workspace/tests/api/orders.test.js:15:21)",
    );
    // A deep-equality diff prints no Expected:/Received: lines: the values come from the matcher's result.
    expect(byId(first, FLAKY)?.message).toBe('expect(received).toEqual(expected) // deep equality\nexpected: {"status":"settled"}\nactual: {"status":"pending"}');
    expect(byId(first, ODD_NAME)).toMatchObject({ message: "TypeError: session.close is not a function", type: "TypeError" });
    expect(byId(first, ODD_NAME)?.text).toMatch(/\nat Object\.close \(\/workspace\/tests\/api\/users\.test\.js:20:13\)$/);
  });

  it("a failed beforeAll fails its describe's tests with its error; a file that does not load is one error named by the file", () => {
    expect(byId(first, HOOK)).toMatchObject({ status: "failed", message: "cannot reach the inventory service at inventory:8080", type: "Error" });
    const broken = byId(first, BROKEN)!;
    expect(broken).toMatchObject({ name: BROKEN, classname: "", status: "error", message: "PAYMENTS_URL is not set" });
    expect(broken.text).toMatch(/^● Test suite failed to run\n\n {2}PAYMENTS_URL is not set\n/);
  });

  it("attempt 2 reran only the failed tests: per file one anchored -t and --runTestsByPath; a broken file whole; the flaky one is flaky", () => {
    const ids = failedIds(first);
    expect([...ids].sort()).toEqual([FAILING, FLAKY, HOOK, ODD_NAME, BROKEN].sort());
    expect(commands(report("jest-attempt2.log")).sort()).toEqual([
      `${OWN} --runTestsByPath tests/api/payments.test.js`,
      `${OWN} -t '^(?:orders (?:> )?rejects an empty cart|orders (?:> )?refunds (?:> )?settles on the second attempt)$' --runTestsByPath tests/api/orders.test.js`,
      `${OWN} -t '^inventory (?:> )?lists items$' --runTestsByPath tests/api/inventory.test.js`,
      `${OWN} -t '^users (?:> )?finds \\(one\\) user \\[by id\\] at \\$1\\.50\\?$' --runTestsByPath tests/api/users.test.js`,
    ]);
    const second = tests("jest-attempt2.json");
    // jest reports the tests -t left out as skipped ("pending"): only the failed ones ran.
    expect(second.filter((t) => t.status !== "skipped" || t.id.endsWith("is skipped on purpose (a skip the adapters must report)")).map((t) => t.id).sort()).toEqual(
      [FAILING, FLAKY, HOOK, ODD_NAME, BROKEN, "tests/api/users.test.js > users > is skipped on purpose (a skip the adapters must report)"].sort(),
    );
    const merged = mergeAttempts([first, second]);
    expect(Object.fromEntries(merged.map((t) => [t.id, t.status]))).toEqual({
      ...Object.fromEntries(first.map((t) => [t.id, t.status])),
      [FLAKY]: "flaky",
    });
    expect(byId(merged as TestCase[], FAILING)).toMatchObject({ attempt: 1, reruns: [{ attempt: 2 }] });
  });

  it("shards by file with jest's own --shard: every test in exactly one shard", () => {
    const shards = [0, 1].map((i) => tests(`jest-shard${i}of2.json`).map((t) => t.id));
    expect(shards.every((s) => s.length > 0)).toBe(true);
    expect(shards.flat().sort()).toEqual([...ALL_IDS].sort());
    expect(commands(report("jest-shard0of2.log"))).toEqual([`${OWN} --passWithNoTests --shard=1/2 tests/api/`]);
    expect(commands(report("jest-shard1of2.log"))).toEqual([`${OWN} --passWithNoTests --shard=2/2 tests/api/`]);
  });
});

/** jest 30.5.2's bin directory (scripts/npm-tool.sh), or why it cannot be had here. */
function jestBin(): { dir?: string; why?: string } {
  try {
    return { dir: execFileSync("bash", [join(FIXTURES, "../../../scripts/npm-tool.sh"), "jest", "30.5.2"], { encoding: "utf8", timeout: 120_000 }).trim() };
  } catch (e) {
    return { why: (e as Error).message.split("\n")[0] };
  }
}

describe("the jest adapter, live (jest 30.5.2 on PATH, as an image's global install)", () => {
  const bin = jestBin();

  it.skipIf(!bin.dir)(`runs the fixture, reruns exactly the failed tests, and splits it in two shards${bin.why ? ` (skipped: ${bin.why})` : ""}`, () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const ctx = { project: PROJECT, flakyDir, binDir: bin.dir! };
      const first = runLines(jest, "tests/api/", {}, ctx);
      expect(first.status).toBe(1);
      expect(commands(first.log)).toEqual([`${OWN} tests/api/`]);
      // The log reads as jest's default reporter prints it, without colours.
      expect(first.log).toContain("● orders › rejects an empty cart");
      expect(first.log).not.toContain("\u001b[");
      const a1 = parseReport("jest", first.report).tests;
      expect([...a1.map((t) => t.id)].sort()).toEqual([...ALL_IDS].sort());
      const second = runLines(jest, "tests/api/", { rerun: failedIds(a1) }, ctx);
      expect(second.status).toBe(1);
      const ran = parseReport("jest", second.report).tests.filter((t) => t.status !== "skipped");
      expect(Object.fromEntries(ran.map((t) => [t.id, t.status]))).toEqual({ [FAILING]: "failed", [FLAKY]: "passed", [HOOK]: "failed", [ODD_NAME]: "failed", [BROKEN]: "error" });
      const shards = [0, 1].map((index) => parseReport("jest", runLines(jest, "tests/api/", { sharded: true }, { ...ctx, shard: { index, count: 2 } }).report).tests.map((t) => t.id));
      expect(shards.every((s) => s.length > 0)).toBe(true);
      expect(shards.flat().sort()).toEqual([...ALL_IDS].sort());
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the jest adapter's lines", () => {
  it("takes files, folders and jest options; refuses another runner's target, globs, shell words and its own options, naming the value", () => {
    for (const ok of ["tests/", "tests/api/orders.test.js", ".", "e2e --config=jest.e2e.config.js --runInBand", "--selectProjects=e2e"]) expect(jest.validateTarget(ok), ok).toBeUndefined();
    const takes = "jest takes test files or folders like tests/e2e/ (and jest options like --config=jest.e2e.config.js)";
    expect(jest.validateTarget("tests/e2e/test_x.py::test_y")).toBe(`${takes}, not a pytest node id "tests/e2e/test_x.py::test_y"`);
    expect(jest.validateTarget("./...")).toBe(`${takes}, not a go package pattern "./..."`);
    expect(jest.validateTarget("tests/**/*.test.js")).toBe(
      `${takes}, not a glob "tests/**/*.test.js": jest matches each path against its test files' paths; name the folder, or set the pattern in jest's config`,
    );
    expect(jest.validateTarget("tests/ && rm -rf /")).toMatch(/not a shell word "&&"/);
    expect(jest.validateTarget("/workspace/tests")).toMatch(/not an absolute path "\/workspace\/tests"/);
    expect(jest.validateTarget("../other/tests")).toMatch(/not a path outside the repository/);
    expect(jest.validateTarget("tests/ --shard=1/3")).toBe('incluster sets --shard itself (its report, a retry\'s tests, a shard); remove "--shard=1/3" from test');
    expect(jest.validateTarget("--json")).toMatch(/^incluster sets --json itself/);
    expect(jest.validateTarget("-i")).toBe('jest options in test take the form --name or --name=value, got "-i"');
    expect(jest.validateTarget(" ")).toMatch(/got nothing \(\. runs every test\)$/);
  });

  it("picks the project's jest, else the one on PATH; empties its report; turns colours off", () => {
    const lines = jest.script("tests/");
    expect(lines.slice(0, 4)).toEqual(["export NO_COLOR=1 FORCE_COLOR=0", 'jest=node_modules/.bin/jest; [ -x "$jest" ] || jest=jest', "code=0", `: > /incluster/artifacts/${JEST_REPORT}`]);
    expect(lines.slice(-3)).toEqual([
      "printf '+ %s %s\\n' \"$jest\" '--ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults tests/'",
      "runjest --ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults tests/",
      '(exit "$code")',
    ]);
    // "." is jest's default: every test.
    expect(jest.script(".").at(-2)).toBe("runjest --ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults");
  });

  it("a retry keeps the suite's options, groups files whose failed tests share their names, and runs a broken file whole", () => {
    const lines = jest.script("e2e/ --config=jest.e2e.config.js", { rerun: ["e2e/a.test.js > cart > adds", "e2e/b.test.js > cart > adds", "e2e/c.test.js", "e2e/c.test.js > x > y"] });
    expect(lines.filter((l) => l.startsWith("runjest "))).toEqual([
      "runjest --ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults --config=jest.e2e.config.js -t '^cart (?:> )?adds$' --runTestsByPath e2e/a.test.js e2e/b.test.js",
      "runjest --ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults --config=jest.e2e.config.js --runTestsByPath e2e/c.test.js",
    ]);
  });

  it("a shard is jest's --shard from the pod's index (a shard left without files passes); with history, its files by path", () => {
    const lines = jest.script("tests/", { sharded: true }).map((l) => l.trim());
    expect(lines).toContain('runjest --ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults --passWithNoTests "--shard=$((INCLUSTER_SHARD_INDEX + 1))/$INCLUSTER_SHARD_COUNT" tests/');
    expect(lines).toContain('runjest --ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults --runTestsByPath "$@"');
    expect(lines.find((l) => l.startsWith("if [ -n \"${INCLUSTER_SHARD_WEIGHTS:-}\" ]"))).toContain(
      '"$jest" --listTests --json --outputFile=/incluster/.shard-list.json tests/ > /dev/null && node -e ',
    );
  });

  it("scaffold's baked command and a command suite's setup", () => {
    expect(jest.plain("e2e/ --runInBand")).toEqual(["npx", "--no-install", "jest", "--ci", "--runInBand", "e2e/"]);
    expect(jest.commandSetup()).toEqual([`export INCLUSTER_JEST_REPORT=/incluster/artifacts/${JEST_REPORT}`]);
  });

  it("reads what it can of a report that is not all jest's, and says so", () => {
    expect(parseJestReport("")).toEqual({ tests: [], problem: "the jest report is empty (the runner wrote no results)" });
    const one = JSON.stringify({ testResults: [{ name: "/workspace/a.test.js", status: "passed", assertionResults: [{ ancestorTitles: [], title: "t", status: "passed", duration: 1.4 }] }] });
    const r = parseJestReport(`${one}\nnot json\n{"numTotalTests":0}\n`);
    expect(r.tests).toEqual([{ id: "a.test.js > t", name: "t", classname: "", file: "a.test.js", status: "passed", durationMs: 1 }]);
    expect(r.problem).toBe("2 parts of the jest report could not be read");
  });

  it("values a matcher prints (undefined too) win over its JSON result; ANSI colours are stripped", () => {
    const stack = "Error: \u001b[2mexpect(\u001b[22mreceived).toBe(expected)\n\nExpected: 2\nReceived: undefined\n    at Object.toBe (/workspace/a.test.js:1:2)\n    at x (/workspace/node_modules/jest-circus/build/a.js:1:1)";
    const doc = { testResults: [{ name: "/workspace/a.test.js", status: "failed", assertionResults: [
      { ancestorTitles: ["d"], title: "t", status: "failed", failureMessages: [stack], failureDetails: [{ matcherResult: { expected: 2, pass: false } }] },
    ] }] };
    const [t] = parseJestReport(JSON.stringify(doc)).tests;
    expect(t).toMatchObject({ message: "expect(received).toBe(expected)\nexpected: 2\nactual: undefined", expected: "2", actual: "undefined" });
    expect(t?.text).not.toContain("node_modules");
  });
});
