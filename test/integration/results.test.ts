// Issue 9 on the real cluster: artifacts out of finished pods (byte-identical, over the limit),
// installFailed, JUnit per test read by an independent consumer, flaky retries, shards.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { DEMO, FAULTS, ROOT, cli, requireCluster, runJson } from "./support/cli.js";

const work = mkdtempSync(join(tmpdir(), "incluster-it-results-"));
beforeAll(() => requireCluster());
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bytes test_artifacts.py writes: sha256 blocks of "incluster-artifact-<n>", cut to size. */
function expectedArtifact(size: number): Buffer {
  const blocks: Buffer[] = [];
  for (let n = 0, len = 0; len < size; n++, len += 32) blocks.push(createHash("sha256").update(`incluster-artifact-${n}`).digest());
  return Buffer.concat(blocks).subarray(0, size);
}
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The commands pytest was started with, from a saved log ("+ python3 -m pytest …"). */
function pytestLines(path: string): string[] {
  return readFileSync(join(ROOT, path), "utf8").split("\n").filter((l) => l.startsWith("+ python3 -m pytest"));
}

describe("artifacts come back from the finished pod", () => {
  it("a 2 MiB file and pytest's JUnit, written by a test that then fails: byte-identical", async () => {
    const r = await runJson(["-c", FAULTS, "run", "artifacts", "-q"]);
    const s = r.result.suites[0]!;
    expect(r.code).toBe(1);
    expect(s.artifacts).toMatchObject({ files: 2, dropped: [], logComplete: true });
    const dir = join(ROOT, s.artifacts!.dir!);
    const big = readFileSync(join(dir, "big.bin"));
    const want = expectedArtifact(2 * 1024 * 1024);
    const junit = readFileSync(join(dir, "junit.xml"), "utf8");
    const logged = /sha256 ([0-9a-f]{64})/.exec(readFileSync(join(ROOT, s.logs["test-runner"]!), "utf8"))?.[1];
    console.log(`[results] artifacts: ${readdirSync(dir).join(", ")}; big.bin ${big.length} bytes sha256 ${sha(big)} (pod said ${logged}); junit.xml ${junit.length} bytes`);
    expect(big.length).toBe(want.length);
    expect(sha(big)).toBe(sha(want));
    expect(sha(big)).toBe(logged);
    expect(junit).toContain('name="test_writes_artifacts_then_fails"');
    expect(s.tests?.map((t) => [t.id, t.status])).toEqual([["tests/e2e/test_artifacts.py::test_writes_artifacts_then_fails", "failed"]]);
  });

  it("over the size limit: what was kept and what was dropped, said plainly", async () => {
    const r = await runJson(["-c", FAULTS, "run", "artifacts-over-limit", "-q"], { INCLUSTER_ARTIFACTS_LIMIT: String(2 * 1024 * 1024) });
    const s = r.result.suites[0]!;
    const note = s.notes.find((n) => n.includes("limit"));
    console.log(`[results] over the limit: ${note}`);
    expect(s.artifacts?.dropped).toEqual(["big.bin"]);
    expect(note).toMatch(/over the 2\.0 MiB limit: kept 1 file\(s\) \([\d.]+ (B|KiB)\), dropped 1: big\.bin/);
    // The JUnit still came back, so the test is still reported.
    expect(s.tests?.length).toBe(1);
  });
});

describe("setup failures are their own class", () => {
  it("an install step that cannot reach its package index: installFailed, exit 3, pip's last lines", async () => {
    const r = await runJson(["-c", FAULTS, "run", "install-fails", "-q"]);
    const s = r.result.suites[0]!;
    console.log(`[results] install: exit ${r.code}, class ${s.class}; ${s.message?.split("\n").slice(-4).join(" | ")}`);
    expect(r.code).toBe(3);
    expect(s).toMatchObject({ verdict: "couldNotRun", class: "installFailed" });
    expect(s.message).toMatch(/127\.0\.0\.1:9|No matching distribution|Could not|ERROR/);
    expect(s.hint).toContain("package index");
  });
});

describe("flaky retries", () => {
  const flakyOnly = () => {
    const demo = parse(readFileSync(DEMO, "utf8")) as { suites: Record<string, unknown> };
    demo.suites = { flaky: { test: "tests/e2e/test_mixed.py::test_flaky_first_attempt", retries: 1 } };
    const file = join(work, "flaky.yaml");
    writeFileSync(file, stringify(demo));
    return file;
  };

  it("a test that fails on attempt 1 only is flaky: exit 0; with --fail-on-flaky exit 1", async () => {
    const cfg = flakyOnly();
    const r = await runJson(["-c", cfg, "run", "flaky", "-q"]);
    const s = r.result.suites[0]!;
    expect(r.code).toBe(0);
    expect(s.tests?.map((t) => [t.id, t.status])).toEqual([["tests/e2e/test_mixed.py::test_flaky_first_attempt", "flaky"]]);
    expect(s.attempts?.map((a) => a.verdict)).toEqual(["failed", "passed"]);
    const strict = await runJson(["-c", cfg, "run", "flaky", "-q", "--fail-on-flaky"]);
    console.log(`[results] flaky: exit ${r.code} (${s.tests?.[0]?.status}); with --fail-on-flaky exit ${strict.code} (${strict.result.suites[0]?.class})`);
    expect(strict.code).toBe(1);
    expect(strict.result.suites[0]).toMatchObject({ verdict: "failed", class: "flaky" });
  });

  it("a real failure with retries: 2 runs exactly 3 attempts, each rerunning only the failed ids", async () => {
    const r = await runJson(["-c", FAULTS, "run", "mixed-retries", "-q"]);
    const s = r.result.suites[0]!;
    const commands = (s.attempts ?? []).map((a) => pytestLines(a.logs["test-runner"]!)[0] ?? "");
    for (const [i, c] of commands.entries()) console.log(`[results] attempt ${i + 1}: ${c}`);
    expect(r.code).toBe(1);
    expect(s.attempts?.length).toBe(3);
    expect(commands[0]).toContain("tests/e2e/test_mixed.py -v");
    expect(commands[1]).toContain("tests/e2e/test_mixed.py::test_fails_on_purpose tests/e2e/test_mixed.py::test_flaky_first_attempt -v");
    expect(commands[2]).toContain("tests/e2e/test_mixed.py::test_fails_on_purpose -v");
    expect(Object.fromEntries((s.tests ?? []).map((t) => [t.name, t.status]))).toEqual({ test_passes: "passed", test_fails_on_purpose: "failed", test_flaky_first_attempt: "flaky" });
  });
});

describe("shards on an Indexed Job", () => {
  it("40 tests, shards: 4: one Indexed Job with 4 pods, every test once, 40 cases in the merged JUnit", async () => {
    const r = await runJson(["-c", FAULTS, "run", "forty-sharded", "-q"]);
    const s = r.result.suites[0]!;
    const ran = new Map<string, number>();
    for (const sh of s.shards ?? []) {
      const log = readFileSync(join(ROOT, s.logs[`test-runner#${sh.index}`]!), "utf8");
      for (const m of log.matchAll(/ran (test_numbered\[\d+\]) on shard (\d)/g)) ran.set(m[1]!, (ran.get(m[1]!) ?? 0) + 1);
    }
    const junit = await cli(["-c", FAULTS, "run", "forty-sharded", "-q", "-o", "junit"]);
    const cases = (junit.stdout.match(/<testcase /g) ?? []).length;
    console.log(`[results] shards: ${s.shards?.length} pods (${s.pods.length} pod names), ${ran.size} distinct tests, max runs per test ${Math.max(...ran.values())}; merged JUnit ${cases} testcases; exit ${r.code}`);
    expect(r.code).toBe(0);
    expect(s.job).toMatch(/^test-forty-sharded-e2e-/);
    expect(new Set(s.pods).size).toBe(4);
    expect(s.shards?.map((x) => x.index)).toEqual([0, 1, 2, 3]);
    expect(ran.size).toBe(40);
    expect([...ran.values()].every((n) => n === 1)).toBe(true);
    expect(s.tests?.length).toBe(40);
    expect(cases).toBe(40);
  });
});

describe("the demo's JUnit, read by an independent consumer", () => {
  it("junitparser counts tests, failures and flaky; each failed id with its message", async () => {
    const r = await cli(["-c", DEMO, "run", "--all", "-q", "-o", "junit"]);
    const file = join(work, "demo-junit.xml");
    writeFileSync(file, r.stdout);
    execFileSync("python3", ["-m", "venv", join(work, "venv")], { stdio: "pipe" });
    const python = join(work, "venv", "bin", "python");
    execFileSync(python, ["-m", "pip", "install", "-q", "--disable-pip-version-check", "junitparser==5.0.3"], { stdio: "pipe", timeout: 120_000 });
    const read = JSON.parse(execFileSync(python, [join(ROOT, "test/unit/report/consumer/read_junit.py"), file], { encoding: "utf8" })) as { total: Record<string, number>; failed: [string, string, string][]; flaky: [string, string, string[]][] };
    console.log(`[results] demo JUnit (exit ${r.code}): ${JSON.stringify(read.total)}`);
    for (const [c, n, m] of read.failed) console.log(`[results]   failed ${c} ${n}: ${m}`);
    for (const [c, n, m] of read.flaky) console.log(`[results]   flaky  ${c} ${n}: ${m.join("; ")}`);
    expect(r.code).toBe(1);
    expect(read.total.failures).toBe(2);
    expect(read.total.flaky).toBe(1);
    expect(read.failed.map(([, n]) => n).sort()).toEqual(["test_fails_on_purpose", "test_fails_on_purpose"]);
  });
});

describe("without pods/exec", () => {
  it("the run goes on, small artifacts come back through the collector's log, and the summary says what did not", async () => {
    const { ADMIN_KUBECONFIG, KUBECTL, LIMITED_KUBECONFIG, NAMESPACE } = await import("./support/cli.js");
    const d = await cli(["--kubeconfig", LIMITED_KUBECONFIG, "-c", FAULTS, "doctor"]);
    const role = parse(d.stdout.slice(d.stdout.indexOf("apiVersion: rbac.authorization.k8s.io/v1"))) as { metadata: { name: string }; rules: { resources: string[] }[] };
    // Everything doctor asks for, except pods/exec.
    role.rules = role.rules.map((r) => ({ ...r, resources: r.resources.filter((x) => x !== "pods/exec") })).filter((r) => r.resources.length > 0);
    role.metadata.name = "incluster-no-exec";
    const kubectl = (input: string, ...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, "-n", NAMESPACE, ...args], { input, encoding: "utf8" });
    try {
      kubectl(stringify(role), "apply", "-f", "-");
      kubectl("", "create", "rolebinding", "incluster-no-exec", "--role", "incluster-no-exec", "--serviceaccount", `${NAMESPACE}:incluster-limited`);
      const r = await runJson(["--kubeconfig", LIMITED_KUBECONFIG, "-c", FAULTS, "run", "artifacts"]);
      const s = r.result.suites[0]!;
      const note = s.notes.find((n) => n.includes("pods/exec"));
      console.log(`[results] without pods/exec: exit ${r.code}; preflight: ${r.stderr.split("\n").find((l) => l.includes("pods/exec"))}; note: ${note}; artifacts ${JSON.stringify(s.artifacts)}`);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/warning: preflight: may create pods\/exec: forbidden/);
      expect(note).toMatch(/artifacts: 1 file\(s\) came back, 1 left in the pod: big\.bin; pods\/exec is forbidden: only files up to 256 KiB come back/);
      expect(readdirSync(join(ROOT, s.artifacts!.dir!))).toEqual(["junit.xml"]);
      expect(s.tests?.map((t) => t.status)).toEqual(["failed"]);
    } finally {
      kubectl("", "delete", "rolebinding", "incluster-no-exec", "--ignore-not-found");
      kubectl("", "delete", "role", "incluster-no-exec", "--ignore-not-found");
    }
  });
});
