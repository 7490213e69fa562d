import { describe, expect, it } from "vitest";
import { finalDiagnosis } from "../../src/diagnose/outcome.js";
import { messageWithTail } from "../../src/run/suite-result.js";
import type { Pod } from "../../src/k8s-types.js";

describe("messageWithTail", () => {
  const tails = new Map([
    ["clone-repo", ["Cloning x", "fatal: Remote branch nope not found", ""]],
    ["test-runner", ["a", "b", "E   AssertionError: boom", "1 failed"]],
  ]);
  it("adds the clone's last lines to a clone failure", () => {
    expect(messageWithTail({ verdict: "couldNotRun", class: "cloneFailed", message: "exit code 1" }, tails)).toBe(
      "exit code 1\nlast lines of clone-repo:\n  Cloning x\n  fatal: Remote branch nope not found",
    );
  });
  it("adds pytest's summary to failed tests, and nothing to a pull error", () => {
    expect(messageWithTail({ verdict: "failed", class: "testsFailed", message: "exit 1" }, tails)).toContain("  E   AssertionError: boom\n  1 failed");
    expect(messageWithTail({ verdict: "couldNotRun", class: "imagePull", message: "pull" }, tails)).toBe("pull");
  });
});

describe("finalDiagnosis", () => {
  const failedPod: Pod = {
    metadata: { name: "p", creationTimestamp: "2026-11-24T00:00:00Z" },
    status: { containerStatuses: [{ name: "test-runner", state: { terminated: { exitCode: 137, reason: "OOMKilled" } } }] },
  };
  it("prefers the pod's story over the Job's generic failure", () => {
    expect(finalDiagnosis({ verdict: "couldNotRun", class: "jobFailed", reason: "BackoffLimitExceeded" }, [failedPod])).toMatchObject({ class: "oomKilled" });
  });
  it("keeps a specific verdict", () => {
    expect(finalDiagnosis({ verdict: "timedOut", class: "deadlineExceeded" }, [failedPod])).toMatchObject({ class: "deadlineExceeded" });
  });
});
