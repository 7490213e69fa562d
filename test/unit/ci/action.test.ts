import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { INPUT_NAMES, actionRunOptions, kubeconfigInput, readInputs } from "../../../src/ci/action-inputs.js";
import { OUTPUT_NAMES } from "../../../src/ci/github.js";
import { serviceAccountBinding, serviceAccountOfToken, usesInClusterConfig } from "../../../src/ci/in-cluster.js";
import { UsageError } from "../../../src/errors.js";
import { accessRole } from "../../../src/render/access-role.js";
import { REPO_ROOT } from "../support/fixtures.js";

const read = (p: string) => readFileSync(join(REPO_ROOT, p), "utf8");
const action = parse(read("action.yml")) as { inputs: Record<string, unknown>; outputs: Record<string, unknown>; runs: { using: string; main: string } };

describe("action.yml", () => {
  // GitHub's action metadata schema as SchemaStore publishes it (test/fixtures/schemastore/SOURCE.md).
  // strict: false because the schema uses annotation keywords Ajv does not know (markdownDescription).
  const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(read("test/fixtures/schemastore/github-action.json")));

  it("is valid against SchemaStore's github-action.json", () => {
    expect(validate(action), JSON.stringify(validate.errors, null, 2)).toBe(true);
  });

  it("the schema is not a rubber stamp: an unknown runtime and an unknown key are refused", () => {
    expect(validate({ ...action, runs: { ...action.runs, using: "node21" } })).toBe(false);
    expect(validate({ ...action, input: {} })).toBe(false);
  });

  it("declares exactly the inputs the entry reads and the outputs it writes; runs the committed bundle on node24", () => {
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES]);
    expect(Object.keys(action.outputs)).toEqual([...OUTPUT_NAMES]);
    expect(action.runs).toEqual({ using: "node24", main: "action/index.mjs" });
    expect(read("scripts/build-action.mjs")).toContain('entryPoints: ["src/ci/action-main.ts"]');
    // GitHub clones the ref and runs this file as it is: it must be in git, not ignored like dist/.
    expect(execFileSync("git", ["ls-files", "--error-unmatch", action.runs.main], { cwd: REPO_ROOT, encoding: "utf8" }).trim()).toBe(action.runs.main);
  });
});

describe("the action's inputs", () => {
  const problems = (env: Record<string, string>): string => {
    try {
      readInputs(env);
    } catch (e) {
      if (e instanceof UsageError) return [e.message, ...e.problems].join("\n");
      throw e;
    }
    throw new Error("expected a UsageError");
  };

  it("reads INPUT_* as the runner sets them (hyphens kept, upper case)", () => {
    expect(readInputs({ INPUT_SUITES: " smoke, api  mixed ", "INPUT_FAIL-FAST": "30s", INPUT_RETRIES: "2", INPUT_ALL: "false", "INPUT_REPORT-DIR": "out" })).toEqual({
      suites: ["smoke", "api", "mixed"],
      all: false,
      kubeconfig: { kind: "none" },
      failFast: "30s",
      retries: 2,
      reportDir: "out",
    });
  });

  it("names each bad input and what it expects", () => {
    const text = problems({ INPUT_ALL: "yes", INPUT_TIMEOUT: "soon", INPUT_RETRIES: "-1" });
    expect(text).toContain('with.all: expected true or false, got "yes"');
    expect(text).toContain('with.timeout: expected a duration like 30s, 10m or 1h, got "soon"');
    expect(text).toContain('with.retries: expected a whole number from 0 to 10, got "-1"');
    expect(problems({ INPUT_ALL: "true", INPUT_SUITES: "smoke" })).toContain("not both");
  });

  it("history passes through to run()'s history option, as --history; empty leaves the config's history.store", () => {
    const env = { INPUT_SUITES: "smoke", INPUT_HISTORY: " dir:.incluster/history " };
    const inputs = readInputs(env);
    expect(inputs.history).toBe("dir:.incluster/history");
    expect(actionRunOptions(inputs, { cwd: "/w", env, kubeconfig: "/k" })).toEqual({
      suites: ["smoke"],
      all: false,
      cwd: "/w",
      env,
      kubeconfig: "/k",
      history: "dir:.incluster/history",
    });
    for (const store of ["cluster", "none"]) expect(actionRunOptions(readInputs({ INPUT_HISTORY: store }), { cwd: "/w", env: {} }).history).toBe(store);
    expect(actionRunOptions(readInputs({ INPUT_HISTORY: "" }), { cwd: "/w", env: {} })).not.toHaveProperty("history");
    expect(problems({ INPUT_HISTORY: "s3://bucket" })).toContain('with.history: expected cluster, none or dir:<path> (e.g. dir:.incluster/history), got "s3://bucket"');
  });

  it("every other input to its option, as the CLI's flags", () => {
    const env = { INPUT_ALL: "true", INPUT_NAMESPACE: "e2e", INPUT_TIMEOUT: "10m", "INPUT_FAIL-FAST": "30s", INPUT_RETRIES: "1", "INPUT_REPORT-DIR": "out" };
    expect(actionRunOptions(readInputs(env), { cwd: "/w", env })).toEqual({
      suites: [],
      all: true,
      cwd: "/w",
      env,
      namespace: "e2e",
      timeout: "10m",
      failFast: "30s",
      retries: 1,
      reportDir: "out",
    });
  });

  it("a kubeconfig is a path, or its contents (YAML, JSON or base64) which are kept whole and never echoed", () => {
    const yaml = "apiVersion: v1\nkind: Config\nclusters: []\n";
    expect(kubeconfigInput("")).toEqual({ kind: "none" });
    expect(kubeconfigInput("~/.kube/ci")).toEqual({ kind: "path", path: "~/.kube/ci" });
    expect(kubeconfigInput(yaml)).toEqual({ kind: "contents", text: yaml });
    expect(kubeconfigInput(Buffer.from(yaml).toString("base64"))).toEqual({ kind: "contents", text: yaml });
    expect(kubeconfigInput('{"apiVersion":"v1"}')).toEqual({ kind: "contents", text: '{"apiVersion":"v1"}' });
  });
});

describe("a runner pod's ServiceAccount", () => {
  const token = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`;

  it("is read from the token's sub claim", () => {
    expect(serviceAccountOfToken(token({ sub: "system:serviceaccount:incluster-ci:runner" }))).toEqual({ namespace: "incluster-ci", name: "runner" });
    expect(serviceAccountOfToken(token({ sub: "alice" }))).toBeUndefined();
    expect(serviceAccountOfToken("not a token")).toBeUndefined();
  });

  it("is used only when nothing else names a kubeconfig, as loadKubeConfig decides", () => {
    const pod = { KUBERNETES_SERVICE_HOST: "10.96.0.1" };
    expect(usesInClusterConfig({ env: pod, homeConfigExists: false })).toBe(true);
    expect(usesInClusterConfig({ env: { ...pod, KUBECONFIG: "/k" }, homeConfigExists: false })).toBe(false);
    expect(usesInClusterConfig({ env: pod, homeConfigExists: false, kubeconfigFlag: "/k" })).toBe(false);
    expect(usesInClusterConfig({ env: pod, homeConfigExists: true })).toBe(false);
    expect(usesInClusterConfig({ env: {}, homeConfigExists: false })).toBe(false);
  });

  it("gets a RoleBinding to doctor's Role across namespaces", () => {
    const role = accessRole("incluster-demo", [{ verb: "create", group: "batch", resource: "jobs" }]);
    expect(serviceAccountBinding(role, { namespace: "incluster-ci", name: "runner" })).toMatchObject({
      metadata: { name: "incluster-runner", namespace: "incluster-demo" },
      roleRef: { kind: "Role", name: "incluster-runner" },
      subjects: [{ kind: "ServiceAccount", name: "runner", namespace: "incluster-ci" }],
    });
  });
});
