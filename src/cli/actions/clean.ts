// incluster clean's action (loaded when the command runs; commands/clean.ts declares it): a shell
// over the library's clean() that prints each deletion and a summary.
import { clean } from "../../api/clean.js";
import { checkRunId } from "../../api/cluster.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";

/** The options commands/clean.ts declares, as commander hands them to the action. */
export interface CleanFlags {
  all?: boolean;
  run?: string;
  dryRun?: boolean;
}

export async function cleanAction(ctx: CliContext, flags: CleanFlags): Promise<void> {
  checkRunId(flags.run, "--run");
  const port = await connect(ctx.globals());
  const verb = flags.dryRun ? "would delete" : "deleted";
  const r = await clean({
    port,
    namespace: namespaceOf(ctx, port),
    ...(flags.all ? { all: true } : {}),
    ...(flags.run ? { runId: flags.run } : {}),
    ...(flags.dryRun ? { dryRun: true } : {}),
    onDelete: (what) => ctx.stdout.write(`${verb} ${what}\n`),
  });
  const why = `its CLI may still follow it; --run <id> or --all deletes it`;
  const kept = r.kept.jobs.length ? `; kept ${r.kept.jobs.length} still running (run ${r.kept.runs.join(", ")}: ${why})` : "";
  ctx.stderr.write(`${verb} ${r.jobs.length} job(s) in ${r.namespace}${kept}\n`);
}
