// Issue 12 on the real cluster: run --watch (rounds, cancel mid-round, no leftovers), import of the
// guide's files, debug's held-open pod, the DNS typo hint, preflight on a missing Secret, and the
// four blind spots doctor now catches.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ADMIN_KUBECONFIG, DEMO, KUBECTL, NAMESPACE, ROOT, admin, cli, requireCluster, runJson, startCli, waitForOutput } from "./support/cli.js";

const GIT_URL = "git://10.244.0.1/sample-app.git";
const IMAGE = "127.0.0.1:5000/incluster/python:3.11-pytest";
const CLONE_IMAGE = "127.0.0.1:5000/incluster/git:2";
const work = mkdtempSync(join(tmpdir(), "incluster-it-12-"));
const nonce = () => randomBytes(3).toString("hex");
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["-n", NAMESPACE, ...args], { encoding: "utf8", env: { ...process.env, KUBECONFIG: ADMIN_KUBECONFIG } });

function config(o: { source: string; suites: string; env?: string; image?: string }): string {
  return `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ${NAMESPACE}
image:
  registry: 127.0.0.1:5000/incluster-it
  base: ${o.image ?? IMAGE}
source:
${o.source}
defaults:
  install: ""
  kubernetesAccess: false
  resources:
    requests: { cpu: 50m, memory: 64Mi }
    limits: { cpu: 500m, memory: 256Mi }
  env:
${o.env ?? "    ORCHESTRATOR_HOST: orchestrator.incluster-demo.svc.cluster.local\n    ORCHESTRATOR_PORT: \"50055\"\n    CONTEXT_HOST: context.incluster-demo.svc.cluster.local\n    CONTEXT_PORT: \"50054\"\n"}  ttlSecondsAfterFinished: 600
  timeout: 5m
suites:
${o.suites}`;
}

function writeConfig(name: string, text: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "incluster.yaml"), text);
  return join(dir, "incluster.yaml");
}

/** Objects of incluster runs by label, as the admin sees them. */
async function leftovers(selector: string): Promise<string[]> {
  const labelSelector = `app.kubernetes.io/managed-by=incluster,${selector}`;
  const [jobs, maps] = await Promise.all([admin().list("jobs", NAMESPACE, { labelSelector }), admin().listConfigMaps(NAMESPACE, labelSelector)]);
  return [...jobs.items.map((j) => `job/${j.metadata?.name}`), ...maps.map((m) => `configmap/${m.metadata?.name}`)];
}

beforeAll(requireCluster);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("run --watch on a local working tree", () => {
  const suite = `watch-${nonce()}`;
  const repo = join(work, "watched");
  const testFile = join(repo, "tests/e2e/test_watched.py");
  const edit = (body: string) => writeFileSync(testFile, `import time\n\ndef test_watched():\n    ${body}\n`);
  let watch: ReturnType<typeof startCli> | undefined;
  const stdout = () => (watch ? readStdout(watch) : "");

  beforeAll(() => {
    execFileSync("git", ["clone", "-q", GIT_URL, repo]);
    writeFileSync(join(repo, ".gitignore"), ".incluster/\n*.log\n");
    writeFileSync(join(repo, "incluster.yaml"), config({ source: `  local:\n    image: ${CLONE_IMAGE}\n`, image: IMAGE, suites: `  ${suite}:\n    image: ${IMAGE}\n    command: [python3, -m, pytest, -q, -s, -p, no:cacheprovider, tests/e2e/test_watched.py]\n` }));
    // Round 1 holds: the edit below arrives while it runs.
    edit('print("holding", flush=True); time.sleep(120)');
  });
  afterAll(() => watch?.child.kill("SIGKILL"));

  it("an edit during a running round cancels it: its Job, Pod and overlay are deleted before the next round", async () => {
    watch = startCli(["-c", join(repo, "incluster.yaml"), "run", suite, "--watch"]);
    await waitForOutput(watch.stderrSoFar, /holding/, 180_000);
    const runId = /run ([0-9a-z]{6}): /.exec(watch.stderrSoFar())?.[1] ?? "";
    expect(await leftovers(`incluster.dev/run-id=${runId}`)).toEqual([`job/test-${suite}-e2e-${runId}`, `configmap/test-${suite}-e2e-${runId}-src`]);
    edit("assert True");
    await waitForOutput(stdout, /^round 1: /m, 60_000);
    expect(stdout()).toMatch(/^round 1: CANCELLED .* — a file changed$/m);
    expect(await leftovers(`incluster.dev/run-id=${runId}`)).toEqual([]);
    // Its pod is deleted with a 1 s grace, not waited for: terminating now, gone within 10 s.
    const podsOf = async () => (await admin().list("pods", NAMESPACE, { labelSelector: `incluster.dev/run-id=${runId}` })).items;
    expect((await podsOf()).every((p) => p.metadata?.deletionTimestamp)).toBe(true);
    for (let i = 0; i < 40 && (await podsOf()).length > 0; i++) await new Promise((res) => setTimeout(res, 250));
    expect((await podsOf()).map((p) => p.metadata?.name)).toEqual([]);
    await waitForOutput(stdout, /^round 2: /m, 180_000);
    expect(stdout()).toMatch(/^round 2: PASSED .* — exit 0$/m);
  }, 420_000);

  it("three edits in a row give three verdicts; ignored files start no round; Ctrl-C exits with the last round's code and leaves nothing", async () => {
    const w = watch!;
    writeFileSync(join(repo, "scratch.log"), "ignored by .gitignore\n");
    edit("assert 1 + 1 == 2");
    await waitForOutput(stdout, /^round 3: /m, 180_000);
    edit('assert "edit" == "edit"');
    await waitForOutput(stdout, /^round 4: /m, 180_000);
    edit('assert False, "third edit fails"');
    await waitForOutput(stdout, /^round 5: /m, 180_000);
    const lines = stdout().trim().split("\n");
    expect(lines.slice(2)).toEqual([expect.stringMatching(/^round 3: PASSED \S+ \([\d.]+s\) — exit 0$/), expect.stringMatching(/^round 4: PASSED .* — exit 0$/), expect.stringMatching(/^round 5: FAILED .* — exit 1$/)]);
    expect(w.stderrSoFar()).toContain("round 3 (tests/e2e/test_watched.py changed)");
    expect(w.stderrSoFar()).not.toContain("scratch.log");
    console.log(`[watch] verdicts:\n${lines.join("\n")}`);
    w.child.kill("SIGINT");
    const r = await w.done;
    expect(r.code).toBe(1);
    expect(await leftovers(`incluster.dev/suite=${suite}`)).toEqual([]);
  }, 600_000);

  it("--watch without source: local is a usage error naming the fix", async () => {
    const r = await cli(["-c", DEMO, "run", "services", "--watch"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("needs source: local");
    expect(r.stderr).toContain("set source: { local: {} }");
  });
});

/** The child's stdout so far (startCli keeps only stderr readable while running). */
function readStdout(w: ReturnType<typeof startCli>): string {
  const anyW = w as unknown as { out?: string };
  if (anyW.out === undefined) {
    anyW.out = "";
    w.child.stdout?.on("data", (d: Buffer) => (anyW.out += d.toString()));
  }
  return anyW.out;
}

describe("import", () => {
  it("prints the guide's config with --dry-run, lists what it could not carry over, and the result matches examples/guide", async () => {
    const r = await cli(["import", "test/unit/fixtures/import/guide", "--dry-run"]);
    expect(r.code, r.stderr).toBe(0);
    console.log(`[import] stdout:\n${r.stdout}\n[import] stderr:\n${r.stderr}`);
    expect(r.stderr).toMatch(/^not carried over \(\d+\):/);
    expect(r.stderr).toContain("deploy/k8s/99-test-vllm-agent-tools-e2e.yaml:");
    const imported = parse(r.stdout) as Record<string, Record<string, unknown>>;
    const example = parse(readFileSync(join(ROOT, "examples/guide/incluster.yaml"), "utf8")) as Record<string, Record<string, unknown>>;
    // The example adds a second suite and a timeout by hand; import builds with the guide's own Dockerfile.
    const { timeout: _timeout, ...defaults } = example.defaults ?? {};
    const suite = (example.suites as Record<string, object>)["vllm-agent-tools"];
    expect(imported).toEqual({ ...example, defaults, suites: { "vllm-agent-tools": { ...suite, build: { dockerfile: "jobs/test-vllm-agent-tools-e2e/Dockerfile", context: "." } } } });
  });
});

describe("debug", () => {
  it("recreates the failed suite's pod held open: the run's commit and env inside; gone after the deadline", async () => {
    const run = await runJson(["-c", DEMO, "run", "fails-on-purpose"]);
    expect(run.code, run.stderr).toBe(1);
    const commit = run.result.suites[0]?.commit ?? "";
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const d = startCli(["-c", DEMO, "debug", "fails-on-purpose", "--run", run.result.runId, "--deadline", "30s"]);
    let out = "";
    d.child.stdout?.on("data", (b: Buffer) => (out += b.toString()));
    await waitForOutput(() => out, /kubectl exec -it -n \S+ \S+ -c test-runner -- \/bin\/sh/, 180_000);
    const pod = /kubectl exec -it -n \S+ (\S+) -c/.exec(out)?.[1] ?? "";
    const inside = kubectl("exec", pod, "-c", "test-runner", "--", "sh", "-c", "git rev-parse HEAD; echo ORCHESTRATOR_HOST=$ORCHESTRATOR_HOST");
    console.log(`[debug] ${out.trim()}\n[debug] inside ${pod}:\n${inside}`);
    expect(inside).toBe(`${commit}\nORCHESTRATOR_HOST=orchestrator.incluster-demo.svc.cluster.local\n`);
    const r = await d.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`deleted pod/${pod}`);
    const gone = async () => (await admin().list("pods", NAMESPACE, { fieldSelector: `metadata.name=${pod}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
    expect(await gone()).toEqual([]);
  }, 420_000);
});

describe("diagnosis and preflight", () => {
  const gitSource = `  git:\n    url: ${GIT_URL}\n    ref: main\n    image: ${CLONE_IMAGE}\n`;

  it("a typo in a Service host: the hint names the env entry and suggests the Service", async () => {
    const suite = `dns-${nonce()}`;
    const cfg = writeConfig("dns", config({ source: gitSource, suites: `  ${suite}:\n    image: ${IMAGE}\n    test: tests/e2e/test_services.py\n`, env: "    ORCHESTRATOR_HOST: orchestrater.incluster-demo.svc.cluster.local\n    ORCHESTRATOR_PORT: \"50055\"\n    CONTEXT_HOST: context.incluster-demo.svc.cluster.local\n    CONTEXT_PORT: \"50054\"\n" }));
    const r = await runJson(["-c", cfg, "run", suite]);
    expect(r.code, r.stderr).toBe(1);
    const hint = r.result.suites[0]?.hint ?? "";
    console.log(`[dns] hint: ${hint}`);
    expect(hint).toContain('env ORCHESTRATOR_HOST names host orchestrater.incluster-demo.svc.cluster.local, but namespace incluster-demo has no Service "orchestrater"');
    expect(hint).toContain('did you mean "orchestrator" (orchestrator.incluster-demo.svc.cluster.local)?');
    expect(r.stderr).toContain("env ORCHESTRATOR_HOST");
  }, 300_000);

  it("run's preflight fails fast on a missing Secret: exit 3 before any Job", async () => {
    const suite = `nosecret-${nonce()}`;
    const secret = `missing-${nonce()}`;
    const cfg = writeConfig("nosecret", config({ source: gitSource, suites: `  ${suite}:\n    image: ${IMAGE}\n    test: tests/e2e/test_services.py\n    env:\n      API_TOKEN: { secretKeyRef: { name: ${secret}, key: token } }\n` }));
    const t0 = Date.now();
    const r = await cli(["-c", cfg, "run", suite]);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`[preflight] exit ${r.code} after ${seconds.toFixed(1)} s:\n${r.stderr.trim()}`);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(secret);
    expect(r.stderr).toContain(`suites.${suite}.env.API_TOKEN`);
    expect(await leftovers(`incluster.dev/suite=${suite}`)).toEqual([]);
    expect(seconds).toBeLessThan(15);
  }, 120_000);

  it("doctor catches the four blind spots: not a git repo, an unpullable clone image, an unpullable base image, a missing Secret and Service", async () => {
    const notRepo = join(work, "not-a-repo");
    mkdirSync(notRepo, { recursive: true });
    const cfg = writeConfig(
      "doctor",
      config({
        source: `  local:\n    path: ${notRepo}\n    image: 127.0.0.1:5000/incluster/git:no-such-tag\n`,
        image: "127.0.0.1:5000/incluster/python:no-such-tag",
        suites: `  blind:\n    test: tests/e2e/test_services.py\n    env:\n      API_TOKEN: { secretKeyRef: { name: no-such-secret, key: token } }\n`,
        env: "    ORCHESTRATOR_HOST: orchestrater.incluster-demo.svc.cluster.local\n",
      }),
    );
    const r = await cli(["-c", cfg, "doctor"]);
    console.log(`[doctor]\n${r.stdout}`);
    expect(r.code).toBe(3);
    const fails = r.stdout.split("\n").filter((l) => l.startsWith("FAIL"));
    expect(fails).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^FAIL source local: source\.local: .*not-a-repo is not in a git working tree/),
        expect.stringMatching(/^FAIL clone image 127\.0\.0\.1:5000\/incluster\/git:no-such-tag can be pulled: the registry has no/),
        expect.stringMatching(/^FAIL base image \(image\.base\) 127\.0\.0\.1:5000\/incluster\/python:no-such-tag can be pulled: the registry has no/),
        expect.stringMatching(/^FAIL .*no-such-secret.*/),
        expect.stringMatching(/^FAIL suites\.blind\.env\.ORCHESTRATOR_HOST: Service orchestrater exists: .*/),
      ]),
    );
    expect(r.stdout).toContain('did you mean orchestrator.incluster-demo.svc.cluster.local?');
  }, 120_000);
});
