// Every case of issue 2's "Bad input" through main(), as a user meets it: exit 2, the path and
// the fix in the message, no stack trace.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";
import { GUIDE_CONFIG_PATH } from "../support/fixtures.js";

const OK_HEAD = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image: { registry: registry.example.com/team }
source: { git: { url: "https://example.com/r.git", ref: main } }
`;

function dirWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), "incluster-bad-"));
  writeFileSync(join(dir, "incluster.yaml"), yaml);
  return dir;
}

async function expectUsage(argv: string[], cwd: string, ...fragments: (string | RegExp)[]) {
  const r = await runCli(argv, { cwd });
  expect(r.code, r.stderr).toBe(2);
  for (const f of fragments) expect(r.stderr).toMatch(f);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stdout).toBe("");
  return r;
}

describe("bad input exits 2 with the path and the fix, no stack trace", () => {
  it("unknown field", async () => {
    await expectUsage(["validate"], dirWith(`${OK_HEAD}suites:\n  smoke: { test: t, timout: 1h }\n`), 'suites.smoke.timout: unknown field "timout" (did you mean "timeout"?)');
  });

  it("wrong type", async () => {
    await expectUsage(["validate"], dirWith(`${OK_HEAD}suites:\n  smoke: { command: "npm test" }\n`), 'suites.smoke.command: expected a list of strings like [npx, vitest, run], got "npm test"');
  });

  it("suite name too long for the Job name", async () => {
    const name = "x".repeat(48);
    await expectUsage(["validate"], dirWith(`${OK_HEAD}suites:\n  ${name}: { test: t }\n`), `suites.${name}: suite name`, "at most 47 fit", "DNS-1123 label of at most 63 characters");
  });

  it("suite name with characters a Job name cannot hold", async () => {
    await expectUsage(["validate"], dirWith(`${OK_HEAD}suites:\n  Smoke_Test: { test: t }\n`), "suites.Smoke_Test: suite name", 'try "smoke-test"');
  });

  it("bad duration", async () => {
    await expectUsage(["validate"], dirWith(`${OK_HEAD}suites:\n  smoke: { test: t, timeout: soon }\n`), 'suites.smoke.timeout: expected a duration like 30m or 1h, got "soon"');
  });

  it("bad quantity", async () => {
    await expectUsage(["render", "smoke"], dirWith(`${OK_HEAD}suites:\n  smoke:\n    test: t\n    resources: { limits: { memory: 512 Mi } }\n`), 'suites.smoke.resources.limits.memory: expected a Kubernetes quantity like 500m, 2Gi or 1.5 (no spaces), got "512 Mi"');
  });

  it("YAML syntax error with line and column", async () => {
    await expectUsage(["validate"], dirWith(`${OK_HEAD}suites:\n  smoke: { test: t\n`), /incluster\.yaml:\d+:\d+: YAML syntax error/);
  });

  it("unknown apiVersion", async () => {
    await expectUsage(["validate"], dirWith(`${OK_HEAD.replace("v1alpha1", "v1")}suites: {}\n`), 'apiVersion: expected "incluster.dev/v1alpha1", got "incluster.dev/v1"');
  });

  it("missing config", async () => {
    await expectUsage(["render", "smoke"], mkdtempSync(join(tmpdir(), "incluster-empty-")), "no incluster.yaml in", "incluster init", "-c/--config");
  });

  it("missing -c file", async () => {
    await expectUsage(["validate", "-c", "nope.yaml"], mkdtempSync(join(tmpdir(), "incluster-empty-")), "(from -c/--config) does not exist");
  });

  it("unknown suite lists the known ones", async () => {
    await expectUsage(["render", "nope", "-c", GUIDE_CONFIG_PATH], tmpdir(), 'unknown suite "nope"', "known suites: vllm-agent-tools, full-architecture-deliberation");
  });

  it("all problems at once", async () => {
    const r = await expectUsage(["validate"], dirWith(`${OK_HEAD}suites:\n  smoke: { test: t, timeout: soon, ttlSecondsAfterFinished: "1h" }\n`), "has 2 problems");
    expect(r.stderr.trim().split("\n")).toHaveLength(3);
  });

  it("bad INCLUSTER_TIMEOUT and -n", async () => {
    const r = await runCli(["validate", "-n", "Not_A_Namespace"], { cwd: tmpdir(), env: { INCLUSTER_CONFIG: GUIDE_CONFIG_PATH, INCLUSTER_TIMEOUT: "soon" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-n/--namespace: namespace "Not_A_Namespace" must be a DNS-1123 label');
    expect(r.stderr).toContain('INCLUSTER_TIMEOUT: expected a duration like 30m or 1h, got "soon"');
  });

  it("unknown flag and missing argument (commander) exit 2 too", async () => {
    await expectUsage(["render", "--bogus"], tmpdir(), "unknown option '--bogus'");
    await expectUsage(["render"], tmpdir(), "missing required argument 'suite'");
    await expectUsage(["render", "x", "-o", "xml"], tmpdir(), "Allowed choices are yaml, json");
    await expectUsage(["frobnicate"], tmpdir(), "unknown command 'frobnicate'");
  });
});

describe("run's own flags are checked before any cluster contact (exit 2)", () => {
  const cwd = () => dirWith(`${OK_HEAD}defaults: { image: registry.example.com/team/img:1 }\nsuites:\n  smoke: { test: t }\n  other: { test: u }\n`);
  it("no suite and several defined", async () => {
    await expectUsage(["run"], cwd(), "which suite? name one or more, or pass --all", "known suites: smoke, other");
  });
  it("suite names and --all together", async () => {
    await expectUsage(["run", "smoke", "--all"], cwd(), "give suite names or --all, not both");
  });
  it("--concurrency 0, --fail-fast soon, -o xml", async () => {
    await expectUsage(["run", "smoke", "--concurrency", "0"], cwd(), '--concurrency: expected a whole number of at least 1, got "0"');
    await expectUsage(["run", "smoke", "--fail-fast", "soon"], cwd(), '--fail-fast: expected a duration like 15s or 2m, got "soon"');
    await expectUsage(["run", "smoke", "-o", "xml"], cwd(), /argument 'xml' is invalid/);
  });
  it("a kubeconfig that cannot be read", async () => {
    await expectUsage(["--kubeconfig", "/nonexistent/kubeconfig", "run", "smoke", "--no-build"], cwd(), "cannot load the kubeconfig", "pass --kubeconfig <file>, set KUBECONFIG");
  });
});
