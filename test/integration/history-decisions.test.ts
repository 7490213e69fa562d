// Issue 22 parts 3 and 5 on the real cluster: a quarantined test still runs and is reported, and
// does not fail the run (exit 0; its result, the ::warning annotation, the step summary, JUnit's
// <skipped message="quarantined: …">); after its `until` the run fails again (exit 1); the
// automatic policy from a seeded history; and a sharded suite split by the history's durations.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SuiteHistory } from "../../src/history/model.js";
import { balanceRatio } from "../../src/history/shards.js";
import { loadConfig, run } from "../../src/index.js";
import type { RunEvent, RunResult } from "../../src/index.js";
import { ADMIN_KUBECONFIG, ROOT, cli, requireCluster } from "./support/cli.js";
import { flakyHistory, historyRunOf } from "./support/history-seed.js";

const CONFIG = join(ROOT, "test/integration/fixtures/history.yaml");
const FAILS = "tests/e2e/test_quarantine.py::test_fails_on_purpose";
const PASSES = "tests/e2e/test_quarantine.py::test_passes";
const work = mkdtempSync(join(tmpdir(), "incluster-it-history-"));
beforeAll(() => {
  requireCluster();
  const commit = execFileSync("bash", [join(ROOT, "test/integration/support/fixture-repo.sh"), join(ROOT, "test/integration/fixtures/history-app"), "history-app"]);
  console.log(`[history] fixture repo history-app.git at ${commit.toString().trim()}`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const readResult = (dir: string) => JSON.parse(readFileSync(join(dir, "result.json"), "utf8")) as RunResult;

/** The library's run() with a seeded history, its report in the work dir. */
function runWithHistory(suite: string, histories: ReadonlyMap<string, SuiteHistory> | undefined, name: string, onEvent?: (e: RunEvent) => void) {
  const opts = { suites: [suite], kubeconfig: ADMIN_KUBECONFIG, reportDir: join(work, name), ...(histories ? { histories } : {}), ...(onEvent ? { onEvent } : {}) };
  return run(loadConfig({ path: CONFIG }), opts);
}

describe("quarantine that keeps the test running", () => {
  it("an explicit entry: exit 0, the failure reported as quarantined, a ::warning, the step summary, JUnit <skipped>", async () => {
    const dir = join(work, "explicit");
    const summary = join(work, "step-summary.md");
    const r = await cli(["-c", CONFIG, "run", "quarantined", "-o", "junit", "--report-dir", dir], { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary });
    const result = readResult(dir);
    const s = result.suites[0]!;
    const failed = s.tests?.find((t) => t.id === FAILS);
    const warning = r.stderr.split("\n").find((l) => l.startsWith("::warning"));
    const skipped = /<testcase name="test_fails_on_purpose"[^>]*>\s*<skipped message="([^"]*)"\/>\s*<system-out>([^<]*)/.exec(r.stdout);
    console.log(`[history] explicit quarantine: exit ${r.code}; suite ${s.verdict} (test container exit ${s.testExitCode}); ${FAILS}: ${failed?.status} (${JSON.stringify(failed?.quarantine)})`);
    console.log(`[history] annotation: ${warning}`);
    console.log(`[history] JUnit: <skipped message="${skipped?.[1]}"/>, system-out: ${JSON.stringify(skipped?.[2]?.split("\n")[0])}`);
    console.log(`[history] step summary: ${readFileSync(summary, "utf8").split("\n").find((l) => l.includes("quarantined:"))}`);
    expect(r.code).toBe(0);
    expect(s).toMatchObject({ verdict: "passed", exitCode: 0, testExitCode: 1 });
    expect(failed).toMatchObject({ status: "quarantined", quarantine: { reason: "JIRA-42 fails on purpose (until 2099-12-31)", outcome: "failed" } });
    expect(failed?.message).toContain("this test always fails");
    expect(s.tests?.find((t) => t.id === PASSES)?.status).toBe("passed");
    expect(warning).toMatch(/^::warning file=tests\/e2e\/test_quarantine.py,line=\d+,title=quarantined%3A .*\(quarantined\)::quarantined: JIRA-42/);
    expect(skipped?.[1]).toBe("quarantined: JIRA-42 fails on purpose (until 2099-12-31)");
    expect(skipped?.[2]).toContain("this test always fails");
    expect(r.stderr).toContain("QUARANTINED tests/e2e/test_quarantine.py::test_fails_on_purpose — failed (quarantined: JIRA-42");
  }, 180_000);

  it("the test.quarantined event in `--events -`: the test, what it did, the entry's reason and until, before the suite's verdict", async () => {
    const r = await cli(["-c", CONFIG, "run", "quarantined", "--events", "-", "--report-dir", join(work, "events")]);
    const events = r.stdout.split("\n").filter(Boolean).map((l) => JSON.parse(l) as RunEvent);
    const line = r.stdout.split("\n").find((l) => l.includes('"type":"test.quarantined"'));
    console.log(`[history] --events -: exit ${r.code}; ${events.length} events; ${line}`);
    expect(r.code).toBe(0);
    const q = events.filter((e) => e.type === "test.quarantined");
    expect(q).toEqual([
      expect.objectContaining({
        type: "test.quarantined",
        suite: "quarantined",
        test: FAILS,
        outcome: "failed",
        reason: "JIRA-42 fails on purpose (until 2099-12-31)",
        until: "2099-12-31",
        rule: "entry",
      }),
    ]);
    const types = events.map((e) => e.type);
    expect(types.indexOf("test.quarantined")).toBe(types.indexOf("suite.verdict") - 1);
  }, 180_000);

  it("an until in the past: the test counts again, exit 1, and the note says the quarantine ended", async () => {
    const dir = join(work, "expired");
    const r = await cli(["-c", CONFIG, "run", "quarantine-expired", "--report-dir", dir]);
    const s = readResult(dir).suites[0]!;
    const note = s.notes.find((n) => n.startsWith("quarantine of"));
    console.log(`[history] expired until: exit ${r.code}; suite ${s.verdict} (${s.class}); ${FAILS}: ${s.tests?.find((t) => t.id === FAILS)?.status}; note: ${note}`);
    expect(r.code).toBe(1);
    expect(s).toMatchObject({ verdict: "failed", class: "testsFailed" });
    expect(s.tests?.find((t) => t.id === FAILS)?.status).toBe("failed");
    expect(note).toBe(`quarantine of ${FAILS} ended 2026-01-31: it counts again (JIRA-42 fails on purpose)`);
  }, 180_000);

  it("the automatic policy: flaky in 6 of the last 20 runs (seeded) → quarantined, exit 0; 2 of 20 → not, exit 1", async () => {
    const seen: RunEvent[] = [];
    const flaky = await runWithHistory("auto-quarantine", new Map([["auto-quarantine", flakyHistory("auto-quarantine", FAILS, 6, 20, [PASSES])]]), "auto", (e) => seen.push(e));
    const t = flaky.suites[0]?.tests?.find((x) => x.id === FAILS);
    const event = seen.find((e) => e.type === "test.quarantined");
    console.log(`[history] auto, 6 of 20: exit ${flaky.exitCode}; ${FAILS}: ${t?.status} (${JSON.stringify(t?.quarantine)})`);
    console.log(`[history] auto, the event: ${JSON.stringify(event)}`);
    expect(flaky.exitCode).toBe(0);
    expect(t).toMatchObject({ status: "quarantined", quarantine: { reason: "flaky in 6 of the last 20 runs", outcome: "failed", rule: "auto" } });
    expect(event).toMatchObject({ suite: "auto-quarantine", test: FAILS, outcome: "failed", reason: "flaky in 6 of the last 20 runs", rule: "auto" });
    const rare = await runWithHistory("auto-quarantine", new Map([["auto-quarantine", flakyHistory("auto-quarantine", FAILS, 2, 20, [PASSES])]]), "auto-rare");
    console.log(`[history] auto, 2 of 20 (threshold 2): exit ${rare.exitCode}; ${FAILS}: ${rare.suites[0]?.tests?.find((x) => x.id === FAILS)?.status}`);
    expect(rare.exitCode).toBe(1);
  }, 240_000);
});

describe("new-flake detection", () => {
  it("a new test that fails 1 time in 3 is caught on its first run: flaky after 2 extra runs of only the new ids", async () => {
    const old = "tests/e2e/test_new.py::test_old";
    const fresh = "tests/e2e/test_new.py::test_new_flaky";
    const history: SuiteHistory = {
      suite: "new-tests",
      runs: [{ runId: "seed", startedAt: "2026-12-06T00:00:00Z", verdict: "passed", attempts: 1, durationMs: 1000, tests: [{ id: old, status: "passed", durationMs: 5 }] }],
    };
    const r = await runWithHistory("new-tests", new Map([["new-tests", history]]), "new-tests");
    const s = r.suites[0]!;
    const t = s.tests?.find((x) => x.id === fresh);
    console.log(`[history] new test: exit ${r.exitCode}; ${fresh}: ${t?.status}; attempts ${JSON.stringify(s.attempts?.map((a) => [a.attempt, a.verdict, a.rerunIds, a.newTests]))}`);
    console.log(`[history] note: ${s.notes.find((n) => n.includes("new flaky"))}`);
    expect(r.exitCode).toBe(0);
    expect(t?.status).toBe("flaky");
    expect(s.tests?.find((x) => x.id === old)?.status).toBe("passed");
    expect(s.attempts?.map((a) => [a.attempt, a.rerunIds, a.newTests])).toEqual([
      [1, undefined, undefined],
      [2, [fresh], true],
      [3, [fresh], true],
    ]);
    expect(s.notes).toContain(`1 new flaky test(s): not in the history, and did not pass every run: ${fresh}`);
  }, 240_000);
});

describe("shards balanced by time", () => {
  it("one test of 6 s and 24 of 0.5 s, 3 shards: round-robin without history, LPT from the first run's history", async () => {
    const ratio = (r: RunResult) => {
      const tests = r.suites[0]?.tests ?? [];
      const per = [0, 1, 2].map((i) => tests.filter((t) => t.shard === i).reduce((a, t) => a + t.durationMs, 0));
      return { per, ratio: balanceRatio(per, tests.map((t) => t.durationMs)), count: tests.length, ids: new Set(tests.map((t) => t.id)).size };
    };
    // An empty history, not the store's: once the store holds an earlier run of "uneven", the
    // first run would already be balanced.
    const first = await runWithHistory("uneven", new Map(), "uneven-1");
    const before = ratio(first);
    const history = { suite: "uneven", runs: [historyRunOf(first, "uneven")] };
    const second = await runWithHistory("uneven", new Map([["uneven", history]]), "uneven-2");
    const after = ratio(second);
    console.log(`[history] round-robin: shards ${before.per.map((ms) => `${(ms / 1000).toFixed(2)}s`).join(" / ")}, ratio ${before.ratio.toFixed(2)}`);
    console.log(`[history] by history: shards ${after.per.map((ms) => `${(ms / 1000).toFixed(2)}s`).join(" / ")}, ratio ${after.ratio.toFixed(2)}`);
    expect(first.exitCode).toBe(0);
    expect(second.exitCode).toBe(0);
    expect([before.count, before.ids, after.count, after.ids]).toEqual([25, 25, 25, 25]);
    expect(before.ratio).toBeGreaterThan(1.4);
    expect(after.ratio).toBeLessThanOrEqual(1.15);
  }, 300_000);
});
