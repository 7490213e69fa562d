// The go test adapter on real output: the fixture modules (test/fixtures/runners/go, go-broken)
// run by go test through the adapter's own lines (reports/, recorded by record.ts), and run live
// here: attempt 1, attempt 2 with the failed ids; the awk programs against go's own output.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { failedIds, mergeAttempts, splitForShard } from "../../../src/results/merge.js";
import { parseReport } from "../../../src/results/report.js";
import { lptSplit } from "../../../src/history/shards.js";
import { GO_LIST_AWK, GO_LPT_AWK, GO_OUTPUT_AWK, GO_PLAN_AWK, GO_WEIGH_AWK } from "../../../src/runners/go-awk.js";
import { go, goRunPatterns, parseGoReport, splitGoId } from "../../../src/runners/go.js";
import { FIXTURES, runLines } from "./run-lines.js";

const REPORTS = join(FIXTURES, "reports");
const report = (name: string) => readFileSync(join(REPORTS, name), "utf8");
const tests = (name: string) => parseReport("go", report(name)).tests;
const awk = (program: string, input: string, vars: string[] = []) => execFileSync("awk", [...vars, program], { input, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });

const CART = "example.com/shop/cart";
const LEDGER = "example.com/shop/ledger";
const ALL_IDS = [`${CART} TestEmpty`, `${CART} TestCoupon/ten_percent`, `${CART} TestCoupon/above_100`, `${CART} TestFlaky`, `${LEDGER} TestBalance`, `${LEDGER} TestCoupon/ten_percent`, `${LEDGER} Example`];

describe("the go test -json report (recorded)", () => {
  const first = tests("go-attempt1.json");

  it("names each test `<package> <Test/sub>`: unique across packages; a parent whose subtest failed is reported through the subtest", () => {
    expect(first.map((t) => t.id)).toEqual(ALL_IDS);
    expect(first.map((t) => t.status)).toEqual(["passed", "passed", "failed", "failed", "failed", "passed", "passed"]);
    expect(first[2]).toMatchObject({ name: "TestCoupon/above_100", classname: CART });
  });

  it("the failure is the test's own t.Errorf line (after its t.Log lines), the text its output", () => {
    expect(first[2]?.message).toBe('cart_test.go:23: total = 200, want 180 <after coupon> & "tax"');
    const balance = first[4]!;
    expect(balance.message).toBe("ledger_test.go:12: balance should be -5 after the refund: got 0");
    expect(balance.text).toBe("ledger_test.go:10: refund applied → checking balance\nledger_test.go:12: balance should be -5 after the refund: got 0");
  });

  it("a package that does not build is one error named by the package, with the compiler's words", () => {
    const broken = tests("go-broken-attempt1.json");
    expect(broken).toEqual([
      {
        id: "example.com/broken/store",
        name: "example.com/broken/store",
        classname: "example.com/broken/store",
        status: "error",
        durationMs: 0,
        message: 'build failed: store/store_test.go:6:14: cannot use "not a number" (untyped string constant) as int value in variable declaration',
        text: expect.stringContaining("FAIL\texample.com/broken/store [build failed]"),
      },
    ]);
    expect(report("go-broken-attempt2.log").split("\n")[0]).toBe("+ go test -json -count=1 example.com/broken/store");
  });

  it("attempt 2 ran each package's failed tests with anchored -run patterns and -count=1: the flaky one is flaky", () => {
    const ids = failedIds(first);
    expect(ids).toEqual([`${CART} TestCoupon/above_100`, `${CART} TestFlaky`, `${LEDGER} TestBalance`]);
    expect(report("go-attempt2.log").split("\n").filter((l) => l.startsWith("+ "))).toEqual([
      `+ go test -json -count=1 -run '^TestCoupon$/^(above_100)$' ${CART}`,
      `+ go test -json -count=1 -run '^(TestFlaky)$' ${CART}`,
      `+ go test -json -count=1 -run '^(TestBalance)$' ${LEDGER}`,
    ]);
    const second = tests("go-attempt2.json");
    expect(second.map((t) => [t.id, t.status])).toEqual([[`${CART} TestCoupon/above_100`, "failed"], [`${CART} TestFlaky`, "passed"], [`${LEDGER} TestBalance`, "failed"]]);
    const merged = Object.fromEntries(mergeAttempts([first, second]).map((t) => [t.id, t.status]));
    expect(merged).toMatchObject({ [`${CART} TestFlaky`]: "flaky", [`${LEDGER} TestBalance`]: "failed" });
  });

  it("shards by test from go test -list: every test in exactly one shard, split as splitForShard splits", () => {
    const shards = [0, 1].map((i) => tests(`go-shard${i}of2.json`).map((t) => t.id));
    expect(shards.flat().sort()).toEqual([...ALL_IDS].sort());
    expect(report("go-shard0of2.log")).toContain("go test shard 0 of 2: 3 of 6 tests");
    const listed = [`${CART} TestCoupon`, `${CART} TestEmpty`, `${CART} TestFlaky`, `${LEDGER} Example`, `${LEDGER} TestBalance`, `${LEDGER} TestCoupon`];
    expect(splitForShard(listed, 0, 2)).toEqual([`${CART} TestCoupon`, `${CART} TestFlaky`, `${LEDGER} TestBalance`]);
    expect(report("go-shard0of2.log").split("\n").filter((l) => l.startsWith("+ go test -json"))).toEqual([
      `+ go test -json -count=1 -run '^(TestCoupon|TestFlaky)$' ${CART}`,
      `+ go test -json -count=1 -run '^(TestBalance)$' ${LEDGER}`,
    ]);
  });
});

describe("the go adapter's awk programs", () => {
  it("print go test -json as go test -v prints it: the recorded log is the recorded report's Output", () => {
    const printed = awk(GO_OUTPUT_AWK, report("go-attempt1.json"));
    expect(printed).toBe(report("go-attempt1.log").split("\n").slice(1).join("\n"));
    expect(printed).toContain('cart_test.go:23: total = 200, want 180 <after coupon> & "tax"\n');
  });

  it("decode every escape go's encoder writes, and pass other lines through", () => {
    const line = String.raw`{"Action":"output","Output":"a\u2028b\ufffd\u003c\u00e9 \\ \"q\"\tz\n"}`;
    expect(awk(GO_OUTPUT_AWK, `${line}\ngo: downloading example.com/x v1.0.0\n{"Action":"pass"}\n`)).toBe('a\u2028b\ufffd<é \\ "q"\tz\ngo: downloading example.com/x v1.0.0\n');
  });

  it("list, split and plan a shard as the engine's split does (sorted by code point, round-robin)", () => {
    const listing = `TestEmpty\nTestCoupon\nTestFlaky\nBenchmarkTotal\nok  \t${CART}\t0.002s\nTestBalance\nExample\nok  \t${LEDGER}\t0.003s\n?   \texample.com/shop/cmd\t[no test files]\nFAIL\texample.com/shop/broken [build failed]\nFAIL\n`;
    const ids = awk(GO_LIST_AWK, listing).trim().split("\n");
    expect(ids).toEqual([`${CART} TestEmpty`, `${CART} TestCoupon`, `${CART} TestFlaky`, `${LEDGER} TestBalance`, `${LEDGER} Example`, "example.com/shop/broken"]);
    const sorted = execFileSync("sort", ["-u"], { input: `${ids.join("\n")}\n`, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
    for (const index of [0, 1, 2]) {
      const mine = awk("(NR - 1) % n == i", sorted, ["-v", `i=${index}`, "-v", "n=3"]);
      expect(mine.trim().split("\n")).toEqual(splitForShard(ids, index, 3));
    }
    expect(awk(GO_PLAN_AWK, `example.com/shop/broken\n${CART} TestCoupon\n${CART} TestFlaky\n${LEDGER} Example\n`)).toBe(
      `example.com/shop/broken\n${CART} ^(TestCoupon|TestFlaky)$\n${LEDGER} ^(Example)$\n`,
    );
  });
});

describe("a go shard balanced by the run history (by test)", () => {
  const unitOf = (id: string) => (go.shardBalance?.by === "test" ? go.shardBalance.unitOf?.(id) : undefined);

  it("weighs each (package, test) by its median (a new one by the suite's), and splits as lptSplit does", () => {
    const ids = [`${CART} TestA`, `${CART} TestB`, `${CART} TestÉté`, `${LEDGER} TestA`, `${LEDGER} TestNew`, "example.com/shop/broken", ...Array.from({ length: 6 }, (_, k) => `${LEDGER} TestS${k}`)];
    const d: Record<string, number> = { [`${CART} TestA`]: 6000, [`${CART} TestB`]: 500, [`${CART} TestÉté`]: 500, [`${LEDGER} TestA`]: 2500 };
    for (let k = 0; k < 6; k++) d[`${LEDGER} TestS${k}`] = 500;
    const weights = JSON.stringify({ d, m: 500 });
    const sorted = execFileSync("sort", ["-u"], { input: `${ids.join("\n")}\n`, encoding: "utf8", env: { ...process.env, LC_ALL: "C" } });
    const want = lptSplit(ids, 3, (id) => d[id] ?? 500);
    for (const index of [0, 1, 2]) {
      const dir = mkdtempSync(join(tmpdir(), "incluster-go-lpt-"));
      try {
        const out = join(dir, "mine");
        const pipeline = `LC_ALL=C awk "$WEIGH" | LC_ALL=C sort -t "$(printf '\\t')" -k1,1nr -k2 | LC_ALL=C awk -F '\\t' -v i=${index} -v n=3 -v out="$OUT" "$LPT"`;
        const printed = execFileSync("sh", ["-c", pipeline], {
          input: sorted,
          encoding: "utf8",
          env: { ...process.env, WEIGH: GO_WEIGH_AWK, LPT: GO_LPT_AWK, OUT: out, INCLUSTER_SHARD_WEIGHTS: weights },
        });
        let mine: string[] = [];
        try {
          mine = readFileSync(out, "utf8").split("\n").filter(Boolean).sort();
        } catch {
          // this shard got nothing
        }
        expect(mine).toEqual([...want.shards[index]!].sort());
        expect(printed).toMatch(new RegExp(`^go test shard ${index} of 3: ${mine.length} of 12 tests, ${(want.loads[index]! / 1000).toFixed(1)}s of 13.5s`));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it("a test weighs the sum of its subtests (unitOf); a package that failed whole is itself", () => {
    expect(unitOf(`${CART} TestCoupon/above_100`)).toBe(`${CART} TestCoupon`);
    expect(unitOf(`${CART} TestEmpty`)).toBe(`${CART} TestEmpty`);
    expect(unitOf("example.com/shop/broken")).toBe("example.com/shop/broken");
  });

  it("live on the fixture module: each shard runs the tests lptSplit gives it, every test once", () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const project = join(FIXTURES, "go");
      const d: Record<string, number> = { [`${CART} TestCoupon`]: 4000, [`${LEDGER} TestBalance`]: 3000, [`${LEDGER} TestCoupon`]: 2000 };
      const units = [...new Set(ALL_IDS.map((id) => unitOf(id)!))];
      const want = lptSplit(units, 3, (u) => d[u] ?? 100).shards;
      const env = { INCLUSTER_SHARD_WEIGHTS: JSON.stringify({ d, m: 100 }) };
      const runs = [0, 1, 2].map((index) => runLines(go, "./...", { sharded: true }, { project, flakyDir, env, shard: { index, count: 3 } }));
      const got = runs.map((r) => parseReport("go", r.report).tests.map((t) => t.id));
      console.log(`[go shards] ${runs.map((r) => /go test shard .*/.exec(r.log)?.[0]).join(" | ")}`);
      expect(got.map((ids) => [...new Set(ids.map((id) => unitOf(id)!))].sort())).toEqual(want.map((s) => [...s].sort()));
      expect(got.flat().sort()).toEqual([...ALL_IDS].sort());
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the go adapter, live", () => {
  it("runs the fixture module through its own lines, then reruns exactly the failed tests (a flaky one passes)", () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const project = join(FIXTURES, "go");
      const first = runLines(go, "./...", {}, { project, flakyDir });
      expect(first.status).toBe(1);
      expect(first.log).toContain("--- FAIL: TestCoupon/above_100");
      const a1 = parseReport("go", first.report).tests;
      expect(a1.map((t) => t.id)).toEqual(ALL_IDS);
      const second = runLines(go, "./...", { rerun: failedIds(a1) }, { project, flakyDir });
      expect(second.status).toBe(1);
      expect(parseReport("go", second.report).tests.map((t) => [t.id, t.status])).toEqual([
        [`${CART} TestCoupon/above_100`, "failed"],
        [`${CART} TestFlaky`, "passed"],
        [`${LEDGER} TestBalance`, "failed"],
      ]);
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the go adapter's lines", () => {
  it("takes package patterns and go test flags; refuses a file, a node id, its own flags, naming the field's value", () => {
    for (const ok of ["./...", "./e2e/...", ".", "example.com/shop/...", "-tags=e2e ./e2e/...", "-race -timeout=5m ./..."]) expect(go.validateTarget(ok), ok).toBeUndefined();
    expect(go.validateTarget("x.py")).toBe('go test takes package patterns like ./... or ./pkg/..., not a file path "x.py"');
    expect(go.validateTarget("./cart/cart_test.go")).toBe('go test takes package patterns like ./... or ./pkg/..., not a file path "./cart/cart_test.go"');
    expect(go.validateTarget("tests/x.py::test_y")).toMatch(/not a pytest node id/);
    expect(go.validateTarget("e2e")).toBe('go test takes package patterns like ./... or ./pkg/..., not a bare name "e2e"');
    expect(go.validateTarget("./... -run=TestX")).toMatch(/^incluster sets -run itself/);
    expect(go.validateTarget("-count=3")).toMatch(/^incluster sets -count itself/);
  });

  it("a subtest reruns by its parent's and its own anchored names; the leaves of one parent share a run", () => {
    expect(goRunPatterns(["TestA", "TestB"])).toEqual(["^(TestA|TestB)$"]);
    expect(goRunPatterns(["TestA/x_y", "TestA/z", "TestB/c/d", "TestC"])).toEqual(["^TestA$/^(x_y|z)$", "^TestB$/^c$/^(d)$", "^(TestC)$"]);
    expect(goRunPatterns(["TestA/a.b+c"])).toEqual(["^TestA$/^(a\\.b\\+c)$"]);
    expect(splitGoId("example.com/x TestA/b")).toEqual({ pkg: "example.com/x", test: "TestA/b" });
  });

  it("flags from the target go on every go test it runs; the first attempt never takes a cached result", () => {
    expect(go.script("-tags=e2e ./e2e/...").at(-2)).toBe("gotest -tags=e2e -count=1 ./e2e/...");
    expect(go.script("-tags=e2e ./e2e/...", { rerun: ["example.com/e2e TestX"] }).at(-2)).toBe("gotest -tags=e2e -count=1 -run '^(TestX)$' example.com/e2e");
    expect(go.script("").at(-2)).toBe("gotest -count=1 ./...");
  });

  it("reads a report with lines that are not JSON: the tests it can, and a problem", () => {
    const r = parseGoReport('{"Action":"pass","Package":"p","Test":"TestA","Elapsed":0.5}\nnot json\n');
    expect(r).toEqual({ tests: [{ id: "p TestA", name: "TestA", classname: "p", status: "passed", durationMs: 500 }], problem: "1 line of the go test -json report could not be read" });
  });
});
