// Shards balanced by time, pure: medians from the history, LPT's split, the bench case,
// shards: auto, file weights, and the pods' Python split (SHARD_PY) against the reference.
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SuiteHistory } from "../../../src/history/model.js";
import { autoShardCount, balanceRatio, fileWeights, fitWeights, lptSplit, shardWeights, weightOf } from "../../../src/history/shards.js";
import { splitForShard } from "../../../src/results/merge.js";
import { SHARD_PY } from "../../../src/runners/pytest.js";
import { shardPlan } from "../../../src/run/shard-plan.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import type { Config } from "../../../src/config/schema.js";

/** The suite: one test of 6 s and 24 of 0.5 s. */
const LONG = "tests/test_uneven.py::test_long";
const shorts = Array.from({ length: 24 }, (_, n) => `tests/test_uneven.py::test_short[${n}]`);
const ids = [LONG, ...shorts];
const ms = (id: string) => (id === LONG ? 6000 : 500);

function runs(...durations: Record<string, number>[]): SuiteHistory {
  return {
    suite: "s",
    runs: durations.map((d, i) => ({
      runId: `r${i}`,
      startedAt: "2026-12-07T00:00:00Z",
      verdict: "passed",
      attempts: 1,
      durationMs: 0,
      tests: Object.entries(d).map(([id, durationMs]) => ({ id, status: "passed" as const, durationMs })),
    })),
  };
}

const shardTimes = (shards: string[][]) => shards.map((s) => s.reduce((a, id) => a + ms(id), 0));

describe("the split", () => {
  it("the issue's suite, 3 shards: round-robin is ~1.67× the lower bound, LPT 1.0×", () => {
    const rr = [0, 1, 2].map((i) => splitForShard(ids, i, 3));
    const lpt = lptSplit(ids, 3, ms);
    const times = ids.map(ms);
    expect(balanceRatio(shardTimes(rr), times)).toBeCloseTo(10 / 6, 2);
    expect(balanceRatio(shardTimes(lpt.shards), times)).toBe(1);
    expect(lpt.loads).toEqual([6000, 6000, 6000]);
    expect(lpt.shards.flat().sort()).toEqual([...ids].sort());
  });

  it("weights: each test's median over its runs; a test not seen weighs the suite's median", () => {
    const w = shardWeights(runs({ a: 100, b: 10 }, { a: 300, b: 20 }, { a: 200, b: 30, c: 5 }))!;
    expect(w.durations).toEqual({ a: 200, b: 20, c: 5 });
    expect(w.defaultMs).toBe(20);
    expect(weightOf(w)("new")).toBe(20);
    expect(shardWeights(undefined)).toBeUndefined();
  });

  it("runners that shard by file: a file weighs the sum of its tests in the newest run that ran it", () => {
    // Newest first: a.js lost its test y (renamed to y2), b.js ran only in the older run, c.js's test was skipped.
    const h = runs({ "a.js > x": 100, "a.js > y2": 70, "c.js > s": 0 }, { "a.js > x": 100, "a.js > y": 50, "b.js > z": 10, "c.js > s": 40 });
    h.runs[0]!.tests.find((t) => t.id === "c.js > s")!.status = "skipped";
    const f = fileWeights(h, shardWeights(h)!, (id) => id.split(" > ")[0]);
    expect(f.durations).toEqual({ "a.js": 170, "b.js": 10, "c.js": 0 });
    expect(f.defaultMs).toBe(10);
  });

  it("too many weights for the pods' environment: the heaviest are kept", () => {
    const w = { durations: { a: 1, b: 5000, c: 300 }, defaultMs: 300 };
    const fit = fitWeights(w, `{"d":{"b":5000,"c":300},"m":300}`.length);
    expect(fit).toEqual({ weights: { durations: { b: 5000, c: 300 }, defaultMs: 300 }, dropped: 1 });
  });
});

describe("shards: auto", () => {
  it("enough shards for the target, within max; 1 without history", () => {
    const h = runs(Object.fromEntries(ids.map((id) => [id, ms(id)])));
    const w = shardWeights(h);
    expect(autoShardCount(h, w, 6000, 10)).toBe(3);
    expect(autoShardCount(h, w, 1000, 10)).toBe(10);
    expect(autoShardCount(undefined, undefined, 6000, 10)).toBe(1);
  });

  it("the engine's plan: count and weights from the history, with notes", () => {
    const config = {
      apiVersion: "incluster.dev/v1alpha1",
      kind: "Config",
      source: {},
      defaults: { image: "x:1" },
      suites: { s: { test: "tests", shards: "auto", targetDuration: "6s", maxShards: 4 } },
    } as unknown as Config;
    const suite = resolveSuite(config, "s");
    const h = runs(Object.fromEntries(ids.map((id) => [id, ms(id)])));
    const p = shardPlan(suite, h);
    expect(p.suite.shards).toBe(3);
    expect(p.suite.shardWeights?.durations[LONG]).toBe(6000);
    expect(p.notes[0]).toBe("shards: auto → 3 (its last run's tests take 18.0s by their median times; target 6.0s a shard, at most 4)");
    expect(shardPlan(suite, undefined)).toEqual({ suite: { ...suite, autoShards: suite.autoShards }, notes: ["shards: auto → 1 (no run history yet)"] });
  });

  it("a runner that shards by file (vitest, jest, node) gets file weights, go its tests' (subtests summed); a command suite none", () => {
    const config = {
      apiVersion: "incluster.dev/v1alpha1",
      kind: "Config",
      source: {},
      defaults: { image: "x:1" },
      suites: {
        v: { runner: "vitest", test: "tests/", shards: 3 },
        g: { runner: "go", test: "./...", shards: 3 },
        c: { command: ["make", "e2e"], runner: "vitest", shards: 3 },
      },
    } as unknown as Config;
    const h = runs({ "tests/long.test.mjs > long": 6000, ...Object.fromEntries(Array.from({ length: 4 }, (_, k) => [`tests/s${k}.test.mjs > t`, 500])) });
    const v = shardPlan(resolveSuite(config, "v"), h);
    expect(v.suite.shardWeights).toEqual({ durations: { "tests/long.test.mjs": 6000, ...Object.fromEntries([0, 1, 2, 3].map((k) => [`tests/s${k}.test.mjs`, 500])) }, defaultMs: 500 });
    expect(v.notes).toEqual(["shards balanced by time: 5 file(s) by the sum of their tests' median times, others by the median file's (0.5s)"]);
    expect(shardPlan(resolveSuite(config, "c"), h).suite.shardWeights).toBeUndefined();
    const g = shardPlan(resolveSuite(config, "g"), runs({ "ex/cart TestA/x": 100, "ex/cart TestA/y": 50, "ex/cart TestB": 10 }));
    expect(g.suite.shardWeights).toEqual({ durations: { "ex/cart TestA": 150, "ex/cart TestB": 10 }, defaultMs: 80 });
    expect(g.notes).toEqual(["shards balanced by time: 2 test(s) by their median times, others by the suite's median (0.1s)"]);
    expect(shardPlan(resolveSuite(config, "v"), undefined).suite.shardWeights).toBeUndefined();
  });
});

describe("every shard's pod computes the reference split (SHARD_PY)", () => {
  it("the same ids per shard as lptSplit, a new test in exactly one shard; round-robin without weights", () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-shard-py-"));
    // A fake pytest: --collect-only prints the ids; a run prints the ids it was given.
    const all = [...ids, "tests/test_uneven.py::test_new"];
    writeFileSync(join(dir, "pytest.py"), [
      "import sys",
      `IDS = ${JSON.stringify(all)}`,
      "if '--collect-only' in sys.argv: print('\\n'.join(IDS))",
      "else: print('RAN ' + ' '.join(a for a in sys.argv[1:] if '::' in a))",
    ].join("\n"));
    const weights = { d: Object.fromEntries(ids.map((id) => [id, ms(id)])), m: 500 };
    const ran = (i: number, env: Record<string, string>) => {
      const out = execFileSync("python3", ["-c", SHARD_PY.replace(/"-m", "pytest"/g, `"${join(dir, "pytest.py")}"`), "tests"], {
        env: { ...process.env, INCLUSTER_SHARD_INDEX: String(i), INCLUSTER_SHARD_COUNT: "3", ...env },
      }).toString();
      return (/RAN (.*)/.exec(out)?.[1] ?? "").split(" ").filter(Boolean);
    };
    const want = lptSplit(all, 3, (id) => weights.d[id] ?? weights.m).shards;
    const got = [0, 1, 2].map((i) => ran(i, { INCLUSTER_SHARD_WEIGHTS: JSON.stringify(weights) }));
    expect(got).toEqual(want);
    expect(got.flat().filter((id) => id.endsWith("test_new"))).toHaveLength(1);
    expect([0, 1, 2].map((i) => ran(i, {}))).toEqual([0, 1, 2].map((i) => splitForShard(all, i, 3)));
  }, 60_000);
});
