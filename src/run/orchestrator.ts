// The one place that sequences a run's I/O: preflight → apply ServiceAccount/Role/RoleBinding →
// create each Job under a unique name → follow through shared watches → verdicts → clean up on
// interrupt. Decisions are delegated to diagnose/ and SuiteRun; formats to report/.
import type { ResolvedSuite } from "../config/resolve.js";
import type { Diagnosis, FailureClass } from "../diagnose/types.js";
import { worstExitCode } from "../exit-codes.js";
import type { ExitCode as ExitCodeT } from "../exit-codes.js";
import type { Job, KubeEvent, KubeObject, Pod } from "../k8s-types.js";
import type { ClusterPort } from "../kube/port.js";
import { RESULT_API_VERSION } from "../report/model.js";
import type { RunResult, SuiteResult } from "../report/model.js";
import { RUN_ID_LABEL, SUITE_LABEL } from "../render/names.js";
import type { SuiteObjects } from "../render/objects.js";
import { KindWatch } from "./kind-watch.js";
import { toKubeError } from "../kube/errors.js";
import { preflight } from "./preflight.js";
import type { PreflightReport } from "./preflight.js";
import { SuiteRun } from "./suite-run.js";
import type { SuiteRunDeps } from "./suite-run.js";

export interface PlannedSuite {
  resolved: ResolvedSuite;
  objects: SuiteObjects;
}

export interface RunPlan {
  runId: string;
  namespace: string;
  suites: PlannedSuite[];
  concurrency: number;
  failFastMs: number;
  keep: boolean;
  reportDir: string;
  /** Extra time beyond activeDeadlineSeconds before we give up on the cluster's verdict. */
  deadlineSlackMs?: number;
}

export interface RunOutput {
  progress(suite: string, text: string): void;
  verbose(suite: string, text: string): void;
  logLine(suite: string, container: string, line: string): void;
  info(text: string): void;
}

export interface RunFiles {
  /** Appends lines to <reportDir>/<suite>/<container>.log; returns its path. */
  appendLog(suite: string, container: string, line: string): void;
  logPath(suite: string, container: string): string;
  writeJson(relPath: string, data: unknown): Promise<void>;
  close(): Promise<void>;
}

export interface RunDeps {
  port: ClusterPort;
  now: () => number;
  setTimer: SuiteRunDeps["setTimer"];
  out: RunOutput;
  files: RunFiles;
  signal: AbortSignal;
}


function classOfError(err: unknown): { class: FailureClass; reason: string; message: string } {
  const e = toKubeError(err);
  if (e.unreachable) return { class: "unreachable", reason: "Unreachable", message: e.message };
  if (e.status === 403) return { class: "forbidden", reason: e.reason ?? "Forbidden", message: e.message };
  if (e.status === 404 && /namespaces? .*not found/i.test(e.message)) return { class: "namespaceMissing", reason: "NotFound", message: e.message };
  return { class: "jobFailed", reason: e.reason ?? `HTTP ${e.status ?? "?"}`, message: e.message };
}

/** Turns a failed preflight into the run's verdict, naming every failed check. */
function preflightDiagnosis(report: PreflightReport): Diagnosis {
  const failed = report.checks.filter((c) => !c.ok);
  const cls = failed.find((c) => c.class === "unreachable")?.class ?? failed.find((c) => c.class === "namespaceMissing")?.class ?? failed.find((c) => c.class === "forbidden")?.class ?? "forbidden";
  const message = failed.map((c) => `${c.name}: ${c.detail}`).join("\n");
  const fixes = failed.map((c) => c.fix).filter(Boolean);
  return { verdict: "couldNotRun", class: cls === "config" ? "jobFailed" : cls, reason: "PreflightFailed", message, ...(fixes.length ? { hint: fixes.join("; ") } : {}) };
}

/** Runs the planned suites and returns the result model; never throws for a failed suite. */
export async function runSuites(deps: RunDeps, plan: RunPlan): Promise<RunResult> {
  const startedAt = deps.now();
  const { port, out } = deps;
  const ns = plan.namespace;
  const slack = plan.deadlineSlackMs ?? 60_000;

  const runDeps: SuiteRunDeps = {
    port,
    now: deps.now,
    setTimer: deps.setTimer,
    progress: out.progress,
    verbose: out.verbose,
    logLine: (suite, container, line) => {
      deps.files.appendLog(suite, container, line);
      out.logLine(suite, container, line);
    },
    logPath: deps.files.logPath,
    saveJson: deps.files.writeJson,
    deleteJob: async (_suite, job) => {
      await port.delete("jobs", ns, job);
    },
  };
  const runs = plan.suites.map(
    (s) => new SuiteRun(s.resolved, s.objects.job.metadata.name ?? "", runDeps, { failFastMs: plan.failFastMs, deadlineSlackMs: slack, keep: plan.keep }),
  );
  const bySuite = new Map(runs.map((r) => [r.suite.name, r]));
  const finish = async (results: SuiteResult[]): Promise<RunResult> => {
    const result: RunResult = {
      apiVersion: RESULT_API_VERSION,
      kind: "RunResult",
      runId: plan.runId,
      context: port.context().context,
      namespace: ns,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(deps.now()).toISOString(),
      exitCode: worstExitCode(results.map((r) => r.exitCode as ExitCodeT)),
      reportDir: plan.reportDir,
      suites: results,
    };
    await deps.files.writeJson("result.json", result);
    await deps.files.close();
    return result;
  };

  // 1. Preflight: nothing is created unless every check passes.
  const report = await preflight(port, ns, plan.suites.map((s) => s.resolved));
  for (const c of report.checks) if (!c.ok) out.info(`preflight: ${c.name}: ${c.detail}${c.fix ? ` — fix: ${c.fix}` : ""}`);
  if (!report.ok) {
    const d = preflightDiagnosis(report);
    for (const r of runs) r.failedBeforeJob(d);
    return finish(await Promise.all(runs.map((r) => r.result)));
  }

  // 2. One watch per kind for the whole run, opened before any Job exists so nothing is missed.
  const selector = { labelSelector: `${RUN_ID_LABEL}=${plan.runId}` };
  const reconnect = (why: string) => out.verbose("watch", why);
  const jobs = new KindWatch(port, "jobs", ns, selector, { onReconnect: reconnect });
  const pods = new KindWatch(port, "pods", ns, selector, { onReconnect: reconnect });
  // Events cannot be label-selected; watch the namespace and let each suite pick its own.
  // Events cannot be label-selected: the watch keeps only those about this run's Jobs and their
  // pods (named <job>-<suffix>), so a busy namespace costs neither memory nor re-evaluations.
  const jobNames = runs.map((r) => r.jobName);
  const ours = (e: KubeEvent) => jobNames.some((j) => (e.involvedObject?.name ?? "").startsWith(j));
  const events = new KindWatch(port, "events", ns, {}, { listLimit: 1, onReconnect: reconnect, keep: ours });
  const suiteOf = (o: KubeObject) => bySuite.get(o.metadata?.labels?.[SUITE_LABEL] ?? "");
  jobs.subscribe((type, job: Job) => suiteOf(job)?.onJob(type, job));
  pods.subscribe((type, pod: Pod) => suiteOf(pod)?.onPod(type, pod));
  events.subscribe(() => {
    const all: KubeEvent[] = [...events.objects.values()];
    for (const r of runs) r.onEvents(all);
  });
  try {
    await Promise.all([jobs.start(), pods.start(), events.start()]);
  } catch (err) {
    const c = classOfError(err);
    for (const r of runs) r.failedBeforeJob({ verdict: "couldNotRun", ...c });
    return finish(await Promise.all(runs.map((r) => r.result)));
  }

  // 3. Create each suite's objects, at most `concurrency` Jobs in flight.
  const created = new Set<string>();
  let interrupted = false;
  const startSuite = async (planned: PlannedSuite, run: SuiteRun): Promise<void> => {
    if (interrupted) return;
    try {
      const o = planned.objects;
      for (const obj of [o.serviceAccount, o.role, o.roleBinding]) if (obj) await port.apply(obj as KubeObject);
      if (interrupted) return;
      // source: local: the overlay exists before the pod that mounts it, then belongs to the
      // Job, so the garbage collector removes it with the Job (TTL, interrupt, clean).
      if (o.overlay) await port.create(o.overlay as KubeObject);
      let job: Job;
      try {
        job = await port.create(o.job as KubeObject as Job);
      } catch (err) {
        if (o.overlay) await port.delete("configmaps", ns, o.overlay.metadata.name).catch(() => false);
        throw err;
      }
      created.add(run.jobName);
      run.started(job);
      if (o.overlay) {
        const owner = { apiVersion: "batch/v1", kind: "Job", name: job.metadata?.name ?? "", uid: job.metadata?.uid ?? "" };
        await port.setOwner(ns, o.overlay.metadata.name, owner).catch((e: unknown) => out.info(`could not hand configmap/${o.overlay?.metadata.name} to job/${owner.name} (incluster clean removes it): ${toKubeError(e).message}`));
      }
    } catch (err) {
      const c = classOfError(err);
      run.failedBeforeJob({ verdict: "couldNotRun", ...c });
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < runs.length && !interrupted) {
      const i = next++;
      const run = runs[i];
      const planned = plan.suites[i];
      if (!run || !planned) continue;
      await startSuite(planned, run);
      await run.result;
    }
  };

  // 4. Interrupt: every run's Job and Pod goes, unless --keep.
  let cleanup: Promise<void> | undefined;
  const onAbort = () => {
    interrupted = true;
    out.info(`interrupted: ${plan.keep ? "keeping" : "deleting"} the run's Jobs${plan.keep ? " (--keep)" : " and Pods"}`);
    for (const r of runs) if (!r.done) void r.interrupt();
    if (!plan.keep) cleanup = deleteRun(deps, ns, [...created], pods);
  };
  if (deps.signal.aborted) onAbort();
  else deps.signal.addEventListener("abort", onAbort, { once: true });

  await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, runs.length)) }, worker));
  for (const r of runs) if (!r.done) r.failedBeforeJob({ verdict: "interrupted", class: "interrupted", reason: "Interrupted", message: "interrupted before the Job was created" });
  const results = await Promise.all(runs.map((r) => r.result));
  deps.signal.removeEventListener("abort", onAbort);
  if (cleanup) await cleanup;
  jobs.stop();
  pods.stop();
  events.stop();
  return finish(results);
}

/** Deletes the run's Jobs and their Pods and waits (on the pod watch) until the Pods are gone. */
async function deleteRun(deps: RunDeps, ns: string, jobNames: string[], pods: KindWatch<"pods">): Promise<void> {
  const { port, out } = deps;
  // Orphan, then delete the pods ourselves with a short grace: the garbage collector would
  // delete them with the pod's full terminationGracePeriodSeconds (30 s by default), and
  // deleting pods first would let the Job controller replace them.
  for (const name of jobNames) {
    const gone = await port.delete("jobs", ns, name, { propagation: "Orphan" }).catch((e: unknown) => {
      out.info(`could not delete job/${name}: ${toKubeError(e).message}`);
      return false;
    });
    if (gone) out.info(`deleted job/${name}`);
  }
  const podNames = [...pods.objects.values()].map((p) => p.metadata?.name ?? "").filter(Boolean);
  for (const name of podNames) {
    const gone = await port.delete("pods", ns, name, { gracePeriodSeconds: 5 }).catch(() => false);
    if (gone) out.info(`deleted pod/${name}`);
  }
  if (pods.objects.size === 0) return;
  await new Promise<void>((resolve) => {
    const t = deps.setTimer(() => {
      out.info(`pods still terminating after 30s: ${[...pods.objects.values()].map((p) => p.metadata?.name).join(", ")}`);
      resolve();
    }, 30_000);
    const unsubscribe = pods.subscribe(() => {
      if (pods.objects.size === 0) {
        t.cancel();
        unsubscribe();
        resolve();
      }
    });
  });
}
