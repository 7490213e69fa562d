// Issue 13 item 3: one unique token in each place a secret lives today — the git credentials
// Secret (a private repository over HTTP that really wants it), an env secretKeyRef Secret, and the
// kubeconfig's user token (a real ServiceAccount token the runs authenticate with) — then runs that
// pass, fail and are interrupted (SIGINT), and searches everything incluster wrote or sent: stdout,
// stderr, the report dirs, the --events files, the Job/ConfigMap/Pod specs read back from the API
// and every container's log. 0 hits. (Notifications do not exist yet: no webhook URL to plant.)
import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { ADMIN_KUBECONFIG, requireCluster, startCli, type CliResult } from "./support/cli.js";
import { startGitHttp, type GitHttp } from "./support/git-http.js";

const GIT_URL = "git://10.244.0.1/sample-app.git";
const IMAGE = "127.0.0.1:5000/incluster/python:3.11-pytest";
const id = randomBytes(3).toString("hex");
const NS = `incluster-scan-${id}`;
/** The planted token: the git password and the env Secret's value. */
const TOKEN = `incl-planted-${randomBytes(12).toString("hex")}`;
const work = mkdtempSync(join(tmpdir(), "incluster-it-scan-"));

let kc: KubeConfig;
let core: CoreV1Api;
let objects: KubernetesObjectApi;
let server: GitHttp | undefined;
/** The ServiceAccount token in the scan user's kubeconfig: real, so it must never appear either. */
let userToken = "";
let userKubeconfig = "";
let configPath = "";

/** Every place searched, with its text. */
const places: { place: string; text: string }[] = [];
const record = (place: string, text: string) => places.push({ place, text });

const create = (o: object) => objects.create(o as KubernetesObject);

beforeAll(async () => {
  requireCluster();
  kc = new KubeConfig();
  kc.loadFromFile(ADMIN_KUBECONFIG);
  core = kc.makeApiClient(CoreV1Api);
  objects = KubernetesObjectApi.makeApiClient(kc);
  await create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } });
  // The private repository: the sample app behind HTTP Basic auth with the planted token.
  const root = join(work, "git");
  mkdirSync(root);
  execFileSync("git", ["clone", "-q", "--bare", GIT_URL, join(root, "app.git")]);
  execFileSync("git", ["-C", join(root, "app.git"), "config", "uploadpack.allowReachableSHA1InWant", "true"]);
  server = await startGitHttp(root, "10.244.0.1", "tester", TOKEN);
  await create({ apiVersion: "v1", kind: "Secret", metadata: { name: "git-cred", namespace: NS }, stringData: { username: "tester", password: TOKEN } });
  await create({ apiVersion: "v1", kind: "Secret", metadata: { name: "api", namespace: NS }, stringData: { token: TOKEN } });
  // The scan user: a ServiceAccount with every right in its namespace, authenticating by token.
  await create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "scan-user", namespace: NS } });
  await create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "scan-user", namespace: NS }, rules: [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }] });
  await create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "scan-user", namespace: NS }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "scan-user" }, subjects: [{ kind: "ServiceAccount", name: "scan-user", namespace: NS }] });
  const tr = await core.createNamespacedServiceAccountToken({ name: "scan-user", namespace: NS, body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { audiences: [], expirationSeconds: 3600 } } });
  userToken = tr.status?.token ?? "";
  const cluster = kc.getCurrentCluster();
  if (!cluster || !userToken) throw new Error("no cluster or token");
  userKubeconfig = join(work, "scan.kubeconfig");
  writeFileSync(
    userKubeconfig,
    stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: cluster.server, ...(cluster.caData ? { "certificate-authority-data": cluster.caData } : {}), ...(cluster.caFile ? { "certificate-authority": cluster.caFile } : {}) } }],
      users: [{ name: "scan-user", user: { token: userToken } }],
      contexts: [{ name: "scan", context: { cluster: "c", user: "scan-user", namespace: NS } }],
      "current-context": "scan",
    }),
  );
  configPath = join(work, "incluster.yaml");
  writeFileSync(
    configPath,
    stringify({
      apiVersion: "incluster.dev/v1alpha1",
      kind: "Config",
      namespace: NS,
      source: { git: { url: server.url("app.git"), ref: "main", image: "127.0.0.1:5000/incluster/git:2", credentials: { secretRef: "git-cred" } } },
      defaults: {
        image: IMAGE,
        install: "",
        timeout: "5m",
        env: { API_TOKEN: { secretKeyRef: { name: "api", key: "token" } }, PLAIN: "visible" },
      },
      suites: {
        ok: { command: ["sh", "-c", "echo the test passes; test -n \"$API_TOKEN\""] },
        bad: { command: ["sh", "-c", "echo the test fails; test -n \"$API_TOKEN\"; exit 1"] },
        slow: { command: ["sh", "-c", "echo started; sleep 300"] },
      },
    }),
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  await objects?.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } } as KubernetesObject).catch(() => undefined);
});

// The CLI as the scan user: its kubeconfig by flag, a git credential helper for its own ls-remote.
const userGit = { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "credential.helper", GIT_CONFIG_VALUE_0: `!f() { echo username=tester; echo password=${TOKEN}; }; f`, KUBECONFIG: "" };
const runArgs = (report: string, events: string, ...rest: string[]) => ["--kubeconfig", userKubeconfig, "-c", configPath, "run", ...rest, "--report-dir", report, "--events", events];

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

/** The run's objects and every container's log, read back from the API as an admin. */
async function readBack(label: string, runSelector: string): Promise<void> {
  const [jobs, pods, cms] = await Promise.all([
    objects.list("batch/v1", "Job", NS, undefined, undefined, undefined, undefined, runSelector),
    core.listNamespacedPod({ namespace: NS, labelSelector: runSelector }),
    core.listNamespacedConfigMap({ namespace: NS }),
  ]);
  record(`${label}: Job specs from the API (${jobs.items.length})`, JSON.stringify(jobs.items));
  record(`${label}: Pod specs and statuses from the API (${pods.items.length})`, JSON.stringify(pods.items));
  record(`${label}: ConfigMaps of the namespace (${cms.items.length})`, JSON.stringify(cms.items));
  for (const pod of pods.items) {
    const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    for (const container of containers) {
      const log = await core.readNamespacedPodLog({ name: pod.metadata?.name ?? "", namespace: NS, container }).catch(() => "");
      record(`${label}: log of pod/${pod.metadata?.name} container ${container}`, String(log));
    }
  }
}

function recordRun(label: string, r: CliResult, report: string, events: string): void {
  record(`${label}: stdout`, r.stdout);
  record(`${label}: stderr`, r.stderr);
  record(`${label}: --events file`, readFileSync(events, "utf8"));
  for (const f of filesUnder(report)) record(`${label}: report dir ${f.slice(report.length + 1)}`, readFileSync(f, "utf8"));
}

describe("secrets scan", () => {
  it("runs that pass and fail as a token-authenticated user", async () => {
    const report = join(work, "report-1");
    const events = join(work, "events-1.jsonl");
    const r = await startCli([...runArgs(report, events, "ok", "bad"), "-o", "json"], userGit).done;
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    const result = JSON.parse(r.stdout) as { runId: string; suites: { suite: string; verdict: string }[] };
    expect(result.suites.map((s) => [s.suite, s.verdict]).sort()).toEqual([["bad", "failed"], ["ok", "passed"]]);
    recordRun("pass/fail run", r, report, events);
    await readBack("pass/fail run", `incluster.dev/run-id=${result.runId}`);
  }, 300_000);

  it("a run interrupted with SIGINT once its test is running", async () => {
    const report = join(work, "report-2");
    const events = join(work, "events-2.jsonl");
    const run = startCli(runArgs(report, events, "slow"), userGit);
    const deadline = Date.now() + 180_000;
    while (!/\[slow\/test-runner\] started|\[test-runner\] started|started$/m.test(run.stderrSoFar()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const runId = /run ([a-z0-9]{6}):/.exec(run.stderrSoFar())?.[1] ?? "";
    expect(runId, run.stderrSoFar()).not.toBe("");
    await readBack("interrupted run, before SIGINT", `incluster.dev/run-id=${runId}`);
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code, r.stderr.slice(-3000)).toBe(130);
    recordRun("interrupted run", r, report, events);
  }, 300_000);

  it("the planted token and the user's token appear nowhere: 0 hits", () => {
    const hits = places.filter((p) => p.text.includes(TOKEN) || p.text.includes(userToken));
    const lines = places.map((p) => `  ${p.text.includes(TOKEN) || p.text.includes(userToken) ? "HIT " : "ok  "}${p.place} (${p.text.length} bytes)`);
    console.log(`secrets scan: ${places.length} places searched for 2 tokens (planted: git password + env Secret; kubeconfig: ServiceAccount token), ${hits.length} hits\n${lines.join("\n")}`);
    // The scan looked at real material: the runs logged, the specs reference the Secrets.
    expect(places.length).toBeGreaterThan(20);
    expect(places.some((p) => p.text.includes("secretKeyRef") && p.text.includes("git-cred"))).toBe(true);
    expect(places.some((p) => p.text.includes("the test passes"))).toBe(true);
    expect(hits.map((h) => h.place)).toEqual([]);
  });
});
