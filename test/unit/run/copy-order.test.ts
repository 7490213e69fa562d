// Issue 23: the artifact copies run under the copy limit (one pods/exec connection each), and no
// verdict waits for a copy slot: every suite's suite.decided comes as its tests end, while the
// copies queue behind the slot in use, and each suite's suite.verdict comes as its own copy ends. A copy a retry waits for goes first; Ctrl-C drops the
// copies still queued (they never begin) and the run ends at once.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import type { Pod } from "../../../src/k8s-types.js";
import type { ExecRequest } from "../../../src/kube/port.js";
import { renderSuite } from "../../../src/render/suite.js";
import { COLLECT_COMMAND } from "../../../src/run/collect.js";
import { sampleGitYaml } from "../support/fixtures.js";
import { FakeCluster, pod, settle } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";

const CONFIG = sampleGitYaml(`  a: { command: ["true"] }
  b: { command: ["true"] }
  c: { command: ["true"] }
  r: { command: ["false"], retries: 1 }`);

const collector = { name: "incluster-collector", state: { running: { startedAt: "2026-11-24T00:00:01Z" } } };
const clone = { name: "clone-repo", state: { terminated: { exitCode: 0, reason: "Completed" } } };
/** The pod once its tests ended: the collector still runs, waiting for the copy. */
const ended = (exitCode: number): Pod["status"] => ({
  phase: "Running",
  conditions: [{ type: "PodScheduled", status: "True" }],
  initContainerStatuses: [collector],
  containerStatuses: [clone, { name: "test-runner", state: { terminated: { exitCode, reason: exitCode ? "Error" : "Completed" } } }],
});

/** The copies, held until the test lets each one end; how many ran at once. */
function heldCopies(cluster: FakeCluster) {
  const started: string[] = [];
  const waiting = new Map<string, () => void>();
  let open = 0;
  let peak = 0;
  cluster.execAnswer = async (req: ExecRequest) => {
    peak = Math.max(peak, ++open);
    try {
      if (req.command !== COLLECT_COMMAND) return { exitCode: 0 };
      started.push(req.pod);
      await new Promise<void>((r) => waiting.set(req.pod, r));
      return { exitCode: 0 };
    } finally {
      open--;
    }
  };
  const release = async (pod: string) => {
    for (let i = 0; i < 400 && !waiting.has(pod); i++) await settle();
    const r = waiting.get(pod);
    if (!r) throw new Error(`no copy of ${pod} began (began: ${started.join(", ")})`);
    waiting.delete(pod);
    r();
    await settle(20);
  };
  return { started, release, peak: () => peak };
}

async function jobsCreated(cluster: FakeCluster, n: number): Promise<void> {
  for (let i = 0; i < 400 && cluster.store.jobs.size < n; i++) await settle();
}

/** A suite's pod ends its tests (exit code), and its log follows are closed (read to the end). */
async function testsEnd(cluster: FakeCluster, suite: string, name: string, exitCode: number) {
  const [resolved] = suitesOf(suite);
  if (!resolved) throw new Error(suite);
  const labels = { ...renderSuite(resolved, { runId: "abc123" }).job.spec.template.metadata.labels };
  cluster.put("pods", pod(name, labels, ended(exitCode)));
  for (let i = 0; i < 20; i++) {
    await settle();
    for (const l of cluster.openLogs().filter((x) => x.req.pod === name)) {
      l.open = false;
      l.handlers.onClose(undefined);
    }
  }
}

/** Until cond() holds (at most ~2,000 turns), answering the log reads the suites open meanwhile. */
async function until(cluster: FakeCluster, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) {
    for (const l of cluster.openLogs()) {
      l.open = false;
      l.handlers.onClose(undefined);
    }
    await settle();
  }
}

/** The run's end; meanwhile every log read the suites open (a failed suite's tail) is answered at its end. */
async function endOf<T>(cluster: FakeCluster, run: Promise<T>): Promise<T> {
  let over = false;
  void run.finally(() => (over = true));
  while (!over) {
    for (const l of cluster.openLogs()) {
      l.open = false;
      l.handlers.onClose(undefined);
    }
    await settle();
  }
  return run;
}

const suitesOf = (...names: string[]) => names.map((n) => resolveSuite(parseConfig(CONFIG, "incluster.yaml"), n));

describe("copies under the copy limit", () => {
  it("every verdict is said as its tests end, while the copies queue behind the one slot", async () => {
    const cluster = new FakeCluster();
    Object.assign(cluster, { apiStats: () => ({ requests: 0, streams: 0, retries: 0, connections: 1, peakInFlight: 0 }) });
    const copies = heldCopies(cluster);
    const t = startPipeline(cluster, suitesOf("a", "b", "c"), { copyConcurrency: 1 });
    await jobsCreated(cluster, 3);
    for (const s of ["a", "b", "c"]) await testsEnd(cluster, s, `${s}-pod`, s === "b" ? 1 : 0);
    const decided = t.events.flatMap((e) => (e.type === "suite.decided" ? [`${e.suite}: ${e.verdict}`] : []));
    // All three verdicts are out; one copy has begun, the other two wait for its slot.
    expect(decided).toEqual(["a: passed", "b: failed", "c: passed"]);
    expect(copies.started).toEqual(["a-pod"]);
    expect(t.events.some((e) => e.type === "suite.verdict")).toBe(false);
    // a's copy done: its suite.verdict (with its result) comes now, while b's and c's copies still wait.
    await copies.release("a-pod");
    await until(cluster, () => t.events.some((e) => e.type === "suite.verdict"));
    expect(t.events.flatMap((e) => (e.type === "suite.verdict" ? [e.suite] : []))).toEqual(["a"]);
    expect(copies.started).toEqual(["a-pod", "b-pod"]);
    for (const p of ["b-pod", "c-pod"]) await copies.release(p);
    const r = await endOf(cluster, t.promise);
    expect(copies.started).toEqual(["a-pod", "b-pod", "c-pod"]);
    // The tar and then the marker of each copy, one connection at a time.
    expect(copies.peak()).toBe(1);
    expect(r.suites.map((s) => `${s.suite}: ${s.verdict}`)).toEqual(["a: passed", "b: failed", "c: passed"]);
    // Each suite's decision came before the first suite.verdict; the verdicts came as each copy ended.
    const types = t.events.filter((e) => e.type === "suite.decided" || e.type === "suite.verdict").map((e) => e.type);
    expect(types.lastIndexOf("suite.decided")).toBeLessThan(types.indexOf("suite.verdict"));
    const verdicts = t.events.flatMap((e) => (e.type === "suite.verdict" ? [e.suite] : []));
    expect(verdicts[0]).toBe("a");
    expect(verdicts.sort()).toEqual(["a", "b", "c"]);
    // -v's api: note counts the copies: all three, one at a time, two queued behind it.
    const api = t.events.flatMap((e) => (e.type === "run.note" && e.text.startsWith("api:") ? [e.text] : []));
    expect(api[0]).toContain("; copies: 3, at most 1 at once (limit 1), at most 2 queued;");
    expect(t.timers.pending).toBe(0);
  });

  it("a copy a retry waits for goes before the queued ones; Ctrl-C drops the copies still queued and ends the run at once", async () => {
    const cluster = new FakeCluster();
    const copies = heldCopies(cluster);
    const t = startPipeline(cluster, suitesOf("a", "b", "r"), { copyConcurrency: 1 });
    await jobsCreated(cluster, 3);
    await testsEnd(cluster, "a", "a-pod", 0);
    await testsEnd(cluster, "b", "b-pod", 0);
    await testsEnd(cluster, "r", "r-pod", 1);
    const retry = t.events.find((e) => e.type === "suite.decided" && e.suite === "r");
    expect(retry).toMatchObject({ verdict: "failed", class: "testsFailed", retry: true, attempt: 1 });
    await copies.release("a-pod");
    // r's copy (its JUnit names the tests attempt 2 reruns) went before b's, queued earlier.
    expect(copies.started).toEqual(["a-pod", "r-pod"]);
    const t0 = Date.now();
    t.controller.abort();
    await settle(20);
    await copies.release("r-pod");
    const r = await endOf(cluster, t.promise);
    expect(Date.now() - t0).toBeLessThan(2000);
    // b's copy never began: the run was interrupted while it was queued.
    expect(copies.started).toEqual(["a-pod", "r-pod"]);
    const b = r.suites.find((s) => s.suite === "b");
    expect(b?.verdict).toBe("passed");
    expect(b?.notes.join("\n")).toContain("the run was interrupted before this copy's turn");
    expect(t.timers.pending).toBe(0);
  });
});
