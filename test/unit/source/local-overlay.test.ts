// source: local against real git repositories in a temp folder (git is the user's tool, not a
// cluster): the base commit is the newest one the remote has, the overlay holds exactly the
// working tree's differences, the repository is left as it was, and the size limit names files.
import { execFileSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import type { ResolvedSuite } from "../../../src/config/resolve.js";
import { CouldNotRunError } from "../../../src/errors.js";
import { resolveSources } from "../../../src/source/resolve-sources.js";

const tmp = mkdtempSync(join(tmpdir(), "incluster-local-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const g = (cwd: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" }).trim();

function setup(): { repo: string; pushed: string } {
  const bare = join(tmp, `remote-${Math.random().toString(36).slice(2)}.git`);
  const seed = `${bare}-seed`;
  g(tmp, "init", "-q", "--bare", bare);
  g(tmp, "init", "-q", seed);
  writeFileSync(join(seed, "keep.py"), "x = 1\n");
  writeFileSync(join(seed, "gone.py"), "y = 1\n");
  writeFileSync(join(seed, ".gitignore"), "*.log\n");
  g(seed, "add", ".");
  g(seed, "commit", "-qm", "base");
  g(seed, "push", "-q", bare, "HEAD:refs/heads/main");
  const repo = `${bare}-clone`;
  g(tmp, "clone", "-q", bare, repo);
  return { repo, pushed: g(repo, "rev-parse", "HEAD") };
}

const suite = (path: string): ResolvedSuite => ({
  name: "s",
  namespace: "ns",
  image: "i:1",
  imagePullPolicy: "IfNotPresent",
  source: { kind: "local", path, remote: "origin", cloneImage: "git:2" },
  runner: { kind: "pytest", test: "t" },
  env: {},
  envRefs: {},
  resources: {},
  timeoutSeconds: 60,
  ttlSecondsAfterFinished: 60,
  kubernetesAccess: false,
});
const quiet = { info: () => undefined };

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
  return names;
}

describe("resolveSources, source: local", () => {
  it("base = the newest pushed commit of HEAD; overlay = unpushed commit + staged + unstaged + untracked, minus ignored; deletions listed", async () => {
    const { repo, pushed } = setup();
    writeFileSync(join(repo, "committed.py"), "c = 1\n");
    g(repo, "add", "committed.py");
    g(repo, "commit", "-qm", "local only, never pushed");
    writeFileSync(join(repo, "staged.py"), "s = 1\n");
    g(repo, "add", "staged.py");
    writeFileSync(join(repo, "keep.py"), "x = 2  # edited\n");
    writeFileSync(join(repo, "new.py"), "n = 1\n");
    writeFileSync(join(repo, "debug.log"), "ignored\n");
    unlinkSync(join(repo, "gone.py"));
    const before = {
      status: g(repo, "--no-optional-locks", "status", "--porcelain"),
      index: createHash("sha256").update(readFileSync(join(repo, ".git/index"))).digest("hex"),
      head: g(repo, "rev-parse", "HEAD"),
      stash: g(repo, "stash", "list"),
    };
    const [s] = await resolveSources([suite(repo)], "/", quiet);
    if (s?.source.kind !== "local") throw new Error("local expected");
    expect(s.source.commit).toBe(pushed);
    expect(s.source.url).toMatch(/remote-.*\.git$/);
    expect(s.source.overlay?.deleted).toEqual(["gone.py"]);
    expect(tarNames(s.source.overlay?.archiveBase64 ?? "").sort()).toEqual(["committed.py", "keep.py", "new.py", "staged.py"]);
    expect({
      status: g(repo, "--no-optional-locks", "status", "--porcelain"),
      index: createHash("sha256").update(readFileSync(join(repo, ".git/index"))).digest("hex"),
      head: g(repo, "rev-parse", "HEAD"),
      stash: g(repo, "stash", "list"),
    }).toEqual(before);
  });

  it("path may be a subfolder: the whole working tree's changes are delivered, with paths from its top", async () => {
    const { repo } = setup();
    execFileSync("mkdir", ["-p", join(repo, "sub/dir")]);
    writeFileSync(join(repo, "sub/dir/t.py"), "t\n");
    writeFileSync(join(repo, "top.py"), "t\n");
    const [s] = await resolveSources([suite(join(repo, "sub"))], "/", quiet);
    if (s?.source.kind !== "local") throw new Error("local expected");
    expect(tarNames(s.source.overlay?.archiveBase64 ?? "").sort()).toEqual(["sub/dir/t.py", "top.py"]);
  });

  it("over the size limit: exit-3 error naming the compressed size and the biggest files", async () => {
    const { repo } = setup();
    writeFileSync(join(repo, "big.bin"), randomBytes(50_000)); // incompressible
    writeFileSync(join(repo, "small.py"), "a = 1\n");
    const err = await resolveSources([suite(repo)], "/", quiet, { limit: 1024 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CouldNotRunError);
    expect((err as CouldNotRunError).code).toBe("LOCAL_OVERLAY_TOO_BIG");
    expect((err as Error).message).toMatch(/the local overlay is [\d.]+ KiB compressed; the limit is 1\.0 KiB .* Biggest files: big\.bin \(48\.8 KiB\), small\.py \(6 B\)/);
  });

  it("nothing of HEAD on the remote: says to push once", async () => {
    const repo = join(tmp, "lonely");
    g(tmp, "init", "-q", repo);
    writeFileSync(join(repo, "a.py"), "a\n");
    g(repo, "add", ".");
    g(repo, "commit", "-qm", "only here");
    g(repo, "remote", "add", "origin", "git://example.invalid/x.git");
    const err = (await resolveSources([suite(repo)], "/", quiet).catch((e: unknown) => e)) as CouldNotRunError;
    expect(err.code).toBe("LOCAL_NO_BASE");
    expect(err.hint).toContain("git push origin HEAD");
  });
});
