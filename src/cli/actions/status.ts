// incluster status's action (loaded when the command runs; commands/status.ts declares it).
import { jobState, podsOf, stateText } from "../../diagnose/job-state.js";
import type { JobState } from "../../diagnose/job-state.js";
import type { Job, Pod } from "../../k8s-types.js";
import { MANAGED_BY, RUN_ID_LABEL, SUITE_LABEL } from "../../names.js";
import { RESULT_API_VERSION } from "../../results/run-result.js";
import { connect } from "../connect.js";
import type { CliContext } from "../context.js";
import { namespaceOf } from "../namespace.js";

export interface StatusRow extends JobState {
  runId: string;
  suite: string;
  job: string;
  createdAt: string;
}

function created(j: Job): number {
  return new Date(j.metadata?.creationTimestamp ?? 0).getTime();
}

/** One row per Job, newest first. */
export function statusRows(jobs: readonly Job[], pods: readonly Pod[]): StatusRow[] {
  return [...jobs]
    .sort((a, b) => created(b) - created(a))
    .map((j) => ({
      runId: j.metadata?.labels?.[RUN_ID_LABEL] ?? "-",
      suite: j.metadata?.labels?.[SUITE_LABEL] ?? "-",
      job: j.metadata?.name ?? "",
      createdAt: j.metadata?.creationTimestamp ? new Date(j.metadata.creationTimestamp).toISOString() : "",
      ...jobState(j, podsOf(j, pods)),
    }));
}

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

export function statusJson(namespace: string, rows: readonly StatusRow[]): string {
  return `${JSON.stringify({ apiVersion: RESULT_API_VERSION, kind: "RunStatus", namespace, jobs: rows }, null, 2)}\n`;
}

export async function statusAction(ctx: CliContext, flags: { output?: "json" }): Promise<void> {
  const port = await connect(ctx.globals());
  const namespace = namespaceOf(ctx, port);
  const selector = { labelSelector: `${MANAGED_BY}=incluster,${RUN_ID_LABEL}` };
  const [jobs, pods] = await Promise.all([port.list("jobs", namespace, selector), port.list("pods", namespace, selector)]);
  const rows = statusRows(jobs.items, pods.items);
  if (flags.output === "json") ctx.stdout.write(statusJson(namespace, rows));
  else ctx.stdout.write(rows.length ? `${statusTable(rows, Date.now())}\n` : `no incluster runs in namespace ${namespace}\n`);
}
