// The real ClusterPort: with the other files of kube/, the only code that talks to Kubernetes,
// through @kubernetes/client-node's API classes and one shared Transport (one HTTP/2
// connection for every call, watch and log stream). Loaded lazily by the CLI so that commands
// which never contact a cluster do not pay the client's import cost.
import {
  AuthorizationV1Api,
  BatchV1Api,
  CoreV1Api,
  RbacAuthorizationV1Api,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
} from "../vendor/kube.js";
import type { KubernetesObject } from "@kubernetes/client-node";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import type { KubeObject } from "../k8s-types.js";
import { toKubeError } from "./errors.js";
import { kubeconfigCredentials, transportConfiguration } from "./api-config.js";
import { openLogStream } from "./http-stream.js";
import { realSetTimer } from "../timers.js";
import type { SetTimer } from "../timers.js";
import { Transport } from "./transport.js";
import { openWatch } from "./watch-stream.js";
import { Writable } from "node:stream";
import type { Readable } from "node:stream";
import type {
  AccessCheck,
  ExecRequest,
  ExecResult,
  AccessResult,
  ClusterPort,
  KindMap,
  ListResult,
  LogHandlers,
  LogRequest,
  Selector,
  WatchedKind,
  WatchHandle,
  WatchHandlers,
} from "./port.js";

export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
}


const FIELD_MANAGER = "incluster";

const paths: Record<WatchedKind, (ns: string) => string> = {
  jobs: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`,
  pods: (ns) => `/api/v1/namespaces/${ns}/pods`,
  events: (ns) => `/api/v1/namespaces/${ns}/events`,
};

// The kinds incluster writes, by apiVersion/kind: their paths need no discovery request.
const KNOWN_RESOURCES: Record<string, string> = {
  "v1/ServiceAccount": "/api/v1/namespaces/{ns}/serviceaccounts",
  "v1/ConfigMap": "/api/v1/namespaces/{ns}/configmaps",
  "v1/Pod": "/api/v1/namespaces/{ns}/pods",
  "rbac.authorization.k8s.io/v1/Role": "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
  "rbac.authorization.k8s.io/v1/RoleBinding": "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
  "batch/v1/Job": "/apis/batch/v1/namespaces/{ns}/jobs",
};

function knownPath(obj: { apiVersion?: string; kind?: string; metadata?: { namespace?: string } }): string | undefined {
  const p = KNOWN_RESOURCES[`${obj.apiVersion}/${obj.kind}`];
  const ns = obj.metadata?.namespace;
  return p && ns ? p.replace("{ns}", encodeURIComponent(ns)) : undefined;
}

/** Loads the kubeconfig the way kubectl does: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
export function loadKubeConfig(opts: ClusterOptions): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else {
    // With nothing to load, the client silently falls back to http://localhost:8080; say so instead.
    const home = process.env.HOME ?? "";
    if (!process.env.KUBECONFIG && !process.env.KUBERNETES_SERVICE_HOST && !existsSync(join(home, ".kube", "config"))) {
      throw new UsageError("no kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist", ["pass --kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config"]);
    }
    kc.loadFromDefault();
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new UsageError(`--context "${opts.context}" is not in the kubeconfig (known: ${known.join(", ") || "none"})`, ["pick a context from `kubectl config get-contexts`"]);
    }
    kc.setCurrentContext(opts.context);
  }
  return kc;
}

/** `setTimer`: the owner's timers (retry delays after 429/503); default the real clock. */
export function createClusterPort(opts: ClusterOptions & { setTimer?: SetTimer }): ClusterPort {
  const setTimer = opts.setTimer ?? realSetTimer;
  const kc = loadKubeConfig(opts);
  const server = kc.getCurrentCluster()?.server;
  if (!server) throw new UsageError("the kubeconfig's current context names no cluster server", ["pass --kubeconfig <file> with a cluster and its server, or pick another context: `kubectl config get-contexts`"]);
  // Credentials once per process (the TLS material), headers refreshed by the client's own cache.
  let creds: ReturnType<typeof kubeconfigCredentials> | undefined;
  const transport = new Transport({
    server,
    credentials: () => (creds ??= kubeconfigCredentials(kc)),
    sleep: (ms) => new Promise((resolve) => void setTimer(resolve, ms)),
  });
  const config = transportConfiguration(server, transport);
  const core = new CoreV1Api(config);
  const batch = new BatchV1Api(config);
  const authz = new AuthorizationV1Api(config);
  const rbac = new RbacAuthorizationV1Api(config);
  // Other kinds than KNOWN_RESOURCES: the client's discovery, cached for the process.
  const objects = new KubernetesObjectApi(config);
  const send = async (method: string, path: string, body: unknown, contentType: string): Promise<unknown> => {
    const r = await transport.unary(method, path, { "content-type": contentType, accept: "application/json" }, JSON.stringify(body));
    if (r.status < 200 || r.status > 299) throw { statusCode: r.status, body: r.body.toString("utf8") };
    return JSON.parse(r.body.toString("utf8")) as unknown;
  };

  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toKubeError(err);
    }
  };

  return {
    apiStats: () => ({ ...transport.stats }),
    ready: async () => void (await (creds ??= kubeconfigCredentials(kc))),
    dropConnection: (why) => transport.drop(why),
    onConnectivity: (listener) => transport.onConnectivity(listener),

    context() {
      const ctxName = kc.getCurrentContext();
      const ctx = kc.getContextObject(ctxName);
      const cluster = kc.getCurrentCluster();
      return {
        context: ctxName,
        cluster: cluster?.name ?? "",
        server: cluster?.server ?? "",
        user: ctx?.user ?? "",
        ...(ctx?.namespace ? { namespace: ctx.namespace } : {}),
      };
    },

    serverVersion: () => wrap(async () => (await new VersionApi(config).getCode()).gitVersion),

    async nodePlatforms() {
      try {
        const nodes = await core.listNode({});
        return nodes.items.map((n) => `${n.metadata?.labels?.["kubernetes.io/os"] ?? "linux"}/${n.metadata?.labels?.["kubernetes.io/arch"] ?? "amd64"}`);
      } catch (err) {
        // Listing nodes is cluster-scoped: a namespaced user may not; the build then uses image.platform or this machine's.
        if (toKubeError(err).status === 403) return [];
        throw toKubeError(err);
      }
    },

    async namespaceExists(namespace) {
      try {
        await core.readNamespace({ name: namespace });
        return true;
      } catch (err) {
        const e = toKubeError(err);
        if (e.status === 404) return false;
        // Users with only namespaced rights cannot read Namespace objects; listing pods there
        // proves the namespace exists without needing cluster scope.
        if (e.status === 403) {
          try {
            await core.listNamespacedPod({ namespace, limit: 1 });
            return true;
          } catch (err2) {
            const e2 = toKubeError(err2);
            if (e2.status === 404) return false;
            if (e2.status === 403) return true; // forbidden, not missing: preflight's access review explains
            throw e2;
          }
        }
        throw e;
      }
    },

    accessReview: (checks) =>
      wrap(() =>
        Promise.all(
          checks.map(async (c: AccessCheck): Promise<AccessResult> => {
            const review = await authz.createSelfSubjectAccessReview({
              body: {
                apiVersion: "authorization.k8s.io/v1",
                kind: "SelfSubjectAccessReview",
                spec: {
                  resourceAttributes: {
                    namespace: c.namespace,
                    verb: c.verb,
                    group: c.group,
                    resource: c.resource,
                    ...(c.subresource ? { subresource: c.subresource } : {}),
                  },
                },
              },
            });
            return { ...c, allowed: review.status?.allowed === true, ...(review.status?.reason ? { reason: review.status.reason } : {}) };
          }),
        ),
      ),

    apply: (obj) =>
      wrap(async () => {
        const base = knownPath(obj);
        if (!base) return void (await objects.patch(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply));
        await send("PATCH", `${base}/${encodeURIComponent(obj.metadata?.name ?? "")}?fieldManager=${FIELD_MANAGER}&force=true`, obj, PatchStrategy.ServerSideApply);
      }),

    create: (obj) =>
      wrap(async () => {
        const base = knownPath(obj);
        if (!base) return (await objects.create(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER)) as typeof obj;
        return (await send("POST", `${base}?fieldManager=${FIELD_MANAGER}`, obj, "application/json")) as typeof obj;
      }),

    async delete(kind, namespace, name, opts = {}) {
      try {
        const grace = opts.gracePeriodSeconds;
        if (kind === "jobs") {
          // Background: the Job goes at once, the garbage collector removes its pods.
          await batch.deleteNamespacedJob({ name, namespace, propagationPolicy: opts.propagation ?? "Background", ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) });
        } else if (kind === "configmaps") {
          await core.deleteNamespacedConfigMap({ name, namespace });
        } else {
          await core.deleteNamespacedPod({ name, namespace, ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}) });
        }
        return true;
      } catch (err) {
        const e = toKubeError(err);
        if (e.status === 404) return false;
        throw e;
      }
    },

    setOwner: (namespace, configMap, owner) =>
      wrap(async () => {
        const patch = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: configMap, namespace, ownerReferences: [{ ...owner, blockOwnerDeletion: false, controller: false }] } };
        await objects.patch(patch, undefined, undefined, FIELD_MANAGER, undefined, PatchStrategy.MergePatch);
      }),

    listApplied: (namespace, labelSelector) =>
      wrap(async () => {
        const q = { namespace, labelSelector };
        const [sas, roles, bindings] = await Promise.all([core.listNamespacedServiceAccount(q), rbac.listNamespacedRole(q), rbac.listNamespacedRoleBinding(q)]);
        const typed = (apiVersion: string, kind: string, items: object[]) => items.map((i) => ({ ...(JSON.parse(JSON.stringify(i)) as KubeObject), apiVersion, kind }));
        return [...typed("v1", "ServiceAccount", sas.items), ...typed("rbac.authorization.k8s.io/v1", "Role", roles.items), ...typed("rbac.authorization.k8s.io/v1", "RoleBinding", bindings.items)];
      }),

    listConfigMaps: (namespace, labelSelector) => wrap(async () => (await core.listNamespacedConfigMap({ namespace, labelSelector })).items.map((c) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: c.metadata?.name ?? "", labels: c.metadata?.labels ?? {} } }))),

    listServices: (namespace) => wrap(async () => (await core.listNamespacedService({ namespace })).items.map((s) => s.metadata?.name ?? "").filter(Boolean)),

    async exists(kind, namespace, name) {
      try {
        // Metadata would do, but a get is what RBAC grants; the value stays in this function.
        if (kind === "secrets") await core.readNamespacedSecret({ name, namespace });
        else if (kind === "serviceaccounts") await core.readNamespacedServiceAccount({ name, namespace });
        else await core.readNamespacedConfigMap({ name, namespace });
        return true;
      } catch (err) {
        const e = toKubeError(err);
        if (e.status === 404) return false;
        throw e;
      }
    },

    list: <K extends WatchedKind>(kind: K, namespace: string, selector: Selector) =>
      wrap(async (): Promise<ListResult<KindMap[K]>> => {
        const q = { namespace, ...selector };
        const res =
          kind === "jobs" ? await batch.listNamespacedJob(q) : kind === "pods" ? await core.listNamespacedPod(q) : await core.listNamespacedEvent(q);
        return { items: res.items as unknown as KindMap[K][], resourceVersion: res.metadata?.resourceVersion ?? "" };
      }),

    watch<K extends WatchedKind>(kind: K, namespace: string, selector: Selector, resourceVersion: string, handlers: WatchHandlers<KindMap[K]>): WatchHandle {
      const query = {
        resourceVersion,
        allowWatchBookmarks: "true",
        // Ask the server to end the watch now and then; we resume from the last resourceVersion.
        timeoutSeconds: "300",
        ...(selector.labelSelector ? { labelSelector: selector.labelSelector } : {}),
        ...(selector.fieldSelector ? { fieldSelector: selector.fieldSelector } : {}),
      };
      return openWatch(transport, paths[kind](namespace), query, {
        onEvent: (type, obj) => handlers.onEvent(type as "ADDED", obj as KindMap[K]),
        onClose: (err) => handlers.onClose(err),
      });
    },

    logs(req: LogRequest, handlers: LogHandlers): WatchHandle {
      return openLogStream(transport, req, handlers);
    },

    exec(req: ExecRequest, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<ExecResult> {
      // pods/exec is a WebSocket of its own: one more request and connection in the counters.
      transport.stats.requests++;
      transport.stats.connections++;
      // client-node writes every WebSocket message to stdout whatever it returns: the socket is
      // paused while the consumer (a tar unpacking to disk) is behind, so a 100 MB copy is never
      // held in memory.
      const paced = new Paced(stdout);
      return new Promise((resolve) => {
        let status: { status?: string; reason?: string; message?: string; code?: number; details?: { causes?: { reason?: string; message?: string }[] } } | undefined;
        new Exec(kc)
          .exec(req.namespace, req.pod, req.container, [...req.command], paced, stderr as Writable, (req.stdin as Readable | undefined) ?? null, Boolean(req.tty), (s) => (status = s))
          .then((ws) => {
            paced.socket = ws;
            ws.on("close", () => {
              // The API reports the exit code as a Status: Success, or NonZeroExitCode with an ExitCode cause.
              if (status?.status === "Success") return resolve({ exitCode: 0 });
              const code = status?.details?.causes?.find((c) => c.reason === "ExitCode")?.message;
              if (code !== undefined) return resolve({ exitCode: Number(code) });
              resolve({ exitCode: undefined, error: { message: status?.message ?? "exec stream closed without a status", ...(status?.code ? { status: status.code } : {}) } });
            });
            ws.on("error", (err: unknown) => resolve({ exitCode: undefined, error: toKubeError(err) }));
          })
          .catch((err: unknown) => resolve({ exitCode: undefined, error: toKubeError(err) }));
      });
    },
  };
}

/** Forwards to `target`; pauses `socket` while `target` is over its high-water mark. */
class Paced extends Writable {
  socket: { pause(): void; resume(): void } | undefined;
  private readonly target: NodeJS.WritableStream;
  constructor(target: NodeJS.WritableStream) {
    super();
    this.target = target;
  }
  private paused = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    // Messages already read keep coming for a moment after a pause: one pause, one drain listener.
    if (!this.target.write(chunk) && this.socket && !this.paused) {
      const socket = this.socket;
      this.paused = true;
      socket.pause();
      this.target.once("drain", () => {
        this.paused = false;
        socket.resume();
      });
    }
    done();
  }
}
