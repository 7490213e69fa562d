// `incluster report [run-id]`: rebuilds a saved run's report.html from its result.json (after an
// upgrade, or for a run copied from CI) and prints the page's path.
import type { Command } from "commander";
import { REPORT_HTML } from "../../api/defaults.js";
import { RESULT_FILE, RUNS_DIR } from "../../names.js";
import type { CliContext } from "../context.js";

export function registerReport(program: Command, ctx: CliContext): void {
  program
    .command("report")
    .summary("rebuild a saved run's report.html and print its path")
    .description(
      [
        `Every run writes ${REPORT_HTML} into its report directory: the timeline of each`,
        "suite's phases, the tests with the failures expanded, log excerpts and the pods'",
        "events, in one self-contained page (no network, no JavaScript needed). This",
        `rebuilds it from the run's saved ${RESULT_FILE}.`,
        "",
        "Examples:",
        `  # the newest run under ${RUNS_DIR}`,
        "  incluster report",
        "  # one run, then open it",
        "  xdg-open \"$(incluster report k3x9q2)\"",
        "  # a report directory downloaded from CI",
        "  incluster report --report-dir ./incluster-report",
      ].join("\n"),
    )
    .argument("[run-id]", "the run (default: the newest)")
    .option("--report-dir <dir>", `where runs are saved, or one run's report directory (default ${RUNS_DIR})`)
    .action(async (runId: string | undefined, flags: { reportDir?: string }) => (await import("../actions/report.js")).reportAction(ctx, runId, flags));
}
