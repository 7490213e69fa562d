// `incluster logs <suite|run-id>`: a saved run's logs from the report directory, or the newest
// matching Job's logs from the cluster, followed to the end while it runs.
import type { Command } from "commander";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../../diagnose/types.js";
import { UsageError } from "../../errors.js";
import { MANAGED_BY, RUN_ID_LABEL, SUITE_LABEL } from "../../render/names.js";
import { jobState, podsOf, stateText } from "../../diagnose/job-state.js";
import { RUN_ID_PATTERN } from "../../run/run-id.js";
import { realSetTimer } from "../../run/timers.js";
import { followJob } from "../../run/follow-job.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";

function printSaved(ctx: CliContext, dir: string): void {
  for (const suite of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const container of [CLONE_CONTAINER, TEST_CONTAINER]) {
      const file = join(dir, suite.name, `${container}.log`);
      if (!existsSync(file)) continue;
      ctx.stderr.write(`==> ${suite.name}/${container} (${ctx.relative(file)}) <==\n`);
      ctx.stdout.write(readFileSync(file, "utf8"));
    }
  }
}

export function registerLogs(program: Command, ctx: CliContext): void {
  program
    .command("logs")
    .summary("show a run's logs: saved ones by run id, or a suite's newest Job from the cluster")
    .description(
      [
        "With a run id whose report directory exists (.incluster/runs/<id>), prints the saved logs.",
        "Otherwise finds the newest incluster Job for the suite (or run id) in the namespace and",
        "prints its clone and test logs as its containers start, following them until the run ends",
        "(also when started while the pod is still pending or cloning).",
        "",
        "Examples:",
        "  incluster logs k3x9q2",
        "  incluster logs smoke",
      ].join("\n"),
    )
    .argument("<suite-or-run-id>")
    .option("--report-dir <dir>", "where runs are saved", join(".incluster", "runs"))
    .action(async (target: string, flags: { reportDir: string }) => {
      const saved = resolve(ctx.cwd, flags.reportDir, target);
      if (RUN_ID_PATTERN.test(target) && existsSync(saved)) return printSaved(ctx, saved);
      const port = await connect(ctx.globals());
      const namespace = namespaceOf(ctx, port);
      const byRun = await port.list("jobs", namespace, { labelSelector: `${MANAGED_BY}=incluster,${RUN_ID_LABEL}=${target}` });
      const jobs = byRun.items.length ? byRun.items : (await port.list("jobs", namespace, { labelSelector: `${MANAGED_BY}=incluster,${SUITE_LABEL}=${target}` })).items;
      const newest = [...jobs].sort((a, b) => new Date(b.metadata?.creationTimestamp ?? 0).getTime() - new Date(a.metadata?.creationTimestamp ?? 0).getTime())[0];
      if (!newest?.metadata?.name) throw new UsageError(`no saved run and no incluster Job for "${target}" in namespace ${namespace}`, ["give a suite name or a run id (see `incluster status`)"]);
      const jobName = newest.metadata.name;
      ctx.stderr.write(`==> job/${jobName} <==\n`);
      const verbose = ctx.globals().verbose;
      // Until the run has ended and every started container's log is read to its end.
      const r = await followJob({ port, setTimer: realSetTimer }, namespace, jobName, {
        onLine: (container, line) => ctx.stdout.write(`[${container === TEST_CONTAINER ? "test" : "clone"}] ${line}\n`),
        ...(verbose ? { onNote: (text: string) => ctx.stderr.write(`incluster: ${text}\n`) } : {}),
      });
      const podsOfJob = r.job ? podsOf(r.job, r.pods) : [];
      ctx.stderr.write(r.end === "deleted" || !r.job ? `==> job/${jobName} was deleted <==\n` : `==> job/${jobName}: ${stateText(jobState(r.job, podsOfJob))} <==\n`);
    });
}
