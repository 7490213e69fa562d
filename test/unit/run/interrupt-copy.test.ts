// Ctrl-C mid-test must not wait for a pod's output: the cleanup's delete ends the test container
// while the collector still runs (a copy could start then), yet an interrupted suite starts no
// copy and its run ends at once. A copy that started would wait for the collector's grace
// (minutes): test/integration/interrupt.test.ts's "mid-test" case took 90 s once it did.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import type { Pod } from "../../../src/k8s-types.js";
import { renderSuite } from "../../../src/render/suite.js";
import { RELEASE_COLLECTOR_COMMAND } from "../../../src/run/collect.js";
import { sampleGitYaml } from "../support/fixtures.js";
import { FakeCluster, pod, settle } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";
import { jobCreated } from "../support/pod-states.js";

const CONFIG = sampleGitYaml(`  sleepy:
    command: ["sleep", "600"]`);

const collector = { name: "incluster-collector", state: { running: { startedAt: "2026-11-24T00:00:01Z" } } };
const clone = { name: "clone-repo", state: { terminated: { exitCode: 0, reason: "Completed" } } };
const status = (test: NonNullable<NonNullable<Pod["status"]>["containerStatuses"]>[number]["state"]): Pod["status"] => ({
  phase: "Running",
  conditions: [{ type: "PodScheduled", status: "True" }],
  initContainerStatuses: [collector],
  containerStatuses: [clone, { name: "test-runner", state: test }],
});

/** The suite's pod running its tests, its log followed, with `answer` for every exec. */
async function runningPod(answer: FakeCluster["execAnswer"]) {
  const suite = resolveSuite(parseConfig(CONFIG, "incluster.yaml"), "sleepy");
  const labels = { ...renderSuite(suite, { runId: "abc123" }).job.spec.template.metadata.labels };
  const cluster = new FakeCluster();
  cluster.execAnswer = answer;
  const t = startPipeline(cluster, [suite]);
  await jobCreated(cluster);
  cluster.put("pods", pod("p1", labels, status({ running: { startedAt: "2026-11-24T00:00:02Z" } })));
  for (let i = 0; i < 200 && cluster.openLogs("test-runner").length === 0; i++) await settle();
  return { cluster, t, labels };
}

describe("Ctrl-C mid-test", () => {
  it("the test container the cleanup killed starts no copy: the run ends without waiting for the collector", async () => {
    // A copy, once started, would never end: only the collector's grace would end it. The
    // cleanup's word to the collector to go (RELEASE_COLLECTOR_COMMAND) is answered at once.
    const { cluster, t, labels } = await runningPod(async (req) => (req.command === RELEASE_COLLECTOR_COMMAND ? { exitCode: 0 } : new Promise(() => undefined)));
    const t0 = Date.now();
    t.controller.abort();
    await settle();
    // The delete's kill reaches the test container first; the collector runs on a moment.
    cluster.put("pods", pod("p1", labels, status({ terminated: { exitCode: 137, reason: "Error" } })));
    const late = new Promise<"late">((r) => setTimeout(() => r("late"), 5000));
    const r = await Promise.race([t.promise, late]);
    expect(r).not.toBe("late");
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r === "late" ? undefined : r.suites[0]).toMatchObject({ verdict: "interrupted", exitCode: 130 });
    // No copy: only the collector told to go.
    expect(cluster.execs.map((e) => e.req.command)).toEqual([RELEASE_COLLECTOR_COMMAND]);
    expect(t.timers.pending).toBe(0);
  });

  it("a collector that cannot be told to go (the exec never answers) does not hold Ctrl-C past the release deadline", async () => {
    const cancelled: boolean[] = [];
    const { t } = await runningPod(
      (req) => new Promise((resolve) => req.signal?.addEventListener("abort", () => (cancelled.push(true), resolve({ exitCode: undefined, error: { message: "exec cancelled" } })))),
    );
    const t0 = Date.now();
    t.controller.abort();
    const r = await t.promise;
    expect(r.suites[0]).toMatchObject({ verdict: "interrupted", exitCode: 130 });
    expect(cancelled).toEqual([true]);
    expect(Date.now() - t0).toBeLessThan(12_000);
    expect(t.timers.pending).toBe(0);
  }, 20_000);
});
