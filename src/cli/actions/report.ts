// incluster report's action (loaded when the command runs; commands/report.ts declares it).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeHtmlReport } from "../../api/html-report.js";
import { UsageError } from "../../errors.js";
import { RESULT_FILE, RUNS_DIR } from "../../names.js";
import type { RunResult } from "../../results/run-result.js";
import { RUN_ID_PATTERN } from "../../run/run-id.js";
import type { CliContext } from "../context.js";

/** The run's folder: <dir> itself when it holds a result.json, else <dir>/<run-id>, else the newest run in <dir>. */
function runDir(root: string, runId: string | undefined): string {
  if (runId === undefined && existsSync(join(root, RESULT_FILE))) return root;
  if (runId !== undefined) {
    if (!RUN_ID_PATTERN.test(runId)) {
      throw new UsageError(`report: expected a run id like k3x9q2 (six lowercase letters and digits), got ${JSON.stringify(runId)}`);
    }
    const dir = join(root, runId);
    const fix = `a run writes ${RESULT_FILE} when it ends; pass --report-dir <dir> where it saved its report`;
    if (!existsSync(join(dir, RESULT_FILE))) throw new UsageError(`report: no saved run ${runId} with a ${RESULT_FILE} in ${root}`, [fix]);
    return dir;
  }
  const runs = existsSync(root) ? readdirSync(root).filter((d) => RUN_ID_PATTERN.test(d) && existsSync(join(root, d, RESULT_FILE))) : [];
  const newest = runs.map((d) => ({ d, at: statSync(join(root, d, RESULT_FILE)).mtimeMs })).sort((a, b) => b.at - a.at)[0];
  if (!newest) throw new UsageError(`report: no saved run in ${root}`, ["run `incluster run` first, or pass --report-dir <dir> where a run saved its report"]);
  return join(root, newest.d);
}

export function reportAction(ctx: CliContext, runId: string | undefined, flags: { reportDir?: string }): void {
  const dir = runDir(resolve(ctx.cwd, flags.reportDir ?? RUNS_DIR), runId);
  let result: RunResult;
  try {
    result = JSON.parse(readFileSync(join(dir, RESULT_FILE), "utf8")) as RunResult;
  } catch (err) {
    throw new UsageError(`report: cannot read ${ctx.relative(join(dir, RESULT_FILE))}: ${(err as Error).message}`);
  }
  if (result.kind !== "RunResult" || !Array.isArray(result.suites)) {
    throw new UsageError(`report: ${ctx.relative(join(dir, RESULT_FILE))} is not an incluster RunResult`);
  }
  const page = writeHtmlReport(result, dir);
  // Relative to the working directory when below it, else in full (as run shows paths).
  const shown = ctx.relative(page);
  ctx.stdout.write(`${shown.startsWith("..") ? page : shown}\n`);
}
