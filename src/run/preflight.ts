// Everything checked before anything is created: the API answers, the namespace exists, the
// user may do every verb the run uses (SelfSubjectAccessReview), each suite has an image.
// Pure: `requiredAccess` and `preflightProblems`; the I/O is in `preflight`.
import type { ResolvedSuite } from "../config/resolve.js";
import type { AccessCheck, AccessResult, ClusterPort, ContextInfo } from "../kube/port.js";
import { toKubeError } from "../kube/errors.js";

export interface PreflightCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  class?: "unreachable" | "namespaceMissing" | "forbidden" | "config" | "containerConfig";
  /** A failed optional check is a warning: the run goes on without what it enables. */
  optional?: boolean;
}

export interface PreflightReport {
  context: ContextInfo;
  serverVersion?: string;
  checks: PreflightCheck[];
  /** The access checks that were denied, for `doctor` to print a Role that grants them. */
  denied: AccessCheck[];
  ok: boolean;
}

/** Every verb a run uses, per resource; Role/RoleBinding only when a suite grants access. */
export function requiredAccess(namespace: string, suites: readonly ResolvedSuite[]): AccessCheck[] {
  const c = (verb: string, group: string, resource: string, subresource?: string): AccessCheck => ({ verb, group, resource, namespace, ...(subresource ? { subresource } : {}) });
  const checks = [
    ...["create", "get", "list", "watch", "delete"].map((v) => c(v, "batch", "jobs")),
    ...["get", "list", "watch", "delete"].map((v) => c(v, "", "pods")),
    c("get", "", "pods", "log"),
    ...["list", "watch"].map((v) => c(v, "", "events")),
  ];
  // Server-side apply is a patch that may create. A suite with an existing ServiceAccount needs none of it.
  const own = suites.filter((s) => !s.serviceAccount);
  if (own.length || suites.length === 0) for (const v of ["create", "patch"]) checks.push(c(v, "", "serviceaccounts"));
  // source: local: the per-run overlay ConfigMap is created, handed to the Job, and deleted if the Job is not created.
  if (suites.some((s) => s.source.kind === "local")) for (const v of ["create", "patch", "delete"]) checks.push(c(v, "", "configmaps"));
  if (own.some((s) => s.kubernetesAccess)) {
    for (const r of ["roles", "rolebindings"]) for (const v of ["create", "patch"]) checks.push(c(v, "rbac.authorization.k8s.io", r));
  }
  return checks;
}

/** Verbs a run uses when allowed, and does without otherwise (said as a warning). */
export const OPTIONAL_ACCESS: readonly { verb: string; resource: string; subresource: string; without: string }[] = [
  // client-node execs over a WebSocket: the API server authorizes its GET upgrade as "get" on
  // pods/exec (and, with AuthorizePodWebsocketUpgradeCreatePermission, "create" as well).
  ...["get", "create"].map((verb) => ({ verb, resource: "pods", subresource: "exec", without: "only artifacts up to 256 KiB each come back (through the collector's log), and the pod's complete log copy does not (the streamed log is kept)" })),
];

export function optionalAccess(namespace: string): AccessCheck[] {
  return OPTIONAL_ACCESS.map((a) => ({ verb: a.verb, group: "", resource: a.resource, subresource: a.subresource, namespace }));
}

export function describeAccess(a: AccessCheck): string {
  const res = `${a.resource}${a.subresource ? `/${a.subresource}` : ""}${a.group ? `.${a.group}` : ""}`;
  return `${a.verb} ${res}`;
}

export function accessChecks(results: readonly AccessResult[], namespace: string): PreflightCheck[] {
  return results.map((r) => ({
    name: `may ${describeAccess(r)}`,
    ok: r.allowed,
    detail: r.allowed ? "allowed" : `forbidden${r.reason ? ` (${r.reason})` : ""}`,
    ...(r.allowed ? {} : { fix: `grant "${r.verb}" on ${r.resource}${r.subresource ? `/${r.subresource}` : ""} in namespace ${namespace} (a Role + RoleBinding)`, class: "forbidden" as const }),
  }));
}

export function imageChecks(suites: readonly ResolvedSuite[]): PreflightCheck[] {
  return suites.map((s) => {
    const ok = Boolean(s.image) && !s.imageUnset;
    return {
      name: `suite ${s.name} has an image`,
      ok,
      detail: ok ? s.image : `no image: "${s.image}"`,
      ...(ok ? {} : { fix: `set image.registry, defaults.image or suites.${s.name}.image in incluster.yaml`, class: "config" as const }),
    };
  });
}

type Referenced = "secrets" | "configmaps" | "serviceaccounts";

/** Every Secret, ConfigMap and ServiceAccount the suites' pods reference (env, envFrom, volumes, pull Secrets, git credentials), once each. Pure. */
export function referencedObjects(suites: readonly ResolvedSuite[]): { kind: Referenced; name: string; by: string[] }[] {
  const found = new Map<string, { kind: Referenced; name: string; by: string[] }>();
  const add = (kind: Referenced, name: string, by: string) => {
    const key = `${kind}/${name}`;
    const entry = found.get(key) ?? { kind, name, by: [] };
    if (!entry.by.includes(by)) entry.by.push(by);
    found.set(key, entry);
  };
  for (const s of suites) {
    for (const [env, ref] of Object.entries(s.envRefs)) {
      if ("secretKeyRef" in ref) add("secrets", ref.secretKeyRef.name, `suites.${s.name}.env.${env}`);
      else add("configmaps", ref.configMapKeyRef.name, `suites.${s.name}.env.${env}`);
    }
    s.envFrom?.forEach((e, i) => (e.secretRef ? add("secrets", e.secretRef.name, `suites.${s.name}.envFrom[${i}]`) : e.configMapRef && add("configmaps", e.configMapRef.name, `suites.${s.name}.envFrom[${i}]`)));
    s.volumes?.forEach((v, i) => (v.secret !== undefined ? add("secrets", v.secret, `suites.${s.name}.volumes[${i}]`) : v.configMap !== undefined && add("configmaps", v.configMap, `suites.${s.name}.volumes[${i}]`)));
    for (const p of s.imagePullSecrets ?? []) add("secrets", p, `suites.${s.name}.imagePullSecrets`);
    if (s.serviceAccount) add("serviceaccounts", s.serviceAccount, `suites.${s.name}.serviceAccount.name`);
    if (s.source.kind !== "image" && s.source.credentialsSecret) add("secrets", s.source.credentialsSecret, `source.${s.source.kind}.credentials.secretRef`);
  }
  return [...found.values()];
}

/**
 * A missing Secret or ConfigMap fails here, before any Job exists (the kubelet would otherwise
 * report CreateContainerConfigError seconds into the run). A 403 is not a failure: we say we
 * could not check, and the run goes on.
 */
export async function referenceChecks(port: ClusterPort, namespace: string, suites: readonly ResolvedSuite[]): Promise<PreflightCheck[]> {
  return Promise.all(
    referencedObjects(suites).map(async (r): Promise<PreflightCheck> => {
      const singular = r.kind === "secrets" ? "secret" : r.kind === "configmaps" ? "configmap" : "serviceaccount";
      const create = r.kind !== "secrets" ? singular : r.by.some((b) => b.endsWith(".imagePullSecrets")) ? "secret docker-registry" : "secret generic";
      const name = `${singular}/${r.name} exists (${r.by.join(", ")})`;
      try {
        const ok = await port.exists(r.kind, namespace, r.name);
        return ok
          ? { name, ok, detail: "yes" }
          : { name, ok, detail: `not found in namespace ${namespace}`, fix: `create ${singular} ${r.name} in ${namespace} (kubectl -n ${namespace} create ${create} ${r.name} ...), or fix ${r.by[0] ?? "the reference"}`, class: "containerConfig" };
      } catch (err) {
        const e = toKubeError(err);
        if (e.status === 403) return { name, ok: true, detail: `could not check: your credentials may not get ${r.kind} in ${namespace} (the ${r.kind === "serviceaccounts" ? "Job controller" : "kubelet"} will)` };
        return { name, ok: false, detail: e.message, class: e.unreachable ? "unreachable" : "containerConfig" };
      }
    }),
  );
}

export async function preflight(port: ClusterPort, namespace: string, suites: readonly ResolvedSuite[]): Promise<PreflightReport> {
  const context = port.context();
  const checks: PreflightCheck[] = [];
  const denied: AccessCheck[] = [];
  checks.push({ name: "kubeconfig context", ok: Boolean(context.server), detail: `${context.context} → ${context.server || "(no server)"}`, ...(context.server ? {} : { fix: "set --context or --kubeconfig", class: "unreachable" as const }) });
  let serverVersion: string | undefined;
  try {
    serverVersion = await port.serverVersion();
    checks.push({ name: "API server", ok: true, detail: `reachable, Kubernetes ${serverVersion}` });
  } catch (err) {
    const e = toKubeError(err);
    const detail = e.unreachable ? `${context.server} unreachable (${e.message})` : `${context.server} did not answer: ${e.message}`;
    checks.push({ name: "API server", ok: false, detail, fix: "check --context/--kubeconfig, the VPN, and `kubectl cluster-info`", class: "unreachable" });
    return { context, checks: [...checks, ...imageChecks(suites)], denied, ok: false };
  }
  try {
    const exists = await port.namespaceExists(namespace);
    checks.push({ name: `namespace ${namespace} exists`, ok: exists, detail: exists ? "yes" : "not found", ...(exists ? {} : { fix: `kubectl create namespace ${namespace}, or set namespace / -n`, class: "namespaceMissing" as const }) });
  } catch (err) {
    checks.push({ name: `namespace ${namespace} exists`, ok: false, detail: toKubeError(err).message, class: "unreachable" });
  }
  try {
    const required = requiredAccess(namespace, suites);
    const results = await port.accessReview([...required, ...optionalAccess(namespace)]);
    denied.push(...results.filter((r) => !r.allowed).map(({ allowed: _a, reason: _r, ...check }) => check));
    checks.push(...accessChecks(results.slice(0, required.length), namespace));
    for (const r of results.slice(required.length)) {
      const why = OPTIONAL_ACCESS.find((a) => a.verb === r.verb && a.resource === r.resource && a.subresource === r.subresource)?.without ?? "";
      checks.push({ name: `may ${describeAccess(r)}`, ok: r.allowed, optional: true, detail: r.allowed ? "allowed" : `forbidden: ${why}`, ...(r.allowed ? {} : { fix: `grant "${r.verb}" on ${r.resource}/${r.subresource} in namespace ${namespace}` }) });
    }
  } catch (err) {
    checks.push({ name: "access review", ok: false, detail: toKubeError(err).message, fix: "the API refused SelfSubjectAccessReview", class: "forbidden" });
  }
  if (referencedObjects(suites).length) checks.push(...(await referenceChecks(port, namespace, suites)));
  checks.push(...imageChecks(suites));
  return { context, ...(serverVersion ? { serverVersion } : {}), checks, denied, ok: checks.every((c) => c.ok || c.optional) };
}
