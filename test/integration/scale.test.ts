// Issue 11: a reduced scale run in CI. 200 suites land on kwok's simulated nodes (the scale mode
// of the project's cluster, `test/cluster/up --kwok-nodes N`, added here if absent) through the
// `scheduling` field; the run's own counters keep the per-suite cost flat. Issue 23: kwok's pods
// answer pods/exec, so every suite's output is copied out (a real tar) and its JUnit read: one
// connection besides the copies' own (one WebSocket per copy's exec), at most 6 API requests per
// suite with the exec; log follows under the server's stream limit. Counts, not timings.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_KUBECONFIG, KUBECTL, ROOT, requireCluster, runJson } from "./support/cli.js";

/** The test cases every kwok pod's JUnit holds (test/cluster/kwok-output). */
const TESTS = 3;

const SUITES = 200;
const KWOK_NODES = 10;
const dir = mkdtempSync(join(tmpdir(), "incluster-scale-"));
// A namespace of its own: the 200 Jobs and ServiceAccounts go with it in one delete.
const NAMESPACE = `incluster-scale-${Date.now().toString(36)}`;
const config = join(dir, "incluster.yaml");
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });

beforeAll(() => {
  requireCluster();
  const ready = kubectl("get", "nodes", "-l", "type=kwok", "-o", "jsonpath={.items[*].status.conditions[?(@.type==\"Ready\")].status}").split(/\s+/).filter((s) => s === "True").length;
  if (ready < 1) execFileSync("bash", [join(ROOT, "test/cluster/up"), "--kwok-nodes", String(KWOK_NODES)], { stdio: "inherit" });
  execFileSync("bash", [join(ROOT, "test/cluster/kwok-output"), "--tests", String(TESTS)], { stdio: "inherit" });
  kubectl("create", "namespace", NAMESPACE);
  let y = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ${NAMESPACE}
source: { image: {} }
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
  kubernetesAccess: false
  scheduling:
    nodeSelector: { type: kwok }
    tolerations: [{ key: kwok.x-k8s.io/node, operator: Exists, effect: NoSchedule }]
suites:
`;
  for (let i = 0; i < SUITES; i++) y += `  scale-${i}:\n    command: ["true"]\n    junit: junit.xml\n`;
  writeFileSync(config, y);
});

afterAll(() => {
  kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=false");
  rmSync(dir, { recursive: true, force: true });
});

describe("scale mode (kwok)", () => {
  it(`runs ${SUITES} suites on simulated nodes, copies every pod's output (one exec each), at most 6 requests per suite`, async () => {
    const r = await runJson(["-c", config, "run", "--all", "-v", "--report-dir", join(dir, "runs")]);
    const runId = r.result.runId;
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(r.result.suites.filter((s) => s.verdict === "passed")).toHaveLength(SUITES);
    // Every artifact set came back whole through kwok's exec: the JUnit's tests, the log copy.
    const whole = r.result.suites.filter((s) => s.artifacts?.files === 1 && s.artifacts.logComplete && !s.artifacts.problem && s.tests?.length === TESTS);
    expect(whole.map((s) => s.suite)).toEqual(r.result.suites.map((s) => s.suite));
    // Every pod ran on a kwok node: real pods stay on the real node, these never reach it.
    const nodes = kubectl("-n", NAMESPACE, "get", "pods", "-l", `incluster.dev/run-id=${runId}`, "-o", "jsonpath={.items[*].spec.nodeName}").split(/\s+/).filter(Boolean);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => n.startsWith("kwok-node-"))).toBe(true);
    const api = /api: (\d+) requests \((\d+) watches and log streams, (\d+) retried after 429\/503\) over (\d+) connection/.exec(r.stderr);
    expect(api, "the -v api note").not.toBeNull();
    const [requests, , , connections] = (api ?? []).slice(1).map(Number);
    const execs = Number(/pods\/exec: (\d+)/.exec(r.stderr)?.[1]);
    const follows = /log follows: at most (\d+) open at once \(limit (\d+)\)/.exec(r.stderr)?.slice(1).map(Number) ?? [];
    console.log(`[scale] ${/api: .*/.exec(r.stderr)?.[0]}`);
    // One exec per copy (the "collected" answer rides on its stdin), each a WebSocket of its own;
    // everything else shares one connection.
    expect(execs).toBe(SUITES);
    expect(connections).toBeLessThanOrEqual(4 + SUITES);
    expect((requests ?? Infinity) / SUITES).toBeLessThanOrEqual(6);
    // Log follows never take the stream slots that requests and watches need.
    expect(follows[0]).toBeLessThanOrEqual(follows[1] ?? 0);
  });
});
