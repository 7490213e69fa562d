// incluster status's action (loaded when the command runs; commands/status.ts declares it): a
// shell over the library's status() that prints a table, or its document with -o json.
import { status } from "../../api/status.js";
import type { StatusRow } from "../../api/status.js";
import { stateText } from "../../diagnose/job-state.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";

function age(from: string, now: number): string {
  if (!from) return "?";
  const s = Math.max(0, Math.round((now - new Date(from).getTime()) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

export function statusTable(rows: readonly StatusRow[], now: number): string {
  const all = [["RUN", "SUITE", "STATE", "AGE", "JOB"], ...rows.map((r) => [r.runId, r.suite, stateText(r), age(r.createdAt, now), `job/${r.job}`])];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n");
}

export async function statusAction(ctx: CliContext, flags: { output?: "json" }): Promise<void> {
  const port = await connect(ctx.globals());
  const s = await status({ port, namespace: namespaceOf(ctx, port) });
  if (flags.output === "json") ctx.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
  else ctx.stdout.write(s.jobs.length ? `${statusTable(s.jobs, Date.now())}\n` : `no incluster runs in namespace ${s.namespace}\n`);
}
