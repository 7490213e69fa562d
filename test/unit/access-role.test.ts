import { describe, expect, it } from "vitest";
import { accessRole } from "../../src/render/access-role.js";
import { requiredAccess } from "../../src/run/preflight.js";

describe("accessRole", () => {
  it("groups denied verbs by API group and resource, subresources kept", () => {
    const role = accessRole("ns", [
      { verb: "create", group: "batch", resource: "jobs" },
      { verb: "delete", group: "batch", resource: "jobs" },
      { verb: "get", group: "", resource: "pods", subresource: "log" },
    ]);
    expect(role.metadata).toMatchObject({ name: "incluster-runner", namespace: "ns" });
    expect(role.rules).toEqual([
      { apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "delete"] },
      { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
    ]);
  });

  it("for everything a run needs, one rule per resource", () => {
    const role = accessRole("ns", requiredAccess("ns", [{ kubernetesAccess: true, source: { kind: "git" } } as never]));
    expect(role.rules.map((r) => r.resources[0])).toEqual(["jobs", "pods", "pods/log", "events", "serviceaccounts", "roles", "rolebindings"]);
  });
});
