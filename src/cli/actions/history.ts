// incluster history's action (loaded when the command runs; commands/history.ts declares it): a
// shell over the library's readHistory that prints the table, or the JSON document with -o json.
import { readHistory } from "../../api/history.js";
import { parseHistoryStore } from "../../config/history.js";
import { UsageError } from "../../errors.js";
import { historyDocument, historyTable } from "../../history/table.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf, optionalConfig } from "../namespace.js";

export interface HistoryFlags {
  flaky?: boolean;
  slow?: boolean;
  history?: string;
  output?: "json";
}

export async function historyAction(ctx: CliContext, names: string[], flags: HistoryFlags): Promise<void> {
  if (flags.flaky && flags.slow) throw new UsageError("--flaky and --slow are two orders: give one");
  const config = optionalConfig(ctx);
  const store = flags.history ?? config?.history?.store;
  // Only the cluster store needs a connection (and the namespace it reads).
  const cluster = parseHistoryStore(store ?? "cluster")?.kind === "cluster";
  const port = cluster ? await connect(ctx.globals()) : undefined;
  const report = await readHistory({
    ...(port ? { port, namespace: namespaceOf(ctx, port) } : {}),
    ...(config ? { config } : {}),
    ...(flags.history !== undefined ? { store: flags.history } : {}),
    ...(names.length ? { suites: names } : {}),
    order: flags.flaky ? "flaky" : flags.slow ? "slow" : "id",
    cwd: ctx.cwd,
  });
  for (const p of report.problems) ctx.stderr.write(`warning: ${p}\n`);
  if (flags.output === "json") return void ctx.stdout.write(`${JSON.stringify(historyDocument(report.suites))}\n`);
  const missing = names.filter((n) => !report.suites.some((s) => s.suite === n));
  for (const n of missing) ctx.stderr.write(`note: no history for suite ${n}\n`);
  ctx.stdout.write(report.suites.length ? `${historyTable(report.suites)}\n` : "no history yet (incluster run records each suite's runs)\n");
}
