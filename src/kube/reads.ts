// Reads of a namespace's objects that are not watched: whether a named object exists, the
// RBAC objects a run applied, the overlay ConfigMaps `clean` looks for, the Services' names.
import { foundUnless404, kubeCall } from "./errors.js";
import type { KubeConnection } from "./connection.js";
import type { KubeObject } from "../k8s-types.js";
import type { ConfigMapData } from "./port.js";

export type ReadableKind = "secrets" | "configmaps" | "serviceaccounts";

/** Whether the object exists; 403 and the rest are thrown as KubeError (the caller says it could not check). */
export function objectExists(conn: Pick<KubeConnection, "core">, kind: ReadableKind, namespace: string, name: string): Promise<boolean> {
  // Metadata would do, but a get is what RBAC grants; the value stays in this function.
  return foundUnless404(async () => {
    if (kind === "secrets") await conn.core.readNamespacedSecret({ name, namespace });
    else if (kind === "serviceaccounts") await conn.core.readNamespacedServiceAccount({ name, namespace });
    else await conn.core.readNamespacedConfigMap({ name, namespace });
  });
}

/** The client's typed items as plain objects with the apiVersion and kind a list leaves out. Pure. */
export function withKind(apiVersion: string, kind: string, items: object[]): KubeObject[] {
  return items.map((i) => ({ ...(JSON.parse(JSON.stringify(i)) as KubeObject), apiVersion, kind }));
}

/** ServiceAccounts, Roles and RoleBindings with the label, whole. */
export function listApplied(conn: Pick<KubeConnection, "core" | "rbac">, namespace: string, labelSelector: string): Promise<KubeObject[]> {
  return kubeCall(async () => {
    const q = { namespace, labelSelector };
    const [sas, roles, bindings] = await Promise.all([
      conn.core.listNamespacedServiceAccount(q),
      conn.rbac.listNamespacedRole(q),
      conn.rbac.listNamespacedRoleBinding(q),
    ]);
    const rbac = "rbac.authorization.k8s.io/v1";
    return [...withKind("v1", "ServiceAccount", sas.items), ...withKind(rbac, "Role", roles.items), ...withKind(rbac, "RoleBinding", bindings.items)];
  });
}

/** ConfigMaps with the label: names and labels only. */
export function listConfigMaps(conn: Pick<KubeConnection, "core">, namespace: string, labelSelector: string): Promise<KubeObject[]> {
  return kubeCall(async () => {
    const list = await conn.core.listNamespacedConfigMap({ namespace, labelSelector });
    return list.items.map((c) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: c.metadata?.name ?? "", labels: c.metadata?.labels ?? {} } }));
  });
}

export function listServices(conn: Pick<KubeConnection, "core">, namespace: string): Promise<string[]> {
  return kubeCall(async () => (await conn.core.listNamespacedService({ namespace })).items.map((s) => s.metadata?.name ?? "").filter(Boolean));
}

interface RawConfigMap {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

/** A ConfigMap as the port hands it out (the client's binaryData is base64 text, as in the API's JSON). Pure. */
export function configMapData(c: RawConfigMap, namespace: string): ConfigMapData {
  return {
    name: c.metadata?.name ?? "",
    namespace: c.metadata?.namespace ?? namespace,
    ...(c.metadata?.resourceVersion ? { resourceVersion: c.metadata.resourceVersion } : {}),
    labels: c.metadata?.labels ?? {},
    ...(c.data ? { data: c.data } : {}),
    ...(c.binaryData ? { binaryData: c.binaryData } : {}),
  };
}

/** ConfigMaps with the label, whole. */
export function readConfigMaps(conn: Pick<KubeConnection, "core">, namespace: string, labelSelector: string): Promise<ConfigMapData[]> {
  return kubeCall(async () => {
    const list = await conn.core.listNamespacedConfigMap({ namespace, labelSelector });
    return list.items.map((c) => configMapData(c as RawConfigMap, namespace));
  });
}

/** One ConfigMap whole, or undefined (404). */
export async function getConfigMap(conn: Pick<KubeConnection, "core">, namespace: string, name: string): Promise<ConfigMapData | undefined> {
  let found: RawConfigMap | undefined;
  const exists = await foundUnless404(async () => {
    found = (await conn.core.readNamespacedConfigMap({ name, namespace })) as RawConfigMap;
  });
  return exists && found ? configMapData(found, namespace) : undefined;
}
