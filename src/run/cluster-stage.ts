// The cluster stage of a run: preflight → shared watches → server-side apply of ServiceAccount,
// Role and RoleBinding → create each Job (and overlay) → suites followed to their verdicts →
// on interrupt, every object the run created is deleted (unless keep). Decisions are in
// diagnose/ and suite-state.ts; the orchestrator (orchestrator.ts) sequences the stages.
import type { ResolvedSuite } from "../config/resolve.js";
import type { Diagnosis, FailureClass } from "../diagnose/types.js";
import type { EventBody } from "../events/types.js";
import type { Job, KubeEvent, KubeObject, Pod } from "../k8s-types.js";
import { toKubeError } from "../kube/errors.js";
import type { ClusterPort } from "../kube/port.js";
import { RUN_ID_LABEL, SUITE_LABEL } from "../render/names.js";
import type { SuiteObjects } from "../render/objects.js";
import { KindWatch } from "./kind-watch.js";
import { preflight } from "./preflight.js";
import type { PreflightReport } from "./preflight.js";
import { SuiteRun } from "./suite-run.js";
import type { SuiteOutcome, SuiteRunDeps } from "./suite-run.js";
import type { SetTimer } from "./timers.js";

export interface PlannedSuite {
  resolved: ResolvedSuite;
  objects: SuiteObjects;
}

export interface ClusterPlan {
  runId: string;
  namespace: string;
  suites: PlannedSuite[];
  concurrency: number;
  failFastMs: number;
  keep: boolean;
  /** Extra time beyond activeDeadlineSeconds before we give up on the cluster's verdict. */
  deadlineSlackMs?: number;
  /** How long deleting the run's pods may take after an interrupt before we stop waiting. */
  podsGoneMs?: number;
}

export interface ClusterDeps {
  port: ClusterPort;
  now: () => number;
  setTimer: SetTimer;
  emit(e: EventBody): void;
  signal: AbortSignal;
  logPath(suite: string, container: string): string;
  collect: SuiteRunDeps["collect"];
}

/** A failed API call as a verdict, decided on the status and the Status details, never the text. */
export function classOfError(err: unknown): { class: FailureClass; reason: string; message: string } {
  const e = toKubeError(err);
  if (e.unreachable) return { class: "unreachable", reason: "Unreachable", message: e.message };
  if (e.status === 403) return { class: "forbidden", reason: e.reason ?? "Forbidden", message: e.message };
  if (e.status === 404 && e.details?.kind === "namespaces") return { class: "namespaceMissing", reason: "NotFound", message: e.message };
  return { class: "jobFailed", reason: e.reason ?? `HTTP ${e.status ?? "?"}`, message: e.message };
}

/** Turns a failed preflight into the run's verdict, naming every failed check. */
function preflightDiagnosis(report: PreflightReport): Diagnosis {
  const failed = report.checks.filter((c) => !c.ok && !c.optional);
  const cls = failed.find((c) => c.class === "unreachable")?.class ?? failed.find((c) => c.class === "namespaceMissing")?.class ?? failed.find((c) => c.class === "forbidden")?.class ?? failed[0]?.class ?? "forbidden";
  const message = failed.map((c) => `${c.name}: ${c.detail}`).join("\n");
  const fixes = failed.map((c) => c.fix).filter(Boolean);
  return { verdict: "couldNotRun", class: cls === "config" ? "jobFailed" : cls, reason: "PreflightFailed", message, ...(fixes.length ? { hint: fixes.join("; ") } : {}) };
}

const NOT_CREATED = { verdict: "interrupted", class: "interrupted", reason: "Interrupted", message: "interrupted before the Job was created" } as const;

/** Runs the planned suites in the cluster; one outcome per suite, in plan order. Never throws for a failed suite. */
export async function runInCluster(deps: ClusterDeps, plan: ClusterPlan): Promise<SuiteOutcome[]> {
  const { port } = deps;
  const ns = plan.namespace;
  const note = (level: "info" | "verbose" | "warning", text: string) => deps.emit({ type: "run.note", level, text });
  const runs = plan.suites.map(
    (s) =>
      new SuiteRun(
        s.resolved,
        s.objects.job.metadata.name,
        { port, now: deps.now, setTimer: deps.setTimer, emit: deps.emit, logPath: deps.logPath, collect: deps.collect, deleteJob: async (job) => void (await port.delete("jobs", ns, job)) },
        { failFastMs: plan.failFastMs, deadlineSlackMs: plan.deadlineSlackMs ?? 60_000, keep: plan.keep },
      ),
  );
  const outcomes = () => Promise.all(runs.map((r) => r.outcome));
  const bySuite = new Map(runs.map((r) => [r.suite.name, r]));

  // 1. Preflight: nothing is created unless every check passes.
  const report = await preflight(port, ns, plan.suites.map((s) => s.resolved));
  for (const c of report.checks) if (!c.ok) note(c.optional ? "warning" : "info", `preflight: ${c.name}: ${c.detail}${c.fix ? ` — fix: ${c.fix}` : ""}`);
  if (!report.ok) {
    const d = preflightDiagnosis(report);
    for (const r of runs) r.notCreated(d);
    return outcomes();
  }

  // 2. One watch per kind for the whole run, opened before any Job exists so nothing is missed.
  const selector = { labelSelector: `${RUN_ID_LABEL}=${plan.runId}` };
  const reconnect = (why: string) => note("verbose", why);
  const watchOpts = { onReconnect: reconnect, setTimer: deps.setTimer };
  const jobs = new KindWatch(port, "jobs", ns, selector, watchOpts);
  const pods = new KindWatch(port, "pods", ns, selector, watchOpts);
  // Events cannot be label-selected: the watch keeps only those about this run's Jobs and their
  // pods (named <job>-<suffix>), so a busy namespace costs neither memory nor re-evaluations.
  // Nothing of the run exists yet, so the first list needs only a resourceVersion.
  const jobNames = runs.map((r) => r.jobName);
  const ours = (e: KubeEvent) => jobNames.some((j) => (e.involvedObject?.name ?? "").startsWith(j));
  const events = new KindWatch(port, "events", ns, {}, { ...watchOpts, firstListLimit: 1, keep: ours });
  const suiteOf = (o: KubeObject) => bySuite.get(o.metadata?.labels?.[SUITE_LABEL] ?? "");
  jobs.subscribe((type, job: Job) => suiteOf(job)?.onJob(type, job));
  pods.subscribe((type, pod: Pod) => suiteOf(pod)?.onPod(type, pod));
  events.subscribe(() => {
    const all: KubeEvent[] = [...events.objects.values()];
    for (const r of runs) r.onEvents(all);
  });
  const watches = [jobs, pods, events];
  const stopWatches = () => watches.forEach((w) => w.stop());
  const started = await Promise.allSettled(watches.map((w) => w.start()));
  const failedStart = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failedStart) {
    // The others may have started: they must not reconnect forever behind a finished run.
    stopWatches();
    const c = classOfError(failedStart.reason);
    for (const r of runs) r.notCreated({ verdict: "couldNotRun", ...c });
    return outcomes();
  }

  // 3. Create each suite's objects, at most `concurrency` Jobs in flight.
  const created = new Map<string, { job: string; overlay?: string }>();
  const inflight = new Set<Promise<void>>();
  let interrupted = false;
  const startSuite = async (planned: PlannedSuite, run: SuiteRun): Promise<void> => {
    const o = planned.objects;
    try {
      // Server-side apply checks no references: the three go at once.
      await Promise.all([o.serviceAccount, o.role, o.roleBinding].filter((x) => x !== undefined).map((obj) => port.apply(obj as KubeObject)));
      if (interrupted) return run.notCreated(NOT_CREATED);
      // source: local: the overlay exists before the pod that mounts it, then belongs to the
      // Job, so the garbage collector removes it with the Job (TTL, clean).
      if (o.overlay) {
        await port.create(o.overlay as KubeObject);
        created.set(run.suite.name, { job: "", overlay: o.overlay.metadata.name });
      }
      let job: Job;
      try {
        job = await port.create(o.job as KubeObject as Job);
      } catch (err) {
        if (o.overlay) await port.delete("configmaps", ns, o.overlay.metadata.name).catch(() => false);
        created.delete(run.suite.name);
        throw err;
      }
      created.set(run.suite.name, { job: run.jobName, ...(o.overlay ? { overlay: o.overlay.metadata.name } : {}) });
      // Interrupted while create() was in flight: the cleanup deletes it; the suite is not started
      // (no deadline timer for a Job that is going away).
      if (interrupted) return run.notCreated({ ...NOT_CREATED, message: "interrupted while the Job was being created (it was deleted)" });
      run.started(job);
      if (o.overlay) {
        const owner = { apiVersion: "batch/v1", kind: "Job", name: job.metadata?.name ?? "", uid: job.metadata?.uid ?? "" };
        await port.setOwner(ns, o.overlay.metadata.name, owner).catch((e: unknown) => note("warning", `could not hand configmap/${o.overlay?.metadata.name} to job/${owner.name} (incluster clean removes it): ${toKubeError(e).message}`));
      }
    } catch (err) {
      run.notCreated({ verdict: "couldNotRun", ...classOfError(err) });
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < runs.length && !interrupted) {
      const i = next++;
      const run = runs[i];
      const planned = plan.suites[i];
      if (!run || !planned) continue;
      const p = startSuite(planned, run);
      inflight.add(p);
      await p;
      inflight.delete(p);
      await run.outcome;
    }
  };

  // 4. Interrupt: every object the run created goes, unless keep — also a Job whose create()
  // was still in flight, and the overlay ConfigMaps (deleting a Job with Orphan propagation
  // would leave them behind).
  let cleanup: Promise<void> | undefined;
  const onAbort = () => {
    interrupted = true;
    note("info", `interrupted: ${plan.keep ? "keeping the run's Jobs (--keep)" : "deleting the run's Jobs and Pods"}`);
    for (const r of runs) if (!r.done) r.interrupt();
    if (!plan.keep) cleanup = Promise.allSettled([...inflight]).then(() => deleteRun(deps, ns, [...created.values()], pods, plan.podsGoneMs ?? 30_000));
  };
  if (deps.signal.aborted) onAbort();
  else deps.signal.addEventListener("abort", onAbort, { once: true });

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, runs.length)) }, worker));
    for (const r of runs) if (!r.done) r.notCreated(NOT_CREATED);
    const results = await outcomes();
    if (cleanup) await cleanup;
    return results;
  } finally {
    deps.signal.removeEventListener("abort", onAbort);
    stopWatches();
  }
}

/** Deletes the run's Jobs, their Pods and overlays, and waits (on the pod watch) until the Pods are gone. */
async function deleteRun(deps: ClusterDeps, ns: string, objects: { job: string; overlay?: string }[], pods: KindWatch<"pods">, podsGoneMs: number): Promise<void> {
  const { port } = deps;
  const note = (text: string) => deps.emit({ type: "run.note", level: "info", text });
  // Orphan, then delete the pods ourselves with a short grace: the garbage collector would
  // delete them with the pod's full terminationGracePeriodSeconds (30 s by default), and
  // deleting pods first would let the Job controller replace them.
  for (const { job } of objects) {
    if (!job) continue;
    const gone = await port.delete("jobs", ns, job, { propagation: "Orphan" }).catch((e: unknown) => {
      note(`could not delete job/${job}: ${toKubeError(e).message}`);
      return false;
    });
    if (gone) note(`deleted job/${job}`);
  }
  for (const { overlay } of objects) {
    if (!overlay) continue;
    const gone = await port.delete("configmaps", ns, overlay).catch((e: unknown) => {
      note(`could not delete configmap/${overlay}: ${toKubeError(e).message} (incluster clean removes it)`);
      return false;
    });
    if (gone) note(`deleted configmap/${overlay}`);
  }
  const podNames = [...pods.objects.values()].map((p) => p.metadata?.name ?? "").filter(Boolean);
  for (const name of podNames) {
    const gone = await port.delete("pods", ns, name, { gracePeriodSeconds: 5 }).catch(() => false);
    if (gone) note(`deleted pod/${name}`);
  }
  if (pods.objects.size === 0) return;
  await new Promise<void>((resolve) => {
    const t = deps.setTimer(() => {
      unsubscribe();
      note(`pods still terminating after ${podsGoneMs / 1000}s: ${[...pods.objects.values()].map((p) => p.metadata?.name).join(", ")}`);
      resolve();
    }, podsGoneMs);
    const unsubscribe = pods.subscribe(() => {
      if (pods.objects.size === 0) {
        t.cancel();
        unsubscribe();
        resolve();
      }
    });
  });
}
