#!/usr/bin/env node
// P3: N suites (default 1,000) on kwok's simulated nodes, one `incluster run --all`, against
// `kubectl apply` of the same N Jobs (and their ServiceAccounts) plus
// `kubectl wait --for=condition=complete`; alternating rounds, paired ratio. Samples the CLI's
// TCP connections to the API server with `ss` every 0.2 s and its peak RSS; takes the request
// count from the CLI's own counters (the `api:` note of -v). Needs `test/cluster/up --kwok-nodes N`.
// Writes only under a temp dir; deletes the Jobs it created.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { clearInterval, setInterval } from "node:timers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { arg, cli, cluster, emit, hwmKb, log, median, pairedRatio, row } from "./lib.mjs";

const n = Number(arg("--suites", "1000"));
const rounds = Number(arg("--runs", "3"));
const ns = "incluster-demo";
const { env, kubectl } = cluster();
const k = (...a) => execFileSync(kubectl, ["-n", ns, ...a], { env, encoding: "utf8", maxBuffer: 1 << 28 });
const kwokNodes = Number(execFileSync(kubectl, ["get", "nodes", "-l", "type=kwok", "-o", "name"], { env, encoding: "utf8" }).trim().split("\n").filter(Boolean).length);
if (!kwokNodes) throw new Error("no kwok nodes: run `test/cluster/up --kwok-nodes 50` first");

const dir = mkdtempSync(join(tmpdir(), "incluster-bench-scale-"));
const config = join(dir, "incluster.yaml");
let y = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ${ns}
source: { image: {} }
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
  kubernetesAccess: false
  scheduling:
    nodeSelector: { type: kwok }
    tolerations: [{ key: kwok.x-k8s.io/node, operator: Exists, effect: NoSchedule }]
suites:
`;
for (let i = 0; i < n; i++) y += `  s${i}:\n    command: ["true"]\n`;
writeFileSync(config, y);

// The guide's way: the same Jobs (and ServiceAccounts) as incluster renders them, under names of
// their own (bench-s<i>-e2e) so the two ways share no object, applied at once.
const one = execFileSync(process.execPath, [cli, "-c", config, "render", "s0"], { env, encoding: "utf8" });
const manifest = join(dir, "jobs.yaml");
const GUIDE = "app.kubernetes.io/managed-by: incluster-bench";
writeFileSync(manifest, Array.from({ length: n }, (_, i) => one.replaceAll("test-s0-e2e", `bench-s${i}-e2e`).replaceAll("incluster.dev/suite: s0", `incluster.dev/suite: bench-s${i}`).replaceAll("app.kubernetes.io/managed-by: incluster", GUIDE)).join("\n"));

const apiPort = new URL(JSON.parse(execFileSync(kubectl, ["config", "view", "--minify", "-o", "json"], { env, encoding: "utf8" })).clusters[0].cluster.server).port || "443";
/** TCP connections of pid to the API server, now. */
function connections(pid) {
  const out = execFileSync("ss", ["-Htnp", "state", "established", `( dport = :${apiPort} )`], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(`pid=${pid},`)).length;
}

function guideOnce() {
  const t0 = performance.now();
  k("apply", "-f", manifest);
  k("wait", "--for=condition=complete", "jobs", "-l", "app.kubernetes.io/managed-by=incluster-bench", "--timeout=900s");
  const ms = performance.now() - t0;
  k("delete", "jobs", "-l", "app.kubernetes.io/managed-by=incluster-bench", "--wait=false");
  return ms;
}

function inclusterOnce() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [cli, "-c", config, "run", "--all", "-v", "-o", "json", "--report-dir", join(dir, `runs-${t0}`)], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => (out += d));
    p.stderr.on("data", (d) => (err += d));
    let peakConn = 0;
    let peakKb = 0;
    const sample = setInterval(() => {
      peakConn = Math.max(peakConn, connections(p.pid));
      peakKb = Math.max(peakKb, hwmKb(p.pid));
    }, 200);
    p.on("close", (code) => {
      clearInterval(sample);
      const ms = performance.now() - t0;
      try {
        const result = JSON.parse(out);
        const passed = result.suites.filter((s) => s.verdict === "passed").length;
        const requests = Number(/api: (\d+) requests/.exec(err)?.[1] ?? NaN);
        k("delete", "jobs", "-l", `incluster.dev/run-id=${result.runId}`, "--wait=false");
        resolve({ ms, code, passed, requests, peakConn, peakMb: peakKb / 1024, api: /api: .*/.exec(err)?.[0] ?? "" });
      } catch (e) {
        reject(new Error(`incluster run exited ${code}: ${err.slice(-2000)} (${e})`));
      }
    });
  });
}

try {
  log(`${n} suites on ${kwokNodes} kwok nodes, ${rounds} alternating rounds`);
  const g = [];
  const r = [];
  for (let i = 0; i < rounds; i++) {
    g.push(guideOnce());
    r.push(await inclusterOnce());
    const x = r.at(-1);
    log(`round ${i + 1}: kubectl apply+wait ${(g.at(-1) / 1000).toFixed(1)} s; incluster ${(x.ms / 1000).toFixed(1)} s, exit ${x.code}, ${x.passed} passed, peak ${x.peakConn} TCP connections, ${x.requests} requests, peak RSS ${x.peakMb.toFixed(0)} MB`);
    log(`  ${x.api}`);
  }
  const ms = r.map((x) => x.ms);
  const worst = (f) => Math.max(...r.map(f));
  const perSuite = median(r.map((x) => x.requests / n));
  emit([
    row(`P3 ${n} suites on kwok vs kubectl apply + wait`, `${(median(g) / 1000).toFixed(1)} s`, `${(median(ms) / 1000).toFixed(1)} s`, pairedRatio(ms, g).toFixed(2), "≤ 1.1", pairedRatio(ms, g) <= 1.1),
    row(`P3 exit code / passed (of ${n})`, "—", `${worst((x) => x.code)} / ${Math.min(...r.map((x) => x.passed))}`, "—", `0 / ${n}`, worst((x) => x.code) === 0 && Math.min(...r.map((x) => x.passed)) === n),
    row("P3 peak TCP connections to the API server", "—", String(worst((x) => x.peakConn)), "—", "≤ 4", worst((x) => x.peakConn) <= 4),
    row("P3 client API requests per suite", "—", `${median(r.map((x) => x.requests))} total`, perSuite.toFixed(2), "≤ 5", perSuite <= 5),
    row("P3 CLI peak RSS", "—", `${worst((x) => x.peakMb).toFixed(0)} MB`, "—", "≤ 300 MB", worst((x) => x.peakMb) <= 300),
  ]);
} finally {
  k("delete", "jobs", "-l", "app.kubernetes.io/managed-by=incluster-bench", "--ignore-not-found", "--wait=false");
  k("delete", "serviceaccounts", "-l", "app.kubernetes.io/managed-by=incluster-bench", "--ignore-not-found", "--wait=false");
  // incluster's own ServiceAccounts test-s<i>-e2e are shared by every run of these suites, as in
  // a real namespace; the bench removes them too.
  k("delete", "serviceaccounts", ...Array.from({ length: n }, (_, i) => `test-s${i}-e2e`), "--ignore-not-found", "--wait=false");
  rmSync(dir, { recursive: true, force: true });
}
