// The engine's history I/O against the fake port: read once after the preflight (history.read),
// written before run.finished (still the last event), nothing written by an interrupted run.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { clusterHistoryStore } from "../../../src/history/cluster-store.js";
import { renderSuite } from "../../../src/render/suite.js";
import { realSetTimer } from "../../../src/timers.js";
import { FakeCluster, pod } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";
import { finished, jobCreated, running, serveLog } from "../support/pod-states.js";
import { run } from "./fixtures.js";

const config = parseConfig(
  `
apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ns
source: { git: { url: git://10.244.0.1/sample-app.git, ref: main } }
defaults: { image: 127.0.0.1:5000/incluster/python:3.11-pytest }
suites: { smoke: { test: tests/e2e/test_services.py } }
`,
  "incluster.yaml",
);
const smoke = () => resolveSuite(config, "smoke");
const labels = () => ({ ...renderSuite(smoke(), { runId: "abc123" }).job.spec.template.metadata.labels });

describe("the run's history", () => {
  it("is read after the preflight and written before run.finished, which stays last", async () => {
    const cluster = new FakeCluster();
    const store = clusterHistoryStore({ port: cluster, namespace: "ns", setTimer: realSetTimer });
    await store.append("smoke", run(1, [["a", "passed", 1]]), 50);
    const t = startPipeline(cluster, [smoke()], { history: { store, keep: 50 } });
    await jobCreated(cluster);
    cluster.put("pods", pod("p1", labels(), running()));
    cluster.put("pods", pod("p1", labels(), finished(1)));
    await serveLog(cluster, "test-runner", ["2026-11-24T00:00:03Z FAILED test_x\n"]);
    await serveLog(cluster, "test-runner", []);
    const r = await t.promise;
    const types = t.events.map((e) => e.type);
    expect(types.indexOf("history.read")).toBeLessThan(types.indexOf("suite.phase"));
    expect(t.events.find((e) => e.type === "history.read")).toMatchObject({ store: "cluster", where: "namespace ns", suites: [{ suite: "smoke", runs: 1 }] });
    expect(types.at(-1)).toBe("run.finished");
    const runs = (await store.read()).histories.get("smoke")?.runs ?? [];
    expect(runs.map((x) => [x.runId, x.verdict])).toEqual([["abc123", "failed"], ["run1", "passed"]]);
    expect(r.warnings ?? []).toEqual([]);
  });

  it("an interrupted run writes nothing", async () => {
    const cluster = new FakeCluster();
    const store = clusterHistoryStore({ port: cluster, namespace: "ns", setTimer: realSetTimer });
    const t = startPipeline(cluster, [smoke()], { history: { store, keep: 50 } });
    await jobCreated(cluster);
    t.controller.abort();
    await t.promise;
    expect(cluster.configMaps.size).toBe(0);
    expect(t.events.at(-1)?.type).toBe("run.finished");
  });
});
