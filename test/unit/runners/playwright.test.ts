// The playwright adapter on real output: the fixture project (test/fixtures/runners/playwright)
// run by @playwright/test 1.65.2 with Debian's chromium through the adapter's own lines (reports/,
// recorded by record.ts), and run live here the same way (scripts/npm-tool.sh: cached after its
// first install; skipped when it or chromium cannot be had): attempt 1, attempt 2 with the failed
// ids, the two shards.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failedIds, mergeAttempts, testCounts } from "../../../src/results/merge.js";
import type { TestCase } from "../../../src/results/model.js";
import { parseReport } from "../../../src/results/report.js";
import { grepFor, playwright, PLAYWRIGHT_REPORT } from "../../../src/runners/playwright.js";
import { parsePlaywrightReport, playwrightFailure } from "../../../src/runners/playwright-json.js";
import { FIXTURES, runLines } from "./run-lines.js";

const REPORTS = join(FIXTURES, "reports");
const PROJECT = join(FIXTURES, "playwright");
const report = (name: string) => readFileSync(join(REPORTS, name), "utf8");
const tests = (name: string) => parseReport("playwright", report(name)).tests;
const byId = (list: readonly TestCase[], id: string) => list.find((t) => t.id === id);
const commands = (log: string) => log.split("\n").filter((l) => l.startsWith("+ playwright "));

const C = "tests/e2e/cart.spec.js";
const U = "tests/e2e/users.spec.js";
const FAILING = `${C} > cart > applies a coupon`;
const FLAKY = `${C} > cart > checkout > settles on the second attempt`;
const OWN_RETRY = `${C} > cart > retried > passes on its own retry`;
const ODD_NAME = `${U} > users > finds (one) user [by id] at $1.50?`;
const LOCATOR = `${U} > users > shows the heading`;
const SKIPPED = `${U} > users > is skipped on purpose (a skip the adapters must report)`;
const ALL_IDS = [
  `${C} > cart > adds an item`, FAILING, FLAKY, OWN_RETRY,
  `${U} > cart > applies a coupon`, `${U} > users > applies a coupon`, ODD_NAME, LOCATOR, SKIPPED, `${U} > sessions open`,
];
const OWN = "+ playwright test --reporter=list,json --output=/incluster/artifacts/test-results";

describe("the playwright report (recorded, @playwright/test 1.65.2, Debian's chromium)", () => {
  const first = tests("playwright-attempt1.json");

  it("names every test by file (from the repository), describes and title: unique, also for the same title in two describes and two files", () => {
    expect([...first.map((t) => t.id)].sort()).toEqual([...ALL_IDS].sort());
    expect(Object.fromEntries(first.map((t) => [t.id, t.status]))).toMatchObject({
      [FAILING]: "failed", [FLAKY]: "failed", [ODD_NAME]: "failed", [LOCATOR]: "failed", [SKIPPED]: "skipped", [OWN_RETRY]: "passed",
      [`${C} > cart > adds an item`]: "passed",
    });
    expect(byId(first, `${U} > sessions open`)).toMatchObject({ name: "sessions open", classname: "", file: U, line: 32 });
  });

  it("gives the error's message (expect's own message, then the matcher) with expected and actual on their own lines; the text is that test's error and snippet", () => {
    const t = byId(first, FAILING)!;
    expect(t).toMatchObject({ name: "applies a coupon", classname: "cart", file: C, line: 16, expected: "180", actual: "200" });
    expect(t.message).toBe("the total after the coupon\nexpect(received).toBe(expected) // Object.is equality\nexpected: 180\nactual: 200");
    expect(t.text).toContain("\nat /workspace/tests/e2e/cart.spec.js:18:49\n");
    expect(t.text).toContain('> 18 |     expect(total, "the total after the coupon").toBe(180);');
    expect(t.text).not.toContain("\u001b[");
    expect(byId(first, LOCATOR)?.message).toBe("expect(locator).toHaveText(expected) failed\nLocator: locator('h1')\nexpected: \"Orders\"\nactual: \"Cart\"");
    expect(byId(first, LOCATOR)?.text).toContain("Call log:");
    expect(byId(first, ODD_NAME)).toMatchObject({ message: "TypeError: session.close is not a function", type: "TypeError" });
    // A deep-equality diff prints no single values: the message is the matcher's line alone.
    expect(byId(first, FLAKY)?.message).toBe("expect(received).toEqual(expected) // deep equality");
  });

  it("a test that passed on Playwright's own retry in the same attempt is flaky, its failed try kept", () => {
    const t = byId(first, OWN_RETRY)!;
    expect(t.flakyFailures?.map((f) => f.message)).toEqual(["fails on the first try\nexpect(received).toBeGreaterThan(expected)\nexpected: > 0\nactual: 0"]);
    const merged = mergeAttempts([first]);
    expect(merged.find((m) => m.id === OWN_RETRY)).toMatchObject({ status: "flaky", attempt: 1, reruns: [{ attempt: 1, status: "failed" }] });
    expect(merged.find((m) => m.id === OWN_RETRY)).not.toHaveProperty("flakyFailures");
    expect(testCounts(merged)).toEqual({ tests: 10, passed: 4, failed: 4, errors: 0, skipped: 1, flaky: 1 });
  });

  it("attempt 2 reran only the failed tests: one run of their files with one anchored --grep; the first-attempt-only one is flaky", () => {
    const ids = failedIds(first);
    expect([...ids].sort()).toEqual([FAILING, FLAKY, ODD_NAME, LOCATOR].sort());
    const [cmd, ...more] = commands(report("playwright-attempt2.log"));
    expect(more).toEqual([]);
    expect(cmd).toBe(
      `${OWN} '--grep=/${[FAILING, FLAKY, ODD_NAME, LOCATOR].map(grepFor).join("|")}/' 'tests/e2e/cart\\.spec\\.js' 'tests/e2e/users\\.spec\\.js'`,
    );
    expect(report("playwright-attempt2.log")).toContain("Running 4 tests using 1 worker");
    const second = tests("playwright-attempt2.json");
    expect(Object.fromEntries(second.map((t) => [t.id, t.status]))).toEqual({ [FAILING]: "failed", [FLAKY]: "passed", [ODD_NAME]: "failed", [LOCATOR]: "failed" });
    const merged = mergeAttempts([first, second]);
    expect(Object.fromEntries(merged.map((t) => [t.id, t.status]))).toEqual({
      ...Object.fromEntries(first.map((t) => [t.id, t.status])),
      [FLAKY]: "flaky",
      [OWN_RETRY]: "flaky",
    });
  });

  it("shards with Playwright's own --shard (by test: the fixture is fullyParallel): every test in exactly one shard", () => {
    const shards = [0, 1].map((i) => tests(`playwright-shard${i}of2.json`).map((t) => t.id));
    expect(shards.map((s) => s.length)).toEqual([5, 5]);
    expect(shards.flat().sort()).toEqual([...ALL_IDS].sort());
    expect(commands(report("playwright-shard0of2.log"))).toEqual([`${OWN} --pass-with-no-tests --shard=1/2 tests/e2e/`]);
    expect(commands(report("playwright-shard1of2.log"))).toEqual([`${OWN} --pass-with-no-tests --shard=2/2 tests/e2e/`]);
  });

  it("a file that does not load is one error named by the file (Playwright then runs nothing, and says so: the run's own error)", () => {
    const broken = tests("playwright-broken-attempt1.json");
    expect(broken.map((t) => [t.id, t.status, t.message?.split("\n")[0]])).toEqual([
      ["tests/broken/payments.spec.js", "error", "PAYMENTS_URL is not set"],
      ["playwright test", "error", "No tests found."],
    ]);
    expect(broken[0]?.text).toContain('> 6 | if (!process.env.PAYMENTS_URL) throw new Error("PAYMENTS_URL is not set");');
    // The run's own error: the retry runs the whole target.
    expect(commands(report("playwright-broken-attempt2.log"))).toEqual([`${OWN} tests/broken/`]);
  });
});

/** @playwright/test 1.65.2's bin directory (scripts/npm-tool.sh) and Debian's chromium, or why they cannot be had here. */
function playwrightBin(): { dir?: string; why?: string } {
  if (!existsSync("/usr/bin/chromium")) return { why: "no /usr/bin/chromium (apt-get install chromium)" };
  try {
    const script = join(FIXTURES, "../../../scripts/npm-tool.sh");
    return { dir: execFileSync("bash", [script, "@playwright/test", "1.65.2", "playwright"], { encoding: "utf8", timeout: 120_000 }).trim() };
  } catch (e) {
    return { why: (e as Error).message.split("\n")[0] };
  }
}

describe("the playwright adapter, live (@playwright/test 1.65.2 on PATH and NODE_PATH, as the image's global install; Debian's chromium)", () => {
  const bin = playwrightBin();

  it.skipIf(!bin.dir)(`runs the fixture, reruns exactly the failed tests, and splits it in two shards${bin.why ? ` (skipped: ${bin.why})` : ""}`, () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const ctx = { project: PROJECT, flakyDir, binDir: bin.dir!, env: { NODE_PATH: join(bin.dir!, "..") } };
      const first = runLines(playwright, "tests/e2e/", {}, ctx);
      expect(first.status).toBe(1);
      expect(commands(first.log)).toEqual([`${OWN} tests/e2e/`]);
      expect(first.log).toContain("tests/e2e/cart.spec.js:16:3 › cart › applies a coupon");
      expect(first.log).not.toContain("\u001b[");
      const a1 = parseReport("playwright", first.report).tests;
      expect([...a1.map((t) => t.id)].sort()).toEqual([...ALL_IDS].sort());
      const second = runLines(playwright, "tests/e2e/", { rerun: failedIds(a1) }, ctx);
      expect(second.status).toBe(1);
      const a2 = parseReport("playwright", second.report).tests;
      expect(Object.fromEntries(a2.map((t) => [t.id, t.status]))).toEqual({ [FAILING]: "failed", [FLAKY]: "passed", [ODD_NAME]: "failed", [LOCATOR]: "failed" });
      const shards = [0, 1].map((index) => parseReport("playwright", runLines(playwright, "tests/e2e/", { sharded: true }, { ...ctx, shard: { index, count: 2 } }).report).tests.map((t) => t.id));
      expect(shards.flat().sort()).toEqual([...ALL_IDS].sort());
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 120_000);

  it.skipIf(!bin.dir)(`a command suite that names runner playwright: its \`--reporter=list,json\` writes where incluster reads, through PLAYWRIGHT_JSON_OUTPUT_FILE${bin.why ? ` (skipped: ${bin.why})` : ""}`, () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const command = "playwright test --reporter=list,json tests/e2e/cart.spec.js";
      const asCommand = { ...playwright, script: () => [...playwright.commandSetup(), command] };
      const r = runLines(asCommand, "", {}, { project: PROJECT, flakyDir, binDir: bin.dir!, env: { NODE_PATH: join(bin.dir!, "..") } });
      expect(r.status).toBe(1);
      expect(parseReport("playwright", r.report).tests.map((t) => t.id)).toEqual([`${C} > cart > adds an item`, FAILING, FLAKY, OWN_RETRY]);
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("the playwright adapter's lines", () => {
  it("takes files, folders and playwright options; refuses another runner's target, globs and its own options, naming the value", () => {
    for (const ok of ["tests/", "tests/e2e/cart.spec.ts", ".", "e2e --project=chromium --workers=2", "--grep=@smoke"]) expect(playwright.validateTarget(ok), ok).toBeUndefined();
    const takes = "playwright takes test files or folders like tests/e2e/ (and playwright options like --project=chromium)";
    expect(playwright.validateTarget("tests/x.py")).toBe(`${takes}, not a Python file "tests/x.py"`);
    expect(playwright.validateTarget("tests/**/*.spec.ts")).toMatch(/not a glob "tests\/\*\*\/\*\.spec\.ts": playwright matches each path/);
    expect(playwright.validateTarget("--reporter=html")).toBe('incluster sets --reporter itself (its report, a retry\'s tests, a shard); remove "--reporter=html" from test');
    expect(playwright.validateTarget("--shard=1/2")).toMatch(/^incluster sets --shard itself/);
    expect(playwright.validateTarget("--ui")).toMatch(/^incluster sets --ui itself/);
  });

  it("runs the project's playwright, else the one on PATH, with the list and json reporters; the report's file is Playwright's own variable", () => {
    const lines = playwright.script("tests/e2e/ --project=chromium");
    expect(lines.slice(0, 4)).toEqual([
      "export NO_COLOR=1 FORCE_COLOR=0",
      `export PLAYWRIGHT_JSON_OUTPUT_FILE=/incluster/artifacts/${PLAYWRIGHT_REPORT}`,
      'playwright=node_modules/.bin/playwright; [ -x "$playwright" ] || playwright=playwright',
      'rm -f "$PLAYWRIGHT_JSON_OUTPUT_FILE"',
    ]);
    expect(lines.at(-1)).toBe('"$playwright" test --reporter=list,json --output=/incluster/artifacts/test-results --project=chromium tests/e2e/');
  });

  it("a retry: a project's id anchors at the project; a file that did not load matches any of its tests; the suite's own --grep is dropped", () => {
    expect(grepFor("[firefox] tests/e2e/a.spec.ts > cart > adds")).toBe("^firefox (?:(?:tests/)?e2e/)?a\\.spec\\.ts cart (?:> )?adds(?: @\\S+)*$");
    expect(grepFor("e2e/b.spec.ts")).toBe("(?:^| )(?:e2e/)?b\\.spec\\.ts ");
    const lines = playwright.script("e2e --grep=@smoke --project=firefox", { rerun: ["[firefox] e2e/a.spec.ts > x", "e2e/b.spec.ts"] });
    expect(lines.at(-1)).toBe(
      `"$playwright" test --reporter=list,json --output=/incluster/artifacts/test-results --project=firefox '--grep=/^firefox (?:e2e/)?a\\.spec\\.ts x(?: @\\S+)*$|(?:^| )(?:e2e/)?b\\.spec\\.ts /' 'e2e/a\\.spec\\.ts' 'e2e/b\\.spec\\.ts'`,
    );
  });

  it("a shard is Playwright's --shard from the pod's index; a shard without tests passes", () => {
    expect(playwright.script("tests/", { sharded: true }).at(-1)).toBe(
      '"$playwright" test --reporter=list,json --output=/incluster/artifacts/test-results --pass-with-no-tests "--shard=$((INCLUSTER_SHARD_INDEX + 1))/$INCLUSTER_SHARD_COUNT" tests/',
    );
  });

  it("scaffold's baked command and a command suite's setup", () => {
    expect(playwright.plain("e2e/ --project=chromium")).toEqual(["npx", "--no-install", "playwright", "test", "--project=chromium", "e2e/"]);
    expect(playwright.commandSetup()).toEqual([
      `export INCLUSTER_PLAYWRIGHT_REPORT=/incluster/artifacts/${PLAYWRIGHT_REPORT} PLAYWRIGHT_JSON_OUTPUT_FILE=/incluster/artifacts/${PLAYWRIGHT_REPORT}`,
    ]);
  });

  it("with more than one project, each project's run is its own test, named [project] first", () => {
    const spec = (project: string, status: string) => ({ projectName: project, status, results: [{ status: status === "expected" ? "passed" : "failed", duration: 3, error: { message: "Error: boom" } }] });
    const doc = {
      config: { rootDir: "/workspace/e2e", projects: [{ name: "chromium" }, { name: "firefox" }] },
      suites: [{ title: "a.spec.ts", file: "a.spec.ts", specs: [{ title: "adds", line: 3, tests: [spec("chromium", "expected"), spec("firefox", "unexpected")] }] }],
      errors: [],
    };
    const r = parsePlaywrightReport(JSON.stringify(doc));
    expect(r.tests.map((t) => [t.id, t.status, t.message])).toEqual([
      ["[chromium] e2e/a.spec.ts > adds", "passed", undefined],
      ["[firefox] e2e/a.spec.ts > adds", "failed", "boom"],
    ]);
  });

  it("says what it cannot read; a timeout reads as Playwright says it", () => {
    expect(parsePlaywrightReport("")).toEqual({ tests: [], problem: "the playwright report is empty (the runner wrote no results)" });
    expect(parsePlaywrightReport("{\"config\":")).toEqual({ tests: [], problem: "the playwright report is not JSON (a run cut short?)" });
    expect(parsePlaywrightReport("{}").problem).toBe("the playwright report has no suites");
    expect(playwrightFailure("Test timeout of 15000ms exceeded.")).toEqual({ message: "Test timeout of 15000ms exceeded." });
  });
});
