// The cluster session of a run (the orchestrator's stage 5, after the preflight, source, build and
// render): one watch per kind for the whole run, each object routed to the attempt it concerns
// (routes.ts), the suites run at most `concurrency` at a time, each through its attempts
// (suite-attempts.ts → suite-run.ts), an API outage said once each way, and on Ctrl-C every
// suite interrupted and every object the run created deleted, unless keep (cleanup.ts).
import { KindWatch } from "../follow/kind-watch.js";
import type { Job, KubeEvent, Pod } from "../k8s-types.js";
import { MANAGED_BY, RUN_ID_LABEL } from "../names.js";
import { ApplyOnce } from "./apply-once.js";
import { RunObjects, deleteRun } from "./cleanup.js";
import { connectivityStep } from "./connectivity.js";
import type { ReachState } from "./connectivity.js";
import type { RunContext } from "./context.js";
import { Routes } from "./routes.js";
import { NOT_CREATED, SuiteAttempts, classOfError } from "./suite-attempts.js";
import type { AttemptsOutcome, PlannedSuite } from "./suite-attempts.js";
import type { SuiteRun } from "./suite-run.js";

/** The cluster stage under way: each suite's outcome (in plan order) as soon as that suite is over, and the session's end. */
export interface ClusterSession {
  readonly suites: readonly Promise<AttemptsOutcome>[];
  /** Every suite over, the cleanup after Ctrl-C done, the watches stopped; rejects only on a failure that is no suite's. */
  readonly ended: Promise<void>;
}

/** Runs the planned suites in the cluster; per suite its attempts. Never fails for a failed suite. */
export function runInCluster(ctx: RunContext, planned: readonly PlannedSuite[], concurrency: number): ClusterSession {
  // Every attempt of every suite, by Job name: the watches route each object to its attempt.
  const routes = new Routes();
  const objects = new RunObjects();
  // RBAC objects already in place (an earlier run) or applied by this run are not sent again.
  const rbac = new ApplyOnce(ctx.port);
  const suites = planned.map((p) => new SuiteAttempts(ctx, p, { routes, objects, rbac }));
  return { suites: suites.map((s) => s.settled()), ended: session(ctx, suites, { routes, objects, rbac }, concurrency) };
}

async function session(
  ctx: RunContext,
  suites: readonly SuiteAttempts[],
  { routes, objects, rbac }: { routes: Routes; objects: RunObjects; rbac: ApplyOnce },
  concurrency: number,
): Promise<void> {
  const { port } = ctx;
  const ns = ctx.namespace;
  const note = (level: "info" | "verbose" | "warning", text: string) => ctx.emit({ type: "run.note", level, text });
  // One watch per kind for the whole run, opened before any Job exists so nothing is missed.
  const selector = { labelSelector: `${RUN_ID_LABEL}=${ctx.runId}` };
  const watchOpts = { onReconnect: (why: string) => note("verbose", why), setTimer: ctx.setTimer };
  const jobs = new KindWatch(port, "jobs", ns, selector, watchOpts);
  const pods = new KindWatch(port, "pods", ns, selector, watchOpts);
  // Events cannot be label-selected: the watch keeps only those about this run's Jobs and their
  // pods (named <job>-<suffix>), so a busy namespace costs neither memory nor re-evaluations.
  // Nothing of the run exists yet, so the first list needs only a resourceVersion.
  const events = new KindWatch(port, "events", ns, {}, { ...watchOpts, firstListLimit: 1, keep: (e: KubeEvent) => routes.ofEvent(e) !== undefined });
  jobs.subscribe((type, job: Job) => routes.ofJob(job)?.onJob(type, job));
  pods.subscribe((type, pod: Pod) => routes.ofPod(pod)?.onPod(type, pod));
  const eventsOf = new Map<SuiteRun, Map<string, KubeEvent>>();
  events.subscribe((type, e: KubeEvent) => {
    const r = routes.ofEvent(e);
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
    for (const s of suites) s.skip({ verdict: "couldNotRun", ...c });
    return;
  }

  await rbac.load(ns, `${MANAGED_BY}=incluster`);
  // Each suite's objects created, at most `concurrency` suites at a time.
  let next = 0;
  const worker = async () => {
    while (next < suites.length && !objects.interrupted) await suites[next++]?.run();
  };

  // Interrupt: every object the run created goes, unless keep — also a Job whose create()
  // was still in flight, and the overlay ConfigMaps (deleting a Job with Orphan propagation
  // would leave them behind).
  let cleanup: Promise<void> | undefined;
  const onAbort = () => {
    objects.interrupted = true;
    note("info", `interrupted: ${ctx.keep ? "keeping the run's Jobs (--keep)" : "deleting the run's Jobs and Pods"}`);
    for (const r of routes.all()) if (!r.done) r.interrupt();
    if (!ctx.keep) cleanup = Promise.allSettled([...objects.inflight]).then(() => deleteRun(ctx, [...objects.created.values()], pods, selector));
  };
  if (ctx.signal.aborted) onAbort();
  else ctx.signal.addEventListener("abort", onAbort, { once: true });

  // An API outage mid-run: the watches and log follows retry on their own; the user hears once
  // that the server stopped answering and once that it is back.
  let reach: ReachState = {};
  const offConnectivity = port.onConnectivity?.((change) => {
    const step = connectivityStep(reach, change, ctx.now(), port.context().server);
    reach = step.state;
    if (step.note) note(step.note.level, step.note.text);
  });
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, suites.length)) }, worker));
    for (const s of suites) s.skip(NOT_CREATED);
    if (cleanup) await cleanup;
  } finally {
    offConnectivity?.();
    ctx.signal.removeEventListener("abort", onAbort);
    stopWatches();
    const api = port.apiStats?.();
    if (api) {
      const counts = `${api.requests} requests (${api.streams} watches and log streams, ${api.retries} retried after 429/503)`;
      const over = `${api.connections} connection(s), at most ${api.peakInFlight} in flight`;
      const c = ctx.copies.stats;
      const execs = api.execs !== undefined ? `; pods/exec: ${api.execs}, at most ${api.peakExecs ?? 0} open at once` : "";
      const followed = `at most ${api.peakFollows ?? 0} open at once (limit ${api.followLimit}), at most ${api.peakFollowsWaiting ?? 0} waiting`;
      const follows = api.followLimit !== undefined ? `; log follows: ${followed}` : "";
      const copies = `; copies: ${c.granted}, at most ${c.peakActive} at once (limit ${ctx.copies.limit}), at most ${c.peakWaiting} queued`;
      note("verbose", `api: ${counts} over ${over}${execs}${copies}${follows}; ${rbac.skipped} RBAC applies not needed`);
    }
  }
}
