#!/usr/bin/env node
// Shards balanced by time (issue 22, part 5) on the project's cluster, for a runner that shards by
// test and for one that shards only by file, each with shards: 3 and the same durations (one of
// 6 s, 24 of 0.5 s):
//   P9  pytest, the fixture suite `uneven` (24 + 1 tests in one file; test/integration/fixtures/history-app)
//   P9b Vitest, the suite `uneven-vitest` (one test a file, 25 files; test/integration/fixtures/file-shards-app)
// run through the library's run() (dist/index.js) twice a round: without history (pytest's ids dealt
// round-robin, Vitest's own --shard), then with the first run's result handed in as the suite's
// history (RunOptions.histories; the history store is the other part). The figure: the slowest
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
const fixtures = join(root, "test/integration/fixtures");
/** Each bench: its row's name, its config, the suite, and the fixture repository the config clones. */
const BENCHES = [
  { figure: "P9 shard balance (pytest, by test)", config: "history.yaml", suite: "uneven", app: "history-app", rr: "round-robin", lpt: "LPT by median" },
  { figure: "P9b shard balance (Vitest, by file)", config: "file-shards.yaml", suite: "uneven-vitest", app: "file-shards-app", rr: "vitest --shard", lpt: "LPT by file" },
];
for (const b of BENCHES) {
  execFileSync("bash", [join(root, "test/integration/support/fixture-repo.sh"), join(fixtures, b.app), b.app], { stdio: ["ignore", "ignore", "inherit"] });
}
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

const rows = [];
try {
  for (const b of BENCHES) {
    const config = loadConfig({ path: join(fixtures, b.config) });
    const without = [];
    const withHistory = [];
    for (let i = 0; i < rounds; i++) {
      const opts = (name) => ({ suites: [b.suite], kubeconfig: env.KUBECONFIG, reportDir: join(work, `${b.suite}-${name}-${i}`) });
      const first = await run(config, { ...opts("rr"), histories: new Map() });
      const a = balance(first);
      const second = await run(config, { ...opts("lpt"), histories: new Map([[b.suite, historyOf(first)]]) });
      const c = balance(second);
      if (first.exitCode !== 0 || second.exitCode !== 0 || a.tests !== 25 || c.tests !== 25) {
        throw new Error(`${b.suite} round ${i}: exit ${first.exitCode}/${second.exitCode}, tests ${a.tests}/${c.tests}`);
      }
      const secs = (per) => per.map((ms) => `${(ms / 1000).toFixed(2)}s`).join(" / ");
      log(`${b.suite} round ${i + 1}: ${b.rr} ${secs(a.per)} → ${a.ratio.toFixed(2)}×; by history ${secs(c.per)} → ${c.ratio.toFixed(2)}×`);
      without.push(a.ratio);
      withHistory.push(c.ratio);
    }
    const rr = median(without);
    const lpt = median(withHistory);
    rows.push(
      row(
        `${b.figure}: 1×6 s + 24×0.5 s, shards: 3; slowest shard ÷ max(longest, total÷3) (median of ${rounds})`,
        `${rr.toFixed(2)}× (no history: ${b.rr})`,
        `${lpt.toFixed(2)}× (history: ${b.lpt})`,
        (lpt / rr).toFixed(2),
        `≤ ${GOAL}×`,
        lpt <= GOAL,
      ),
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
emit(rows);
