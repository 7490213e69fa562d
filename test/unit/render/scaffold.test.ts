import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { resolveSuite, type ResolvedSuite } from "../../../src/config/resolve.js";
import { scaffoldSuite } from "../../../src/render/scaffold.js";
import { expectGolden } from "../support/golden.js";
import { guideConfig, imageSourceConfig, variantsConfig } from "../support/fixtures.js";

const guideFiles = () => scaffoldSuite(resolveSuite(guideConfig(), "vllm-agent-tools"), { baseImage: "python:3.13-slim" });
const file = (files: { path: string; content: string }[], suffix: string) => files.find((f) => f.path.endsWith(suffix))?.content ?? "";

describe("scaffold", () => {
  it("writes the guide's layout", () => {
    expect(guideFiles().map((f) => f.path)).toEqual([
      "jobs/test-vllm-agent-tools-e2e/Dockerfile",
      "jobs/test-vllm-agent-tools-e2e/run_test.py",
      "deploy/k8s/99-test-vllm-agent-tools-e2e.yaml",
    ]);
  });

  it.each(["Dockerfile", "run_test.py", "99-test-vllm-agent-tools-e2e.yaml"])("golden: %s", (name) => {
    expectGolden(`scaffold/vllm-agent-tools/${name}`, file(guideFiles(), name));
  });

  it("the manifest parses into 4 objects, the Job named test-<suite>-e2e running the baked runner", () => {
    const docs = parseAllDocuments(file(guideFiles(), ".yaml"));
    expect(Array.isArray(docs)).toBe(true);
    const objects = (docs as { errors: unknown[]; toJS(): { kind: string; metadata: { name: string }; spec?: unknown } }[]).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    expect(objects.map((o) => o.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "Job"]);
    const job = objects[3] as { metadata: { name: string }; spec: { template: { spec: { containers: { command: string[]; args?: unknown }[] } } } };
    expect(job.metadata.name).toBe("test-vllm-agent-tools-e2e");
    expect(job.spec.template.spec.containers[0]?.command).toEqual(["python", "/app/run_test.py"]);
    expect(job.spec.template.spec.containers[0]?.args).toBeUndefined();
  });

  it.each([
    ["pytest suite", () => guideFiles()],
    ["command suite", () => scaffoldSuite(resolveSuite(variantsConfig(), "web"), { baseImage: "python:3.13-slim" })],
  ])("run_test.py compiles: %s", (_name, files) => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-py-"));
    const path = join(dir, "run_test.py");
    writeFileSync(path, file(files(), "run_test.py"));
    execFileSync("python3", ["-m", "py_compile", path]);
  });

  it("bakes the code into the image for source: image", () => {
    const files = scaffoldSuite(resolveSuite(imageSourceConfig(), "baked"), { baseImage: "python:3.12-slim" });
    expect(file(files, "Dockerfile")).toContain("FROM python:3.12-slim");
    expect(file(files, "Dockerfile")).toContain("COPY --chown=1000:1000 . /workspace");
    expect(file(files, "Dockerfile")).toContain("# The repository is copied here");
  });
});

describe("scaffolded run_test.py, run for real", () => {
  function runner(suite: ResolvedSuite): { run(workspaceFiles: Record<string, string>): { code: number; output: string } } {
    const script = file(scaffoldSuite(suite, { baseImage: "python:3.13-slim" }), "run_test.py");
    return {
      run(workspaceFiles) {
        const dir = mkdtempSync(join(tmpdir(), "incluster-runner-"));
        const workspace = join(dir, "workspace");
        for (const [path, content] of Object.entries(workspaceFiles)) {
          mkdirSync(dirname(join(workspace, path)), { recursive: true });
          writeFileSync(join(workspace, path), content);
        }
        writeFileSync(join(dir, "run_test.py"), script);
        const r = spawnSync("python3", [join(dir, "run_test.py")], {
          encoding: "utf8",
          env: { ...process.env, WORKSPACE: workspace, NO_COLOR: "1", API_TOKEN: "s3cret", API_URL: "http://api" },
        });
        return { code: r.status ?? -1, output: r.stdout + r.stderr };
      },
    };
  }
  const base = () => resolveSuite(variantsConfig(), "isolated");

  it("passes with the test's exit code 0 and hides secret values", () => {
    const r = runner({ ...base(), install: undefined }).run({ "tests/e2e/test_isolated.py": "def test_ok():\n    assert True\n" });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain("API_URL: http://api");
    expect(r.output).toContain("API_TOKEN: (hidden)");
    expect(r.output).not.toContain("s3cret");
    expect(r.output).toContain("✅ Test PASSED");
  });

  it("fails with pytest's exit code", () => {
    const r = runner({ ...base(), install: undefined }).run({ "tests/e2e/test_isolated.py": "def test_no():\n    assert False\n" });
    expect(r.code).toBe(1);
    expect(r.output).toContain("❌ Test FAILED with exit code 1");
  });

  it("stops with 1 when the install fails, and when the workspace is empty", () => {
    expect(runner({ ...base(), install: "exit 7" }).run({ "x.txt": "" })).toMatchObject({ code: 1, output: expect.stringContaining("Failed to install dependencies (exit code 7)") });
    expect(runner(base()).run({}).code).toBe(1);
  });

  it("runs a command suite's argv", () => {
    const r = runner({ ...base(), runner: { kind: "command", argv: ["sh", "-c", "exit 5"] } }).run({ "x.txt": "" });
    expect(r.code).toBe(5);
  });
});
