// Issue 24's named pod fields on the project's cluster: a suite runs as an existing ServiceAccount
// (annotated, with its own Role and RoleBinding), reads a mounted Secret file and a ConfigMap
// through envFrom, and carries pod labels, annotations and an imagePullSecrets entry. The live
// pod (admitted under Pod Security "restricted") is checked for each, and no ServiceAccount, Role or RoleBinding of incluster's is made.
// Then `validate` refuses a bad value of each field with exit 2 and the field's path.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RUN_ID_LABEL } from "../../src/names.js";
import { ADMIN_KUBECONFIG, KUBECTL, cli, requireCluster, runJson, savedLog } from "./support/cli.js";

const work = mkdtempSync(join(tmpdir(), "incluster-it-podfields-"));
const ns = `incluster-podf-${Date.now().toString(36)}`;
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8" });
const apply = (yaml: string) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, "-n", ns, "apply", "-f", "-"], { input: yaml, encoding: "utf8" });

const SA = "tests-identity";
const ROLE_ARN = "arn:aws:iam::111122223333:role/e2e-tests";
const FIXTURES = `apiVersion: v1
kind: ServiceAccount
metadata: { name: ${SA}, annotations: { eks.amazonaws.com/role-arn: "${ROLE_ARN}" } }
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: { name: tests-identity-reader }
rules: [{ apiGroups: [""], resources: [configmaps], verbs: [get, list] }]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: tests-identity-reader }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: Role, name: tests-identity-reader }
subjects: [{ kind: ServiceAccount, name: ${SA} }]
---
apiVersion: v1
kind: Secret
metadata: { name: test-files }
stringData: { greeting.txt: "hello from a mounted secret" }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: test-settings }
data: { GREETING: "hello from a configmap" }
---
apiVersion: v1
kind: Secret
metadata: { name: registry-creds }
type: kubernetes.io/dockerconfigjson
stringData: { .dockerconfigjson: '{"auths":{"127.0.0.1:5000":{"auth":"dXNlcjpwYXNz"}}}' }
`;

const config = (suite: string) => `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ${ns}
source:
  git:
    url: git://10.244.0.1/sample-app.git
    ref: main
    image: 127.0.0.1:5000/incluster/git:2
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
  resources:
    requests: { cpu: 50m, memory: 64Mi }
    limits: { cpu: 500m, memory: 256Mi }
  ttlSecondsAfterFinished: 600
  timeout: 5m
suites:
${suite}`;

const SUITE = `  identity:
    command: [sh, -c, 'echo "file: $(cat /etc/test-files/greeting.txt)"; echo "env: $CFG_GREETING"; test -s /etc/test-files/greeting.txt']
    serviceAccount: { name: ${SA} }
    imagePullSecrets: [registry-creds]
    envFrom: [{ configMapRef: { name: test-settings }, prefix: CFG_ }]
    volumes: [{ secret: test-files, mountPath: /etc/test-files }]
    pod:
      labels: { team: payments, example.com/allow-db: "true" }
      annotations: { sidecar.istio.io/inject: "false", example.com/owner: e2e }
`;

beforeAll(() => {
  requireCluster();
  kubectl("create", "namespace", ns);
  // Every generated pod passes Pod Security "restricted", the new fields included: admission enforces it here.
  kubectl("label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted");
  apply(FIXTURES);
});
afterAll(() => {
  kubectl("delete", "namespace", ns, "--wait=false");
  rmSync(work, { recursive: true, force: true });
});

interface LivePod {
  metadata: { labels: Record<string, string>; annotations?: Record<string, string> };
  spec: { serviceAccountName: string; imagePullSecrets?: { name: string }[] };
}

describe("named pod fields on a real run", () => {
  it("runs as the existing ServiceAccount with the Secret file, the ConfigMap env, labels, annotations and pull Secret", async () => {
    const file = join(work, "incluster.yaml");
    writeFileSync(file, config(SUITE));
    const t0 = Date.now();
    const r = await runJson(["-c", file, "run", "identity", "--report-dir", join(work, "report")]);
    const s = r.result.suites.find((x) => x.suite === "identity");
    const log = savedLog(r.result, "identity");
    const pods = JSON.parse(kubectl("-n", ns, "get", "pods", "-l", `${RUN_ID_LABEL}=${r.result.runId}`, "-o", "json")) as { items: LivePod[] };
    const pod = pods.items[0];
    const generated = kubectl("-n", ns, "get", "serviceaccounts,roles,rolebindings", "-o", "name").split("\n").filter(Boolean);
    console.log(
      `[pod-fields] exit ${r.code} in ${Date.now() - t0} ms, verdict ${s?.verdict}\n` +
        `[pod-fields] output: ${log.split("\n").filter((l) => /^(file|env):/.test(l)).join(" | ")}\n` +
        `[pod-fields] live pod: serviceAccountName=${pod?.spec.serviceAccountName} imagePullSecrets=${JSON.stringify(pod?.spec.imagePullSecrets)} ` +
        `team=${pod?.metadata.labels.team} allow-db=${pod?.metadata.labels["example.com/allow-db"]} annotations=${JSON.stringify(pod?.metadata.annotations)}\n` +
        `[pod-fields] RBAC objects in ${ns}: ${generated.join(", ")}`,
    );
    expect(r.code, r.stderr.slice(-3000)).toBe(0);
    expect(s?.verdict).toBe("passed");
    expect(log).toContain("file: hello from a mounted secret");
    expect(log).toContain("env: hello from a configmap");
    expect(pods.items).toHaveLength(1);
    expect(pod?.spec.serviceAccountName).toBe(SA);
    expect(pod?.spec.imagePullSecrets).toEqual([{ name: "registry-creds" }]);
    expect(pod?.metadata.labels).toMatchObject({ team: "payments", "example.com/allow-db": "true", "incluster.dev/suite": "identity" });
    expect(pod?.metadata.annotations).toMatchObject({ "sidecar.istio.io/inject": "false", "example.com/owner": "e2e" });
    // Only the fixtures' own objects (and the namespace's default ServiceAccount): nothing named test-identity-e2e.
    expect(generated.filter((n) => n.includes("test-identity-e2e"))).toEqual([]);
    expect(generated).toContain(`serviceaccount/${SA}`);
  }, 180_000);
});

describe("doctor checks the ServiceAccount and the referenced objects", () => {
  it("ok for the existing ones, FAIL naming a missing ServiceAccount and pull Secret", async () => {
    const file = join(work, "doctor.yaml");
    writeFileSync(file, config(`${SUITE}  missing:\n    command: ["true"]\n    serviceAccount: { name: no-such-identity }\n    imagePullSecrets: [no-such-pull-secret]\n`));
    const r = await cli(["-c", file, "doctor"]);
    const lines = r.stdout.split("\n").filter((l) => /serviceaccount\/|secret\/|configmap\//.test(l));
    console.log(`[pod-fields] doctor: exit ${r.code}\n${lines.join("\n")}`);
    expect(lines).toContainEqual(expect.stringMatching(/^ok +serviceaccount\/tests-identity exists \(suites\.identity\.serviceAccount\.name\): yes/));
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL serviceaccount\/no-such-identity exists \(suites\.missing\.serviceAccount\.name\): not found/));
    expect(lines).toContainEqual(expect.stringMatching(/^FAIL secret\/no-such-pull-secret exists \(suites\.missing\.imagePullSecrets\): not found/));
    expect(lines).toContainEqual(expect.stringMatching(/^ok +configmap\/test-settings exists \(suites\.identity\.envFrom\[0\]\): yes/));
    expect(r.code).toBe(3);
  }, 60_000);
});

describe("validate refuses a bad value of each field", () => {
  const cases: [string, string, string][] = [
    ["imagePullSecrets", "    imagePullSecrets: [Registry_Creds]", "suites.bad.imagePullSecrets[0]: expected the name of a Secret"],
    ["serviceAccount", "    serviceAccount: { name: My SA }", "suites.bad.serviceAccount.name: expected the name of an existing ServiceAccount"],
    ["pod.labels (clash)", "    pod: { labels: { app: mine } }", 'suites.bad.pod.labels.app: label "app" is set by incluster or the Job controller and cannot be overridden'],
    ["pod.labels (value)", "    pod: { labels: { team: has space } }", "suites.bad.pod.labels.team: expected a label value"],
    ["pod.annotations", "    pod: { annotations: { incluster.dev/suite: x } }", 'suites.bad.pod.annotations.incluster.dev/suite: annotation "incluster.dev/suite" is set by incluster'],
    ["pod.priorityClassName", "    pod: { priorityClassName: High_Prio }", "suites.bad.pod.priorityClassName: expected a PriorityClass name"],
    ["pod.runtimeClassName", "    pod: { runtimeClassName: Gvisor }", "suites.bad.pod.runtimeClassName: expected a RuntimeClass name"],
    ["envFrom", "    envFrom: [{ secretRef: { name: a }, configMapRef: { name: b } }]", "suites.bad.envFrom[0]: set secretRef or configMapRef, not both"],
    ["volumes (collision)", "    volumes: [{ secret: tls, mountPath: /workspace/tls }]", "suites.bad.volumes[0].mountPath: /workspace/tls collides with /workspace"],
    ["volumes (relative)", "    volumes: [{ configMap: d, mountPath: data }]", "suites.bad.volumes[0].mountPath: expected an absolute path"],
  ];
  it.each(cases)("%s: exit 2, the path named", async (_field, line, expected) => {
    const file = join(work, `bad-${_field.replace(/\W+/g, "-")}.yaml`);
    writeFileSync(file, config(`  bad:\n    command: ["true"]\n${line}\n`));
    const r = await cli(["-c", file, "validate"]);
    console.log(`[pod-fields] validate ${_field}: exit ${r.code}: ${r.stderr.split("\n").find((l) => l.includes("suites.bad")) ?? r.stderr}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(expected);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
