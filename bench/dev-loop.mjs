#!/usr/bin/env node
// Benchmark: from saving a file to the verdict, for the demo's `services` suite: `incluster dev`
// (a held pod, the changed file sent over pods/exec, pytest rerun in place) vs `run --watch` (a
// new Job per round) vs a fresh `incluster run` after the same edit. Three clones of the sample
// repository (source: local, the demo's image, env and resources), the same edit to each, back
// to back, the order rotated each round. Prints medians and the medians of the paired ratios.
//
//   npm run build && npm run cluster:up && node bench/dev-loop.mjs [--runs 10]
//
// Writes only under its temp dir; ends dev and watch mode with Ctrl-C (which deletes their pod
// and Jobs) and deletes each fresh run's Jobs with `incluster clean --run <id>`.
import { execFileSync, spawn } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { arg, cli, cluster, emit, log, median, pairedRatio, row } from "./lib.mjs";

const runs = Number(arg("--runs", "10")) || 10;
const { env } = cluster();
const GIT_URL = "git://10.244.0.1/sample-app.git";
const SUITE = "services";
const TEST = "tests/e2e/test_services.py";
const GOAL_S = 1.0;
const seconds = (ms) => (ms / 1000).toFixed(2);

const dir = mkdtempSync(join(tmpdir(), "incluster-bench-dev-"));
// The demo's services suite (examples/demo/incluster.yaml), with source: local.
const config = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: incluster-demo
source:
  local:
    image: 127.0.0.1:5000/incluster/git:2
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
  install: ""
  resources:
    requests: { cpu: 100m, memory: 128Mi }
    limits: { cpu: 1000m, memory: 512Mi }
  env:
    ORCHESTRATOR_HOST: orchestrator.incluster-demo.svc.cluster.local
    ORCHESTRATOR_PORT: "50055"
    CONTEXT_HOST: context.incluster-demo.svc.cluster.local
    CONTEXT_PORT: "50054"
  ttlSecondsAfterFinished: 600
  timeout: 10m
suites:
  ${SUITE}:
    test: ${TEST}
`;
function clone(name) {
  const repo = join(dir, name);
  execFileSync("git", ["clone", "-q", GIT_URL, repo]);
  writeFileSync(join(repo, "incluster.yaml"), config);
  return repo;
}
/** The edit: a comment appended to the suite's test file (the tests still pass). */
const edit = (repo, n) => appendFileSync(join(repo, TEST), `# edit ${n}\n`);

/** A long-lived process whose stdout is one `round N: …` line per round. */
function rounds(name, args, cwd) {
  const child = spawn(process.execPath, [cli, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  const p = { name, child, stdout: "", stderr: "", exit: undefined, round: 1 };
  child.stdout.on("data", (d) => (p.stdout += d));
  child.stderr.on("data", (d) => (p.stderr += d));
  p.exited = new Promise((res) => child.on("close", (code) => res((p.exit = code))));
  return p;
}
async function verdict(p, round, ms = 180_000) {
  const start = Date.now();
  for (;;) {
    const m = new RegExp(`^round ${round}: (\\S+)`, "m").exec(p.stdout);
    if (m) return m[1];
    if (p.exit !== undefined) throw new Error(`${p.name} exited ${p.exit} before round ${round}:\n${p.stdout}\n${p.stderr.slice(-3000)}`);
    if (Date.now() - start > ms) throw new Error(`${p.name}: no verdict for round ${round}:\n${p.stdout}\n${p.stderr.slice(-3000)}`);
    await sleep(5);
  }
}
async function editAndWait(p, repo, i) {
  edit(repo, i);
  const t0 = performance.now();
  p.round++;
  const v = await verdict(p, p.round);
  const ms = performance.now() - t0;
  if (v !== "PASSED") throw new Error(`${p.name} round ${p.round}: ${v}\n${p.stderr.slice(-3000)}`);
  return ms;
}

const freshIds = [];
function freshOnce(repo) {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [cli, "run", SUITE, "-q", "-o", "json"], { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
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

const repos = { dev: clone("dev"), watch: clone("watched"), fresh: clone("fresh") };
const dev = rounds("dev", ["dev", SUITE, "-q"], repos.dev);
const watch = rounds("run --watch", ["run", SUITE, "--watch", "-q"], repos.watch);
const t = { dev: [], watch: [], fresh: [] };
const startup = { dev: 0 };
try {
  const d0 = performance.now();
  if ((await verdict(dev, 1)) !== "PASSED") throw new Error(`dev round 1 did not pass:\n${dev.stderr.slice(-3000)}`);
  startup.dev = performance.now() - d0;
  if ((await verdict(watch, 1)) !== "PASSED") throw new Error(`watch round 1 did not pass:\n${watch.stderr.slice(-3000)}`);
  await freshOnce(repos.fresh); // warm-up, as round 1 is for dev and watch mode
  const steps = {
    dev: (i) => editAndWait(dev, repos.dev, i),
    watch: (i) => editAndWait(watch, repos.watch, i),
    fresh: (i) => (edit(repos.fresh, i), freshOnce(repos.fresh)),
  };
  const order = ["dev", "watch", "fresh"];
  for (let i = 1; i <= runs; i++) {
    // Back to back, the order rotated each round.
    for (let k = 0; k < order.length; k++) {
      const which = order[(i + k) % order.length];
      t[which].push(await steps[which](i));
    }
    log(`run ${i}/${runs}: save → verdict: dev ${seconds(t.dev.at(-1))}s, run --watch ${seconds(t.watch.at(-1))}s, fresh run ${seconds(t.fresh.at(-1))}s`);
  }
} finally {
  dev.child.kill("SIGINT");
  watch.child.kill("SIGINT");
  const ctrlC = performance.now();
  await dev.exited;
  log(`dev: exit ${dev.exit} ${seconds(performance.now() - ctrlC)}s after Ctrl-C`);
  await watch.exited;
  for (const id of freshIds) execFileSync(process.execPath, [cli, "clean", "--run", id], { cwd: repos.fresh, env, stdio: "ignore" });
  rmSync(dir, { recursive: true, force: true });
}

const m = { dev: median(t.dev), watch: median(t.watch), fresh: median(t.fresh) };
const vsWatch = pairedRatio(t.dev, t.watch);
const vsFresh = pairedRatio(t.dev, t.fresh);
log(`runs: ${runs} each, back to back, the order rotated, the same edit to each clone`);
log(`incluster dev: start to round 1's verdict (build-free: source, pod, clone, first tests) ${seconds(startup.dev)}s`);
log(`fresh incluster run after the edit: median ${seconds(m.fresh)}s`);
log(`run --watch, save → verdict line (debounce 300 ms included): median ${seconds(m.watch)}s`);
log(`incluster dev, save → verdict line (debounce 40 ms included): median ${seconds(m.dev)}s`);
log(`ratio dev / run --watch ${vsWatch.toFixed(2)}, dev / fresh ${vsFresh.toFixed(2)} (medians of ${runs} paired ratios)`);
emit([
  row("save → verdict, incluster dev (services, median of rounds)", `${seconds(m.watch)} s (run --watch)`, `${seconds(m.dev)} s`, vsWatch.toFixed(2), `≤ ${GOAL_S.toFixed(1)} s`, m.dev <= GOAL_S * 1000),
  row("save → verdict, incluster dev vs a fresh run", `${seconds(m.fresh)} s`, `${seconds(m.dev)} s`, vsFresh.toFixed(2), "—", null),
]);
