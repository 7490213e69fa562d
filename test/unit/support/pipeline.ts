// Drives the orchestrator against the hand-written fake port: the source and build stages are
// identity functions, events are collected, timers belong to one scope the test can inspect. A
// suite's report is read as run() reads it, from the artifacts a fake exec's tar brought back.
import { readJunit } from "../../../src/api/read-junit.js";
import type { ResolvedSuite } from "../../../src/config/resolve.js";
import type { RunEvent } from "../../../src/events/types.js";
import { orchestrate } from "../../../src/run/orchestrator.js";
import type { PipelinePlan } from "../../../src/run/orchestrator.js";
import type { RunHistory } from "../../../src/run/history.js";
import { TimerScope } from "../../../src/timers.js";
import type { FakeCluster } from "./fake-cluster.js";
import { memoryFiles } from "./fake-cluster.js";

export function startPipeline(cluster: FakeCluster, suites: ResolvedSuite[], opts: Partial<PipelinePlan> & { failingLogs?: Set<string>; history?: RunHistory } = {}) {
  const progress: string[] = [];
  const info: string[] = [];
  const events: RunEvent[] = [];
  const { failingLogs, history, ...planOpts } = opts;
  const files = memoryFiles(failingLogs);
  const controller = new AbortController();
  const timers = new TimerScope();
  const plan: PipelinePlan = { runId: "abc123", namespace: "ns", suites, concurrency: 4, failFastMs: 30, keep: false, reportDir: "runs", deadlineSlackMs: 60_000, ...planOpts };
  const promise = orchestrate(
    {
      port: cluster,
      now: () => Date.now(),
      timers,
      emit: (e) => {
        events.push(e);
        if (e.type === "suite.phase") progress.push(`${e.suite}: ${e.phase}${e.detail ? `: ${e.detail}` : ""}`);
        if (e.type === "suite.note" && e.level !== "verbose") progress.push(`${e.suite}: ${e.text}`);
        if (e.type === "run.note" && e.level !== "verbose") {
          progress.push(`info: ${e.text}`);
          info.push(e.text);
        }
      },
      files,
      signal: controller.signal,
      resolveSources: async (s) => [...s],
      build: async (s) => ({ suites: [...s], images: [] }),
      readJunit,
      ...(history ? { history } : {}),
    },
    plan,
  );
  return { files, lines: files.lines, json: files.json, progress, info, events, timers, controller, promise };
}
