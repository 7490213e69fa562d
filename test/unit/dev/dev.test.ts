// incluster dev's pure parts: the held pod (golden, restricted, the run's pod with a hold), one
// round's command (run in a real sh against a temp workspace), the changed paths' meaning, the
// round's verdict; and the round's tar of the working tree (credential files left out).
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveSuite, type ResolvedSuite } from "../../../src/config/resolve.js";
import { changedTests, imageInputs } from "../../../src/dev/changes.js";
import { DEV_HOLD_SCRIPT, devPod, devPodName } from "../../../src/dev/pod.js";
import { roundVerdict } from "../../../src/dev/round.js";
import { INSTALL_FAILED_EXIT, SYNC_FAILED_EXIT, roundCommand } from "../../../src/dev/round-script.js";
import { yamlOf } from "../../../src/render/format.js";
import { restrictedViolations } from "../../../src/render/pod-security.js";
import { renderJob } from "../../../src/render/job.js";
import { syncArchive } from "../../../src/source/sync.js";
import { expectGolden } from "../support/golden.js";
import { localSourceConfig } from "../support/fixtures.js";

function localSuite(): ResolvedSuite {
  const s = resolveSuite(localSourceConfig(), "smoke");
  if (s.source.kind !== "local") throw new Error("expected a local source");
  return {
    ...s,
    image: "127.0.0.1:5000/team/test-smoke-e2e:sha-0123456789abcdef",
    imagePullPolicy: "IfNotPresent",
    source: {
      ...s.source,
      url: "git://10.244.0.1/sample-app.git",
      commit: "535bb2034f9613bf66d8d16acc1862d1c12e6601",
      overlay: { archiveBase64: Buffer.from("not really a tar").toString("base64"), deleted: [], files: 1, bytes: 16 },
    },
  };
}

type Spec = { containers: { name: string; command?: string[]; env?: unknown; resources?: unknown }[]; initContainers: { name: string }[]; serviceAccountName: string };

describe("the held pod", () => {
  const suite = localSuite();
  const pod = devPod(suite, "k3x9qz", 1800) as unknown as { metadata: { name: string; labels: Record<string, string> }; spec: Spec };
  const job = renderJob(suite, "k3x9qz", { collectVia: "none" });
  const runTest = job.spec.template.spec.containers.find((c) => c.name === "test-runner");

  it("golden", () => expectGolden("render/dev-pod.yaml", yamlOf(pod)));

  it("is the run's pod: same image, env, resources, ServiceAccount; the clone first, the tests replaced by the hold", () => {
    const [hold] = pod.spec.containers;
    expect(pod.spec.containers).toHaveLength(1);
    expect(hold?.name).toBe("test-runner");
    expect(hold?.env).toEqual(runTest?.env);
    expect(hold?.resources).toEqual(runTest?.resources);
    expect(pod.spec.serviceAccountName).toBe(job.spec.template.spec.serviceAccountName);
    expect(pod.spec.initContainers.map((c) => c.name)).toEqual(["clone-repo"]);
    expect(hold?.command?.slice(-1)).toEqual(["1800"]);
  });

  it("passes Pod Security restricted, and clean finds it by its labels", () => {
    expect(restrictedViolations(pod.spec as never)).toEqual([]);
    expect(pod.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "incluster", "incluster.dev/run-id": "k3x9qz", "incluster.dev/dev-of": "smoke" });
    expect(pod.metadata.name).toBe(devPodName("smoke", "k3x9qz"));
    expect(pod.metadata.name.length).toBeLessThanOrEqual(63);
  });

  it("the hold ends once no round touched the marker for the idle deadline, and at once on SIGTERM", () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-dev-hold-"));
    try {
      const script = DEV_HOLD_SCRIPT.replaceAll("/incluster/", `${dir}/`).replace("sleep 2", "sleep 0.1");
      // Whole seconds (stat %Y): 2 s idle is over after more than 1 s.
      const t0 = Date.now();
      const r = spawnSync("/bin/sh", ["-c", script, "hold", "2"], { timeout: 10_000 });
      expect(r.status).toBe(0);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
      const t1 = Date.now();
      const term = spawnSync("/bin/sh", ["-c", `(sleep 0.3; kill -TERM $$) & ${script}`, "hold", "100"], { timeout: 10_000 });
      expect(term.status).toBe(0);
      expect(Date.now() - t1).toBeLessThan(2000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("a round's command, run by sh in a temp workspace", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  // The script's fixed paths, moved under a temp dir: /workspace and /incluster.
  const runIn = (suite: ResolvedSuite, plan: Parameters<typeof roundCommand>[1], stdin?: Buffer) => {
    // No "incluster" in the temp dir's name: the script's paths are replaced by name.
    const root = mkdtempSync(join(tmpdir(), "dev-round-"));
    dirs.push(root);
    mkdirSync(join(root, "workspace"));
    mkdirSync(join(root, "incluster"));
    writeFileSync(join(root, "workspace/old.txt"), "old");
    const argv = roundCommand(suite, plan);
    const script = (argv[2] ?? "").replaceAll("/workspace", join(root, "workspace")).replaceAll("/incluster", join(root, "incluster"));
    const r = spawnSync("/bin/sh", ["-c", script, ...argv.slice(3)], { input: stdin ?? Buffer.alloc(0) });
    return { root, code: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
  };
  const command = (argv: string[], install = ""): ResolvedSuite => ({ ...localSuite(), install, runner: { kind: "command", argv }, junit: "report.xml" });

  it("unpacks the tar, removes the deleted files, runs the command with its output on stderr and prints the report on stdout", () => {
    const src = mkdtempSync(join(tmpdir(), "incluster-dev-src-"));
    dirs.push(src);
    writeFileSync(join(src, "new.txt"), "new");
    const archive = execFileSync("tar", ["-cf", "-", "-C", src, "new.txt"]);
    const r = runIn(command(["sh", "-c", 'cat new.txt; echo "<r/>" > "$0"; exit 1', "../incluster/artifacts/report.xml"]), { tar: true, deleted: ["old.txt"], reportFile: "report.xml" }, archive);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("<r/>\n");
    expect(r.stderr).toContain("new");
    expect(existsSync(join(r.root, "workspace/old.txt"))).toBe(false);
    expect(readFileSync(join(r.root, "workspace/new.txt"), "utf8")).toBe("new");
  });

  it("runs the install line once per pod; a failed one is its own exit code", () => {
    const ok = runIn(command(["true"], "echo installed"), { tar: false, deleted: [] });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain("installed");
    expect(runIn(command(["true"], "exit 7"), { tar: false, deleted: [] }).code).toBe(INSTALL_FAILED_EXIT);
  });

  it("a tar that cannot be unpacked is the sync's exit code, not a runner's", () => {
    expect(runIn(command(["true"]), { tar: true, deleted: [] }, Buffer.from("not a tar".repeat(100))).code).toBe(SYNC_FAILED_EXIT);
  });

  it("pytest: only the changed files when asked", () => {
    const suite = { ...localSuite(), runner: { kind: "pytest" as const, test: "tests/" } };
    expect(roundCommand(suite, { tar: false, deleted: [], only: ["tests/test_a.py"] })[2]).toContain("pytest tests/test_a.py");
    expect(roundCommand(suite, { tar: false, deleted: [] })[2]).toContain("pytest tests/");
  });
});

describe("what the changed paths mean", () => {
  it("the config, the suite's Dockerfile and dependency manifests make the pod stale; code does not", () => {
    const facts = { configFile: "incluster.yaml", dockerfile: "docker/Test.dockerfile" };
    expect(imageInputs(["src/app.py", "tests/test_x.py"], facts)).toEqual([]);
    expect(imageInputs(["incluster.yaml", "src/app.py"], facts)).toEqual(["incluster.yaml"]);
    expect(imageInputs(["requirements-dev.txt", "web/package-lock.json", "go.sum", "Dockerfile", "docker/Test.dockerfile"], facts)).toEqual([
      "Dockerfile", "docker/Test.dockerfile", "go.sum", "requirements-dev.txt", "web/package-lock.json",
    ]);
  });

  it("--changed: the test files inside the target", () => {
    const changed = ["tests/e2e/test_a.py", "tests/e2e/b_test.py", "tests/e2e/helpers.py", "other/test_c.py", "tests/e2e/test_a.py"];
    expect(changedTests(changed, "tests/e2e")).toEqual(["tests/e2e/b_test.py", "tests/e2e/test_a.py"]);
    expect(changedTests(changed, "tests/e2e/test_a.py::test_one")).toEqual(["tests/e2e/test_a.py"]);
    expect(changedTests(changed, ".")).toEqual(["other/test_c.py", "tests/e2e/b_test.py", "tests/e2e/test_a.py"]);
  });
});

describe("the round's verdict", () => {
  it("by the exec's exit code, never its text", () => {
    expect(roundVerdict(0, undefined)).toEqual({ verdict: "passed", exitCode: 0 });
    expect(roundVerdict(1, undefined)).toMatchObject({ verdict: "failed", exitCode: 1, class: "testsFailed" });
    expect(roundVerdict(INSTALL_FAILED_EXIT, undefined)).toMatchObject({ verdict: "failed", class: "installFailed" });
    expect(roundVerdict(SYNC_FAILED_EXIT, undefined)).toMatchObject({ verdict: "couldNotRun", exitCode: 3 });
    expect(roundVerdict(undefined, { status: 403, message: "forbidden" })).toMatchObject({ verdict: "couldNotRun", class: "forbidden", message: "forbidden" });
  });
});

describe("the round's files", () => {
  it("one tar of the changed files, deletions listed, credential files left out", () => {
    const top = mkdtempSync(join(tmpdir(), "incluster-dev-sync-"));
    try {
      mkdirSync(join(top, "tests/new"), { recursive: true });
      writeFileSync(join(top, "app.py"), "print(1)\n");
      writeFileSync(join(top, "tests/new/test_n.py"), "def test_n(): pass\n");
      writeFileSync(join(top, ".env"), "TOKEN=x\n");
      const s = syncArchive(top, ["app.py", "tests/new", ".env", "gone.py"]);
      expect(s.written).toEqual(["app.py", "tests/new/test_n.py"]);
      expect(s.deleted).toEqual(["gone.py"]);
      expect(s.note).toContain(".env");
      const listed = execFileSync("tar", ["-tf", "-"], { input: s.archive }).toString().split("\n").filter(Boolean);
      expect(listed).toEqual(["app.py", "tests/new/test_n.py"]);
      expect(syncArchive(top, []).archive).toBeUndefined();
      // The digest says what the pod holds once sent: the same bytes again are the same, an edit
      // or the executable bit is not (dev skips a round whose paths all match what it sent).
      const d = (p: string) => syncArchive(top, [p]).digests[p];
      const before = d("app.py");
      writeFileSync(join(top, "app.py"), "print(1)\n");
      expect(d("app.py")).toBe(before);
      writeFileSync(join(top, "app.py"), "print(2)\n");
      expect(d("app.py")).not.toBe(before);
      writeFileSync(join(top, "app.py"), "print(1)\n", { mode: 0o755 });
      chmodSync(join(top, "app.py"), 0o755);
      expect(d("app.py")).not.toBe(before);
    } finally {
      rmSync(top, { recursive: true, force: true });
    }
  });
});

describe("a round through the port (a hand-written fake cluster)", () => {
  const junit = readFileSync(join(import.meta.dirname, "../fixtures/junit/pytest-xunit1.xml"), "utf8");

  it("one exec in the test container, the tar on its stdin; the report on stdout becomes the tests, the exit code the verdict", async () => {
    const { FakeCluster } = await import("../support/fake-cluster.js");
    const { runRound } = await import("../../../src/dev/round.js");
    const port = new FakeCluster();
    const stdins: boolean[] = [];
    port.execAnswer = async (req, stdout) => {
      stdins.push(Boolean(req.stdin));
      stdout.write(junit);
      return { exitCode: 1 };
    };
    const bodies: { type: string }[] = [];
    const suite = { ...localSuite(), runner: { kind: "pytest" as const, test: "tests/" }, junit: "junit.xml" };
    const r = await runRound({ port, suite, namespace: "ns", pod: "p-dev", archive: Buffer.from("tar"), deleted: [], emit: (b) => bodies.push(b), now: Date.now });
    expect(port.execs.map((e) => [e.req.pod, e.req.container])).toEqual([["p-dev", "test-runner"]]);
    expect(stdins).toEqual([true]);
    expect(r).toMatchObject({ verdict: "failed", exitCode: 1, testExitCode: 1, pods: ["p-dev"] });
    expect(r.tests?.length).toBeGreaterThan(0);
    expect(r.tests?.some((t) => t.status === "failed")).toBe(true);
  });
});
