// Which runners a repository's tests use, for `incluster init`: go.mod, package.json (jest,
// vitest, @playwright/test, a `node --test` script or *.test.mjs files importing node:test),
// playwright.config.*, pytest's files. Pure: the repository is read through a RepoView.
import type { RunnerName } from "./types.js";

/** The repository as detection reads it; paths are relative to its root, with "/". */
export interface RepoView {
  /** A file's text; undefined when it is not a readable file. */
  read(path: string): string | undefined;
  /** A folder's entries (names only, folders marked); [] when it is not a folder. */
  list(path: string): { name: string; dir: boolean }[];
}

/** A suite init writes for a runner it found (pytest's suites are starter.ts's, from the test folders). */
export interface DetectedSuite {
  /** The folder its name comes from, else its runner's name. */
  dir: string;
  name: "go" | "node" | "playwright" | "vitest" | "jest";
  runner: RunnerName;
  test: string;
  install?: string;
  /** What was found, for a comment above the suite. */
  why: string;
  /** An image with the runner in it, for image.base when no pytest suite needs Python. */
  base: string;
}

/** The folders init looks in for end-to-end tests, most specific first. */
export const E2E_DIRS = ["tests/e2e", "test/e2e", "e2e", "tests/integration", "test/integration"];
const NODE_TEST_DIRS = [...E2E_DIRS, "tests", "test"];
const PYTEST_FILES: readonly [string, RegExp | undefined][] = [
  ["pytest.ini", undefined],
  ["conftest.py", undefined],
  ["pyproject.toml", /^\[tool\.pytest/m],
  ["setup.cfg", /^\[tool:pytest\]/m],
  ["tox.ini", /^\[pytest\]/m],
];

function walk(repo: RepoView, dir: string, depth: number, visit: (path: string) => boolean): boolean {
  for (const e of repo.list(dir)) {
    if (e.name.startsWith(".") || e.name === "node_modules" || e.name === "vendor" || e.name === "__pycache__") continue;
    const path = dir ? `${dir}/${e.name}` : e.name;
    if (e.dir ? depth > 0 && walk(repo, path, depth - 1, visit) : visit(path)) return true;
  }
  return false;
}

/** pytest's own configuration, or a Python test file within two levels of an e2e folder. */
export function usesPytest(repo: RepoView): boolean {
  if (PYTEST_FILES.some(([f, re]) => {
    const text = repo.read(f);
    return text !== undefined && (!re || re.test(text));
  })) return true;
  return E2E_DIRS.some((d) => walk(repo, d, 2, (p) => /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(p)));
}

function packageJson(repo: RepoView): { deps: Record<string, string>; testScript: string } | undefined {
  const text = repo.read("package.json");
  if (text === undefined) return undefined;
  try {
    const p = JSON.parse(text) as { dependencies?: unknown; devDependencies?: unknown; scripts?: { test?: unknown } };
    const obj = (v: unknown) => (v && typeof v === "object" ? (v as Record<string, string>) : {});
    return { deps: { ...obj(p.dependencies), ...obj(p.devDependencies) }, testScript: typeof p.scripts?.test === "string" ? p.scripts.test : "" };
  } catch {
    return undefined;
  }
}

function nodeInstall(repo: RepoView): string {
  if (repo.read("pnpm-lock.yaml") !== undefined) return "pnpm install --frozen-lockfile";
  if (repo.read("yarn.lock") !== undefined) return "yarn install --frozen-lockfile";
  return repo.read("package-lock.json") !== undefined ? "npm ci" : "npm install";
}

/** The folder holding node:test files (*.test.mjs and the like that import node:test), if any. */
function nodeTestDir(repo: RepoView): string | undefined {
  const imports = /from\s+["']node:test["']|require\(\s*["']node:test["']\s*\)/;
  return NODE_TEST_DIRS.find((d) => walk(repo, d, 2, (p) => /[._-]test\.[cm]?[jt]s$/.test(p) && imports.test(repo.read(p) ?? "")));
}

/** The first folder that holds go test files within two levels, else the whole module. */
function goTarget(repo: RepoView): { dir: string; test: string } {
  const dir = E2E_DIRS.find((d) => walk(repo, d, 2, (p) => p.endsWith("_test.go")));
  return dir ? { dir, test: `./${dir}/...` } : { dir: "", test: "./..." };
}

const NODE_BASE = "docker.io/library/node:24-slim";
/** Jest's and Vitest's default test files: *.test.* and *.spec.* of JavaScript and TypeScript. */
const JS_TEST_FILE = /[._-](test|spec)\.[cm]?[jt]sx?$/;
/** A test file of Playwright's or node:test's, not Jest's or Vitest's. */
const OTHER_RUNNER = /from\s+["'](@playwright\/test|node:test)["']|require\(\s*["'](@playwright\/test|node:test)["']\s*\)/;

export function detectSuites(repo: RepoView): DetectedSuite[] {
  const found: DetectedSuite[] = [];
  if (repo.read("go.mod") !== undefined) found.push({ ...goTarget(repo), name: "go", runner: "go", why: "go.mod", base: "docker.io/library/golang:1.26" });
  const pkg = packageJson(repo);
  const playwrightConfig = ["ts", "js", "mjs", "cjs", "mts"].map((e) => `playwright.config.${e}`).find((f) => repo.read(f) !== undefined);
  if (pkg || playwrightConfig) {
    const deps = pkg?.deps ?? {};
    const install = nodeInstall(repo);
    if (deps["@playwright/test"] !== undefined || playwrightConfig) {
      const version = /^\D*(\d+\.\d+\.\d+)$/.exec(deps["@playwright/test"] ?? "")?.[1];
      // Every test of the config (its testDir says where they are); Playwright's image of that version has the browsers.
      found.push({
        dir: E2E_DIRS.find((d) => repo.list(d).length > 0) ?? "",
        name: "playwright",
        runner: "playwright",
        test: ".",
        install,
        why: playwrightConfig ?? "@playwright/test in package.json",
        base: version ? `mcr.microsoft.com/playwright:v${version}-noble` : NODE_BASE,
      });
    }
    // Jest and Vitest: their own adapters, over the e2e folder that holds their test files, else everything.
    for (const runner of ["vitest", "jest"] as const) {
      if (deps[runner] === undefined) continue;
      const dir = E2E_DIRS.find((d) => walk(repo, d, 2, (p) => JS_TEST_FILE.test(p) && !OTHER_RUNNER.test(repo.read(p) ?? "")));
      found.push({ dir: dir ?? "", name: runner, runner, test: dir ? `${dir}/` : ".", install, why: `${runner} in package.json`, base: NODE_BASE });
    }
    const script = /(?:^|[\s;&|])node\s+(?:[^;&|]*\s)?--test\b([^;&|]*)/.exec(pkg?.testScript ?? "");
    const dir = nodeTestDir(repo);
    if (script || dir) {
      // The script's own paths when it names some (its options are incluster's to set).
      const named = (script?.[1] ?? "").split(/\s+/).filter((w) => w && !w.startsWith("-")).map((w) => w.replace(/^["']|["']$/g, ""));
      const test = named.length ? named.join(" ") : dir ? `${dir}/` : ".";
      // Named after the first path the script names, else the folder of the test files.
      const from = named[0]?.replace(/\/?[*{[?].*$/, "").replace(/\/+$/, "") ?? dir ?? "";
      const why = script ? `"test": "${pkg?.testScript}" in package.json` : `node:test files in ${dir}/`;
      found.push({ dir: from, name: "node", runner: "node", test, install, why, base: NODE_BASE });
    }
  }
  return found;
}
