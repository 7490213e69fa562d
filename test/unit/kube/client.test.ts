// The real ClusterPort against a fake API server on 127.0.0.1 (plain http: the transport's
// keep-alive pool). Every port method's requests and answers are written to a transcript, so a
// change in what the port sends, or in how it reads the answers and errors, shows as a diff.
import * as http from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClusterPort } from "../../../src/kube/client.js";
import type { ClusterPort } from "../../../src/kube/port.js";

type Answer = { status?: number; headers?: Record<string, string>; body?: unknown; lines?: string[] };

const NODE = (os?: string, arch?: string) => ({
  metadata: { name: "n", labels: { ...(os ? { "kubernetes.io/os": os } : {}), ...(arch ? { "kubernetes.io/arch": arch } : {}) } },
});
const STATUS = (code: number, reason: string, message: string, details?: object) => ({
  kind: "Status",
  apiVersion: "v1",
  status: "Failure",
  code,
  reason,
  message,
  ...(details ? { details } : {}),
});
const resources = (groupVersion: string, name: string, kind: string) => ({
  kind: "APIResourceList",
  groupVersion,
  resources: [{ name, namespaced: true, kind, verbs: ["create", "patch"] }],
});
const NOT_FOUND: Answer = { status: 404, body: STATUS(404, "NotFound", "not found") };
const FORBIDDEN: Answer = { status: 403, body: STATUS(403, "Forbidden", "forbidden") };

let throttled = 0;
function answer(method: string, url: string, body: string): Answer {
  const path = url.split("?")[0] ?? "";
  const route = `${method} ${path}`;
  if (route === "GET /version") return { body: { major: "1", minor: "31", gitVersion: "v1.31.0" } };
  if (route === "GET /api/v1/nodes") return { body: { items: [NODE("linux", "arm64"), NODE(), NODE("windows", "amd64")] } };
  if (route === "GET /api/v1/namespaces/here") return { body: { metadata: { name: "here" } } };
  if (route === "GET /api/v1/namespaces/gone") return NOT_FOUND;
  if (/^GET \/api\/v1\/namespaces\/(locked|hidden|vanished)$/.test(route)) return FORBIDDEN;
  if (route === "GET /api/v1/namespaces/locked/pods") return { body: { items: [] } };
  if (route === "GET /api/v1/namespaces/hidden/pods") return FORBIDDEN;
  if (route === "GET /api/v1/namespaces/vanished/pods") return NOT_FOUND;
  if (route === "POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
    const review = JSON.parse(body) as { spec: { resourceAttributes: { verb: string } } };
    const status = review.spec.resourceAttributes.verb === "create" ? { allowed: true } : { allowed: false, reason: "no RBAC" };
    return { status: 201, body: { ...review, status } };
  }
  if (route === "GET /apis/apps/v1") return { body: resources("apps/v1", "deployments", "Deployment") };
  if (route === "GET /api/v1") return { body: resources("v1", "configmaps", "ConfigMap") };
  if (method === "PATCH" || method === "POST") {
    if (path.endsWith("/jobs") && body.includes('"taken"')) {
      return { status: 409, body: STATUS(409, "AlreadyExists", 'jobs.batch "taken" already exists', { kind: "jobs", name: "taken", group: "batch" }) };
    }
    if (body.includes('"throttled"') && throttled++ === 0) return { status: 429, headers: { "retry-after": "2" }, body: STATUS(429, "TooManyRequests", "slow") };
    const sent = JSON.parse(body) as { metadata: object };
    return { status: method === "POST" ? 201 : 200, body: { ...sent, metadata: { ...sent.metadata, uid: "u-1" } } };
  }
  if (method === "DELETE") return path.endsWith("/gone") ? NOT_FOUND : { body: { kind: "Status", status: "Success" } };
  if (route === "GET /api/v1/namespaces/ns/serviceaccounts") return { body: { items: [{ metadata: { name: "sa", labels: { a: "b" } } }] } };
  if (route === "GET /apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles") {
    return { body: { items: [{ metadata: { name: "role" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }] }] } };
  }
  if (route === "GET /apis/rbac.authorization.k8s.io/v1/namespaces/ns/rolebindings") {
    const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "role" };
    return { body: { items: [{ metadata: { name: "rb" }, roleRef, subjects: [{ kind: "ServiceAccount", name: "sa" }] }] } };
  }
  if (route === "GET /api/v1/namespaces/ns/configmaps") {
    return { body: { items: [{ metadata: { name: "cm", labels: { x: "y" }, uid: "u" }, data: { k: "v" } }, { metadata: {} }] } };
  }
  if (route === "GET /api/v1/namespaces/ns/services") return { body: { items: [{ metadata: { name: "db" } }, { metadata: {} }, { metadata: { name: "cache" } }] } };
  if (/^GET \/api\/v1\/namespaces\/ns\/(secrets|serviceaccounts|configmaps)\/present$/.test(route)) return { body: { metadata: { name: "present" } } };
  if (/^GET \/api\/v1\/namespaces\/ns\/(secrets|serviceaccounts|configmaps)\/gone$/.test(route)) return NOT_FOUND;
  if (route === "GET /api/v1/namespaces/ns/secrets/denied") return { status: 403, body: STATUS(403, "Forbidden", 'secrets "denied" is forbidden') };
  if (/^GET \/(api|apis\/batch)\/v1\/namespaces\/ns\/(jobs|pods|events)$/.test(route)) {
    if (!url.includes("watch=true")) return { body: { metadata: { resourceVersion: "7" }, items: [{ metadata: { name: "a" } }] } };
    if (url.includes("resourceVersion=1")) {
      return { lines: ['{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (5)"}}'] };
    }
    return { lines: ['{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"8"}}}', '{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}'] };
  }
  if (route === "GET /api/v1/namespaces/ns/pods/p/log") {
    if (url.includes("container=gone")) return { status: 400, body: STATUS(400, "BadRequest", 'container "gone" is not valid') };
    return { lines: ["2024-01-01T00:00:00Z one", "2024-01-01T00:00:01Z two"] };
  }
  if (route === "GET /api/v1/namespaces/ns/pods/p/exec") return { status: 403, body: STATUS(403, "Forbidden", "pods/exec is forbidden") };
  return { status: 500, body: STATUS(500, "InternalError", `unrouted ${route}`) };
}

let server: http.Server;
let dir: string;
let port: ClusterPort;
const transcript: string[] = [];
const delays: number[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => {
      const a = answer(req.method ?? "", req.url ?? "", body);
      const type = req.headers["content-type"] ? ` [${req.headers["content-type"]}]` : "";
      transcript.push(`  → ${req.method} ${req.url}${type}${body ? ` ${body}` : ""} (auth ${req.headers.authorization}) ← ${a.status ?? 200}`);
      res.writeHead(a.status ?? 200, { "content-type": "application/json", ...a.headers });
      res.end(a.lines ? a.lines.map((l) => `${l}\n`).join("") : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  dir = mkdtempSync(join(tmpdir(), "incluster-client-"));
  const kubeconfig = join(dir, "config");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "fake", cluster: { server: url, "insecure-skip-tls-verify": true } }],
      users: [{ name: "me", user: { token: "t0k" } }],
      contexts: [
        { name: "ctx", context: { cluster: "fake", user: "me", namespace: "ns" } },
        { name: "other", context: { cluster: "fake", user: "me" } },
      ],
      "current-context": "other",
    }),
  );
  const setTimer = (fn: () => void, ms: number) => (delays.push(ms), setImmediate(fn), { cancel: () => undefined });
  port = createClusterPort({ kubeconfig, context: "ctx", setTimer });
});

afterAll(async () => {
  port.dropConnection?.("test over");
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** One call: its requests (sorted when the port sends them at once) and its answer or error. */
async function call(name: string, fn: () => Promise<unknown>, concurrent = false): Promise<void> {
  const from = transcript.length;
  let out: string;
  try {
    out = `= ${JSON.stringify(await fn())}`;
  } catch (err) {
    out = `! ${JSON.stringify(err)} (${err instanceof Error ? "Error" : typeof err})`;
  }
  const sent = transcript.splice(from);
  if (concurrent) sent.sort();
  transcript.push(name, ...sent, `  ${out}`);
}

function stream(open: (done: (v: unknown) => void) => void): Promise<unknown> {
  return new Promise((resolve) => open(resolve));
}

const obj = (apiVersion: string, kind: string, name: string) => ({ apiVersion, kind, metadata: { name, namespace: "ns", labels: { app: "x" } } });

describe("createClusterPort against a fake API server", () => {
  it("sends the same requests and reads the same answers (transcript)", async () => {
    transcript.push(`context ${JSON.stringify(port.context()).replace(/127\.0\.0\.1:\d+/, "127.0.0.1:PORT")}`);
    await call("ready", () => port.ready?.() ?? Promise.resolve());
    await call("serverVersion", () => port.serverVersion());
    await call("nodePlatforms", () => port.nodePlatforms());
    for (const ns of ["here", "gone", "locked", "hidden", "vanished"]) await call(`namespaceExists ${ns}`, () => port.namespaceExists(ns));
    await call("accessReview", () =>
      port.accessReview([
        { namespace: "ns", verb: "create", group: "batch", resource: "jobs" },
        { namespace: "ns", verb: "get", group: "", resource: "pods", subresource: "log" },
      ]),
      true,
    );
    await call("apply known", () => port.apply(obj("batch/v1", "Job", "j")));
    await call("apply unknown (discovery)", () => port.apply(obj("apps/v1", "Deployment", "d")));
    await call("apply unknown again (discovery cached)", () => port.apply(obj("apps/v1", "Deployment", "d")));
    await call("create known", () => port.create(obj("v1", "ConfigMap", "c")));
    await call("create known, conflict", () => port.create(obj("batch/v1", "Job", "taken")));
    await call("create unknown", () => port.create(obj("apps/v1", "Deployment", "d")));
    await call("create known, 429 then retried", () => port.create(obj("v1", "Pod", "throttled")));
    await call("delete job", () => port.delete("jobs", "ns", "j"));
    await call("delete job orphan grace 0", () => port.delete("jobs", "ns", "j", { propagation: "Orphan", gracePeriodSeconds: 0 }));
    await call("delete pod grace 1", () => port.delete("pods", "ns", "p", { gracePeriodSeconds: 1 }));
    await call("delete configmap gone", () => port.delete("configmaps", "ns", "gone"));
    await call("setOwner", () => port.setOwner("ns", "cm", { apiVersion: "batch/v1", kind: "Job", name: "j", uid: "u-9" }));
    await call("listApplied", () => port.listApplied?.("ns", "app=x") ?? Promise.resolve(), true);
    await call("listConfigMaps", () => port.listConfigMaps("ns", "app=x"));
    await call("listServices", () => port.listServices("ns"));
    for (const kind of ["secrets", "serviceaccounts", "configmaps"] as const) {
      await call(`exists ${kind}`, () => port.exists(kind, "ns", "present"));
      await call(`exists ${kind} gone`, () => port.exists(kind, "ns", "gone"));
    }
    await call("exists secrets denied", () => port.exists("secrets", "ns", "denied"));
    await call("list jobs", () => port.list("jobs", "ns", { labelSelector: "app=x", limit: 1 }));
    await call("list pods", () => port.list("pods", "ns", { fieldSelector: "status.phase=Running" }));
    await call("list events", () => port.list("events", "ns", {}));
    for (const kind of ["jobs", "pods", "events"] as const) {
      await call(`watch ${kind}`, () =>
        stream((done) => {
          const seen: unknown[] = [];
          const handlers = { onEvent: (t: string, o: unknown) => void seen.push([t, o]), onClose: (err: unknown) => done({ seen, err }) };
          port.watch(kind, "ns", { labelSelector: "app=x", fieldSelector: "f=g" }, "7", handlers);
        }),
      );
    }
    await call("watch 410", () => stream((done) => port.watch("pods", "ns", {}, "1", { onEvent: () => undefined, onClose: (err) => done({ err }) })));
    await call("logs", () =>
      stream((done) => {
        let text = "";
        const req = { namespace: "ns", pod: "p", container: "tests", follow: true, sinceTime: "2024-01-01T00:00:00Z" };
        port.logs(req, { onData: (d) => (text += d), onClose: (err) => done({ text, err }) });
      }),
    );
    await call("logs bad container", () =>
      stream((done) => port.logs({ namespace: "ns", pod: "p", container: "gone", follow: false }, { onData: () => undefined, onClose: (err) => done({ err }) })),
    );
    await call("exec denied", async () => {
      const req = { namespace: "ns", pod: "p", container: "c", command: ["tar", "cf", "-", "/out"] };
      const r = await port.exec(req, new PassThrough(), new PassThrough());
      return { exitCode: r.exitCode ?? null, message: r.error?.message, status: r.error?.status };
    });
    transcript.push(`retry delays ${JSON.stringify(delays)}`, `apiStats ${JSON.stringify(port.apiStats?.())}`);
    await expect(`${transcript.join("\n")}\n`).toMatchFileSnapshot("./__snapshots__/client.transcript.txt");
  });
});
