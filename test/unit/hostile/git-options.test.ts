// A git URL or ref that starts with '-' never becomes a git option: the schema refuses it, the
// source stage refuses it before `git ls-remote`, and the clone script passes "--" before the URL
// (defence in depth, run here with the real git against a URL that would run a command).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ResolvedSuite } from "../../../src/config/resolve.js";
import { CLONE_SCRIPT, cloneScript } from "../../../src/render/clone-script.js";
import { resolveSources } from "../../../src/source/resolve-sources.js";

const hasGit = spawnSync("git", ["--version"]).status === 0;

describe("git options from URLs", () => {
  for (const [name, script] of [["plain clone", CLONE_SCRIPT], ["with credentials and overlay", cloneScript({ credentials: true, overlay: false })]] as const) {
    it.skipIf(!hasGit)(`the clone script (${name}) hands a '-' URL to git as a repository, not an option${hasGit ? "" : " (skipped: no git here)"}`, () => {
      const dir = mkdtempSync(join(tmpdir(), "incluster-clone-"));
      const marker = join(dir, "touched");
      const workspace = join(dir, "workspace");
      const r = spawnSync("/bin/sh", ["-c", script.replaceAll("/workspace", workspace)], {
        env: { PATH: process.env.PATH ?? "", HOME: dir, GIT_TERMINAL_PROMPT: "0", GIT_URL: `--upload-pack=touch ${marker};`, GIT_REF: "main" },
        encoding: "utf8",
      });
      expect(r.status).not.toBe(0);
      expect(existsSync(marker)).toBe(false);
      expect(r.stderr).toMatch(/does not exist|not found|could not clone/i);
    });
  }

  it("the fetch-by-commit path too", () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-clone-"));
    const marker = join(dir, "touched");
    const r = spawnSync("/bin/sh", ["-c", CLONE_SCRIPT.replaceAll("/workspace", join(dir, "ws"))], {
      env: { PATH: process.env.PATH ?? "", HOME: dir, GIT_TERMINAL_PROMPT: "0", GIT_URL: `--upload-pack=touch ${marker};`, GIT_REF: "main", GIT_COMMIT: "a".repeat(40) },
      encoding: "utf8",
    });
    expect(r.status).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  });

  it("the source stage refuses a '-' URL before git ls-remote", async () => {
    const suite = { name: "s", source: { kind: "git", url: "--upload-pack=touch /tmp/x", ref: "main", cloneImage: "g" } } as unknown as ResolvedSuite;
    await expect(resolveSources([suite], "/", { info: () => undefined })).rejects.toMatchObject({ code: "GIT_BAD_URL" });
  });

  it("git itself would have run the command without the '--' (the threat is real)", () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-clone-"));
    const marker = join(dir, "touched");
    spawnSync("git", ["ls-remote", `--upload-pack=touch ${marker};`, "main"], { env: { ...process.env, GIT_TERMINAL_PROMPT: "0" }, cwd: dir });
    expect(existsSync(marker)).toBe(true);
    execFileSync("rm", ["-f", marker]);
  });
});
