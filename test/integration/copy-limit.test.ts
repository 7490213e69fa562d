// Issue 23 part 2 on the real cluster: 30 suites end together, each with a JUnit and an artifact
// to copy out over pods/exec. The copies run under the copy limit (4): the CLI's TCP connections
// to the API server, sampled with `ss` every 0.2 s, stay at 1 + 4 or fewer (before the limit: 9
// at peak, 31 opened), and its own counters (-v) say the same. Every suite's verdict
// (suite.decided) comes as its tests end, not after the copies queued ahead of it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/events/types.js";
import type { RunResult } from "../../src/results/run-result.js";
import { RUN_ID_LABEL } from "../../src/names.js";
import { ADMIN_KUBECONFIG, KUBECTL, requireCluster, startCli, waitForOutput } from "./support/cli.js";

const SUITES = 30;
const dir = mkdtempSync(join(tmpdir(), "incluster-copy-limit-"));
const NAMESPACE = `incluster-copies-${Date.now().toString(36)}`;
const config = join(dir, "incluster.yaml");
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8" });
const apiPort = new URL(JSON.parse(kubectl("config", "view", "--minify", "-o", "json")).clusters[0].cluster.server).port || "443";

// Each suite sleeps until the same wall-clock second, so all 30 end within about a second.
const SCRIPT = [
  'mkdir -p "$INCLUSTER_ARTIFACTS"',
  'python3 -c "import time; t = int(__import__(\'os\').environ[\'END_AT\']); time.sleep(max(0, t - time.time()))"',
  'printf \'<testsuite name="s" tests="1"><testcase classname="copy" name="one"/></testsuite>\' > "$INCLUSTER_ARTIFACTS/junit.xml"',
  'head -c 262144 /dev/urandom > "$INCLUSTER_ARTIFACTS/blob.bin"',
  "echo done",
].join(" && ");

beforeAll(() => {
  requireCluster();
  kubectl("create", "namespace", NAMESPACE);
});

afterAll(() => {
  kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=false");
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI's TCP connections to the API server right now (established). */
function connections(pid: number): number {
  const out = execFileSync("ss", ["-Htnp", "state", "established", `( dport = :${apiPort} )`], { encoding: "utf8" });
  return out.split("\n").filter((l) => l.includes(`pid=${pid},`)).length;
}

function writeConfig(endAt: number): void {
  let y = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ${NAMESPACE}
source:
  git: { url: "git://10.244.0.1/sample-app.git", ref: main, image: 127.0.0.1:5000/incluster/git:2 }
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
  kubernetesAccess: false
  env: { END_AT: "${endAt}" }
  resources:
    requests: { cpu: 10m, memory: 32Mi }
    limits: { cpu: 500m, memory: 128Mi }
suites:
`;
  for (let i = 0; i < SUITES; i++) y += `  copy-${i}:\n    junit: junit.xml\n    command: ["sh", "-c", ${JSON.stringify(SCRIPT)}]\n`;
  writeFileSync(config, y);
}

describe("copies under the limit on the real cluster", () => {
  it(`${SUITES} suites ending together: at most 1 + 4 connections, every artifact set back, verdicts as the tests end`, async () => {
    // Time for 30 pods to start on the node before they all end together.
    const endAt = Math.ceil(Date.now() / 1000) + 40;
    writeConfig(endAt);
    const events = join(dir, "events.jsonl");
    const t0 = Date.now();
    const c = startCli(["-c", config, "run", "--all", "-v", "-q", "-o", "json", "--events", events, "--report-dir", join(dir, "runs")]);
    let peak = 0;
    const samples: number[] = [];
    const sample = setInterval(() => {
      if (c.child.pid === undefined) return;
      const n = connections(c.child.pid);
      samples.push(n);
      peak = Math.max(peak, n);
    }, 200);
    const r = await c.done;
    clearInterval(sample);
    const ms = Date.now() - t0;
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    const result = JSON.parse(r.stdout) as RunResult;
    const api = /api: (\d+) requests \((\d+) watches and log streams, (\d+) retried after 429\/503\) over (\d+) connection\(s\), at most (\d+) in flight; pods\/exec: (\d+), at most (\d+) open at once; copies: (\d+), at most (\d+) at once \(limit (\d+)\), at most (\d+) queued/.exec(r.stderr);
    expect(api, `the -v api note in:\n${r.stderr.slice(-2000)}`).not.toBeNull();
    const [requests, , , opened, , execs, peakExecs, copies, peakCopies, limit, queued] = (api ?? []).slice(1).map(Number);

    // Verdict latency: each suite's suite.decided after its test container's finishedAt.
    const lines = readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l) as RunEvent);
    const decided = new Map(lines.flatMap((e) => (e.type === "suite.decided" ? [[e.suite, Date.parse(e.ts)] as const] : [])));
    const verdictAt = new Map(lines.flatMap((e) => (e.type === "suite.verdict" ? [[e.suite, Date.parse(e.ts)] as const] : [])));
    const lags: number[] = [];
    for (const s of result.suites) {
      const pods = JSON.parse(readFileSync(join(dir, "runs", s.suite, "pods.json"), "utf8")) as { status: { containerStatuses?: { name: string; state?: { terminated?: { finishedAt?: string } } }[] } }[];
      const end = pods.flatMap((p) => p.status.containerStatuses ?? []).find((x) => x.name === "test-runner")?.state?.terminated?.finishedAt;
      if (end) lags.push((decided.get(s.suite) ?? NaN) - Date.parse(end));
    }
    lags.sort((a, b) => a - b);
    // Each copy's start, from its -v note ("copied out in Xs (after Ys queued)"), and how long it queued.
    const copyNotes = lines.flatMap((e) => {
      const m = e.type === "suite.note" ? /copied out in ([\d.]+)s(?: \(after ([\d.]+)s queued\))?/.exec(e.text) : null;
      return m ? [{ suite: e.type === "suite.note" ? e.suite : "", began: Date.parse(e.ts) - Number(m[1]) * 1000, queuedMs: Number(m[2] ?? 0) * 1000 }] : [];
    });
    const firstVerdict = Math.min(...verdictAt.values());
    const lastDecided = Math.max(...decided.values());
    const longestQueue = Math.max(...copyNotes.map((n) => n.queuedMs));
    console.log(
      `[copy-limit] ${SUITES} suites in ${(ms / 1000).toFixed(1)} s; ss peak ${peak} connection(s) to :${apiPort} (${samples.length} samples); ` +
        `-v: ${requests} requests (${(requests! / SUITES).toFixed(1)} per suite) over ${opened} connection(s) opened, pods/exec ${execs} (at most ${peakExecs} open), ` +
        `copies ${copies} (at most ${peakCopies} at once, limit ${limit}, at most ${queued} queued, the longest wait ${longestQueue} ms); ` +
        `suite.decided after the test container's finishedAt (whole seconds; the kubelet's status lag): median ${lags[Math.floor(lags.length / 2)]} ms, ` +
        `max ${lags[lags.length - 1]} ms; suite.verdict (each as its own copy ended) from ${firstVerdict - lastDecided} to ` +
        `${Math.max(...verdictAt.values()) - lastDecided} ms after the last suite.decided`,
    );
    expect(result.suites.filter((s) => s.verdict === "passed")).toHaveLength(SUITES);
    for (const s of result.suites) {
      expect(s.tests?.map((x) => x.name), s.suite).toEqual(["one"]);
      expect(s.artifacts, s.suite).toMatchObject({ files: 2, logComplete: true });
    }
    expect(limit).toBe(4);
    expect(copies).toBe(SUITES);
    expect(peakCopies).toBeLessThanOrEqual(4);
    expect(peakExecs).toBeLessThanOrEqual(4);
    expect(peak).toBeLessThanOrEqual(5);
    // Copies did queue (30 ended together), yet no verdict waited: each suite.decided came before its own copy began.
    expect(queued).toBeGreaterThan(0);
    expect(decided.size).toBe(SUITES);
    expect(copyNotes).toHaveLength(SUITES);
    for (const n of copyNotes) expect(decided.get(n.suite) ?? Infinity, n.suite).toBeLessThanOrEqual(n.began + 5);
  }, 300_000);

  // Ctrl-C just as 30 suites' tests end, at copy limit 1 (CTRLC_COPY_LIMIT sets another): the
  // kubelet is already stopping each pod's collector with the pod's full grace (it waits up to
  // COLLECTOR_GRACE.idleS for a copy), which a 1 s delete does not shorten, so the cleanup tells
  // each waiting collector to go (run/cleanup.ts). Before: 18–28 objects left 10 s later. The
  // exit itself took 3.9–6.6 s on this 2-core machine (deleting 30 Jobs alone took the API server
  // 2–5.7 s while 30 pods ended): over the 2 s the other moments meet (interrupt.test.ts); the
  // bound here is the one the machine allows, the figure is printed.
  it("Ctrl-C while copies are queued (limit 1): exit 130, nothing of the run left 10 s later", async () => {
    const endAt = Math.ceil(Date.now() / 1000) + 40;
    writeConfig(endAt);
    const c = startCli(["-c", config, "run", "--all", "-v", "-q", "--report-dir", join(dir, "runs-int")], { INCLUSTER_COPY_CONCURRENCY: process.env.CTRLC_COPY_LIMIT ?? "1" });
    // The first copy is done and the others wait for the one slot.
    await waitForOutput(c.stderrSoFar, /copied out in [\d.]+s/, 150_000);
    const t0 = Date.now();
    c.child.kill("SIGINT");
    const r = await c.done;
    const ms = Date.now() - t0;
    const runId = /run ([a-z0-9]{6}):/.exec(r.stderr)?.[1] ?? "";
    const neverBegun = (r.stderr.match(/interrupted before this copy's turn/g) ?? []).length;
    await new Promise((res) => setTimeout(res, 10_000));
    const left = kubectl("-n", NAMESPACE, "get", "jobs,pods,configmaps", "-l", `${RUN_ID_LABEL}=${runId}`, "-o", "name").split("\n").filter(Boolean);
    console.log(`[copy-limit] Ctrl-C with copies queued: exit ${r.code} after ${ms} ms; ${neverBegun} copies never begun; objects left 10 s later: ${left.length}`);
    expect(r.code, r.stderr.slice(-2000)).toBe(130);
    expect(ms).toBeLessThan(15_000);
    expect(left).toEqual([]);
  }, 300_000);
});
