// The preflight comes before the source and the build (issue 19): a dead, silent or too old API
// server is "could not run" (exit 3) with nothing resolved, built or created.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { CouldNotRunError } from "../../../src/errors.js";
import { orchestrate } from "../../../src/run/orchestrator.js";
import { TimerScope } from "../../../src/timers.js";
import { FakeCluster, memoryFiles } from "../support/fake-cluster.js";

const CONFIG = `
apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ns
source: { git: { url: "git://10.244.0.1/sample-app.git", ref: main } }
defaults: { image: "127.0.0.1:5000/incluster/python:3.11-pytest" }
suites:
  smoke: { test: tests/e2e }
`;

/** The orchestrator with source and build stages that record being called. */
async function runWith(cluster: FakeCluster, preflightAnswerMs?: number, stopAtSource = false) {
  const stages: string[] = [];
  const timers = new TimerScope();
  const t0 = Date.now();
  const result = await orchestrate(
    {
      port: cluster,
      now: () => Date.now(),
      timers,
      emit: () => undefined,
      files: memoryFiles(),
      signal: new AbortController().signal,
      resolveSources: async (s) => {
        stages.push("source");
        if (stopAtSource) throw new CouldNotRunError("GIT_REMOTE_FAILED", "stopped after the source stage");
        return [...s];
      },
      build: async (s) => (stages.push("build"), { suites: [...s], images: [] }),
      readJunit: () => undefined,
    },
    { runId: "abc123", namespace: "ns", suites: [resolveSuite(parseConfig(CONFIG, "incluster.yaml"), "smoke")], concurrency: 1, failFastMs: 30, keep: false, reportDir: "runs", ...(preflightAnswerMs !== undefined ? { preflightAnswerMs } : {}) },
  );
  return { result, stages, ms: Date.now() - t0, pendingTimers: timers.pending };
}

describe("preflight before the source and the build", () => {
  it("an unreachable server: could not run, no source resolved, nothing built or created, no job reference", async () => {
    const cluster = new FakeCluster();
    cluster.version = { message: "connect ECONNREFUSED 127.0.0.1:1", unreachable: true };
    const { result, stages } = await runWith(cluster);
    expect(stages).toEqual([]);
    expect(cluster.calls).toEqual([]);
    expect(result.exitCode).toBe(3);
    expect(result.suites[0]).toMatchObject({ verdict: "couldNotRun", class: "unreachable", reason: "PreflightFailed", job: "" });
    expect(result.suites[0]?.message).toContain("API server: https://fake unreachable (connect ECONNREFUSED 127.0.0.1:1)");
  });

  it("a server that never answers: unreachable after the deadline, the connection dropped, no timer left", async () => {
    const cluster = new FakeCluster();
    cluster.version = "silent";
    const { result, stages, ms, pendingTimers } = await runWith(cluster, 50);
    expect(stages).toEqual([]);
    expect(result.suites[0]).toMatchObject({ class: "unreachable", reason: "PreflightFailed" });
    expect(result.suites[0]?.message).toContain("API server: https://fake did not answer within 0.05 s");
    expect(cluster.dropped).toEqual(["no answer from https://fake within 50 ms"]);
    expect(ms).toBeLessThan(5000);
    expect(pendingTimers).toBe(0);
  });

  it("a server older than 1.29: could not run, naming its version and the native sidecar", async () => {
    const cluster = new FakeCluster();
    cluster.version = "v1.28.15";
    const { result, stages } = await runWith(cluster);
    expect(stages).toEqual([]);
    expect(cluster.calls).toEqual([]);
    const s = result.suites[0];
    expect(s).toMatchObject({ verdict: "couldNotRun", class: "unsupportedCluster", exitCode: 3 });
    expect(s?.message).toContain("v1.28.15");
    expect(s?.message).toContain("native sidecar");
    expect(s?.hint).toContain("older than the test Job needs");
  });

  it("a missing namespace is found in the same round, before the source", async () => {
    const cluster = new FakeCluster();
    cluster.namespaces.clear();
    const { result, stages } = await runWith(cluster);
    expect(stages).toEqual([]);
    expect(result.suites[0]).toMatchObject({ class: "namespaceMissing" });
  });

  it("a healthy server: the source stage runs after it", async () => {
    const cluster = new FakeCluster();
    const { stages, result } = await runWith(cluster, undefined, true);
    expect(stages).toEqual(["source"]);
    expect(result.suites[0]).toMatchObject({ class: "sourceFailed", reason: "GIT_REMOTE_FAILED" });
  });
});
