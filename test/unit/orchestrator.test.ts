// The orchestrator against the hand-written fake port: orderings a live cluster rarely shows.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse.js";
import { resolveSuite } from "../../src/config/resolve.js";
import { renderSuite } from "../../src/render/suite.js";
import type { PipelinePlan } from "../../src/run/orchestrator.js";
import type { Pod } from "../../src/k8s-types.js";
import { FakeCluster, event, pod, settle } from "./support/fake-cluster.js";
import { startPipeline } from "./support/pipeline.js";
import { complete, finished, jobCreated, running, serveLog } from "./support/pod-states.js";

const CONFIG = `
apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ns
image:
  registry: 127.0.0.1:5000/incluster
source:
  git:
    url: git://10.244.0.1/sample-app.git
    ref: main
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
suites:
  smoke:
    test: tests/e2e/test_services.py
  other:
    test: tests/e2e/test_fails_on_purpose.py
`;

function setup(names: string[] = ["smoke"], opts: Partial<PipelinePlan> = {}) {
  const config = parseConfig(CONFIG, "incluster.yaml");
  const cluster = new FakeCluster();
  const t = startPipeline(cluster, names.map((n) => resolveSuite(config, n)), opts);
  const labels = (suite = "smoke") => ({ ...renderSuite(resolveSuite(config, suite), { runId: "abc123" }).job.spec.template.metadata.labels });
  return { cluster, ...t, labels };
}

describe("runSuites with a fake cluster", () => {
  it("creates the run's Job under a unique name and reports a pass with its logs", async () => {
    const t = setup();
    const j = await jobCreated(t.cluster);
    expect(j.metadata?.name).toBe("test-smoke-e2e-abc123");
    expect(t.cluster.calls.slice(0, 4)).toEqual(["apply ServiceAccount/test-smoke-e2e", "apply Role/test-smoke-e2e", "apply RoleBinding/test-smoke-e2e", "create Job/test-smoke-e2e-abc123"]);
    t.cluster.put("pods", pod("p1", t.labels(), running()));
    t.cluster.put("pods", pod("p1", t.labels(), finished(0)));
    await serveLog(t.cluster, "test-runner", ["2026-11-24T00:00:03.000000001Z hello\n2026-11-24T00:00:03.5Z bye\n"]);
    complete(t.cluster, j, "Complete");
    await serveLog(t.cluster, "test-runner", []); // the final catch-up read
    const r = await t.promise;
    expect(r.exitCode).toBe(0);
    expect(r.suites[0]?.verdict).toBe("passed");
    expect(t.lines["smoke/test-runner"]).toEqual(["hello", "bye"]);
  });

  it("reads the clone's log to its end before the test's: the two run side by side, their lines never interleave", async () => {
    const t = setup();
    t.cluster.emptyLogs.delete("clone-repo");
    const j = await jobCreated(t.cluster);
    const both: Pod["status"] = {
      phase: "Running",
      conditions: [{ type: "PodScheduled", status: "True" }],
      containerStatuses: [
        { name: "clone-repo", state: { running: { startedAt: "2026-11-24T00:00:01Z" } } },
        { name: "test-runner", state: { running: { startedAt: "2026-11-24T00:00:01Z" } } },
      ],
    };
    t.cluster.put("pods", pod("p1", t.labels(), both));
    await settle();
    // The test container waits for the clone: its log is not opened while the clone's is read.
    expect(t.cluster.openLogs("test-runner")).toHaveLength(0);
    await serveLog(t.cluster, "clone-repo", ["2026-11-24T00:00:01.5Z Checked out 19e147a\n"]);
    const cloneDone: Pod["status"] = { ...both, containerStatuses: [{ name: "clone-repo", state: { terminated: { exitCode: 0, reason: "Completed" } } }, both.containerStatuses![1]!] };
    t.cluster.put("pods", pod("p1", t.labels(), cloneDone));
    await serveLog(t.cluster, "clone-repo", []); // the clone's final read
    await serveLog(t.cluster, "test-runner", ["2026-11-24T00:00:01.2Z == incluster: suite smoke ==\n2026-11-24T00:00:02Z ok\n"]);
    t.cluster.put("pods", pod("p1", t.labels(), { ...cloneDone, phase: "Succeeded", containerStatuses: [cloneDone.containerStatuses![0]!, { name: "test-runner", state: { terminated: { exitCode: 0, reason: "Completed" } } }] }));
    await serveLog(t.cluster, "test-runner", []);
    complete(t.cluster, j, "Complete");
    const r = await t.promise;
    expect(r.suites[0]?.verdict).toBe("passed");
    const order = t.events.flatMap((e) => (e.type === "log" ? [`${e.container}: ${e.line}`] : []));
    expect(order).toEqual(["clone-repo: Checked out 19e147a", "test-runner: == incluster: suite smoke ==", "test-runner: ok"]);
  });

  it("relists after a 410 Gone and sees what changed while the watch was down", async () => {
    const t = setup();
    const j = await jobCreated(t.cluster);
    t.cluster.closeWatches("pods", { status: 410, reason: "Expired", message: "too old resource version" });
    t.cluster.putSilently("pods", pod("p1", t.labels(), finished(2)));
    t.cluster.closeWatches("jobs", { status: 410, reason: "Expired", message: "too old resource version" });
    t.cluster.putSilently("jobs", { ...j, status: { conditions: [{ type: "Failed", status: "True", reason: "PodFailurePolicy" }] } });
    await serveLog(t.cluster, "test-runner", ["2026-11-24T00:00:03Z FAILED test_x\n"]);
    await serveLog(t.cluster, "test-runner", ["2026-11-24T00:00:03Z FAILED test_x\n"]); // catch-up read: nothing new
    const r = await t.promise;
    expect(t.lines["smoke/test-runner"]).toEqual(["FAILED test_x"]);
    expect(r.suites[0]).toMatchObject({ verdict: "failed", class: "testsFailed", testExitCode: 2, exitCode: 1 });
    expect(t.cluster.openWatches("pods").length).toBe(0);
  });

  it("uses events that arrive before their pod, and fails fast on a pull error after the grace", async () => {
    const t = setup();
    const P1 = "test-smoke-e2e-abc123-p1"; // pods are named after their Job, as the event filter expects
    await jobCreated(t.cluster);
    t.cluster.put("events", event("e1", P1, "Pulling", "Pulling image \"127.0.0.1:1/missing:1\""));
    t.cluster.put("events", event("e2", P1, "Failed", "Failed to pull image: connection refused", "Warning"));
    await settle();
    t.cluster.put("pods", pod(P1, t.labels(), {
      phase: "Pending",
      conditions: [{ type: "PodScheduled", status: "True" }],
      initContainerStatuses: [{ name: "clone-repo", state: { waiting: { reason: "ErrImagePull", message: "failed to pull 127.0.0.1:1/missing:1" } } }],
    }));
    const r = await t.promise;
    expect(r.suites[0]).toMatchObject({ verdict: "couldNotRun", class: "imagePull", reason: "ErrImagePull", exitCode: 3 });
    expect(r.suites[0]?.phases.pulling).toBeDefined();
    expect(r.suites[0]?.events.map((e) => e.reason)).toEqual(["Pulling", "Failed"]);
    expect(t.cluster.calls).toContain("delete jobs/test-smoke-e2e-abc123");
  });

  it("reports a Job deleted under us instead of waiting forever", async () => {
    const t = setup();
    const j = await jobCreated(t.cluster);
    t.cluster.put("pods", pod("p1", t.labels(), running()));
    const p = [...t.cluster.store.pods.values()][0]!;
    t.cluster.remove("pods", p);
    t.cluster.remove("jobs", j);
    const r = await t.promise;
    expect(r.suites[0]).toMatchObject({ verdict: "couldNotRun", class: "podDeleted" });
  });

  it("never loses or repeats a line when the log stream is cut mid-line", async () => {
    const t = setup();
    const j = await jobCreated(t.cluster);
    t.cluster.put("pods", pod("p1", t.labels(), running()));
    await serveLog(t.cluster, "test-runner", ["2026-11-24T00:00:02.100Z line1\n2026-11-24T00:00:02.200Z line2\n2026-11-24T00:00:02.3"], { message: "unexpected EOF" });
    const resumed = await serveLog(t.cluster, "test-runner", [
      "2026-11-24T00:00:02.100Z line1\n2026-11-24T00:00:02.200Z line2\n2026-11-24T00:00:02.300Z line3\n2026-11-24T00:00:02.900Z line4\n",
    ]);
    expect(resumed.sinceTime).toBe("2026-11-24T00:00:02Z");
    t.cluster.put("pods", pod("p1", t.labels(), finished(0)));
    await serveLog(t.cluster, "test-runner", ["2026-11-24T00:00:02.900Z line4\n2026-11-24T00:00:02.950Z line5\n"]);
    complete(t.cluster, j, "Complete");
    const r = await t.promise;
    expect(r.suites[0]?.verdict).toBe("passed");
    expect(t.lines["smoke/test-runner"]).toEqual(["line1", "line2", "line3", "line4", "line5"]);
  });

  it("on interrupt deletes the run's Job and Pods and exits 130", async () => {
    const t = setup();
    await jobCreated(t.cluster);
    t.cluster.put("pods", pod("p1", t.labels(), running()));
    await settle();
    t.controller.abort();
    const r = await t.promise;
    expect(r.exitCode).toBe(130);
    expect(t.cluster.calls).toEqual(expect.arrayContaining(["delete jobs/test-smoke-e2e-abc123", "delete pods/p1"]));
    expect(t.cluster.store.jobs.size).toBe(0);
    expect(t.cluster.store.pods.size).toBe(0);
  });

  it("on interrupt also deletes a pod of the run the watch has not brought yet (the Job controller's, just after the create)", async () => {
    const t = setup();
    await jobCreated(t.cluster);
    // In the cluster, not yet in the pod watch.
    t.cluster.store.pods.set("uid-late", { ...pod("p-late", t.labels(), running()), metadata: { name: "p-late", uid: "uid-late", labels: t.labels() } });
    t.controller.abort();
    const r = await t.promise;
    expect(r.exitCode).toBe(130);
    expect(t.cluster.calls).toEqual(expect.arrayContaining(["delete jobs/test-smoke-e2e-abc123", "delete pods/p-late"]));
  });

  it("creates nothing when a permission is missing, and names every missing one", async () => {
    const t = setup();
    t.cluster.denied.add("create jobs").add("get pods");
    const r = await t.promise;
    expect(r.exitCode).toBe(3);
    expect(r.suites[0]?.class).toBe("forbidden");
    expect(r.suites[0]?.message).toContain("may create jobs.batch: forbidden");
    expect(r.suites[0]?.message).toContain("may get pods: forbidden");
    expect(t.cluster.calls).toEqual([]);
  });

  it("runs several suites on one watch per kind, and the worst verdict wins", async () => {
    const t = setup(["smoke", "other"]);
    for (let i = 0; i < 50 && t.cluster.store.jobs.size < 2; i++) await settle();
    expect(t.cluster.openWatches("jobs").length).toBe(1);
    expect(t.cluster.openWatches("pods").length).toBe(1);
    const jobs = [...t.cluster.store.jobs.values()];
    const smoke = jobs.find((j) => j.metadata?.name?.includes("smoke"))!;
    const other = jobs.find((j) => j.metadata?.name?.includes("other"))!;
    t.cluster.put("pods", pod("p-smoke", t.labels("smoke"), finished(0)));
    t.cluster.put("pods", pod("p-other", t.labels("other"), finished(1)));
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 100 && t.cluster.openLogs().length === 0; k++) await settle();
      for (const l of t.cluster.openLogs()) {
        l.open = false;
        l.handlers.onClose(undefined);
      }
    }
    complete(t.cluster, smoke, "Complete");
    complete(t.cluster, other, "Failed", "PodFailurePolicy");
    for (let k = 0; k < 100 && t.cluster.openLogs().length === 0; k++) await settle();
    for (const l of t.cluster.openLogs()) {
      l.open = false;
      l.handlers.onClose(undefined);
    }
    const r = await t.promise;
    expect(r.suites.map((s) => s.verdict)).toEqual(["passed", "failed"]);
    expect(r.exitCode).toBe(1);
  });
});
