// Issue 13 item 4: source: local never ships credential-like files by accident. The pure rules,
// then a real git repository through resolveSources: left out unless source.local.include names
// them, and the run says which.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { ResolvedSuite } from "../../../src/config/resolve.js";
import type { CouldNotRunError } from "../../../src/errors.js";
import { parseConfig } from "../../../src/config/parse.js";
import { credentialReason, globToRegExp, splitCredentialFiles } from "../../../src/source/credential-files.js";
import { resolveSources } from "../../../src/source/resolve-sources.js";

describe("credentialReason", () => {
  const none = () => "";
  it.each([".env", ".env.local", "app/.env.production", ".envrc", "certs/server.pem", "tls.KEY", "id_rsa", "home/id_rsa.pub", "id_ed25519", "prod.kubeconfig"])("%s looks like credentials", (p) => {
    expect(credentialReason(p, none)).toBeDefined();
  });
  it.each(["env.py", "src/environment.ts", "keys.py", "docs/pem.md", "kubeconfig.md", "monkey.txt", ".npmrc", ".pypirc"])("%s does not (by its name alone)", (p) => {
    expect(credentialReason(p, none)).toBeUndefined();
  });
  it(".npmrc and .pypirc only with tokens", () => {
    expect(credentialReason(".npmrc", () => "//registry.npmjs.org/:_authToken=npm_x\n")).toMatch(/token/);
    expect(credentialReason(".npmrc", () => "registry=https://r.example/\n")).toBeUndefined();
    expect(credentialReason("pkg/.pypirc", () => "[pypi]\nusername = __token__\npassword = pypi-x\n")).toMatch(/password/);
    expect(credentialReason(".pypirc", () => "[distutils]\nindex-servers = pypi\n")).toBeUndefined();
  });
});

describe("source.local.include globs", () => {
  it.each([
    ["config/test.env", "config/test.env", true],
    ["*.pem", "a.pem", true],
    ["*.pem", "certs/a.pem", false],
    ["certs/*.pem", "certs/a.pem", true],
    ["**/*.pem", "a/b/c.pem", true],
    ["**/*.pem", "c.pem", true],
    ["fixtures/**", "fixtures/a/.env", true],
    [".env.?", ".env.1", true],
    ["a.b", "axb", false],
  ] as const)("%s against %s: %s", (glob, path, match) => {
    expect(globToRegExp(glob).test(path)).toBe(match);
  });
  it("splits: included ones are kept", () => {
    const r = splitCredentialFiles(["a.py", ".env", "test/fixtures/.env", "certs/ca.pem"], ["test/fixtures/**"], () => "");
    expect(r.keep).toEqual(["a.py", "test/fixtures/.env"]);
    expect(r.leftOut.map((l) => l.path)).toEqual([".env", "certs/ca.pem"]);
  });
});

describe("source.local.include in the schema", () => {
  const head = `apiVersion: incluster.dev/v1alpha1\nkind: Config\nimage: { registry: r.example/x }\nsuites:\n  s: { test: t }\n`;
  it("takes a list of paths", () => {
    expect(parseConfig(`${head}source: { local: { include: [config/test.env, "**/*.pem"] } }\n`, "f").source.local?.include).toEqual(["config/test.env", "**/*.pem"]);
  });
  it("refuses anything else with the path", () => {
    expect(() => parseConfig(`${head}source: { local: { include: .env } }\n`, "f")).toThrow(/has 1 problem/);
  });
});

const tmp = mkdtempSync(join(tmpdir(), "incluster-creds-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const g = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();

function repoWithSecrets(): string {
  const bare = join(tmp, `r-${Math.random().toString(36).slice(2)}.git`);
  g(tmp, "init", "-q", "--bare", bare);
  const repo = `${bare}-clone`;
  g(tmp, "clone", "-q", bare, repo);
  writeFileSync(join(repo, "app.py"), "x = 1\n");
  g(repo, "add", ".");
  g(repo, "commit", "-qm", "base");
  g(repo, "push", "-q", "origin", "HEAD:refs/heads/main");
  g(repo, "fetch", "-q", "origin");
  mkdirSync(join(repo, "certs"));
  mkdirSync(join(repo, "test"));
  for (const [p, c] of Object.entries({
    "new.py": "n = 1\n",
    ".env": "TOKEN=abc\n",
    ".env.local": "TOKEN=abc\n",
    "certs/tls.key": "KEY\n",
    "certs/ca.pem": "CERT\n",
    id_rsa: "KEY\n",
    "dev.kubeconfig": "token: x\n",
    ".npmrc": "//registry.npmjs.org/:_authToken=npm_x\n",
    ".pypirc": "[pypi]\npassword = x\n",
    "test/.npmrc": "registry=https://r.example/\n",
  })) writeFileSync(join(repo, p), c);
  return repo;
}

const suite = (path: string, include?: string[]): ResolvedSuite => ({
  name: "s",
  namespace: "ns",
  image: "i:1",
  imagePullPolicy: "IfNotPresent",
  source: { kind: "local", path, remote: "origin", cloneImage: "git:2", ...(include ? { include } : {}) },
  runner: { kind: "pytest", test: "t" },
  env: {},
  envRefs: {},
  resources: {},
  timeoutSeconds: 60,
  ttlSecondsAfterFinished: 60,
  kubernetesAccess: false,
});

function tarNames(b64: string): string[] {
  const t = gunzipSync(Buffer.from(b64, "base64"));
  const names: string[] = [];
  for (let off = 0; off + 512 <= t.length; ) {
    const name = t.subarray(off, off + 100).toString("utf8").replace(/\0.*$/s, "");
    if (!name) break;
    const size = parseInt(t.subarray(off + 124, off + 136).toString().replace(/\0.*$/s, "").trim() || "0", 8);
    names.push(name);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names.sort();
}

describe("resolveSources leaves credential-like files out of the overlay", () => {
  it("by default: only the code travels, and the run names what it left out", async () => {
    const repo = repoWithSecrets();
    const info: string[] = [];
    const [s] = await resolveSources([suite(repo)], "/", { info: (t) => info.push(t) });
    if (s?.source.kind !== "local") throw new Error("local expected");
    expect(tarNames(s.source.overlay?.archiveBase64 ?? "")).toEqual(["new.py", "test/.npmrc"]);
    const note = info.find((l) => l.includes("left out")) ?? "";
    expect(note).toContain("left out 8 file(s) that look like credentials");
    for (const p of [".env", ".env.local", "certs/tls.key", "certs/ca.pem", "id_rsa", "dev.kubeconfig", ".npmrc", ".pypirc"]) expect(note).toContain(p);
    expect(note).toContain("source.local.include");
  });

  it("ships what source.local.include names", async () => {
    const repo = repoWithSecrets();
    const info: string[] = [];
    const [s] = await resolveSources([suite(repo, ["certs/*.pem", ".env.local"])], "/", { info: (t) => info.push(t) });
    if (s?.source.kind !== "local") throw new Error("local expected");
    expect(tarNames(s.source.overlay?.archiveBase64 ?? "")).toEqual([".env.local", "certs/ca.pem", "new.py", "test/.npmrc"]);
    expect(info.find((l) => l.includes("left out"))).toContain("left out 6 file(s)");
  });

  it("refuses a remote whose URL carries credentials, without printing them", async () => {
    const repo = repoWithSecrets();
    g(repo, "remote", "set-url", "origin", "https://user:tok-9f8e7d@git.example.com/r.git");
    g(repo, "update-ref", "refs/remotes/origin/main", "HEAD");
    const err = await resolveSources([suite(repo)], "/", { info: () => undefined }).then(
      () => undefined,
      (e: unknown) => e as CouldNotRunError,
    );
    expect(err).toMatchObject({ code: "LOCAL_URL_CREDENTIALS" });
    expect(`${err?.message} ${err?.hint}`).not.toContain("tok-9f8e7d");
    expect(err?.hint).toContain("source.local.credentials");
  });
});
