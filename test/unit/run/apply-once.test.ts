import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../../src/k8s-types.js";
import { ApplyOnce, alreadyApplied } from "../../../src/run/apply-once.js";

const sa = (labels: Record<string, string> = { "app.kubernetes.io/managed-by": "incluster" }, extra: object = {}): KubeObject =>
  ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "test-a-e2e", namespace: "ns", labels }, automountServiceAccountToken: false, ...extra }) as KubeObject;

/** A port that only applies and lists what the test gave it. */
function port(live: KubeObject[] | "forbidden") {
  const applied: string[] = [];
  return {
    applied,
    port: {
      apply: async (o: KubeObject) => void applied.push(`${o.kind}/${o.metadata?.name}`),
      listApplied: async () => {
        if (live === "forbidden") throw { status: 403, message: "forbidden" };
        return live;
      },
    } as never,
  };
}

describe("ApplyOnce", () => {
  it("applies an object once per run, however many suites need it", async () => {
    const p = port([]);
    const a = new ApplyOnce(p.port);
    await a.load("ns", "x=y");
    await Promise.all([a.apply(sa()), a.apply(sa()), a.apply(sa())]);
    expect(p.applied).toEqual(["ServiceAccount/test-a-e2e"]);
    expect(a.skipped).toBe(2);
  });

  it("sends nothing for an object already in the namespace as rendered (extra live fields and labels are fine)", async () => {
    const p = port([sa({ "app.kubernetes.io/managed-by": "incluster", other: "1" }, { secrets: [] })]);
    const a = new ApplyOnce(p.port);
    await a.load("ns", "x=y");
    await a.apply(sa());
    expect(p.applied).toEqual([]);
  });

  it("applies when a field or label differs, and when the list is forbidden", async () => {
    expect(alreadyApplied(sa(), sa({}, {}))).toBe(false);
    expect(alreadyApplied(sa(), sa(undefined, { automountServiceAccountToken: true }))).toBe(false);
    const p = port("forbidden");
    const a = new ApplyOnce(p.port);
    await a.load("ns", "x=y");
    await a.apply(sa());
    expect(p.applied).toEqual(["ServiceAccount/test-a-e2e"]);
  });
});
