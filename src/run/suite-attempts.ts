// One suite's attempts: its first Job, then, while its tests keep failing and retries are left, a
// fresh Job rerunning the failed tests. Each attempt's objects are created here (ServiceAccount,
// Role and RoleBinding once per run, the overlay before its Job and then owned by it), its driver
// (suite-run.ts) follows it to an outcome, whether to retry is decided once, by retryOf
// (attempts.ts, pure, which also renders a retry's objects), as each attempt ends, and the
// outcomes are combined into the suite's one result, which goes back up with them.
import type { ResolvedSuite } from "../config/resolve.js";
import type { FailureClass } from "../diagnose/types.js";
import { DEFAULT_FLAKY_POLICY, quarantineOf } from "../history/quarantine.js";
import type { Quarantine } from "../history/quarantine.js";
import type { Job, KubeObject } from "../k8s-types.js";
import { toKubeError } from "../kube/errors.js";
import type { SuiteObjects } from "../render/objects.js";
import type { SuiteResult } from "../results/run-result.js";
import type { ApplyOnce } from "./apply-once.js";
import { attemptObjects, combineAttempts, probeOf, retryOf } from "./attempts.js";
import type { RunObjects } from "./cleanup.js";
import type { RunContext } from "./context.js";
import type { Routes } from "./routes.js";
import { SuiteRun } from "./suite-run.js";
import type { SuiteOutcome } from "./suite-run.js";

export interface PlannedSuite {
  resolved: ResolvedSuite;
  /** Its first attempt's objects (the orchestrator's render stage). */
  objects: SuiteObjects;
}

/** A suite's attempts as they ended (their objects are saved in the report), and its one result. */
export interface AttemptsOutcome {
  outcomes: SuiteOutcome[];
  result: SuiteResult;
}

/** A failed API call as a verdict, decided on the status and the Status details, never the text. */
export function classOfError(err: unknown): { class: FailureClass; reason: string; message: string } {
  const e = toKubeError(err);
  if (e.unreachable) return { class: "unreachable", reason: "Unreachable", message: e.message };
  if (e.status === 403) return { class: "forbidden", reason: e.reason ?? "Forbidden", message: e.message };
  if (e.status === 404 && e.details?.kind === "namespaces") return { class: "namespaceMissing", reason: "NotFound", message: e.message };
  return { class: "jobFailed", reason: e.reason ?? `HTTP ${e.status ?? "?"}`, message: e.message };
}

export const NOT_CREATED = { verdict: "interrupted", class: "interrupted", reason: "Interrupted", message: "interrupted before the Job was created" } as const;

export class SuiteAttempts {
  /** The first attempt's driver, made with the plan: the watches route to it before its Job exists. */
  readonly first: SuiteRun;
  private readonly ctx: RunContext;
  private readonly planned: PlannedSuite;
  private readonly routes: Routes;
  private readonly objects: RunObjects;
  private readonly rbac: ApplyOnce;
  private readonly outcomes: SuiteOutcome[] = [];
  private readonly rerunIds = new Map<number, readonly string[]>();
  /** The attempts that reran tests new to the history (flaky.newTests). */
  private readonly probes = new Set<number>();
  /** Which tests are quarantined in this run: decided once, as the suite starts (the config's entries, the history, the clock). */
  private readonly quarantine: Quarantine;
  /** run() began; ran resolves once it is over, or once the suite is skipped (it never got its turn). */
  private started = false;
  private endRun!: () => void;
  private readonly ran = new Promise<void>((r) => (this.endRun = r));
  private result: Promise<AttemptsOutcome> | undefined;

  constructor(ctx: RunContext, planned: PlannedSuite, shared: { routes: Routes; objects: RunObjects; rbac: ApplyOnce }) {
    this.ctx = ctx;
    this.planned = planned;
    this.routes = shared.routes;
    this.objects = shared.objects;
    this.rbac = shared.rbac;
    this.first = this.driver(planned.objects, 1);
    const r = planned.resolved;
    this.quarantine = quarantineOf(r.quarantine ?? [], r.flaky ?? DEFAULT_FLAKY_POLICY, ctx.histories.get(r.name), ctx.now());
  }

  private driver(objects: SuiteObjects, attempt: number): SuiteRun {
    const run = new SuiteRun(this.ctx, this.planned.resolved, objects.job.metadata.name, attempt);
    this.routes.add(run);
    return run;
  }

  /** The suite to its end: attempt 1, then a fresh Job per retry while tests keep failing. */
  async run(): Promise<void> {
    this.started = true;
    try {
      await this.attempts();
    } finally {
      this.endRun();
    }
  }

  /** A suite that never got its turn (the run stopped first, the watches could not start): this verdict, without a Job. */
  skip(verdict: Parameters<SuiteRun["notCreated"]>[0]): void {
    if (this.started) return;
    this.started = true;
    if (!this.first.done) this.first.notCreated(verdict);
    this.endRun();
  }

  private async attempts(): Promise<void> {
    const { resolved } = this.planned;
    let objects = this.planned.objects;
    let run = this.first;
    for (let attempt = 1; ; attempt++) {
      const p = this.create(objects, run);
      this.objects.inflight.add(p);
      await p;
      this.objects.inflight.delete(p);
      const o = await run.outcome;
      this.outcomes.push(o);
      if (this.objects.interrupted) return;
      // A failed attempt's retry first; once none is due, the new tests' extra runs (never a retry after them).
      const rerun = this.probes.size ? undefined : retryOf(o, attempt, resolved);
      const probe = rerun ? undefined : probeOf(this.outcomes, this.probes, resolved, this.ctx.histories.get(resolved.name));
      if (!rerun && !probe) return;
      const ids = rerun ? rerun.ids : probe;
      if (ids) this.rerunIds.set(attempt + 1, ids);
      if (probe) this.probes.add(attempt + 1);
      const what = ids ? `${ids.length} ${probe ? "new" : "failed"} test(s): ${ids.join(" ")}` : "the whole suite (no test ids to rerun)";
      const text = probe
        ? `new-flake detection: attempt ${attempt + 1} reruns ${what} (run ${this.probes.size} of ${resolved.flaky?.newTests ?? 0} more)`
        : `attempt ${attempt} failed; attempt ${attempt + 1} of ${(resolved.retries ?? 0) + 1} reruns ${what}`;
      this.ctx.emit({ type: "suite.note", suite: resolved.name, level: "info", text });
      objects = attemptObjects(this.ctx, resolved, attempt + 1, ids);
      run = this.driver(objects, attempt + 1);
    }
  }

  /**
   * Its attempts' outcomes and their one result, once its last attempt ended (or it was skipped):
   * each suite's as soon as it is over, not at the run's end. A suite never started (interrupted)
   * has only its first attempt's.
   */
  settled(): Promise<AttemptsOutcome> {
    this.result ??= this.combined();
    return this.result;
  }

  private async combined(): Promise<AttemptsOutcome> {
    await this.ran;
    if (this.outcomes.length === 0) this.outcomes.push(await this.first.outcome);
    const q = this.quarantine;
    const combined = combineAttempts(this.outcomes, {
      failOnFlaky: this.ctx.failOnFlaky,
      rerunIds: this.rerunIds,
      quarantined: (id) => q.markOf(id),
      probes: this.probes,
    });
    const expired = q.expired.map((e) => `quarantine of ${e.test} ended ${e.until ?? ""}: it counts again (${e.reason})`);
    const result = expired.length ? { ...combined, notes: [...combined.notes, ...expired] } : combined;
    return { outcomes: this.outcomes, result };
  }

  /** An attempt's objects into the cluster, its driver started; a failure (or an interrupt first) is its verdict. */
  private async create(o: SuiteObjects, run: SuiteRun): Promise<void> {
    const { port } = this.ctx;
    const ns = this.ctx.namespace;
    const { created } = this.objects;
    try {
      // Server-side apply checks no references: the three go at once. Those already in place
      // (an earlier run) or applied by this run are not sent again.
      await Promise.all([o.serviceAccount, o.role, o.roleBinding].filter((x) => x !== undefined).map((obj) => this.rbac.apply(obj as KubeObject)));
      if (this.objects.interrupted) return run.notCreated(NOT_CREATED);
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
      if (this.objects.interrupted) return run.notCreated({ ...NOT_CREATED, message: "interrupted while the Job was being created (it was deleted)" });
      run.started(job);
      if (o.overlay) {
        const owner = { apiVersion: "batch/v1", kind: "Job", name: job.metadata?.name ?? "", uid: job.metadata?.uid ?? "" };
        const warn = (e: unknown) => {
          const text = `could not hand configmap/${o.overlay?.metadata.name} to job/${owner.name} (incluster clean removes it): ${toKubeError(e).message}`;
          this.ctx.emit({ type: "run.note", level: "warning", text });
        };
        await port.setOwner(ns, o.overlay.metadata.name, owner).catch(warn);
      }
    } catch (err) {
      run.notCreated({ verdict: "couldNotRun", ...classOfError(err) });
    }
  }
}
