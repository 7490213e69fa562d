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
  class?: "unreachable" | "namespaceMissing" | "forbidden" | "config";
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
    // Server-side apply is a patch that may create.
    ...["create", "patch"].map((v) => c(v, "", "serviceaccounts")),
  ];
  // source: local: the per-run overlay ConfigMap is created, handed to the Job, and deleted if the Job is not created.
  if (suites.some((s) => s.source.kind === "local")) for (const v of ["create", "patch", "delete"]) checks.push(c(v, "", "configmaps"));
  if (suites.some((s) => s.kubernetesAccess)) {
    for (const r of ["roles", "rolebindings"]) for (const v of ["create", "patch"]) checks.push(c(v, "rbac.authorization.k8s.io", r));
  }
  return checks;
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

export async function preflight(port: ClusterPort, namespace: string, suites: readonly ResolvedSuite[]): Promise<PreflightReport> {
  const context = port.context();
  const checks: PreflightCheck[] = [];
  const denied: AccessCheck[] = [];
  checks.push({ name: "kubeconfig context", ok: Boolean(context.server), detail: `${context.context} → ${context.server || "(no server)"}`, ...(context.server ? {} : { fix: "set --context or --kubeconfig", class: "unreachable" as const }) });
  let serverVersion: string | undefined;
  try {
    serverVersion = await port.serverVersion();
    checks.push({ name: "API server reachable", ok: true, detail: `Kubernetes ${serverVersion}` });
  } catch (err) {
    const e = toKubeError(err);
    checks.push({ name: "API server reachable", ok: false, detail: e.message, fix: "check --context/--kubeconfig, the VPN, and `kubectl cluster-info`", class: "unreachable" });
    return { context, checks: [...checks, ...imageChecks(suites)], denied, ok: false };
  }
  try {
    const exists = await port.namespaceExists(namespace);
    checks.push({ name: `namespace ${namespace} exists`, ok: exists, detail: exists ? "yes" : "not found", ...(exists ? {} : { fix: `kubectl create namespace ${namespace}, or set namespace / -n`, class: "namespaceMissing" as const }) });
  } catch (err) {
    checks.push({ name: `namespace ${namespace} exists`, ok: false, detail: toKubeError(err).message, class: "unreachable" });
  }
  try {
    const results = await port.accessReview(requiredAccess(namespace, suites));
    denied.push(...results.filter((r) => !r.allowed).map(({ allowed: _a, reason: _r, ...check }) => check));
    checks.push(...accessChecks(results, namespace));
  } catch (err) {
    checks.push({ name: "access review", ok: false, detail: toKubeError(err).message, fix: "the API refused SelfSubjectAccessReview", class: "forbidden" });
  }
  checks.push(...imageChecks(suites));
  return { context, ...(serverVersion ? { serverVersion } : {}), checks, denied, ok: checks.every((c) => c.ok) };
}
