// run's preflight checks the Secrets and ConfigMaps the pods reference: a missing one fails the
// run before any Job exists (class containerConfig, exit 3); one we may not read is "could not check".
import { describe, expect, it } from "vitest";
import { resolveSuite, type ResolvedSuite } from "../../../src/config/resolve.js";
import { referencedObjects } from "../../../src/run/preflight.js";
import { FakeCluster } from "../support/fake-cluster.js";
import { gitCredentialsConfig, guideConfig } from "../support/fixtures.js";
import { startPipeline } from "../support/pipeline.js";

function suiteWithRefs(): ResolvedSuite {
  const s = resolveSuite(gitCredentialsConfig(), listFirst());
  return { ...s, namespace: "ns", envRefs: { API_TOKEN: { secretKeyRef: { name: "fleet-api", key: "token" } }, FLAGS: { configMapKeyRef: { name: "fleet-flags", key: "flags" } } } };
}
const listFirst = () => Object.keys(gitCredentialsConfig().suites)[0] ?? "";

describe("preflight: referenced Secrets and ConfigMaps", () => {
  it("lists each reference once, with every field that names it", () => {
    expect(referencedObjects([suiteWithRefs()]).map((r) => `${r.kind}/${r.name} ← ${r.by.join(", ")}`)).toEqual([
      `secrets/fleet-api ← suites.${listFirst()}.env.API_TOKEN`,
      `configmaps/fleet-flags ← suites.${listFirst()}.env.FLAGS`,
      "secrets/git-token ← source.git.credentials.secretRef",
    ]);
    expect(referencedObjects([resolveSuite(guideConfig(), "vllm-agent-tools")])).toEqual([]);
  });

  it("a missing Secret fails the run before the Job is created", async () => {
    const cluster = new FakeCluster();
    cluster.absent.add("secrets/ns/fleet-api");
    const r = await startPipeline(cluster, [suiteWithRefs()], { concurrency: 1 }).promise;
    const s = r.suites[0];
    expect(s?.verdict).toBe("couldNotRun");
    expect(s?.class).toBe("containerConfig");
    expect(s?.exitCode).toBe(3);
    expect(s?.message).toContain(`secret/fleet-api exists (suites.${listFirst()}.env.API_TOKEN): not found in namespace ns`);
    expect(s?.hint).toContain("is missing in namespace ns");
    expect(cluster.calls.some((c) => c.startsWith("create Job"))).toBe(false);
  });

  it("a reference we may not read does not stop the run", async () => {
    const cluster = new FakeCluster();
    cluster.forbiddenGets.add("configmaps/ns/fleet-flags");
    const t = startPipeline(cluster, [suiteWithRefs()], { concurrency: 1 });
    for (let i = 0; i < 100 && !cluster.calls.some((c) => c.startsWith("create Job")); i++) await new Promise((r) => setImmediate(r));
    expect(cluster.calls.some((c) => c.startsWith("create Job"))).toBe(true);
    t.controller.abort();
    await t.promise;
  });
});
