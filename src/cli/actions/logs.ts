// incluster logs's action (loaded when the command runs; commands/logs.ts declares it).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../../diagnose/types.js";
import { CouldNotRunError, UsageError } from "../../errors.js";
import type { RunResult } from "../../results/run-result.js";
import { MANAGED_BY, RESULT_FILE, RUN_ID_LABEL, SUITE_LABEL } from "../../names.js";
import { jobState, podsOf, stateText } from "../../diagnose/job-state.js";
import { RUN_ID_PATTERN } from "../../run/run-id.js";
import { realSetTimer } from "../../timers.js";
import { followJob } from "../../run/follow-job.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";

/** Prints every saved log of the run; returns how many there were. */
function printSaved(ctx: CliContext, dir: string): number {
  let printed = 0;
  for (const suite of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const container of [CLONE_CONTAINER, TEST_CONTAINER]) {
      const file = join(dir, suite.name, `${container}.log`);
      if (!existsSync(file)) continue;
      ctx.stderr.write(`==> ${suite.name}/${container} (${ctx.relative(file)}) <==\n`);
      ctx.stdout.write(readFileSync(file, "utf8"));
      printed++;
    }
  }
  return printed;
}

/**
 * A saved run without a single log (it stopped before any container ran: the preflight, the
 * source or the build failed): an error, as `kubectl logs` of nothing is, saying what the run was.
 */
function noLogs(ctx: CliContext, runId: string, dir: string): CouldNotRunError {
  const resultPath = join(dir, RESULT_FILE);
  let result: RunResult | undefined;
  try {
    result = JSON.parse(readFileSync(resultPath, "utf8")) as RunResult;
  } catch {
    result = undefined; // no result.json: the run was stopped before its end, or is still going
  }
  if (!result?.suites) {
    return new CouldNotRunError("NO_LOGS", `run ${runId} saved no logs and no result (it was stopped before its end, or is still running)`, `its folder is ${ctx.relative(dir)}; \`incluster status\` lists the Jobs in the cluster`);
  }
  const created = result.suites.some((s) => s.job);
  const why = result.suites.map((s) => `${s.suite}: ${verdictWords(s.verdict)}${s.class ? ` (${s.class})` : ""}${s.job ? ` in job/${s.job}` : ""}${s.message ? `: ${s.message.split("\n")[0]}` : ""}`);
  return new CouldNotRunError(
    "NO_LOGS",
    `run ${runId} has no logs: ${created ? "no container of it wrote any" : "it created no Job"}\n${why.map((w) => `  ${w}`).join("\n")}`,
    `the run's report is ${ctx.relative(resultPath)}${created ? "" : "; `incluster doctor` checks what a run needs"}`,
  );
}

function verdictWords(v: RunResult["suites"][number]["verdict"]): string {
  return { passed: "passed", failed: "failed", couldNotRun: "could not run", timedOut: "timed out", interrupted: "interrupted" }[v];
}

export async function logsAction(ctx: CliContext, target: string, flags: { reportDir: string }): Promise<void> {
  const saved = resolve(ctx.cwd, flags.reportDir, target);
  if (RUN_ID_PATTERN.test(target) && existsSync(saved)) {
    if (printSaved(ctx, saved) === 0) throw noLogs(ctx, target, saved);
    return;
  }
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
