// Issue 8 item 11 on this machine: podman builds from a base image on a plain-HTTP registry that
// podman does not trust (a second registry, started here on a free loopback port that the
// project's registries.conf does not list) when image.insecure is true; without it the build
// fails and the hint names what the user can change. No cluster needed: `incluster build` only.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANIFEST_ACCEPT } from "../../src/build/image-ref.js";
import { cli } from "./support/cli.js";
import { loadPodmanEnv } from "./support/podman-env.js";

const run = promisify(execFile);
const TRUSTED_BASE = "127.0.0.1:5000/incluster/python:3.11-pytest";
const work = mkdtempSync(join(tmpdir(), "incluster-it-insecure-"));
// A fresh repository path per run: podman keeps a pulled base in its storage, and a base it
// already has is never pulled, which would let this test pass without reaching the registry.
const nonce = randomBytes(4).toString("hex");
let podmanEnv: Record<string, string> = {};
let registry: ChildProcess | undefined;
let host = "";
let base = "";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (a && typeof a === "object" ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

async function startRegistry(): Promise<void> {
  const port = await freePort();
  host = `127.0.0.1:${port}`;
  const config = join(work, "registry.yml");
  writeFileSync(config, `version: 0.1\nlog: { level: warn }\nstorage: { filesystem: { rootdirectory: ${join(work, "data")} } }\nhttp: { addr: "${host}" }\n`);
  registry = spawn("/usr/bin/docker-registry", ["serve", config], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    if (await fetch(`http://${host}/v2/`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the second registry did not answer on http://${host}/v2/`);
}

async function stopRegistry(): Promise<void> {
  const child = registry;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}

const podman = (...args: string[]) => run("podman", args, { env: { ...process.env, ...podmanEnv }, encoding: "utf8" });

function project(name: string, insecure: boolean): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, "incluster.yaml"),
    `apiVersion: incluster.dev/v1alpha1
kind: Config
image:
  registry: ${host}/it-${nonce}
  base: ${base}
  insecure: ${insecure}
source:
  image: {}
suites:
  insecure-base:
    command: [python3, -c, "print('${name}')"]
`,
  );
  writeFileSync(join(dir, ".dockerignore"), "incluster.yaml\n");
  writeFileSync(join(dir, "hello.txt"), `${name}\n`);
  return join(dir, "incluster.yaml");
}

beforeAll(async () => {
  podmanEnv = loadPodmanEnv();
  await startRegistry();
  base = `${host}/it-${nonce}/python:3.11-pytest`;
  // Seeds the untrusted registry with the project's base image (from podman's own storage).
  await podman("push", "--tls-verify=false", TRUSTED_BASE, base);
});

afterAll(async () => {
  await stopRegistry();
  // Images this file left in podman's storage: the pulled base and the built one.
  const { stdout } = await podman("images", "--format", "{{.Repository}}:{{.Tag}}").catch(() => ({ stdout: "" }));
  const ours = stdout.split("\n").filter((ref) => ref.startsWith(`${host}/it-${nonce}/`));
  if (ours.length) await podman("rmi", "--force", ...ours).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

describe("a base image on a plain-HTTP registry podman does not trust", () => {
  it("podman itself refuses it without --tls-verify=false (what the test relies on)", async () => {
    const err = (await podman("pull", base).catch((e: unknown) => e)) as { stderr?: string };
    expect(err.stderr).toMatch(/server gave HTTP response to HTTPS client/);
  });

  it("without image.insecure the build fails, and the hint names image.base and image.insecure, not the generated Dockerfile", async () => {
    const r = await cli(["-c", project("strict", false), "build", "--engine", "podman"], podmanEnv);
    expect(r.code, r.stderr).toBe(3);
    expect(r.stderr).toMatch(/podman build of \S+ failed \(exit \d+\)/);
    expect(r.stderr).toMatch(/server gave HTTP response to HTTPS client/);
    expect(r.stderr).toContain(`hint: incluster generated this Dockerfile from image.base (${base})`);
    expect(r.stderr).toContain("set image.insecure: true");
    expect(r.stderr).not.toContain("fix generated Dockerfile");
  });

  it("with image.insecure: true incluster build pulls it over plain HTTP, builds and pushes", async () => {
    const r = await cli(["-c", project("insecure", true), "build", "--engine", "podman"], podmanEnv);
    expect(r.code, r.stderr).toBe(0);
    const ref = new RegExp(`^insecure-base (${host}/it-${nonce}/test-insecure-base-e2e:(sha-[0-9a-f]{16})) built\\n$`).exec(r.stdout);
    expect(ref, r.stdout).not.toBeNull();
    expect(r.stderr).toContain(`FROM ${base}`);
    // Really pulled from the untrusted registry, not found in podman's storage.
    expect(r.stderr).toContain(`Trying to pull ${base}`);
    expect(r.stderr).toMatch(/built in [\d.]+ s, pushed in [\d.]+ s/);
    const head = await fetch(`http://${host}/v2/it-${nonce}/test-insecure-base-e2e/manifests/${ref?.[2]}`, { method: "HEAD", headers: { Accept: MANIFEST_ACCEPT } });
    expect(head.status).toBe(200);
    console.log(`[build-insecure] built ${ref?.[1]} from ${base} (${r.stderr.match(/built in .*/)?.[0]})`);
  });
});
