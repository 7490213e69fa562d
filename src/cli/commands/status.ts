// `incluster status`: the runs in the namespace, read from the Jobs' labels.
import type { Command } from "commander";
import { jobTerminal } from "../../diagnose/outcome.js";
import type { Job } from "../../k8s-types.js";
import { MANAGED_BY, RUN_ID_LABEL, SUITE_LABEL } from "../../render/names.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";

export function jobState(job: Job): string {
  const t = jobTerminal(job);
  if (t === "Complete") return "passed";
  if (t === "Failed") {
    const reason = job.status?.conditions?.find((c) => c.type === "Failed")?.reason;
    return reason === "DeadlineExceeded" ? "timed out" : `failed${reason ? ` (${reason})` : ""}`;
  }
  if (job.metadata?.deletionTimestamp) return "deleting";
  return job.status?.active ? "running" : "pending";
}

function age(from: string | Date | undefined, now: number): string {
  if (!from) return "?";
  const s = Math.max(0, Math.round((now - new Date(from).getTime()) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

export function statusTable(jobs: readonly Job[], now: number): string {
  const rows = [...jobs]
    .sort((a, b) => new Date(b.metadata?.creationTimestamp ?? 0).getTime() - new Date(a.metadata?.creationTimestamp ?? 0).getTime())
    .map((j) => [j.metadata?.labels?.[RUN_ID_LABEL] ?? "-", j.metadata?.labels?.[SUITE_LABEL] ?? "-", jobState(j), age(j.metadata?.creationTimestamp, now), `job/${j.metadata?.name}`]);
  const all = [["RUN", "SUITE", "STATE", "AGE", "JOB"], ...rows];
  const widths = all[0]!.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  return all.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd()).join("\n");
}

export function registerStatus(program: Command, ctx: CliContext): void {
  program
    .command("status")
    .summary("list incluster runs in the namespace (from the Jobs' labels)")
    .description(["Lists Jobs labelled app.kubernetes.io/managed-by=incluster: run id, suite, state, age.", "", "Examples:", "  incluster status", "  incluster status -n e2e"].join("\n"))
    .action(async () => {
      const namespace = namespaceOf(ctx);
      const port = await connect(ctx.globals());
      const { items } = await port.list("jobs", namespace, { labelSelector: `${MANAGED_BY}=incluster,${RUN_ID_LABEL}` });
      ctx.stdout.write(items.length ? `${statusTable(items, Date.now())}\n` : `no incluster runs in namespace ${namespace}\n`);
    });
}
