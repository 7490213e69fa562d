// Issue 22 part 5 for the runners that shard only by file, on the real cluster: a Vitest suite of
// one 6 s file and 24 of 0.5 s (fixtures/file-shards-app), shards: 3, run twice through the CLI
// with one history folder (--history dir:…): the first run has no history (Vitest's own --shard),
// the second reads the first's record and splits the files longest-first by their tests' median
// times. The balance is read from -o json's per-test `shard` and `durationMs`.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { balanceRatio } from "../../src/history/shards.js";
import type { RunResult } from "../../src/index.js";
import { ROOT, requireCluster, runJson, savedLog } from "./support/cli.js";

const CONFIG = join(ROOT, "test/integration/fixtures/file-shards.yaml");
const SUITE = "uneven-vitest";
const work = mkdtempSync(join(tmpdir(), "incluster-it-file-shards-"));
beforeAll(() => {
  requireCluster();
  const app = join(ROOT, "test/integration/fixtures/file-shards-app");
  const commit = execFileSync("bash", [join(ROOT, "test/integration/support/fixture-repo.sh"), app, "file-shards-app"]);
  console.log(`[file-shards] fixture repo file-shards-app.git at ${commit.toString().trim()}`);
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Each shard's test time from -o json, and the slowest ÷ max(longest test, total ÷ 3). */
function balance(r: RunResult) {
  const s = r.suites[0]!;
  const tests = s.tests ?? [];
  const per = [0, 1, 2].map((i) => tests.filter((t) => t.shard === i).reduce((a, t) => a + t.durationMs, 0));
  return { per, ratio: balanceRatio(per, tests.map((t) => t.durationMs)), count: tests.length, ids: new Set(tests.map((t) => t.id)).size };
}

const secs = (per: number[]) => per.map((ms) => `${(ms / 1000).toFixed(2)}s`).join(" / ");

describe("shards balanced by file (Vitest)", () => {
  it("1 file of 6 s and 24 of 0.5 s, 3 shards: Vitest's own --shard without history, longest-first by file with the first run's", async () => {
    const history = `dir:${join(work, "history")}`;
    const run = (name: string) => runJson(["-c", CONFIG, "run", SUITE, "--history", history, "--report-dir", join(work, name)]);
    const first = await run("first");
    const before = balance(first.result);
    const second = await run("second");
    const after = balance(second.result);
    const note = second.stderr.split("\n").find((l) => l.includes("shards balanced by time"));
    const splits = [0, 1, 2].map((i) => /shard \d of 3: .*/.exec(savedLog(second.result, SUITE, `test-runner#${i}`))?.[0]);
    console.log(`[file-shards] no history (vitest --shard): shards ${secs(before.per)}, ratio ${before.ratio.toFixed(2)}`);
    console.log(`[file-shards] by history: shards ${secs(after.per)}, ratio ${after.ratio.toFixed(2)}`);
    console.log(`[file-shards] note: ${note}`);
    console.log(`[file-shards] pods: ${splits.join(" | ")}`);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect([before.count, before.ids, after.count, after.ids]).toEqual([25, 25, 25, 25]);
    expect(savedLog(first.result, SUITE, "test-runner#0")).toContain("--shard=1/3");
    expect(note).toContain("shards balanced by time: 25 file(s) by the sum of their tests' median times, others by the median file's (0.5s)");
    // Each pod printed its share of the same 25 files; together they are all of them.
    expect(splits.map((l) => Number(/: (\d+) of 25 files/.exec(l ?? "")?.[1] ?? 0)).reduce((a, b) => a + b, 0)).toBe(25);
    expect(before.ratio).toBeGreaterThan(1.3);
    expect(after.ratio).toBeLessThanOrEqual(1.15);
  }, 300_000);
});
