// `incluster report [run-id]`: rebuilds a saved run's report.html from its result.json (after an
// upgrade, or for a run copied from CI) and prints the page's path.
import type { Command } from "commander";
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPORT_HTML, writeHtmlReport } from "../../api/html-report.js";
import { UsageError } from "../../errors.js";
import type { RunResult } from "../../report/model.js";
import { RUN_ID_PATTERN } from "../../run/run-id.js";
import type { CliContext } from "../context.js";

const RESULT_FILE = "result.json";
const DEFAULT_RUNS = join(".incluster", "runs");

/** The run's folder: <dir> itself when it holds a result.json, else <dir>/<run-id>, else the newest run in <dir>. */
function runDir(root: string, runId: string | undefined): string {
  if (runId === undefined && existsSync(join(root, RESULT_FILE))) return root;
  if (runId !== undefined) {
    if (!RUN_ID_PATTERN.test(runId)) throw new UsageError(`report: expected a run id like k3x9q2 (six lowercase letters and digits), got ${JSON.stringify(runId)}`);
    const dir = join(root, runId);
    if (!existsSync(join(dir, RESULT_FILE))) throw new UsageError(`report: no saved run ${runId} with a ${RESULT_FILE} in ${root}`, ["a run writes result.json when it ends; pass --report-dir <dir> where it saved its report"]);
    return dir;
  }
  const runs = existsSync(root) ? readdirSync(root).filter((d) => RUN_ID_PATTERN.test(d) && existsSync(join(root, d, RESULT_FILE))) : [];
  const newest = runs.map((d) => ({ d, at: statSync(join(root, d, RESULT_FILE)).mtimeMs })).sort((a, b) => b.at - a.at)[0];
  if (!newest) throw new UsageError(`report: no saved run in ${root}`, ["run `incluster run` first, or pass --report-dir <dir> where a run saved its report"]);
  return join(root, newest.d);
}

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command("report")
    .summary("rebuild a saved run's report.html and print its path")
    .description(
      [
        `Every run writes ${REPORT_HTML} into its report directory: the timeline of each suite's phases,`,
        "the tests with the failures expanded, log excerpts and the pods' events, in one self-contained",
        "page (no network, no JavaScript needed). This rebuilds it from the run's saved result.json.",
        "",
        "Examples:",
        "  # the newest run under .incluster/runs",
        "  incluster report",
        "  # one run, then open it",
        "  xdg-open \"$(incluster report k3x9q2)\"",
        "  # a report directory downloaded from CI",
        "  incluster report --report-dir ./incluster-report",
      ].join("\n"),
    )
    .argument("[run-id]", "the run (default: the newest)")
    .option("--report-dir <dir>", `where runs are saved, or one run's report directory (default ${DEFAULT_RUNS})`)
    .action((runId: string | undefined, flags: { reportDir?: string }) => {
      const dir = runDir(resolve(ctx.cwd, flags.reportDir ?? DEFAULT_RUNS), runId);
      let result: RunResult;
      try {
        result = JSON.parse(readFileSync(join(dir, RESULT_FILE), "utf8")) as RunResult;
      } catch (err) {
        throw new UsageError(`report: cannot read ${ctx.relative(join(dir, RESULT_FILE))}: ${(err as Error).message}`);
      }
      if (result.kind !== "RunResult" || !Array.isArray(result.suites)) throw new UsageError(`report: ${ctx.relative(join(dir, RESULT_FILE))} is not an incluster RunResult`);
      const page = writeHtmlReport(result, dir);
      // Relative to the working directory when below it, else in full (as run shows paths).
      const shown = ctx.relative(page);
      ctx.stdout.write(`${shown.startsWith("..") ? page : shown}\n`);
    });
}
