import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { UsageError } from "../../../src/errors.js";
import { toYaml } from "../../../src/render/format.js";
import { restrictedViolations } from "../../../src/render/pod-security.js";
import { objectList, renderSuite } from "../../../src/render/suite.js";
import { referencedObjects, requiredAccess } from "../../../src/run/preflight.js";
import { expectGolden } from "../support/golden.js";

// Issue 24's named pod fields: every one set in defaults, one suite overriding some of them.
const YAML = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
source:
  git: { url: https://example.com/app.git, ref: main }
defaults:
  image: registry.example.com/team/tests:1
  imagePullSecrets: [registry-creds]
  serviceAccount: { name: tests-identity }
  pod:
    labels: { team: payments, "example.com/allow-db": "true" }
    annotations: { sidecar.istio.io/inject: "false", "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" }
    priorityClassName: e2e-low
    runtimeClassName: gvisor
  envFrom:
    - configMapRef: { name: test-settings }
    - secretRef: { name: api-tokens }
      prefix: API_
  volumes:
    - secret: client-tls
      mountPath: /etc/client-tls
      items: [{ key: tls.crt, path: cert.pem }]
    - configMap: test-data
      mountPath: /data
suites:
  everything:
    command: [npx, vitest, run]
  own:
    command: [make, e2e]
    pod: { labels: { team: search } }
    volumes: []
`;

const config = () => parseConfig(YAML, "pod-fields.yaml");

/** The config with `extra` lines appended to the suite "one": its validate problems. */
function problems(extra: string): string[] {
  const text = `apiVersion: incluster.dev/v1alpha1
kind: Config
source: { image: {} }
defaults: { image: registry.example.com/t:1 }
suites:
  one:
    command: [true]
${extra}`;
  try {
    parseConfig(text, "bad.yaml");
  } catch (err) {
    if (err instanceof UsageError) return [...err.problems];
    throw err;
  }
  return [];
}

describe("named pod fields", () => {
  it("renders every field (golden)", () => expectGolden("render/pod-fields.yaml", toYaml(renderSuite(resolveSuite(config(), "everything"), { runId: "k3x9qz" }))));

  it("renders no ServiceAccount, Role or RoleBinding for an existing ServiceAccount", () => {
    const o = renderSuite(resolveSuite(config(), "everything"));
    expect(objectList(o).map((x) => (x as { kind: string }).kind)).toEqual(["Job"]);
    expect(o.job.spec.template.spec.serviceAccountName).toBe("tests-identity");
    expect(requiredAccess("demo", [resolveSuite(config(), "everything")]).map((a) => a.resource)).not.toContain("serviceaccounts");
  });

  it("keeps incluster's labels beside the user's, and passes Pod Security restricted", () => {
    const o = renderSuite(resolveSuite(config(), "everything"), { runId: "abc123" });
    expect(o.job.spec.template.metadata.labels).toMatchObject({ team: "payments", "incluster.dev/run-id": "abc123", app: "test-everything-e2e" });
    expect(restrictedViolations(o.job.spec.template.spec)).toEqual([]);
  });

  it("takes each field from the suite whole when it sets it", () => {
    const s = resolveSuite(config(), "own");
    expect(s.pod).toEqual({ labels: { team: "search" }, annotations: expect.any(Object), priorityClassName: "e2e-low", runtimeClassName: "gvisor" });
    expect(s.volumes).toBeUndefined();
    expect(s.serviceAccount).toBe("tests-identity");
  });

  it("lists what preflight and doctor check exists", () => {
    const refs = referencedObjects([resolveSuite(config(), "everything")]).map((r) => `${r.kind}/${r.name}`);
    expect(refs).toEqual(["configmaps/test-settings", "secrets/api-tokens", "secrets/client-tls", "configmaps/test-data", "secrets/registry-creds", "serviceaccounts/tests-identity"]);
  });
});

describe("validate: named pod fields", () => {
  it.each([
    ["    imagePullSecrets: [Registry_Creds]", "suites.one.imagePullSecrets[0]: expected the name of a Secret"],
    ["    imagePullSecrets: registry-creds", "suites.one.imagePullSecrets: expected a list of Secret names"],
    ["    serviceAccount: { name: My SA }", "suites.one.serviceAccount.name: expected the name of an existing ServiceAccount"],
    ["    serviceAccount: { nmae: ci }", 'suites.one.serviceAccount.nmae: unknown field "nmae" (did you mean "name"?)'],
    ["    pod: { labels: { team: has space } }", "suites.one.pod.labels.team: expected a label value"],
    ["    pod: { labels: { -bad: x } }", "suites.one.pod.labels.-bad: expected a label key"],
    ["    pod: { labels: { team: " + "a".repeat(64) + " } }", "suites.one.pod.labels.team: expected a label value: at most 63"],
    ["    pod: { labels: { app: mine } }", 'suites.one.pod.labels.app: label "app" is set by incluster or the Job controller and cannot be overridden'],
    ["    pod: { labels: { incluster.dev/run-id: x } }", "suites.one.pod.labels.incluster.dev/run-id: label"],
    ["    pod: { annotations: { batch.kubernetes.io/job-completion-index: '1' } }", "suites.one.pod.annotations.batch.kubernetes.io/job-completion-index: annotation"],
    ["    pod: { annotations: { team: 1 } }", "suites.one.pod.annotations.team: expected an annotation value"],
    ["    pod: { priorityClassName: High }", "suites.one.pod.priorityClassName: expected a PriorityClass name"],
    ["    pod: { runtimeClassName: run_sc }", "suites.one.pod.runtimeClassName: expected a RuntimeClass name"],
    ["    pod: { hostNetwork: true }", 'suites.one.pod.hostNetwork: unknown field "hostNetwork"'],
    ["    envFrom: [{ secretRef: { name: a }, configMapRef: { name: b } }]", "suites.one.envFrom[0]: set secretRef or configMapRef, not both"],
    ["    envFrom: [{ prefix: X_ }]", "suites.one.envFrom[0]: set one of secretRef"],
    ["    envFrom: [{ configMapRef: { name: a }, prefix: 1X }]", "suites.one.envFrom[0].prefix: expected a prefix"],
    ["    volumes: [{ secret: tls, mountPath: etc/tls }]", "suites.one.volumes[0].mountPath: expected an absolute path"],
    ["    volumes: [{ secret: tls, mountPath: /workspace/certs }]", "suites.one.volumes[0].mountPath: /workspace/certs collides with /workspace"],
    ["    volumes: [{ configMap: d, mountPath: /incluster }]", "suites.one.volumes[0].mountPath: /incluster collides with /incluster"],
    ["    volumes: [{ secret: a, mountPath: /etc/a }, { configMap: b, mountPath: /etc/a/b }]", "suites.one.volumes[1].mountPath: /etc/a/b collides with volumes[0].mountPath /etc/a"],
    ["    volumes: [{ secret: a, configMap: b, mountPath: /etc/a }]", "suites.one.volumes[0]: set secret or configMap, not both"],
    ["    volumes: [{ secret: a, mountPath: /etc/a, items: [{ key: k, path: ../x }] }]", "suites.one.volumes[0].items[0].path: expected a relative path"],
  ])("%s", (line, expected) => {
    const got = problems(line);
    expect(got.join("\n")).toContain(expected);
  });

  it("checks the same fields in defaults", () => {
    const text = `apiVersion: incluster.dev/v1alpha1
kind: Config
source: { image: {} }
defaults: { image: registry.example.com/t:1, pod: { labels: { component: x } } }
suites: { one: { command: ["true"] } }
`;
    expect(() => parseConfig(text, "d.yaml")).toThrow(UsageError);
    try {
      parseConfig(text, "d.yaml");
    } catch (err) {
      expect((err as UsageError).problems.join("\n")).toContain('defaults.pod.labels.component: label "component"');
    }
  });
});
