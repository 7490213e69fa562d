// Issue 5 on the real cluster: images built with podman, pushed to the local registry and run by
// their content-hash tag; source modes git (ref -> commit before the Job) and local (the working
// tree, uncommitted and untracked files, without a push). Prints the times it measures.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobObject } from "../../src/render/objects.js";
import { NAMESPACE, ROOT, admin, cli, requireCluster, runJson, savedLog } from "./support/cli.js";
import { startGitHttp } from "./support/git-http.js";
import { loadPodmanEnv } from "./support/podman-env.js";

const GIT_URL = "git://10.244.0.1/sample-app.git";
const BASE = "127.0.0.1:5000/incluster/python:3.11-pytest";
const KUBECTL = process.env.KUBECTL ?? `${process.env.HOME}/.cache/incluster/k8s/v1.34.4/bin/kubectl`;
const work = mkdtempSync(join(tmpdir(), "incluster-it-build-"));
let podmanEnv: Record<string, string> = {};

const DEMO_ENV = `  env:
    ORCHESTRATOR_HOST: orchestrator.incluster-demo.svc.cluster.local
    ORCHESTRATOR_PORT: "50055"
    CONTEXT_HOST: context.incluster-demo.svc.cluster.local
    CONTEXT_PORT: "50054"
`;

function config(o: { registry?: string; source: string; suites: string }): string {
  return `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ${NAMESPACE}
image:
  registry: ${o.registry ?? "127.0.0.1:5000/incluster-it"}
  base: ${BASE}
source:
${o.source}
defaults:
  install: ""
  resources:
    requests: { cpu: 50m, memory: 64Mi }
    limits: { cpu: 500m, memory: 256Mi }
${DEMO_ENV}  ttlSecondsAfterFinished: 600
  timeout: 5m
suites:
${o.suites}`;
}

function writeProject(name: string, files: Record<string, string>): string {
  const dir = join(work, name);
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), text);
  }
  return join(dir, "incluster.yaml");
}

const gitSource = (ref: string) => `  git:\n    url: ${GIT_URL}\n    ref: ${ref}\n    image: 127.0.0.1:5000/incluster/git:2\n`;

/** The run's Jobs as the API has them (only the fields render writes are typed). */
async function jobsOf(selector: string): Promise<JobObject[]> {
  return (await admin().list("jobs", NAMESPACE, { labelSelector: selector })).items as unknown as JobObject[];
}

beforeAll(() => {
  requireCluster();
  podmanEnv = loadPodmanEnv();
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("build -> push -> run, tagged by content", () => {
  // A nonce in the Dockerfile: this test run's tag cannot be in the registry yet (a clean state),
  // while the base layers are shared, so the push stays small.
  const nonce = randomBytes(6).toString("hex");
  const cfg = writeProject("built", {
    "incluster.yaml": config({ source: gitSource("main"), suites: "  built-services:\n    test: tests/e2e/test_services.py\n    build: { dockerfile: jobs/Dockerfile, context: jobs }\n" }),
    "jobs/Dockerfile": `FROM ${BASE}\nLABEL dev.incluster.it-nonce="${nonce}"\nCOPY hello.txt /opt/hello.txt\n`,
    "jobs/hello.txt": "hello\n",
    "jobs/.dockerignore": "*.tmp\n",
  });
  let firstImage = "";

  it("builds, pushes, and the Job runs exactly that tag with IfNotPresent", async () => {
    const t0 = Date.now();
    const r = await runJson(["-c", cfg, "run", "built-services"], podmanEnv);
    const seconds = (Date.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/building with podman from .*jobs\/Dockerfile \(3 context file\(s\)\)/);
    expect(r.stderr).toContain("  | STEP 1/3: FROM");
    expect(r.stderr).toMatch(/built in [\d.]+ s, pushed in [\d.]+ s/);
    const s = r.result.suites[0]!;
    expect(s.image).toMatch(/^127\.0\.0\.1:5000\/incluster-it\/test-built-services-e2e:sha-[0-9a-f]{16}$/);
    firstImage = s.image;
    const [job] = await jobsOf(`incluster.dev/run-id=${r.result.runId}`);
    const c = job?.spec.template.spec.containers.find((x) => x.name === "test-runner");
    expect(c?.image).toBe(s.image);
    expect(c?.imagePullPolicy).toBe("IfNotPresent");
    console.log(`[build-source] first run (build + push + run): ${seconds.toFixed(1)} s; ${r.stderr.match(/built in .*/)?.[0]}; image ${s.image}`);
  });

  it("a second run with nothing changed skips build and push; a change to an ignored file does not count", async () => {
    writeFileSync(join(work, "built/jobs/scratch.tmp"), "ignored by .dockerignore\n");
    const t0 = Date.now();
    const b = await cli(["-c", cfg, "build"], podmanEnv);
    const buildSeconds = (Date.now() - t0) / 1000;
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toBe(`built-services ${firstImage} skipped\n`);
    const t1 = Date.now();
    const r = await runJson(["-c", cfg, "run", "built-services"], podmanEnv);
    const runSeconds = (Date.now() - t1) / 1000;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/already in the registry, build and push skipped \(checked in \d+ ms\)/);
    expect(r.stderr).not.toContain("building with");
    expect(r.result.suites[0]!.image).toBe(firstImage);
    console.log(`[build-source] unchanged: incluster build ${buildSeconds.toFixed(2)} s (${b.stderr.match(/checked in \d+ ms/)?.[0]}), whole run ${runSeconds.toFixed(1)} s`);
  });

  it("a changed context file gives a new tag", async () => {
    writeFileSync(join(work, "built/jobs/hello.txt"), "hello again\n");
    const b = await cli(["-c", cfg, "build"], podmanEnv);
    expect(b.code, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/^built-services 127\.0\.0\.1:5000\/incluster-it\/test-built-services-e2e:sha-[0-9a-f]{16} built\n$/);
    expect(b.stdout).not.toContain(firstImage);
  });
});

describe("source: image, generated Dockerfile", () => {
  it("copies the context into the image; no clone container; the tests run from the image", async () => {
    const dir = join(work, "baked");
    cpSync(join(ROOT, "examples/demo/sample-app"), dir, { recursive: true });
    writeFileSync(join(dir, ".dockerignore"), ".incluster/\n");
    writeFileSync(join(dir, "incluster.yaml"), config({ source: "  image: {}\n", suites: "  baked:\n    test: tests/e2e/test_services.py\n" }));
    const r = await runJson(["-c", join(dir, "incluster.yaml"), "run", "baked"], podmanEnv);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/from generated Dockerfile \(\d+ context file\(s\)\)|already in the registry/);
    const [job] = await jobsOf(`incluster.dev/run-id=${r.result.runId}`);
    // Only the collector sidecar: no clone container.
    expect(job?.spec.template.spec.initContainers?.map((c) => c.name)).toEqual(["incluster-collector"]);
    expect(job?.spec.template.spec.containers.map((c) => c.name)).toEqual(["test-runner"]);
    expect(job?.spec.template.spec.containers[0]?.image).toMatch(/test-baked-e2e:sha-[0-9a-f]{16}$/);
  });
});

describe("source: git", () => {
  const pinned = execFileSync("git", ["ls-remote", GIT_URL, "refs/heads/main"], { encoding: "utf8" }).split(/\s/)[0] ?? "";

  it("a pinned commit: the pod checks out that commit and the JSON names it", async () => {
    const cfg = writeProject("pinned", { "incluster.yaml": config({ source: gitSource(pinned), suites: "  pinned:\n    test: tests/e2e/test_services.py\n    image: " + BASE + "\n" }) });
    const r = await runJson(["-c", cfg, "run", "pinned"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result.suites[0]!.commit).toBe(pinned);
    expect(savedLog(r.result, "pinned", "clone-repo")).toContain(`Checked out ${pinned.slice(0, 7)}`);
  });

  it("a branch name is resolved to its commit before the Job, and the Job pins it", async () => {
    const cfg = writeProject("branch", { "incluster.yaml": config({ source: gitSource("v1"), suites: "  by-tag:\n    test: tests/e2e/test_services.py\n    image: " + BASE + "\n" }) });
    const r = await runJson(["-c", cfg, "run", "by-tag"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`source: ${GIT_URL} ref v1 is commit ${pinned}`);
    expect(r.result.suites[0]!.commit).toBe(pinned);
    const [job] = await jobsOf(`incluster.dev/run-id=${r.result.runId}`);
    expect(job?.spec.template.spec.containers.find((c) => c.name === "clone-repo")?.env).toContainEqual({ name: "GIT_COMMIT", value: pinned });
  });

  it("a ref that does not exist fails before any Job is created, naming the ref (exit 3)", async () => {
    const suite = `missing-ref-${randomBytes(3).toString("hex")}`;
    const cfg = writeProject("missing", { "incluster.yaml": config({ source: gitSource("no-such-branch-xyz"), suites: `  ${suite}:\n    test: tests/e2e/test_services.py\n    image: ${BASE}\n` }) });
    const r = await cli(["-c", cfg, "run", suite]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`ref "no-such-branch-xyz" does not exist in ${GIT_URL}`);
    expect(r.stderr).toContain("git ls-remote");
    expect(await jobsOf(`incluster.dev/suite=${suite}`)).toEqual([]);
  });
});

describe("source: local", () => {
  const repo = join(work, "scratch-repo");
  const state = () => ({
    status: execFileSync("git", ["--no-optional-locks", "status", "--porcelain", "--untracked-files=all"], { cwd: repo, encoding: "utf8" }),
    stash: execFileSync("git", ["stash", "list"], { cwd: repo, encoding: "utf8" }),
    head: execFileSync("git", ["rev-parse", "HEAD"], { cwd: repo, encoding: "utf8" }),
    index: createHash("sha256").update(readFileSync(join(repo, ".git/index"))).digest("hex"),
  });

  it("runs the working tree: an uncommitted edit that fails a passing test, an untracked test, a deletion; the repository is untouched", async () => {
    execFileSync("git", ["clone", "-q", GIT_URL, repo]);
    // Uncommitted edit: the sleep test (passes in the pushed commit) now fails.
    const sleepTest = join(repo, "tests/e2e/test_sleep.py");
    writeFileSync(sleepTest, readFileSync(sleepTest, "utf8").replace('print("woke up", flush=True)', 'print("woke up", flush=True)\n    assert False, "edited locally, never committed"'));
    // Untracked new test, which also checks that a file deleted locally is gone in the pod.
    writeFileSync(join(repo, "tests/e2e/test_untracked.py"), 'import os\n\ndef test_untracked():\n    assert not os.path.exists("tests/e2e/test_many_lines.py")\n    print("untracked test ran")\n');
    rmSync(join(repo, "tests/e2e/test_many_lines.py"));
    // An ignored file that must not travel (the new .gitignore itself is untracked and does).
    writeFileSync(join(repo, ".gitignore"), "*.secret\n");
    writeFileSync(join(repo, "local.secret"), "do not ship\n");
    const cfg = writeProject("local", {
      "incluster.yaml": config({
        source: `  local:\n    path: ${repo}\n    image: 127.0.0.1:5000/incluster/git:2\n`,
        suites: `  local-tree:\n    command: [python3, -m, pytest, tests/e2e/test_sleep.py, tests/e2e/test_untracked.py, -v, -s]\n    image: ${BASE}\n    env: { SLEEP_SECONDS: "0" }\n`,
      }),
    });
    const before = state();
    const r = await runJson(["-c", cfg, "run", "local-tree"]);
    expect(state()).toEqual(before);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/source: local working tree .* = git:\/\/10\.244\.0\.1\/sample-app\.git commit [0-9a-f]{40} \+ overlay of 3 file\(s\) written, 1 deleted \([\d.]+ (B|KiB) compressed\)/);
    const log = savedLog(r.result, "local-tree");
    expect(log).toContain("AssertionError: edited locally, never committed");
    expect(log).toContain("untracked test ran");
    expect(log).toMatch(/test_untracked\.py::test_untracked [^\n]*untracked test ran\s+PASSED/);
    expect(savedLog(r.result, "local-tree", "clone-repo")).toContain("Applied the local overlay: 3 file(s) written, 1 deleted");
    console.log(`[build-source] local: ${r.stderr.match(/overlay of .*compressed\)/)?.[0]}`);
    // The overlay ConfigMap belongs to the Job: the garbage collector removes it with the Job.
    const cms = JSON.parse(execFileSync(KUBECTL, ["-n", NAMESPACE, "get", "configmaps", "-l", `incluster.dev/run-id=${r.result.runId}`, "-o", "json"], { encoding: "utf8", env: { ...process.env, KUBECONFIG: join(ROOT, ".cluster/kubeconfig") } })) as { items: { metadata: { name: string; ownerReferences?: { kind: string; name: string }[] } }[] };
    expect(cms.items.map((c) => c.metadata.ownerReferences?.[0])).toEqual([expect.objectContaining({ kind: "Job", name: r.result.suites[0]!.job })]);
    expect(JSON.stringify(cms)).not.toContain("do not ship");
  });
});

describe("build and push failures exit 3 with the engine's words", () => {
  it("a Dockerfile syntax error", async () => {
    const cfg = writeProject("syntax", {
      "incluster.yaml": config({ source: gitSource("main"), suites: "  broken:\n    test: t\n    build: { dockerfile: Dockerfile }\n" }),
      Dockerfile: `FROM ${BASE}\nFORM oops\n`,
    });
    const r = await cli(["-c", cfg, "run", "broken"], podmanEnv);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/podman build of .* failed \(exit \d+\)/);
    expect(r.stderr).toMatch(/unknown instruction: "?FORM/i);
    expect(r.stderr).toContain("hint:");
  });

  it("a push to an unreachable registry", async () => {
    const cfg = writeProject("unreachable", { "incluster.yaml": config({ registry: "127.0.0.1:1/nowhere", source: gitSource("main"), suites: "  nowhere:\n    test: t\n" }) });
    const r = await cli(["-c", cfg, "build"], podmanEnv);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("could not ask the registry");
    expect(r.stderr).toMatch(/podman push of 127\.0\.0\.1:1\/nowhere\/test-nowhere-e2e:sha-[0-9a-f]{16} failed/);
    expect(r.stderr).toMatch(/connection refused/i);
    expect(r.stderr).toContain("127.0.0.1:1 is reachable");
  });
});

describe("source: git, private repository (credentials from a Secret)", () => {
  const token = `tok-${randomBytes(12).toString("hex")}`;
  const secret = `git-cred-${randomBytes(3).toString("hex")}`;
  const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["-n", NAMESPACE, ...args], { encoding: "utf8", env: { ...process.env, KUBECONFIG: join(ROOT, ".cluster/kubeconfig") } });
  // The CLI's own `git ls-remote` uses the user's git credentials: here a helper given by env.
  const userGit = { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "credential.helper", GIT_CONFIG_VALUE_0: `!f() { echo username=tester; echo password=${token}; }; f` };
  let server: Awaited<ReturnType<typeof startGitHttp>> | undefined;

  beforeAll(async () => {
    const root = join(work, "private-git");
    mkdirSync(root, { recursive: true });
    execFileSync("git", ["clone", "-q", "--bare", GIT_URL, join(root, "app.git")]);
    execFileSync("git", ["-C", join(root, "app.git"), "config", "uploadpack.allowReachableSHA1InWant", "true"]);
    server = await startGitHttp(root, "10.244.0.1", "tester", token);
    kubectl("create", "secret", "generic", secret, "--from-literal=username=tester", `--from-literal=password=${token}`);
  });
  afterAll(async () => {
    await server?.close();
    kubectl("delete", "secret", secret, "--ignore-not-found");
  });

  const privateConfig = (name: string, creds: boolean) =>
    writeProject(name, {
      "incluster.yaml": config({
        source: `  git:\n    url: ${server?.url("app.git")}\n    ref: main\n    image: 127.0.0.1:5000/incluster/git:2\n${creds ? `    credentials: { secretRef: ${secret} }\n` : ""}`,
        suites: `  private:\n    test: tests/e2e/test_services.py\n    image: ${BASE}\n`,
      }),
    });

  it("clones with the token from the Secret; the token is in no output, log or Job spec", async () => {
    const r = await runJson(["-c", privateConfig("private", true), "run", "private"], userGit);
    expect(r.code, r.stderr).toBe(0);
    expect(r.result.suites[0]!.commit).toMatch(/^[0-9a-f]{40}$/);
    const [job] = await jobsOf(`incluster.dev/run-id=${r.result.runId}`);
    expect(job?.spec.template.spec.containers.find((c) => c.name === "clone-repo")?.env).toContainEqual({ name: "GIT_PASSWORD", valueFrom: { secretKeyRef: { name: secret, key: "password" } } });
    for (const text of [JSON.stringify(job), r.stdout, r.stderr, savedLog(r.result, "private", "clone-repo"), savedLog(r.result, "private")]) expect(text).not.toContain(token);
  });

  it("without the Secret reference the pod cannot clone (the server really wants credentials)", async () => {
    const before = server?.refused ?? 0;
    const r = await runJson(["-c", privateConfig("private-nocreds", false), "run", "private"], userGit);
    expect(r.code).toBe(3);
    expect(r.result.suites[0]).toMatchObject({ class: "cloneFailed" });
    expect(server?.refused ?? 0).toBeGreaterThan(before);
  });
});
