// Facts about the repository for `incluster init`: git remote and branch (through git itself),
// and test folders (by looking for the usual names).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { RepoFacts } from "../config/starter.js";

const E2E_DIRS = ["tests/e2e", "test/e2e", "e2e", "tests/integration", "test/integration"];

function git(root: string, args: string[]): string | undefined {
  try {
    const out = execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return out || undefined;
  } catch {
    return undefined; // not a repository, no remote, or no git: init writes placeholders instead
  }
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

function hasTests(dir: string): boolean {
  return readdirSync(dir).some((f) => /^test_.*\.py$|_test\.py$/.test(f));
}

/** Each usual e2e folder; when its subfolders hold tests, one entry per subfolder. */
export function findTestDirs(root: string): string[] {
  const found: string[] = [];
  for (const rel of E2E_DIRS) {
    const abs = join(root, rel);
    if (!isDir(abs)) continue;
    const subs = readdirSync(abs)
      .filter((d) => !d.startsWith(".") && !d.startsWith("__") && isDir(join(abs, d)) && hasTests(join(abs, d)))
      .sort();
    if (subs.length > 0) found.push(...subs.map((s) => `${rel}/${s}`));
    else found.push(rel);
  }
  return found;
}

export function repoFacts(root: string): RepoFacts {
  const top = git(root, ["rev-parse", "--show-toplevel"]) ?? root;
  // symbolic-ref also answers in a repository without commits; it is empty when detached.
  const branch = git(root, ["symbolic-ref", "--short", "-q", "HEAD"]);
  return {
    repoName: basename(top),
    remoteUrl: git(root, ["config", "--get", "remote.origin.url"]),
    branch,
    testDirs: findTestDirs(root),
    pipInstallable: existsSync(join(root, "pyproject.toml")) || existsSync(join(root, "setup.py")),
    requirementsTxt: existsSync(join(root, "requirements.txt")),
  };
}
