import { describe, expect, it } from "vitest";
import { applyOverrides, resolveOverrides } from "../../../src/config/overrides.js";
import { listSuites, pullPolicy, resolveSuite } from "../../../src/config/resolve.js";
import { UsageError } from "../../../src/errors.js";
import { guideConfig, imageSourceConfig, variantsConfig } from "../support/fixtures.js";

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("resolveSuite", () => {
  it("fills the guide's suite from defaults", () => {
    const s = resolveSuite(guideConfig(), "full-architecture-deliberation");
    expect(s).toMatchObject({
      namespace: "swe-ai-fleet",
      image: "registry.underpassai.com/swe-fleet/test-full-architecture-deliberation-e2e:latest",
      imagePullPolicy: "Always",
      source: { kind: "git", ref: "hexagonal-refactor-v2", cloneImage: "docker.io/alpine/git:v2.43.0" },
      runner: { kind: "pytest", test: "tests/e2e/orchestrator/test_full_architecture_deliberation.py" },
      install: 'pip install --user -q -e ".[dev,grpc]"',
      resources: { requests: { cpu: "500m", memory: "2Gi" }, limits: { cpu: "2000m", memory: "4Gi" } },
      timeoutSeconds: 3600,
      ttlSecondsAfterFinished: 3600,
      kubernetesAccess: true,
    });
    expect(resolveSuite(guideConfig(), "vllm-agent-tools").timeoutSeconds).toBe(1800);
  });

  it("uses an explicit image as is and merges env, the suite winning", () => {
    const c = variantsConfig();
    c.suites.web = { ...c.suites.web, env: { API_URL: "http://override" } };
    const s = resolveSuite(c, "web");
    expect(s.image).toBe("docker.io/library/node:22-slim");
    expect(s.imagePullPolicy).toBe("IfNotPresent");
    expect(s.runner).toEqual({ kind: "command", argv: ["npx", "vitest", "run", "tests/e2e"] });
    expect(s.env).toEqual({ API_URL: "http://override", API_TOKEN: "not-printed" });
  });

  it("resolves an image source", () => {
    const s = resolveSuite(imageSourceConfig(), "baked");
    expect(s.source).toEqual({ kind: "image" });
    expect(s.imagePullPolicy).toBe("IfNotPresent");
  });

  it("lists known suites for an unknown one", () => {
    const err = caught(() => resolveSuite(guideConfig(), "nope"));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).problems).toEqual(["known suites: vllm-agent-tools, full-architecture-deliberation"]);
    expect(listSuites(guideConfig())).toHaveLength(2);
  });

  it("treats a 40-hex ref as an exact commit", () => {
    const c = guideConfig();
    const sha = "0123456789abcdef0123456789abcdef01234567";
    c.source = { git: { url: "https://x/r.git", ref: sha } };
    expect(resolveSuite(c, "vllm-agent-tools").source).toMatchObject({ ref: sha, commit: sha });
  });
});

describe("pullPolicy", () => {
  it.each([
    ["r.io/a/b:latest", "Always"],
    ["r.io/a/b", "Always"],
    ["localhost:5000/b", "Always"],
    ["localhost:5000/b:v1", "IfNotPresent"],
    ["r.io/a/b:3f2a9c1", "IfNotPresent"],
    ["r.io/a/b@sha256:abc", "IfNotPresent"],
  ])("%s -> %s", (image, policy) => {
    expect(pullPolicy(image)).toBe(policy);
  });
});

describe("overrides", () => {
  it("prefers the flag over the environment over the file", () => {
    expect(resolveOverrides({ namespaceFlag: "flag-ns", env: { INCLUSTER_NAMESPACE: "env-ns" } })).toEqual({ namespace: "flag-ns" });
    expect(resolveOverrides({ env: { INCLUSTER_NAMESPACE: "env-ns", INCLUSTER_TIMEOUT: "5m" } })).toEqual({ namespace: "env-ns", timeout: "5m" });
    const c = applyOverrides(guideConfig(), { namespace: "other", timeout: "5m" });
    expect(resolveSuite(c, "full-architecture-deliberation")).toMatchObject({ namespace: "other", timeoutSeconds: 300 });
  });

  it("names the source of a bad value", () => {
    const err = caught(() => resolveOverrides({ namespaceFlag: "Bad_NS", env: { INCLUSTER_TIMEOUT: "soon" } }));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).problems).toEqual([
      expect.stringMatching(/^-n\/--namespace: namespace "Bad_NS" must be a DNS-1123 label/),
      'INCLUSTER_TIMEOUT: expected a duration like 30m or 1h, got "soon"',
    ]);
  });
});
