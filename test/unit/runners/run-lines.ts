// Runs a runner adapter's own shell lines on a fixture project, as the pod's runner script would
// (sh, `set -eu`, in the project's folder), with the pod's output folder moved to a temp dir; the
// project's folder is written as the pod's /workspace in the log and the report (the runners that
// report absolute paths, jest and vitest, then read as they do in the pod).
// Used by the unit tests and by test/fixtures/runners/record.ts, which writes the fixtures.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ARTIFACTS_SUBDIR, OUT_DIR, SHARD_COUNT_ENV, SHARD_INDEX_ENV } from "../../../src/names.js";
import type { RunnerAdapter, ScriptOptions } from "../../../src/runners/index.js";
import { WORKSPACE_DIR } from "../../../src/runners/jest-json.js";

export const FIXTURES = resolve(import.meta.dirname, "../../fixtures/runners");

export interface LinesRun {
  /** What the lines printed (stdout and stderr, in order): the attempt's log. */
  log: string;
  status: number;
  /** The runner's report, as incluster would collect it ("" when none was written). */
  report: string;
}

export interface RunContext {
  /** The fixture project's folder (the pod's /workspace). */
  project: string;
  /** Kept across attempts: the flaky tests' markers. */
  flakyDir: string;
  /** A folder put first on PATH (another Node). */
  binDir?: string;
  shard?: { index: number; count: number };
  /** More of the pod's environment (NODE_PATH for a global @playwright/test). */
  env?: Record<string, string>;
}

export function runLines(adapter: RunnerAdapter, test: string, o: ScriptOptions, ctx: RunContext): LinesRun {
  const out = mkdtempSync(join(tmpdir(), "incluster-runner-"));
  try {
    mkdirSync(join(out, ARTIFACTS_SUBDIR));
    const lines = adapter.script(test, o).map((l) => l.replaceAll(OUT_DIR, out));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      FLAKY_DIR: ctx.flakyDir,
      GOFLAGS: "-mod=mod",
      PYTHONDONTWRITEBYTECODE: "1",
      PYTEST_ADDOPTS: "-p no:cacheprovider",
      NO_COLOR: "1",
      ...(ctx.binDir ? { PATH: `${ctx.binDir}:${process.env.PATH ?? ""}` } : {}),
      ...ctx.env,
      ...(ctx.shard ? { [SHARD_INDEX_ENV]: String(ctx.shard.index), [SHARD_COUNT_ENV]: String(ctx.shard.count) } : {}),
    };
    delete env.NODE_OPTIONS;
    delete env.NODE_TEST_CONTEXT;
    // This process may itself be a vitest worker: the runners under test must not think they are inside one.
    for (const name of Object.keys(env)) if (/^(VITEST|JEST_WORKER_ID$|TINYPOOL)/.test(name)) delete env[name];
    const r = spawnSync("sh", ["-c", `exec 2>&1\nset -eu\n${lines.join("\n")}`], { cwd: ctx.project, env, encoding: "utf8", timeout: 120_000 });
    let report = "";
    try {
      report = readFileSync(join(out, ARTIFACTS_SUBDIR, adapter.report.file), "utf8");
    } catch {
      // none written
    }
    const pod = (text: string) => text.replaceAll(out, OUT_DIR).replaceAll(ctx.project, WORKSPACE_DIR);
    return { log: pod(r.stdout ?? ""), status: r.status ?? -1, report: pod(report) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
