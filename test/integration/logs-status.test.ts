// logs, status and the namespace on the project's real cluster: `logs` started before the pod
// runs follows it to the end; `status` shows run's classes; the kubeconfig context's namespace
// is used when nothing else names one.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ADMIN_KUBECONFIG, DEMO, NAMESPACE, ROOT, admin, cli, requireCluster, runJson, startCli, waitForOutput } from "./support/cli.js";
import type { CliResult } from "./support/cli.js";

const SLOW = join(ROOT, "test/integration/fixtures/slow-start.yaml");
const temp = mkdtempSync(join(tmpdir(), "incluster-logs-status-"));

beforeAll(() => requireCluster());
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** The built CLI in another folder, with exactly this environment (no INCLUSTER_* from ours). */
function cliIn(cwd: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, [join(ROOT, "bin/incluster.js"), ...args], { cwd, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on("close", (code) => res({ code, stdout, stderr })));
}

describe("logs", () => {
  it("started while the pod is pending, prints the clone and the tests to the last line, then exits 0", async () => {
    const run = startCli(["-c", SLOW, "run", "slow-start", "-q"]);
    const port = admin();
    // The moment the Job exists (a test may poll; the product watches).
    let job = "";
    for (let i = 0; i < 600 && !job; i++) {
      const jobs = await port.list("jobs", NAMESPACE, { labelSelector: "incluster.dev/suite=slow-start" });
      const mine = jobs.items.filter((j) => !j.metadata?.deletionTimestamp && !j.status?.conditions?.length);
      job = mine[0]?.metadata?.name ?? "";
      if (!job) await new Promise((r) => setTimeout(r, 100));
    }
    expect(job, run.stderrSoFar()).not.toBe("");
    const logs = startCli(["-c", SLOW, "logs", "slow-start"]);
    // Nothing has run yet when logs starts: no pod, or a pod whose clone has not even started.
    const pods = await port.list("pods", NAMESPACE, { labelSelector: `job-name=${job}` });
    const started = pods.items.flatMap((p) => [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])]).filter((s) => s.state?.running || s.state?.terminated);
    expect(pods.items.every((p) => p.status?.phase === "Pending")).toBe(true);
    expect(started.map((s) => s.name)).not.toContain("test-runner");

    const [r, l] = await Promise.all([run.done, logs.done]);
    expect(r.code, r.stderr.slice(-1500)).toBe(0);
    expect(l.code, l.stderr).toBe(0);
    expect(l.stderr).toContain(`==> job/${job} <==`);
    expect(l.stdout).toMatch(/\[clone\] Checked out [0-9a-f]{7}/);
    expect(l.stdout).toContain("[test] slow-start: tests begin");
    expect(l.stdout).toContain("[test] slow-start: last line");
    expect(l.stderr).toContain(`==> job/${job}: passed <==`);
  });

  it("ends (exit 0) when the Job it follows is deleted mid-run", async () => {
    const run = startCli(["-c", SLOW, "run", "slow-start"]);
    await waitForOutput(run.stderrSoFar, /\[test\] slow-start: tests begin/, 90_000);
    const job = /job\/(test-slow-start-e2e-[a-z0-9]{6}) created/.exec(run.stderrSoFar())?.[1] ?? "";
    // By suite: a run id whose report directory exists prints the saved logs instead.
    const logs = startCli(["-c", SLOW, "logs", "slow-start"]);
    await waitForOutput(logs.stderrSoFar, new RegExp(`==> job/${job} <==`), 30_000);
    await admin().delete("jobs", NAMESPACE, job);
    const l = await logs.done;
    expect(l.code, l.stderr).toBe(0);
    expect(l.stderr).toContain(`==> job/${job} was deleted <==`);
    expect(l.stdout).toContain("[test] slow-start: tests begin");
    await run.done;
  });
});

describe("status", () => {
  let runId = "";

  it("shows run's class for a failed run: failed (testsFailed), also in -o json", async () => {
    const r = await runJson(["-c", DEMO, "run", "fails-on-purpose", "-q"]);
    expect(r.code).toBe(1);
    runId = r.result.runId;
    const st = await cli(["-c", DEMO, "status"]);
    expect(st.code, st.stderr).toBe(0);
    expect(st.stdout).toMatch(new RegExp(`${runId}\\s+fails-on-purpose\\s+failed \\(testsFailed\\)\\s`));
    expect(st.stdout).not.toContain("BackoffLimitExceeded");
    const js = await cli(["-c", DEMO, "status", "-o", "json"]);
    const doc = JSON.parse(js.stdout) as { apiVersion: string; namespace: string; jobs: { runId: string; state: string; class?: string }[] };
    expect(doc).toMatchObject({ apiVersion: "incluster.dev/v1alpha1", namespace: NAMESPACE });
    expect(doc.jobs.find((j) => j.runId === runId)).toMatchObject({ state: "failed", class: "testsFailed" });
  });

  it("without -n or a config file, lists the runs of the kubeconfig context's namespace", async () => {
    expect(runId).not.toBe("");
    const kc = parse(readFileSync(ADMIN_KUBECONFIG, "utf8")) as { "current-context": string; contexts: { name: string; context: { namespace?: string } }[] };
    const current = kc.contexts.find((c) => c.name === kc["current-context"]);
    if (!current) throw new Error(`no current context in ${ADMIN_KUBECONFIG}`);
    current.context.namespace = NAMESPACE;
    const kubeconfig = join(temp, "kubeconfig");
    writeFileSync(kubeconfig, stringify(kc), { mode: 0o600 });
    const elsewhere = mkdtempSync(join(temp, "no-config-"));
    const st = await cliIn(elsewhere, ["status"], { KUBECONFIG: kubeconfig });
    expect(st.code, st.stderr).toBe(0);
    expect(st.stdout).toMatch(new RegExp(`${runId}\\s+fails-on-purpose\\s+failed`));
    // The same kubeconfig without the context's namespace: "default", where no runs are.
    delete current.context.namespace;
    writeFileSync(kubeconfig, stringify(kc), { mode: 0o600 });
    const plain = await cliIn(elsewhere, ["status"], { KUBECONFIG: kubeconfig });
    expect(plain.stdout).not.toContain(runId);
  });
});
