// The Role `doctor` prints when permissions are missing: exactly the denied verbs, grouped by
// API group and resource, ready for an admin to apply and bind. Pure.
import { MANAGED_BY } from "../names.js";

/** A denied SelfSubjectAccessReview, as preflight reports it. */
export interface DeniedAccess {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
}

export interface AccessRole {
  apiVersion: "rbac.authorization.k8s.io/v1";
  kind: "Role";
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
}

export function accessRole(namespace: string, denied: readonly DeniedAccess[]): AccessRole {
  const byResource = new Map<string, { group: string; resource: string; verbs: Set<string> }>();
  for (const d of denied) {
    const resource = d.subresource ? `${d.resource}/${d.subresource}` : d.resource;
    const key = `${d.group}|${resource}`;
    const entry = byResource.get(key) ?? { group: d.group, resource, verbs: new Set<string>() };
    entry.verbs.add(d.verb);
    byResource.set(key, entry);
  }
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name: "incluster-runner", namespace, labels: { [MANAGED_BY]: "incluster" } },
    rules: [...byResource.values()].map((e) => ({ apiGroups: [e.group], resources: [e.resource], verbs: [...e.verbs].sort() })),
  };
}
