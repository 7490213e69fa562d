// Issue 13 item 5 (part A), faults that happen to a run's pods and to its CLI, on the real cluster:
// a pod evicted through the Eviction API mid-test (the Job's podFailurePolicy starts a new pod;
// incluster says so, the verdict stands and the saved log keeps both pods' lines), the CLI
// SIGKILLed mid-run (`incluster clean --run <id>` removes that run's Job, Pod and overlay and
// nothing else: not a live run's, not someone else's), and API Priority and Fairness rejecting the
// run's requests with 429 (the transport retries after Retry-After; the verdicts are right).
// Each test works in a namespace of its own, deleted at the end.
import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { RunEvent } from "../../src/index.js";
import type { RunResult } from "../../src/results/run-result.js";
import { MANAGED_BY, RUN_ID_LABEL } from "../../src/names.js";
import { ADMIN_KUBECONFIG, KUBECTL, ROOT, cli, requireCluster, startCli, waitForOutput } from "./support/cli.js";

const GIT_URL = "git://10.244.0.1/sample-app.git";
const IMAGE = "127.0.0.1:5000/incluster/python:3.11-pytest";
const CLONE_IMAGE = "127.0.0.1:5000/incluster/git:2";
const id = randomBytes(3).toString("hex");
const work = mkdtempSync(join(tmpdir(), "incluster-it-faults-pod-"));
const namespaces: string[] = [];

let kc: KubeConfig;
let core: CoreV1Api;
let objects: KubernetesObjectApi;
const create = (o: object) => objects.create(o as KubernetesObject);
const kubectl = (...args: string[]) => execFileSync(KUBECTL, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, KUBECONFIG: ADMIN_KUBECONFIG } });

beforeAll(() => {
  requireCluster();
  kc = new KubeConfig();
  kc.loadFromFile(ADMIN_KUBECONFIG);
  core = kc.makeApiClient(CoreV1Api);
  objects = KubernetesObjectApi.makeApiClient(kc);
});

afterAll(async () => {
  // Not waited for: the namespace's Jobs, Pods and ConfigMaps go with it.
  for (const ns of namespaces) await objects.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns } } as KubernetesObject).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

async function namespace(prefix: string): Promise<string> {
  const ns = `incluster-${prefix}-${id}`;
  namespaces.push(ns);
  await create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } });
  return ns;
}

/** An incluster.yaml in the work folder. */
function config(name: string, ns: string, suites: Record<string, unknown>, source: unknown = { git: { url: GIT_URL, ref: "main", image: CLONE_IMAGE } }, extra: Record<string, unknown> = {}): string {
  const path = join(work, `${name}.yaml`);
  writeFileSync(
    path,
    stringify({
      apiVersion: "incluster.dev/v1alpha1",
      kind: "Config",
      namespace: ns,
      source,
      defaults: { image: IMAGE, install: "", resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "500m", memory: "128Mi" } }, timeout: "3m" },
      suites,
      ...extra,
    }),
  );
  return path;
}

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<{ value: T; afterMs: number }> {
  const t0 = Date.now();
  for (;;) {
    const value = await get();
    if (ok(value) || Date.now() - t0 > ms) return { value, afterMs: Date.now() - t0 };
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("a pod evicted mid-test", () => {
  it("the Job starts a new pod; incluster says evicted, then replaced; passed; the saved log keeps both pods' lines", async () => {
    const ns = await namespace("evict");
    // Ten lines a second apart, each naming its pod: the eviction lands between lines 2 and 10.
    const cfg = config("evict", ns, { ticker: { command: ["sh", "-c", 'for i in $(seq 1 10); do echo "tick $i on $HOSTNAME"; sleep 1; done'] } });
    const report = join(work, "report-evict");
    const events = join(work, "events-evict.jsonl");
    const t0 = Date.now();
    const c = startCli(["-c", cfg, "run", "ticker", "--report-dir", report, "--events", events, "-o", "json"]);
    await waitForOutput(c.stderrSoFar, /tick 2 on (\S+)/, 90_000);
    const first = /tick 2 on (\S+)/.exec(c.stderrSoFar())?.[1] ?? "";
    // The Eviction API, as `kubectl drain` uses it; a short grace (the runner, PID 1, ignores SIGTERM).
    await core.createNamespacedPodEviction({ name: first, namespace: ns, body: { apiVersion: "policy/v1", kind: "Eviction", metadata: { name: first, namespace: ns }, deleteOptions: { gracePeriodSeconds: 1 } } });
    const evictedAt = Date.now() - t0;
    const r = await c.done;
    const result = JSON.parse(r.stdout) as RunResult;
    const suite = result.suites[0];
    const saved = readFileSync(resolve(ROOT, suite?.logs["test-runner"] ?? "none"), "utf8");
    const ticks = (pod: string) => saved.split("\n").filter((l) => l.startsWith("tick ") && l.endsWith(` on ${pod}`)).length;
    const second = /^tick 10 on (\S+)$/m.exec(saved)?.[1] ?? "";
    const notes = r.stderr.split("\n").filter((l) => /evicted|in place of/.test(l));
    console.log(`[faults-pod] eviction: pod/${first} evicted ${evictedAt} ms after start; exit ${r.code} in ${Date.now() - t0} ms, verdict ${suite?.verdict}; saved test-runner.log: ${ticks(first)} ticks of pod/${first}, ${ticks(second)} of pod/${second}\n${notes.join("\n")}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(suite).toMatchObject({ verdict: "passed" });
    expect(second).not.toBe(first);
    // What the terminal says: why the pod went, and that the Job replaced it.
    expect(r.stderr).toContain(`pod/${first} was evicted (EvictionByEvictionAPI: Eviction API: evicting); the Job's podFailurePolicy ignores disruptions, so the Job starts a new pod`);
    expect(r.stderr).toContain(`pod/${second} started in place of the evicted pod/${first}`);
    expect(r.stderr).toMatch(/PASSED ticker/);
    expect(suite?.notes.join("\n")).toContain(`started in place of the evicted pod/${first}`);
    // Both pods' lines are in the saved log: the evicted pod's as streamed, the new pod's copy whole.
    expect(ticks(first)).toBeGreaterThanOrEqual(2);
    expect(ticks(second)).toBe(10);
    expect(saved.indexOf(` on ${first}`)).toBeLessThan(saved.indexOf(` on ${second}`));
    // The --events log lines are the saved log, line for line.
    const logEvents = readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l) as RunEvent).filter((e) => e.type === "log" && e.container === "test-runner");
    expect(logEvents.map((e) => (e.type === "log" ? `${e.line}\n` : "")).join("")).toBe(saved);
    expect(new Set(logEvents.map((e) => (e.type === "log" ? e.pod : "")))).toEqual(new Set([first, second]));
  }, 120_000);
});

describe("the CLI SIGKILLed mid-run", () => {
  it("clean keeps a running run by default; clean --run <id> removes that run's Job, Pod and overlay, and nothing else", async () => {
    const ns = await namespace("kill");
    const repo = join(work, "local-repo");
    execFileSync("git", ["clone", "-q", GIT_URL, repo]);
    writeFileSync(join(repo, "local_edit.txt"), "an uncommitted file: the run has an overlay ConfigMap\n");
    const cfg = config("kill", ns, { sleeper: { command: ["sh", "-c", "echo started; sleep 120"] } }, { local: { path: repo, image: CLONE_IMAGE } });
    // Someone else's Job and ConfigMap: the ConfigMap even has an overlay's name.
    await create({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "not-ours", namespace: ns, labels: { app: "test-sleeper-e2e" } }, spec: { suspend: true, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "127.0.0.1:5000/incluster/busybox:1" }] } } } });
    await create({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "test-sleeper-e2e-zzzzzz-src", namespace: ns }, data: { x: "not ours" } });
    // Two runs of the same suite: one whose CLI stays alive, and the victim.
    const live = startCli(["-c", cfg, "run", "sleeper", "-q", "--report-dir", join(work, "report-live")]);
    const victim = startCli(["-c", cfg, "run", "sleeper", "-q", "--report-dir", join(work, "report-victim")]);
    try {
      await Promise.all([waitForOutput(live.stderrSoFar, /\[sleeper\] running:/, 90_000), waitForOutput(victim.stderrSoFar, /\[sleeper\] running:/, 90_000)]);
      const liveId = /run ([a-z0-9]{6}):/.exec(live.stderrSoFar())?.[1] ?? "";
      const victimId = /run ([a-z0-9]{6}):/.exec(victim.stderrSoFar())?.[1] ?? "";
      victim.child.kill("SIGKILL");
      const killed = await victim.done;
      expect(killed.code).toBeNull();
      const objectsOf = async (runId: string) => {
        const sel = `${RUN_ID_LABEL}=${runId}`;
        const [jobs, pods, cms] = await Promise.all([objects.list("batch/v1", "Job", ns, undefined, undefined, undefined, undefined, sel), core.listNamespacedPod({ namespace: ns, labelSelector: sel }), core.listNamespacedConfigMap({ namespace: ns, labelSelector: sel })]);
        const live = (xs: KubernetesObject[]) => xs.filter((x) => !x.metadata?.deletionTimestamp).length;
        return { jobs: jobs.items.length, pods: pods.items.length, configMaps: cms.items.length, alive: live(jobs.items) + live(pods.items) + live(cms.items) };
      };
      // Nobody cleaned up after the killed CLI: its Job, Pod and overlay are all there.
      const orphaned = await objectsOf(victimId);
      expect(orphaned).toMatchObject({ jobs: 1, pods: 1, configMaps: 1 });

      // By default clean cannot tell a dead CLI's run from a live one's: both running Jobs stay.
      const plain = await cli(["-c", cfg, "clean"]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stdout).toBe("");
      expect(plain.stderr).toMatch(/deleted 0 job\(s\) in .*; kept 2 still running \(run /);
      // Named, it goes, finished or not.
      const t0 = Date.now();
      const named = await cli(["-c", cfg, "clean", "--run", victimId]);
      const gone = await until(() => objectsOf(victimId), (o) => o.jobs + o.pods + o.configMaps === 0, 30_000);
      console.log(`[faults-pod] SIGKILL: run ${victimId} orphaned ${JSON.stringify(orphaned)}; clean (no flags): ${plain.stderr.trim()}; clean --run ${victimId} exit ${named.code}:\n${named.stdout}${named.stderr}  all gone ${gone.afterMs} ms after clean returned (${Date.now() - t0} ms after it started)`);
      expect(named.code, named.stderr).toBe(0);
      expect(named.stdout).toContain(`deleted job/test-sleeper-e2e-${victimId}\n`);
      expect(named.stdout).toMatch(new RegExp(`deleted pod/test-sleeper-e2e-${victimId}-[a-z0-9]{5}\\n`));
      expect(named.stdout).toContain(`deleted configmap/test-sleeper-e2e-${victimId}-src\n`);
      expect(gone.value).toMatchObject({ jobs: 0, pods: 0, configMaps: 0 });

      // The live run's objects and someone else's are untouched (none is even being deleted).
      expect(await objectsOf(liveId)).toEqual({ jobs: 1, pods: 1, configMaps: 1, alive: 3 });
      const theirs = await Promise.all([objects.read({ apiVersion: "batch/v1", kind: "Job", metadata: { name: "not-ours", namespace: ns } }), core.readNamespacedConfigMap({ name: "test-sleeper-e2e-zzzzzz-src", namespace: ns })]);
      expect(theirs.map((o) => o.metadata?.deletionTimestamp)).toEqual([undefined, undefined]);
      expect(live.child.exitCode).toBeNull();
      // The live CLI still follows its run to the end: Ctrl-C cleans up after itself.
      live.child.kill("SIGINT");
      const ended = await live.done;
      expect(ended.code).toBe(130);
      expect(ended.stderr).toContain(`deleted configmap/test-sleeper-e2e-${liveId}-src`);
      // Only ours were ever selected: every incluster object in the namespace is labelled so.
      const left = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: `${MANAGED_BY}=incluster` });
      expect(left.items.filter((x) => !x.metadata?.deletionTimestamp).map((x) => x.metadata?.name)).toEqual([]);
    } finally {
      live.child.kill("SIGKILL");
      victim.child.kill("SIGKILL");
    }
  }, 150_000);
});

/** A burst of concurrent GETs as the user; how many were answered 429, and their Retry-After values. */
async function burst(server: string, ca: Buffer | undefined, token: string, path: string, n: number): Promise<{ statuses: Record<number, number>; retryAfter: string[] }> {
  const u = new URL(server);
  const one = () =>
    new Promise<{ status: number; retryAfter?: string }>((resolve) => {
      const req = httpsRequest({ host: u.hostname, port: u.port, path, method: "GET", ...(ca ? { ca } : {}), headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ...(res.headers["retry-after"] ? { retryAfter: String(res.headers["retry-after"]) } : {}) }));
      });
      req.on("error", () => resolve({ status: 0 }));
      req.end();
    });
  const all = await Promise.all(Array.from({ length: n }, one));
  const statuses: Record<number, number> = {};
  for (const r of all) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  return { statuses, retryAfter: all.filter((r) => r.status === 429).map((r) => r.retryAfter ?? "(none)") };
}

describe("API Priority and Fairness rejects the run's requests", () => {
  const name = `incluster-it-apf-${id}`;
  afterAll(async () => {
    // Even when the test failed: the cluster's other users must not stay throttled.
    for (const kind of ["FlowSchema", "PriorityLevelConfiguration"]) {
      await objects.delete({ apiVersion: "flowcontrol.apiserver.k8s.io/v1", kind, metadata: { name } } as KubernetesObject).catch(() => undefined);
    }
  });

  it("429 with Retry-After: the requests are retried, every verdict is right", async () => {
    const ns = await namespace("apf");
    // The run's user: a ServiceAccount with every right in its namespace, by token.
    await create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "apf-user", namespace: ns } });
    await create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "apf-user", namespace: ns }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] });
    await create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "apf-user", namespace: ns }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "apf-user" }, subjects: [{ kind: "ServiceAccount", name: "apf-user", namespace: ns }] });
    const tr = await core.createNamespacedServiceAccountToken({ name: "apf-user", namespace: ns, body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences: [], expirationSeconds: 3600 } } });
    const token = tr.status?.token ?? "";
    const cluster = kc.getCurrentCluster();
    if (!cluster || !token) throw new Error("no cluster or token");
    const ca = cluster.caData ? Buffer.from(cluster.caData, "base64") : cluster.caFile ? readFileSync(cluster.caFile) : undefined;
    const userKubeconfig = join(work, "apf.kubeconfig");
    writeFileSync(
      userKubeconfig,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: cluster.server, ...(cluster.caData ? { "certificate-authority-data": cluster.caData } : {}), ...(cluster.caFile ? { "certificate-authority": cluster.caFile } : {}) } }],
        users: [{ name: "apf-user", user: { token } }],
        contexts: [{ name: "apf", context: { cluster: "c", user: "apf-user", namespace: ns } }],
        "current-context": "apf",
      }),
    );
    // The tightest level there is: ~3 seats (1 share of the server's 600), nothing lent or
    // borrowed, no queue: whatever finds the seats taken is rejected at once with 429.
    await create({ apiVersion: "flowcontrol.apiserver.k8s.io/v1", kind: "PriorityLevelConfiguration", metadata: { name }, spec: { type: "Limited", limited: { nominalConcurrencyShares: 1, lendablePercent: 0, borrowingLimitPercent: 0, limitResponse: { type: "Reject" } } } });
    await create({
      apiVersion: "flowcontrol.apiserver.k8s.io/v1",
      kind: "FlowSchema",
      metadata: { name },
      spec: {
        priorityLevelConfiguration: { name },
        matchingPrecedence: 1000,
        distinguisherMethod: { type: "ByUser" },
        rules: [
          {
            subjects: [{ kind: "ServiceAccount", serviceAccount: { name: "apf-user", namespace: ns } }],
            resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"], namespaces: ["*"], clusterScope: true }],
            nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
          },
        ],
      },
    });
    // The API server applies the new configuration within moments: until a burst is rejected.
    const probe = await until(() => burst(cluster.server, ca, token, `/api/v1/namespaces/${ns}/pods`, 40), (b) => (b.statuses[429] ?? 0) > 0, 20_000);
    expect(probe.value.statuses[429] ?? 0, JSON.stringify(probe.value)).toBeGreaterThan(0);
    expect(probe.value.retryAfter.every((v) => /^\d+$/.test(v))).toBe(true);

    // Six suites at once through that user: five pass, one fails on purpose.
    const suites: Record<string, unknown> = {};
    for (let i = 1; i <= 5; i++) suites[`ok-${i}`] = { command: ["sh", "-c", `echo suite ${i} passes`] };
    suites["fails"] = { command: ["sh", "-c", "echo this one fails on purpose; exit 1"] };
    const cfg = config("apf", ns, suites);
    const metric = () => {
      const line = kubectl("get", "--raw", "/metrics").split("\n").filter((l) => l.startsWith("apiserver_flowcontrol_rejected_requests_total{") && l.includes(`priority_level="${name}"`));
      return line.reduce((n, l) => n + Number(l.split(" ").at(-1)), 0);
    };
    const rejectedBefore = metric();
    const t0 = Date.now();
    const r = await cli(["--kubeconfig", userKubeconfig, "-c", cfg, "run", "--all", "--concurrency", "6", "-v", "-q", "-o", "json", "--report-dir", join(work, "report-apf")], { KUBECONFIG: "" });
    const rejected = metric() - rejectedBefore;
    const api = /api: (\d+) requests \((\d+) watches and log streams, (\d+) retried after 429\/503\) over (\d+) connection/.exec(r.stderr);
    const result = JSON.parse(r.stdout || "{}") as RunResult;
    const verdicts = Object.fromEntries((result.suites ?? []).map((s) => [s.suite, s.verdict]));
    console.log(`[faults-pod] APF: probe burst of 40 ${JSON.stringify(probe.value.statuses)} Retry-After ${[...new Set(probe.value.retryAfter)].join(",")} (${probe.afterMs} ms after the FlowSchema); run exit ${r.code} in ${Date.now() - t0} ms, verdicts ${JSON.stringify(verdicts)}; ${api?.[0]}; the API server rejected ${rejected} requests of the level during the run`);
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    expect(verdicts).toEqual({ "ok-1": "passed", "ok-2": "passed", "ok-3": "passed", "ok-4": "passed", "ok-5": "passed", fails: "failed" });
    expect(api, r.stderr.slice(-2000)).not.toBeNull();
    expect(Number(api?.[3])).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
    // Each retry answered a 429 the server counted (watches it rejected reopen on their own, uncounted).
    expect(Number(api?.[3])).toBeLessThanOrEqual(rejected);
  }, 150_000);
});
