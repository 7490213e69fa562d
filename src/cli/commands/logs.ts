// `incluster logs <suite|run-id>`: a saved run's logs from the report directory, or the newest
// matching Job's logs from the cluster, followed to the end while it runs.
import type { Command } from "commander";
import { RUNS_DIR } from "../../names.js";
import type { CliContext } from "../context.js";

export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command("logs")
    .summary("show a run's logs: saved ones by run id, or a suite's newest Job from the cluster")
    .description(
      [
        `With a run id whose report directory exists (${RUNS_DIR}/<id>), prints the`,
        "saved logs; a saved run with none (it created no Job) is an error, exit 3,",
        "saying why. Otherwise finds the newest incluster Job for the suite (or run id)",
        "in the namespace and prints its clone and test logs as its containers start,",
        "following them until the run ends (also when started while the pod is still",
        "pending or cloning).",
        "",
        "Examples:",
        "  incluster logs k3x9q2",
        "  incluster logs smoke",
      ].join("\n"),
    )
    .argument("<suite-or-run-id>")
    .option("--report-dir <dir>", "where runs are saved", RUNS_DIR)
    .action(async (target: string, flags: { reportDir: string }) => (await import("../actions/logs.js")).logsAction(ctx, target, flags));
}
