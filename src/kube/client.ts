// The real ClusterPort: the only file (with kube/http-stream.ts) that talks to Kubernetes,
// always through @kubernetes/client-node. Loaded lazily by the CLI so that commands which never
// contact a cluster do not pay the client's import cost.
import {
  AuthorizationV1Api,
  BatchV1Api,
  CoreV1Api,
  Exec,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  VersionApi,
  Watch,
} from "@kubernetes/client-node";
import type { KubernetesObject } from "@kubernetes/client-node";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { toKubeError } from "./errors.js";
import { openLogStream } from "./http-stream.js";
import type { Readable, Writable } from "node:stream";
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

export function createClusterPort(opts: ClusterOptions): ClusterPort {
  const kc = loadKubeConfig(opts);
  const core = kc.makeApiClient(CoreV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const authz = kc.makeApiClient(AuthorizationV1Api);
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const watcher = new Watch(kc);

  const wrap = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw toKubeError(err);
    }
  };

  return {
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

    serverVersion: () => wrap(async () => (await kc.makeApiClient(VersionApi).getCode()).gitVersion),

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
        await objects.patch(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
      }),

    create: (obj) => wrap(async () => (await objects.create(obj as KubernetesObject, undefined, undefined, FIELD_MANAGER)) as typeof obj),

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

    listConfigMaps: (namespace, labelSelector) => wrap(async () => (await core.listNamespacedConfigMap({ namespace, labelSelector })).items.map((c) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: c.metadata?.name ?? "", labels: c.metadata?.labels ?? {} } }))),

    listServices: (namespace) => wrap(async () => (await core.listNamespacedService({ namespace })).items.map((s) => s.metadata?.name ?? "").filter(Boolean)),

    async exists(kind, namespace, name) {
      try {
        // Metadata would do, but a get is what RBAC grants; the value stays in this function.
        if (kind === "secrets") await core.readNamespacedSecret({ name, namespace });
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
      let controller: AbortController | undefined;
      let stopped = false;
      let closed = false;
      const close = (err: unknown) => {
        if (closed) return;
        closed = true;
        if (!stopped) handlers.onClose(err ? toKubeError(err) : undefined);
      };
      const query = {
        resourceVersion,
        allowWatchBookmarks: true,
        // Ask the server to end the watch now and then; we resume from the last resourceVersion.
        timeoutSeconds: 300,
        ...(selector.labelSelector ? { labelSelector: selector.labelSelector } : {}),
        ...(selector.fieldSelector ? { fieldSelector: selector.fieldSelector } : {}),
      };
      watcher
        .watch(
          paths[kind](namespace),
          query,
          (type: string, obj: unknown) => {
            if (stopped || closed) return;
            if (type === "ERROR") {
              // A watch-level Status, e.g. 410 Gone "too old resource version".
              const st = obj as { code?: number; reason?: string; message?: string };
              close({ statusCode: st.code, body: st });
              controller?.abort();
              return;
            }
            handlers.onEvent(type as "ADDED", obj as KindMap[K]);
          },
          (err: unknown) => close(err),
        )
        .then((c) => {
          controller = c;
          if (stopped) c.abort();
        })
        .catch((err: unknown) => close(err));
      return {
        stop() {
          stopped = true;
          controller?.abort();
        },
      };
    },

    logs(req: LogRequest, handlers: LogHandlers): WatchHandle {
      return openLogStream(kc, req, handlers);
    },

    exec(req: ExecRequest, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<ExecResult> {
      return new Promise((resolve) => {
        let status: { status?: string; reason?: string; message?: string; code?: number; details?: { causes?: { reason?: string; message?: string }[] } } | undefined;
        new Exec(kc)
          .exec(req.namespace, req.pod, req.container, [...req.command], stdout as Writable, stderr as Writable, (req.stdin as Readable | undefined) ?? null, Boolean(req.tty), (s) => (status = s))
          .then((ws) => {
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
