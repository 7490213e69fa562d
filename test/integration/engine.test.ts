// Issue 8 on the real cluster: the library's run() in a user's own process (it exits on its own
// after passed, failed and interrupted runs), Ctrl-C during create, the overlay ConfigMap after
// Ctrl-C, an unwritable report directory, the verdict before the Job controller's condition, the
// kubeconfig context's namespace, and --events as a complete record of the run.
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadConfig, run } from "../../src/index.js";
import type { RunEvent } from "../../src/index.js";
import { RUN_ID_LABEL } from "../../src/names.js";
import { ADMIN_KUBECONFIG, DEMO, NAMESPACE, ROOT, admin, cli, requireCluster, startCli, waitForOutput } from "./support/cli.js";

const work = mkdtempSync(join(tmpdir(), "incluster-it-engine-"));
const mounts: string[] = [];
beforeAll(() => requireCluster());
afterAll(() => {
  for (const m of mounts) execFileSync("umount", [m]);
  rmSync(work, { recursive: true, force: true });
});

interface LibOutput {
  runId: string;
  exitCode: number;
  verdict: string;
  class?: string;
  ms: number;
  doneAt: number;
}

/** Runs test/integration/support/lib-run.ts in its own node process; resolves when it exits by itself. */
function libRun(scenario: string, suite: string, config = DEMO): Promise<{ out: LibOutput; handles: string[]; exitAfterMs: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "test/integration/support/lib-run.ts"), scenario, config, suite, ADMIN_KUBECONFIG, join(work, `report-${scenario}-${suite}`)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    // A process kept alive by a leaked timer or socket would never exit: fail instead of hanging.
    const guard = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`lib-run ${scenario} did not exit on its own:\n${stdout}\n${stderr}`));
    }, 120_000);
    child.on("close", (code) => {
      clearTimeout(guard);
      const exitedAt = Date.now();
      const lines = stdout.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
      const out = lines.find((l) => "exitCode" in l) as unknown as LibOutput | undefined;
      const handles = (lines.find((l) => "handles" in l)?.handles as string[] | undefined) ?? [];
      if (!out) return reject(new Error(`no result (exit ${code}):\n${stderr}`));
      resolve({ out, handles, exitAfterMs: exitedAt - out.doneAt, code, stderr });
    });
  });
}

async function runObjects(runId: string): Promise<{ jobs: number; pods: number; configMaps: number }> {
  const port = admin();
  const sel = { labelSelector: `${RUN_ID_LABEL}=${runId}` };
  const [jobs, pods, cms] = await Promise.all([port.list("jobs", NAMESPACE, sel), port.list("pods", NAMESPACE, sel), port.listConfigMaps(NAMESPACE, `${RUN_ID_LABEL}=${runId}`)]);
  // Objects being deleted still count until they are gone.
  return { jobs: jobs.items.length, pods: pods.items.length, configMaps: cms.length };
}

async function until<T>(get: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<{ value: T; afterMs: number }> {
  const t0 = Date.now();
  for (;;) {
    const value = await get();
    if (ok(value) || Date.now() - t0 > ms) return { value, afterMs: Date.now() - t0 };
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("the library in a user's process: it exits on its own, leaving no handle", () => {
  for (const [scenario, suite, exitCode] of [
    ["plain", "services", 0],
    ["plain", "fails-on-purpose", 1],
    // A suite that is still running when the interrupt lands (services can finish in the same
    // pod status update that first shows it running: then the verdict is already in).
    ["interrupt-running", "sleepy", 130],
  ] as const) {
    it(`${scenario} ${suite}: exit code ${exitCode}, no timer or socket left, the process ends by itself`, async () => {
      const r = await libRun(scenario, suite, suite === "sleepy" ? join(ROOT, "test/integration/fixtures/faults.yaml") : DEMO);
      console.log(`[engine] ${scenario} ${suite}: run ${r.out.runId} exit ${r.out.exitCode} in ${r.out.ms} ms; process exited ${r.exitAfterMs} ms after the result; handles one tick later: ${JSON.stringify(r.handles)}`);
      expect(r.out.exitCode).toBe(exitCode);
      // Timers and sockets keep a process alive; stdio pipes and fs requests in flight do not.
      expect(r.handles.filter((h) => /Timeout|Immediate|TCP|TLS|Interval/.test(h))).toEqual([]);
      expect(r.exitAfterMs).toBeLessThan(2000);
      if (scenario === "interrupt-running") expect(await runObjects(r.out.runId)).toMatchObject({ jobs: 0 });
    });
  }
});

describe("issue 8 defects on the real cluster", () => {
  it("1: Ctrl-C while the Job is being created: verdict 130, the Job is deleted, no 31-minute timer keeps the process alive", async () => {
    const r = await libRun("interrupt-create", "services");
    const left = await until(() => runObjects(r.out.runId), (o) => o.jobs === 0 && o.pods === 0, 30_000);
    console.log(`[engine] interrupt during create: run ${r.out.runId} exit ${r.out.exitCode} in ${r.out.ms} ms, process exited ${r.exitAfterMs} ms after; objects left ${JSON.stringify(left.value)} (checked ${left.afterMs} ms after exit)`);
    expect(r.out).toMatchObject({ exitCode: 130, verdict: "interrupted" });
    expect(r.exitAfterMs).toBeLessThan(2000);
    expect(left.value).toEqual({ jobs: 0, pods: 0, configMaps: 0 });
  });

  it("3: Ctrl-C during a source: local run: the overlay ConfigMap is gone within 5 s of the CLI's exit", async () => {
    const repo = join(work, "local-repo");
    execFileSync("git", ["clone", "-q", "git://10.244.0.1/sample-app.git", repo]);
    writeFileSync(join(repo, "tests/e2e/test_local_edit.py"), "def test_edit():\n    print('local edit')\n");
    const demo = parse(readFileSync(DEMO, "utf8")) as Record<string, unknown>;
    const cfg = join(work, "local.yaml");
    writeFileSync(cfg, stringify({ ...demo, source: { local: { path: repo, image: "127.0.0.1:5000/incluster/git:2" } }, suites: { sleepy: { test: "tests/e2e/test_sleep.py", env: { SLEEP_SECONDS: "120" } } } }));
    const c = startCli(["-c", cfg, "run", "sleepy", "-q"]);
    await waitForOutput(c.stderrSoFar, /\[sleepy\] running:/, 90_000);
    const runId = /run ([a-z0-9]{6}):/.exec(c.stderrSoFar())?.[1] ?? "";
    expect((await runObjects(runId)).configMaps).toBe(1);
    c.child.kill("SIGINT");
    const done = await c.done;
    const left = await until(() => runObjects(runId), (o) => o.configMaps === 0, 5_000);
    console.log(`[engine] local overlay after Ctrl-C: exit ${done.code}; configmaps of run ${runId} left ${left.value.configMaps}, ${left.afterMs} ms after the CLI exited`);
    expect(done.code).toBe(130);
    expect(done.stderr).toContain(`deleted configmap/test-sleepy-e2e-${runId}-src`);
    expect(left.value.configMaps).toBe(0);
    expect(left.afterMs).toBeLessThan(5000);
  });

  it("6: a read-only report directory: exit 3 before anything is created, naming the directory", async () => {
    const ro = join(work, "ro");
    mkdirSync(ro);
    execFileSync("mount", ["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", ro]);
    mounts.push(ro);
    const before = (await admin().list("jobs", NAMESPACE, { labelSelector: "incluster.dev/suite=services" })).items.length;
    const r = await cli(["-c", DEMO, "run", "services", "--report-dir", ro]);
    const after = (await admin().list("jobs", NAMESPACE, { labelSelector: "incluster.dev/suite=services" })).items.length;
    console.log(`[engine] read-only report dir: exit ${r.code}; ${r.stderr.trim().split("\n")[0]}`);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`cannot write the report directory`);
    expect(r.stderr).toContain("EROFS");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(after).toBe(before);
  });

  it("6: the disk fills up mid-run: a warning, the verdict stands, the Jobs are not left running", async () => {
    const small = join(work, "small");
    mkdirSync(small);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", small]);
    mounts.push(small);
    const faults = join(ROOT, "test/integration/fixtures/faults.yaml");
    const r = await cli(["-c", faults, "run", "many-lines", "-q", "--report-dir", join(small, "run")]);
    console.log(`[engine] disk full mid-run: exit ${r.code}; ${r.stderr.split("\n").find((l) => l.includes("could not save"))}`);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: could not save .*test-runner\.log: ENOSPC/);
    expect(r.stderr).toContain("PASSED many-lines");
  });

  it("7: the verdict comes from the terminated container, before the Job controller's condition", async () => {
    const port = admin();
    let conditionAt = 0;
    let verdictAt = 0;
    let jobName = "";
    const watch = port.watch("jobs", NAMESPACE, {}, "", {
      onEvent: (_t, job) => {
        if (job.metadata?.name === jobName && !conditionAt && job.status?.conditions?.some((c) => (c.type === "SuccessCriteriaMet" || c.type === "Complete") && c.status === "True")) conditionAt = Date.now();
      },
      onClose: () => undefined,
    });
    const result = await run(loadConfig({ path: DEMO }), {
      suites: ["services"],
      kubeconfig: ADMIN_KUBECONFIG,
      reportDir: join(work, "latency"),
      onEvent: (e: RunEvent) => {
        if (e.type === "suite.phase" && e.phase === "queued") jobName = e.detail.replace("job/", "").replace(" created", "");
        if (e.type === "suite.verdict") verdictAt = Date.now();
      },
    });
    await until(async () => conditionAt, (v) => v > 0, 10_000);
    watch.stop();
    console.log(`[engine] verdict ${verdictAt - conditionAt} ms relative to the Job's SuccessCriteriaMet/Complete as an API watcher saw it`);
    expect(result.exitCode).toBe(0);
    expect(conditionAt).toBeGreaterThan(0);
    expect(verdictAt).toBeLessThan(conditionAt);
  });

  it("9: the kubeconfig context's namespace is used when nothing else names one", async () => {
    const kc = parse(readFileSync(ADMIN_KUBECONFIG, "utf8")) as { contexts: { context: Record<string, string> }[] };
    for (const c of kc.contexts) c.context.namespace = NAMESPACE;
    const kubeconfig = join(work, "kubeconfig-ns");
    writeFileSync(kubeconfig, stringify(kc));
    const demo = parse(readFileSync(DEMO, "utf8")) as Record<string, unknown>;
    delete demo.namespace;
    const cfg = join(work, "no-namespace.yaml");
    writeFileSync(cfg, stringify(demo));
    const r = await cli(["--kubeconfig", kubeconfig, "-c", cfg, "run", "services", "-o", "json", "-q"], { KUBECONFIG: "" });
    const doc = JSON.parse(r.stdout) as { namespace: string; exitCode: number };
    console.log(`[engine] context namespace: exit ${r.code}, ran in ${doc.namespace}`);
    expect(r.code).toBe(0);
    expect(doc.namespace).toBe(NAMESPACE);
  });

  it("--events -: every line is JSON with type, ts, runId (and suite where relevant); its log lines equal the saved logs", async () => {
    const r = await cli(["-c", DEMO, "run", "--all", "--events", "-", "-q"]);
    const events = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as RunEvent);
    const types: Record<string, number> = {};
    for (const e of events) {
      types[e.type] = (types[e.type] ?? 0) + 1;
      expect(e.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(e.runId).toMatch(/^[a-z0-9]{6}$/);
      if (e.type === "log" || e.type.startsWith("suite.") || e.type === "image.ready") expect((e as { suite?: string }).suite).toBeTruthy();
    }
    const finished = events.at(-1);
    if (finished?.type !== "run.finished") throw new Error("the last event is not run.finished");
    let compared = 0;
    for (const s of finished.result.suites) {
      // A suite with retries keeps each attempt's logs apart; the events say which attempt.
      const attempts = s.attempts ?? [{ attempt: undefined, logs: s.logs }];
      for (const a of attempts) {
        for (const [container, path] of Object.entries(a.logs)) {
          const saved = readFileSync(join(ROOT, path), "utf8");
          const streamed = events.filter((e) => e.type === "log" && e.suite === s.suite && e.container === container && e.attempt === a.attempt).map((e) => (e.type === "log" ? `${e.line}\n` : "")).join("");
          expect(streamed, `${s.suite} attempt ${a.attempt ?? 1} ${container}`).toBe(saved);
          compared += saved.split("\n").length - 1;
        }
      }
    }
    console.log(`[engine] --events -: ${events.length} lines, all JSON; by type ${JSON.stringify(types)}; ${compared} log lines equal to the saved logs; exit ${r.code}`);
    expect(r.code).toBe(1);
  });
});
