// The API paths the port builds itself (pure): the kinds incluster writes, which need no
// discovery request, and the collections it lists and watches.
import type { WatchedKind } from "./port.js";

/** The field manager of every apply, create and patch. */
export const FIELD_MANAGER = "incluster";

// The kinds incluster writes, by apiVersion/kind: their paths need no discovery request.
const KNOWN_RESOURCES: Record<string, string> = {
  "v1/ServiceAccount": "/api/v1/namespaces/{ns}/serviceaccounts",
  "v1/ConfigMap": "/api/v1/namespaces/{ns}/configmaps",
  "v1/Pod": "/api/v1/namespaces/{ns}/pods",
  "rbac.authorization.k8s.io/v1/Role": "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/roles",
  "rbac.authorization.k8s.io/v1/RoleBinding": "/apis/rbac.authorization.k8s.io/v1/namespaces/{ns}/rolebindings",
  "batch/v1/Job": "/apis/batch/v1/namespaces/{ns}/jobs",
};

/** The collection of a kind incluster writes, in the object's namespace; undefined for other kinds or without a namespace. */
export function knownPath(obj: { apiVersion?: string; kind?: string; metadata?: { namespace?: string } }): string | undefined {
  const p = KNOWN_RESOURCES[`${obj.apiVersion}/${obj.kind}`];
  const ns = obj.metadata?.namespace;
  return p && ns ? p.replace("{ns}", encodeURIComponent(ns)) : undefined;
}

/** Server-side apply of one object of the collection `base`, taking the fields over from other managers. */
export function applyPath(base: string, name: string): string {
  return `${base}/${encodeURIComponent(name)}?fieldManager=${FIELD_MANAGER}&force=true`;
}

export function createPath(base: string): string {
  return `${base}?fieldManager=${FIELD_MANAGER}`;
}

const COLLECTIONS: Record<WatchedKind, (ns: string) => string> = {
  jobs: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`,
  pods: (ns) => `/api/v1/namespaces/${ns}/pods`,
  events: (ns) => `/api/v1/namespaces/${ns}/events`,
};

/** The collection a watch of `kind` in `namespace` reads. */
export function collectionPath(kind: WatchedKind, namespace: string): string {
  return COLLECTIONS[kind](namespace);
}
