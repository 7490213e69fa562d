// What preflight and doctor ask of the cluster itself: its version, its API groups, its nodes' platforms,
// whether a namespace exists, and what the user may do there (SelfSubjectAccessReview).
import { ApisApi, VersionApi } from "../vendor/kube.js";
import type { V1SelfSubjectAccessReview, V1SubjectAccessReviewStatus } from "@kubernetes/client-node";
import { kubeCall, toKubeError } from "./errors.js";
import type { KubeConnection } from "./connection.js";
import type { AccessCheck, AccessResult } from "./port.js";

export function serverVersion(conn: Pick<KubeConnection, "config">): Promise<string> {
  return kubeCall(async () => (await new VersionApi(conn.config).getCode()).gitVersion);
}

/** The API groups the server serves, by name (discovery; CRDs' groups included). */
export function apiGroups(conn: Pick<KubeConnection, "config">): Promise<string[]> {
  return kubeCall(async () => ((await new ApisApi(conn.config).getAPIVersions()).groups ?? []).map((g) => g.name));
}

/** os/arch from a node's kubernetes.io/os and kubernetes.io/arch labels (linux/amd64 where absent). Pure. */
export function nodePlatform(labels: Record<string, string> | undefined): string {
  return `${labels?.["kubernetes.io/os"] ?? "linux"}/${labels?.["kubernetes.io/arch"] ?? "amd64"}`;
}

export async function nodePlatforms(conn: Pick<KubeConnection, "core">): Promise<string[]> {
  try {
    const nodes = await conn.core.listNode({});
    return nodes.items.map((n) => nodePlatform(n.metadata?.labels));
  } catch (err) {
    // Listing nodes is cluster-scoped: a namespaced user may not; the build then uses image.platform or this machine's.
    if (toKubeError(err).status === 403) return [];
    throw toKubeError(err);
  }
}

export async function namespaceExists(conn: Pick<KubeConnection, "core">, namespace: string): Promise<boolean> {
  try {
    await conn.core.readNamespace({ name: namespace });
    return true;
  } catch (err) {
    const e = toKubeError(err);
    if (e.status === 404) return false;
    // Users with only namespaced rights cannot read Namespace objects; listing pods there
    // proves the namespace exists without needing cluster scope.
    if (e.status === 403) {
      try {
        await conn.core.listNamespacedPod({ namespace, limit: 1 });
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
}

/** The SelfSubjectAccessReview that asks the server one check. Pure. */
export function accessReviewBody(c: AccessCheck): V1SelfSubjectAccessReview {
  return {
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
  };
}

/** The check with the server's answer: allowed only when it says so. Pure. */
export function accessResult(c: AccessCheck, status: V1SubjectAccessReviewStatus | undefined): AccessResult {
  return { ...c, allowed: status?.allowed === true, ...(status?.reason ? { reason: status.reason } : {}) };
}

/** Every check at once. */
export function accessReview(conn: Pick<KubeConnection, "authz">, checks: readonly AccessCheck[]): Promise<AccessResult[]> {
  return kubeCall(() =>
    Promise.all(
      checks.map(async (c) => accessResult(c, (await conn.authz.createSelfSubjectAccessReview({ body: accessReviewBody(c) })).status)),
    ),
  );
}
