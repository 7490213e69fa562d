// The cluster stage of a run (after the orchestrator's preflight): shared watches → server-side apply of ServiceAccount,
// Role and RoleBinding → create each Job (and overlay) → suites followed to their verdicts →
// on interrupt, every object the run created is deleted (unless keep). Decisions are in
// diagnose/ and suite-state.ts; the orchestrator (orchestrator.ts) sequences the stages.
import type { ResolvedSuite } from "../config/resolve.js";
import type { FailureClass } from "../diagnose/types.js";
import type { EventBody } from "../events/types.js";
import type { Job, KubeEvent, KubeObject, Pod } from "../k8s-types.js";
import { toKubeError } from "../kube/errors.js";
import type { ClusterPort } from "../kube/port.js";
import { JOB_NAME_LABEL, MANAGED_BY, RUN_ID_LABEL, SUITE_LABEL } from "../names.js";
import { failedIds } from "../results/merge.js";
import type { SuiteObjects } from "../render/objects.js";
import { ApplyOnce } from "./apply-once.js";
import { connectivityStep } from "./connectivity.js";
import type { ReachState } from "./connectivity.js";
import { KindWatch } from "../follow/kind-watch.js";
import type { PreflightReport } from "./preflight.js";
import { SuiteRun } from "./suite-run.js";
import type { SuiteOutcome, SuiteRunDeps } from "./suite-run.js";
import type { SetTimer } from "../timers.js";


/** An interrupted run's pods are deleted with this grace: their tests are stopped, not waited for. */
export const INTERRUPT_POD_GRACE_S = 1;
/** After the deletes, how long the pod watch is heeded for a pod the Job controller made as its Job went. */
const LATE_POD_MS = 500;
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
  liveCutBytes?: number;
  /** Waits before taking a broken log copy again (default COPY_RETRY_MS). */
  copyRetryMs?: readonly number[];
  /** The run's preflight (orchestrator, before the source and build stages); it passed. */
  preflight: PreflightReport;
  copyRetryBudgetMs?: number;
  /** The objects of a retry: a fresh Job (named -<attempt>) rerunning these test ids, or the whole suite. */
  attemptObjects(resolved: ResolvedSuite, attempt: number, rerunIds: string[] | undefined, collectVia?: "exec" | "log"): SuiteObjects;
}

export interface ClusterDeps {
  port: ClusterPort;
  now: () => number;
  setTimer: SetTimer;
  emit(e: EventBody): void;
  signal: AbortSignal;
  logPath(suite: string, container: string): string;
  saveLine: SuiteRunDeps["saveLine"];
  collect: SuiteRunDeps["collect"];
  collectFromLog: SuiteRunDeps["collectFromLog"];
}

/** A failed API call as a verdict, decided on the status and the Status details, never the text. */
export function classOfError(err: unknown): { class: FailureClass; reason: string; message: string } {
  const e = toKubeError(err);
  if (e.unreachable) return { class: "unreachable", reason: "Unreachable", message: e.message };
  if (e.status === 403) return { class: "forbidden", reason: e.reason ?? "Forbidden", message: e.message };
  if (e.status === 404 && e.details?.kind === "namespaces") return { class: "namespaceMissing", reason: "NotFound", message: e.message };
  return { class: "jobFailed", reason: e.reason ?? `HTTP ${e.status ?? "?"}`, message: e.message };
}

const NOT_CREATED = { verdict: "interrupted", class: "interrupted", reason: "Interrupted", message: "interrupted before the Job was created" } as const;

/** Whether a finished attempt is rerun, and with which test ids (undefined: the whole suite). */
export function retryOf(o: SuiteOutcome, attempt: number, suite: ResolvedSuite): { ids?: string[] } | undefined {
  // Only failing tests are rerun; could-not-run classes (pull, OOM, eviction, clone) never are.
  if (attempt > (suite.retries ?? 0) || o.result.verdict !== "failed" || o.result.class !== "testsFailed") return undefined;
  const ids = suite.runner.kind === "pytest" ? failedIds(o.tests ?? []) : [];
  return ids.length ? { ids } : {};
}

/** Runs the planned suites in the cluster; per suite (in plan order) the outcome of each attempt. Never throws for a failed suite. */
export async function runInCluster(deps: ClusterDeps, plan: ClusterPlan): Promise<SuiteOutcome[][]> {
  const { port } = deps;
  const ns = plan.namespace;
  const note = (level: "info" | "verbose" | "warning", text: string) => deps.emit({ type: "run.note", level, text });
  const suiteDeps = { port, now: deps.now, setTimer: deps.setTimer, emit: deps.emit, logPath: deps.logPath, saveLine: deps.saveLine, collect: deps.collect, collectFromLog: deps.collectFromLog, deleteJob: async (job: string) => void (await port.delete("jobs", ns, job)) };
  const runOpts = { failFastMs: plan.failFastMs, deadlineSlackMs: plan.deadlineSlackMs ?? 60_000, keep: plan.keep, ...(plan.liveCutBytes !== undefined ? { liveCutBytes: plan.liveCutBytes } : {}), ...(plan.copyRetryMs ? { copyRetryMs: plan.copyRetryMs } : {}), ...(plan.copyRetryBudgetMs !== undefined ? { copyRetryBudgetMs: plan.copyRetryBudgetMs } : {}) };
  // Every attempt of every suite, by Job name: the watches route each object to its attempt.
  const byJob = new Map<string, SuiteRun>();
  const latest = new Map<string, SuiteRun>();
  let collectVia: "exec" | "log" = "exec";
  const newRun = (s: PlannedSuite, attempt: number): SuiteRun => {
    const r = new SuiteRun(s.resolved, s.objects.job.metadata.name, suiteDeps, { ...runOpts, attempt, tracked: (s.resolved.retries ?? 0) > 0, collectVia });
    byJob.set(r.jobName, r);
    latest.set(s.resolved.name, r);
    return r;
  };
  // Pods carry their Job's name (the Job controller's label); without it, the suite's current attempt.
  const runOf = (o: KubeObject) => byJob.get(o.metadata?.labels?.[JOB_NAME_LABEL] ?? "") ?? latest.get(o.metadata?.labels?.[SUITE_LABEL] ?? "");
  const live = () => [...byJob.values()];

  // 1. The preflight passed (the orchestrator checked it before the source and build stages).
  // Without pods/exec, the collectors send small artifacts through their logs instead.
  if (plan.preflight.denied.some((d) => d.resource === "pods" && d.subresource === "exec")) {
    collectVia = "log";
    plan = { ...plan, suites: plan.suites.map((s) => ({ resolved: s.resolved, objects: plan.attemptObjects(s.resolved, 1, undefined, "log") })) };
  }
  const runs = plan.suites.map((s) => newRun(s, 1));
  const outcomes = () => Promise.all(runs.map(async (r) => [await r.outcome]));

  // 2. One watch per kind for the whole run, opened before any Job exists so nothing is missed.
  const selector = { labelSelector: `${RUN_ID_LABEL}=${plan.runId}` };
  const reconnect = (why: string) => note("verbose", why);
  const watchOpts = { onReconnect: reconnect, setTimer: deps.setTimer };
  const jobs = new KindWatch(port, "jobs", ns, selector, watchOpts);
  const pods = new KindWatch(port, "pods", ns, selector, watchOpts);
  // Events cannot be label-selected: the watch keeps only those about this run's Jobs and their
  // pods (named <job>-<suffix>), so a busy namespace costs neither memory nor re-evaluations.
  // Nothing of the run exists yet, so the first list needs only a resourceVersion.
  // Each event goes to the one attempt it concerns, found by name in O(1) (its Job, or a pod
  // <job>-<suffix>): per-event work is that suite's, not the whole run's.
  const runOfEvent = (e: KubeEvent) => {
    const name = e.involvedObject?.name ?? "";
    return byJob.get(name) ?? byJob.get(name.slice(0, name.lastIndexOf("-")));
  };
  const events = new KindWatch(port, "events", ns, {}, { ...watchOpts, firstListLimit: 1, keep: (e: KubeEvent) => runOfEvent(e) !== undefined });
  jobs.subscribe((type, job: Job) => byJob.get(job.metadata?.name ?? "")?.onJob(type, job));
  pods.subscribe((type, pod: Pod) => runOf(pod)?.onPod(type, pod));
  const eventsOf = new Map<SuiteRun, Map<string, KubeEvent>>();
  events.subscribe((type, e: KubeEvent) => {
    const r = runOfEvent(e);
    if (!r || r.done) return;
    const mine = eventsOf.get(r) ?? new Map<string, KubeEvent>();
    eventsOf.set(r, mine);
    const k = e.metadata?.uid ?? `${e.metadata?.namespace}/${e.metadata?.name}`;
    if (type === "DELETED") mine.delete(k);
    else mine.set(k, e);
    r.onEvents([...mine.values()]);
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

  // 3. Create each suite's objects, at most `concurrency` Jobs in flight. RBAC objects already
  // in place (an earlier run) or applied by this run are not sent again.
  const rbac = new ApplyOnce(port);
  await rbac.load(ns, `${MANAGED_BY}=incluster`);
  const created = new Map<string, { job: string; overlay?: string }>();
  const inflight = new Set<Promise<void>>();
  let interrupted = false;
  const startSuite = async (planned: PlannedSuite, run: SuiteRun): Promise<void> => {
    const o = planned.objects;
    try {
      // Server-side apply checks no references: the three go at once.
      await Promise.all([o.serviceAccount, o.role, o.roleBinding].filter((x) => x !== undefined).map((obj) => rbac.apply(obj as KubeObject)));
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
  const results: SuiteOutcome[][] = plan.suites.map(() => []);
  /** One suite to its end: attempt 1, then a fresh Job per retry while tests keep failing. */
  const runSuite = async (i: number): Promise<void> => {
    let planned = plan.suites[i];
    let run = runs[i];
    for (let attempt = 1; planned && run; attempt++) {
      const p = startSuite(planned, run);
      inflight.add(p);
      await p;
      inflight.delete(p);
      const o = await run.outcome;
      results[i]?.push(o);
      const rerun = interrupted ? undefined : retryOf(o, attempt, planned.resolved);
      if (!rerun) return;
      deps.emit({ type: "suite.note", suite: planned.resolved.name, level: "info", text: `attempt ${attempt} failed; attempt ${attempt + 1} of ${(planned.resolved.retries ?? 0) + 1} reruns ${rerun.ids ? `${rerun.ids.length} failed test(s): ${rerun.ids.join(" ")}` : "the whole suite (no test ids to rerun)"}` });
      planned = { resolved: planned.resolved, objects: plan.attemptObjects(planned.resolved, attempt + 1, rerun.ids, collectVia) };
      run = newRun(planned, attempt + 1);
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < runs.length && !interrupted) await runSuite(next++);
  };

  // 4. Interrupt: every object the run created goes, unless keep — also a Job whose create()
  // was still in flight, and the overlay ConfigMaps (deleting a Job with Orphan propagation
  // would leave them behind).
  let cleanup: Promise<void> | undefined;
  const onAbort = () => {
    interrupted = true;
    note("info", `interrupted: ${plan.keep ? "keeping the run's Jobs (--keep)" : "deleting the run's Jobs and Pods"}`);
    for (const r of live()) if (!r.done) r.interrupt();
    if (!plan.keep) cleanup = Promise.allSettled([...inflight]).then(() => deleteRun(deps, ns, [...created.values()], pods, selector));
  };
  if (deps.signal.aborted) onAbort();
  else deps.signal.addEventListener("abort", onAbort, { once: true });

  // An API outage mid-run: the watches and log follows retry on their own; the user hears once
  // that the server stopped answering and once that it is back.
  let reach: ReachState = {};
  const offConnectivity = port.onConnectivity?.((change) => {
    const step = connectivityStep(reach, change, deps.now(), port.context().server);
    reach = step.state;
    if (step.note) note(step.note.level, step.note.text);
  });
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, runs.length)) }, worker));
    for (const r of runs) if (!r.done) r.notCreated(NOT_CREATED);
    // Suites never started (interrupted) have only their first attempt's outcome.
    for (const [i, r] of runs.entries()) if (results[i]?.length === 0) results[i]?.push(await r.outcome);
    if (cleanup) await cleanup;
    return results;
  } finally {
    offConnectivity?.();
    deps.signal.removeEventListener("abort", onAbort);
    stopWatches();
    const api = port.apiStats?.();
    if (api) note("verbose", `api: ${api.requests} requests (${api.streams} watches and log streams, ${api.retries} retried after 429/503) over ${api.connections} connection(s), at most ${api.peakInFlight} in flight; ${rbac.skipped} RBAC applies not needed`);
  }
}

/**
 * Deletes the run's Jobs, their Pods and overlays, all at once, and returns once the deletes are
 * accepted: Ctrl-C leaves within a second or two. The Pods go with a 1 s grace (their collector
 * does not wait for a copy when the tests did not end), so nothing is left a few seconds later.
 */
async function deleteRun(deps: ClusterDeps, ns: string, objects: { job: string; overlay?: string }[], pods: KindWatch<"pods">, selector: { labelSelector: string }): Promise<void> {
  const { port } = deps;
  const note = (text: string) => deps.emit({ type: "run.note", level: "info", text });
  // The Job first (deleting pods first would let the Job controller replace them), orphaning
  // its pods, which we delete with a short grace. Not Background: the garbage collector's delete
  // of the pods, with their full terminationGracePeriodSeconds (120 s), reached the kubelet before
  // ours, and a kill under way keeps its grace (seen: StopContainer with timeout 120 while our
  // 1 s delete was on the pod). A Job deleted just after its create may keep the orphan finalizer
  // a while as the garbage collector catches up (once ~35 s, seen on the cli branch).
  const jobs = objects.map(async ({ job }) => {
    if (!job) return;
    const gone = await port.delete("jobs", ns, job, { propagation: "Orphan" }).catch((e: unknown) => {
      note(`could not delete job/${job}: ${toKubeError(e).message}`);
      return false;
    });
    if (gone) note(`deleted job/${job}`);
  });
  const overlays = objects.map(async ({ overlay }) => {
    if (!overlay) return;
    const gone = await port.delete("configmaps", ns, overlay).catch((e: unknown) => {
      note(`could not delete configmap/${overlay}: ${toKubeError(e).message} (incluster clean removes it)`);
      return false;
    });
    if (gone) note(`deleted configmap/${overlay}`);
  });
  await Promise.all(jobs);
  // The run's pods: those the watch has, and those it has not delivered yet (a Job interrupted
  // just after its create: the Job controller's pod, now orphaned, would otherwise run on).
  const deleted = new Set<string>();
  const deletePod = async (name: string) => {
    if (!name || deleted.has(name)) return;
    deleted.add(name);
    const gone = await port.delete("pods", ns, name, { gracePeriodSeconds: INTERRUPT_POD_GRACE_S }).catch(() => false);
    if (gone) note(`deleted pod/${name}`);
  };
  const listed = await port.list("pods", ns, selector).then(
    (l) => l.items,
    () => [],
  );
  await Promise.all([...overlays, ...[...pods.objects.values(), ...listed].map((p) => deletePod(p.metadata?.name ?? ""))]);
  // A pod the Job controller was creating as its Job went is in neither: the watch brings it
  // within moments, and it is deleted too.
  await new Promise<void>((resolve) => {
    const unsubscribe = pods.subscribe((_type, p) => {
      if (!p.metadata?.deletionTimestamp) void deletePod(p.metadata?.name ?? "");
    });
    deps.setTimer(() => {
      unsubscribe();
      resolve();
    }, LATE_POD_MS);
  });
}
