import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { GUIDE_CONFIG_PATH } from "../support/fixtures.js";
import { GOLDEN_DIR, expectGolden } from "../support/golden.js";
import { runCli } from "../support/run-cli.js";
import { buildProgram } from "../../../src/cli/main.js";
import type { CliContext } from "../../../src/cli/context.js";

function guideRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), "incluster-repo-"));
  writeFileSync(join(dir, "incluster.yaml"), readFileSync(GUIDE_CONFIG_PATH, "utf8"));
  return dir;
}

describe("validate", () => {
  it("prints ok with the number of suites", async () => {
    const r = await runCli(["validate", "-c", GUIDE_CONFIG_PATH], { cwd: tmpdir() });
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe(`ok: 2 suites in ${GUIDE_CONFIG_PATH}\n`);
  });
});

describe("render", () => {
  it("prints the golden YAML, found by walking up from a subfolder", async () => {
    const repo = guideRepo();
    mkdirSync(join(repo, "tests", "e2e"), { recursive: true });
    const r = await runCli(["render", "vllm-agent-tools"], { cwd: join(repo, "tests", "e2e") });
    expect(r.code).toBe(0);
    // The guide's suite is built by incluster: the command shows the content-hash tag `run` would
    // use (renderSuite alone, in the golden, keeps the unbuilt placeholder).
    expect(r.stdout).toMatch(/image: registry\.underpassai\.com\/swe-fleet\/test-vllm-agent-tools-e2e:sha-[0-9a-f]{16}\n\s+imagePullPolicy: IfNotPresent\n/);
    const placeholder = r.stdout.replace(/:sha-[0-9a-f]{16}\n(\s+)imagePullPolicy: IfNotPresent\n/g, ":latest\n$1imagePullPolicy: Always\n");
    expect(placeholder).toBe(readFileSync(join(GOLDEN_DIR, "render", "guide-vllm-agent-tools.yaml"), "utf8"));
  });

  it("prints JSON with -o json and honours -n", async () => {
    const r = await runCli(["-n", "other", "render", "vllm-agent-tools", "-o", "json", "-c", GUIDE_CONFIG_PATH], { cwd: tmpdir() });
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.items.every((o: { metadata: { namespace: string } }) => o.metadata.namespace === "other")).toBe(true);
  });
});

describe("scaffold", () => {
  it("creates, then leaves identical files, then refuses to overwrite a changed one without --force", async () => {
    const repo = guideRepo();
    const first = await runCli(["scaffold", "vllm-agent-tools"], { cwd: repo });
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(
      "created: jobs/test-vllm-agent-tools-e2e/Dockerfile\ncreated: jobs/test-vllm-agent-tools-e2e/run_test.py\ncreated: deploy/k8s/99-test-vllm-agent-tools-e2e.yaml\n",
    );
    expect(readFileSync(join(repo, "jobs/test-vllm-agent-tools-e2e/Dockerfile"), "utf8")).toBe(readFileSync(join(GOLDEN_DIR, "scaffold/vllm-agent-tools/Dockerfile"), "utf8"));

    const again = await runCli(["scaffold", "vllm-agent-tools"], { cwd: repo });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^unchanged: /);

    const dockerfile = join(repo, "jobs/test-vllm-agent-tools-e2e/Dockerfile");
    writeFileSync(dockerfile, "FROM my-own-image\n");
    const refused = await runCli(["scaffold", "vllm-agent-tools"], { cwd: repo });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("jobs/test-vllm-agent-tools-e2e/Dockerfile: differs; rerun with --force to overwrite it");
    expect(readFileSync(dockerfile, "utf8")).toBe("FROM my-own-image\n");

    const forced = await runCli(["scaffold", "vllm-agent-tools", "--force"], { cwd: repo });
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("overwrote: jobs/test-vllm-agent-tools-e2e/Dockerfile");
  });
});

describe("init", () => {
  function gitRepo(): string {
    const dir = mkdtempSync(join(tmpdir(), "incluster-init-"));
    const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, stdio: "ignore" });
    git("init", "-q", "-b", "feature-x");
    git("remote", "add", "origin", "git@github.com:acme/shop.git");
    for (const sub of ["orders", "payments"]) {
      mkdirSync(join(dir, "tests", "e2e", sub), { recursive: true });
      writeFileSync(join(dir, "tests", "e2e", sub, "test_flow.py"), "def test_ok():\n    pass\n");
    }
    writeFileSync(join(dir, "pyproject.toml"), "[project]\nname = 'shop'\n");
    return dir;
  }

  it("writes a valid config from the remote, branch and test folders", async () => {
    const dir = gitRepo();
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const config = parseConfig(readFileSync(join(dir, "incluster.yaml"), "utf8"), "incluster.yaml");
    expect(config.source.git).toEqual({ url: "https://github.com/acme/shop.git", ref: "feature-x" });
    expect(config.suites).toEqual({ orders: { test: "tests/e2e/orders" }, payments: { test: "tests/e2e/payments" } });
    expect(config.defaults?.install).toBe('pip install --user -q -e ".[dev]"');
    // Valid, but validate refuses init's placeholder registry until it is replaced (issue 19).
    const before = await runCli(["validate"], { cwd: dir });
    expect(before.code).toBe(2);
    expect(before.stderr).toContain(`error: ${join(dir, "incluster.yaml")} still has 1 placeholder to replace\n  image.registry: "registry.example.com/`);
    expect(before.stderr).toContain("set the registry your cluster pulls from");
    writeFileSync(join(dir, "incluster.yaml"), readFileSync(join(dir, "incluster.yaml"), "utf8").replace("registry.example.com", "ghcr.io"));
    expect(await runCli(["validate"], { cwd: dir })).toMatchObject({ code: 0, stderr: "" });
  });

  it("names a suite in tests/e2e after the repository, not test-e2e-e2e (issue 19)", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "incluster-init-")), "shop");
    mkdirSync(join(dir, "tests", "e2e"), { recursive: true });
    writeFileSync(join(dir, "tests", "e2e", "test_flow.py"), "def test_ok():\n    pass\n");
    execFileSync("git", ["init", "-q"], { cwd: dir });
    const r = await runCli(["init"], { cwd: dir });
    expect(r.stdout).toContain("(1 suite: shop)");
    const config = parseConfig(readFileSync(join(dir, "incluster.yaml"), "utf8"), "incluster.yaml");
    expect(config.suites).toEqual({ shop: { test: "tests/e2e" } });
  });

  it("never overwrites", async () => {
    const dir = gitRepo();
    writeFileSync(join(dir, "incluster.yaml"), "mine\n");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("already exists; init never overwrites it");
    expect(readFileSync(join(dir, "incluster.yaml"), "utf8")).toBe("mine\n");
  });

  it("writes a valid placeholder config outside a git repository, which validate refuses until both placeholders are replaced", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-nogit-"));
    expect((await runCli(["init"], { cwd: dir })).code).toBe(0);
    const r = await runCli(["validate"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ {2}image\.registry: .* is a placeholder/m);
    expect(r.stderr).toMatch(/^ {2}source\.git\.url: "https:\/\/example\.com\/your-org\/.*" is a placeholder/m);
    // run refuses it the same way, before any contact (the API server here would refuse it too).
    writeFileSync(join(dir, "kubeconfig"), 'apiVersion: v1\nkind: Config\nclusters: [{ name: c, cluster: { server: "https://127.0.0.1:1" } }]\nusers: [{ name: u, user: { token: t } }]\ncontexts: [{ name: x, context: { cluster: c, user: u } }]\ncurrent-context: x\n');
    const run = await runCli(["--kubeconfig", join(dir, "kubeconfig"), "run"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("error: the config still has 2 placeholders to replace");
  });
});

describe("help", () => {
  it.each(["init", "validate", "render", "scaffold", "build", "import", "debug", "doctor", "run", "dev"])("%s --help: exit 0, summary and commented examples (golden)", async (command) => {
    const r = await runCli([command, "--help"], { cwd: tmpdir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("\nExamples:\n  # ");
    expectGolden(`help/${command}.txt`, r.stdout);
  });

  it("no description line is broken mid-paragraph: commander would wrap a line past 80 columns where it stands", () => {
    const { program } = buildProgram(() => ({}) as CliContext);
    const broken: string[] = [];
    for (const cmd of program.commands) {
      const lines = cmd.description().split("\n");
      // A long line is fine alone (commander wraps it as one paragraph); followed by more of its paragraph, it leaves a stray break.
      lines.forEach((l, i) => {
        if (l.length > 80 && (lines[i + 1] ?? "") !== "") broken.push(`${cmd.name()}: ${l}`);
      });
    }
    expect(broken).toEqual([]);
  });
});
