// The pure diagnosis on Job, Pod and Event objects recorded from the project's real cluster
// (test/unit/fixtures/recorded/<case>/, saved by `incluster run` in its report directory).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { classifyPod, decidingPod, eventProblem, jobOutcome, phaseOf, podProblem, podVerdict } from "../../src/diagnose/outcome.js";
import type { Job, KubeEvent, Pod } from "../../src/k8s-types.js";

const dir = join(import.meta.dirname, "fixtures/recorded");
function recorded(name: string): { job: Job; pods: Pod[]; events: KubeEvent[] } {
  const read = <T>(f: string) => JSON.parse(readFileSync(join(dir, name, f), "utf8")) as T;
  return { job: read<Job>("job.json"), pods: read<Pod[]>("pods.json"), events: read<KubeEvent[]>("events.json") };
}

describe("jobOutcome on recorded objects", () => {
  it("passed: Complete / SuccessCriteriaMet", () => {
    const r = recorded("passed");
    expect(jobOutcome(r.job, r.pods)).toMatchObject({ verdict: "passed", testExitCode: 0 });
  });

  it("tests failed: the test container's exit code", () => {
    const r = recorded("tests-failed");
    expect(jobOutcome(r.job, r.pods)).toMatchObject({ verdict: "failed", class: "testsFailed", testExitCode: 1 });
  });

  it("OOMKilled, decided at FailureTarget", () => {
    const r = recorded("oom");
    expect(r.job.status?.conditions?.map((c) => c.type)).toContain("FailureTarget");
    expect(jobOutcome(r.job, r.pods)).toMatchObject({ verdict: "couldNotRun", class: "oomKilled", reason: "OOMKilled", container: "test-runner" });
  });

  it("deadline exceeded while the pod still runs", () => {
    const r = recorded("deadline");
    expect(r.pods[0]?.status?.phase).toBe("Running");
    expect(jobOutcome(r.job, r.pods)).toMatchObject({ verdict: "timedOut", class: "deadlineExceeded", reason: "DeadlineExceeded" });
  });

  it("clone failure: the init container's exit, not the Job's generic reason", () => {
    const r = recorded("bad-ref");
    expect(classifyPod(decidingPod(r.pods)!)).toMatchObject({ verdict: "couldNotRun", class: "cloneFailed", container: "clone-repo" });
  });

  it("clone failure beside the tests: the clone container's exit, before the runner's (it stopped waiting)", () => {
    const r = recorded("bad-ref-beside");
    const pod = decidingPod(r.pods)!;
    expect(pod.status?.containerStatuses?.map((c) => [c.name, c.state?.terminated?.exitCode])).toEqual([["clone-repo", 1], ["test-runner", 1]]);
    expect(classifyPod(pod)).toMatchObject({ verdict: "couldNotRun", class: "cloneFailed", container: "clone-repo" });
  });

  it("a clone killed outright (no marker for the waiting tests) is the verdict at once, not at the deadline", () => {
    const pod = structuredClone(decidingPod(recorded("bad-ref-beside").pods)!);
    for (const c of pod.status!.containerStatuses!) {
      if (c.name === "clone-repo") c.state = { terminated: { exitCode: 137, reason: "OOMKilled" } };
      else c.state = { running: { startedAt: "2026-11-26T10:00:00Z" } };
    }
    pod.status!.phase = "Running";
    expect(podVerdict([pod])).toMatchObject({ verdict: "couldNotRun", class: "oomKilled", container: "clone-repo" });
  });
});

describe("hopeless pending pods on recorded objects", () => {
  it("unschedulable: the scheduler's message from the pod condition and the event", () => {
    const r = recorded("unschedulable");
    const pod = r.pods[0]!;
    expect(podProblem(pod)).toMatchObject({ class: "unschedulable", reason: "Unschedulable" });
    expect(podProblem(pod)?.message).toContain("Insufficient cpu");
    expect(eventProblem(r.events, pod.metadata!.name!)).toMatchObject({ class: "unschedulable" });
    expect(phaseOf(r.job, pod, r.events)).toBe("queued");
  });

  it("image pull: seen in events (the kubelet records them before the pod status says so)", () => {
    const r = recorded("missing-image");
    const pod = r.pods[0]!;
    expect(eventProblem(r.events, pod.metadata!.name!)).toMatchObject({ class: "imagePull", reason: "ErrImagePull", container: "test-runner" });
    expect(eventProblem(r.events, pod.metadata!.name!)?.message).toContain("127.0.0.1:1/missing:1");
  });

  it("a missing Secret: CreateContainerConfigError naming it", () => {
    const r = recorded("missing-secret");
    const pod = r.pods[0]!;
    const p = podProblem(pod) ?? eventProblem(r.events, pod.metadata!.name!);
    expect(p).toMatchObject({ class: "containerConfig", reason: "CreateContainerConfigError" });
    expect(p?.message).toContain("no-such-secret");
  });

  it("ignores another pod's events", () => {
    const r = recorded("missing-image");
    expect(eventProblem(r.events, "some-other-pod")).toBeUndefined();
  });
});

// Not produced on the test cluster: typed after the kubelet's reason strings.
describe("classes the test cluster does not produce", () => {
  const base = { metadata: { name: "p", creationTimestamp: "2026-11-24T00:00:00Z" } };
  it("startError: a container that cannot be created or started", () => {
    expect(podProblem({ ...base, status: { containerStatuses: [{ name: "test-runner", state: { waiting: { reason: "CreateContainerError", message: "no such file" } } }] } })).toMatchObject({ class: "startError" });
    expect(classifyPod({ ...base, status: { containerStatuses: [{ name: "test-runner", state: { terminated: { exitCode: 128, reason: "StartError" } } }] } })).toMatchObject({ verdict: "couldNotRun", class: "startError" });
  });
  it("evicted: a disrupted pod is not the deciding one while a replacement exists", () => {
    const evicted: Pod = { ...base, status: { phase: "Failed", reason: "Evicted", message: "low memory", conditions: [{ type: "DisruptionTarget", status: "True" }] } };
    expect(classifyPod(evicted)).toMatchObject({ class: "evicted", reason: "Evicted" });
    const replacement: Pod = { metadata: { name: "q", creationTimestamp: "2026-11-24T00:00:05Z" }, status: { phase: "Running" } };
    expect(decidingPod([evicted, replacement])?.metadata?.name).toBe("q");
  });
});
