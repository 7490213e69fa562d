// Issue 24, point 4: a mutating admission webhook injects a never-ending ordinary container
// (an Istio-style proxy) into every pod of the namespace, the classic sidecar that keeps a Job
// from ever completing. On the real cluster: the webhook (HTTPS on 127.0.0.1, a throwaway CA made
// here) adds `mesh-proxy` to the run's pod, and incluster still gives its verdict at the test
// container's end (exit 0 / 1), brings the artifacts and the saved log back whole, and leaves
// nothing running after it exits; with --keep the Job stays and `status` classifies it as run did.
// The same for a sharded suite (two pods of an Indexed Job) and a retried one (two Jobs).
// The webhook configuration, the namespace and the server go in afterAll, whatever happened.
import { CoreV1Api, KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { RunEvent } from "../../src/index.js";
import type { Pod } from "../../src/k8s-types.js";
import { RUN_ID_LABEL } from "../../src/names.js";
import type { RunResult } from "../../src/results/run-result.js";
import { ADMIN_KUBECONFIG, ROOT, cli, requireCluster } from "./support/cli.js";

const id = randomBytes(3).toString("hex");
const ns = `incluster-sidecar-${id}`;
const WEBHOOK = `incluster-it-sidecar-${id}`;
const SELECT = { "incluster.dev/it-injected-sidecar": id };
const SIDECAR = "mesh-proxy";
const IMAGE = "127.0.0.1:5000/incluster/python:3.11-pytest";
const work = mkdtempSync(join(tmpdir(), "incluster-it-sidecar-"));

// The proxy: runs until it is told to stop (SIGTERM), as a mesh proxy does; it never ends on its own.
const PROXY = {
  name: SIDECAR,
  image: "127.0.0.1:5000/incluster/busybox:1",
  command: ["sh", "-c", 'trap "exit 0" TERM; echo proxy up; while true; do sleep 1; done'],
  resources: { requests: { cpu: "5m", memory: "8Mi" }, limits: { cpu: "50m", memory: "16Mi" } },
  // As Pod Security "restricted" wants it: the namespace enforces it, after the webhook.
  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
};

let kc: KubeConfig;
let core: CoreV1Api;
let objects: KubernetesObjectApi;
let server: Server | undefined;
const extraNamespaces: string[] = [];
/** What the webhook was asked to admit: pods by their labels (the Job controller's pods have generateName only). */
const admitted: { labels: Record<string, string>; dryRun: boolean; patched: boolean }[] = [];

function certificates(): { ca: Buffer; cert: Buffer; key: Buffer } {
  const dir = join(work, "pki");
  execFileSync("mkdir", ["-p", dir]);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  ssl("req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", `/CN=${WEBHOOK}-ca`);
  ssl("req", ...ec, "-keyout", "tls.key", "-out", "tls.csr", "-subj", "/CN=127.0.0.1");
  writeFileSync(join(dir, "ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
  ssl("x509", "-req", "-in", "tls.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "tls.crt", "-days", "1", "-extfile", "ext.cnf");
  return { ca: readFileSync(join(dir, "ca.crt")), cert: readFileSync(join(dir, "tls.crt")), key: readFileSync(join(dir, "tls.key")) };
}

interface AdmissionReview {
  request?: { uid: string; dryRun?: boolean; object?: { metadata?: { labels?: Record<string, string> }; spec?: { containers?: { name: string }[] } } };
}

/** The webhook: adds the proxy to spec.containers of every pod it is asked about. */
function serve(pki: { cert: Buffer; key: Buffer }): Promise<number> {
  server = createServer({ cert: pki.cert, key: pki.key }, (req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      const review = JSON.parse(body) as AdmissionReview;
      const r = review.request;
      const has = r?.object?.spec?.containers?.some((c) => c.name === SIDECAR) ?? false;
      admitted.push({ labels: r?.object?.metadata?.labels ?? {}, dryRun: r?.dryRun ?? false, patched: !has });
      const patch = has ? undefined : Buffer.from(JSON.stringify([{ op: "add", path: "/spec/containers/-", value: PROXY }])).toString("base64");
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ apiVersion: "admission.k8s.io/v1", kind: "AdmissionReview", response: { uid: r?.uid ?? "", allowed: true, ...(patch ? { patchType: "JSONPatch", patch } : {}) } }));
    });
  });
  return new Promise((ok, fail) => {
    server?.once("error", fail);
    server?.listen(0, "127.0.0.1", () => ok((server?.address() as AddressInfo).port));
  });
}

beforeAll(async () => {
  requireCluster();
  kc = new KubeConfig();
  kc.loadFromFile(ADMIN_KUBECONFIG);
  core = kc.makeApiClient(CoreV1Api);
  objects = KubernetesObjectApi.makeApiClient(kc);
  const pki = certificates();
  const port = await serve(pki);
  await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted", ...SELECT } } } as KubernetesObject);
  await objects.create({
    apiVersion: "admissionregistration.k8s.io/v1",
    kind: "MutatingWebhookConfiguration",
    metadata: { name: WEBHOOK },
    webhooks: [
      {
        name: "mesh-proxy.incluster-it.example.com",
        clientConfig: { url: `https://127.0.0.1:${port}/mutate`, caBundle: pki.ca.toString("base64") },
        rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"], scope: "Namespaced" }],
        namespaceSelector: { matchLabels: SELECT },
        sideEffects: "None",
        admissionReviewVersions: ["v1"],
        failurePolicy: "Fail",
        timeoutSeconds: 5,
        reinvocationPolicy: "Never",
      },
    ],
  } as KubernetesObject);
  // The API server picks the configuration up within moments: a dry-run pod shows when it has.
  const probe = { apiVersion: "v1", kind: "Pod", metadata: { name: "probe", namespace: ns }, spec: { containers: [{ ...PROXY, name: "probe" }] } };
  const t0 = Date.now();
  for (;;) {
    const p = (await core.createNamespacedPod({ namespace: ns, body: probe as never, dryRun: "All" })) as Pod;
    if (p.spec?.containers?.some((c) => c.name === SIDECAR)) break;
    if (Date.now() - t0 > 30_000) throw new Error("the webhook was not called within 30 s");
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`[injected-sidecar] webhook on https://127.0.0.1:${port}/mutate answering the API server after ${Date.now() - t0} ms`);
}, 60_000);

afterAll(async () => {
  // Always, even after a failure: the configuration first (Fail policy: a dead server would block the namespace's pods).
  await objects?.delete({ apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration", metadata: { name: WEBHOOK } } as KubernetesObject).catch(() => undefined);
  for (const name of [ns, ...extraNamespaces]) await objects?.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name } } as KubernetesObject).catch(() => undefined);
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server?.closeAllConnections();
  rmSync(work, { recursive: true, force: true });
});

const LINES = 300;
const NUMBERS = 40_000;
/** The lines the suite's test writes, and the artifact it leaves. */
const expectedLines = (name: string) => Array.from({ length: LINES }, (_, i) => `${name}: line ${i + 1} of ${LINES}`);
const expectedNumbers = Array.from({ length: NUMBERS }, (_, i) => `${i + 1}\n`).join("");

function config(name: string): string {
  const path = join(work, `${name}.yaml`);
  const script = (exit: number) =>
    [`seq 1 ${NUMBERS} > "$INCLUSTER_ARTIFACTS/numbers.txt"`, `i=1; while [ $i -le ${LINES} ]; do echo "$SUITE: line $i of ${LINES}"; i=$((i+1)); done | tee "$INCLUSTER_ARTIFACTS/written.log"`, `exit ${exit}`].join("\n");
  const suite = (exit: number, suiteName: string) => ({ command: ["sh", "-c", script(exit)], env: { SUITE: suiteName } });
  writeFileSync(
    path,
    stringify({
      apiVersion: "incluster.dev/v1alpha1",
      kind: "Config",
      namespace: ns,
      source: { git: { url: "git://10.244.0.1/sample-app.git", ref: "main", image: "127.0.0.1:5000/incluster/git:2" } },
      defaults: { image: IMAGE, kubernetesAccess: false, resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "500m", memory: "128Mi" } }, timeout: "5m" },
      suites: { passing: suite(0, "passing"), failing: suite(1, "failing") },
    }),
  );
  return path;
}

/** RFC 3339 with nanoseconds (the kubelet's log stamps) → epoch ms with the fraction kept. */
const stampMs = (ts: string | undefined) => {
  const m = /^(.*T\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(ts ?? "");
  return m ? Date.parse(`${m[1]}Z`) + Number(`0${m[2] ?? ""}`) * 1000 : NaN;
};

interface Left {
  jobs: { name: string; active: number; deleting: boolean }[];
  pods: { name: string; phase: string; deleting: boolean }[];
}

async function leftOf(runId: string): Promise<Left> {
  const sel = `${RUN_ID_LABEL}=${runId}`;
  const [jobs, pods] = await Promise.all([objects.list("batch/v1", "Job", ns, undefined, undefined, undefined, undefined, sel), core.listNamespacedPod({ namespace: ns, labelSelector: sel })]);
  return {
    jobs: jobs.items.map((j) => ({ name: j.metadata?.name ?? "", active: (j as { status?: { active?: number } }).status?.active ?? 0, deleting: Boolean(j.metadata?.deletionTimestamp) })),
    pods: pods.items.map((p) => ({ name: p.metadata?.name ?? "", phase: p.status?.phase ?? "", deleting: Boolean(p.metadata?.deletionTimestamp) })),
  };
}

const running = (l: Left) => [...l.jobs.filter((j) => !j.deleting && j.active > 0).map((j) => `job/${j.name}`), ...l.pods.filter((p) => p.phase === "Running" || p.phase === "Pending").map((p) => `pod/${p.name}${p.deleting ? " (terminating)" : ""}`)];

interface Case {
  suite: "passing" | "failing";
  keep: boolean;
  code: number;
  verdict: string;
  status: string;
}

const CASES: Case[] = [
  { suite: "passing", keep: false, code: 0, verdict: "passed", status: "passed" },
  { suite: "failing", keep: false, code: 1, verdict: "failed", status: "failed (testsFailed)" },
  { suite: "passing", keep: true, code: 0, verdict: "passed", status: "passed" },
  { suite: "failing", keep: true, code: 1, verdict: "failed", status: "failed (testsFailed)" },
];

describe("a webhook injects a never-ending ordinary sidecar into the run's pod", () => {
  it.each(CASES)("$suite suite (keep: $keep): verdict at the test's end, artifacts and log whole, nothing left running", async (c) => {
    const cfg = config(`${c.suite}-${c.keep}`);
    const events = join(work, `events-${c.suite}-${c.keep}.jsonl`);
    const report = join(work, `report-${c.suite}-${c.keep}`);
    const t0 = Date.now();
    const r = await cli(["-c", cfg, "run", c.suite, "--report-dir", report, "--events", events, "-o", "json", ...(c.keep ? ["--keep"] : [])]);
    const exitedAt = Date.now();
    let result: RunResult;
    try {
      result = JSON.parse(r.stdout) as RunResult;
    } catch {
      throw new Error(`no JSON on stdout (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
    }
    const atExit = await leftOf(result.runId);
    const s = result.suites[0];
    const evs = readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l) as RunEvent);
    const testLines = evs.flatMap((e) => (e.type === "log" && e.container === "test-runner" ? [e] : []));
    const runningAt = evs.find((e) => e.type === "suite.phase" && e.phase === "running");
    const afterLast = exitedAt - stampMs(testLines.at(-1)?.kubeletTs);
    const lag = runningAt ? Date.parse(runningAt.ts) - stampMs(testLines[0]?.kubeletTs) : NaN;

    // 4. The pod had the injected container: the webhook patched it, and the pod incluster saw has it.
    const pods = JSON.parse(readFileSync(join(report, c.suite, "pods.json"), "utf8")) as Pod[];
    const pod = pods[0];
    const containers = pod?.spec?.containers?.map((x) => x.name) ?? [];
    const proxyState = pod?.status?.containerStatuses?.find((x) => x.name === SIDECAR)?.state;
    const patched = admitted.filter((a) => a.labels[RUN_ID_LABEL] === result.runId && a.patched && !a.dryRun);

    // 2. The artifacts and the saved log, whole.
    const dir = resolve(ROOT, s?.artifacts?.dir ?? "none");
    const numbers = existsSync(join(dir, "numbers.txt")) ? readFileSync(join(dir, "numbers.txt"), "utf8") : "";
    const written = existsSync(join(dir, "written.log")) ? readFileSync(join(dir, "written.log"), "utf8") : "";
    const saved = readFileSync(resolve(ROOT, s?.logs["test-runner"] ?? "none"), "utf8");
    const want = expectedLines(c.suite);
    const ours = saved.split("\n").filter((l) => l.startsWith(`${c.suite}: line `));

    // 3. What is left of the run: at once, and a few seconds later (a pod's containers stopping).
    let later = await leftOf(result.runId);
    for (let i = 0; i < 40 && !c.keep && running(later).length > 0; i++) {
      await new Promise((res) => setTimeout(res, 250));
      later = await leftOf(result.runId);
    }
    const settledMs = Date.now() - exitedAt;
    const st = c.keep ? await cli(["-c", cfg, "status", "-o", "json"]) : undefined;
    const rows = st ? (JSON.parse(st.stdout) as { jobs: { runId: string; state: string; class?: string }[] }).jobs.filter((j) => j.runId === result.runId) : [];
    const statusText = rows.map((x) => (x.class ? `${x.state} (${x.class})` : x.state));
    const notes = r.stderr.split("\n").filter((l) => l.includes(SIDECAR));

    console.log(
      `[injected-sidecar] ${c.suite}${c.keep ? " --keep" : ""}: exit ${r.code} in ${exitedAt - t0} ms, verdict ${s?.verdict}${s?.class ? ` (${s.class})` : ""}; ` +
        `exit ${afterLast} ms after the test's last line (kubelet status lag ${lag} ms: +${afterLast - lag} ms beyond it; P1b: 0.87 s, lag 0.85 s)\n` +
        `  pod/${pod?.metadata?.name}: containers ${containers.join(", ")} (webhook patched ${patched.length} pod(s) of the run), ${SIDECAR} ${proxyState ? Object.keys(proxyState).join() : "?"} when the verdict came\n` +
        `  artifacts: ${s?.artifacts?.files} file(s), ${s?.artifacts?.bytes} bytes; numbers.txt ${numbers.length}/${expectedNumbers.length} bytes ${numbers === expectedNumbers ? "identical" : "DIFFERENT"}; ` +
        `written.log ${written.length} bytes; saved test-runner log ${saved.length} bytes, ${ours.length}/${LINES} of the test's lines ${ours.join("\n") === want.join("\n") ? "identical, in order" : "DIFFERENT"}; logComplete ${s?.artifacts?.logComplete}\n` +
        `  left at exit: ${JSON.stringify(atExit)}; running ${settledMs} ms after exit: [${running(later).join(", ")}]${st ? `; status: ${statusText.join(", ")}` : ""}\n` +
        notes.map((n) => `  ${n}`).join("\n"),
    );

    // 1. The verdict, at the test container's end.
    expect(r.code, r.stderr.slice(-3000)).toBe(c.code);
    expect(s?.verdict).toBe(c.verdict);
    expect(afterLast).toBeLessThan(10_000);
    // 4.
    expect(containers).toContain(SIDECAR);
    expect(containers).toContain("test-runner");
    expect(patched.length).toBe(1);
    expect(proxyState?.running).toBeTruthy();
    // 2.
    expect(numbers).toBe(expectedNumbers);
    expect(written).toBe(`${want.join("\n")}\n`);
    expect(ours).toEqual(want);
    expect(s?.artifacts).toMatchObject({ files: 2, dropped: [], logComplete: true });
    const logEvents = testLines.map((e) => `${e.line}\n`).join("");
    expect(logEvents).toBe(saved);
    // 3.
    if (!c.keep) {
      // The Job does not outlive the CLI: deleted (or going), its pod stopped within seconds.
      expect(atExit.jobs.filter((j) => !j.deleting)).toEqual([]);
      expect(running(later)).toEqual([]);
    } else {
      // Kept as asked, and classified as run classified it (not "running").
      expect(later.jobs.map((j) => j.deleting)).toEqual([false]);
      expect(statusText).toEqual([c.status]);
      // `clean` takes a kept run whose tests ended, as any finished one.
      const cl = await cli(["-c", cfg, "clean"]);
      expect(cl.code, cl.stderr).toBe(0);
      expect(cl.stdout).toContain(`deleted job/${later.jobs[0]?.name}`);
    }
  }, 180_000);

  it("control: the same passing suite in a namespace the webhook does not select", async () => {
    const plain = `${ns}-plain`;
    await objects.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: plain, labels: { "pod-security.kubernetes.io/enforce": "restricted" } } } as KubernetesObject);
    extraNamespaces.push(plain);
    const cfg = readFileSync(config("control"), "utf8").replace(`namespace: ${ns}\n`, `namespace: ${plain}\n`);
    const file = join(work, "control-ns.yaml");
    writeFileSync(file, cfg);
    const events = join(work, "events-control.jsonl");
    const r = await cli(["-c", file, "run", "passing", "--report-dir", join(work, "report-control"), "--events", events, "-o", "json"]);
    const exitedAt = Date.now();
    const evs = readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l) as RunEvent);
    const testLines = evs.flatMap((e) => (e.type === "log" && e.container === "test-runner" ? [e] : []));
    const runningAt = evs.find((e) => e.type === "suite.phase" && e.phase === "running");
    const afterLast = exitedAt - stampMs(testLines.at(-1)?.kubeletTs);
    const lag = runningAt ? Date.parse(runningAt.ts) - stampMs(testLines[0]?.kubeletTs) : NaN;
    const pods = JSON.parse(readFileSync(join(work, "report-control", "passing", "pods.json"), "utf8")) as Pod[];
    console.log(`[injected-sidecar] control (no webhook): exit ${r.code}; exit ${afterLast} ms after the test's last line (kubelet status lag ${lag} ms: +${afterLast - lag} ms beyond it); containers ${pods[0]?.spec?.containers?.map((x) => x.name).join(", ")}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(pods[0]?.spec?.containers?.map((x) => x.name)).not.toContain(SIDECAR);
    expect(r.stderr).not.toContain(SIDECAR);
  }, 180_000);

  it("a sharded (shards: 2) and a retried (retries: 1) suite: each pod's verdict at its test's end, nothing left running", async () => {
    const path = join(work, "sharded-retried.yaml");
    writeFileSync(
      path,
      stringify({
        apiVersion: "incluster.dev/v1alpha1",
        kind: "Config",
        namespace: ns,
        source: { git: { url: "git://10.244.0.1/sample-app.git", ref: "main", image: "127.0.0.1:5000/incluster/git:2" } },
        defaults: { image: IMAGE, install: "", kubernetesAccess: false, resources: { requests: { cpu: "20m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } }, timeout: "5m" },
        suites: {
          sharded: { test: "tests/e2e/test_forty.py", shards: 2 },
          // One test passes, one always fails, one fails on attempt 1 only: attempt 2 reruns the two failed.
          retried: { test: "tests/e2e/test_mixed.py", retries: 1 },
        },
      }),
    );
    const events = join(work, "events-sharded-retried.jsonl");
    const t0 = Date.now();
    const r = await cli(["-c", path, "run", "sharded", "retried", "--report-dir", join(work, "report-sharded-retried"), "--events", events, "-o", "json"]);
    const exitedAt = Date.now();
    let result: RunResult;
    try {
      result = JSON.parse(r.stdout) as RunResult;
    } catch {
      throw new Error(`no JSON on stdout (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
    }
    const atExit = await leftOf(result.runId);
    const evs = readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l) as RunEvent);
    let later = atExit;
    for (let i = 0; i < 40 && running(later).length > 0; i++) {
      await new Promise((res) => setTimeout(res, 250));
      later = await leftOf(result.runId);
    }
    const settledMs = Date.now() - exitedAt;
    const patched = admitted.filter((a) => a.labels[RUN_ID_LABEL] === result.runId && a.patched && !a.dryRun);
    const sharded = result.suites.find((x) => x.suite === "sharded");
    const retried = result.suites.find((x) => x.suite === "retried");
    // The kubelet's stamps of the test containers' lines: the run ends at the last one's end, and the
    // retry's Job starts at attempt 1's end (not at the proxy's, which never comes).
    const stamps = (pick: (e: Extract<RunEvent, { type: "log" }>) => boolean) =>
      evs.flatMap((e) => (e.type === "log" && e.container === "test-runner" && pick(e) ? [stampMs(e.kubeletTs)] : []));
    const afterLast = exitedAt - Math.max(...stamps(() => true));
    const firstOfRetry = Math.min(...evs.flatMap((e) => (e.type === "log" && e.suite === "retried" && e.attempt === 2 ? [stampMs(e.kubeletTs)] : [])));
    const retryGap = firstOfRetry - Math.max(...stamps((e) => e.suite === "retried" && (e.attempt ?? 1) === 1));
    const statuses = (x: typeof sharded) => {
      const counts = new Map<string, number>();
      for (const t of x?.tests ?? []) counts.set(t.status, (counts.get(t.status) ?? 0) + 1);
      return [...counts].map(([k, n]) => `${k} ${n}`).join(", ");
    };
    console.log(
      `[injected-sidecar] sharded + retried: exit ${r.code} in ${exitedAt - t0} ms; webhook patched ${patched.length} pod(s) of the run\n` +
        `  sharded: ${sharded?.verdict}, shards ${sharded?.shards?.map((x) => `${x.index}:${x.verdict}`).join(" ")}, tests ${statuses(sharded)}\n` +
        `  retried: ${retried?.verdict} (${retried?.class}), attempts ${retried?.attempts?.map((a) => `${a.attempt}:${a.verdict}`).join(" ")}, tests ${statuses(retried)}; attempt 2's first line ${retryGap} ms after attempt 1's last\n` +
        `  exit ${afterLast} ms after the last test line of the run\n` +
        `  left at exit: ${JSON.stringify(atExit)}; running ${settledMs} ms after exit: [${running(later).join(", ")}]`,
    );
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    // Two shard pods and two attempt pods, each with the never-ending proxy.
    expect(patched.length).toBe(4);
    expect(sharded?.verdict).toBe("passed");
    expect(sharded?.shards?.map((x) => x.verdict)).toEqual(["passed", "passed"]);
    expect(sharded?.tests?.length).toBe(40);
    expect(sharded?.tests?.every((t) => t.status === "passed")).toBe(true);
    expect(retried).toMatchObject({ verdict: "failed", class: "testsFailed" });
    expect(retried?.attempts?.map((a) => a.attempt)).toEqual([1, 2]);
    expect(Object.fromEntries((retried?.tests ?? []).map((t) => [t.name, t.status]))).toEqual({
      test_passes: "passed",
      test_fails_on_purpose: "failed",
      test_flaky_first_attempt: "flaky",
    });
    expect(afterLast).toBeLessThan(10_000);
    expect(retryGap).toBeLessThan(20_000);
    expect(atExit.jobs.filter((j) => !j.deleting)).toEqual([]);
    expect(running(later)).toEqual([]);
  }, 300_000);

  it("without pods/exec: the artifacts come back through the collector's log, at the test's end", async () => {
    // A user with every right doctor asks for except pods/exec, by token.
    const sa = "no-exec";
    await objects.create({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: sa, namespace: ns } } as KubernetesObject);
    const tr = await core.createNamespacedServiceAccountToken({ name: sa, namespace: ns, body: { apiVersion: "authentication.k8s.io/v1", kind: "TokenRequest", spec: { expirationSeconds: 3600 } } });
    const cluster = kc.getCurrentCluster();
    const user = join(work, "no-exec.kubeconfig");
    writeFileSync(
      user,
      stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "c", cluster: { server: cluster?.server, ...(cluster?.caData ? { "certificate-authority-data": cluster.caData } : { "certificate-authority": cluster?.caFile }) } }],
        users: [{ name: sa, user: { token: tr.status?.token } }],
        contexts: [{ name: "c", context: { cluster: "c", user: sa, namespace: ns } }],
        "current-context": "c",
      }),
    );
    const cfg = config("no-exec");
    const d = await cli(["--kubeconfig", user, "-c", cfg, "doctor"]);
    const role = parse(d.stdout.slice(d.stdout.indexOf("apiVersion: rbac.authorization.k8s.io/v1"))) as { metadata: { name: string; namespace?: string }; rules: { resources: string[] }[] };
    role.rules = role.rules.map((r) => ({ ...r, resources: r.resources.filter((x) => x !== "pods/exec") })).filter((r) => r.resources.length > 0);
    role.metadata = { name: sa, namespace: ns };
    await objects.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", ...role } as KubernetesObject);
    await objects.create({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: sa, namespace: ns }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: sa }, subjects: [{ kind: "ServiceAccount", name: sa, namespace: ns }] } as KubernetesObject);

    const events = join(work, "events-no-exec.jsonl");
    const t0 = Date.now();
    const r = await cli(["--kubeconfig", user, "-c", cfg, "run", "passing", "--report-dir", join(work, "report-no-exec"), "--events", events, "-o", "json"]);
    const exitedAt = Date.now();
    const result = JSON.parse(r.stdout || "{}") as RunResult;
    const s = result.suites?.[0];
    const evs = readFileSync(events, "utf8").trim().split("\n").map((l) => JSON.parse(l) as RunEvent);
    const testLines = evs.flatMap((e) => (e.type === "log" && e.container === "test-runner" ? [e] : []));
    const afterLast = exitedAt - stampMs(testLines.at(-1)?.kubeletTs);
    const dir = resolve(ROOT, s?.artifacts?.dir ?? "none");
    const numbers = existsSync(join(dir, "numbers.txt")) ? readFileSync(join(dir, "numbers.txt"), "utf8") : "";
    let later = await leftOf(result.runId ?? "none");
    for (let i = 0; i < 40 && running(later).length > 0; i++) {
      await new Promise((res) => setTimeout(res, 250));
      later = await leftOf(result.runId ?? "none");
    }
    console.log(
      `[injected-sidecar] without pods/exec: exit ${r.code} in ${exitedAt - t0} ms, verdict ${s?.verdict}; exit ${afterLast} ms after the test's last line; ` +
        `artifacts ${JSON.stringify(s?.artifacts)}; numbers.txt ${numbers === expectedNumbers ? "identical" : "DIFFERENT"}; running after exit: [${running(later).join(", ")}]\n` +
        r.stderr.split("\n").filter((l) => /mesh-proxy|pods\/exec|artifacts/.test(l)).map((l) => `  ${l}`).join("\n"),
    );
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(s?.verdict).toBe("passed");
    expect(afterLast).toBeLessThan(10_000);
    expect(numbers).toBe(expectedNumbers);
    expect(running(later)).toEqual([]);
  }, 180_000);
});
