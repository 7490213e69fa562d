// The library's run() against the hand-written fake port: an image-source config (no git, no
// build), a temp report directory, every event collected; steps that play a Job to its end.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { run } from "../../../src/api/run.js";
import type { RunOptions } from "../../../src/api/options.js";
import { parseConfig } from "../../../src/config/parse.js";
import type { RunEvent } from "../../../src/events/types.js";
import type { Job } from "../../../src/k8s-types.js";
import type { RunResult } from "../../../src/results/run-result.js";
import { FakeCluster, pod } from "../support/fake-cluster.js";
import { complete, finished, jobCreated, running, serveLog } from "../support/pod-states.js";

export const IMAGE_CONFIG = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ns
image:
  registry: 127.0.0.1:5000/incluster
source:
  image: {}
suites:
  smoke:
    test: tests/e2e
    image: 127.0.0.1:5000/incluster/app-tests:1
`;

export function startRun(yaml = IMAGE_CONFIG, o: RunOptions = {}) {
  const cluster = new FakeCluster();
  const cwd = mkdtempSync(join(tmpdir(), "incluster-api-"));
  const events: RunEvent[] = [];
  const controller = new AbortController();
  const reportDir = o.reportDir ?? join(cwd, "report");
  const options: RunOptions = { port: cluster, cwd, reportDir, failFast: 30, signal: controller.signal, onEvent: (e) => events.push(e), env: {}, ...o };
  const start = () => run(parseConfig(yaml, "incluster.yaml"), options);
  return { cluster, cwd, reportDir, events, controller, start };
}

/** Plays the run's one Job: its pod runs, writes a line, ends with `exitCode`, the Job gets its condition. */
export async function playJob(cluster: FakeCluster, exitCode: number): Promise<void> {
  // Real time: run() may first load a module (the OTLP exporter).
  for (let i = 0; i < 500 && cluster.store.jobs.size === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const j = await jobCreated(cluster);
  const labels = { ...(j as Job & { spec: { template: { metadata: { labels: Record<string, string> } } } }).spec.template.metadata.labels };
  cluster.put("pods", pod("p1", labels, running()));
  cluster.put("pods", pod("p1", labels, finished(exitCode)));
  await serveLog(cluster, "test-runner", [`2026-11-24T00:00:03Z ${exitCode ? "FAILED test_x" : "ok"}\n`]);
  complete(cluster, j, exitCode ? "Failed" : "Complete");
  await serveLog(cluster, "test-runner", []);
}

/** The contract: run.started first, run.finished last and once, carrying the result run() returned (and result.json, when saved). */
export async function expectFinishedLast(events: RunEvent[], result: RunResult, reportDir?: string): Promise<void> {
  const count = events.length;
  await new Promise((r) => setTimeout(r, 20));
  expect(events.length, "events after run() returned").toBe(count);
  expect(events[0]?.type).toBe("run.started");
  expect(events.filter((e) => e.type === "run.finished")).toHaveLength(1);
  const last = events.at(-1);
  expect(last?.type).toBe("run.finished");
  expect(last?.type === "run.finished" && last.result).toEqual(result);
  if (reportDir) expect(JSON.parse(readFileSync(join(reportDir, "result.json"), "utf8"))).toEqual(JSON.parse(JSON.stringify(result)));
}
