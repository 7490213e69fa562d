// The strategic merge patch, one rule per test, each checked against what apimachinery's
// strategicpatch does for the same original and patch (the expectations follow its code:
// mergeMap, mergeSlice, normalizeElementOrder, the directives).
import { describe, expect, it } from "vitest";
import { POD_TEMPLATE_SCHEMA } from "../../../src/render/pod-patch.js";
import { PatchError, strategicMerge, type JsonMap } from "../../../src/render/strategic-merge.js";

const merge = (original: JsonMap, patch: JsonMap) => strategicMerge(original, patch, POD_TEMPLATE_SCHEMA);
const spec = (s: JsonMap): JsonMap => ({ spec: s });
const names = (list: unknown) => (list as { name: string }[]).map((c) => c.name);

function patchError(original: JsonMap, patch: JsonMap): PatchError {
  try {
    merge(original, patch);
  } catch (err) {
    if (err instanceof PatchError) return err;
    throw err;
  }
  throw new Error("expected a PatchError");
}

describe("maps", () => {
  it("merge key by key, recursively", () => {
    const out = merge({ metadata: { labels: { a: "1", b: "2" } } }, { metadata: { labels: { b: "3", c: "4" } } });
    expect(out).toEqual({ metadata: { labels: { a: "1", b: "3", c: "4" } } });
  });

  it("null deletes a key; a null for a key that is not there is dropped", () => {
    const out = merge(spec({ securityContext: { runAsUser: 1000, fsGroup: 1000 } }), spec({ securityContext: { runAsUser: null, seLinuxOptions: null } }));
    expect(out).toEqual(spec({ securityContext: { fsGroup: 1000 } }));
  });

  it("a value of another kind replaces (scalar over a map, map over a scalar)", () => {
    expect(merge(spec({ x: { a: 1 } }), spec({ x: "s" }))).toEqual(spec({ x: "s" }));
    expect(merge(spec({ x: 1 }), spec({ x: { a: 1, b: null } }))).toEqual(spec({ x: { a: 1 } }));
  });

  it("a new map is taken as written, without its nulls", () => {
    expect(merge(spec({}), spec({ dnsConfig: { searches: ["a.b"], nameservers: null } }))).toEqual(spec({ dnsConfig: { searches: ["a.b"] } }));
  });

  it("$patch: replace replaces the map whole", () => {
    const out = merge(spec({ securityContext: { runAsUser: 1000, fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } } }), spec({ securityContext: { $patch: "replace", runAsUser: 5 } }));
    expect(out).toEqual(spec({ securityContext: { runAsUser: 5 } }));
  });

  it("$patch: delete empties the map (apimachinery returns an empty one)", () => {
    expect(merge(spec({ affinity: { nodeAffinity: {} } }), spec({ affinity: { $patch: "delete" } }))).toEqual(spec({ affinity: {} }));
  });

  it("$retainKeys drops the original's keys it does not name", () => {
    const out = merge(spec({ volumes: [{ name: "v", emptyDir: {} }] }), spec({ volumes: [{ name: "v", $retainKeys: ["name", "configMap"], configMap: { name: "c" } }] }));
    expect(out).toEqual(spec({ volumes: [{ name: "v", configMap: { name: "c" } }] }));
  });

  it("$retainKeys must name every field the patch sets", () => {
    const e = patchError(spec({ volumes: [{ name: "v", emptyDir: {} }] }), spec({ volumes: [{ name: "v", $retainKeys: ["name"], secret: { secretName: "s" } }] }));
    expect(e.path).toEqual(["spec", "volumes", 0, "$retainKeys"]);
    expect(e.message).toContain('"secret" is missing');
  });

  it("leaves its inputs alone", () => {
    const original = spec({ containers: [{ name: "a", env: [{ name: "X", value: "1" }] }] });
    const patch = spec({ containers: [{ name: "a", env: [{ name: "Y", value: "2" }] }] });
    const [o, p] = [JSON.stringify(original), JSON.stringify(patch)];
    merge(original, patch);
    expect([JSON.stringify(original), JSON.stringify(patch)]).toEqual([o, p]);
  });
});

describe("lists with a merge key", () => {
  const original = spec({
    containers: [
      { name: "clone", image: "git" },
      { name: "test", image: "py", env: [{ name: "A", value: "1" }, { name: "B", value: "2" }], ports: [{ containerPort: 80, name: "http" }] },
    ],
  });

  it("containers merge by name: a matching one is merged, its other fields kept", () => {
    const out = merge(original, spec({ containers: [{ name: "test", resources: { limits: { memory: "1Gi" } } }] }));
    const test = (out.spec as { containers: JsonMap[] }).containers.find((c) => c.name === "test");
    expect(test).toEqual({ ...(original.spec as { containers: JsonMap[] }).containers[1], resources: { limits: { memory: "1Gi" } } });
    expect(names((out.spec as JsonMap).containers)).toEqual(["clone", "test"]);
  });

  it("a new element comes before the original's others, as apimachinery orders it", () => {
    const out = merge(original, spec({ containers: [{ name: "proxy", image: "envoy" }] }));
    expect(names((out.spec as JsonMap).containers)).toEqual(["proxy", "clone", "test"]);
  });

  it("elements already there keep their place relative to each other", () => {
    const out = merge(original, spec({ containers: [{ name: "test", image: "py2" }, { name: "clone", image: "git2" }] }));
    // Both are in the patch: the patch's order wins.
    expect(names((out.spec as JsonMap).containers)).toEqual(["test", "clone"]);
    const one = merge(original, spec({ containers: [{ name: "clone", image: "git2" }] }));
    expect(names((one.spec as JsonMap).containers)).toEqual(["clone", "test"]);
  });

  it("env merges by name inside a container", () => {
    const out = merge(original, spec({ containers: [{ name: "test", env: [{ name: "B", value: "two" }, { name: "C", value: "3" }] }] }));
    const env = ((out.spec as { containers: { env?: JsonMap[] }[] }).containers[1]?.env ?? []).map((e) => `${e.name}=${e.value}`);
    expect(env).toEqual(["A=1", "B=two", "C=3"]);
  });

  it("volumeMounts merge by mountPath, ports by containerPort, volumes and imagePullSecrets by name, hostAliases by ip", () => {
    const o = spec({
      containers: [{ name: "t", volumeMounts: [{ name: "a", mountPath: "/a" }], ports: [{ containerPort: 80 }] }],
      volumes: [{ name: "a", emptyDir: {} }],
      imagePullSecrets: [{ name: "one" }],
      hostAliases: [{ ip: "10.0.0.1", hostnames: ["a"] }],
    });
    const out = merge(
      o,
      spec({
        containers: [{ name: "t", volumeMounts: [{ name: "b", mountPath: "/a" }], ports: [{ containerPort: 80, name: "http" }] }],
        volumes: [{ name: "a", emptyDir: { medium: "Memory" } }],
        imagePullSecrets: [{ name: "two" }],
        hostAliases: [{ ip: "10.0.0.1", hostnames: ["b"] }],
      }),
    );
    expect(out).toEqual(
      spec({
        containers: [{ name: "t", volumeMounts: [{ name: "b", mountPath: "/a" }], ports: [{ containerPort: 80, name: "http" }] }],
        volumes: [{ name: "a", emptyDir: { medium: "Memory" } }],
        imagePullSecrets: [{ name: "two" }, { name: "one" }],
        // hostnames has no merge strategy: replaced.
        hostAliases: [{ ip: "10.0.0.1", hostnames: ["b"] }],
      }),
    );
  });

  it("{$patch: delete, name} deletes that element", () => {
    const out = merge(original, spec({ containers: [{ name: "clone", $patch: "delete" }] }));
    expect(names((out.spec as JsonMap).containers)).toEqual(["test"]);
  });

  it("{$patch: replace} replaces the list with the patch's other elements", () => {
    const out = merge(original, spec({ containers: [{ $patch: "replace" }, { name: "only", image: "x", env: [{ name: "N", value: null }] }] }));
    expect((out.spec as JsonMap).containers).toEqual([{ name: "only", image: "x", env: [{ name: "N" }] }]);
  });

  it("an element without the merge key is an error naming it", () => {
    const e = patchError(original, spec({ containers: [{ image: "x" }] }));
    expect(e.path).toEqual(["spec", "containers", 0]);
    expect(e.message).toContain("expected name");
  });

  it("$patch: delete without the key is an error", () => {
    expect(patchError(original, spec({ containers: [{ $patch: "delete" }] })).message).toContain("needs the element's name");
  });

  it("$setElementOrder orders the merged list", () => {
    const out = merge(original, spec({ "$setElementOrder/containers": [{ name: "test" }, { name: "clone" }], containers: [{ name: "test", image: "py3" }] }));
    expect(names((out.spec as JsonMap).containers)).toEqual(["test", "clone"]);
  });

  it("$setElementOrder must name the patch's elements in its order", () => {
    const e = patchError(original, spec({ "$setElementOrder/containers": [{ name: "clone" }], containers: [{ name: "test" }] }));
    expect(e.path).toEqual(["spec", "$setElementOrder/containers"]);
  });
});

describe("other lists", () => {
  it("a list without a merge key is replaced whole (tolerations, command, args)", () => {
    const out = merge(spec({ tolerations: [{ key: "a", operator: "Exists" }], containers: [{ name: "t", args: ["x", "y"] }] }), spec({ tolerations: [{ key: "b", operator: "Exists" }], containers: [{ name: "t", args: ["z"] }] }));
    expect(out).toEqual(spec({ tolerations: [{ key: "b", operator: "Exists" }], containers: [{ name: "t", args: ["z"] }] }));
  });

  it("$patch: delete in a list without a merge key is an error", () => {
    const e = patchError(spec({ tolerations: [{ key: "a" }] }), spec({ tolerations: [{ key: "a", $patch: "delete" }] }));
    expect(e.path).toEqual(["spec", "tolerations", 0, "$patch"]);
  });

  it("a merge list of scalars is the union (metadata.finalizers)", () => {
    // "a" was before "b" in the original and both are there: it stays first; "c" is new, after the patch's "b".
    expect(merge({ metadata: { finalizers: ["a", "b"] } }, { metadata: { finalizers: ["b", "c"] } })).toEqual({ metadata: { finalizers: ["a", "b", "c"] } });
  });

  it("$deleteFromPrimitiveList removes scalars", () => {
    expect(merge({ metadata: { finalizers: ["a", "b", "c"] } }, { metadata: { "$deleteFromPrimitiveList/finalizers": ["b"] } })).toEqual({ metadata: { finalizers: ["a", "c"] } });
  });
});

describe("directives", () => {
  it("an unknown $ key is an error naming it", () => {
    const e = patchError(spec({}), spec({ containers: [{ name: "t", $pacth: "delete" }] }));
    expect(e.path).toEqual(["spec", "containers", 0, "$pacth"]);
    expect(e.message).toContain('unknown directive "$pacth"');
  });

  it("$patch takes replace or delete", () => {
    expect(patchError(spec({}), spec({ securityContext: { $patch: "remove" } })).message).toContain("expected $patch: replace or $patch: delete");
    expect(patchError(spec({ securityContext: {} }), spec({ securityContext: { $patch: "merge" } })).message).toContain("$patch: merge");
  });

  it("directives never reach the result", () => {
    const out = merge(spec({}), spec({ containers: [{ name: "n", env: [{ name: "A", $patch: "delete" }, { name: "B", value: "1" }] }] }));
    expect(out).toEqual(spec({ containers: [{ name: "n", env: [{ name: "B", value: "1" }] }] }));
  });
});
