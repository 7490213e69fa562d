// A CI runner inside the cluster (GitLab's Kubernetes executor, Actions Runner Controller):
// with no kubeconfig anywhere, incluster uses the pod's ServiceAccount, and doctor says which
// one it is so the Role it prints can be bound to it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AccessRole } from "../render/access-role.js";
import { MANAGED_BY } from "../names.js";

/** Where the kubelet mounts the pod's ServiceAccount token (Kubernetes' fixed path). */
export const SERVICE_ACCOUNT_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

export interface ServiceAccountRef {
  namespace: string;
  name: string;
}

/** The ServiceAccount a projected token names in its `sub` claim (system:serviceaccount:<ns>:<name>). Pure. */
export function serviceAccountOfToken(token: string): ServiceAccountRef | undefined {
  const payload = token.trim().split(".")[1];
  if (!payload) return undefined;
  try {
    const sub = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown }).sub;
    const m = typeof sub === "string" ? /^system:serviceaccount:([^:]+):([^:]+)$/.exec(sub) : null;
    return m?.[1] && m[2] ? { namespace: m[1], name: m[2] } : undefined;
  } catch {
    return undefined;
  }
}

/** The same choice loadKubeConfig makes: no --kubeconfig, no KUBECONFIG, no ~/.kube/config, and a pod's service host. Pure. */
export function usesInClusterConfig(o: {
  kubeconfigFlag?: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  homeConfigExists: boolean;
}): boolean {
  return !o.kubeconfigFlag && !o.env.KUBECONFIG && !o.homeConfigExists && Boolean(o.env.KUBERNETES_SERVICE_HOST);
}

/** This pod's ServiceAccount when incluster talks to the API as it; undefined otherwise. */
export function inClusterServiceAccount(kubeconfigFlag: string | undefined, env: Readonly<Record<string, string | undefined>>): ServiceAccountRef | undefined {
  const homeConfigExists = existsSync(join(env.HOME ?? "", ".kube", "config"));
  if (!usesInClusterConfig({ kubeconfigFlag, env, homeConfigExists })) return undefined;
  try {
    return serviceAccountOfToken(readFileSync(SERVICE_ACCOUNT_TOKEN, "utf8"));
  } catch {
    return undefined;
  }
}

/** A RoleBinding of the Role to a ServiceAccount (which may live in another namespace). Pure. */
export function serviceAccountBinding(role: AccessRole, sa: ServiceAccountRef): object {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name: role.metadata.name, namespace: role.metadata.namespace, labels: { [MANAGED_BY]: "incluster" } },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
    subjects: [{ kind: "ServiceAccount", name: sa.name, namespace: sa.namespace }],
  };
}
