// The library's status, clean, logs and debug through the hand-written fake port: what the CLI's
// commands of the same names print is these functions' results.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { clean } from "../../../src/api/clean.js";
import { debug } from "../../../src/api/debug.js";
import { logs } from "../../../src/api/logs.js";
import { status } from "../../../src/api/status.js";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { CouldNotRunError, UsageError } from "../../../src/errors.js";
import type { Job, Pod } from "../../../src/k8s-types.js";
import { renderSuite } from "../../../src/render/suite.js";
import { FakeCluster, job, pod, settle } from "../support/fake-cluster.js";
import { finished, running } from "../support/pod-states.js";
import { IMAGE_CONFIG } from "./support.js";

const config = parseConfig(IMAGE_CONFIG, "incluster.yaml");

/** A run's Job of suite smoke and its pod, as the cluster shows them; `done`: the Job has its Complete condition. */
function runOf(cluster: FakeCluster, runId: string, created: string, done: boolean) {
  const name = `test-smoke-e2e-${runId}`;
  const labels = { "app.kubernetes.io/managed-by": "incluster", "incluster.dev/suite": "smoke", "incluster.dev/run-id": runId };
  const j: Job = { ...job(name, labels, done ? { conditions: [{ type: "Complete", status: "True" }] } : { active: 1 }) };
  j.metadata = { ...j.metadata, creationTimestamp: created };
  cluster.put("jobs", j);
  const podLabels = { ...labels, "job-name": name, "batch.kubernetes.io/job-name": name, "batch.kubernetes.io/controller-uid": `uid-${name}` };
  cluster.put("pods", pod(`${name}-x`, podLabels, done ? finished(0) : running()));
  return name;
}

describe("status()", () => {
  it("lists the namespace's runs newest first, each classified as run would", async () => {
    const cluster = new FakeCluster();
    runOf(cluster, "aaa111", "2026-11-24T00:00:00Z", true);
    runOf(cluster, "bbb222", "2026-11-24T01:00:00Z", false);
    const s = await status({ port: cluster, config });
    expect(s).toMatchObject({ apiVersion: "incluster.dev/v1alpha1", kind: "RunStatus", namespace: "ns" });
    expect(s.jobs.map((r) => [r.runId, r.suite, r.state, r.job])).toEqual([
      ["bbb222", "smoke", "running", "test-smoke-e2e-bbb222"],
      ["aaa111", "smoke", "passed", "test-smoke-e2e-aaa111"],
    ]);
  });

  it("the namespace: the given one, else the config's, else the context's, else default; a bad one is a UsageError", async () => {
    const cluster = new FakeCluster();
    expect((await status({ port: cluster, namespace: "given", config })).namespace).toBe("given");
    expect((await status({ port: cluster })).namespace).toBe("default");
    await expect(status({ port: cluster, namespace: "Not_A_Namespace" })).rejects.toBeInstanceOf(UsageError);
  });
});

describe("clean()", () => {
  it("deletes finished runs (Job, then its pods), keeps running ones and says which", async () => {
    const cluster = new FakeCluster();
    const old = runOf(cluster, "aaa111", "2026-11-24T00:00:00Z", true);
    const live = runOf(cluster, "bbb222", "2026-11-24T01:00:00Z", false);
    const said: string[] = [];
    const dry = await clean({ port: cluster, config, dryRun: true, onDelete: (w) => said.push(w) });
    expect(cluster.calls.filter((c) => c.startsWith("delete"))).toEqual([]);
    const r = await clean({ port: cluster, config });
    expect(r).toEqual({ namespace: "ns", dryRun: false, jobs: [old], deleted: [`job/${old}`, `pod/${old}-x`], kept: { jobs: [live], runs: ["bbb222"] } });
    expect({ ...dry, dryRun: false }).toEqual(r);
    expect(said).toEqual(r.deleted);
  });

  it("a run named by id is deleted while it runs; a bad id is a UsageError before any contact", async () => {
    const cluster = new FakeCluster();
    const live = runOf(cluster, "bbb222", "2026-11-24T01:00:00Z", false);
    expect((await clean({ port: cluster, runId: "bbb222" })).deleted).toEqual([`job/${live}`, `pod/${live}-x`]);
    const before = cluster.lists.length;
    await expect(clean({ port: cluster, runId: "x,app=other" })).rejects.toBeInstanceOf(UsageError);
    expect(cluster.lists.length).toBe(before);
  });
  it("incluster dev's held pod is kept while it holds (its session's); one whose hold ended is deleted; --all takes both", async () => {
    const cluster = new FakeCluster();
    const dev = (runId: string, status: Pod["status"]) => {
      const labels = { "app.kubernetes.io/managed-by": "incluster", "incluster.dev/suite": "smoke", "incluster.dev/run-id": runId, "incluster.dev/dev-of": "smoke" };
      cluster.put("pods", pod(`test-smoke-e2e-${runId}-dev`, labels, status));
    };
    dev("held11", running());
    dev("ended1", { ...finished(0), phase: "Succeeded" });
    const r = await clean({ port: cluster, config });
    expect(r.deleted).toEqual(["pod/test-smoke-e2e-ended1-dev"]);
    expect(r.kept.runs).toEqual(["held11"]);
    expect((await clean({ port: cluster, config, all: true })).deleted).toEqual(["pod/test-smoke-e2e-held11-dev"]);
  });
});

describe("logs()", () => {
  it("a saved run: every saved log with its text, no cluster needed", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "incluster-logs-"));
    mkdirSync(join(cwd, ".incluster", "runs", "y82c4t", "e2e"), { recursive: true });
    writeFileSync(join(cwd, ".incluster", "runs", "y82c4t", "e2e", "test-runner.log"), "hello\n");
    const texts: string[] = [];
    const r = await logs("y82c4t", { cwd, kubeconfig: "/nonexistent", onSavedLog: (l, text) => texts.push(`${l.suite}/${l.container}: ${text}`) });
    expect(r).toMatchObject({ from: "saved", runId: "y82c4t", logs: [{ suite: "e2e", container: "test-runner" }] });
    expect(texts).toEqual(["e2e/test-runner: hello\n"]);
  });

  it("a saved run without a log is NO_LOGS", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "incluster-logs-"));
    mkdirSync(join(cwd, "runs", "y82c4t"), { recursive: true });
    const err = await logs("y82c4t", { cwd, runsDir: "runs" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CouldNotRunError);
    expect(err).toMatchObject({ code: "NO_LOGS", hint: expect.stringContaining("its folder is runs/y82c4t") });
  });

  it("a suite's newest Job from the cluster: its lines, then its state at the end", async () => {
    const cluster = new FakeCluster();
    runOf(cluster, "aaa111", "2026-11-24T00:00:00Z", true);
    const name = runOf(cluster, "bbb222", "2026-11-24T01:00:00Z", true);
    const seen: string[] = [];
    const done = logs("smoke", { port: cluster, config, onJob: (j) => seen.push(`job ${j}`), onLine: (c, l) => seen.push(`${c}: ${l}`) });
    // The test container's log: a line, then its end (the follow, then the final read).
    for (let served = 0; served < 2; ) {
      const l = cluster.openLogs("test-runner")[0];
      if (!l) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      l.open = false;
      if (served++ === 0) l.handlers.onData("2026-11-24T01:00:02.000000001Z all good\n");
      l.handlers.onClose(undefined);
    }
    const r = await done;
    expect(seen).toEqual([`job ${name}`, "test-runner: all good"]);
    expect(r).toEqual({ from: "cluster", namespace: "ns", job: name, state: { state: "passed" } });
  });

  it("no saved run and no Job: a UsageError naming the namespace", async () => {
    const err = logs("smoke", { port: new FakeCluster(), namespace: "ns", cwd: tmpdir() });
    await expect(err).rejects.toThrow('no saved run and no incluster Job for "smoke" in namespace ns');
  });
});

describe("debug()", () => {
  const rendered = (runId: string) => {
    const j = renderSuite(resolveSuite(config, "smoke"), { runId }).job as unknown as Job;
    return { ...j, metadata: { ...j.metadata, creationTimestamp: "2026-11-24T00:00:00Z" } };
  };
  const sink = () => {
    const out = new PassThrough();
    const text: string[] = [];
    out.on("data", (d: Buffer) => text.push(d.toString()));
    return { out, text };
  };
  /** The held-open pod comes up once it is created. */
  const upWhenCreated = async (cluster: FakeCluster) => {
    for (let i = 0; i < 200 && !cluster.calls.some((c) => c.startsWith("create Pod/")); i++) await new Promise((r) => setTimeout(r, 5));
    await settle();
    const name = cluster.calls.find((c) => c.startsWith("create Pod/"))?.slice("create Pod/".length) ?? "";
    cluster.put("pods", pod(name, {}, { phase: "Running" } as Pod["status"]));
    return name;
  };

  it("recreates the suite's Job as a held-open pod, prints the exec line, and deletes the pod when the signal aborts", async () => {
    const cluster = new FakeCluster();
    cluster.put("jobs", rendered("abc123"));
    const stdout = sink();
    const controller = new AbortController();
    const done = debug("smoke", { port: cluster, config, deadline: "10m", signal: controller.signal, stdout: stdout.out, stderr: new PassThrough() });
    const name = await upWhenCreated(cluster);
    for (let i = 0; i < 100 && stdout.text.length === 0; i++) await settle();
    controller.abort();
    expect(await done).toEqual({ pod: name });
    expect(stdout.text.join("")).toBe(`kubectl exec -it -n ns ${name} -c test-runner -- /bin/sh\n`);
    expect(cluster.calls.filter((c) => c.endsWith(`pods/${name}`))).toEqual([`delete pods/${name}`, `delete pods/${name}`]);
  });

  it("with shell: the shell's exit code; a bad deadline or an unknown suite is a UsageError before any contact", async () => {
    const cluster = new FakeCluster();
    cluster.put("jobs", rendered("abc123"));
    cluster.execAnswer = async () => ({ exitCode: 7 });
    const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr: new PassThrough() };
    const done = debug("smoke", { port: cluster, config, shell: true, runId: "abc123", ...io });
    const name = await upWhenCreated(cluster);
    expect(await done).toEqual({ pod: name, shellExit: 7 });
    const calls = cluster.calls.length;
    await expect(debug("smoke", { port: cluster, deadline: "soon" })).rejects.toThrow('deadline: expected a duration like 30m or 1h, got "soon"');
    await expect(debug("nope", { port: cluster, config })).rejects.toBeInstanceOf(UsageError);
    expect(cluster.calls.length).toBe(calls);
  });
});
