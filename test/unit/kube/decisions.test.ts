// The port's small pure decisions: platforms from node labels, access reviews, typed list items,
// and which API errors mean "not there".
import { describe, expect, it } from "vitest";
import { accessResult, accessReviewBody, nodePlatform } from "../../../src/kube/cluster-info.js";
import { foundUnless404, kubeCall } from "../../../src/kube/errors.js";
import { withKind } from "../../../src/kube/reads.js";

const check = { namespace: "ns", verb: "create", group: "batch", resource: "jobs" };

describe("nodePlatform", () => {
  it("reads kubernetes.io/os and kubernetes.io/arch, linux/amd64 where absent", () => {
    expect(nodePlatform({ "kubernetes.io/os": "linux", "kubernetes.io/arch": "arm64" })).toBe("linux/arm64");
    expect(nodePlatform({ "kubernetes.io/os": "windows" })).toBe("windows/amd64");
    expect(nodePlatform(undefined)).toBe("linux/amd64");
  });
});

describe("access reviews", () => {
  it("ask for the check's attributes, the subresource only when given", () => {
    expect(accessReviewBody(check).spec.resourceAttributes).toEqual(check);
    expect(accessReviewBody({ ...check, subresource: "log" }).spec.resourceAttributes).toEqual({ ...check, subresource: "log" });
    expect(accessReviewBody(check)).toMatchObject({ apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview" });
  });

  it("allow only what the server allows, with its reason when it gives one", () => {
    expect(accessResult(check, { allowed: true })).toEqual({ ...check, allowed: true });
    expect(accessResult(check, { allowed: false, reason: "no RBAC" })).toEqual({ ...check, allowed: false, reason: "no RBAC" });
    expect(accessResult(check, undefined)).toEqual({ ...check, allowed: false });
  });
});

describe("withKind", () => {
  it("turns the client's typed items into plain objects with their apiVersion and kind", () => {
    const item = { metadata: { name: "sa", creationTimestamp: new Date(0) } };
    expect(withKind("v1", "ServiceAccount", [item])).toEqual([{ metadata: { name: "sa", creationTimestamp: "1970-01-01T00:00:00.000Z" }, apiVersion: "v1", kind: "ServiceAccount" }]);
  });
});

describe("API errors", () => {
  const apiError = (code: number) => Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify({ code, reason: "R", message: "m" }) });

  it("foundUnless404: done is true, 404 is false, anything else is thrown as a KubeError", async () => {
    await expect(foundUnless404(async () => undefined)).resolves.toBe(true);
    await expect(foundUnless404(() => Promise.reject(apiError(404)))).resolves.toBe(false);
    await expect(foundUnless404(() => Promise.reject(apiError(403)))).rejects.toEqual({ status: 403, reason: "R", message: "m" });
  });

  it("kubeCall passes the answer through and reduces the error", async () => {
    await expect(kubeCall(async () => 7)).resolves.toBe(7);
    await expect(kubeCall(() => Promise.reject(apiError(409)))).rejects.toEqual({ status: 409, reason: "R", message: "m" });
  });
});
