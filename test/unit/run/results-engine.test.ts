// Issue 9's engine decisions, pure: attempts → one suite result, a sharded verdict, the runner's
// stage from its termination message, the shard script.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { classifyPod, runnerStage } from "../../../src/diagnose/outcome.js";
import { shardedVerdict } from "../../../src/diagnose/shards.js";
import type { Pod } from "../../../src/k8s-types.js";
import { SHARD_PY } from "../../../src/render/runner-script.js";
import type { SuiteResult } from "../../../src/results/run-result.js";
import type { TestCase } from "../../../src/results/model.js";
import { combineAttempts } from "../../../src/run/attempts.js";
import type { SuiteOutcome } from "../../../src/run/suite-run.js";

const base: SuiteResult = { suite: "s", verdict: "failed", class: "testsFailed", exitCode: 1, namespace: "ns", job: "j", pods: ["p1"], image: "i", startedAt: "2026-11-26T00:00:00.000Z", finishedAt: "2026-11-26T00:00:05.000Z", durationSeconds: 5, phases: {}, logs: {}, events: [], notes: [] };
const tc = (name: string, status: TestCase["status"]): TestCase => ({ id: `t.py::${name}`, name, classname: "t", status, durationMs: 1 });
const outcome = (attempt: number, result: Partial<SuiteResult>, tests: TestCase[]): SuiteOutcome => ({ attempt, result: { ...base, ...result }, tests, job: null, pods: [], events: [] });

describe("combineAttempts", () => {
  it("fails then passes: flaky, the suite passes, with a note; --fail-on-flaky fails it as flaky", () => {
    const attempts = [outcome(1, {}, [tc("a", "passed"), tc("b", "failed")]), outcome(2, { verdict: "passed", exitCode: 0, job: "j-2", finishedAt: "2026-11-26T00:00:09.000Z" }, [tc("b", "passed")])];
    const r = combineAttempts(attempts, { failOnFlaky: false, rerunIds: new Map([[2, ["t.py::b"]]]) });
    expect(r).toMatchObject({ verdict: "passed", exitCode: 0, durationSeconds: 9 });
    expect(r.tests?.map((t) => [t.name, t.status])).toEqual([["a", "passed"], ["b", "flaky"]]);
    expect(r.attempts?.map((a) => [a.attempt, a.verdict, a.rerunIds])).toEqual([[1, "failed", undefined], [2, "passed", ["t.py::b"]]]);
    expect(r.notes.at(-1)).toContain("1 flaky test(s)");
    expect(combineAttempts(attempts, { failOnFlaky: true })).toMatchObject({ verdict: "failed", class: "flaky", exitCode: 1 });
  });

  it("one attempt: the result as it was, with its tests", () => {
    const r = combineAttempts([outcome(1, { verdict: "passed", class: undefined, exitCode: 0 }, [tc("a", "passed")])], { failOnFlaky: true });
    expect(r.attempts).toBeUndefined();
    expect(r.verdict).toBe("passed");
  });
});

const shardPod = (index: number, exitCode: number | undefined): Pod => ({
  metadata: { name: `p${index}`, annotations: { "batch.kubernetes.io/job-completion-index": String(index) }, creationTimestamp: "2026-11-26T00:00:00Z" },
  status: { phase: "Running", containerStatuses: [{ name: "test-runner", state: exitCode === undefined ? { running: {} } : { terminated: { exitCode, reason: exitCode ? "Error" : "Completed" } } }] },
});

describe("shardedVerdict", () => {
  it("waits for every index, then the worst wins and the failed shards are named", () => {
    expect(shardedVerdict([shardPod(0, 0), shardPod(1, undefined)], 2)).toBeUndefined();
    expect(shardedVerdict([shardPod(0, 0), shardPod(1, 0)], 2)?.verdict).toBe("passed");
    expect(shardedVerdict([shardPod(0, 0), shardPod(1, 2), shardPod(2, 0)], 3)).toMatchObject({ verdict: "failed", class: "testsFailed", message: "shard #1 of 3: test-runner exited with code 2" });
  });
});

describe("the runner's stage, from its termination message", () => {
  const ended = (message: string, exitCode = 1): Pod => ({ status: { phase: "Failed", containerStatuses: [{ name: "test-runner", state: { terminated: { exitCode, reason: "Error", message } } }] } });
  it("install → installFailed, source → workspaceEmpty, test → testsFailed; another image's message is ignored", () => {
    expect(runnerStage('{"stage":"install","exitCode":1}')).toBe("install");
    expect(runnerStage("not ours")).toBeUndefined();
    expect(classifyPod(ended('{"stage":"install","exitCode":1}'))).toMatchObject({ verdict: "couldNotRun", class: "installFailed" });
    expect(classifyPod(ended('{"stage":"source","exitCode":1}'))).toMatchObject({ verdict: "couldNotRun", class: "workspaceEmpty" });
    expect(classifyPod(ended('{"stage":"test","exitCode":1}'))).toMatchObject({ verdict: "failed", class: "testsFailed" });
    expect(classifyPod(ended("panic: something"))).toMatchObject({ class: "testsFailed" });
  });
});

describe("the shard script", () => {
  it("is valid Python", () => {
    execFileSync("python3", ["-c", `import ast, sys; ast.parse(sys.argv[1])`, SHARD_PY]);
  });
});
