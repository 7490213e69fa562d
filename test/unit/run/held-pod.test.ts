// A container incluster did not add (an admission webhook's ordinary sidecar, a mesh proxy) keeps
// the pod Running after the tests: the verdict still comes at the test container's end, then the
// Job goes (Orphan) and its pod with it, unless --keep; without pods/exec the pod goes first, so
// that its collector, which prints the artifacts on SIGTERM, gets one.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { foreignContainersRunning } from "../../../src/diagnose/outcome.js";
import type { Pod } from "../../../src/k8s-types.js";
import type { PipelinePlan } from "../../../src/run/orchestrator.js";
import { renderSuite } from "../../../src/render/suite.js";
import { sampleGitYaml } from "../support/fixtures.js";
import { FakeCluster, pod } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";
import { complete, jobCreated } from "../support/pod-states.js";

const CONFIG = sampleGitYaml(`  smoke:
    command: ["python3", "-c", "print(1)"]`);

const running = { running: { startedAt: "2026-11-24T00:00:02Z" } };
const ended = (exitCode: number) => ({ terminated: { exitCode, reason: exitCode ? "Error" : "Completed" } });
/** The pod after its tests: test-runner ended, the injected proxy (or whatever `others` say) as given. */
const status = (exitCode: number, others: { name: string; state: object }[] = [{ name: "mesh-proxy", state: running }], collector = false): Pod["status"] => ({
  phase: "Running",
  conditions: [{ type: "PodScheduled", status: "True" }],
  ...(collector ? { initContainerStatuses: [{ name: "incluster-collector", state: running }] } : {}),
  containerStatuses: [{ name: "clone-repo", state: ended(0) }, { name: "test-runner", state: ended(exitCode) }, ...others] as NonNullable<Pod["status"]>["containerStatuses"],
});

function setup(opts: Partial<PipelinePlan> = {}, denied: string[] = []) {
  const suite = resolveSuite(parseConfig(CONFIG, "incluster.yaml"), "smoke");
  const labels = { ...renderSuite(suite, { runId: "abc123" }).job.spec.template.metadata.labels };
  const cluster = new FakeCluster();
  for (const d of denied) cluster.denied.add(d);
  return { cluster, labels, ...startPipeline(cluster, [suite], opts) };
}

const JOB = "test-smoke-e2e-abc123";

/** Serves a container's log (its lines, then empty catch-up reads) until the run ends; others' follows are left open. */
async function finishRun(t: ReturnType<typeof setup>, lines: string[], container = "test-runner") {
  let done = false;
  void t.promise.then(() => (done = true));
  let first = true;
  while (!done) {
    for (const l of t.cluster.openLogs(container)) {
      l.open = false;
      for (const c of first ? lines : []) l.handlers.onData(c);
      first = false;
      l.handlers.onClose(undefined);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return t.promise;
}

describe("foreignContainersRunning", () => {
  it("names ordinary containers incluster did not add that still run once the tests ended", () => {
    expect(foreignContainersRunning(pod("p", {}, status(0)))).toEqual(["mesh-proxy"]);
    expect(foreignContainersRunning(pod("p", {}, status(1, [{ name: "mesh-proxy", state: running }, { name: "log-agent", state: running }])))).toEqual(["mesh-proxy", "log-agent"]);
    // Already ended, or the tests still run, or only incluster's own (the collector is an init container).
    expect(foreignContainersRunning(pod("p", {}, status(0, [{ name: "mesh-proxy", state: ended(0) }])))).toEqual([]);
    expect(foreignContainersRunning(pod("p", {}, { ...status(0), containerStatuses: [{ name: "test-runner", state: running }, { name: "mesh-proxy", state: running }] } as Pod["status"]))).toEqual([]);
    expect(foreignContainersRunning(pod("p", {}, status(0, [], true)))).toEqual([]);
  });
});

describe("a pod held Running by a sidecar incluster did not add", () => {
  it("the verdict at the test's end; then the Job (Orphan) and its pod are deleted, and the note says why", async () => {
    const t = setup();
    await jobCreated(t.cluster);
    t.cluster.put("pods", pod("p1", t.labels, status(1)));
    const r = await finishRun(t, ["2026-11-24T00:00:03.000000001Z boom\n"]);
    expect(r.exitCode).toBe(1);
    expect(r.suites[0]).toMatchObject({ verdict: "failed", class: "testsFailed" });
    expect(t.cluster.calls.filter((c) => c.startsWith("delete"))).toEqual([`delete jobs/${JOB}`, "delete pods/p1"]);
    const note = `pod/p1 still runs mesh-proxy: not a container incluster added (an admission webhook's sidecar?), it keeps job/${JOB} running until its 1800s timeout; deleted the Job and its pod, their output copied`;
    expect(r.suites[0]?.notes).toContain(note);
    expect(t.progress).toContain(`smoke: ${note}`);
  });

  it("--keep keeps them, and says so", async () => {
    const t = setup({ keep: true });
    await jobCreated(t.cluster);
    t.cluster.put("pods", pod("p1", t.labels, status(0)));
    const r = await finishRun(t, ["2026-11-24T00:00:03Z ok\n"]);
    expect(r.exitCode).toBe(0);
    expect(t.cluster.calls.filter((c) => c.startsWith("delete"))).toEqual([]);
    expect(r.suites[0]?.notes.join("\n")).toMatch(/still runs mesh-proxy: .*; kept \(--keep\): `incluster clean` deletes it$/);
  });

  it("nothing is deleted when the sidecar has ended or the Job has completed", async () => {
    for (const finish of ["sidecar ended", "job complete"] as const) {
      const t = setup();
      const j = await jobCreated(t.cluster);
      if (finish === "job complete") complete(t.cluster, j, "Complete");
      t.cluster.put("pods", pod("p1", t.labels, status(0, finish === "sidecar ended" ? [{ name: "mesh-proxy", state: ended(0) }] : undefined)));
      const r = await finishRun(t, ["2026-11-24T00:00:03Z ok\n"]);
      expect(r.exitCode, finish).toBe(0);
      expect(t.cluster.calls.filter((c) => c.startsWith("delete")), finish).toEqual([]);
      expect(r.suites[0]?.notes.join("\n"), finish).not.toContain("mesh-proxy");
    }
  });

  it("without pods/exec the pod is deleted before the collector's log is awaited: its SIGTERM makes it print the artifacts", async () => {
    const t = setup({}, ["create pods/exec", "get pods/exec"]);
    await jobCreated(t.cluster);
    t.cluster.put("pods", pod("p1", t.labels, status(0, undefined, true)));
    const run = finishRun(t, ["2026-11-24T00:00:03Z ok\n"]);
    // The pod is deleted while the collector's follow is open (the fake removes it at once): its log is read to the end then.
    for (let i = 0; i < 400 && !t.cluster.calls.includes("delete pods/p1"); i++) await new Promise((r) => setTimeout(r, 5));
    expect(t.cluster.calls.filter((c) => c.startsWith("delete"))).toEqual([`delete jobs/${JOB}`, "delete pods/p1"]);
    expect(t.cluster.openLogs("incluster-collector")).toHaveLength(1);
    await finishRun(t, [], "incluster-collector");
    const r = await run;
    expect(r.exitCode).toBe(0);
    expect(r.suites[0]?.notes.join("\n")).toContain("deleted the Job and its pod, so that the collector prints the artifacts");
  });
});
