// Issue 8's lifecycle defects, each reproduced against the fake port: a run never leaks an
// object or a timer, never hangs, and decides as soon as the evidence is final.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { renderSuite } from "../../../src/render/suite.js";
import { FakeCluster, event, pod, settle } from "../support/fake-cluster.js";
import { localSourceConfig } from "../support/fixtures.js";
import { startPipeline } from "../support/pipeline.js";
import { finished, jobCreated, running, serveLog } from "../support/pod-states.js";

const CONFIG = `
apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ns
source:
  git:
    url: git://10.244.0.1/sample-app.git
    ref: main
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
suites:
  smoke:
    test: tests/e2e/test_services.py
`;
const config = parseConfig(CONFIG, "incluster.yaml");
const smoke = () => resolveSuite(config, "smoke");
const labels = () => ({ ...renderSuite(smoke(), { runId: "abc123" }).job.spec.template.metadata.labels });

describe("run lifecycle (issue 8 defects)", () => {
  it("1: Ctrl-C while the Job is being created deletes it once create() returns, arms no deadline, and leaves no timer", async () => {
    const cluster = new FakeCluster();
    let release!: () => void;
    cluster.createGate = new Promise((r) => (release = r));
    const t = startPipeline(cluster, [smoke()]);
    for (let i = 0; i < 50 && !cluster.calls.some((c) => c.startsWith("create Job")); i++) await settle();
    t.controller.abort();
    await settle();
    release();
    const r = await t.promise;
    expect(r.exitCode).toBe(130);
    expect(r.suites[0]).toMatchObject({ verdict: "interrupted", class: "interrupted" });
    expect(cluster.calls).toContain("delete jobs/test-smoke-e2e-abc123");
    expect(cluster.store.jobs.size).toBe(0);
    expect(t.timers.pending).toBe(0);
  });

  it("2: a watch that cannot start stops the others (no reconnect behind a finished run)", async () => {
    const cluster = new FakeCluster();
    cluster.failingLists.set("events", { status: 403, reason: "Forbidden", message: "events is forbidden" });
    const t = startPipeline(cluster, [smoke()]);
    const r = await t.promise;
    expect(r.suites[0]).toMatchObject({ verdict: "couldNotRun", class: "forbidden" });
    expect(cluster.openWatches("jobs").length + cluster.openWatches("pods").length + cluster.openWatches("events").length).toBe(0);
    expect(cluster.calls.filter((c) => c.startsWith("create"))).toEqual([]);
    // Nothing pending that could reopen a watch.
    expect(t.timers.pending).toBe(0);
  });

  it("3: Ctrl-C during a source: local run deletes the overlay ConfigMap too", async () => {
    const cluster = new FakeCluster();
    const s = resolveSuite(localSourceConfig(), "smoke");
    if (s.source.kind !== "local") throw new Error("local expected");
    const local = { ...s, namespace: "ns", source: { ...s.source, url: "git://h/r.git", commit: "a".repeat(40), overlay: { archiveBase64: "", deleted: [], files: 1, bytes: 20 } } };
    const t = startPipeline(cluster, [local]);
    for (let i = 0; i < 50 && !cluster.calls.some((c) => c.startsWith("own")); i++) await settle();
    t.controller.abort();
    const r = await t.promise;
    expect(r.exitCode).toBe(130);
    expect(cluster.calls).toEqual(expect.arrayContaining(["delete jobs/test-smoke-e2e-abc123", "delete configmaps/test-smoke-e2e-abc123-src"]));
  });

  it("4: after 410 Gone, events are relisted in full: a pull error that happened in the gap still fails the suite fast", async () => {
    const cluster = new FakeCluster();
    const t = startPipeline(cluster, [smoke()]);
    await jobCreated(cluster);
    const P1 = "test-smoke-e2e-abc123-p1";
    cluster.put("pods", pod(P1, labels(), { phase: "Pending", conditions: [{ type: "PodScheduled", status: "True" }] }));
    cluster.closeWatches("events", { status: 410, reason: "Expired", message: "too old resource version" });
    cluster.putSilently("events", event("gap", P1, "Failed", "Failed to pull image \"127.0.0.1:1/missing:1\": connection refused", "Warning"));
    const r = await t.promise;
    const eventLists = cluster.lists.filter((l) => l.kind === "events");
    expect(eventLists[0]?.selector.limit).toBe(1);
    expect(eventLists[1]?.selector.limit).toBeUndefined();
    expect(r.suites[0]).toMatchObject({ verdict: "couldNotRun", class: "imagePull" });
    expect(t.timers.pending).toBe(0);
  });

  it("6: a report file that cannot be written is a warning, not a crash: the run reaches its verdict", async () => {
    const cluster = new FakeCluster();
    const t = startPipeline(cluster, [smoke()], { failingLogs: new Set(["smoke/test-runner"]) });
    await jobCreated(cluster);
    cluster.put("pods", pod("p1", labels(), running()));
    cluster.put("pods", pod("p1", labels(), finished(0)));
    await serveLog(cluster, "test-runner", ["2026-11-24T00:00:03Z hello\n"]);
    await serveLog(cluster, "test-runner", []);
    const r = await t.promise;
    expect(r.exitCode).toBe(0);
    expect(r.warnings).toEqual(["could not save runs/smoke/test-runner.log: ENOSPC: no space left on device"]);
  });

  it("7: the verdict comes from the pod's final state, without waiting for the Job's condition", async () => {
    const cluster = new FakeCluster();
    const t = startPipeline(cluster, [smoke()]);
    await jobCreated(cluster);
    cluster.put("pods", pod("p1", labels(), running()));
    cluster.put("pods", pod("p1", labels(), finished(1)));
    await serveLog(cluster, "test-runner", ["2026-11-24T00:00:03Z FAILED test_x\n"]);
    await serveLog(cluster, "test-runner", []);
    // No Job condition ever arrives.
    const r = await t.promise;
    expect(r.suites[0]).toMatchObject({ verdict: "failed", class: "testsFailed", testExitCode: 1 });
  });

  it("7: a disrupted pod is not a verdict: the Job's podFailurePolicy retries it", async () => {
    const cluster = new FakeCluster();
    const t = startPipeline(cluster, [smoke()]);
    const j = await jobCreated(cluster);
    const disrupted = { ...finished(137), conditions: [{ type: "PodScheduled", status: "True" }, { type: "DisruptionTarget", status: "True", reason: "EvictionByEvictionAPI" }] };
    cluster.put("pods", pod("p1", labels(), disrupted));
    await settle(20);
    expect(t.events.some((e) => e.type === "suite.verdict")).toBe(false);
    cluster.put("pods", pod("p2", labels(), finished(0), "2026-11-24T00:00:05Z"));
    cluster.put("jobs", { ...j, status: { conditions: [{ type: "Complete", status: "True" }] } });
    // Every log read answers empty until the run ends (real time: a follower's final read comes
    // after a timer, and the test's log is read only once the clone's has ended).
    for (const until = Date.now() + 4000; Date.now() < until && !t.events.some((e) => e.type === "run.finished"); ) {
      for (const l of cluster.openLogs()) {
        l.open = false;
        l.handlers.onClose(undefined);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    const r = await t.promise;
    expect(r.suites[0]?.verdict).toBe("passed");
    expect(r.suites[0]?.notes.join("\n")).toContain("pod/p1 was evicted (EvictionByEvictionAPI); the Job's podFailurePolicy ignores disruptions, so the Job starts a new pod");
    expect(r.suites[0]?.notes).toContain("pod/p2 started in place of the evicted pod/p1");
    expect(t.events.filter((e) => e.type === "suite.note" && e.text.startsWith("pod/p2 started")).length).toBe(1);
  });

  it("every event carries v, type, ts (RFC 3339, ms), runId and, where relevant, suite", async () => {
    const cluster = new FakeCluster();
    const t = startPipeline(cluster, [smoke()]);
    await jobCreated(cluster);
    cluster.put("pods", pod("p1", labels(), finished(0)));
    await serveLog(cluster, "test-runner", ["2026-11-24T00:00:03.123456789Z hi\n"]);
    await serveLog(cluster, "test-runner", []);
    await t.promise;
    for (const e of t.events) {
      expect(e.v).toBe(1);
      expect(e.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(e.runId).toBe("abc123");
      if (e.type.startsWith("suite.") || e.type === "log") expect((e as { suite?: string }).suite).toBe("smoke");
    }
    expect(t.events.find((e) => e.type === "log")).toMatchObject({ line: "hi", kubeletTs: "2026-11-24T00:00:03.123456789Z", pod: "p1", container: "test-runner" });
    expect(t.events.map((e) => e.type).at(-1)).toBe("run.finished");
    expect(t.timers.pending).toBe(0);
  });
});
