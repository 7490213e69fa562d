// Everything checked before anything is built or created, in one round of requests: the API
// answers (within PREFLIGHT_ANSWER_MS), its Kubernetes is new enough for the Job, the namespace
// exists, the user may do every verb the run uses (SelfSubjectAccessReview), the referenced
// Secrets and ConfigMaps exist, each suite has an image; and whether the cluster assigns pod uids.
// Pure: `requiredAccess`, `accessChecks`, `imageChecks`, `versionChecks`, `preflightDiagnosis`;
// the I/O is in `preflight`.
import type { ResolvedSuite } from "../config/resolve.js";
import type { Diagnosis } from "../diagnose/types.js";
import type { AccessCheck, AccessResult, ClusterPort, ContextInfo } from "../kube/port.js";
import { toKubeError } from "../kube/errors.js";
import { MIN_KUBERNETES_TEXT, serverVersionVerdict } from "./server-version.js";
import type { SetTimer } from "../timers.js";
import { uncheckedCheck, type PreflightCheck } from "./checks.js";
import { platformIdentity } from "./platform.js";

export { uncheckedCheck, type PreflightCheck } from "./checks.js";

/**
 * How long the API server has to answer once the credentials are loaded: an unreachable or
 * silent server is "could not run" at once (exit 3), before any source or build. A healthy
 * server answers /version in milliseconds, tens over a VPN; the rest of the round has no deadline.
 */
export const PREFLIGHT_ANSWER_MS = 1200;

export interface PreflightReport {
  context: ContextInfo;
  serverVersion?: string;
  /** The cluster assigns pods their uid and fsGroup (OpenShift, run/platform.ts): suites render with runAsUser auto. */
  assignsIdentity?: boolean;
  checks: PreflightCheck[];
  /** The access checks that were denied, for `doctor` to print a Role that grants them. */
  denied: AccessCheck[];
  ok: boolean;
}

/** Every verb a run uses, per resource; Role/RoleBinding only when a suite grants access. */
export function requiredAccess(namespace: string, suites: readonly ResolvedSuite[]): AccessCheck[] {
  const c = (verb: string, group: string, resource: string, subresource?: string): AccessCheck => {
    return { verb, group, resource, namespace, ...(subresource ? { subresource } : {}) };
  };
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

const EXEC_DENIED =
  "only artifacts up to 256 KiB each come back (through the collector's log), and the pod's complete log copy does not (the streamed log is kept)";

/** Verbs a run uses when allowed, and does without otherwise (said as a warning). */
export const OPTIONAL_ACCESS: readonly { verb: string; resource: string; subresource: string; without: string }[] = [
  // client-node execs over a WebSocket: the API server authorizes its GET upgrade as "get" on
  // pods/exec (and, with AuthorizePodWebsocketUpgradeCreatePermission, "create" as well).
  ...["get", "create"].map((verb) => ({ verb, resource: "pods", subresource: "exec", without: EXEC_DENIED })),
];

export function optionalAccess(namespace: string): AccessCheck[] {
  return OPTIONAL_ACCESS.map((a) => ({ verb: a.verb, group: "", resource: a.resource, subresource: a.subresource, namespace }));
}

export function describeAccess(a: AccessCheck): string {
  const res = `${a.resource}${a.subresource ? `/${a.subresource}` : ""}${a.group ? `.${a.group}` : ""}`;
  return `${a.verb} ${res}`;
}

function describeResource(r: { resource: string; subresource?: string }): string {
  return `${r.resource}${r.subresource ? `/${r.subresource}` : ""}`;
}

export function accessChecks(results: readonly AccessResult[], namespace: string): PreflightCheck[] {
  return results.map((r) => ({
    name: `may ${describeAccess(r)}`,
    ok: r.allowed,
    detail: r.allowed ? "allowed" : `forbidden${r.reason ? ` (${r.reason})` : ""}`,
    ...(r.allowed ? {} : { fix: `grant "${r.verb}" on ${describeResource(r)} in namespace ${namespace} (a Role + RoleBinding)`, class: "forbidden" as const }),
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
    s.envFrom?.forEach((e, i) => {
      const by = `suites.${s.name}.envFrom[${i}]`;
      if (e.secretRef) add("secrets", e.secretRef.name, by);
      else if (e.configMapRef) add("configmaps", e.configMapRef.name, by);
    });
    s.volumes?.forEach((v, i) => {
      const by = `suites.${s.name}.volumes[${i}]`;
      if (v.secret !== undefined) add("secrets", v.secret, by);
      else if (v.configMap !== undefined) add("configmaps", v.configMap, by);
    });
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
        if (ok) return { name, ok, detail: "yes" };
        const kubectl = `kubectl -n ${namespace} create ${create} ${r.name} ...`;
        const fix = `create ${singular} ${r.name} in ${namespace} (${kubectl}), or fix ${r.by[0] ?? "the reference"}`;
        return { name, ok, detail: `not found in namespace ${namespace}`, fix, class: "containerConfig" };
      } catch (err) {
        const e = toKubeError(err);
        const who = r.kind === "serviceaccounts" ? "Job controller" : "kubelet";
        if (e.status === 403) return uncheckedCheck(name, `your credentials may not get ${r.kind} in ${namespace}; the ${who} will`);
        return { name, ok: false, detail: e.message, class: e.unreachable ? "unreachable" : "containerConfig" };
      }
    }),
  );
}

const NATIVE_SIDECAR = "because its collector is a native sidecar (an init container with restartPolicy: Always)";

/** The server's version against MIN_KUBERNETES: the Job's native sidecar needs it. Pure. */
export function versionChecks(gitVersion: string): PreflightCheck[] {
  const name = `Kubernetes ${MIN_KUBERNETES_TEXT} or newer`;
  const v = serverVersionVerdict(gitVersion);
  if (v.state === "unknown") return [uncheckedCheck(name, `the server calls its version ${JSON.stringify(gitVersion)}`)];
  if (v.state === "supported") return [{ name, ok: true, detail: gitVersion }];
  return [
    {
      name,
      ok: false,
      detail: `the server runs Kubernetes ${gitVersion}; the test Job needs ${v.needed} or newer, ${NATIVE_SIDECAR}`,
      fix: `use a cluster on Kubernetes ${v.needed} or newer (--context, --kubeconfig), or upgrade this one`,
      class: "unsupportedCluster",
    },
  ];
}

/** Turns a failed preflight into every suite's verdict, naming every failed check. Pure. */
export function preflightDiagnosis(report: PreflightReport): Diagnosis {
  const failed = report.checks.filter((c) => !c.ok && !c.optional);
  const order = ["unreachable", "unsupportedCluster", "namespaceMissing", "forbidden"] as const;
  const cls = order.find((k) => failed.some((c) => c.class === k)) ?? failed[0]?.class ?? "forbidden";
  const message = failed.map((c) => `${c.name}: ${c.detail}`).join("\n");
  const fixes = failed.map((c) => c.fix).filter(Boolean);
  const hint = fixes.length ? { hint: fixes.join("; ") } : {};
  return { verdict: "couldNotRun", class: cls === "config" ? "jobFailed" : cls, reason: "PreflightFailed", message, ...hint };
}

export interface PreflightOptions {
  setTimer: SetTimer;
  /** How long the server may take to answer (default PREFLIGHT_ANSWER_MS). */
  answerMs?: number;
}

/** A promise's outcome, or "late" when `ms` pass first (the timer is cleared either way). */
function withDeadline<T>(p: Promise<T>, ms: number, setTimer: SetTimer): Promise<{ value: T } | { error: unknown } | "late"> {
  return new Promise((resolve) => {
    const t = setTimer(() => resolve("late"), ms);
    p.then(
      (value) => (t.cancel(), resolve({ value })),
      (error: unknown) => (t.cancel(), resolve({ error })),
    );
  });
}

export async function preflight(port: ClusterPort, namespace: string, suites: readonly ResolvedSuite[], opts: PreflightOptions): Promise<PreflightReport> {
  const context = port.context();
  const noServer = context.server ? {} : { fix: "set --context or --kubeconfig", class: "unreachable" as const };
  const detail = `${context.context} → ${context.server || "(no server)"}`;
  const contextCheck: PreflightCheck = { name: "kubeconfig context", ok: Boolean(context.server), detail, ...noServer };
  const failedReport = (check: PreflightCheck): PreflightReport => ({ context, checks: [contextCheck, check, ...imageChecks(suites)], denied: [], ok: false });
  if (!context.server) return { context, checks: [contextCheck, ...imageChecks(suites)], denied: [], ok: false };
  const apiFix = "check --context/--kubeconfig, the VPN, and `kubectl cluster-info`";
  const apiDown = (detail: string): PreflightReport => {
    const report = failedReport({ name: "API server", ok: false, detail, fix: apiFix, class: "unreachable" });
    // What the round would have checked: said as not checked, never as passed.
    const why = "the API server did not answer";
    const unchecked = [`Kubernetes ${MIN_KUBERNETES_TEXT} or newer`, `namespace ${namespace} exists`, "access review"].map((n) => uncheckedCheck(n, why));
    report.checks.splice(2, 0, ...unchecked);
    return report;
  };
  try {
    await port.ready?.();
  } catch (err) {
    return apiDown(`the kubeconfig's credentials for ${context.server} could not be loaded: ${toKubeError(err).message}`);
  }
  // One round: every request goes at once; the version's answer, or its absence, decides first.
  const version = port.serverVersion();
  const rest = restChecks(port, namespace, suites);
  const ms = opts.answerMs ?? PREFLIGHT_ANSWER_MS;
  const answer = await withDeadline(version, ms, opts.setTimer);
  if (answer === "late") {
    // The requests still waiting would hold the process open: they fail now, as unreachable.
    port.dropConnection?.(`no answer from ${context.server} within ${ms} ms`);
    return apiDown(`${context.server} did not answer within ${ms / 1000} s`);
  }
  if ("error" in answer) {
    const e = toKubeError(answer.error);
    return apiDown(e.unreachable ? `${context.server} unreachable (${e.message})` : `${context.server} did not answer: ${e.message}`);
  }
  const checks = [contextCheck, { name: "API server", ok: true, detail: `reachable, Kubernetes ${answer.value}` }, ...versionChecks(answer.value)];
  const { checks: more, denied, assignsIdentity } = await rest;
  checks.push(...more, ...imageChecks(suites));
  const identity = assignsIdentity ? { assignsIdentity } : {};
  return { context, serverVersion: answer.value, checks, denied, ...identity, ok: checks.every((c) => c.ok || c.optional) };
}

/** The namespace, the access review, the referenced objects and the API groups, at once; never throws (a failure is a check). */
type RestChecks = { checks: PreflightCheck[]; denied: AccessCheck[]; assignsIdentity: boolean };
async function restChecks(port: ClusterPort, namespace: string, suites: readonly ResolvedSuite[]): Promise<RestChecks> {
  const namespaceCheck = async (): Promise<PreflightCheck[]> => {
    const name = `namespace ${namespace} exists`;
    try {
      const exists = await port.namespaceExists(namespace);
      const fix = { fix: `kubectl create namespace ${namespace}, or set namespace / -n`, class: "namespaceMissing" as const };
      return [{ name, ok: exists, detail: exists ? "yes" : "not found", ...(exists ? {} : fix) }];
    } catch (err) {
      return [{ name, ok: false, detail: toKubeError(err).message, class: "unreachable" }];
    }
  };
  const denied: AccessCheck[] = [];
  const access = async (): Promise<PreflightCheck[]> => {
    try {
      const required = requiredAccess(namespace, suites);
      const results = await port.accessReview([...required, ...optionalAccess(namespace)]);
      denied.push(...results.filter((r) => !r.allowed).map(({ allowed: _a, reason: _r, ...check }) => check));
      const out = accessChecks(results.slice(0, required.length), namespace);
      for (const r of results.slice(required.length)) {
        const why = OPTIONAL_ACCESS.find((a) => a.verb === r.verb && a.resource === r.resource && a.subresource === r.subresource)?.without ?? "";
        const fix = r.allowed ? {} : { fix: `grant "${r.verb}" on ${r.resource}/${r.subresource} in namespace ${namespace}` };
        out.push({ name: `may ${describeAccess(r)}`, ok: r.allowed, optional: true, detail: r.allowed ? "allowed" : `forbidden: ${why}`, ...fix });
      }
      return out;
    } catch (err) {
      return [{ name: "access review", ok: false, detail: toKubeError(err).message, fix: "the API refused SelfSubjectAccessReview", class: "forbidden" }];
    }
  };
  const refs = async (): Promise<PreflightCheck[]> => (referencedObjects(suites).length ? referenceChecks(port, namespace, suites) : []);
  const [ns, acc, ref, platform] = await Promise.all([namespaceCheck(), access(), refs(), platformIdentity(port)]);
  return { checks: [...ns, ...acc, ...ref, ...platform.checks], denied, assignsIdentity: platform.assignsIdentity };
}
