// The one orchestrator of a run: preflight → source → build → render → cluster → report. Every stage reports
// through one RunEvent stream (the terminal view, --events, the saved logs are its consumers) and
// the run ends with the RunResult that `-o json` prints. Stages are passed in as deps where they
// touch the machine (git, the image engine), so tests can drive the pipeline without them. The
// cluster stage is the levels below, each called with the one RunContext built here, each handing
// its outcome back as a return value: cluster-session → suite-attempts → suite-run (the driver).
import { PLATFORM_IDENTITY_GROUP, withAssignedIdentity, type ResolvedSuite } from "../config/resolve.js";
import { hintFor } from "../diagnose/hints.js";
import type { FailureClass } from "../diagnose/types.js";
import { CouldNotRunError } from "../errors.js";
import { quarantinedEvents } from "../events/quarantined.js";
import type { EventBody } from "../events/types.js";
import { worstExitCode } from "../exit-codes.js";
import type { ExitCode as ExitCodeT } from "../exit-codes.js";
import { RESULT_FILE } from "../names.js";
import { renderSuite } from "../render/suite.js";
import { notRunResult } from "../report/not-run.js";
import { RESULT_API_VERSION } from "../results/run-result.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";
import { attemptKey, tracksAttempts } from "./attempt-key.js";
import { runInCluster } from "./cluster-session.js";
import type { AttemptsOutcome } from "./suite-attempts.js";
import { runContext, runStream } from "./context.js";
import type { PipelineDeps, PipelinePlan, StageNotes } from "./context.js";
import { withDnsHint } from "./dns-hint.js";
import { preflight, preflightDiagnosis } from "./preflight.js";
import { readHistories, writeHistories } from "./history.js";
import { withTrends } from "../history/trend.js";
import { shardPlan } from "./shard-plan.js";

// The library's injection point (api/run.ts, the tests) is declared beside the context built from it.
export type { ImageReady, PipelineDeps, PipelinePlan, StageNotes } from "./context.js";

/** Runs the pipeline; returns the result model, also when the run could not run (run.finished is always the last event). */
export async function orchestrate(deps: PipelineDeps, plan: PipelinePlan): Promise<RunResult> {
  const startedAt = deps.now();
  const context = deps.port.context().context;
  const ns = plan.namespace;
  const { emit, unresolved } = runStream(plan.runId, deps);
  let saving = true;
  // Written at the end only when it was read at the start (the store is there and readable).
  let recordHistory = false;
  const notes: StageNotes = { info: (text) => emit({ type: "run.note", level: "info", text }), engineLine: (line) => emit({ type: "build.output", line }) };
  const names = plan.suites.map((s) => s.name);
  try {
    // 0. The report directory: an unwritable one stops the run before anything happens (nothing saved).
    const start = { apiVersion: RESULT_API_VERSION, kind: "RunStart", runId: plan.runId, context, namespace: ns, suites: names, startedAt: iso(startedAt) };
    const unwritable = prepare(start);
    emit({ type: "run.started", namespace: ns, context, suites: names });

    // A verdict for every suite when the run stops before any Job exists.
    const notRun = (d: { class: FailureClass; reason: string; message: string; hint?: string | undefined }) => {
      const notRunSuites = plan.suites.map((s) => ({ name: s.name, image: s.image }));
      const hint = d.hint ? { hint: d.hint } : {};
      const doc = notRunResult({ runId: plan.runId, context, namespace: ns, suites: notRunSuites, ...d, ...hint, at: new Date(deps.now()) });
      for (const s of doc.suites) emit({ type: "suite.verdict", suite: s.suite, result: s });
      return finish({ ...doc, reportDir: saving ? plan.reportDir : "" });
    };
    if (unwritable) return await notRun({ class: "jobFailed", reason: unwritable.code, message: unwritable.message, hint: unwritable.hint });

    // 1. Preflight, before the source and the build: one round of requests (the API server
    // answers in time, its Kubernetes is new enough, the namespace, access, referenced objects).
    const answerMs = plan.preflightAnswerMs !== undefined ? { answerMs: plan.preflightAnswerMs } : {};
    const report = await preflight(deps.port, ns, plan.suites, { setTimer: deps.timers.set, ...answerMs });
    for (const c of report.checks) {
      if (c.ok) continue;
      emit({ type: "run.note", level: c.optional ? "warning" : "info", text: `preflight: ${c.name}: ${c.detail}${c.fix ? ` — fix: ${c.fix}` : ""}` });
    }
    if (!report.ok) {
      const d = preflightDiagnosis(report);
      const cls = d.class ?? "forbidden";
      return await notRun({ class: cls, reason: d.reason ?? "PreflightFailed", message: d.message ?? "", hint: hintFor(cls, { namespace: ns }) });
    }

    // The suites' histories, one read, for the context (trends, quarantine, shard balance).
    const read = await readHistories(deps.history, names, emit);
    recordHistory = read.readable;

    // On a cluster that assigns pod uids (OpenShift), suites that name none let it (runAsUser: auto).
    const planSuites = report.assignsIdentity ? identityAssigned(plan.suites, emit) : plan.suites;

    // 2. Source, 3. build: a failure is every suite's verdict.
    let suites: ResolvedSuite[];
    let stage: FailureClass = "sourceFailed";
    try {
      const texts: string[] = [];
      suites = await deps.resolveSources(planSuites, { info: (t) => texts.push(t), engineLine: notes.engineLine });
      const src = suites[0]?.source;
      if (src) emit(sourceEvent(src, texts.join("\n")));
      stage = "buildFailed";
      if (suites.some((s) => s.build)) {
        const built = await deps.build(suites, notes);
        suites = built.suites;
        for (const img of built.images) emit({ type: "image.ready", ...img });
      }
    } catch (err) {
      if (!(err instanceof CouldNotRunError)) throw err;
      return await notRun({ class: stage, reason: err.code, message: err.message, hint: err.hint });
    }

    // 4. Render (pure), 5. the cluster: the run's one context, handed down unchanged. Without
    // pods/exec (the preflight said), the collectors send small artifacts through their logs.
    const ctx = runContext(deps, plan, emit, report, read.histories);
    // With a run history, a sharded suite's count (shards: auto) and its split's weights.
    suites = suites.map((s) => {
      const p = shardPlan(s, ctx.histories.get(s.name));
      for (const text of p.notes) emit({ type: "suite.note", suite: s.name, level: "info", text });
      return p.suite;
    });
    const planned = suites.map((resolved) => ({ resolved, objects: renderSuite(resolved, { runId: plan.runId, collectVia: ctx.collectVia }) }));
    const session = runInCluster(ctx, planned, plan.concurrency);

    // 6. Report, each suite as soon as it is over (its suite.verdict then, not at the run's end):
    // what `kubectl describe` would show, kept beside the logs (the Job's TTL or a delete will
    // take it away), then the result.
    const reportSuite = async (resolved: ResolvedSuite, { outcomes, result: combined }: AttemptsOutcome): Promise<SuiteResult> => {
      const tracked = tracksAttempts(resolved);
      for (const o of outcomes) {
        const key = tracked ? attemptKey(resolved.name, o.attempt) : resolved.name;
        const save = (name: string, data: unknown) => deps.files.writeJson(`${key}/${name}`, data);
        await Promise.all([save("job.json", o.job), save("pods.json", o.pods), save("events.json", o.events)]);
      }
      const hinted = combined.verdict === "failed" && unresolved.has(resolved.name) ? await withDnsHint(deps.port, resolved, combined) : combined;
      const result = withTrends(hinted, ctx.histories.get(resolved.name));
      for (const q of quarantinedEvents(result)) emit(q);
      emit({ type: "suite.verdict", suite: result.suite, result });
      return result;
    };
    const reported = Promise.all(session.suites.map((p, i) => p.then((a) => reportSuite(suites[i] as ResolvedSuite, a))));
    // Handled here, awaited below: a failure that is no suite's (session.ended) comes first.
    reported.catch(() => undefined);
    await session.ended;
    const results = await reported;
    return await finish({
      apiVersion: RESULT_API_VERSION,
      kind: "RunResult",
      runId: plan.runId,
      context,
      namespace: ns,
      startedAt: iso(startedAt),
      finishedAt: iso(deps.now()),
      exitCode: worstExitCode(results.map((r) => r.exitCode as ExitCodeT)),
      reportDir: plan.reportDir,
      suites: results,
    });
  } finally {
    deps.timers.dispose();
  }

  /** The report directory and run.json; the error when it cannot be written (then nothing is saved). */
  function prepare(start: object): CouldNotRunError | undefined {
    try {
      deps.files.prepare(start);
      return undefined;
    } catch (err) {
      if (!(err instanceof CouldNotRunError)) throw err;
      saving = false;
      return err;
    }
  }

  /**
   * The end of every run: the saved logs closed, then the result's consumers (deps.finishing), then
   * result.json, then run.finished, the last event, carrying the result run() returns.
   */
  async function finish(result: RunResult): Promise<RunResult> {
    if (saving) await deps.files.close();
    // The run's records, unless it was interrupted (Ctrl-C: its suites were cut, not judged).
    if (recordHistory && deps.history && !deps.signal.aborted) await writeHistories(deps.history, result, { emit, setTimer: deps.timers.set });
    let final = withWriteFailures(result);
    if (deps.finishing) final = await deps.finishing(final, emit);
    if (saving) {
      await deps.files.writeJson(RESULT_FILE, final);
      final = withWriteFailures(final);
    }
    emit({ type: "run.finished", result: final });
    return final;
  }

  /** A write that failed is said once per file and noted on the result; the verdict stands. */
  function withWriteFailures(result: RunResult): RunResult {
    const said = new Set(result.warnings ?? []);
    const more = deps.files.failures().map((f) => `could not save ${f.path}: ${f.code}: ${f.message}`).filter((w) => !said.has(w));
    return more.length ? { ...result, warnings: [...said, ...more] } : result;
  }
}

/** The suites with runAsUser auto where they name no uid, said once in a note naming them. */
function identityAssigned(suites: readonly ResolvedSuite[], emit: (e: EventBody) => void): ResolvedSuite[] {
  const out = suites.map(withAssignedIdentity);
  const changed = out.filter((s, i) => s !== suites[i]).map((s) => s.name);
  if (changed.length) {
    const text = `the cluster assigns pod uids (it serves ${PLATFORM_IDENTITY_GROUP}): ${changed.join(", ")} run with securityContext.runAsUser: auto`;
    emit({ type: "run.note", level: "info", text });
  }
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function sourceEvent(src: ResolvedSuite["source"], text: string): EventBody {
  if (src.kind === "image") return { type: "source.resolved", kind: "image", text };
  if (src.kind === "git") return { type: "source.resolved", kind: "git", url: src.url, ref: src.ref, ...(src.commit ? { commit: src.commit } : {}), text };
  return {
    type: "source.resolved",
    kind: "local",
    ...(src.url ? { url: src.url } : {}),
    ...(src.commit ? { commit: src.commit } : {}),
    ...(src.overlay ? { overlay: { files: src.overlay.files, deleted: src.overlay.deleted.length, bytes: src.overlay.bytes } } : {}),
    text,
  };
}
