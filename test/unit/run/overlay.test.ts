// source: local in the orchestrator: the overlay ConfigMap exists before the Job that mounts it,
// is handed to the Job (garbage-collected with it), and is deleted when the Job cannot be created.
import { describe, expect, it } from "vitest";
import { resolveSuite, type ResolvedSuite } from "../../../src/config/resolve.js";
import type { KubeObject } from "../../../src/k8s-types.js";
import { FakeCluster, settle } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";
import { localSourceConfig } from "../support/fixtures.js";

function localSuite(): ResolvedSuite {
  const s = resolveSuite(localSourceConfig(), "smoke");
  if (s.source.kind !== "local") throw new Error("local expected");
  return { ...s, namespace: "ns", source: { ...s.source, url: "git://h/r.git", commit: "a".repeat(40), overlay: { archiveBase64: "", deleted: [], files: 1, bytes: 20 } } };
}

function start(cluster: FakeCluster) {
  return startPipeline(cluster, [localSuite()], { concurrency: 1 });
}

describe("local overlay in runSuites", () => {
  it("ConfigMap, then Job, then the Job owns the ConfigMap", async () => {
    const cluster = new FakeCluster();
    const t = start(cluster);
    for (let i = 0; i < 50 && !cluster.calls.some((c) => c.startsWith("own")); i++) await settle();
    expect(cluster.calls.filter((c) => /ConfigMap|Job|configmap/.test(c))).toEqual([
      "create ConfigMap/test-smoke-e2e-abc123-src",
      "create Job/test-smoke-e2e-abc123",
      "own configmap/test-smoke-e2e-abc123-src by Job/test-smoke-e2e-abc123",
    ]);
    t.controller.abort();
    await t.promise;
  });

  it("a Job that cannot be created takes its ConfigMap with it", async () => {
    const cluster = new FakeCluster();
    const create = cluster.create.bind(cluster);
    cluster.create = async <T extends KubeObject>(obj: T): Promise<T> => {
      if (obj.kind === "Job") throw Object.assign(new Error("admission webhook denied"), { status: 400, reason: "BadRequest" });
      return create(obj);
    };
    const r = await start(cluster).promise;
    expect(r.suites[0]?.verdict).toBe("couldNotRun");
    expect(cluster.calls).toContain("delete configmaps/test-smoke-e2e-abc123-src");
  });

  it("preflight asks for create, patch and delete on configmaps", async () => {
    const cluster = new FakeCluster();
    cluster.denied.add("create configmaps");
    const t = start(cluster);
    const r = await t.promise;
    expect(r.suites[0]?.message).toContain("may create configmaps: forbidden");
    expect(cluster.calls.filter((c) => c.startsWith("create"))).toEqual([]);
  });
});
