#!/usr/bin/env node
// Benchmark: from saving a file to the verdict, `incluster run --watch` vs a fresh `incluster run`
// after the same edit. Two clones of the sample repository (source: local) in a temp dir: one
// watched by a long-lived `run --watch`, the other run fresh after each edit; the same edit goes to
// both, alternating which goes first. Prints the medians and the median of the paired ratios.
//
//   npm run build && npm run cluster:up && node bench/watch.mjs [--runs 5]
//
// Writes only under its temp dir; ends watch mode with Ctrl-C (which deletes its Jobs) and
// deletes each fresh run's Jobs with `incluster clean --run <id>`.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { arg, cli, log, median, pairedRatio, root } from "./lib.mjs";

const runs = Number(arg("--runs", "5")) || 5;
const env = { ...process.env, KUBECONFIG: join(root, ".cluster/kubeconfig"), NO_COLOR: "1" };
const GIT_URL = "git://10.244.0.1/sample-app.git";
const SUITE = "watch-bench";

const seconds = (ms) => (ms / 1000).toFixed(2);

const dir = mkdtempSync(join(tmpdir(), "incluster-bench-watch-"));
const config = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: incluster-demo
source:
  local:
    image: 127.0.0.1:5000/incluster/git:2
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
  install: ""
  kubernetesAccess: false
  resources:
    requests: { cpu: 50m, memory: 32Mi }
    limits: { cpu: 500m, memory: 128Mi }
suites:
  ${SUITE}:
    command: [python3, -m, pytest, -q, -p, no:cacheprovider, tests/e2e/test_edited.py]
`;
function clone(name) {
  const repo = join(dir, name);
  execFileSync("git", ["clone", "-q", GIT_URL, repo]);
  writeFileSync(join(repo, "incluster.yaml"), config);
  return repo;
}
/** The edit: an untracked test whose expected value changes each time (it always passes). */
const edit = (repo, n) => writeFileSync(join(repo, "tests/e2e/test_edited.py"), `def test_edited():\n    assert ${n} == ${n}\n`);

const watched = clone("watched");
const fresh = clone("fresh");
edit(watched, 0);
edit(fresh, 0);

// The long-lived watch process: its stdout is one verdict line per round.
const watch = spawn(process.execPath, [cli, "run", SUITE, "--watch", "-q"], { cwd: watched, env, stdio: ["ignore", "pipe", "pipe"] });
let stdout = "";
let stderr = "";
watch.stdout.on("data", (d) => (stdout += d));
watch.stderr.on("data", (d) => (stderr += d));
let watchExit;
const exited = new Promise((res) => watch.on("close", (code) => res((watchExit = code))));
async function verdict(round, ms = 180_000) {
  const start = Date.now();
  for (;;) {
    const m = new RegExp(`^round ${round}: (\\S+)`, "m").exec(stdout);
    if (m) return m[1];
    if (watchExit !== undefined) throw new Error(`run --watch exited ${watchExit} before round ${round}:\n${stdout}\n${stderr.slice(-3000)}`);
    if (Date.now() - start > ms) throw new Error(`no verdict for round ${round}:\n${stdout}\n${stderr.slice(-3000)}`);
    await sleep(20);
  }
}

const freshIds = [];
function freshOnce() {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, "run", SUITE, "-q", "-o", "json"], { cwd: fresh, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) return rej(new Error(`fresh run exited ${code}:\n${err.slice(-3000)}`));
      freshIds.push(JSON.parse(out).runId);
      res(ms);
    });
  });
}

let round = 1;
const w = [];
const f = [];
try {
  if ((await verdict(1)) !== "PASSED") throw new Error(`round 1 did not pass:\n${stderr.slice(-3000)}`);
  await freshOnce(); // warm-up, as round 1 is for watch mode
  for (let i = 1; i <= runs; i++) {
    const watchOnce = async () => {
      edit(watched, i);
      const t0 = performance.now();
      round++;
      const v = await verdict(round);
      if (v !== "PASSED") throw new Error(`round ${round}: ${v}\n${stderr.slice(-3000)}`);
      return performance.now() - t0;
    };
    const freshEdit = () => {
      edit(fresh, i);
      return freshOnce();
    };
    // Alternating which goes first.
    if (i % 2) {
      w.push(await watchOnce());
      f.push(await freshEdit());
    } else {
      f.push(await freshEdit());
      w.push(await watchOnce());
    }
    log(`run ${i}/${runs}: save → verdict: watch ${seconds(w.at(-1))}s, fresh run ${seconds(f.at(-1))}s`);
  }
} finally {
  watch.kill("SIGINT");
  await exited;
  for (const id of freshIds) execFileSync(process.execPath, [cli, "clean", "--run", id], { cwd: fresh, env, stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}

const mw = median(w);
const mf = median(f);
const ratio = pairedRatio(w, f);
log(`runs: ${runs} each, alternating, the same edit to both clones, same session`);
log(`fresh incluster run after the edit (node start, connect, source, preflight, Job, verdict): median ${seconds(mf)}s`);
log(`run --watch, save → verdict line (debounce 300 ms included): median ${seconds(mw)}s`);
log(`ratio watch / fresh (median of ${runs} paired ratios): ${ratio.toFixed(2)}`);
process.stdout.write(`BENCH_ROWS ${JSON.stringify([{ figure: "save → verdict, run --watch vs a fresh run", baseline: `${seconds(mf)} s`, incluster: `${seconds(mw)} s`, ratio: ratio.toFixed(2), goal: "< 1", met: ratio < 1 }])}\n`);
