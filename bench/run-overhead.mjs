#!/usr/bin/env node
// Benchmark: one trivial suite run by incluster vs the same Job run with the guide's kubectl
// sequence (delete, apply, wait, logs), alternating, several times in one session. Prints the
// medians and their ratio, and incluster's time beyond the pod's own lifecycle (pod created →
// test container terminated, from the pod's own timestamps).
//
//   npm run build && npm run cluster:up && npm run bench:run-overhead [-- --runs 5] [--before <cli.js>]
//
// --before <path to another build's bin/incluster.js> adds it to every round, so "before and
// after a change" is measured in one session. Every ratio is the median of the per-round ratios
// (paired), not a ratio of medians.
//
// Needs the project's test cluster (.cluster/env). kubectl is used here only as the baseline.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { emit, row } from "./lib.mjs";

const root = resolve(import.meta.dirname, "..");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
const env = { ...process.env, KUBECONFIG: join(root, ".cluster/kubeconfig"), NO_COLOR: "1" };
const kubectl = readFileSync(join(root, ".cluster/env"), "utf8").match(/KUBECTL="([^"]+)"/)?.[1];
if (!kubectl) throw new Error("no .cluster/env: run `npm run cluster:up` first");
const ns = "incluster-demo";
const config = join(root, "bench/trivial.yaml");
const cli = join(root, "bin/incluster.js");
const beforeAt = process.argv.indexOf("--before");
const beforeCli = beforeAt > 0 ? resolve(process.argv[beforeAt + 1]) : undefined;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const seconds = (ms) => (ms / 1000).toFixed(2);
const k = (...args) => execFileSync(kubectl, ["-n", ns, ...args], { env, encoding: "utf8" });

/** Pod created → test container terminated, from the pod's own timestamps (1 s precision). */
function podLifecycleMs(selector) {
  const pod = JSON.parse(k("get", "pods", "-l", selector, "-o", "json")).items[0];
  const term = pod?.status?.containerStatuses?.find((c) => c.name === "test-runner")?.state?.terminated;
  if (!pod || !term) return undefined;
  return Date.parse(term.finishedAt) - Date.parse(pod.metadata.creationTimestamp);
}

/** The test container's finishedAt (epoch ms, 1 s precision). */
function finishedAtMs(selector) {
  const pod = JSON.parse(k("get", "pods", "-l", selector, "-o", "json")).items[0];
  const term = pod?.status?.containerStatuses?.find((c) => c.name === "test-runner")?.state?.terminated;
  return term ? Date.parse(term.finishedAt) : NaN;
}

// The guide's manifest for the same suite: incluster renders it (no run id: fixed name), minus
// the collector sidecar the guide does not have (the runner keeps writing to its emptyDir), and
// with the clone as the guide has it: an init container (ours runs beside the tests; the runner's
// wait for its marker then ends at once).
const dir = mkdtempSync(join(tmpdir(), "incluster-bench-"));
const manifest = join(dir, "99-test-trivial-e2e.yaml");
const rendered = parseAllDocuments(execFileSync(process.execPath, [cli, "-c", config, "render", "trivial"], { env, encoding: "utf8" })).map((d) => d.toJS());
for (const o of rendered) {
  const pod = o.kind === "Job" ? o.spec.template.spec : undefined;
  if (!pod) continue;
  pod.initContainers = [...pod.initContainers.filter((c) => c.name !== "incluster-collector"), ...pod.containers.filter((c) => c.name === "clone-repo")];
  pod.containers = pod.containers.filter((c) => c.name !== "clone-repo");
}
writeFileSync(manifest, rendered.map((o) => stringify(o)).join("---\n"));

function guideOnce() {
  const t0 = performance.now();
  k("delete", "job", "test-trivial-e2e", "--ignore-not-found=true", "--wait=true");
  k("apply", "-f", manifest);
  // The guide waits for Ready, which races with short tests (kubectl#1451); wait for the verdict.
  k("wait", "--for=condition=complete", "job/test-trivial-e2e", "--timeout=120s");
  const logs = k("logs", "job/test-trivial-e2e", "-c", "test-runner");
  const ms = performance.now() - t0;
  if (!logs.includes("trivial suite ok")) throw new Error(`guide run: unexpected logs:\n${logs}`);
  return { ms, lifecycle: podLifecycleMs("job-name=test-trivial-e2e") };
}

/** RFC 3339 with nanoseconds (the kubelet's log stamps) → epoch ms with the fraction kept. */
const stampMs = (ts) => {
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(ts ?? "");
  return m ? Date.parse(`${m[1]}Z`) + Number(`0${m[2] ?? ""}`) * 1000 : NaN;
};

function inclusterOnce(bin = cli) {
  const events = join(dir, `events-${performance.now()}.jsonl`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, "-c", config, "run", "trivial", "-q", "-o", "json", "--events", events, "--report-dir", join(dir, "runs", String(t0))], { env, encoding: "utf8" });
  const ms = performance.now() - t0;
  const exitedAt = Date.now();
  if (r.status !== 0) throw new Error(`incluster run exited ${r.status}:\n${r.stderr}`);
  const result = JSON.parse(r.stdout);
  const sel = `incluster.dev/run-id=${result.runId}`;
  // P1b from the kubelet's own stamps (ns): the test's last line is written just before it
  // exits; the kubelet's status lag in the same run is how long after the test's first line
  // the watch first showed the container running.
  const evs = readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l));
  const test = evs.filter((e) => e.type === "log" && e.container === "test-runner");
  const running = evs.find((e) => e.type === "suite.phase" && e.phase === "running");
  const lag = running && test[0] ? Date.parse(running.ts) - stampMs(test[0].kubeletTs) : NaN;
  return { ms, lifecycle: podLifecycleMs(sel), afterTerm: exitedAt - finishedAtMs(sel), afterLast: exitedAt - stampMs(test.at(-1)?.kubeletTs), lag };
}

// Warm-up: images on the node, API caches.
guideOnce();
inclusterOnce();
if (beforeCli) inclusterOnce(beforeCli);
const guide = [];
const ours = [];
const before = [];
for (let i = 0; i < runs; i++) {
  guide.push(guideOnce());
  ours.push(inclusterOnce());
  if (beforeCli) before.push(inclusterOnce(beforeCli));
  process.stderr.write(`run ${i + 1}/${runs}: kubectl ${seconds(guide.at(-1).ms)}s, incluster ${seconds(ours.at(-1).ms)}s${beforeCli ? `, before ${seconds(before.at(-1).ms)}s` : ""}\n`);
}
k("delete", "job", "test-trivial-e2e", "--ignore-not-found=true");
k("delete", "jobs", "-l", "incluster.dev/suite=trivial,incluster.dev/run-id", "--ignore-not-found=true");
rmSync(dir, { recursive: true, force: true });

const mg = median(guide.map((r) => r.ms));
const mi = median(ours.map((r) => r.ms));
const life = median(ours.map((r) => r.lifecycle ?? NaN));
const lifeGuide = median(guide.map((r) => r.lifecycle ?? NaN));
console.error(`runs: ${runs} each, alternating, same Job spec, same session`);
console.error(`guide's kubectl sequence (delete, apply, wait, logs): median ${seconds(mg)}s  (pod lifecycle median ${seconds(lifeGuide)}s)`);
console.error(`incluster run (preflight, apply, create, watch, logs, verdict): median ${seconds(mi)}s  (pod lifecycle median ${seconds(life)}s)`);
const paired = (xs) => median(xs.map((x, i) => x.ms / guide[i].ms));
console.error(`ratio incluster / kubectl (median of ${runs} paired ratios): ${paired(ours).toFixed(2)}`);
if (beforeCli) {
  console.error(`before (${beforeCli}): median ${seconds(median(before.map((r) => r.ms)))}s; ratio before / kubectl (median of paired ratios): ${paired(before).toFixed(2)}`);
  console.error(`ratio incluster / before (median of paired ratios): ${median(ours.map((x, i) => x.ms / before[i].ms)).toFixed(2)}`);
}
console.error(`incluster beyond the pod lifecycle (pod created → container terminated, 1 s timestamps): ${seconds(mi - life)}s median`);
console.error(`kubectl beyond the pod lifecycle: ${seconds(mg - lifeGuide)}s median`);

// P1b: the CLI's exit after the test's last line (the kubelet's ns stamp; the container exits
// right after it), against the kubelet's status lag measured in the same round; the median of
// the paired differences. finishedAt (1 s precision) is printed for reference.
const afterLast = median(ours.map((r) => r.afterLast));
const lag = median(ours.map((r) => r.lag));
const beyondLag = median(ours.map((r) => r.afterLast - r.lag));
console.error(`P1b: exit after the test's last line ${seconds(afterLast)}s median; kubelet status lag ${seconds(lag)}s median; beyond the lag ${seconds(beyondLag)}s (median of paired differences); exit after finishedAt (1 s stamps) ${seconds(median(ours.map((r) => r.afterTerm)))}s`);
const ratio = paired(ours);
emit([
  row("P1 one trivial suite vs the guide's kubectl sequence", `${seconds(mg)} s`, `${seconds(mi)} s`, ratio.toFixed(2), "≤ 0.6", ratio <= 0.6),
  row("P1b CLI exit after the test's last line, beyond the kubelet's status lag (same round)", `lag ${seconds(lag)} s`, `${seconds(afterLast)} s`, `+${seconds(beyondLag)} s`, "≤ +0.3 s", beyondLag / 1000 <= 0.3),
]);
