import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findConfigFile, loadConfig } from "../../../src/config/load.js";
import { UsageError } from "../../../src/errors.js";
import { VARIANTS_YAML } from "../support/fixtures.js";

function repo(): string {
  const root = mkdtempSync(join(tmpdir(), "incluster-load-"));
  writeFileSync(join(root, "incluster.yaml"), VARIANTS_YAML);
  mkdirSync(join(root, "a", "b"), { recursive: true });
  return root;
}

describe("loadConfig", () => {
  it("walks up from the working directory", () => {
    const root = repo();
    expect(findConfigFile(join(root, "a", "b"))).toBe(join(root, "incluster.yaml"));
    expect(loadConfig({ cwd: join(root, "a", "b"), env: {} }).config.namespace).toBe("demo");
  });

  it("takes -c over INCLUSTER_CONFIG over walking up", () => {
    const root = repo();
    writeFileSync(join(root, "other.yaml"), VARIANTS_YAML.replace("namespace: demo", "namespace: other"));
    writeFileSync(join(root, "env.yaml"), VARIANTS_YAML.replace("namespace: demo", "namespace: from-env"));
    expect(loadConfig({ cwd: root, env: { INCLUSTER_CONFIG: "env.yaml" }, configFlag: "other.yaml" }).config.namespace).toBe("other");
    expect(loadConfig({ cwd: root, env: { INCLUSTER_CONFIG: "env.yaml" } }).config.namespace).toBe("from-env");
  });

  it("applies -n over INCLUSTER_NAMESPACE over the file", () => {
    const root = repo();
    expect(loadConfig({ cwd: root, env: { INCLUSTER_NAMESPACE: "env-ns" } }).config.namespace).toBe("env-ns");
    expect(loadConfig({ cwd: root, env: { INCLUSTER_NAMESPACE: "env-ns" }, namespaceFlag: "flag-ns" }).config.namespace).toBe("flag-ns");
  });

  it("says where to get a config when none is found", () => {
    const empty = mkdtempSync(join(tmpdir(), "incluster-none-"));
    expect(() => loadConfig({ cwd: empty, env: {} })).toThrow(/no incluster\.yaml in .* or any parent directory/);
    expect(() => loadConfig({ cwd: empty, env: { INCLUSTER_CONFIG: "missing.yaml" } })).toThrow(UsageError);
    expect(() => loadConfig({ cwd: empty, env: { INCLUSTER_CONFIG: "missing.yaml" } })).toThrow(/\(from INCLUSTER_CONFIG\) does not exist/);
  });
});
