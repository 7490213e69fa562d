// Issue 23, part 1, on the real cluster: `incluster dev` holds one pod of a suite in the
// restricted namespace and reruns the tests in it on every save: pass, fail after an edit, pass
// after the revert; a change to the install line recreates the pod; an edit that breaks the
// config is one round's verdict, not the end; Ctrl-C leaves nothing within 2 s.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/events/types.js";
import { ADMIN_KUBECONFIG, KUBECTL, NAMESPACE, admin, requireCluster, startCli, waitForOutput } from "./support/cli.js";

const GIT_URL = "git://10.244.0.1/sample-app.git";
const IMAGE = "127.0.0.1:5000/incluster/python:3.11-pytest";
const CLONE_IMAGE = "127.0.0.1:5000/incluster/git:2";
const TEST = "tests/e2e/test_services.py";
const work = mkdtempSync(join(tmpdir(), "incluster-it-dev-"));
const suite = `dev-${randomBytes(3).toString("hex")}`;
const repo = join(work, "repo");
const eventsFile = join(work, "events.jsonl");

const config = (install: string) => `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ${NAMESPACE}
source:
  local:
    image: ${CLONE_IMAGE}
defaults:
  image: ${IMAGE}
  install: ${JSON.stringify(install)}
  resources:
    requests: { cpu: 100m, memory: 128Mi }
    limits: { cpu: 1000m, memory: 512Mi }
  env:
    ORCHESTRATOR_HOST: orchestrator.incluster-demo.svc.cluster.local
    ORCHESTRATOR_PORT: "50055"
    CONTEXT_HOST: context.incluster-demo.svc.cluster.local
    CONTEXT_PORT: "50054"
suites:
  ${suite}:
    test: ${TEST}
`;

/** Everything of this suite's dev sessions the admin still sees: pods (terminating ones too) and overlays. */
async function leftovers(): Promise<string[]> {
  const labelSelector = `app.kubernetes.io/managed-by=incluster,incluster.dev/suite=${suite}`;
  const [pods, maps] = await Promise.all([admin().list("pods", NAMESPACE, { labelSelector }), admin().listConfigMaps(NAMESPACE, labelSelector)]);
  return [...pods.items.map((p) => `pod/${p.metadata?.name}`), ...maps.map((m) => `configmap/${m.metadata?.name}`)];
}
const devPods = async () => (await admin().list("pods", NAMESPACE, { labelSelector: `incluster.dev/dev-of=${suite}` })).items;
const events = (): RunEvent[] => readFileSync(eventsFile, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l) as RunEvent);

beforeAll(() => {
  requireCluster();
  execFileSync("git", ["clone", "-q", GIT_URL, repo]);
  writeFileSync(join(repo, "incluster.yaml"), config(""));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("incluster dev", () => {
  let dev: ReturnType<typeof startCli> | undefined;
  let stdout = "";
  const original = () => readFileSync(join(repo, TEST), "utf8");
  let originalText = "";
  afterAll(() => dev?.child.kill("SIGKILL"));

  it("round 1 passes in a held pod that restricted admission accepted: the run's pod, the tests replaced by the hold", async () => {
    originalText = original();
    dev = startCli(["-c", join(repo, "incluster.yaml"), "dev", suite, "--events", eventsFile]);
    dev.child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    await waitForOutput(() => stdout + dev!.stderrSoFar(), /^round 1: |^error/m, 240_000);
    expect(stdout, dev.stderrSoFar()).toMatch(/^round 1: PASSED \S+ \([\d.]+s\) — exit 0$/m);
    const ns = JSON.parse(execFileSync(KUBECTL, ["get", "namespace", NAMESPACE, "-o", "json"], { encoding: "utf8", env: { ...process.env, KUBECONFIG: ADMIN_KUBECONFIG } })) as {
      metadata: { labels: Record<string, string> };
    };
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const [pod, ...more] = await devPods();
    expect(more).toEqual([]);
    expect(pod?.status?.phase).toBe("Running");
    const spec = pod?.spec as { serviceAccountName?: string; containers: { name: string; securityContext?: Record<string, unknown> }[] } | undefined;
    expect(spec?.serviceAccountName).toBe(`test-${suite}-e2e`);
    expect(spec?.containers.map((c) => c.name)).toEqual(["test-runner"]);
    expect(spec?.containers[0]?.securityContext).toMatchObject({ allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    const verdicts = events().filter((e) => e.type === "suite.verdict");
    expect(verdicts).toHaveLength(1);
    const tests = verdicts[0]?.type === "suite.verdict" ? (verdicts[0].result.tests ?? []) : [];
    expect(tests.length).toBeGreaterThan(0);
    expect(tests.every((t) => t.status === "passed")).toBe(true);
    console.log(`[dev] round 1 on pod/${pod?.metadata?.name}: ${tests.length} tests passed`);
  }, 300_000);

  it("an edit fails round 2 with the failing test named; the revert passes round 3; only the changed file is sent", async () => {
    const d = dev!;
    const t0 = Date.now();
    writeFileSync(join(repo, TEST), `${originalText}\n\ndef test_dev_edit():\n    assert 1 == 2, "edited to fail"\n`);
    await waitForOutput(() => stdout, /^round 2: /m, 60_000);
    const ms2 = Date.now() - t0;
    expect(stdout, d.stderrSoFar()).toMatch(/^round 2: FAILED \S+ \([\d.]+s\) — exit 1$/m);
    expect(d.stderrSoFar()).toContain("test_dev_edit");
    expect(d.stderrSoFar()).toMatch(/incluster: tests\/e2e\/test_services\.py changed: 1 file\(s\) sent \(\d+ B tar\)/);
    const failed = events().filter((e) => e.type === "suite.verdict").at(-1);
    const tests = failed?.type === "suite.verdict" ? (failed.result.tests ?? []) : [];
    expect(tests.find((t) => t.name === "test_dev_edit")?.status).toBe("failed");
    const t1 = Date.now();
    writeFileSync(join(repo, TEST), originalText);
    await waitForOutput(() => stdout, /^round 3: /m, 60_000);
    const ms3 = Date.now() - t1;
    expect(stdout).toMatch(/^round 3: PASSED \S+ \([\d.]+s\) — exit 0$/m);
    // The same bytes saved again: nothing new for the pod, so no round (and no line).
    writeFileSync(join(repo, TEST), originalText);
    await waitForOutput(d.stderrSoFar, /test_services\.py: no change from what the pod has; no round/, 30_000);
    expect(stdout).not.toMatch(/^round 4: /m);
    console.log(`[dev] save → verdict: round 2 ${ms2} ms, round 3 ${ms3} ms\n${stdout.trim()}`);
    // Each round is a run of its own in the stream: started, its log, its verdict, finished last.
    const runs = new Set(events().filter((e) => e.type === "run.finished").map((e) => e.runId));
    expect(runs.size).toBe(3);
  }, 180_000);

  it("a change to the install line rebuilds and recreates the pod, and says so", async () => {
    const d = dev!;
    const before = (await devPods()).map((p) => p.metadata?.name);
    writeFileSync(join(repo, "incluster.yaml"), config("echo installed-by-dev"));
    await waitForOutput(() => stdout, /^round 4: /m, 240_000);
    expect(stdout, d.stderrSoFar().slice(-3000)).toMatch(/^round 4: PASSED .* — exit 0$/m);
    expect(d.stderrSoFar()).toContain("incluster.yaml changed: rebuilding the image and recreating the pod");
    expect(d.stderrSoFar()).toContain("installed-by-dev");
    const after = (await devPods()).filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name);
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    console.log(`[dev] recreated: ${before.join(",")} → ${after.join(",")}`);
  }, 300_000);

  it("an edited config that does not validate is that round's verdict (exit 2), not the end; the fix rebuilds and passes", async () => {
    const d = dev!;
    const pods = async () => (await devPods()).filter((p) => !p.metadata?.deletionTimestamp).map((p) => p.metadata?.name);
    const before = await pods();
    // By its verdict, not its number: a save that reached the watcher in two bursts may have run
    // one more (passing) round after round 4.
    const from = stdout.length;
    writeFileSync(join(repo, "incluster.yaml"), config("echo installed-by-dev").replace("    test: ", "    tset: "));
    await waitForOutput(() => stdout.slice(from), /^round \d+: (?!PASSED)/m, 60_000);
    expect(stdout.slice(from), d.stderrSoFar().slice(-3000)).toMatch(/^round \d+: INVALID CONFIG .* — exit 2$/m);
    expect(d.child.exitCode).toBe(null);
    expect(await pods()).toEqual(before);
    const v = events().filter((e) => e.type === "suite.verdict").at(-1);
    expect(v?.type === "suite.verdict" ? v.result.reason : undefined).toBe("ConfigInvalid");
    const fixedFrom = stdout.length;
    writeFileSync(join(repo, "incluster.yaml"), config("echo installed-by-dev"));
    await waitForOutput(() => stdout.slice(fixedFrom), /^round \d+: /m, 240_000);
    expect(stdout.slice(fixedFrom), d.stderrSoFar().slice(-3000)).toMatch(/^round \d+: PASSED .* — exit 0$/m);
    const after = await pods();
    expect(after).toHaveLength(1);
    expect(after[0]).not.toBe(before[0]);
    console.log(`[dev] invalid config: ${stdout.slice(from, fixedFrom).trim()}, pod kept (${before.join(",")}); fixed: ${stdout.slice(fixedFrom).trim()} on ${after.join(",")}`);
  }, 300_000);

  it("Ctrl-C ends it and leaves nothing within 2 s", async () => {
    const d = dev!;
    const t0 = Date.now();
    d.child.kill("SIGINT");
    let left = await leftovers();
    while (left.length && Date.now() - t0 < 2000) left = await leftovers();
    const ms = Date.now() - t0;
    expect(left).toEqual([]);
    const r = await d.done;
    console.log(`[dev] Ctrl-C: nothing left after ${ms} ms; exit ${r.code} after ${Date.now() - t0} ms`);
    expect(ms).toBeLessThanOrEqual(2000);
    expect(Date.now() - t0).toBeLessThan(5000);
  }, 60_000);
});

describe("incluster dev interrupted while its pod starts", () => {
  it("Ctrl-C before the pod is Running: exit 130, the pod and its overlay deleted, nothing left within 2 s", async () => {
    const d = startCli(["-c", join(repo, "incluster.yaml"), "dev", suite]);
    await waitForOutput(d.stderrSoFar, /source: local working tree/, 60_000);
    const t0 = Date.now();
    d.child.kill("SIGINT");
    const r = await d.done;
    let left = await leftovers();
    while (left.length && Date.now() - t0 < 2000) left = await leftovers();
    console.log(`[dev] Ctrl-C during the start: exit ${r.code} after ${Date.now() - t0} ms; left: ${left.join(", ") || "nothing"}`);
    expect(r.code, r.stderr).toBe(130);
    expect(left).toEqual([]);
    expect(Date.now() - t0).toBeLessThanOrEqual(2000);
  }, 120_000);
});
