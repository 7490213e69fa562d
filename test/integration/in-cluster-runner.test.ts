// A CI runner inside the cluster (GitLab's Kubernetes executor, Actions Runner Controller): a pod
// in its own namespace runs incluster with no kubeconfig at all. doctor, run in that pod, prints
// the Role its ServiceAccount needs in incluster-demo and the binding; an admin applies exactly
// that, and the same pod image then runs a demo suite in incluster-demo as that ServiceAccount.
//
// The runner image: the project's python base (Debian bookworm, like this machine) plus this
// machine's node binary and the bundled dist/ (node scripts/bundle.mjs), built with podman and
// pushed to the local registry; no other registry is reachable. The runner's namespace enforces
// no Pod Security level, though the pod itself passes "restricted".
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../src/report/model.js";
import { ADMIN_KUBECONFIG, DEMO, KUBECTL, NAMESPACE, ROOT, requireCluster } from "./support/cli.js";

const RUNNER_NS = "incluster-ci";
const SA = "runner";
const kubectl = (args: string[], input?: string) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8", ...(input !== undefined ? { input } : {}), stdio: ["pipe", "pipe", "pipe"] });

/** Builds (once per content) and pushes the runner image; returns its reference. */
function runnerImage(): string {
  const ctx = mkdtempSync(join(tmpdir(), "incluster-runner-image-"));
  const app = join(ctx, "incluster");
  mkdirSync(join(app, "dist"), { recursive: true });
  cpSync(join(ROOT, "bin"), join(app, "bin"), { recursive: true });
  copyFileSync(join(ROOT, "package.json"), join(app, "package.json"));
  // What the package ships of dist/ (package.json "files"): the library's .js, the CLI's bundle,
  // its code cache and the vendor files it requires.
  mkdirSync(join(app, "dist", "vendor"));
  const shipped = (f: string) => /^(vendor\/)?[^/]+\.(js|cjs)$|^cli\.cjs\.cache$/.test(f);
  for (const f of [...readdirSync(join(ROOT, "dist")), ...readdirSync(join(ROOT, "dist", "vendor")).map((v) => `vendor/${v}`)]) if (shipped(f)) copyFileSync(join(ROOT, "dist", f), join(app, "dist", f));
  copyFileSync(process.execPath, join(ctx, "node"));
  writeFileSync(join(ctx, "Dockerfile"), ["FROM 127.0.0.1:5000/incluster/python:3.11-pytest", "COPY node /usr/local/bin/node", "COPY incluster /opt/incluster", "USER 1000:1000", ""].join("\n"));
  const hash = createHash("sha256");
  for (const f of readdirSync(join(app, "dist"), { recursive: true, encoding: "utf8" }).sort()) if (shipped(f)) hash.update(f).update(readFileSync(join(app, "dist", f)));
  hash.update(readFileSync(join(ctx, "Dockerfile"))).update(process.version);
  const ref = `127.0.0.1:5000/incluster-it/runner:${hash.digest("hex").slice(0, 16)}`;
  const podman = (cmd: string) => execFileSync("bash", ["-c", `. "${ROOT}/test/cluster/images/podman-env.sh" && ${cmd}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  podman(`podman build --quiet --tls-verify=false -t ${ref} "${ctx}" >/dev/null && podman push --quiet --tls-verify=false ${ref}`);
  return ref;
}

function runnerPod(name: string, image: string, script: string): object {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: RUNNER_NS, labels: { app: "incluster-runner" } },
    spec: {
      serviceAccountName: SA,
      restartPolicy: "Never",
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "incluster",
          image,
          imagePullPolicy: "IfNotPresent",
          command: ["sh", "-c", script],
          env: [{ name: "NO_COLOR", value: "1" }, { name: "CI", value: "true" }],
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          volumeMounts: [{ name: "config", mountPath: "/config" }, { name: "tmp", mountPath: "/tmp" }],
        },
      ],
      volumes: [{ name: "config", configMap: { name: "incluster-config" } }, { name: "tmp", emptyDir: {} }],
    },
  };
}

beforeAll(() => requireCluster());

const INCLUSTER = "node /opt/incluster/bin/incluster.js -c /config/incluster.yaml";

describe("incluster in a pod, as the pod's ServiceAccount (no kubeconfig)", () => {
  let image = "";
  beforeAll(() => {
    image = runnerImage();
    kubectl(["delete", "namespace", RUNNER_NS, "--ignore-not-found", "--wait=true"]);
    kubectl(["create", "namespace", RUNNER_NS]);
    kubectl(["-n", RUNNER_NS, "create", "serviceaccount", SA]);
    kubectl(["-n", RUNNER_NS, "create", "configmap", "incluster-config", `--from-file=incluster.yaml=${DEMO}`]);
    // The pod reaches the API server through the kubernetes Service: after the fault tests restart
    // the API server its endpoint can be missing for a while (kube-proxy then refuses the VIP,
    // ECONNREFUSED 10.96.0.1:443, seen once in CI). Start only when it is back.
    kubectl(["-n", "default", "wait", "endpointslice/kubernetes", "--for=jsonpath={.endpoints[0].addresses[0]}", "--timeout=90s"]);
  }, 300_000);
  afterAll(() => {
    kubectl(["delete", "namespace", RUNNER_NS, "--ignore-not-found", "--wait=false"]);
    kubectl(["-n", NAMESPACE, "delete", "rolebinding,role", "incluster-runner", "--ignore-not-found"]);
  });

  it("doctor prints the Role and RoleBinding for its ServiceAccount; once applied, run passes a suite in incluster-demo", async () => {
    const doctor = await podToEnd("doctor", image, `${INCLUSTER} doctor; echo "doctor exit code $?"`);
    const marker = `# This pod runs as ServiceAccount ${RUNNER_NS}/${SA}.`;
    expect(doctor.log, doctor.log).toContain(marker);
    expect(doctor.log).toContain("doctor exit code 3");
    expect(doctor.log).not.toContain("no kubeconfig");
    const yaml = doctor.log.slice(doctor.log.indexOf(marker)).split("\ndoctor exit code")[0]!;
    console.log(`--- doctor in the runner pod (the part an admin applies)\n${yaml}`);
    expect(yaml).toMatch(/kind: RoleBinding[\s\S]*subjects:\n {2}- kind: ServiceAccount\n {4}name: runner\n {4}namespace: incluster-ci/);
    console.log(kubectl(["apply", "-f", "-"], yaml));

    const run = await podToEnd("run", image, `${INCLUSTER} run services --no-build --report-dir /tmp/report -o json >/tmp/result.json 2>/tmp/stderr.log; rc=$?; cat /tmp/stderr.log; echo "=== result.json"; cat /tmp/result.json; exit $rc`);
    const [stderr, json] = run.log.split("=== result.json\n");
    console.log(`--- incluster run in the runner pod: exit ${run.exitCode}\n${stderr}`);
    expect(run.exitCode, run.log).toBe(0);
    const result = JSON.parse(json ?? "") as RunResult;
    expect(result).toMatchObject({ namespace: NAMESPACE, exitCode: 0, suites: [{ suite: "services", verdict: "passed", namespace: NAMESPACE }] });
    expect(stderr).toMatch(/incluster: run [a-z0-9]{6}: services in namespace incluster-demo \(context inClusterContext\)/);
  });
});

/** Runs a runner pod to its end and returns its log and exit code. */
async function podToEnd(step: string, image: string, script: string): Promise<{ log: string; exitCode: number }> {
  const name = `runner-${step}`;
  kubectl(["apply", "-f", "-"], stringify(runnerPod(name, image, script)));
  const deadline = Date.now() + 180_000;
  for (;;) {
    const phase = kubectl(["-n", RUNNER_NS, "get", "pod", name, "-o", "jsonpath={.status.phase}"]).trim();
    if (phase === "Succeeded" || phase === "Failed") break;
    if (Date.now() > deadline) throw new Error(`pod ${name} still ${phase}:\n${kubectl(["-n", RUNNER_NS, "describe", "pod", name])}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const exitCode = Number(kubectl(["-n", RUNNER_NS, "get", "pod", name, "-o", "jsonpath={.status.containerStatuses[0].state.terminated.exitCode}"]));
  return { log: kubectl(["-n", RUNNER_NS, "logs", name]), exitCode };
}

