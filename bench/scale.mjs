#!/usr/bin/env node
// P3: N suites (default 1,000) on kwok's simulated nodes, one `incluster run --all`, against
// `kubectl apply` of the same N Jobs (and their ServiceAccounts) plus
// `kubectl wait --for=condition=complete`; alternating rounds, paired ratio. The kwok pods
// answer pods/exec (test/cluster/lib/kwok.sh): every suite's output is copied out of its
// collector as a real tar, its JUnit (`--tests` cases, test/cluster/kwok-output) read into the
// result. Samples the CLI's TCP connections to the API server with `ss` every 0.2 s and its peak
// RSS; takes the request count from the CLI's own counters (the `api:` note of -v); counts the
// artifact sets that came back complete (result.json: files, the whole log copy, every test).
// `kubectl wait` waits for the Jobs' pods to end, and a collector nobody copies from keeps its
// pod for its idle grace (KWOK_COLLECTOR_LINGER_MS, 45 s, as a real one): the guide's way pays it.
//   --no-baseline: incluster rounds only (no kubectl round, no ratio row), ~2.5 min at 1,000 suites.
//   --results: 100 suites × 1,000 test cases (`--suites 100 --tests 1000`), no kubectl rounds;
//   the JUnit that came through the copies goes through the engine's results path again
//   (bench/pipeline.mjs): parse, merge, report.html and result.json times and sizes.
// Needs `test/cluster/up --kwok-nodes 50`. Writes only under a temp dir and kwok's pod output
// (put back to 3 tests); deletes the Jobs it created.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { clearInterval, clearTimeout, setInterval, setTimeout } from "node:timers";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "./pipeline.mjs";
import { arg, cli, cluster, emit, hwmKb, log, median, pairedRatio, root, row } from "./lib.mjs";

const results = process.argv.includes("--results");
// Incluster rounds only, no kubectl round and so no ratio row: for iterating on the CLI's own figures.
const noBaseline = results || process.argv.includes("--no-baseline");
const n = Number(arg("--suites", results ? "100" : "1000"));
const rounds = Number(arg("--runs", results ? "1" : "3"));
const tests = Number(arg("--tests", results ? "1000" : "3"));
// Beyond this, the incluster run is interrupted and the round fails (a 1,000-suite run takes ~140 s here).
const timeoutS = Number(arg("--timeout-s", "900"));
const ns = "incluster-demo";
const { env, kubectl } = cluster();
const k = (...a) => execFileSync(kubectl, ["-n", ns, ...a], { env, encoding: "utf8", maxBuffer: 1 << 28 });
const kwokNodes = Number(execFileSync(kubectl, ["get", "nodes", "-l", "type=kwok", "-o", "name"], { env, encoding: "utf8" }).trim().split("\n").filter(Boolean).length);
if (!kwokNodes) throw new Error("no kwok nodes: run `test/cluster/up --kwok-nodes 50` first");
const kwokOutput = (count) => execFileSync("bash", [join(root, "test/cluster/kwok-output"), "--tests", String(count)], { stdio: ["ignore", "ignore", "inherit"] });

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
for (let i = 0; i < n; i++) y += `  s${i}:\n    command: ["true"]\n    junit: junit.xml\n`;
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
  // The next measurement starts on a quiet cluster: a round begun while 1,000 pods were still
  // being deleted once hung (docs/performance.md, "Round 2").
  k("wait", "--for=delete", "pods", "-l", "app.kubernetes.io/managed-by=incluster-bench", "--timeout=900s");
  return ms;
}

/** A suite's artifact set came back whole: files, the complete log copy, every test of its JUnit. */
const complete = (s) => s.artifacts && !s.artifacts.problem && s.artifacts.files >= 1 && s.artifacts.logComplete && s.tests?.length === tests;

function inclusterOnce() {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const reportDir = join(dir, `runs-${Math.round(t0)}`);
    const p = spawn(process.execPath, [cli, "-c", config, "run", "--all", "-v", "-o", "json", "--report-dir", reportDir], { env, stdio: ["ignore", "pipe", "pipe"] });
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
    // A run that does not end is a failed row, not a bench that never ends: Ctrl-C first (which
    // must end it within 2 s), then SIGKILL if even that is not heeded.
    let interruptedAt;
    let killer;
    const deadline = setTimeout(() => {
      interruptedAt = performance.now();
      log(`incluster run still going after ${timeoutS} s: SIGINT`);
      p.kill("SIGINT");
      killer = setTimeout(() => {
        log("SIGINT not heeded within 30 s: SIGKILL");
        p.kill("SIGKILL");
      }, 30_000);
    }, timeoutS * 1000);
    p.on("close", (code) => {
      clearInterval(sample);
      clearTimeout(deadline);
      clearTimeout(killer);
      if (interruptedAt !== undefined) {
        reject(new Error(`incluster run timed out after ${timeoutS} s; exit ${code} ${((performance.now() - interruptedAt) / 1000).toFixed(1)} s after SIGINT: ${err.slice(-2000)}`));
        return;
      }
      const ms = performance.now() - t0;
      try {
        JSON.parse(out);
        // The report directory's result.json: the same model, with every test case.
        const result = JSON.parse(readFileSync(join(reportDir, "result.json"), "utf8"));
        const passed = result.suites.filter((s) => s.verdict === "passed").length;
        const api = /api: (\d+) requests .* over (\d+) connection/.exec(err);
        k("delete", "jobs", "-l", `incluster.dev/run-id=${result.runId}`, "--wait=false");
        const files = { html: statSync(join(reportDir, "report.html")).size, json: statSync(join(reportDir, "result.json")).size };
        const junit = result.suites.map((s) => ({ suite: s.suite, runner: "other", attempts: [{ folder: s.suite, junit: join(reportDir, s.suite, "artifacts/junit.xml"), failed: false }] }));
        resolve({
          ms,
          code,
          passed,
          complete: result.suites.filter(complete).length,
          requests: Number(api?.[1] ?? NaN),
          opened: Number(api?.[2] ?? NaN),
          peakConn,
          peakMb: peakKb / 1024,
          api: /api: .*/.exec(err)?.[0] ?? "",
          files,
          junit,
        });
      } catch (e) {
        reject(new Error(`incluster run exited ${code}: ${err.slice(-2000)} (${e})`));
      }
    });
  });
}

const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
const fmtMs = (x) => `${x.toFixed(0)} ms`;
try {
  kwokOutput(tests);
  log(`${n} suites × ${tests} test case(s) on ${kwokNodes} kwok nodes, ${rounds} ${noBaseline ? "run(s)" : "alternating rounds"}`);
  const g = [];
  const r = [];
  for (let i = 0; i < rounds; i++) {
    if (!noBaseline) g.push(guideOnce());
    r.push(await inclusterOnce());
    const x = r.at(-1);
    const guide = noBaseline ? "" : `kubectl apply+wait ${(g.at(-1) / 1000).toFixed(1)} s; `;
    log(`round ${i + 1}: ${guide}incluster ${(x.ms / 1000).toFixed(1)} s, exit ${x.code}, ${x.passed} passed, ${x.complete} artifact sets complete, peak ${x.peakConn} TCP connections (ss), ${x.requests} requests, peak RSS ${x.peakMb.toFixed(0)} MB`);
    log(`  ${x.api}`);
  }
  const ms = r.map((x) => x.ms);
  const worst = (f) => Math.max(...r.map(f));
  const least = (f) => Math.min(...r.map(f));
  const perSuite = median(r.map((x) => x.requests / n));
  const what = `P3 ${n} suites${tests !== 3 ? ` × ${tests} tests` : ""} on kwok, copies`;
  const rows = [];
  if (!noBaseline) {
    const ratio = pairedRatio(ms, g);
    rows.push(row(`${what}: vs kubectl apply + wait`, `${(median(g) / 1000).toFixed(1)} s`, `${(median(ms) / 1000).toFixed(1)} s`, ratio.toFixed(2), "≤ 0.4", ratio <= 0.4));
  } else rows.push(row(`${what}: incluster run`, "—", `${(median(ms) / 1000).toFixed(1)} s`, "—", "—", null));
  rows.push(
    row(`${what}: exit code / passed (of ${n})`, "—", `${worst((x) => x.code)} / ${least((x) => x.passed)}`, "—", `0 / ${n}`, worst((x) => x.code) === 0 && least((x) => x.passed) === n),
    row(`${what}: artifact sets complete (files, log copy, ${tests} tests each)`, "—", `${least((x) => x.complete)} / ${n}`, "—", `${n} / ${n}`, least((x) => x.complete) === n),
    row(`${what}: peak TCP connections to the API server (ss, 0.2 s)`, "—", String(worst((x) => x.peakConn)), `${worst((x) => x.opened)} opened`, "≤ 5", worst((x) => x.peakConn) <= 5),
    row(`${what}: client API requests per suite (execs counted)`, "—", `${median(r.map((x) => x.requests))} total`, perSuite.toFixed(2), "≤ 6", perSuite <= 6),
    row(`${what}: CLI peak RSS`, "—", `${worst((x) => x.peakMb).toFixed(0)} MB`, "—", "≤ 300 MB", worst((x) => x.peakMb) <= 300),
  );
  if (results) {
    const last = r.at(-1);
    const run = await pipeline(join(dir, "pipeline"));
    const f = run("kwok-run", { reportDir: join(dir, "pipeline/report"), suites: last.junit });
    log(`  copied JUnit through the engine again: ${f.tests} test cases, read+parse ${fmtMs(f.parseMs)}, merge ${fmtMs(f.mergeMs)}, report.html ${mb(f.htmlBytes)} in ${fmtMs(f.htmlMs)}, result.json ${mb(f.jsonBytes)} in ${fmtMs(f.jsonMs)}, peak RSS ${(f.peakRssKb / 1024).toFixed(0)} MB`);
    rows.push(
      row(`${what}: the run's report.html / result.json`, "—", `${mb(last.files.html)} / ${mb(last.files.json)}`, "—", "—", null),
      row(`${what}: copied JUnit read + parse (${f.tests} cases)`, "—", fmtMs(f.parseMs), `${(f.tests / f.parseMs).toFixed(0)}k cases/s`, "—", null),
      row(`${what}: merge of attempts`, "—", fmtMs(f.mergeMs), "—", "—", null),
      row(`${what}: report.html written`, "—", fmtMs(f.htmlMs), mb(f.htmlBytes), "—", null),
      row(`${what}: result.json written`, "—", fmtMs(f.jsonMs), mb(f.jsonBytes), "—", null),
    );
  }
  emit(rows);
} finally {
  kwokOutput(3);
  k("delete", "jobs", "-l", "app.kubernetes.io/managed-by=incluster-bench", "--ignore-not-found", "--wait=false");
  k("delete", "serviceaccounts", "-l", "app.kubernetes.io/managed-by=incluster-bench", "--ignore-not-found", "--wait=false");
  // incluster's own ServiceAccounts test-s<i>-e2e are shared by every run of these suites, as in
  // a real namespace; the bench removes them too.
  k("delete", "serviceaccounts", ...Array.from({ length: n }, (_, i) => `test-s${i}-e2e`), "--ignore-not-found", "--wait=false");
  rmSync(dir, { recursive: true, force: true });
}
