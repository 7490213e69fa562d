// `incluster debug`'s wait for its held-open pod, against the fake cluster: the pod's state is
// decided by run's classification (types and reasons, not message text), and the watch resumes
// after the API server ends it (KindWatch) instead of giving up.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { debugSession, startState } from "../../../src/debug/session.js";
import type { Job, Pod } from "../../../src/k8s-types.js";
import { FakeCluster, settle } from "../support/fake-cluster.js";

const POD = "test-smoke-e2e-abc123-debug";
const theJob = {
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name: "test-smoke-e2e-abc123", namespace: "ns", uid: "uid-job", labels: { "incluster.dev/suite": "smoke" } },
  spec: { template: { metadata: { labels: { "incluster.dev/suite": "smoke" } }, spec: { containers: [{ name: "test-runner", image: "img" }] } } },
} as Job;

const debugPod = (status: Pod["status"]): Pod => ({ kind: "Pod", metadata: { name: POD, namespace: "ns", uid: "uid-debug" }, status });
const waiting = (reason: string, message = ""): Pod["status"] => ({
  phase: "Pending",
  containerStatuses: [{ name: "test-runner", state: { waiting: { reason, message } } }],
});
const cloneFailed = { name: "clone-repo", state: { terminated: { exitCode: 128, reason: "Error" } } };
const unschedulable: Pod["status"] = { phase: "Pending", conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] };

function start(cluster: FakeCluster, startMs = 5000) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  stdout.on("data", (d: Buffer) => (out += d.toString()));
  const io = { stdin: new PassThrough(), stdout, stderr, interrupted: Promise.resolve() };
  const done = debugSession(cluster, { namespace: "ns", suite: "smoke", deadlineSeconds: 60, shell: false, startMs }, io);
  return { done, out: () => out };
}

/** Until the pods' watch is open (real time: a resumed watch reopens on a zero-delay timer). */
async function watching(cluster: FakeCluster): Promise<void> {
  for (let i = 0; i < 400 && cluster.openWatches("pods").length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  await settle();
}

describe("debug's held-open pod: its state by run's classification", () => {
  it.each<[string, Pod["status"], string | undefined]>([
    ["Running", { phase: "Running" }, "Running"],
    ["an image that cannot be pulled", waiting("ImagePullBackOff", "Back-off pulling image"), "ImagePullBackOff"],
    ["an invalid image name", waiting("InvalidImageName"), "InvalidImageName"],
    ["a missing Secret", waiting("CreateContainerConfigError", 'secret "x" not found'), "CreateContainerConfigError"],
    ["a container that cannot start", waiting("RunContainerError"), "RunContainerError"],
    ["a failed clone", { phase: "Failed", initContainerStatuses: [cloneFailed] }, "phase Failed (cloneFailed)"],
    ["its deadline", { phase: "Failed", reason: "DeadlineExceeded" }, "phase Failed (deadlineExceeded)"],
    ["still creating its containers", waiting("ContainerCreating"), undefined],
    ["a reason whose text merely looks like an error", waiting("PodInitializing", "Error: BackOff Invalid"), undefined],
    ["not placed yet: left to the start bound", unschedulable, undefined],
  ])("%s: %s", (_name, status, state) => {
    expect(startState(debugPod(status))).toBe(state);
  });
});

describe("debugSession's wait", () => {
  it("prints the exec line once the pod is Running, and deletes the pod at the end", async () => {
    const cluster = new FakeCluster();
    cluster.put("jobs", theJob);
    const s = start(cluster);
    await watching(cluster);
    cluster.put("pods", debugPod({ phase: "Running" }));
    await expect(s.done).resolves.toEqual({ pod: POD });
    expect(s.out()).toBe(`kubectl exec -it -n ns ${POD} -c test-runner -- /bin/sh\n`);
    expect(cluster.calls.filter((c) => c.startsWith("delete pods"))).toEqual([`delete pods/${POD}`, `delete pods/${POD}`]);
  });

  it("a pod stuck on its image ends the wait at once, naming the reason", async () => {
    const cluster = new FakeCluster();
    cluster.put("jobs", theJob);
    const s = start(cluster);
    await watching(cluster);
    cluster.put("pods", debugPod(waiting("ErrImagePull")));
    await expect(s.done).rejects.toMatchObject({ code: "DEBUG_NOT_RUNNING", message: `pod/${POD} did not start: ErrImagePull` });
  });

  it("the watch resumes from its resourceVersion when the API server ends it, so the pod's start is not missed", async () => {
    const cluster = new FakeCluster();
    cluster.put("jobs", theJob);
    const s = start(cluster);
    await watching(cluster);
    const first = cluster.openWatches("pods")[0]!;
    cluster.closeWatches("pods");
    await watching(cluster);
    expect(cluster.openWatches("pods")).toHaveLength(1);
    expect(cluster.openWatches("pods")[0]!.from).toBe(first.from);
    cluster.put("pods", debugPod({ phase: "Running" }));
    await expect(s.done).resolves.toEqual({ pod: POD });
  });

  it("a pod that cannot be placed waits for the start bound", async () => {
    const cluster = new FakeCluster();
    cluster.put("jobs", theJob);
    const s = start(cluster, 50);
    await watching(cluster);
    cluster.put("pods", debugPod(unschedulable));
    await expect(s.done).rejects.toMatchObject({ message: `pod/${POD} did not start: not Running after 0.05s` });
  });
});
