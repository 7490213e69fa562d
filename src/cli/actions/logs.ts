// incluster logs's action (loaded when the command runs; commands/logs.ts declares it).
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

export async function logsAction(ctx: CliContext, target: string, flags: { reportDir: string }): Promise<void> {
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
}
