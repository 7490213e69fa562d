// Issue 21 on the real cluster: node:test and go test suites with `runner:`, reaching the demo's
// context service by its DNS name. Each runs with retries: 1 (attempt 2 reruns only the failed
// tests, said by its log) and with shards: 2 (each test exactly once over the shards). The ids,
// statuses and messages are the adapters' parse of the runners' own reports, checked against
// what the runners printed in the same run.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../src/index.js";
import { ROOT, requireCluster, runJson } from "./support/cli.js";
import { loadPodmanEnv } from "./support/podman-env.js";

const CONFIG = join(ROOT, "test/integration/fixtures/runners/incluster.yaml");
let podmanEnv: Record<string, string> = {};
beforeAll(() => {
  requireCluster();
  podmanEnv = loadPodmanEnv();
});

type Suite = RunResult["suites"][number];
const log = (path: string | undefined) => (path ? readFileSync(join(ROOT, path), "utf8") : "");
const statuses = (s: Suite) => Object.fromEntries((s.tests ?? []).map((t) => [t.id, t.status]));
const byId = (s: Suite, id: string) => (s.tests ?? []).find((t) => t.id === id);
/** The commands a runner was started with in an attempt's log ("+ node --test …", "+ go test …"). */
const commands = (text: string, prefix: string) => text.split("\n").filter((l) => l.startsWith(`+ ${prefix}`));

async function run(suite: string): Promise<{ code: number | null; s: Suite }> {
  const r = await runJson(["-c", CONFIG, "run", suite, "-q", "--engine", "podman"], podmanEnv);
  const s = r.result.suites[0]!;
  console.log(`[runners] ${suite}: exit ${r.code}, ${s.verdict}${s.class ? ` (${s.class})` : ""}, ${s.tests?.length ?? 0} tests`);
  for (const t of s.tests ?? []) console.log(`[runners]   ${t.status.padEnd(7)} ${t.id}${t.message ? ` — ${t.message.split("\n").join(" | ")}` : ""}`);
  return { code: r.code, s };
}

describe("node:test (runner: node)", () => {
  const F = "tests/api/orders.test.mjs > orders";
  it("retries: 1: ids with their describe path, the assertion's message apart from its values, attempt 2 only the failed tests", async () => {
    const { code, s } = await run("node");
    expect(code).toBe(1);
    expect(statuses(s)).toEqual({
      [`${F} > reaches the context service`]: "passed",
      [`${F} > rejects an empty cart`]: "failed",
      [`${F} > refunds > settles on the second attempt`]: "flaky",
      "tests/api/users.test.mjs > users > rejects an empty cart": "passed",
      "tests/api/users.test.mjs > users > lists users": "passed",
    });
    const failed = byId(s, `${F} > rejects an empty cart`)!;
    expect(failed.message).toMatch(/^balance should be -5 after the refund\n/);
    expect(failed.message).toContain("expected: -5");
    expect(failed.message).toContain("actual: 0");
    const second = commands(log(s.attempts?.[1]?.logs["test-runner"]), "node --test");
    console.log(`[runners] node attempt 2: ${second.join(" ;; ")}`);
    expect(second.length).toBe(1);
    expect(second[0]).toContain("--test-name-pattern=^orders (?:> )?rejects an empty cart$");
    expect(second[0]).toContain("tests/api/orders.test.mjs");
    expect(second[0]).not.toContain("users.test.mjs");
    // What node's spec reporter printed in attempt 1: the same counts as the parsed report.
    const first = log(s.attempts?.[0]?.logs["test-runner"]);
    expect(/ℹ pass (\d+)/.exec(first)?.[1]).toBe("3");
    expect(/ℹ fail (\d+)/.exec(first)?.[1]).toBe("2");
  });

  it("shards: 2: each test once over the two pods", async () => {
    const { code, s } = await run("node-shards");
    expect(code).toBe(1);
    expect(s.shards?.length).toBe(2);
    expect(s.tests?.length).toBe(5);
    let ran = 0;
    for (const sh of s.shards ?? []) ran += Number(/ℹ tests (\d+)/.exec(log(s.logs[`test-runner#${sh.index}`]))?.[1] ?? 0);
    console.log(`[runners] node shards: ${s.shards?.map((x) => x.verdict).join(", ")}; tests run over the shards ${ran}`);
    expect(ran).toBe(5);
  });
});

/** Jest and Vitest: the same project, the same three kinds of test, files under tests/<runner>/. */
for (const [runner, ext, cmd] of [["jest", "cjs", "jest"], ["vitest", "mjs", "vitest run"]] as const) {
  describe(`${runner} (runner: ${runner})`, () => {
    const F = `tests/${runner}/orders.test.${ext} > orders`;
    it("retries: 1: ids with their describe path, expected/actual apart, attempt 2 only the failed tests", async () => {
      const { code, s } = await run(runner);
      expect(code).toBe(1);
      expect(statuses(s)).toEqual({
        [`${F} > reaches the context service`]: "passed",
        [`${F} > rejects an empty cart`]: "failed",
        [`${F} > refunds > settles on the second attempt`]: "flaky",
        [`tests/${runner}/users.test.${ext} > users > rejects an empty cart`]: "passed",
        [`tests/${runner}/users.test.${ext} > users > lists users`]: "passed",
      });
      const failed = byId(s, `${F} > rejects an empty cart`)!;
      if (runner === "vitest") expect(failed.message).toMatch(/^balance should be -5 after the refund/);
      expect(failed.message).toContain("expected: -5");
      expect(failed.message).toMatch(/actual: \+?0/);
      const second = commands(log(s.attempts?.[1]?.logs["test-runner"]), cmd);
      console.log(`[runners] ${runner} attempt 2: ${second.join(" ;; ")}`);
      expect(second.length).toBe(1);
      expect(second[0]).toContain("-t '^(?:orders (?:> )?rejects an empty cart|orders (?:> )?refunds (?:> )?settles on the second attempt)$'");
      expect(second[0]).toContain(`tests/${runner}/orders.test.${ext}`);
      expect(second[0]).not.toContain("users.test");
    });

    it("shards: 2: each test once over the two pods", async () => {
      const { code, s } = await run(`${runner}-shards`);
      expect(code).toBe(1);
      expect(s.shards?.length).toBe(2);
      expect(s.tests?.length).toBe(5);
      const files = (s.shards ?? []).map((sh) => [...log(s.logs[`test-runner#${sh.index}`]).matchAll(/(users|orders)\.test\.[cm]js/g)].map((m) => m[1]));
      const per = files.map((f) => [...new Set(f)].sort());
      console.log(`[runners] ${runner} shards: ${per.map((f, i) => `shard ${i}: ${f.join(", ") || "none"}`).join("; ")}`);
      expect(per.flat().sort()).toEqual(["orders", "users"]);
    });
  });
}

describe("go test (runner: go)", () => {
  const P = "example.com/shop/orders";
  it("retries: 1: package + TestX/sub ids, t.Errorf's message, attempt 2 -run of only the failed tests", async () => {
    const { code, s } = await run("go");
    expect(code).toBe(1);
    expect(statuses(s)).toMatchObject({
      [`${P} TestContextHealth`]: "passed",
      [`${P} TestTotal/plain`]: "passed",
      [`${P} TestTotal/with_coupon`]: "failed",
      [`${P} TestSettlesOnSecondAttempt`]: "flaky",
      "example.com/shop/ledger TestBalance": "passed",
      "example.com/shop/ledger TestEntries": "passed",
    });
    expect(byId(s, `${P} TestTotal/with_coupon`)?.message).toContain("total = 200, want 180");
    const second = commands(log(s.attempts?.[1]?.logs["test-runner"]), "go test");
    console.log(`[runners] go attempt 2: ${second.join(" ;; ")}`);
    expect(second.join("\n")).toContain("-count=1");
    expect(second.join("\n")).toMatch(/-run '\^TestTotal\$\/\^\(with_coupon\)\$'/);
    expect(second.join("\n")).toMatch(/TestSettlesOnSecondAttempt/);
    expect(second.join("\n")).not.toContain("ledger");
    // go test's own verdict lines in attempt 1 match the parse.
    const first = log(s.attempts?.[0]?.logs["test-runner"]);
    expect(first).toMatch(/--- FAIL: TestTotal\/with_coupon/);
    expect(first).toMatch(/--- PASS: TestContextHealth/);
  });

  it("shards: 2: each test once over the two pods", async () => {
    const { code, s } = await run("go-shards");
    expect(code).toBe(1);
    expect(s.shards?.length).toBe(2);
    const top = new Map<string, number>();
    for (const sh of s.shards ?? []) {
      for (const m of log(s.logs[`test-runner#${sh.index}`]).matchAll(/^--- (?:PASS|FAIL): (Test\w+) /gm)) top.set(m[1]!, (top.get(m[1]!) ?? 0) + 1);
    }
    console.log(`[runners] go shards: ${[...top].map(([k, v]) => `${k}×${v}`).join(", ")}`);
    expect([...top.keys()].sort()).toEqual(["TestBalance", "TestContextHealth", "TestEntries", "TestSettlesOnSecondAttempt", "TestTotal"]);
    expect([...top.values()].every((n) => n === 1)).toBe(true);
  });
});

/** Playwright's own JSON report of an attempt (its artifacts): each test's outcome by its title path, and its stats. */
function playwrightOwn(dir: string | undefined): { outcomes: Record<string, string>; stats: Record<string, number> } {
  const doc = JSON.parse(readFileSync(resolve(ROOT, dir ?? "none", "playwright-report.json"), "utf8")) as PwSuite & { suites: PwSuite[]; stats: Record<string, number> };
  const outcomes: Record<string, string> = {};
  const walk = (s: PwSuite, file: string, path: string[]) => {
    for (const spec of s.specs ?? []) for (const t of spec.tests) outcomes[[`tests/${file}`, ...path, spec.title].join(" > ")] = t.status;
    for (const c of s.suites ?? []) walk(c, file, [...path, c.title]);
  };
  for (const f of doc.suites) walk(f, f.file!, []);
  return { outcomes, stats: doc.stats };
}
interface PwSuite { title: string; file?: string; specs?: { title: string; tests: { status: string }[] }[]; suites?: PwSuite[] }

describe("playwright (runner: playwright, Debian's chromium)", () => {
  const F = "tests/e2e/orders.spec.js > orders";
  const U = "tests/e2e/users.spec.js > users";
  it("retries: 1: ids with their describe path, expect's message then expected/actual, Playwright's own flaky, attempt 2 only the failed tests", async () => {
    const { code, s } = await run("playwright");
    expect(code).toBe(1);
    expect(statuses(s)).toEqual({
      [`${F} > reaches the context service`]: "passed",
      [`${F} > rejects an empty cart`]: "failed",
      [`${F} > refunds > settles on the second attempt`]: "flaky",
      [`${F} > retried > passes on its own retry`]: "flaky",
      [`${U} > rejects an empty cart`]: "passed",
      [`${U} > shows a story in chromium`]: "passed",
    });
    const failed = byId(s, `${F} > rejects an empty cart`)!;
    expect(failed.message).toBe("balance should be -5 after the refund\nexpect(received).toBe(expected) // Object.is equality\nexpected: -5\nactual: 0");
    expect(failed).toMatchObject({ file: "tests/e2e/orders.spec.js", line: 15 });
    const second = log(s.attempts?.[1]?.logs["test-runner"]);
    const cmds = commands(second, "playwright test");
    console.log(`[runners] playwright attempt 2: ${cmds.join(" ;; ")}`);
    expect(cmds.length).toBe(1);
    expect(cmds[0]).toContain("orders\\.spec\\.js orders (?:> )?rejects an empty cart(?: @\\S+)*$|");
    expect(cmds[0]).toContain("orders\\.spec\\.js orders (?:> )?refunds (?:> )?settles on the second attempt(?: @\\S+)*$/'");
    expect(cmds[0]).toMatch(/ 'tests\/e2e\/orders\\\.spec\\\.js'$/);
    expect(cmds[0]).not.toContain("users");
    expect(second).toMatch(/Running 2 tests using 1 worker/);
    // The parse equals Playwright's own report, attempt by attempt.
    const own1 = playwrightOwn(s.attempts?.[0]?.artifactsDir);
    expect(own1.stats).toMatchObject({ expected: 3, unexpected: 2, flaky: 1, skipped: 0 });
    expect(Object.keys(own1.outcomes).sort()).toEqual(Object.keys(statuses(s)).sort());
    const own2 = playwrightOwn(s.attempts?.[1]?.artifactsDir);
    expect(own2.outcomes).toEqual({ [`${F} > rejects an empty cart`]: "unexpected", [`${F} > refunds > settles on the second attempt`]: "expected" });
    const own = { ...own1.outcomes, ...own2.outcomes };
    const as = { expected: "passed", unexpected: "failed", flaky: "flaky", skipped: "skipped" } as Record<string, string>;
    // A test unexpected in attempt 1 and expected in attempt 2 is flaky over the attempts: the rest read as Playwright said.
    expect(Object.fromEntries(Object.entries(own).map(([id, o]) => [id, id.endsWith("settles on the second attempt") ? "flaky" : as[o]]))).toEqual(statuses(s));
  });

  it("shards: 2: Playwright's --shard, by test (fullyParallel): each test once over the two pods", async () => {
    const { code, s } = await run("playwright-shards");
    expect(code).toBe(1);
    expect(s.shards?.length).toBe(2);
    expect(s.tests?.length).toBe(6);
    const ran = (s.shards ?? []).map((sh) => {
      const text = log(s.logs[`test-runner#${sh.index}`]);
      // The list reporter's lines: "  ✓  1 tests/e2e/orders.spec.js:10:3 › orders › … (12ms)"; a retry of the same test says "(retry #1)".
      return [...new Set([...text.matchAll(/^\s+[✓✘-]\s+\d+ (tests\/e2e\/\S+?):\d+:\d+ › (.+?)(?: \(retry #\d+\))?(?: \(\d+(?:\.\d+)?m?s\))?$/gm)].map((m) => `${m[1]} › ${m[2]}`))];
    });
    console.log(`[runners] playwright shards: ${ran.map((r, i) => `shard ${i}: ${r.length} tests`).join("; ")}`);
    expect(ran.every((r) => r.length > 0)).toBe(true);
    expect(ran.flat().length).toBe(6);
    expect(new Set(ran.flat()).size).toBe(6);
  });
});
