// incluster run, end to end, on the project's own one-node cluster: real Jobs, real pods,
// real image pulls from 127.0.0.1:5000, a real clone from the git daemon, real faults.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { convert } from "xmlbuilder2";
import { ADMIN_KUBECONFIG, DEMO, FAULTS, KUBECTL, LIMITED_KUBECONFIG, NAMESPACE, ROOT, admin, cli, requireCluster, runJson, savedLog, startCli, waitForOutput } from "./support/cli.js";

beforeAll(() => requireCluster());

describe("the demo suites", () => {
  it("passes, and the log shows the demo services reached by their DNS names", async () => {
    const r = await runJson(["-c", DEMO, "run", "services"]);
    expect(r.code, r.stderr).toBe(0);
    const s = r.result.suites[0]!;
    expect(s).toMatchObject({ suite: "services", verdict: "passed", exitCode: 0, testExitCode: 0 });
    expect(s.job).toMatch(/^test-services-e2e-[a-z0-9]{6}$/);
    expect(s.commit).toMatch(/^[0-9a-f]{7}/);
    for (const p of ["queued", "scheduled", "running", "finished"]) expect(s.phases).toHaveProperty(p);
    const log = savedLog(r.result, "services");
    expect(log).toContain("reached http://orchestrator.incluster-demo.svc.cluster.local:50055/health -> HTTP 200");
    expect(log).toContain("orchestrator reached context at http://context.incluster-demo.svc.cluster.local:50054");
    expect(r.stderr).toContain("[test] ");
  });

  it("fails with exit 1 and pytest's failure in the output", async () => {
    const r = await cli(["-c", DEMO, "run", "fails-on-purpose"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("AssertionError: this test fails on purpose");
    expect(r.stderr).toMatch(/FAILED fails-on-purpose .*exit code 1/);
  });

  it("--all runs the suites at once, exits 1, and JSON and JUnit name each verdict and test", async () => {
    const r = await runJson(["-c", DEMO, "run", "--all"]);
    expect(r.code).toBe(1);
    expect(r.result.apiVersion).toBe("incluster.dev/v1alpha1");
    expect(Object.fromEntries(r.result.suites.map((s) => [s.suite, s.verdict]))).toEqual({ services: "passed", "fails-on-purpose": "failed", mixed: "failed" });
    // Both ran at once: each started before the other finished.
    const [a, b] = r.result.suites;
    expect(new Date(a!.startedAt) < new Date(b!.finishedAt) && new Date(b!.startedAt) < new Date(a!.finishedAt)).toBe(true);
    expect(r.stderr).toContain("[services/test]");
    expect(r.stderr).toContain("[fails-on-purpose/test]");

    const j = await cli(["-c", DEMO, "run", "--all", "-q", "-o", "junit"]);
    const xml = convert(j.stdout, { format: "object" }) as { testsuites: { "@tests": string; "@failures": string; testsuite: { "@name": string; testcase: { failure?: unknown } }[] } };
    // One testcase per test: services 4, fails-on-purpose 1, mixed 3 (one fails, one is flaky).
    expect(xml.testsuites["@tests"]).toBe("8");
    expect(xml.testsuites["@failures"]).toBe("2");
    expect(xml.testsuites.testsuite.map((t) => t["@name"]).sort()).toEqual(["fails-on-purpose", "mixed", "services"]);
  });
});

describe("real faults, classified with a hint", () => {
  it("a non-existent image: imagePull, reported within the 15 s grace of the first pull error", async () => {
    const r = await runJson(["-c", FAULTS, "run", "missing-image"]);
    expect(r.code).toBe(3);
    const s = r.result.suites[0]!;
    expect(s).toMatchObject({ verdict: "couldNotRun", class: "imagePull" });
    expect(s.reason).toMatch(/ErrImagePull|ImagePullBackOff/);
    expect(s.hint).toContain("cannot pull 127.0.0.1:1/missing:1");
    const firstPullError = Math.min(...s.events.filter((e) => /pull/i.test(e.message) && e.type === "Warning").map((e) => Date.parse(e.firstTimestamp)));
    const reportedAfter = (Date.parse(s.finishedAt) - firstPullError) / 1000;
    // Event timestamps have one-second precision; the grace is 15 s.
    expect(reportedAfter).toBeLessThanOrEqual(17);
    expect(reportedAfter).toBeGreaterThanOrEqual(14);
  });

  it("an unschedulable request: the scheduler's message verbatim", async () => {
    const r = await runJson(["-c", FAULTS, "run", "unschedulable"]);
    expect(r.code).toBe(3);
    expect(r.result.suites[0]).toMatchObject({ class: "unschedulable", reason: "Unschedulable" });
    expect(r.result.suites[0]!.message).toContain("Insufficient cpu");
  });

  it("a ref that does not exist: run stops before the Job (git ls-remote), naming the ref", async () => {
    // Since issue 5 the CLI resolves the ref to a commit first; build-source.test.ts checks that no Job exists.
    const r = await cli(["-c", join(ROOT, "test/integration/fixtures/bad-ref.yaml"), "run", "oom", "-o", "json"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ref "no-such-branch" does not exist in git://10.244.0.1/sample-app.git');
    // CI still gets one verdict per suite on stdout.
    const doc = JSON.parse(r.stdout) as { exitCode: number; suites: { suite: string; verdict: string; class: string }[] };
    expect(doc.exitCode).toBe(3);
    expect(doc.suites).toEqual([expect.objectContaining({ suite: "oom", verdict: "couldNotRun", class: "sourceFailed" })]);
  });

  it("a commit that does not exist: the clone-repo init container fails, naming it", async () => {
    const r = await runJson(["-c", join(ROOT, "test/integration/fixtures/missing-commit.yaml"), "run", "oom"]);
    expect(r.code).toBe(3);
    expect(r.result.suites[0]).toMatchObject({ class: "cloneFailed" });
    expect(r.result.suites[0]!.message).toContain("could not fetch commit 0123456789abcdef0123456789abcdef01234567");
  });

  it("a container over its memory limit: OOMKilled", async () => {
    const r = await runJson(["-c", FAULTS, "run", "oom"]);
    expect(r.code).toBe(3);
    expect(r.result.suites[0]).toMatchObject({ class: "oomKilled", reason: "OOMKilled" });
    expect(r.result.suites[0]!.hint).toContain("128Mi");
  });

  it("a suite past its timeout: deadline exceeded, exit 4", async () => {
    const r = await runJson(["-c", FAULTS, "run", "deadline"]);
    expect(r.code).toBe(4);
    expect(r.result.suites[0]).toMatchObject({ verdict: "timedOut", class: "deadlineExceeded", reason: "DeadlineExceeded" });
  });

  it("a Secret that does not exist, referenced by env: containerConfig, found by preflight before any Job", async () => {
    const r = await runJson(["-c", FAULTS, "run", "missing-secret"]);
    expect(r.code).toBe(3);
    expect(r.result.suites[0]).toMatchObject({ class: "containerConfig", reason: "PreflightFailed", job: expect.stringMatching(/^test-missing-secret-e2e-/) });
    const jobs = await admin().list("jobs", NAMESPACE, { labelSelector: `incluster.dev/run-id=${r.result.runId}` });
    expect(jobs.items).toHaveLength(0);
    expect(r.result.suites[0]!.message).toContain("no-such-secret");
  });

  it("forbidden: the least-privileged kubeconfig is refused before anything is created", async () => {
    const r = await runJson(["--kubeconfig", LIMITED_KUBECONFIG, "-c", DEMO, "run", "services"]);
    expect(r.code).toBe(3);
    const s = r.result.suites[0]!;
    expect(s.class).toBe("forbidden");
    expect(s.message).toContain("may create jobs.batch: forbidden");
    const jobs = await admin().list("jobs", NAMESPACE, { labelSelector: `incluster.dev/run-id=${r.result.runId}` });
    expect(jobs.items).toHaveLength(0);
  });
});

describe("least privilege", () => {
  it("doctor prints a Role with exactly the missing verbs; once an admin binds it, the limited user's run passes", async () => {
    const d = await cli(["--kubeconfig", LIMITED_KUBECONFIG, "-c", DEMO, "doctor"]);
    expect(d.code).toBe(3);
    expect(d.stdout).toMatch(/FAIL may create jobs\.batch: forbidden/);
    const role = d.stdout.slice(d.stdout.indexOf("apiVersion: rbac.authorization.k8s.io/v1"));
    const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, "-n", NAMESPACE, ...args], { input: role, encoding: "utf8" });
    try {
      kubectl("apply", "-f", "-");
      kubectl("create", "rolebinding", "incluster-runner", "--role", "incluster-runner", "--serviceaccount", `${NAMESPACE}:incluster-limited`);
      const ok = await cli(["--kubeconfig", LIMITED_KUBECONFIG, "-c", DEMO, "doctor"]);
      expect(ok.stdout).toMatch(/all \d+ checks passed/);
      const run = await cli(["--kubeconfig", LIMITED_KUBECONFIG, "-c", DEMO, "run", "services", "-q"]);
      expect(run.code, run.stderr.slice(-1500)).toBe(0);
    } finally {
      kubectl("delete", "rolebinding", "incluster-runner", "--ignore-not-found");
      kubectl("delete", "role", "incluster-runner", "--ignore-not-found");
    }
  });
});

describe("runs that must not interfere or leave anything behind", () => {
  it("Ctrl-C deletes the run's Job and Pod (checked through the API) and exits 130", async () => {
    const run = startCli(["-c", FAULTS, "run", "sleepy"]);
    await waitForOutput(run.stderrSoFar, /\[sleepy\] running:/, 90_000);
    const runId = /run ([a-z0-9]{6}):/.exec(run.stderrSoFar())?.[1];
    run.child.kill("SIGINT");
    const r = await run.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/deleted job\/test-sleepy-e2e-/);
    const sel = { labelSelector: `incluster.dev/run-id=${runId}` };
    expect((await admin().list("jobs", NAMESPACE, sel)).items).toHaveLength(0);
    // The CLI leaves once the deletes are accepted: its pod is terminating (1 s grace), gone within 10 s.
    const pods = (await admin().list("pods", NAMESPACE, sel)).items;
    expect(pods.every((p) => p.metadata?.deletionTimestamp)).toBe(true);
    let left = pods.length;
    for (let i = 0; i < 40 && left > 0; i++) {
      await new Promise((res) => setTimeout(res, 250));
      left = (await admin().list("pods", NAMESPACE, sel)).items.length;
    }
    expect(left).toBe(0);
  });

  it("two concurrent runs of the same suite each get their own Job, verdict and logs", async () => {
    const [a, b] = await Promise.all([runJson(["-c", DEMO, "run", "services", "-q"]), runJson(["-c", DEMO, "run", "services", "-q"])]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.result.runId).not.toBe(b.result.runId);
    expect(a.result.suites[0]!.job).not.toBe(b.result.suites[0]!.job);
    expect(savedLog(a.result, "services")).toContain("4 passed");
    expect(savedLog(b.result, "services")).toContain("4 passed");
  });

  it("100,000 numbered lines arrive complete and in order, even when the API server restarts mid-stream", async () => {
    const run = startCli(["-v", "-c", FAULTS, "run", "slow-lines", "-q", "-o", "json"]);
    await waitForOutput(run.stderrSoFar, /\[slow-lines\] running:/, 90_000);
    await new Promise((r) => setTimeout(r, 5000));
    execFileSync("bash", [join(ROOT, "test/cluster/restart-apiserver")], { stdio: "ignore" });
    const r = await run.done;
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    // Over HTTP/2 the restarting API server may end the stream cleanly or break it: either way the follow resumes.
    expect(r.stderr).toMatch(/log of test-runner: (stream broke|stream ended before the container did)/);
    const result = JSON.parse(r.stdout) as Parameters<typeof savedLog>[0];
    const numbers = [...savedLog(result, "slow-lines").matchAll(/line (\d{7}) of 0100000/g)].map((m) => Number(m[1]));
    expect(numbers.length).toBe(100_000);
    expect(numbers.every((n, i) => n === i + 1)).toBe(true);
  });
});

describe("status, logs, clean", () => {
  it("status lists runs from labels; logs prints a saved run; clean removes only finished incluster Jobs", async () => {
    const r = await runJson(["-c", DEMO, "run", "services", "-q"]);
    const st = await cli(["-c", DEMO, "status"]);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(new RegExp(`${r.result.runId}\\s+services\\s+passed`));
    const lg = await cli(["-c", DEMO, "logs", r.result.runId]);
    expect(lg.stdout).toContain("4 passed");
    // Someone else's Job in the same namespace (suspended: it never makes a pod) must survive clean.
    const port = admin();
    const theirs = `not-ours-${r.result.runId}`;
    await port.create({
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { name: theirs, namespace: NAMESPACE, labels: { app: "test-services-e2e" } },
      spec: { suspend: true, template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "127.0.0.1:5000/incluster/busybox:1" }] } } },
    } as never);
    const cl = await cli(["-c", DEMO, "clean"]);
    expect(cl.code).toBe(0);
    expect(cl.stdout).toContain(`deleted job/${r.result.suites[0]!.job}`);
    const left = await admin().list("jobs", NAMESPACE, { labelSelector: `incluster.dev/run-id=${r.result.runId}` });
    expect(left.items.filter((j) => !j.metadata?.deletionTimestamp)).toHaveLength(0);
    const still = await port.list("jobs", NAMESPACE, { fieldSelector: `metadata.name=${theirs}` });
    expect(still.items).toHaveLength(1);
    await port.delete("jobs", NAMESPACE, theirs);
  });
});
