// The paths the port builds itself, without discovery.
import { describe, expect, it } from "vitest";
import { applyPath, collectionPath, createPath, knownPath } from "../../../src/kube/paths.js";
import { watchQuery } from "../../../src/kube/list-watch.js";

describe("knownPath", () => {
  it("maps each kind incluster writes to its namespaced collection", () => {
    const at = (apiVersion: string, kind: string) => knownPath({ apiVersion, kind, metadata: { namespace: "ns" } });
    expect(at("v1", "ServiceAccount")).toBe("/api/v1/namespaces/ns/serviceaccounts");
    expect(at("v1", "ConfigMap")).toBe("/api/v1/namespaces/ns/configmaps");
    expect(at("v1", "Pod")).toBe("/api/v1/namespaces/ns/pods");
    expect(at("rbac.authorization.k8s.io/v1", "Role")).toBe("/apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles");
    expect(at("rbac.authorization.k8s.io/v1", "RoleBinding")).toBe("/apis/rbac.authorization.k8s.io/v1/namespaces/ns/rolebindings");
    expect(at("batch/v1", "Job")).toBe("/apis/batch/v1/namespaces/ns/jobs");
  });

  it("leaves other kinds, other versions and objects without a namespace to discovery", () => {
    expect(knownPath({ apiVersion: "apps/v1", kind: "Deployment", metadata: { namespace: "ns" } })).toBeUndefined();
    expect(knownPath({ apiVersion: "batch/v1beta1", kind: "Job", metadata: { namespace: "ns" } })).toBeUndefined();
    expect(knownPath({ apiVersion: "v1", kind: "ConfigMap", metadata: {} })).toBeUndefined();
    expect(knownPath({ apiVersion: "v1", kind: "ConfigMap" })).toBeUndefined();
  });

  it("encodes the namespace and the name", () => {
    const base = knownPath({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "a/b" } }) ?? "";
    expect(base).toBe("/api/v1/namespaces/a%2Fb/pods");
    expect(applyPath(base, "p?x")).toBe("/api/v1/namespaces/a%2Fb/pods/p%3Fx?fieldManager=incluster&force=true");
    expect(createPath(base)).toBe("/api/v1/namespaces/a%2Fb/pods?fieldManager=incluster");
  });
});

describe("watches", () => {
  it("watch the collection of each kind", () => {
    expect(collectionPath("jobs", "ns")).toBe("/apis/batch/v1/namespaces/ns/jobs");
    expect(collectionPath("pods", "ns")).toBe("/api/v1/namespaces/ns/pods");
    expect(collectionPath("events", "ns")).toBe("/api/v1/namespaces/ns/events");
  });

  it("resume from the resourceVersion, with bookmarks, ended by the server every 300 s, selectors only when given", () => {
    expect(watchQuery({}, "42")).toEqual({ resourceVersion: "42", allowWatchBookmarks: "true", timeoutSeconds: "300" });
    expect(watchQuery({ labelSelector: "a=b", fieldSelector: "c=d", limit: 5 }, "")).toEqual({
      resourceVersion: "",
      allowWatchBookmarks: "true",
      timeoutSeconds: "300",
      labelSelector: "a=b",
      fieldSelector: "c=d",
    });
  });
});
