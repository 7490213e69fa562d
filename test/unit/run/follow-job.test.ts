// `logs` on a Job that has not started yet: it follows the clone and then the tests until the
// run ends (not just what has started so far), ends if the Job is deleted, and leaves no timer.
import { describe, expect, it } from "vitest";
import { followJob } from "../../../src/follow/follow-job.js";
import type { FollowEnd } from "../../../src/follow/follow-job.js";
import type { Pod } from "../../../src/k8s-types.js";
import type { SetTimer } from "../../../src/timers.js";
import { FakeCluster, job, pod, settle } from "../support/fake-cluster.js";

const JOB = "test-smoke-e2e-abc123";
const labels = { "job-name": JOB };

/** Real timeouts, counted, so a test can see that every one was cleared or has fired. */
function countingTimers() {
  const live = new Set<ReturnType<typeof setTimeout>>();
  const setTimer: SetTimer = (fn, ms) => {
    const t = setTimeout(() => {
      live.delete(t);
      fn();
    }, ms);
    live.add(t);
    return { cancel: () => (clearTimeout(t), live.delete(t)) };
  };
  return { setTimer, live };
}

const pending: Pod["status"] = { phase: "Pending", initContainerStatuses: [{ name: "clone-repo", state: { waiting: { reason: "PodInitializing" } } }], containerStatuses: [{ name: "test-runner", state: { waiting: { reason: "PodInitializing" } } }] };
const cloning: Pod["status"] = { phase: "Pending", initContainerStatuses: [{ name: "clone-repo", state: { running: {} } }], containerStatuses: [{ name: "test-runner", state: { waiting: { reason: "PodInitializing" } } }] };
const cloned: Pod["status"] = { phase: "Pending", initContainerStatuses: [{ name: "clone-repo", state: { terminated: { exitCode: 0, reason: "Completed" } } }], containerStatuses: [{ name: "test-runner", state: { waiting: { reason: "PodInitializing" } } }] };
const testing: Pod["status"] = { phase: "Running", initContainerStatuses: cloned.initContainerStatuses!, containerStatuses: [{ name: "test-runner", state: { running: {} } }] };
const tested: Pod["status"] = { phase: "Failed", initContainerStatuses: cloned.initContainerStatuses!, containerStatuses: [{ name: "test-runner", state: { terminated: { exitCode: 1, reason: "Error" } } }] };

function start(cluster: FakeCluster) {
  const lines: string[] = [];
  let result: FollowEnd | undefined;
  const timers = countingTimers();
  const done = followJob({ port: cluster, setTimer: timers.setTimer }, "ns", JOB, { onLine: (c, l) => lines.push(`${c}: ${l}`) }).then((r) => (result = r));
  return { lines, done, timers, ended: () => result };
}

async function openLog(cluster: FakeCluster, container: string) {
  for (let i = 0; i < 100 && cluster.openLogs(container).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  const l = cluster.openLogs(container)[0];
  if (!l) throw new Error(`no open log of ${container}`);
  return l;
}

async function say(cluster: FakeCluster, container: string, text: string) {
  (await openLog(cluster, container)).handlers.onData(`2026-11-24T00:00:0${container === "clone-repo" ? 1 : 2}.000000001Z ${text}\n`);
}

/** The container has ended: its stream ends, and the follower's last read finds nothing new. */
async function ended(cluster: FakeCluster, container: string) {
  for (const follow of [true, false]) {
    const l = await openLog(cluster, container);
    expect(l.req.follow).toBe(follow);
    l.open = false;
    l.handlers.onClose(undefined);
  }
}

describe("followJob", () => {
  it("started while the pod is pending, it follows the clone and then the tests to the end", async () => {
    const cluster = new FakeCluster();
    cluster.emptyLogs = new Set();
    cluster.put("jobs", job(JOB, {}, { active: 1 }));
    const p = pod(`${JOB}-x`, labels, pending);
    cluster.put("pods", p);
    const f = start(cluster);
    await settle();
    expect(f.ended()).toBeUndefined();

    cluster.put("pods", { ...p, status: cloning });
    await say(cluster, "clone-repo", "cloned abc1234");
    cluster.put("pods", { ...p, status: cloned });
    await ended(cluster, "clone-repo");
    await settle();
    // The clone's log has ended, but the run has not: keep following.
    expect(f.ended()).toBeUndefined();

    cluster.put("pods", { ...p, status: testing });
    await say(cluster, "test-runner", "1 failed");
    await settle();
    expect(f.ended()).toBeUndefined();
    cluster.put("pods", { ...p, status: tested });
    await ended(cluster, "test-runner");
    await f.done;
    expect(f.ended()?.end).toBe("finished");
    expect(f.lines).toEqual(["clone-repo: cloned abc1234", "test-runner: 1 failed"]);
    expect(f.timers.live.size).toBe(0);
    expect(cluster.openWatches("jobs").length + cluster.openWatches("pods").length).toBe(0);
  });

  it("a sharded suite is followed until every shard has ended, as run decides it (diagnose/job-state suiteVerdict)", async () => {
    const cluster = new FakeCluster();
    cluster.emptyLogs = new Set(["clone-repo", "test-runner"]);
    cluster.put("jobs", { ...job(JOB, {}, { active: 2 }), spec: { completionMode: "Indexed", completions: 2 } });
    const shard = (index: number, status: Pod["status"]): Pod => {
      const p = pod(`${JOB}-${index}`, labels, status);
      return { ...p, metadata: { ...p.metadata, annotations: { "batch.kubernetes.io/job-completion-index": String(index) } } };
    };
    cluster.put("pods", shard(0, tested));
    cluster.put("pods", shard(1, pending));
    const f = start(cluster);
    await new Promise((r) => setTimeout(r, 300));
    // Shard 0 has ended; shard 1's pod has not started: its logs are still to come.
    expect(f.ended()).toBeUndefined();
    cluster.put("pods", shard(1, testing));
    await settle(20);
    expect(f.ended()).toBeUndefined();
    cluster.put("pods", shard(1, tested));
    await f.done;
    expect(f.ended()?.end).toBe("finished");
    expect(f.timers.live.size).toBe(0);
  });

  it("ends when the Job is deleted, even with the pod still pending", async () => {
    const cluster = new FakeCluster();
    const j = job(JOB, {}, { active: 1 });
    cluster.put("jobs", j);
    cluster.put("pods", pod(`${JOB}-x`, labels, pending));
    const f = start(cluster);
    await settle();
    expect(f.ended()).toBeUndefined();
    cluster.remove("jobs", cluster.store.jobs.get(`uid-${JOB}`)!);
    await f.done;
    expect(f.ended()?.end).toBe("deleted");
    expect(f.timers.live.size).toBe(0);
  });

  it("a watch that breaks is resumed, and the pending retry is cleared when the run ends", async () => {
    const cluster = new FakeCluster();
    cluster.put("jobs", job(JOB, {}, { active: 1 }));
    cluster.put("pods", pod(`${JOB}-x`, labels, pending));
    const f = start(cluster);
    await settle();
    cluster.closeWatches("pods", { status: 500, message: "boom" });
    expect(f.timers.live.size).toBe(1);
    cluster.put("jobs", job(JOB, {}, { conditions: [{ type: "Failed", status: "True", reason: "DeadlineExceeded" }] }));
    await f.done;
    expect(f.ended()?.end).toBe("finished");
    expect(f.timers.live.size).toBe(0);
  });
});
