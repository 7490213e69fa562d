// The guide's ServiceAccount, Role (pods, pods/log: get, list) and RoleBinding. Named without
// the run id: every run of a suite shares them, and server-side apply keeps them current.
import type { ResolvedSuite } from "../config/resolve.js";
import { baseName, suiteLabels } from "../names.js";
import type { RoleBindingObject, RoleObject, ServiceAccountObject } from "./objects.js";

function meta(suite: ResolvedSuite) {
  return { name: baseName(suite.name), namespace: suite.namespace, labels: suiteLabels(suite.name) };
}

/** What kubernetesAccess grants the test pod: read its namespace's pods and their logs. */
export const ROLE_RULES = [{ apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list"] }] as const;

export function renderServiceAccount(suite: ResolvedSuite): ServiceAccountObject {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: meta(suite),
    ...(suite.kubernetesAccess ? {} : { automountServiceAccountToken: false }),
  };
}

export function renderRole(suite: ResolvedSuite): RoleObject {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: meta(suite),
    rules: ROLE_RULES.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] })),
  };
}

export function renderRoleBinding(suite: ResolvedSuite): RoleBindingObject {
  const name = baseName(suite.name);
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: meta(suite),
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace: suite.namespace }],
  };
}
