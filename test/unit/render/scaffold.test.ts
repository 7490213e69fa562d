import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { resolveSuite } from "../../../src/config/resolve.js";
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
    expect(file(files, "Dockerfile")).not.toContain("COPY --chown=1000:1000 . /workspace\n\n# The repository is cloned");
  });
});
