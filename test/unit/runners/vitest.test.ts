// The vitest adapter on real output: the fixture project (test/fixtures/runners/vitest) run by
// vitest 5.1.2 through the adapter's own lines (reports/, recorded by record.ts), and run live
// here by this repository's vitest: attempt 1, attempt 2 with the failed ids, the two shards.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failedIds, mergeAttempts } from "../../../src/results/merge.js";
import type { TestCase } from "../../../src/results/model.js";
import { parseReport } from "../../../src/results/report.js";
import { chaiValues, parseVitestReport, vitest, VITEST_REPORT } from "../../../src/runners/vitest.js";
import { FIXTURES, runLines } from "./run-lines.js";

const REPORTS = join(FIXTURES, "reports");
const PROJECT = join(FIXTURES, "vitest");
const report = (name: string) => readFileSync(join(REPORTS, name), "utf8");
const tests = (name: string) => parseReport("vitest", report(name)).tests;
const byId = (list: readonly TestCase[], id: string) => list.find((t) => t.id === id);
const commands = (log: string) => log.split("\n").filter((l) => l.startsWith("+ vitest "));

const FAILING = "tests/api/orders.test.mjs > orders > rejects an empty cart";
const FLAKY = "tests/api/orders.test.mjs > orders > refunds > settles on the second attempt";
const ODD_NAME = "tests/api/users.test.mjs > users > finds (one) user [by id] at $1.50?";
const HOOKED = "tests/api/inventory.test.mjs";
const BROKEN = "tests/api/payments.test.mjs";
const ALL_IDS = [
  "tests/api/orders.test.mjs > orders > accepts a cart",
  FAILING,
  FLAKY,
  "tests/api/inventory.test.mjs > inventory > lists items",
  HOOKED,
  "tests/api/users.test.mjs > orders > rejects an empty cart",
  "tests/api/users.test.mjs > users > rejects an empty cart",
  "tests/api/users.test.mjs > users > is skipped on purpose (a skip the adapters must report)",
  ODD_NAME,
  "tests/api/users.test.mjs > sessions open",
  BROKEN,
];
const OWN = "+ vitest run --reporter=default --reporter=json --outputFile.json=/incluster/.vitest-run.json --includeTaskLocation";

describe("the vitest report (recorded, vitest 5.1.2)", () => {
  const first = tests("vitest-attempt1.json");

  it("names every test by file, describes and name, relative to /workspace: unique, also for the same name in two describes and two files", () => {
    expect([...first.map((t) => t.id)].sort()).toEqual([...ALL_IDS].sort());
    expect(Object.fromEntries(first.map((t) => [t.id, t.status]))).toMatchObject({
      [FAILING]: "failed", [FLAKY]: "failed", [ODD_NAME]: "failed", [HOOKED]: "error", [BROKEN]: "error",
      "tests/api/users.test.mjs > users > is skipped on purpose (a skip the adapters must report)": "skipped", "tests/api/users.test.mjs > sessions open": "passed",
    });
    expect(byId(first, "tests/api/users.test.mjs > sessions open")).toMatchObject({ classname: "", file: "tests/api/users.test.mjs", line: 25 });
  });

  it("gives the assertion's message as vitest words it (with expect's own message), then expected and actual on their own lines", () => {
    const t = byId(first, FAILING)!;
    expect(t).toMatchObject({ name: "rejects an empty cart", classname: "orders", file: "tests/api/orders.test.mjs", line: 13, type: "AssertionError", expected: "-5", actual: "+0" });
    expect(t.message).toBe("balance should be -5 after the refund: expected +0 to be -5 // Object.is equality\nexpected: -5\nactual: +0");
    // The failure text is that test's own: the error and the frames of the test's code, none of vitest's.
    expect(t.text).toBe(
      "balance should be -5 after the refund: expected +0 to be -5 // Object.is equality\nexpected: -5\nactual: +0\n\n" +
        "AssertionError: balance should be -5 after the refund: expected +0 to be -5 // Object.is equality\nat /workspace/tests/api/orders.test.mjs:15:62",
    );
    expect(byId(first, FLAKY)).toMatchObject({ expected: "{ status: 'settled' }", actual: "{ status: 'pending' }" });
    expect(byId(first, FLAKY)?.message).toMatch(/^the refund is not settled yet: expected \{ status: 'pending' \} to deeply equal/);
    expect(byId(first, ODD_NAME)).toMatchObject({ message: "TypeError: session.close is not a function", type: "TypeError" });
  });

  it("a file that does not load is one error with its message; a failed beforeAll (its tests skipped, no message in the report) too", () => {
    expect(byId(first, BROKEN)).toMatchObject({ name: BROKEN, status: "error", message: "PAYMENTS_URL is not set" });
    expect(byId(first, "tests/api/inventory.test.mjs > inventory > lists items")?.status).toBe("skipped");
    expect(byId(first, HOOKED)?.message).toBe("failed outside its tests (a hook, or loading the file); vitest's report gives no reason: the log has it");
    expect(report("vitest-attempt1.log")).toContain("Error: cannot reach the inventory service at inventory:8080");
  });

  it("attempt 2 reran only the failed tests: per file one anchored -t, and the files; files that failed whole, whole; the flaky one is flaky", () => {
    const ids = failedIds(first);
    expect([...ids].sort()).toEqual([FAILING, FLAKY, HOOKED, ODD_NAME, BROKEN].sort());
    expect(commands(report("vitest-attempt2.log")).sort()).toEqual([
      `${OWN} -t '^(?:orders (?:> )?rejects an empty cart|orders (?:> )?refunds (?:> )?settles on the second attempt)$' tests/api/orders.test.mjs`,
      `${OWN} -t '^users (?:> )?finds \\(one\\) user \\[by id\\] at \\$1\\.50\\?$' tests/api/users.test.mjs`,
      `${OWN} tests/api/inventory.test.mjs tests/api/payments.test.mjs`,
    ]);
    const second = tests("vitest-attempt2.json");
    // vitest reports the tests -t left out as skipped: only the failed ones ran.
    const ran = second.filter((t) => t.status !== "skipped").map((t) => t.id);
    expect(ran.sort()).toEqual([FAILING, FLAKY, HOOKED, ODD_NAME, BROKEN].sort());
    const merged = mergeAttempts([first, second]);
    expect(Object.fromEntries(merged.map((t) => [t.id, t.status]))).toEqual({ ...Object.fromEntries(first.map((t) => [t.id, t.status])), [FLAKY]: "flaky" });
  });

  it("shards by file with vitest's own --shard: every test in exactly one shard", () => {
    const shards = [0, 1].map((i) => tests(`vitest-shard${i}of2.json`).map((t) => t.id));
    expect(shards.every((s) => s.length > 0)).toBe(true);
    expect(shards.flat().sort()).toEqual([...ALL_IDS].sort());
    expect(commands(report("vitest-shard0of2.log"))).toEqual([`${OWN} --passWithNoTests --shard=1/2 tests/api/`]);
    expect(commands(report("vitest-shard1of2.log"))).toEqual([`${OWN} --passWithNoTests --shard=2/2 tests/api/`]);
  });
});

describe("the vitest adapter, live (this repository's vitest on PATH, as an image's global install)", () => {
  it("runs the fixture, reruns exactly the failed tests, and splits it in two shards", () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const ctx = { project: PROJECT, flakyDir, binDir: join(FIXTURES, "../../../node_modules/.bin") };
      const first = runLines(vitest, "tests/api/", {}, ctx);
      expect(first.status).toBe(1);
      expect(commands(first.log)).toEqual([`${OWN} tests/api/`]);
      // The log reads as vitest's default reporter prints it, without colours (it prints them without a terminal).
      expect(first.log).toContain("FAIL  tests/api/orders.test.mjs:13 > orders > rejects an empty cart");
      expect(first.log).not.toContain("\u001b[");
      const a1 = parseReport("vitest", first.report).tests;
      expect([...a1.map((t) => t.id)].sort()).toEqual([...ALL_IDS].sort());
      const second = runLines(vitest, "tests/api/", { rerun: failedIds(a1) }, ctx);
      expect(second.status).toBe(1);
      const ran = parseReport("vitest", second.report).tests.filter((t) => t.status !== "skipped");
      expect(Object.fromEntries(ran.map((t) => [t.id, t.status]))).toEqual({ [FAILING]: "failed", [FLAKY]: "passed", [HOOKED]: "error", [ODD_NAME]: "failed", [BROKEN]: "error" });
      const shards = [0, 1].map((index) => parseReport("vitest", runLines(vitest, "tests/api/", { sharded: true }, { ...ctx, shard: { index, count: 2 } }).report).tests.map((t) => t.id));
      expect(shards.every((s) => s.length > 0)).toBe(true);
      expect(shards.flat().sort()).toEqual([...ALL_IDS].sort());
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a command suite that names runner vitest, live", () => {
  it("writes vitest's JSON results where $INCLUSTER_VITEST_REPORT says, and they read as the adapter's own", () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const command = 'vitest run --reporter=default --reporter=json --outputFile.json="$INCLUSTER_VITEST_REPORT" tests/api/orders.test.mjs';
      const asCommand = { ...vitest, script: () => [...vitest.commandSetup(), command] };
      const r = runLines(asCommand, "", {}, { project: PROJECT, flakyDir, binDir: join(FIXTURES, "../../../node_modules/.bin") });
      expect(r.status).toBe(1);
      expect(parseReport("vitest", r.report).tests.map((t) => t.id)).toEqual([ALL_IDS[0], FAILING, FLAKY]);
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe("the vitest adapter's lines", () => {
  it("takes files, folders and vitest options; refuses another runner's target, globs and its own options, naming the value", () => {
    for (const ok of ["tests/", "tests/api/orders.test.ts", ".", "e2e --project=e2e --no-file-parallelism", "--config=vitest.e2e.config.ts"]) {
      expect(vitest.validateTarget(ok), ok).toBeUndefined();
    }
    const takes = "vitest takes test files or folders like tests/e2e/ (and vitest options like --project=e2e)";
    expect(vitest.validateTarget("tests/x.py")).toBe(`${takes}, not a Python file "tests/x.py"`);
    expect(vitest.validateTarget("'tests/*.test.ts'")).toBe(`${takes}, not a shell word "'tests/*.test.ts'"`);
    expect(vitest.validateTarget("--reporter=verbose")).toBe('incluster sets --reporter itself (its report, a retry\'s tests, a shard); remove "--reporter=verbose" from test');
    expect(vitest.validateTarget("--outputFile.junit=j.xml")).toMatch(/^incluster sets --outputFile itself/);
    expect(vitest.validateTarget("--testNamePattern=x")).toMatch(/^incluster sets --testNamePattern itself/);
  });

  it("runs `vitest run` of the project, else the one on PATH, with both reporters and the tests' locations", () => {
    const lines = vitest.script("tests/");
    expect(lines[1]).toBe('vitest=node_modules/.bin/vitest; [ -x "$vitest" ] || vitest=vitest');
    expect(lines[3]).toBe(`: > /incluster/artifacts/${VITEST_REPORT}`);
    expect(lines.at(-2)).toBe("runvitest run --reporter=default --reporter=json --outputFile.json=/incluster/.vitest-run.json --includeTaskLocation tests/");
  });

  it("a shard is vitest's --shard from the pod's index; its printed line pastes", () => {
    const lines = vitest.script("tests/ --project=e2e", { sharded: true }).map((l) => l.trim());
    expect(lines).toContain(
      "printf '+ %s %s %s%s\\n' \"$vitest\" 'run --reporter=default --reporter=json --outputFile.json=/incluster/.vitest-run.json --includeTaskLocation --passWithNoTests --project=e2e' " +
        "\"--shard=$((INCLUSTER_SHARD_INDEX + 1))/$INCLUSTER_SHARD_COUNT\" ' tests/'",
    );
    // With history: the files vitest lists, this shard's as filters.
    expect(lines.find((l) => l.startsWith("if [ -n \"${INCLUSTER_SHARD_WEIGHTS:-}\" ]"))).toContain(
      '"$vitest" list --filesOnly --json=/incluster/.shard-list.json --project=e2e tests/ > /dev/null && node -e ',
    );
    expect(lines).toContain('runvitest run --reporter=default --reporter=json --outputFile.json=/incluster/.vitest-run.json --includeTaskLocation --project=e2e "$@"');
  });

  it("scaffold's baked command and a command suite's setup", () => {
    expect(vitest.plain(".")).toEqual(["npx", "--no-install", "vitest", "run"]);
    expect(vitest.commandSetup()).toEqual([`export INCLUSTER_VITEST_REPORT=/incluster/artifacts/${VITEST_REPORT}`]);
  });

  it("takes the values from chai's wording only where it cannot be misread", () => {
    expect(chaiValues("expected +0 to be -5 // Object.is equality")).toEqual({ actual: "+0", expected: "-5" });
    expect(chaiValues("my: message: expected [ 1 ] to strictly equal [ 2 ]")).toEqual({ actual: "[ 1 ]", expected: "[ 2 ]" });
    // " to be " twice: which one is chai's? Not said.
    expect(chaiValues("expected 'a to be b' to be 'abc' // Object.is equality")).toBeUndefined();
    expect(chaiValues("expected 1 to be greater than 3")).toBeUndefined();
  });

  it("reads one document per line (a retry's runs) and says what it could not read", () => {
    const doc = (name: string) => JSON.stringify({ testResults: [{ name: `/workspace/${name}`, status: "passed", assertionResults: [{ ancestorTitles: ["d"], title: "t", status: "passed" }] }] });
    const r = parseVitestReport(`${doc("a.test.ts")}\n${doc("b.test.ts")}\n{"testResults":[{"status":"passed"}]}\n`);
    expect(r.tests.map((t) => t.id)).toEqual(["a.test.ts > d > t", "b.test.ts > d > t"]);
    expect(r.problem).toBe("1 part of the vitest report could not be read");
  });
});
