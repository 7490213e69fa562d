// A suite's `runner:` from the config to the Job: validate names the field when a runner cannot
// take the target (exit 2), resolve keeps today's suites as they were, the engine's questions
// (which report, rerun by ids?), and `render` shows the lines the adapter adds.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { rerunsFailedTests, suiteReport } from "../../../src/config/report.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { toYaml } from "../../../src/render/format.js";
import { renderSuite } from "../../../src/render/suite.js";
import { runTestPy } from "../../../src/render/scaffold/run-test-py.js";
import { expectGolden } from "../support/golden.js";
import { runCli } from "../support/run-cli.js";

const HEAD = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image: { registry: registry.shop.internal/team }
source: { git: { url: "https://git.shop.internal/shop.git", ref: main } }
`;
const CONFIG = `${HEAD}suites:
  api:
    runner: node
    test: tests/api/
    install: npm ci
  shop:
    runner: go
    test: -tags=e2e ./e2e/...
    shards: 2
  legacy:
    test: tests/e2e
  web:
    command: [npm, test]
    runner: node
  jest:
    command: [npx, jest]
    junit: junit.xml
  web-jest:
    runner: jest
    test: e2e/ --config=jest.e2e.config.js
    install: npm ci
  web-vitest:
    runner: vitest
    test: tests/e2e/
    install: npm ci
    shards: 2
  vitest-cmd:
    command: [sh, -c, 'npx vitest run --reporter=default --reporter=json --outputFile.json="$INCLUSTER_VITEST_REPORT"']
    runner: vitest
  browser:
    runner: playwright
    test: tests/e2e/ --project=chromium
    install: npm ci
    retries: 1
`;
const config = () => parseConfig(CONFIG, "incluster.yaml");
const testScript = (o: ReturnType<typeof renderSuite>) => o.job.spec.template.spec.containers.find((c) => c.name === "test-runner")!.command![2]!;

async function validate(suites: string) {
  const dir = mkdtempSync(join(tmpdir(), "incluster-runner-"));
  writeFileSync(join(dir, "incluster.yaml"), `${HEAD}suites:\n${suites}`);
  return runCli(["validate"], { cwd: dir });
}

describe("validate: a runner and its target", () => {
  it("refuses a target the runner cannot take, naming the field and the value, exit 2", async () => {
    const r = await validate("  api:\n    runner: go\n    test: x.py\n");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('suites.api.test: go test takes package patterns like ./... or ./pkg/..., not a file path "x.py"');
    const n = await validate("  api:\n    runner: node\n    test: tests/e2e/test_x.py::test_y\n");
    expect(n.stderr).toContain('suites.api.test: node --test takes test files, folders or globs like tests/ or "tests/**/*.test.mjs", not a pytest node id');
    const j = await validate('  web:\n    runner: jest\n    test: "e2e/**/*.test.ts"\n');
    expect(j).toMatchObject({ code: 2 });
    expect(j.stderr).toContain('suites.web.test: jest takes test files or folders like tests/e2e/ (and jest options like --config=jest.e2e.config.js), not a glob "e2e/**/*.test.ts"');
    const v = await validate("  web:\n    runner: vitest\n    test: tests/ --reporter=verbose\n");
    expect(v.stderr).toContain('suites.web.test: incluster sets --reporter itself (its report, a retry\'s tests, a shard); remove "--reporter=verbose" from test');
  });

  it("an unknown runner lists the known ones; junit: beside another runner's target is refused", async () => {
    expect((await validate("  api:\n    runner: mocha\n    test: t\n")).stderr).toContain('suites.api.runner: expected one of pytest, node, go, jest, vitest, playwright, got "mocha"');
    expect((await validate("  api:\n    runner: node\n    test: t/\n    junit: j.xml\n")).stderr).toContain("suites.api.junit: runner node writes and reads its own report");
  });

  it("takes every runner's own target", async () => {
    const r = await validate(
      "  a:\n    runner: node\n    test: tests/\n  b:\n    runner: go\n    test: ./...\n  c:\n    runner: pytest\n    test: tests/e2e\n  d:\n    test: tests/e2e\n" +
        "  e:\n    runner: jest\n    test: e2e/ --runInBand\n  f:\n    runner: vitest\n    test: .\n",
    );
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});

describe("resolve and the engine's questions", () => {
  it("a suite without runner: is pytest, as before; a command without runner: reads its junit: as before", () => {
    const c = config();
    expect(resolveSuite(c, "legacy")).toMatchObject({ runner: { kind: "pytest", test: "tests/e2e" }, junit: "junit.xml" });
    expect(suiteReport(resolveSuite(c, "legacy"))).toEqual({ file: "junit.xml", reader: "pytest" });
    expect(suiteReport(resolveSuite(c, "jest"))).toEqual({ file: "junit.xml", reader: "other" });
    expect(rerunsFailedTests(resolveSuite(c, "legacy"))).toBe(true);
    expect(rerunsFailedTests(resolveSuite(c, "jest"))).toBe(false);
  });

  it("node and go suites read their own reports and rerun their failed ids; a command naming a runner reads that runner's", () => {
    const c = config();
    expect(resolveSuite(c, "api").runner).toEqual({ kind: "node", test: "tests/api/" });
    expect(resolveSuite(c, "api").junit).toBeUndefined();
    expect(suiteReport(resolveSuite(c, "api"))).toEqual({ file: "node-tests.jsonl", reader: "node" });
    expect(suiteReport(resolveSuite(c, "shop"))).toEqual({ file: "go-test.json", reader: "go" });
    expect(resolveSuite(c, "web").runner).toEqual({ kind: "command", argv: ["npm", "test"], reads: "node" });
    expect(suiteReport(resolveSuite(c, "web"))).toEqual({ file: "node-tests.jsonl", reader: "node" });
    expect(rerunsFailedTests(resolveSuite(c, "api"))).toBe(true);
    expect(rerunsFailedTests(resolveSuite(c, "web"))).toBe(false);
  });

  it("jest and vitest suites read their own JSON results and rerun their failed ids; a vitest command reads vitest's", () => {
    const c = config();
    expect(resolveSuite(c, "web-jest")).toMatchObject({ runner: { kind: "jest", test: "e2e/ --config=jest.e2e.config.js" } });
    expect(resolveSuite(c, "web-jest").junit).toBeUndefined();
    expect(suiteReport(resolveSuite(c, "web-jest"))).toEqual({ file: "jest-results.json", reader: "jest" });
    expect(suiteReport(resolveSuite(c, "web-vitest"))).toEqual({ file: "vitest-results.json", reader: "vitest" });
    expect(suiteReport(resolveSuite(c, "vitest-cmd"))).toEqual({ file: "vitest-results.json", reader: "vitest" });
    expect(rerunsFailedTests(resolveSuite(c, "web-jest"))).toBe(true);
    expect(rerunsFailedTests(resolveSuite(c, "web-vitest"))).toBe(true);
    expect(rerunsFailedTests(resolveSuite(c, "vitest-cmd"))).toBe(false);
  });
});

describe("render shows what the adapter adds", () => {
  it("node suite (golden): the reporter written into the pod, the node --test line", () => {
    const o = renderSuite(resolveSuite(config(), "api"), { runId: "k3x9qz" });
    expectGolden("render/node-suite.yaml", toYaml(o));
    expect(testScript(o)).toContain("\n  node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=/incluster/node-reporter.mjs");
  });

  it("go suite with shards (golden): the listing, the split, one go test per package", () => {
    const o = renderSuite(resolveSuite(config(), "shop"), { runId: "k3x9qz" });
    expectGolden("render/go-suite-sharded.yaml", toYaml(o));
    expect(testScript(o)).toContain("go test -tags=e2e -list . ./e2e/...");
  });

  it("jest suite (golden): the project's jest else the one on PATH, its JSON results appended to the report", () => {
    const o = renderSuite(resolveSuite(config(), "web-jest"), { runId: "k3x9qz" });
    expectGolden("render/jest-suite.yaml", toYaml(o));
    expect(testScript(o)).toContain("\n  runjest --ci --json --outputFile=/incluster/.jest-run.json --testLocationInResults --config=jest.e2e.config.js e2e/\n");
  });

  it("vitest suite with shards (golden): vitest's own --shard from the pod's index", () => {
    const o = renderSuite(resolveSuite(config(), "web-vitest"), { runId: "k3x9qz" });
    expectGolden("render/vitest-suite-sharded.yaml", toYaml(o));
    expect(testScript(o)).toContain('--passWithNoTests "--shard=$((INCLUSTER_SHARD_INDEX + 1))/$INCLUSTER_SHARD_COUNT" tests/e2e/\n');
  });

  it("playwright suite (golden): the list and json reporters, the JSON report through PLAYWRIGHT_JSON_OUTPUT_FILE; attempt 2's one --grep", () => {
    const o = renderSuite(resolveSuite(config(), "browser"), { runId: "k3x9qz" });
    expectGolden("render/playwright-suite.yaml", toYaml(o));
    expect(testScript(o)).toContain('\n  "$playwright" test --reporter=list,json --output=/incluster/artifacts/test-results --project=chromium tests/e2e/\n');
    const retry = renderSuite(resolveSuite(config(), "browser"), { runId: "k3x9qz", attempt: 2, rerunIds: ["tests/e2e/cart.spec.ts > cart > adds a coupon"] });
    expect(testScript(retry)).toContain(" --project=chromium '--grep=/(?:^| )(?:(?:tests/)?e2e/)?cart\\.spec\\.ts cart (?:> )?adds a coupon(?: @\\S+)*$/' 'tests/e2e/cart\\.spec\\.ts'\n");
  });

  it("attempt 2 runs the failed ids it is given", () => {
    const api = renderSuite(resolveSuite(config(), "api"), { runId: "k3x9qz", attempt: 2, rerunIds: ["tests/api/orders.test.mjs > orders > rejects an empty cart"] });
    expect(testScript(api)).toContain(" '--test-name-pattern=^orders (?:> )?rejects an empty cart$' tests/api/orders.test.mjs\n");
    const shop = renderSuite({ ...resolveSuite(config(), "shop"), shards: 1 }, { runId: "k3x9qz", attempt: 2, rerunIds: ["example.com/shop/e2e TestCheckout/card"] });
    expect(testScript(shop)).toContain("\n  gotest -tags=e2e -count=1 -run '^TestCheckout$/^(card)$' example.com/shop/e2e\n");
    const jest = renderSuite(resolveSuite(config(), "web-jest"), { runId: "k3x9qz", attempt: 2, rerunIds: ["e2e/cart.test.ts > cart > adds a coupon"] });
    expect(testScript(jest)).toContain(" --config=jest.e2e.config.js -t '^cart (?:> )?adds a coupon$' --runTestsByPath e2e/cart.test.ts\n");
  });

  it("a command that names runner vitest gets where to write its results", () => {
    expect(testScript(renderSuite(resolveSuite(config(), "vitest-cmd")))).toContain("export INCLUSTER_VITEST_REPORT=/incluster/artifacts/vitest-results.json\n");
  });

  it("a command that names runner node gets the reporters through NODE_OPTIONS, then runs as written", () => {
    const script = testScript(renderSuite(resolveSuite(config(), "web")));
    expect(script).toContain('export NODE_OPTIONS="--test-reporter=spec --test-reporter-destination=stdout --test-reporter=/incluster/node-reporter.mjs');
    expect(script).toMatch(/echo "\+ \$\*"\n {2}"\$@"\n/);
  });

  it("scaffold's baked runner runs the runner's own command", () => {
    expect(runTestPy(resolveSuite(config(), "shop"))).toContain('COMMAND = ["go", "test", "-v", "-tags=e2e", "-count=1", "./e2e/..."]');
    expect(runTestPy(resolveSuite(config(), "api"))).toContain('COMMAND = ["node", "--test", "tests/api/**/{test,test/**/*,test-*,*[._-]test}.{js,mjs,cjs,ts,mts,cts}"]');
    expect(runTestPy(resolveSuite(config(), "web-jest"))).toContain('COMMAND = ["npx", "--no-install", "jest", "--ci", "--config=jest.e2e.config.js", "e2e/"]');
  });
});
