// Issue 19, item 6: the preflight comes first. The built CLI against stand-ins on 127.0.0.1 (no
// cluster needed): a refused connection, a server that accepts and never answers, and one that
// answers like Kubernetes 1.28. Each time `run` says could not run (exit 3) before any source is
// resolved or image built, and exits on its own; `doctor` shows what it could not check as `?`.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "../../src/events/types.js";
import { PREFLIGHT_ANSWER_MS } from "../../src/run/preflight.js";
import { cli } from "./support/cli.js";
import { kubeconfigFor, silentServer, versionServer } from "./support/local-apiserver.js";
import type { LocalServer } from "./support/local-apiserver.js";

const work = mkdtempSync(join(tmpdir(), "incluster-it-preflight-"));
// A suite incluster would build from the working tree: a build started would show as events.
const project = join(work, "project");
const CONFIG = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: default
image: { registry: "127.0.0.1:5000/preflight" }
source: { local: {} }
suites:
  smoke: { test: tests }
`;

let silent: LocalServer;
let old: LocalServer;

beforeAll(async () => {
  mkdirSync(join(project, "tests"), { recursive: true });
  writeFileSync(join(project, "incluster.yaml"), CONFIG);
  writeFileSync(join(project, "tests", "test_x.py"), "def test_x():\n    pass\n");
  execFileSync("git", ["init", "-q"], { cwd: project });
  [silent, old] = await Promise.all([silentServer(), versionServer("v1.28.3")]);
  writeFileSync(join(work, "refused.kubeconfig"), kubeconfigFor("https://127.0.0.1:1"));
  writeFileSync(join(work, "silent.kubeconfig"), kubeconfigFor(silent.url));
  writeFileSync(join(work, "old.kubeconfig"), kubeconfigFor(old.url));
});

afterAll(async () => {
  await Promise.all([silent?.close(), old?.close()]);
});

/** `run` with --events; the run's event types in order and its wall time. */
async function run(kubeconfig: string) {
  const events = join(work, `${kubeconfig}.jsonl`);
  const t0 = Date.now();
  const r = await cli(["--kubeconfig", join(work, kubeconfig), "-c", join(project, "incluster.yaml"), "run", "--events", events, "--report-dir", join(work, `${kubeconfig}-report`)]);
  const ms = Date.now() - t0;
  const types = readFileSync(events, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as RunEvent).type);
  return { ...r, ms, types };
}

const NOTHING_STARTED = ["run.started", "run.note", "suite.verdict", "run.finished"];

describe("preflight first (issue 19)", () => {
  it("a refused connection: exit 3 within 2 s, no source resolved, no build started", async () => {
    const r = await run("refused.kubeconfig");
    console.log(`[preflight] refused: exit ${r.code} after ${r.ms} ms; ${r.stderr.split("\n").find((l) => l.includes("preflight:"))}`);
    expect(r.code, r.stderr).toBe(3);
    expect(r.types).toEqual(NOTHING_STARTED);
    expect(r.stderr).toContain("API server: https://127.0.0.1:1 unreachable (connect ECONNREFUSED 127.0.0.1:1)");
    expect(r.ms).toBeLessThan(2000);
  });

  it("a server that accepts and never answers: exit 3 after our own deadline, and the CLI exits on its own", async () => {
    const r = await run("silent.kubeconfig");
    console.log(`[preflight] silent: exit ${r.code} after ${r.ms} ms (deadline ${PREFLIGHT_ANSWER_MS} ms); ${r.stderr.split("\n").find((l) => l.includes("preflight:"))}`);
    expect(r.code, r.stderr).toBe(3);
    expect(r.types).toEqual(NOTHING_STARTED);
    expect(r.stderr).toContain(`API server: ${silent.url} did not answer within ${PREFLIGHT_ANSWER_MS / 1000} s`);
    // A hang guard (the process would otherwise wait on the silent connection forever); the figure is logged above.
    expect(r.ms).toBeLessThan(PREFLIGHT_ANSWER_MS + 3000);
  });

  it("a server older than 1.29: exit 3 naming its version and the native sidecar, nothing built", async () => {
    const r = await run("old.kubeconfig");
    console.log(`[preflight] Kubernetes v1.28.3: exit ${r.code} after ${r.ms} ms; ${r.stderr.split("\n").find((l) => l.includes("preflight:"))}`);
    expect(r.code, r.stderr).toBe(3);
    expect(r.types).toEqual(NOTHING_STARTED);
    expect(r.stderr).toContain("the server runs Kubernetes v1.28.3; the test Job needs 1.29 or newer, because its collector is a native sidecar");
    expect(r.stderr).toContain("class:   unsupportedCluster");
    // One round: the version, the namespace and the access reviews were all asked; nothing was created.
    expect(old.requests).toContain("GET /version");
    expect(old.requests.filter((q) => q.startsWith("POST") && !q.includes("selfsubjectaccessreviews"))).toEqual([]);
  });

  it("doctor: checks it could not make are `?`, never ok", async () => {
    const t0 = Date.now();
    const r = await cli(["--kubeconfig", join(work, "silent.kubeconfig"), "-c", join(project, "incluster.yaml"), "doctor"]);
    console.log(`[preflight] doctor against a silent server: exit ${r.code} after ${Date.now() - t0} ms:\n${r.stdout}`);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^FAIL API server: .* did not answer within/m);
    expect(r.stdout).toMatch(/^\? +namespace default exists: could not check \(the API server did not answer\)$/m);
    expect(r.stdout).toMatch(/^\? +Services named in env: could not check/m);
    expect(r.stdout).not.toMatch(/^ok .*could not check/m);
    expect(r.stdout).toMatch(/\d+ could not be checked$/m);
  });

  it("doctor against Kubernetes 1.28: the version check fails with its reason", async () => {
    const r = await cli(["--kubeconfig", join(work, "old.kubeconfig"), "-c", join(project, "incluster.yaml"), "doctor"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^FAIL Kubernetes 1\.29 or newer: the server runs Kubernetes v1\.28\.3; .*native sidecar/m);
  });
});
