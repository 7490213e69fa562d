// Pod and Job states as the real cluster shows them, and steps that drive the fake cluster.
import type { Job, Pod } from "../../../src/k8s-types.js";
import type { FakeCluster } from "./fake-cluster.js";
import { settle } from "./fake-cluster.js";

export const running = (extra: Partial<Pod["status"]> = {}): Pod["status"] => ({
  phase: "Running",
  conditions: [{ type: "PodScheduled", status: "True" }],
  initContainerStatuses: [{ name: "clone-repo", state: { terminated: { exitCode: 0, reason: "Completed" } } }],
  containerStatuses: [{ name: "test-runner", state: { running: { startedAt: "2026-11-24T00:00:02Z" } } }],
  ...extra,
});

export const finished = (exitCode: number, reason = exitCode ? "Error" : "Completed"): Pod["status"] => ({
  phase: exitCode ? "Failed" : "Succeeded",
  conditions: [{ type: "PodScheduled", status: "True" }],
  initContainerStatuses: [{ name: "clone-repo", state: { terminated: { exitCode: 0, reason: "Completed" } } }],
  containerStatuses: [{ name: "test-runner", state: { terminated: { exitCode, reason } } }],
});

export async function jobCreated(cluster: FakeCluster): Promise<Job> {
  for (let i = 0; i < 50; i++) {
    const j = [...cluster.store.jobs.values()][0];
    if (j) return j;
    await settle();
  }
  throw new Error("no job created");
}

export function complete(cluster: FakeCluster, j: Job, type: "Complete" | "Failed", reason?: string) {
  cluster.put("jobs", { ...j, status: { conditions: [{ type, status: "True", ...(reason ? { reason } : {}) }] } });
}

/** Serves one log request: the chunks, then closes it (optionally with an error). */
export async function serveLog(cluster: FakeCluster, container: string, chunks: string[], err?: { message: string }) {
  // Real time: a broken stream is reopened after a short back-off.
  for (let i = 0; i < 400 && cluster.openLogs(container).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  const l = cluster.openLogs(container)[0];
  if (!l) throw new Error(`no log request for ${container}`);
  l.open = false;
  for (const c of chunks) l.handlers.onData(c);
  l.handlers.onClose(err);
  return l.req;
}

