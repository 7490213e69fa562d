// The library's logs: a saved run's logs from its report directory, or the newest matching Job's
// logs from the cluster, followed until the run ends (also when it is still pending or cloning).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { jobState, podsOf } from "../diagnose/job-state.js";
import type { JobState } from "../diagnose/job-state.js";
import type { Job } from "../k8s-types.js";
import { CouldNotRunError, UsageError } from "../errors.js";
import { CLONE_CONTAINER, MANAGED_BY, RESULT_FILE, RUN_ID_LABEL, RUNS_DIR, SUITE_LABEL, TEST_CONTAINER } from "../names.js";
import type { RunResult } from "../results/run-result.js";
import { followJob } from "../follow/follow-job.js";
import { RUN_ID_PATTERN } from "../run/run-id.js";
import { realSetTimer } from "../timers.js";
import { onCluster, reach } from "./cluster.js";
import type { ClusterAccess } from "./cluster.js";

export interface SavedLog {
  suite: string;
  container: string;
  /** The file (absolute). */
  path: string;
}

export interface LogsOptions extends ClusterAccess {
  /** Where relative paths start (default process.cwd()). */
  cwd?: string;
  /** Where runs are saved (default .incluster/runs below cwd). */
  runsDir?: string;
  /** A saved log of the run and its whole text, one after another. */
  onSavedLog?(log: SavedLog, text: string): void;
  /** Following a Job from the cluster: its name, before its first line. */
  onJob?(job: string): void;
  /** A line of the Job's clone or test container, as it comes. */
  onLine?(container: string, line: string): void;
  /** Reconnects and resumes while following. */
  onNote?(text: string): void;
}

/** Saved: the run's logs, in the order given. Cluster: the Job followed, and its `state` at the end as run would classify it (absent when it was deleted). */
export type LogsResult =
  | { from: "saved"; runId: string; dir: string; logs: SavedLog[] }
  | { from: "cluster"; namespace: string; job: string; state?: JobState };

/**
 * `target`: a run id whose report directory exists (its saved logs), else a suite name or run id
 * whose newest incluster Job is followed. A saved run without a log is a CouldNotRunError (NO_LOGS)
 * saying what the run was; no saved run and no Job is a UsageError.
 */
export async function logs(target: string, o: LogsOptions = {}): Promise<LogsResult> {
  return onCluster(() => logsUnwrapped(target, o));
}

async function logsUnwrapped(target: string, o: LogsOptions = {}): Promise<LogsResult> {
  const cwd = o.cwd ?? process.cwd();
  const saved = resolve(cwd, o.runsDir ?? RUNS_DIR, target);
  const show = (p: string) => relative(cwd, p) || ".";
  if (RUN_ID_PATTERN.test(target) && existsSync(saved)) {
    const found = savedLogs(saved);
    if (found.length === 0) throw noLogs(target, saved, show);
    for (const l of found) o.onSavedLog?.(l, readFileSync(l.path, "utf8"));
    return { from: "saved", runId: target, dir: saved, logs: found };
  }
  const { port, namespace } = await reach(o);
  const byLabel = async (label: string) => (await port.list("jobs", namespace, { labelSelector: `${MANAGED_BY}=incluster,${label}=${target}` })).items;
  const byRun = await byLabel(RUN_ID_LABEL);
  const jobs = byRun.length ? byRun : await byLabel(SUITE_LABEL);
  const created = (j: Job) => new Date(j.metadata?.creationTimestamp ?? 0).getTime();
  const newest = [...jobs].sort((a, b) => created(b) - created(a))[0];
  if (!newest?.metadata?.name) {
    const fix = "give a suite name or a run id (see `incluster status`)";
    throw new UsageError(`no saved run and no incluster Job for "${target}" in namespace ${namespace}`, [fix]);
  }
  const job = newest.metadata.name;
  o.onJob?.(job);
  // Until the run has ended and every started container's log is read to its end.
  const r = await followJob({ port, setTimer: realSetTimer }, namespace, job, {
    onLine: (container, line) => o.onLine?.(container, line),
    ...(o.onNote ? { onNote: o.onNote } : {}),
  });
  const state = r.end === "deleted" || !r.job ? undefined : jobState(r.job, podsOf(r.job, r.pods));
  return { from: "cluster", namespace, job, ...(state ? { state } : {}) };
}

/** The run's saved logs: per suite folder, the clone's then the test's. */
function savedLogs(dir: string): SavedLog[] {
  const out: SavedLog[] = [];
  for (const suite of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const container of [CLONE_CONTAINER, TEST_CONTAINER]) {
      const path = join(dir, suite.name, `${container}.log`);
      if (existsSync(path)) out.push({ suite: suite.name, container, path });
    }
  }
  return out;
}

/**
 * A saved run without a single log (it stopped before any container ran: the preflight, the
 * source or the build failed): an error, as `kubectl logs` of nothing is, saying what the run was.
 */
function noLogs(runId: string, dir: string, show: (p: string) => string): CouldNotRunError {
  const resultPath = join(dir, RESULT_FILE);
  let result: RunResult | undefined;
  try {
    result = JSON.parse(readFileSync(resultPath, "utf8")) as RunResult;
  } catch {
    result = undefined; // no result.json: the run was stopped before its end, or is still going
  }
  if (!result?.suites) {
    const hint = `its folder is ${show(dir)}; \`incluster status\` lists the Jobs in the cluster`;
    return new CouldNotRunError("NO_LOGS", `run ${runId} saved no logs and no result (it was stopped before its end, or is still running)`, hint);
  }
  const created = result.suites.some((s) => s.job);
  const why = result.suites.map((s) => {
    const detail = `${s.class ? ` (${s.class})` : ""}${s.job ? ` in job/${s.job}` : ""}${s.message ? `: ${s.message.split("\n")[0]}` : ""}`;
    return `${s.suite}: ${verdictWords(s.verdict)}${detail}`;
  });
  return new CouldNotRunError(
    "NO_LOGS",
    `run ${runId} has no logs: ${created ? "no container of it wrote any" : "it created no Job"}\n${why.map((w) => `  ${w}`).join("\n")}`,
    `the run's report is ${show(resultPath)}${created ? "" : "; `incluster doctor` checks what a run needs"}`,
  );
}

function verdictWords(v: RunResult["suites"][number]["verdict"]): string {
  return { passed: "passed", failed: "failed", couldNotRun: "could not run", timedOut: "timed out", interrupted: "interrupted" }[v];
}
