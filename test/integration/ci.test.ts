// Issue 10 on the project's cluster: the GitHub Action run as GitHub runs it (issue 19), `incluster
// run` with the runner's files, the GitLab template's script lines with GitLab's variables, and
// notifications to real HTTP receivers on 127.0.0.1 (200, 500, never answering).
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XMLParser } from "fast-xml-parser";
import { startReceiver } from "../support/http-receiver.js";
import type { Receiver } from "../support/http-receiver.js";
import { ADMIN_KUBECONFIG, DEMO, ROOT, requireCluster, startCli } from "./support/cli.js";
import { nodeBinary } from "./support/node-build.js";

beforeAll(() => requireCluster());
const work = mkdtempSync(join(tmpdir(), "incluster-ci-"));
/** The environment without the developer's own CI and kubeconfig variables. */
function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(GITHUB_|INPUT_|RUNNER_|GITLAB_|CI_|KUBECONFIG$|CI$)/.test(k)) env[k] = v;
  return { ...env, NO_COLOR: "1", ...extra };
}

function spawnNode(args: string[], env: Record<string, string>, cwd = ROOT, node = process.execPath): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(node, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr, ms: Date.now() - started })));
}

/**
 * What GitHub does for `uses: incluster/incluster@<ref>`: it downloads the repository at that ref
 * to _actions/<owner>/<repo>/<ref> (no `npm install`, no build), reads action.yml, and runs
 * `node <runs.main>` with the runtime `runs.using` names, in the workspace, with an INPUT_<NAME>
 * variable for each `with:` value and each default of action.yml, and the runner's GITHUB_* files.
 */
describe("the GitHub Action as GitHub runs it: a clean clone of HEAD, Node 24", () => {
  const actionDir = join(work, "_actions/incluster/incluster/HEAD");
  const workspace = join(work, "workspace");
  let action: { inputs: Record<string, { default?: string }>; runs: { using: string; main: string } };
  let node = "";

  beforeAll(() => {
    execFileSync("git", ["clone", "--quiet", "--no-hardlinks", ROOT, actionDir]);
    action = parse(readFileSync(join(actionDir, "action.yml"), "utf8")) as typeof action;
    const major = /^node(\d+)$/.exec(action.runs.using)?.[1];
    if (!major) throw new Error(`action.yml runs.using is ${action.runs.using}, not a Node runtime`);
    node = nodeBinary(Number(major));
    // The user's repository as actions/checkout leaves it: the demo's config at its root.
    mkdirSync(workspace, { recursive: true });
    copyFileSync(DEMO, join(workspace, "incluster.yaml"));
  });

  /** The step's environment: the runner's variables, action.yml's defaults, then `with:`. */
  function stepEnv(dir: string, withInputs: Record<string, string>): Record<string, string> {
    mkdirSync(join(dir, "runner-temp"), { recursive: true });
    mkdirSync(join(dir, "home"), { recursive: true });
    const files = Object.fromEntries(["GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "GITHUB_ENV", "GITHUB_PATH", "GITHUB_STATE"].map((k) => [k, join(dir, k.toLowerCase())]));
    for (const f of Object.values(files)) writeFileSync(f, ""); // the runner creates them empty
    const inputs: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.inputs)) if (spec.default !== undefined) inputs[name] = spec.default;
    Object.assign(inputs, withInputs);
    return cleanEnv({
      CI: "true",
      GITHUB_ACTIONS: "true",
      HOME: join(dir, "home"), // no ~/.kube/config: the cluster comes from the kubeconfig input only
      GITHUB_WORKSPACE: workspace,
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_API_URL: "https://api.github.com",
      GITHUB_REPOSITORY: "acme/shop",
      GITHUB_RUN_ID: "4242",
      GITHUB_RUN_NUMBER: "7",
      GITHUB_RUN_ATTEMPT: "1",
      GITHUB_JOB: "e2e",
      GITHUB_WORKFLOW: "e2e",
      GITHUB_EVENT_NAME: "push",
      GITHUB_REF: "refs/heads/main",
      GITHUB_SHA: "0123456789abcdef0123456789abcdef01234567",
      GITHUB_ACTION: "incluster",
      GITHUB_ACTION_REPOSITORY: "incluster/incluster",
      GITHUB_ACTION_REF: "HEAD",
      RUNNER_OS: "Linux",
      RUNNER_ARCH: "X64",
      RUNNER_TEMP: join(dir, "runner-temp"),
      ...files,
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, "_").toUpperCase()}`, v])),
    });
  }

  const runMain = (env: Record<string, string>) => spawnNode([join(actionDir, action.runs.main)], env, workspace, node);

  it("the clone holds the committed entry and no node_modules, no build", () => {
    expect(execFileSync("git", ["-C", actionDir, "ls-files", "--error-unmatch", action.runs.main], { encoding: "utf8" }).trim()).toBe(action.runs.main);
    expect(existsSync(join(actionDir, "node_modules"))).toBe(false);
    expect(existsSync(join(actionDir, "dist"))).toBe(false);
    expect(execFileSync(node, ["--version"], { encoding: "utf8" })).toMatch(/^v24\./);
  });

  it("runs the library, writes the step summary, annotates the failed test and sets the outputs; the kubeconfig secret is never echoed", async () => {
    const dir = join(work, "gha");
    const kubeconfig = readFileSync(ADMIN_KUBECONFIG, "utf8");
    const env = stepEnv(dir, {
      suites: "services fails-on-purpose",
      kubeconfig, // `kubeconfig: ${{ secrets.KUBECONFIG }}`
      "fail-fast": "30s",
      "report-dir": "incluster-report",
    });
    const r = await runMain(env);
    const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, "utf8");
    const outputs = readFileSync(env.GITHUB_OUTPUT!, "utf8");
    console.log(`--- ${node} ${join(actionDir, action.runs.main)}: exit ${r.code} in ${(r.ms / 1000).toFixed(1)} s\n--- GITHUB_STEP_SUMMARY\n${summary}--- annotations (stdout)\n${r.stdout}--- GITHUB_OUTPUT\n${outputs}`);
    expect(r.code, r.stderr.slice(-3000)).toBe(1);
    expect(summary).toMatch(/^### incluster run `[a-z0-9]{6}`: 1 passed, 1 failed — exit code 1$/m);
    expect(summary).toMatch(/^\| services \| ✅ passed \| \d+\.\ds \| — \| (\d+) passed, 0 failed \(\1 tests\) \|$/m);
    expect(summary).toMatch(/^\| fails-on-purpose \| ❌ failed \| \d+\.\ds \| testsFailed \| 0 passed, 1 failed \(1 test\) \|$/m);
    expect(summary).toMatch(/^- \*\*fails-on-purpose\*\* `tests\/e2e\/test_fails_on_purpose\.py::test_fails_on_purpose` \(tests\/e2e\/test\\_fails\\_on\\_purpose\.py:\d+\): AssertionError: this test fails on purpose/m);
    expect(summary).toContain("[GitHub Actions run](https://github.com/acme/shop/actions/runs/4242/attempts/1)");
    expect(r.stdout).toMatch(/^::error file=tests\/e2e\/test_fails_on_purpose\.py,line=\d+,title=fails-on-purpose%3A tests\/e2e\/test_fails_on_purpose\.py%3A%3Atest_fails_on_purpose::AssertionError: this test fails on purpose/m);
    // report-dir is relative to the workspace, for actions/upload-artifact's `path:`.
    expect(outputs).toMatch(/^exit-code=1\nrun-id=[a-z0-9]{6}\npassed=1\nfailed=1\nreport-dir=incluster-report\n$/);
    expect(existsSync(join(workspace, "incluster-report", "result.json"))).toBe(true);
    // The kubeconfig came as contents: written to a 0600 file under RUNNER_TEMP, removed, never printed.
    expect(readdirSync(env.RUNNER_TEMP!)).toEqual([]);
    const secret = /client-key-data: (\S+)/.exec(kubeconfig)?.[1] ?? /token: (\S+)/.exec(kubeconfig)?.[1] ?? "";
    expect(secret.length).toBeGreaterThan(20);
    expect(r.stdout + r.stderr).not.toContain(secret.slice(0, 40));
  });

  it("a bad input: exit 2, the input named, exit-code=2 in the outputs, nothing sent", async () => {
    const env = stepEnv(join(work, "gha-bad"), { retries: "many", suites: "services" });
    const r = await runMain(env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('with.retries: expected a whole number from 0 to 10, got "many"');
    expect(r.stdout).toMatch(/^::error title=incluster::error: with.retries/m);
    expect(readFileSync(env.GITHUB_OUTPUT!, "utf8")).toBe("exit-code=2\n");
  });
});

describe("the GitLab CI template", () => {
  it("its script lines, run with GitLab's predefined variables, leave the JUnit report and the report dir for artifacts", async () => {
    const template = parse(readFileSync(join(ROOT, "ci/gitlab/incluster.gitlab-ci.yml"), "utf8")) as Record<string, { variables: Record<string, string>; script: string[]; artifacts: { when: string; paths: string[]; reports: { junit: string } } }>;
    const job = template[".incluster"]!;
    expect(job.artifacts.when).toBe("always");
    const project = join(work, "gitlab-project");
    const bin = join(work, "gitlab-bin");
    mkdirSync(project, { recursive: true });
    mkdirSync(bin, { recursive: true });
    // What `npm install --global incluster` (before_script) puts on PATH.
    writeFileSync(join(bin, "incluster"), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "bin/incluster.js")}" "$@"\n`);
    chmodSync(join(bin, "incluster"), 0o755);
    const gitlab = {
      CI: "true",
      GITLAB_CI: "true",
      CI_SERVER: "yes",
      CI_JOB_ID: "7001",
      CI_JOB_NAME: "e2e",
      CI_JOB_URL: "https://gitlab.example.com/acme/shop/-/jobs/7001",
      CI_PIPELINE_ID: "501",
      CI_PROJECT_DIR: project,
      CI_COMMIT_SHA: "0123456789abcdef0123456789abcdef01234567",
      CI_COMMIT_REF_NAME: "main",
      // A CI/CD variable of type File: GitLab puts the contents in a file and this variable names it.
      KUBECONFIG: ADMIN_KUBECONFIG,
      INCLUSTER_CONFIG: DEMO,
    };
    const vars: Record<string, string> = { ...job.variables, INCLUSTER_SUITES: "services fails-on-purpose" };
    const env = cleanEnv({ ...gitlab, ...vars, PATH: `${bin}:${process.env.PATH ?? ""}` });
    // GitLab runs the lines in one shell that stops at the first failing line.
    const script = ["set -eo pipefail", ...job.script].join("\n");
    const child = spawn("bash", ["-c", script], { cwd: project, env, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const expand = (p: string) => p.replace(/\$INCLUSTER_REPORT_DIR/g, vars.INCLUSTER_REPORT_DIR!);
    const junitPath = join(project, expand(job.artifacts.reports.junit));
    const junit = readFileSync(junitPath, "utf8");
    console.log(`--- GitLab script exit ${code}\n--- ${expand(job.artifacts.reports.junit)}\n${junit}--- artifacts:paths ${job.artifacts.paths.map(expand).join(" ")}: ${readdirSync(join(project, expand(job.artifacts.paths[0]!))).sort().join(" ")}`);
    expect(code, stderr.slice(-2000)).toBe(1);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(junit) as { testsuites: { tests: string; failures: string; testsuite: { name: string; testcase: { name: string; file?: string; failure?: unknown } | { name: string }[] }[] } };
    expect(doc.testsuites).toMatchObject({ failures: "1", errors: "0" });
    expect(doc.testsuites.testsuite.map((s) => s.name).sort()).toEqual(["fails-on-purpose", "services"]);
    const reportDir = join(project, expand(job.artifacts.paths[0]!));
    for (const f of ["result.json", "run.json", "services", "fails-on-purpose"]) expect(existsSync(join(reportDir, f)), f).toBe(true);
  });
});

describe("notifications from a real run", () => {
  const receivers: Receiver[] = [];
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  function configWith(name: string, notify: object[]): string {
    const c = parse(readFileSync(DEMO, "utf8")) as Record<string, unknown>;
    const path = join(work, `${name}.yaml`);
    writeFileSync(path, stringify({ ...c, notify }));
    return path;
  }

  it("slack and webhook receive their payloads; the CLI also writes the step summary; no URL is printed", async () => {
    const slack = await startReceiver("ok");
    const hook = await startReceiver("ok");
    receivers.push(slack, hook);
    const config = configWith("notify-ok", [
      { type: "slack", urlFromEnv: "SLACK_WEBHOOK_URL", on: "always" },
      { type: "webhook", urlFromFile: join(work, "hook-url"), on: "always" },
    ]);
    writeFileSync(join(work, "hook-url"), `${hook.url}\n`, { mode: 0o600 });
    const summary = join(work, "cli-summary.md");
    const { done } = startCli(["-c", config, "-v", "run", "services", "--report-dir", join(work, "notify-ok-report")], {
      SLACK_WEBHOOK_URL: slack.url,
      CI_JOB_URL: "https://gitlab.example.com/acme/shop/-/jobs/7001",
      GITHUB_STEP_SUMMARY: summary,
    });
    const r = await done;
    console.log(`--- slack payload\n${JSON.stringify(JSON.parse(slack.received[0]?.body ?? "null"), null, 2)}\n--- webhook payload (first 600 chars)\n${hook.received[0]?.body.slice(0, 600)}\n--- incluster run's GITHUB_STEP_SUMMARY\n${readFileSync(summary, "utf8")}`);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(slack.received).toHaveLength(1);
    const message = JSON.parse(slack.received[0]!.body) as { text: string; blocks: { text: { text: string } }[] };
    expect(message.text).toMatch(/^incluster run [a-z0-9]{6}: 1 passed, 0 failed — exit code 0$/);
    expect(message.blocks[0]!.text.text).toContain("<https://gitlab.example.com/acme/shop/-/jobs/7001|GitLab CI job>");
    expect(message.blocks[1]!.text.text).toMatch(/^\*services\* :white_check_mark: passed, \d+\.\ds$/);
    const posted = JSON.parse(hook.received[0]!.body) as { kind: string; exitCode: number; suites: { suite: string; verdict: string; tests?: unknown[] }[] };
    expect(posted).toMatchObject({ kind: "RunResult", exitCode: 0, suites: [{ suite: "services", verdict: "passed" }] });
    expect(r.stderr).toMatch(/notify\[0\] \(slack, \$SLACK_WEBHOOK_URL\): sent \(HTTP 200\)/);
    expect(r.stderr + r.stdout).not.toContain(slack.url.split("/hook/")[1]!);
    expect(readFileSync(summary, "utf8")).toMatch(/\| services \| ✅ passed \|/);
  });

  it("a receiver answering 500 and one that never answers: warnings, the exit code unchanged, wall time bounded", async () => {
    const failing = await startReceiver("error500");
    const silent = await startReceiver("silent");
    receivers.push(failing, silent);
    const config = configWith("notify-bad", [
      { type: "webhook", urlFromEnv: "FAILING_HOOK", on: "always" },
      { type: "slack", urlFromEnv: "SILENT_HOOK", on: "always" },
    ]);
    const started = Date.now();
    const eventsFile = join(work, "notify-bad-events.jsonl");
    const args = ["-c", config, "run", "services", "--report-dir", join(work, "notify-bad-report"), "--events", eventsFile];
    const cli = startCli(args, { FAILING_HOOK: failing.url, SILENT_HOOK: silent.url });
    const r = await cli.done;
    const exitedAt = Date.now();
    // The notifications are sent before run.finished (the last event, which carries their warnings).
    const events = readFileSync(eventsFile, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; ts: string });
    const verdictAt = Math.max(...events.filter((e) => e.type === "suite.verdict").map((e) => Date.parse(e.ts)));
    expect(events.at(-1)?.type).toBe("run.finished");
    const afterVerdict = Date.parse(events.at(-1)?.ts ?? "") - verdictAt;
    console.log(`--- 500 + silent receivers: exit ${r.code}, wall ${((exitedAt - started) / 1000).toFixed(1)} s, of which after the verdict ${(afterVerdict / 1000).toFixed(1)} s; 500 receiver got ${failing.received.length} POSTs, silent receiver ${silent.received.length}\n${r.stderr.split("\n").filter((l) => l.includes("notify[")).join("\n")}`);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(failing.received).toHaveLength(2);
    expect(silent.received).toHaveLength(2);
    expect(r.stderr).toContain("incluster: warning: notify[0] (webhook, $FAILING_HOOK): not delivered after 2 attempts: HTTP 500");
    expect(r.stderr).toContain("incluster: warning: notify[1] (slack, $SILENT_HOOK): not delivered after 2 attempts: timed out after 5s");
    // Both at once, between the verdict and run.finished: two 5 s attempts and the 1 s pause.
    expect(afterVerdict).toBeGreaterThan(10_000);
    expect(afterVerdict).toBeLessThan(13_000);
    expect(r.stderr + r.stdout).not.toContain("secret-token");
  });
});
