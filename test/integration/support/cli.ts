// Runs the built CLI (bin/incluster.js) against the project's own cluster (npm run cluster:up).
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClusterPort } from "../../../src/kube/client.js";
import type { ClusterPort } from "../../../src/kube/port.js";
import type { RunResult } from "../../../src/results/run-result.js";

export const ROOT = resolve(import.meta.dirname, "../../..");
export const ADMIN_KUBECONFIG = join(ROOT, ".cluster/kubeconfig");
export const LIMITED_KUBECONFIG = join(ROOT, ".cluster/kubeconfig-limited");
export const DEMO = join(ROOT, "examples/demo/incluster.yaml");
export const FAULTS = join(ROOT, "test/integration/fixtures/faults.yaml");
export const NAMESPACE = "incluster-demo";
/** kubectl built with the test cluster: tests may use it as an admin's tool; the product never does. */
export const KUBECTL = existsSync(join(ROOT, ".cluster/env")) ? (/KUBECTL="([^"]+)"/.exec(readFileSync(join(ROOT, ".cluster/env"), "utf8"))?.[1] ?? "kubectl") : "kubectl";

export function requireCluster(): void {
  if (!existsSync(ADMIN_KUBECONFIG)) throw new Error(`no test cluster: ${ADMIN_KUBECONFIG} is missing; run \`npm run cluster:up\` first`);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startCli(args: string[], env: Record<string, string> = {}): { child: ChildProcess; done: Promise<CliResult>; stderrSoFar: () => string } {
  const child = spawn(process.execPath, [join(ROOT, "bin/incluster.js"), ...args], {
    cwd: ROOT,
    env: { ...process.env, KUBECONFIG: ADMIN_KUBECONFIG, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliResult>((res) => child.on("close", (code) => res({ code, stdout, stderr })));
  return { child, done, stderrSoFar: () => stderr };
}

export function cli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return startCli(args, env).done;
}

/** `run ... -o json`, parsed. */
export async function runJson(args: string[], env: Record<string, string> = {}): Promise<CliResult & { result: RunResult }> {
  const r = await cli([...args, "-o", "json"], env);
  let result: RunResult;
  try {
    result = JSON.parse(r.stdout) as RunResult;
  } catch {
    throw new Error(`no JSON on stdout (exit ${r.code}):\n${r.stderr.slice(-3000)}`);
  }
  return { ...r, result };
}

export function admin(): ClusterPort {
  return createClusterPort({ kubeconfig: ADMIN_KUBECONFIG });
}

export function savedLog(result: RunResult, suite: string, container = "test-runner"): string {
  const s = result.suites.find((x) => x.suite === suite);
  const path = s?.logs[container];
  if (!path) throw new Error(`no ${container} log for ${suite}`);
  return readFileSync(resolve(ROOT, path), "utf8");
}

/** Resolves when the child's stderr matches, or rejects after ms. */
export async function waitForOutput(get: () => string, pattern: RegExp, ms: number): Promise<void> {
  const start = Date.now();
  while (!pattern.test(get())) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${pattern} in:\n${get().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
