// One classifier (issue 20): `status` and `logs` (jobState, runEnded) and `run` (the suite reducer)
// decide a Job's, a shard's and a pod's state with the same pure functions. Each state below is fed
// to both, on objects recorded from the real cluster or shaped like them, and both must agree.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { statusRows } from "../../../src/api/status.js";
import { jobState, podsOf, runEnded, stateText } from "../../../src/diagnose/job-state.js";
import type { Job, Pod } from "../../../src/k8s-types.js";
import { initialState, step } from "../../../src/run/suite-state.js";
import type { StepContext, SuiteState, Verdict } from "../../../src/run/suite-state.js";

const dir = join(import.meta.dirname, "../fixtures/recorded");
const read = <T>(name: string, f: string) => JSON.parse(readFileSync(join(dir, name, f), "utf8")) as T;
const recorded = (name: string) => ({ job: read<Job>(name, "job.json"), pods: read<Pod[]>(name, "pods.json") });

const FAIL_FAST_MS = 15_000;
const context = (shards: number, now: number): StepContext => ({
  now,
  suite: { name: "s", timeoutSeconds: 600, source: { kind: "image" }, image: "img", ...(shards > 1 ? { shards } : {}) },
  jobName: "j",
  failFastMs: FAIL_FAST_MS,
  deadlineSlackMs: 5000,
  keep: false,
});

/** What run decides from the same objects: its reducer fed the new Job, its pods, the Job as it is, then the fail-fast grace run out. */
function runDecides(job: Job, pods: readonly Pod[], shards = 1): Verdict | undefined {
  let s: SuiteState = step(initialState, { type: "created", job: { ...job, status: {} } }, context(shards, 0)).state;
  for (const pod of pods) s = step(s, { type: "pod", change: "ADDED", pod }, context(shards, 1)).state;
  s = step(s, { type: "job", change: "MODIFIED", job }, context(shards, 2)).state;
  s = step(s, { type: "problemTimer" }, context(shards, 2 + FAIL_FAST_MS)).state;
  return s.finished?.verdict;
}

const statusOf = (job: Job, pods: readonly Pod[]) => stateText(jobState(job, podsOf(job, pods)));
const running = (job: Job): Job => ({ ...job, status: { active: 1 } });
type PodStatus = NonNullable<Pod["status"]>;
const withStatus = (pod: Pod, status: Partial<PodStatus>): Pod => ({ ...pod, status: { ...pod.status, ...status } });
const testTerminated = (pod: Pod, exitCode: number, extra: { reason?: string; message?: string } = {}): Pod =>
  withStatus(pod, {
    phase: "Running",
    containerStatuses: [
      { name: "test-runner", state: { terminated: { exitCode, reason: exitCode ? "Error" : "Completed", ...extra } } },
      { name: "incluster-collector", state: { running: {} } },
    ],
  });
const cloning = (pod: Pod): Pod =>
  withStatus(pod, {
    phase: "Running",
    initContainerStatuses: [],
    containerStatuses: [
      { name: "clone-repo", state: { running: {} } },
      { name: "test-runner", state: { waiting: { reason: "PodInitializing" } } },
    ],
  });
const testRunning = (pod: Pod): Pod => withStatus(pod, { phase: "Running", containerStatuses: [{ name: "test-runner", state: { running: {} } }] });

describe("one classifier: status, logs and run agree on every state of a suite", () => {
  const passed = recorded("passed");
  const pod = passed.pods[0]!;
  const objects = (name: string): [Job, Pod[]] => [recorded(name).job, recorded(name).pods];
  const stage = (name: string) => ({ message: JSON.stringify({ stage: name, exitCode: 1 }) });
  const active = running(passed.job);
  const jobFailed: Job = { ...passed.job, status: { conditions: [{ type: "Failed", status: "True", reason: "PodFailurePolicy" }] } };
  it.each<[string, string, Job, Pod[], Partial<Verdict> | undefined]>([
    ["passed", "passed", ...objects("passed"), { verdict: "passed" }],
    ["passed, before the Job's condition", "passed", running(passed.job), passed.pods, { verdict: "passed" }],
    ["failed", "failed (testsFailed)", ...objects("tests-failed"), { verdict: "failed", class: "testsFailed" }],
    ["timed out", "timed out (deadlineExceeded)", ...objects("deadline"), { verdict: "timedOut", class: "deadlineExceeded" }],
    ["could not run: clone failed", "could not run (cloneFailed)", ...objects("bad-ref"), { verdict: "couldNotRun", class: "cloneFailed" }],
    ["could not run: OOM", "could not run (oomKilled)", ...objects("oom"), { verdict: "couldNotRun", class: "oomKilled" }],
    ["could not run: install", "could not run (installFailed)", active, [testTerminated(pod, 1, stage("install"))], { class: "installFailed" }],
    ["could not run: empty workspace", "could not run (workspaceEmpty)", active, [testTerminated(pod, 1, stage("source"))], { class: "workspaceEmpty" }],
    ["could not run: start error", "could not run (startError)", active, [testTerminated(pod, 128, { reason: "StartError" })], { class: "startError" }],
    ["could not run: the Job failed with no pod", "could not run (jobFailed)", jobFailed, [], { class: "jobFailed" }],
    ["running", "running", running(passed.job), [testRunning(pod)], undefined],
    ["queued: no pod yet", "queued", running(passed.job), [], undefined],
    ["cloning", "cloning", running(passed.job), [cloning(pod)], undefined],
  ])("%s: status says %s", (_name, text, job, pods, verdict) => {
    expect(statusOf(job, pods)).toBe(text);
    expect(runEnded(job, podsOf(job, pods))).toBe(verdict !== undefined);
    const decided = runDecides(job, pods);
    if (verdict) expect(decided).toMatchObject(verdict);
    else expect(decided).toBeUndefined();
  });

  it.each([
    ["missing-image", "scheduled (imagePull)", "imagePull"],
    ["missing-secret", "scheduled (containerConfig)", "containerConfig"],
    ["unschedulable", "queued (unschedulable)", "unschedulable"],
  ])("pending on a problem (%s): status names it while it lasts, run gives up on it after its grace", (name, text, cls) => {
    const r = recorded(name);
    expect(statusOf(r.job, r.pods)).toBe(text);
    expect(runEnded(r.job, r.pods)).toBe(false);
    expect(runDecides(r.job, r.pods)).toMatchObject({ verdict: "couldNotRun", class: cls });
  });

  it("deleted: status says deleting while the Job goes; run calls a Job deleted under it podDeleted, an interrupt interrupted", () => {
    const job: Job = { ...running(passed.job), metadata: { ...passed.job.metadata, deletionTimestamp: "2026-11-24T01:23:00Z" } };
    expect(statusOf(job, [testRunning(pod)])).toBe("deleting");
    const s = step(initialState, { type: "created", job }, context(1, 0)).state;
    const deleted = step(s, { type: "job", change: "DELETED", job }, context(1, 1)).state;
    expect(deleted.finished?.verdict).toMatchObject({ verdict: "couldNotRun", class: "podDeleted" });
    const interrupted = step(s, { type: "interrupt" }, context(1, 1)).state;
    expect(interrupted.finished?.verdict).toMatchObject({ verdict: "interrupted", class: "interrupted" });
  });
});

describe("one classifier: a sharded suite (one Indexed Job, one pod per shard)", () => {
  // Four shards recorded from the real cluster, all passed; each case below changes some of them.
  const shardPods = read<Pod[]>("sharded", "pods.json");
  const uid = shardPods[0]!.metadata?.labels?.["batch.kubernetes.io/controller-uid"] ?? "";
  const job = (status: Job["status"] = { active: 4 }): Job =>
    ({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: "test-forty-sharded-e2e-nfcf4t", namespace: "incluster-demo", uid, labels: shardPods[0]!.metadata?.labels ?? {} },
      spec: { completionMode: "Indexed", completions: 4, parallelism: 4, backoffLimitPerIndex: 0, activeDeadlineSeconds: 600 },
      status,
    }) as Job;
  const shards = (change: Record<number, (p: Pod) => Pod>) => shardPods.map((p, i) => change[i]?.(p) ?? p);
  const failedIndexes: Job["status"] = { conditions: [{ type: "FailureTarget", status: "True", reason: "FailedIndexes", message: "Job has failed indexes" }] };

  it("some shards passed, one failed, one still running: the suite is still running for status, logs and run", () => {
    const pods = shards({ 1: (p) => testTerminated(p, 1), 3: testRunning });
    expect(statusOf(job(), pods)).toBe("running");
    expect(statusRows([job()], pods)[0]).toMatchObject({ suite: "forty-sharded", runId: "nfcf4t", state: "running" });
    expect(runEnded(job(), pods)).toBe(false);
    expect(runDecides(job(), pods, 4)).toBeUndefined();
  });

  it("every shard ended, one failed: failed (testsFailed) naming the shard, before and after the Job's FailedIndexes", () => {
    const pods = shards({ 1: (p) => testTerminated(p, 1) });
    for (const j of [job(), job(failedIndexes)]) {
      expect(statusOf(j, pods)).toBe("failed (testsFailed)");
      expect(jobState(j, podsOf(j, pods))).toEqual({ state: "failed", class: "testsFailed", reason: "Error" });
      expect(runEnded(j, pods)).toBe(true);
      expect(runDecides(j, pods, 4)).toMatchObject({ verdict: "failed", class: "testsFailed", message: "shard #1 of 4: test-runner exited with code 1" });
    }
  });

  it("every shard passed: passed, before the Job's condition too", () => {
    for (const j of [job(), job({ conditions: [{ type: "SuccessCriteriaMet", status: "True" }] })]) {
      expect(statusOf(j, shardPods)).toBe("passed");
      expect(runDecides(j, shardPods, 4)).toMatchObject({ verdict: "passed" });
    }
  });

  it("the worst shard decides: a shard that could not run outranks a failed one", () => {
    const clone = { name: "clone-repo", state: { terminated: { exitCode: 128, reason: "Error" } } };
    const cloneFailed = (p: Pod) => withStatus(p, { phase: "Failed", initContainerStatuses: [], containerStatuses: [clone] });
    const pods = shards({ 1: (p) => testTerminated(p, 1), 2: cloneFailed });
    expect(statusOf(job(failedIndexes), pods)).toBe("could not run (cloneFailed)");
    const message = "shard #1, #2 of 4: exit code 128";
    expect(runDecides(job(failedIndexes), pods, 4)).toMatchObject({ verdict: "couldNotRun", class: "cloneFailed", message });
  });

  it("the Job's deadline decides at once, whatever the shards still running", () => {
    const j = job({ conditions: [{ type: "FailureTarget", status: "True", reason: "DeadlineExceeded", message: "Job was active longer than its deadline" }] });
    const pods = shards({ 3: testRunning });
    expect(statusOf(j, pods)).toBe("timed out (deadlineExceeded)");
    expect(runDecides(j, pods, 4)).toMatchObject({ verdict: "timedOut", class: "deadlineExceeded" });
  });
});
