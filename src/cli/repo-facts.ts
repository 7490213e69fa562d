// Facts about the repository for `incluster init`: git remote and branch (through git itself),
// and test folders (by looking for the usual names).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import type { RepoFacts } from "../config/starter.js";
import { E2E_DIRS, detectSuites, usesPytest, type RepoView } from "../runners/detect.js";

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

/** The repository on disk as runners/detect.ts reads it. */
export function repoView(root: string): RepoView {
  return {
    read: (path) => {
      try {
        return statSync(join(root, path)).isFile() ? readFileSync(join(root, path), "utf8") : undefined;
      } catch {
        return undefined;
      }
    },
    list: (path) => {
      try {
        return readdirSync(join(root, path), { withFileTypes: true }).map((e) => ({ name: e.name, dir: e.isDirectory() }));
      } catch {
        return [];
      }
    },
  };
}

export function repoFacts(root: string): RepoFacts {
  const view = repoView(root);
  const detected = detectSuites(view);
  const top = git(root, ["rev-parse", "--show-toplevel"]) ?? root;
  // symbolic-ref also answers in a repository without commits; it is empty when detached.
  const branch = git(root, ["symbolic-ref", "--short", "-q", "HEAD"]);
  return {
    repoName: basename(top),
    remoteUrl: git(root, ["config", "--get", "remote.origin.url"]),
    branch,
    // Another runner's folders are not pytest's: with one found, only Python tests make a pytest suite.
    testDirs: detected.length && !usesPytest(view) ? [] : findTestDirs(root),
    pipInstallable: existsSync(join(root, "pyproject.toml")) || existsSync(join(root, "setup.py")),
    requirementsTxt: existsSync(join(root, "requirements.txt")),
    ...(detected.length ? { detected } : {}),
  };
}
