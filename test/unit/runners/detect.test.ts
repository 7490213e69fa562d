// `incluster init` detects each runner from a repository on disk (a temp dir per case) and writes
// a suite that validates.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoFacts } from "../../../src/cli/repo-facts.js";
import { parseConfig } from "../../../src/config/parse.js";
import { runCli } from "../support/run-cli.js";

function repo(files: Record<string, string>): string {
  const root = join(mkdtempSync(join(tmpdir(), "incluster-detect-")), "shop");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const pkg = (o: object) => JSON.stringify(o);
const NODE_TEST = 'import { test } from "node:test";\ntest("ok", () => {});\n';

/** init, then validate once init's placeholders are replaced: the suites it wrote. */
async function init(root: string) {
  const r = await runCli(["init"], { cwd: root });
  expect(r.code, r.stderr).toBe(0);
  const path = join(root, "incluster.yaml");
  const text = readFileSync(path, "utf8").replace("registry.example.com", "ghcr.io").replace("https://example.com/your-org/", "https://git.shop.internal/");
  writeFileSync(path, text);
  const v = await runCli(["validate"], { cwd: root });
  expect(v, text).toMatchObject({ code: 0, stderr: "" });
  return { text, config: parseConfig(text, path) };
}

describe("init detects the runner", () => {
  it("go.mod: a go suite over the module, or over the e2e folder that holds go tests", async () => {
    expect(repoFacts(repo({ "go.mod": "module example.com/shop\n" })).detected).toMatchObject([{ runner: "go", test: "./...", name: "go" }]);
    const { config, text } = await init(repo({ "go.mod": "module example.com/shop\n", "e2e/checkout/checkout_test.go": "package checkout\n" }));
    expect(config.suites).toEqual({ shop: { runner: "go", test: "./e2e/..." } });
    expect(config.image?.base).toBe("docker.io/library/golang:1.26");
    expect(text).toContain("# found: go.mod\n");
    expect(text).not.toContain("pip install");
  });

  it('node:test from the "test" script: its paths, and npm ci with a lockfile', async () => {
    const { config } = await init(repo({ "package.json": pkg({ scripts: { test: "node --test --test-reporter=spec tests/api/" } }), "package-lock.json": "{}", "tests/api/orders.test.mjs": NODE_TEST }));
    expect(config.suites).toEqual({ api: { runner: "node", test: "tests/api/", install: "npm ci" } });
    expect(config.image?.base).toBe("docker.io/library/node:24-slim");
  });

  it("node:test from *.test.mjs files that import node:test", async () => {
    const { config } = await init(repo({ "package.json": pkg({ name: "shop" }), "tests/e2e/orders.test.mjs": NODE_TEST, "tests/e2e/util.mjs": "export {};\n" }));
    expect(config.suites).toEqual({ shop: { runner: "node", test: "tests/e2e/", install: "npm install" } });
  });

  it("jest and vitest: their own runners (no JUnit recipe), over the whole project", async () => {
    const { config, text } = await init(repo({ "package.json": pkg({ devDependencies: { jest: "^30.0.0", "jest-junit": "^16.0.0", vitest: "^5.1.0" } }), "yarn.lock": "" }));
    expect(config.suites).toEqual({
      vitest: { runner: "vitest", test: ".", install: "yarn install --frozen-lockfile" },
      jest: { runner: "jest", test: ".", install: "yarn install --frozen-lockfile" },
    });
    expect(text).toContain("  # found: jest in package.json\n  jest:\n    runner: jest\n");
    expect(config.image?.base).toBe("docker.io/library/node:24-slim");
  });

  it("jest or vitest over the e2e folder that holds their test files (not Playwright's specs)", async () => {
    const { config } = await init(repo({ "package.json": pkg({ devDependencies: { jest: "30" } }), "package-lock.json": "{}", "test/e2e/checkout/cart.test.ts": "test('x', () => {});\n" }));
    expect(config.suites).toEqual({ shop: { runner: "jest", test: "test/e2e/", install: "npm ci" } });
    const both = repoFacts(repo({
      "package.json": pkg({ devDependencies: { vitest: "5", "@playwright/test": "1.49.1" } }),
      "e2e/login.spec.ts": 'import { test } from "@playwright/test";\n',
      "tests/integration/api.test.ts": 'import { test } from "vitest";\n',
    }));
    expect(both.detected).toMatchObject([{ name: "playwright", runner: "playwright", test: "." }, { runner: "vitest", test: "tests/integration/" }]);
  });

  it("playwright: from @playwright/test or playwright.config.*, runner: playwright on Playwright's image of that version", async () => {
    const { config } = await init(repo({ "package.json": pkg({ devDependencies: { "@playwright/test": "1.49.1" } }), "playwright.config.ts": "export default {};\n", "e2e/login.spec.ts": "" }));
    expect(config.suites).toEqual({
      shop: { runner: "playwright", test: ".", install: "npm install" },
    });
    expect(config.image?.base).toBe("mcr.microsoft.com/playwright:v1.49.1-noble");
  });

  it("pytest beside go: both suites, Python's base, the go suite says it needs go", async () => {
    const { config, text } = await init(repo({ "go.mod": "module x\n", "pytest.ini": "[pytest]\n", "tests/e2e/test_flow.py": "def test_ok():\n    pass\n" }));
    expect(config.suites).toEqual({ shop: { test: "tests/e2e" }, go: { runner: "go", test: "./..." } });
    expect(config.image?.base).toBe("python:3.13-slim");
    expect(text).toContain("# found: go.mod (image.base is Python's: this suite needs an image with go in it)");
  });

  it("a node repository's tests/e2e is not taken for pytest's", () => {
    const facts = repoFacts(repo({ "package.json": pkg({ scripts: { test: "node --test" } }), "tests/e2e/a.test.mjs": NODE_TEST }));
    expect(facts.testDirs).toEqual([]);
    expect(facts.detected).toMatchObject([{ runner: "node", test: "tests/e2e/" }]);
  });

  it("nothing found: today's pytest starter, unchanged", () => {
    expect(repoFacts(repo({ "README.md": "hi\n" })).detected).toBeUndefined();
  });
});
