// Issue 13 item 3: one unique token in each place a secret lives today — the git credentials
// Secret (a private repository over HTTP that really wants it), an env secretKeyRef Secret, and the
// kubeconfig's user token (a real ServiceAccount token the runs authenticate with) — then runs that
// pass, fail and are interrupted (SIGINT), and searches everything incluster wrote or sent: stdout,
// stderr, the report dirs, the --events files, the Job/ConfigMap/Pod specs read back from the API
// and every container's log. 0 hits. A notification webhook's URL carries a third token (in its
// path and query): the receiver, a real HTTP server on 127.0.0.1, gets it (that is the URL), and
// nothing else may — also when delivery fails and incluster warns about it.
import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { execFileSync } from "node:child_process";
import { createServer, type Server } from "node:http";
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
/** The webhook URL's token: a notification URL is a credential (Slack's are). */
const HOOK_TOKEN = `incl-hook-${randomBytes(12).toString("hex")}`;
const HOOK_ENV = "INCLUSTER_SCAN_HOOK";
const work = mkdtempSync(join(tmpdir(), "incluster-it-scan-"));

let kc: KubeConfig;
let core: CoreV1Api;
let objects: KubernetesObjectApi;
let server: GitHttp | undefined;
/** The ServiceAccount token in the scan user's kubeconfig: real, so it must never appear either. */
let userToken = "";
let userKubeconfig = "";
let configPath = "";
let receiver: Server | undefined;
let hookUrl = "";
/** What the receiver got, and how it answers the next POST. */
const received: { url: string; body: string; status: number }[] = [];
let hookStatus = 200;

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
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      received.push({ url: req.url ?? "", body, status: hookStatus });
      res.writeHead(hookStatus).end(hookStatus === 200 ? "ok" : `refused ${req.url}`);
    });
  });
  await new Promise<void>((r) => receiver?.listen(0, "127.0.0.1", r));
  const addr = receiver.address();
  hookUrl = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}/hook/${HOOK_TOKEN}?key=${HOOK_TOKEN}`;
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
      notify: [{ type: "webhook", urlFromEnv: HOOK_ENV, on: "always" }],
    }),
  );
}, 120_000);

afterAll(async () => {
  await server?.close();
  await new Promise((r) => (receiver ? receiver.close(r) : r(undefined)));
  await objects?.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } } as KubernetesObject).catch(() => undefined);
});

// The CLI as the scan user: its kubeconfig by flag, a git credential helper for its own ls-remote.
// The webhook URL only in the CLI's environment (set once the receiver listens).
const userGit = () => ({ [HOOK_ENV]: hookUrl, GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "credential.helper", GIT_CONFIG_VALUE_0: `!f() { echo username=tester; echo password=${TOKEN}; }; f`, KUBECONFIG: "" });
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
    // -v: the delivery's own note is printed too.
    const r = await startCli([...runArgs(report, events, "ok", "bad"), "-o", "json", "-v"], userGit()).done;
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    const result = JSON.parse(r.stdout) as { runId: string; suites: { suite: string; verdict: string }[] };
    expect(result.suites.map((s) => [s.suite, s.verdict]).sort()).toEqual([["bad", "failed"], ["ok", "passed"]]);
    recordRun("pass/fail run", r, report, events);
    await readBack("pass/fail run", `incluster.dev/run-id=${result.runId}`);
  }, 300_000);

  it("a run interrupted with SIGINT once its test is running", async () => {
    const report = join(work, "report-2");
    const events = join(work, "events-2.jsonl");
    // This time the receiver refuses: incluster retries once, then warns (without the URL).
    hookStatus = 503;
    const run = startCli(runArgs(report, events, "slow"), userGit());
    const deadline = Date.now() + 180_000;
    while (!/\[slow\/test-runner\] started|\[test-runner\] started|started$/m.test(run.stderrSoFar()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
    const runId = /run ([a-z0-9]{6}):/.exec(run.stderrSoFar())?.[1] ?? "";
    expect(runId, run.stderrSoFar()).not.toBe("");
    await readBack("interrupted run, before SIGINT", `incluster.dev/run-id=${runId}`);
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code, r.stderr.slice(-3000)).toBe(130);
    expect(r.stderr).toMatch(/warning: notify\[0\] \(webhook, \$INCLUSTER_SCAN_HOOK\)/);
    recordRun("interrupted run", r, report, events);
  }, 300_000);

  it("the planted token, the user's token and the webhook URL's token appear nowhere: 0 hits", () => {
    // The receiver got the URL (it is the URL) and the results; the bodies are searched too.
    console.log(`webhook receiver: ${received.map((x) => `POST ${x.url.replace(HOOK_TOKEN, "<token>").replace(HOOK_TOKEN, "<token>")} -> ${x.status} (${x.body.length} bytes)`).join("; ")}`);
    expect(received.filter((x) => x.url === `/hook/${HOOK_TOKEN}?key=${HOOK_TOKEN}`).map((x) => x.status)).toEqual([200, 503, 503]);
    for (const [i, x] of received.entries()) record(`webhook body ${i + 1} (the RunResult JSON)`, x.body);
    const hit = (text: string) => text.includes(TOKEN) || text.includes(userToken) || text.includes(HOOK_TOKEN);
    const hits = places.filter((p) => hit(p.text));
    const lines = places.map((p) => `  ${hit(p.text) ? "HIT " : "ok  "}${p.place} (${p.text.length} bytes)`);
    console.log(`secrets scan: ${places.length} places searched for 3 tokens (planted: git password + env Secret; kubeconfig: ServiceAccount token; the notification webhook URL's), ${hits.length} hits\n${lines.join("\n")}`);
    // The scan looked at real material: the runs logged, the specs reference the Secrets.
    expect(places.length).toBeGreaterThan(20);
    expect(places.some((p) => p.text.includes("secretKeyRef") && p.text.includes("git-cred"))).toBe(true);
    expect(places.some((p) => p.text.includes("the test passes"))).toBe(true);
    expect(places.some((p) => p.place.startsWith("webhook body") && p.text.includes('"verdict"'))).toBe(true);
    expect(hits.map((h) => h.place)).toEqual([]);
  });
});
