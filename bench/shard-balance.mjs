#!/usr/bin/env node
// Shards balanced by time (issue 22, part 5) on the project's cluster: the fixture suite `uneven`
// (one test of 6 s, 24 of 0.5 s; test/integration/fixtures/history-app) with shards: 3, run
// through the library's run() (dist/index.js) twice a round: without history (the ids dealt
// round-robin), then with the first run's result handed in as the suite's history
// (RunOptions.histories; the history store is the other part). The figure: the slowest
// shard's test time ÷ the lower bound max(longest test, total ÷ 3), from -o json's per-test
// `shard` and `durationMs`. Goal ≤ 1.15 with history; round-robin is about 1.6.
//   npm run build && node bench/shard-balance.mjs [--runs 1]
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { arg, cluster, emit, log, median, root, row } from "./lib.mjs";

const rounds = Number(arg("--runs", "1"));
const GOAL = 1.15;
const SHARDS = 3;
const { env } = cluster();
const { loadConfig, run } = await import(pathToFileURL(join(root, "dist/index.js")).href);
const config = loadConfig({ path: join(root, "test/integration/fixtures/history.yaml") });
execFileSync("bash", [join(root, "test/integration/support/fixture-repo.sh"), join(root, "test/integration/fixtures/history-app"), "history-app"], {
  stdio: ["ignore", "ignore", "inherit"],
});
const work = mkdtempSync(join(tmpdir(), "incluster-bench-shards-"));

/** Each shard's test time, and the ratio to the lower bound. */
function balance(result) {
  const tests = result.suites[0]?.tests ?? [];
  const per = Array.from({ length: SHARDS }, (_, i) => tests.filter((t) => t.shard === i).reduce((a, t) => a + t.durationMs, 0));
  const times = tests.map((t) => t.durationMs);
  const bound = Math.max(Math.max(...times), times.reduce((a, b) => a + b, 0) / SHARDS);
  return { per, ratio: Math.max(...per) / bound, tests: tests.length };
}

/** What history keeps of a run: each test's id, status and duration. */
function historyOf(result) {
  const s = result.suites[0];
  const tests = (s.tests ?? []).map((t) => ({ id: t.id, status: t.status === "error" ? "failed" : t.status, durationMs: t.durationMs }));
  return { suite: s.suite, runs: [{ runId: result.runId, startedAt: s.startedAt, verdict: s.verdict, attempts: 1, durationMs: s.durationSeconds * 1000, tests }] };
}

const without = [];
const withHistory = [];
try {
  for (let i = 0; i < rounds; i++) {
    const opts = (name) => ({ suites: ["uneven"], kubeconfig: env.KUBECONFIG, reportDir: join(work, `${name}-${i}`) });
    const first = await run(config, opts("rr"));
    const a = balance(first);
    const second = await run(config, { ...opts("lpt"), histories: new Map([["uneven", historyOf(first)]]) });
    const b = balance(second);
    if (first.exitCode !== 0 || second.exitCode !== 0 || a.tests !== 25 || b.tests !== 25) throw new Error(`round ${i}: exit ${first.exitCode}/${second.exitCode}, tests ${a.tests}/${b.tests}`);
    const secs = (per) => per.map((ms) => `${(ms / 1000).toFixed(2)}s`).join(" / ");
    log(`round ${i + 1}: round-robin ${secs(a.per)} → ${a.ratio.toFixed(2)}×; by history ${secs(b.per)} → ${b.ratio.toFixed(2)}×`);
    without.push(a.ratio);
    withHistory.push(b.ratio);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
const rr = median(without);
const lpt = median(withHistory);
emit([
  row(
    `P9 shard balance: 1×6 s + 24×0.5 s, shards: 3; slowest shard ÷ max(longest, total÷3) (median of ${rounds})`,
    `${rr.toFixed(2)}× (no history: round-robin)`,
    `${lpt.toFixed(2)}× (history: LPT by median)`,
    (lpt / rr).toFixed(2),
    `≤ ${GOAL}×`,
    lpt <= GOAL,
  ),
]);
