// A CI runner inside the cluster (GitLab's Kubernetes executor, Actions Runner Controller): a pod
// in its own namespace runs incluster with no kubeconfig at all. doctor, run in that pod, prints
// the Role its ServiceAccount needs in incluster-demo and the binding; an admin applies exactly
// that, and the same pod image then runs a demo suite in incluster-demo as that ServiceAccount.
//
// The runner image is images/runner/Dockerfile (docs/runner-image.md) built from the packed
// tarball of the working tree, with podman, and pushed to the local registry; no other registry is
// reachable, so its NODE_IMAGE, the official Node 24 image elsewhere, is a stand-in built here: the project's
// python base (Debian bookworm, like this machine) with Node 24 from the npm registry
// (scripts/node.sh) and this machine's npm. The runner's namespace enforces no Pod Security
// level, though the pod itself passes "restricted".
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../src/results/run-result.js";
import { ADMIN_KUBECONFIG, DEMO, KUBECTL, NAMESPACE, ROOT, requireCluster } from "./support/cli.js";
import { packWorkingTree, type PackInfo } from "./support/pack.js";

const RUNNER_NS = "incluster-ci";
const SA = "runner";
const kubectl = (args: string[], input?: string) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8", ...(input !== undefined ? { input } : {}), stdio: ["pipe", "pipe", "pipe"] });

const podman = (cmd: string) => execFileSync("bash", ["-c", `. "${ROOT}/test/cluster/images/podman-env.sh" && ${cmd}`], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const sha = (...parts: (string | Buffer)[]) => parts.reduce((h, p) => h.update(p), createHash("sha256")).digest("hex").slice(0, 16);

/** The stand-in for docker.io/library/node:24-bookworm-slim (built once per content, kept local): node and npm, root by default. */
function nodeBaseImage(work: string): string {
  const nodeBin = execFileSync("bash", [join(ROOT, "scripts/node.sh"), "24"], { encoding: "utf8" }).trim();
  const npmDir = dirname(dirname(realpathSync(execFileSync("bash", ["-c", "command -v npm"], { encoding: "utf8" }).trim())));
  const ctx = join(work, "node-base");
  mkdirSync(ctx, { recursive: true });
  cpSync(join(nodeBin, "node"), join(ctx, "node"));
  cpSync(npmDir, join(ctx, "npm"), { recursive: true });
  const dockerfile = [
    "FROM 127.0.0.1:5000/incluster/python:3.11-pytest",
    "USER 0:0",
    "COPY node /usr/local/bin/node",
    "COPY npm /usr/local/lib/node_modules/npm",
    "RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version && npm --version",
    "",
  ].join("\n");
  writeFileSync(join(ctx, "Dockerfile"), dockerfile);
  const version = execFileSync(join(nodeBin, "node"), ["--version"], { encoding: "utf8" }).trim();
  const npmVersion = (JSON.parse(readFileSync(join(npmDir, "package.json"), "utf8")) as { version: string }).version;
  const ref = `localhost/incluster-it/node:${sha(dockerfile, version, npmVersion)}`;
  podman(`podman image exists ${ref} || podman build --quiet -t ${ref} "${ctx}" >/dev/null`);
  return ref;
}

/** Builds images/runner/Dockerfile from the packed tarball and pushes it; returns its reference and the tarball's files. */
async function runnerImage(): Promise<{ ref: string; files: PackInfo["files"] }> {
  const work = mkdtempSync(join(tmpdir(), "incluster-runner-image-"));
  try {
    const packed = await packWorkingTree(work);
    const base = nodeBaseImage(work);
    const ctx = join(work, "context");
    mkdirSync(ctx);
    cpSync(packed.tarball, join(ctx, packed.info.filename));
    const dockerfile = join(ROOT, "images/runner/Dockerfile");
    const ref = `127.0.0.1:5000/incluster-it/runner:${sha(readFileSync(packed.tarball), readFileSync(dockerfile), base)}`;
    podman(`podman build --quiet --tls-verify=false --build-arg NODE_IMAGE=${base} -f "${dockerfile}" -t ${ref} "${ctx}" >/dev/null && podman push --quiet --tls-verify=false ${ref}`);
    return { ref, files: packed.info.files };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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

const INCLUSTER = "incluster -c /config/incluster.yaml";

describe("incluster in a pod, as the pod's ServiceAccount (no kubeconfig)", () => {
  let image = "";
  let shipped: PackInfo["files"] = [];
  beforeAll(async () => {
    ({ ref: image, files: shipped } = await runnerImage());
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

  it("the image runs as uid 1000 and holds, besides its Node image, only what the package ships", () => {
    const user = podman(`podman image inspect --format '{{.Config.User}}' ${image}`).trim();
    expect(user).toBe("1000:1000");
    const listing = (cmd: string) => podman(`podman run --rm --network none --entrypoint sh ${image} -c '${cmd}'`).trim().split("\n").sort();
    expect(listing("id -u; id -g")).toEqual(["1000", "1000"]);
    expect(listing("ls /usr/local/lib/node_modules")).toEqual(["incluster", "npm"]);
    const files = listing("cd /usr/local/lib/node_modules/incluster && find . -type f | cut -c3-");
    expect(files).toEqual(shipped.map((f) => f.path).sort());
    console.log(`runner image ${image}: user ${user}, ${files.length} files of the package (as packed), ${podman(`podman image inspect --format '{{.Size}}' ${image}`).trim()} bytes with its Node base`);
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

