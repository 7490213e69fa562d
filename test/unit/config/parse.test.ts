import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { UsageError } from "../../../src/errors.js";
import { guideConfig } from "../support/fixtures.js";

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, "incluster.yaml");
  } catch (e) {
    if (e instanceof UsageError) return [...e.problems];
    throw e;
  }
  throw new Error("expected a UsageError");
}

const HEAD = `apiVersion: incluster.dev/v1alpha1
kind: Config
image: { registry: registry.example.com/team }
source: { git: { url: "https://example.com/r.git", ref: main } }
`;

describe("parseConfig", () => {
  it("parses the guide's example unchanged", () => {
    const c = guideConfig();
    expect(Object.keys(c.suites)).toEqual(["vllm-agent-tools", "full-architecture-deliberation"]);
    expect(c.defaults?.env?.ORCHESTRATOR_PORT).toBe("50055");
  });

  it("reports every problem at once, each with its path", () => {
    const p = problems(`${HEAD}defaults: { timeout: soon }
suites:
  smoke: { test: t, timeout: 1h, resources: { requests: { memory: 512 Mi } } }
  Bad_Name: { test: t }
`);
    expect(p).toEqual([
      'defaults.timeout: expected a duration like 30m or 1h, got "soon" (line 5)',
      'suites.smoke.resources.requests.memory: expected a Kubernetes quantity like 500m, 2Gi or 1.5 (no spaces), got "512 Mi" (line 7)',
      expect.stringMatching(/^suites\.Bad_Name: suite name "Bad_Name" must be lowercase.*try "bad-name" \(line 8\)$/),
    ]);
  });

  it("names unknown fields and a likely typo", () => {
    const p = problems(`${HEAD}suites:\n  smoke: { test: t, tiemout: 1h }\n`);
    expect(p).toEqual([expect.stringMatching(/^suites\.smoke\.tiemout: unknown field "tiemout" \(did you mean "timeout"\?\); allowed here: test, command,/)]);
  });

  it("rejects unknown top-level fields", () => {
    expect(problems(`${HEAD}extra: 1\nsuites: { s: { test: t } }\n`)[0]).toMatch(/^extra: unknown field "extra"; allowed here: apiVersion, kind,/);
  });

  it("reports wrong types in YAML terms", () => {
    const p = problems(`${HEAD}suites:\n  smoke: { test: 42, env: { PORT: 8080 }, kubernetesAccess: "yes", ttlSecondsAfterFinished: 1.5 }\n`);
    expect(p).toEqual([
      "suites.smoke.test: expected a pytest target like tests/e2e/test_x.py::test_y, got 42 (a number) (line 6)",
      // The value is not echoed: it may be a secret.
      'suites.smoke.env.PORT: expected a string value (quote numbers and booleans in YAML: "…") or {secretKeyRef: {name, key}} / {configMapKeyRef: {name, key}}, got a number (line 6)',
      "suites.smoke.ttlSecondsAfterFinished: expected a whole number of seconds, got 1.5 (a number) (line 6)",
      'suites.smoke.kubernetesAccess: expected true or false, got "yes" (line 6)',
    ]);
  });

  it("requires exactly one of test and command", () => {
    expect(problems(`${HEAD}suites:\n  a: { test: t, command: [x] }\n  b: {}\n`)).toEqual([
      "suites.a: set exactly one of test or command, not both (line 6)",
      "suites.b: set exactly one of test (a pytest target) or command (an argv list); neither is set (line 7)",
    ]);
  });

  it("rejects an unknown apiVersion and kind, saying what to write", () => {
    const p = problems(HEAD.replace("v1alpha1", "v2").replace("Config", "Settings") + "suites: { s: { test: t } }\n");
    expect(p[0]).toBe('apiVersion: expected "incluster.dev/v1alpha1", got "incluster.dev/v2"; set apiVersion: incluster.dev/v1alpha1 (line 1)');
    expect(p[1]).toBe('kind: expected "Config", got "Settings"; set kind: Config (line 2)');
  });

  it("gives YAML syntax errors with line and column", () => {
    expect(() => parseConfig("apiVersion: x\nsuites: [\n  a: b", "cfg.yaml")).toThrow(UsageError);
    expect(problems("apiVersion: x\nsuites: [\n  a: b")[0]).toMatch(/^incluster\.yaml:\d+:\d+: YAML syntax error: /);
    expect(problems("a: 1\na: 2\n")[0]).toBe('a: duplicate key "a" at line 2, first at line 1; keep one');
  });

  it("needs an image for every suite", () => {
    const p = problems(`apiVersion: incluster.dev/v1alpha1\nkind: Config\nsource: { image: {} }\nsuites:\n  smoke: { test: t }\n`);
    expect(p).toEqual([expect.stringMatching(/^suites\.smoke\.image: no image to run: set image\.registry/)]);
  });

  it("accepts source.local and wants exactly one source", () => {
    expect(problems(`${HEAD.replace("source: { git", "source: { local: {}, git")}suites: { s: { test: t } }\n`)[0]).toMatch(/^source: set exactly one of git, image or local; got git and local/);
    expect(() => parseConfig(`${HEAD.replace(/source: .*\n/, "source: { local: { path: ., remote: upstream } }\n")}suites: { s: { test: t } }\n`, "x.yaml")).not.toThrow();
    expect(problems(`${HEAD.replace(/source: .*\n/, "source: { local: { remot: upstream } }\n")}suites: { s: { test: t } }\n`)[0]).toMatch(/did you mean "remote"/);
  });

  it("build: not with an explicit image, and only with a registry", () => {
    const p = problems(`apiVersion: incluster.dev/v1alpha1\nkind: Config\nsource: { image: {} }\ndefaults: { image: x/y:1 }\nsuites:\n  a: { test: t, image: x/a:1, build: { dockerfile: D } }\n  b: { test: t, build: {} }\n`);
    expect(p).toEqual([expect.stringMatching(/^suites\.a\.build: set build .* or image .*, not both/), expect.stringMatching(/^suites\.b\.build: build needs image\.registry/)]);
  });

  it("finds the line of a key that contains dots", () => {
    const p = problems(`${HEAD}suites:\n  smoke:\n    test: t\n    resources:\n      limits:\n        nvidia.com/gpu: one\n`);
    expect(p).toEqual(['suites.smoke.resources.limits.nvidia.com/gpu: expected a Kubernetes quantity like 500m, 2Gi or 1.5 (no spaces), got "one" (line 10)']);
  });

  it("rejects an empty file", () => {
    expect(problems("")[0]).toMatch(/^\(top level\): expected a mapping/);
  });
});
