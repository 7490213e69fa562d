// Issue 24 on the project's cluster: a private registry. test/cluster/registry.sh runs a second
// registry beside the open one, 127.0.0.1:5001, with htpasswd authentication (its user and
// password in a 0600 file). podman logs in to it (an auth file of this test's own, handed to the
// CLI as REGISTRY_AUTH_FILE, as a user's `podman login` would be), incluster builds and pushes the
// suite's image there, and the node pulls it through a kubernetes.io/dockerconfigjson Secret named
// in imagePullSecrets. A suite without it fails fast as imagePull, with a hint naming
// imagePullSecrets; doctor and the preflight report a pull Secret that does not exist before
// anything is built or created. The password appears in no output, manifest, log or report file.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST_ACCEPT } from "../../src/build/image-ref.js";
import { RUN_ID_LABEL } from "../../src/names.js";
import { ADMIN_KUBECONFIG, KUBECTL, ROOT, cli, requireCluster, runJson, type CliResult } from "./support/cli.js";
import { loadPodmanEnv } from "./support/podman-env.js";

const clusterEnv = existsSync(join(ROOT, ".cluster/env")) ? readFileSync(join(ROOT, ".cluster/env"), "utf8") : "";
const fromEnv = (name: string) => process.env[name] ?? new RegExp(`${name}="([^"]+)"`).exec(clusterEnv)?.[1];
const HOST = fromEnv("INCLUSTER_AUTH_REGISTRY") ?? "127.0.0.1:5001";
const CREDENTIALS =
  fromEnv("INCLUSTER_AUTH_REGISTRY_CREDENTIALS") ?? join(process.env.INCLUSTER_CACHE ?? join(homedir(), ".cache/incluster"), "run/registry-auth.credentials");
const BASE = "127.0.0.1:5000/incluster/python:3.11-pytest";
const PULL_SECRET = "auth-pull";
const LOOPS = Number(process.env.REGISTRY_LOOPS ?? 3);

const work = mkdtempSync(join(tmpdir(), "incluster-it-registry-"));
const ns = `incluster-reg-${Date.now().toString(36)}`;
const nonce = randomBytes(4).toString("hex");
const authFile = join(work, "auth.json");
const kubectl = (args: string[], input?: string) =>
  execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8", ...(input ? { input } : {}) });

let user = "";
let password = "";
let podmanEnv: Record<string, string> = {};
/** Every form the credentials could leak in: the password, user:password in base64, the Secret's whole payload in base64. */
let secretForms: string[] = [];
/** Everything the CLI printed in this file, checked for the credentials at the end. */
const printed: string[] = [];

async function call(args: string[], json = false): Promise<CliResult & { result?: Awaited<ReturnType<typeof runJson>>["result"] }> {
  const env = { ...podmanEnv, REGISTRY_AUTH_FILE: authFile };
  const r = json ? await runJson(args, env) : await cli(args, env);
  printed.push(r.stdout, r.stderr);
  return r;
}

function project(name: string, registry: string, suites: string): string {
  const dir = join(work, name);
  mkdirSync(join(dir, "tests"), { recursive: true });
  writeFileSync(join(dir, ".dockerignore"), "incluster.yaml\n");
  writeFileSync(join(dir, "tests/test_private.py"), "def test_pulled_from_the_private_registry():\n    assert True\n");
  writeFileSync(
    join(dir, "incluster.yaml"),
    `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ${ns}
image:
  registry: ${registry}
  base: ${BASE}
  insecure: true
source:
  image: {}
defaults:
  install: ""
  resources:
    requests: { cpu: 50m, memory: 64Mi }
    limits: { cpu: 500m, memory: 256Mi }
  timeout: 3m
suites:
${suites}`,
  );
  return join(dir, "incluster.yaml");
}

const SUITES = `  private:
    test: tests/test_private.py
    imagePullSecrets: [${PULL_SECRET}]
  no-secret:
    test: tests/test_private.py
`;

/** Every regular file under dir, read as text. */
function filesUnder(dir: string): { path: string; text: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((p) => join(dir, p))
    .filter((p) => statSync(p).isFile())
    .map((path) => ({ path, text: readFileSync(path, "utf8") }));
}

beforeAll(async () => {
  requireCluster();
  const v2 = await fetch(`http://${HOST}/v2/`).then((r) => r.status, () => 0);
  if (v2 !== 401 || !existsSync(CREDENTIALS)) {
    throw new Error(`no authenticated registry at ${HOST} (GET /v2/ gave ${v2}) or no ${CREDENTIALS}: run \`bash test/cluster/registry.sh up\``);
  }
  const line = readFileSync(CREDENTIALS, "utf8").trim();
  [user = "", password = ""] = [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)];
  const auth = Buffer.from(`${user}:${password}`).toString("base64");
  const dockerconfig = JSON.stringify({ auths: { [HOST]: { auth } } });
  secretForms = [password, auth, Buffer.from(dockerconfig).toString("base64")];
  podmanEnv = loadPodmanEnv();
  // The engine's own login, into this test's auth file only; the password goes in on stdin.
  execFileSync("podman", ["login", "--tls-verify=false", "--authfile", authFile, "-u", user, "--password-stdin", HOST], {
    input: password,
    env: { ...process.env, ...podmanEnv },
    stdio: ["pipe", "ignore", "pipe"],
  });
  kubectl(["create", "namespace", ns]);
  kubectl(["label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest"]);
  // Applied from stdin: the credentials are on no command line.
  const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: PULL_SECRET, namespace: ns }, type: "kubernetes.io/dockerconfigjson", stringData: { ".dockerconfigjson": dockerconfig } };
  kubectl(["apply", "-f", "-"], JSON.stringify(secret));
});

afterAll(() => {
  try {
    kubectl(["delete", "namespace", ns, "--wait=false"]);
  } catch {
    // beforeAll may have failed before creating it
  }
  try {
    const refs = execFileSync("podman", ["images", "--format", "{{.Repository}}:{{.Tag}}"], { encoding: "utf8", env: { ...process.env, ...podmanEnv } });
    const ours = refs.split("\n").filter((ref) => ref.startsWith(`${HOST}/it-${nonce}`));
    if (ours.length) execFileSync("podman", ["rmi", "--force", ...ours], { env: { ...process.env, ...podmanEnv }, stdio: "ignore" });
  } catch {
    // podman's storage is shared: a failed cleanup leaves tags, never breaks another test
  }
  rmSync(work, { recursive: true, force: true });
});

describe("a private registry with htpasswd authentication", () => {
  it("the registry refuses anonymous pulls (what the test relies on)", async () => {
    const anonymous = await fetch(`http://${HOST}/v2/_catalog`);
    expect(anonymous.status).toBe(401);
    const authed = await fetch(`http://${HOST}/v2/_catalog`, { headers: { Authorization: `Basic ${secretForms[1]}` } });
    expect(authed.status).toBe(200);
  });

  for (let loop = 1; loop <= LOOPS; loop++) {
    it(`loop ${loop}/${LOOPS}: pushed with the engine's login; without a pull Secret imagePull fails fast, with one the suite passes`, async () => {
      const registry = `${HOST}/it-${nonce}-${loop}`;
      const file = project(`loop-${loop}`, registry, SUITES);
      const report = join(work, `report-${loop}`);
      mkdirSync(report, { recursive: true });

      // First the suite without the Secret: the node has never had this repository, so it must ask the registry.
      const t0 = Date.now();
      const bare = await call(["-c", file, "run", "no-secret", "--engine", "podman", "--report-dir", join(report, "bare"), "--events", join(report, "bare.jsonl")], true);
      const bareMs = Date.now() - t0;
      const s = bare.result?.suites[0];
      console.log(`[registry] loop ${loop} no-secret: exit ${bare.code} in ${bareMs} ms, ${s?.verdict}/${s?.class} ${s?.reason}\n[registry]   ${s?.message?.split("\n")[0]}\n[registry]   hint: ${s?.hint}`);
      expect(bare.code, bare.stderr.slice(-3000)).toBe(3);
      expect(bare.stderr).toMatch(/pushed in [\d.]+ s/);
      expect(s).toMatchObject({ verdict: "couldNotRun", class: "imagePull" });
      expect(s?.message).toMatch(/401 Unauthorized|authorization failed|unauthorized/i);
      expect(s?.hint).toContain("a pull Secret named in imagePullSecrets (this suite names none)");
      expect(bareMs).toBeLessThan(90_000);

      // The image is in the registry, behind its login.
      const ref = /(\S+\/test-no-secret-e2e):(sha-[0-9a-f]{16})/.exec(bare.stderr);
      expect(ref, bare.stderr.slice(-2000)).not.toBeNull();
      const manifest = `http://${HOST}/v2/${ref?.[1]?.slice(HOST.length + 1)}/manifests/${ref?.[2]}`;
      expect((await fetch(manifest, { method: "HEAD", headers: { Accept: MANIFEST_ACCEPT } })).status).toBe(401);
      const authed = await fetch(manifest, { method: "HEAD", headers: { Accept: MANIFEST_ACCEPT, Authorization: `Basic ${secretForms[1]}` } });
      expect(authed.status).toBe(200);

      const t1 = Date.now();
      const ok = await call(["-c", file, "run", "private", "--engine", "podman", "--report-dir", join(report, "ok"), "--events", join(report, "ok.jsonl")], true);
      const p = ok.result?.suites[0];
      console.log(`[registry] loop ${loop} private: exit ${ok.code} in ${Date.now() - t1} ms, ${p?.verdict}, tests ${p?.tests?.map((t) => t.status).join(",")}`);
      expect(ok.code, ok.stderr.slice(-3000)).toBe(0);
      expect(p?.verdict).toBe("passed");
      expect(p?.tests?.map((t) => t.status)).toEqual(["passed"]);
      const pods = JSON.parse(kubectl(["-n", ns, "get", "pods", "-l", `${RUN_ID_LABEL}=${ok.result?.runId}`, "-o", "json"])) as {
        items: { spec: { imagePullSecrets?: { name: string }[]; containers: { name: string; image: string }[] } }[];
      };
      expect(pods.items[0]?.spec.imagePullSecrets).toEqual([{ name: PULL_SECRET }]);
      expect(pods.items[0]?.spec.containers.find((c) => c.name === "test-runner")?.image).toMatch(new RegExp(`^${registry}/test-private-e2e:sha-`));

      const leaked = filesUnder(report).filter((f) => secretForms.some((x) => f.text.includes(x)));
      expect(leaked.map((f) => f.path)).toEqual([]);
    }, 300_000);
  }

  it("render shows the pull Secret by name and nothing of its content", async () => {
    const r = await call(["-c", project("render", `${HOST}/it-${nonce}-render`, SUITES), "render", "private", "-o", "yaml"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`imagePullSecrets:\\n\\s+- name: ${PULL_SECRET}\\n`));
  });

  it("doctor and the preflight report a pull Secret that does not exist, before anything is built or created", async () => {
    const file = project("missing", `${HOST}/it-${nonce}-missing`, "  private:\n    test: tests/test_private.py\n    imagePullSecrets: [no-such-pull-secret]\n");
    const d = await call(["-c", file, "doctor"]);
    const fail = d.stdout.split("\n").filter((l) => l.includes("no-such-pull-secret"));
    console.log(`[registry] doctor: exit ${d.code}\n${fail.map((l) => `[registry]   ${l}`).join("\n")}`);
    expect(d.code).toBe(3);
    expect(fail).toEqual([
      expect.stringMatching(/^FAIL secret\/no-such-pull-secret exists \(suites\.private\.imagePullSecrets\): not found in namespace/),
      ...fail.slice(1),
    ]);
    expect(d.stdout).toContain(`kubectl -n ${ns} create secret docker-registry no-such-pull-secret`);

    const r = await call(["-c", file, "run", "private", "--engine", "podman", "--report-dir", join(work, "report-missing")], true);
    expect(r.code).toBe(3);
    expect(r.result?.suites[0]).toMatchObject({ verdict: "couldNotRun", reason: "PreflightFailed" });
    expect(r.stderr).not.toMatch(/pushed in|podman build/);
    expect(kubectl(["-n", ns, "get", "jobs", "-l", `${RUN_ID_LABEL}=${r.result?.runId}`, "-o", "name"]).trim()).toBe("");
  });

  it("the credentials appear in nothing the CLI printed", () => {
    expect(printed.length).toBeGreaterThan(0);
    for (const out of printed) for (const x of secretForms) expect(out.includes(x)).toBe(false);
  });
});
