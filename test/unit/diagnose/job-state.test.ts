// status's classification on Job and Pod objects recorded from the real cluster: the same
// verdicts and classes as run (jobOutcome + finalDiagnosis), never the Job's generic reason.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jobState, podsOf, runEnded, stateText } from "../../../src/diagnose/job-state.js";
import type { Job, Pod } from "../../../src/k8s-types.js";

const dir = join(import.meta.dirname, "../fixtures/recorded");
function recorded(name: string): { job: Job; pods: Pod[] } {
  const read = <T>(f: string) => JSON.parse(readFileSync(join(dir, name, f), "utf8")) as T;
  return { job: read<Job>("job.json"), pods: read<Pod[]>("pods.json") };
}
const textOf = (name: string) => {
  const r = recorded(name);
  return stateText(jobState(r.job, podsOf(r.job, r.pods)));
};

describe("jobState on recorded objects", () => {
  it.each([
    ["passed", "passed"],
    ["tests-failed", "failed (testsFailed)"],
    ["deadline", "timed out (deadlineExceeded)"],
    ["bad-ref", "could not run (cloneFailed)"],
    ["oom", "could not run (oomKilled)"],
  ])("%s: %s", (name, text) => {
    expect(textOf(name)).toBe(text);
  });

  it("a failed Job names the class run gives and Kubernetes' reason apart, not BackoffLimitExceeded as the state", () => {
    const r = recorded("tests-failed");
    expect(r.job.status?.conditions?.[0]?.reason).toBe("BackoffLimitExceeded");
    expect(jobState(r.job, r.pods)).toEqual({ state: "failed", class: "testsFailed", reason: "Error" });
  });

  it("the pod's final state decides before the Job's condition comes, as in run", () => {
    const r = recorded("tests-failed");
    expect(stateText(jobState({ ...r.job, status: { active: 1 } }, r.pods))).toBe("failed (testsFailed)");
  });

  it("a Job still running shows its phase, and the problem its pod is stuck on", () => {
    expect(textOf("missing-image")).toBe("scheduled (imagePull)");
    expect(textOf("missing-secret")).toBe("scheduled (containerConfig)");
    expect(textOf("unschedulable")).toBe("queued (unschedulable)");
    const r = recorded("passed");
    const running: Pod = { ...r.pods[0]!, status: { ...r.pods[0]!.status, containerStatuses: [{ name: "test-runner", state: { running: {} } }] } };
    expect(jobState({ ...r.job, status: { active: 1 } }, [running])).toEqual({ state: "running" });
  });

  it("pods belong to the Job with their controller uid", () => {
    const a = recorded("passed");
    const b = recorded("tests-failed");
    expect(podsOf(a.job, [...a.pods, ...b.pods]).map((p) => p.metadata?.name)).toEqual([a.pods[0]!.metadata?.name]);
  });
});

describe("runEnded: when logs stops following", () => {
  it("ends once run would have its verdict: the Job is decided, or its pod is final", () => {
    for (const name of ["passed", "tests-failed", "deadline", "bad-ref", "oom"]) {
      const r = recorded(name);
      expect(runEnded(r.job, r.pods), name).toBe(true);
    }
    const p = recorded("passed");
    // The pod's last status comes before the Job's condition.
    expect(runEnded({ ...p.job, status: { active: 1 } }, p.pods)).toBe(true);
    // The test container has ended while the pod is still Running (its collector sidecar outlives
    // the tests): the terminated state is the evidence.
    expect(runEnded({ ...p.job, status: { active: 1 } }, [{ ...p.pods[0]!, status: { ...p.pods[0]!.status, phase: "Running" } }])).toBe(true);
  });

  it("does not end while pending, cloning, or between the clone and the tests", () => {
    for (const name of ["missing-image", "unschedulable"]) {
      const r = recorded(name);
      expect(runEnded(r.job, r.pods), name).toBe(false);
    }
    const p = recorded("passed");
    const cloned: Pod = { ...p.pods[0]!, status: { phase: "Pending", initContainerStatuses: p.pods[0]!.status?.initContainerStatuses ?? [], containerStatuses: [{ name: "test-runner", state: { waiting: { reason: "PodInitializing" } } }] } };
    expect(runEnded({ ...p.job, status: { active: 1 } }, [cloned])).toBe(false);
  });
});
