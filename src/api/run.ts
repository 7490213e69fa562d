// The library's run(): every option checked first (UsageError, exit 2: nothing is sent anywhere),
// then the kubeconfig (loading it contacts nothing), then the one orchestrator with the machine's
// real stages wired in. The CLI's `run` is a shell over this function.
import { isAbsolute, join, relative, resolve } from "node:path";
import { parseDuration } from "../config/duration.js";
import { applyOverrides, resolveOverrides } from "../config/overrides.js";
import { DEFAULT_NAMESPACE, listSuites, resolveSuite } from "../config/resolve.js";
import { MAX_RETRIES } from "../config/schema.js";
import type { Config } from "../config/schema.js";
import { DEFAULT_HISTORY_STORE, historyStoreProblem, parseHistoryStore } from "../config/history.js";
import type { HistoryStoreSpec } from "../config/history.js";
import { UsageError } from "../errors.js";
import { envelopeFactory } from "../events/envelope.js";
import type { EventSink } from "../events/types.js";
import type { ClusterPort } from "../kube/port.js";
import { RUNS_DIR } from "../names.js";
import type { RunResult } from "../results/run-result.js";
import { reportFiles } from "../run/files.js";
import { orchestrate } from "../run/orchestrator.js";
import { copyConcurrencyOf } from "../run/copy-slots.js";
import { newRunId } from "../run/run-id.js";
import { TimerScope } from "../timers.js";
import { resolveSources } from "../source/resolve-sources.js";
import type { OtlpExport } from "../otlp/export.js";
import { otlpLogsUrl } from "../otlp/url.js";
import { notifyRun } from "../notify/index.js";
import { configDirOf } from "./config.js";
import { placeholderError } from "../config/placeholders.js";
import { readJunit } from "./read-junit.js";
import { withHtmlReport } from "./html-report.js";
import { connectCluster } from "./connect.js";
import { machineBuild, platformProblem } from "./machine-build.js";
import type { RunOptions } from "./options.js";
import { DEFAULT_FAIL_FAST } from "./defaults.js";
import { podTemplateProblems, unrestrictedWarnings } from "../render/pod-template.js";
import { formatProblem } from "../config/problems.js";
import { runHistory } from "./history.js";

export { DEFAULT_FAIL_FAST };

/** Which suites: the named ones, all with `all`, or the only one there is. */
export function pickSuites(config: Config, names: readonly string[], all: boolean): string[] {
  const known = listSuites(config);
  if (all && names.length) throw new UsageError("give suite names or --all, not both", ["drop --all to run only the named suites"]);
  if (all) return known;
  if (names.length) return [...new Set(names)];
  if (known.length === 1) return known;
  throw new UsageError("which suite? name one or more, or pass --all", [`known suites: ${known.join(", ") || "(none)"}`]);
}

function failFastMs(v: string | number | undefined): number {
  if (typeof v === "number") {
    if (!Number.isFinite(v) || v < 0) throw new UsageError(`failFast: expected milliseconds of at least 0, got ${v}`);
    return v;
  }
  const s = parseDuration(v ?? DEFAULT_FAIL_FAST);
  if (s === undefined) throw new UsageError(`--fail-fast: expected a duration like 15s or 2m, got ${JSON.stringify(v)}`);
  return s * 1000;
}

function concurrencyOf(v: number | undefined, suites: number): number {
  if (v === undefined) return Math.max(1, suites);
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`--concurrency: expected a whole number of at least 1, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Runs suites as Jobs and returns the result that `-o json` prints. A failed suite is data, not an
 * error, and so is a run that could not run (exit code 3: the preflight, the source, the build or
 * the report directory stopped it). Throws only a UsageError, before any event and any contact.
 * The events begin with run.started and end with run.finished, which carries the returned result.
 */
export async function run(config: Config, options: RunOptions = {}): Promise<RunResult> {
  const o = options;
  const cwd = o.cwd ?? process.cwd();
  const env = o.env ?? process.env;
  const now = o.now ?? Date.now;
  // Everything the caller passed is checked before any contact.
  const overrides = resolveOverrides({ namespaceFlag: o.namespace, timeoutFlag: o.timeout, env: {} });
  let cfg = applyOverrides(config, overrides);
  const names = pickSuites(cfg, o.suites ?? [], Boolean(o.all));
  const failFast = failFastMs(o.failFast);
  const concurrency = concurrencyOf(o.concurrency, names.length);
  const copyConcurrency = copyConcurrencyOf(o.copyConcurrency, env);
  if (o.retries !== undefined) {
    if (!Number.isInteger(o.retries) || o.retries < 0 || o.retries > MAX_RETRIES) {
      throw new UsageError(`--retries: expected a whole number from 0 to ${MAX_RETRIES}, got ${JSON.stringify(o.retries)}`);
    }
    const retries = o.retries;
    cfg = { ...cfg, suites: Object.fromEntries(Object.entries(cfg.suites).map(([n, s]) => [n, { ...s, retries }])) };
  }
  const platformFlag =
    o.platform !== undefined
      ? (platformProblem("platform", o.platform) ? invalid(platformProblem("platform", o.platform) ?? "") : o.platform)
      : undefined;
  if (o.otlpEndpoint !== undefined) otlpLogsUrl(o.otlpEndpoint);
  const historySpec = historyStoreOf(o.history, cfg);
  const initialCheck = names.map((n) => resolveSuite(cfg, n));
  // A Config built by hand (not loadConfig's) gets the podTemplate check here, still before any contact.
  const patchProblems = podTemplateProblems(cfg);
  if (patchProblems.length) throw new UsageError("the config's podTemplate cannot be used", patchProblems.map(formatProblem));
  // The kubeconfig: loading it contacts nothing; a missing one is a usage error.
  const port: ClusterPort = o.port ?? (await connectCluster({ kubeconfig: o.kubeconfig, context: o.context }));
  // init's placeholders (registry.example.com) would fail only at the push or the pull; still nothing contacted.
  const placeholders = placeholderError(cfg, "the config");
  if (placeholders) throw placeholders;
  // kubectl's habit: with no namespace named anywhere, the context's namespace.
  if (!overrides.namespace && !cfg.namespace) cfg = { ...cfg, namespace: port.context().namespace ?? DEFAULT_NAMESPACE };
  const suites = initialCheck.length ? names.map((n) => resolveSuite(cfg, n)) : [];
  const namespace = suites[0]?.namespace ?? cfg.namespace ?? DEFAULT_NAMESPACE;
  const configDir = o.configDir ?? configDirOf(config) ?? cwd;
  const runId = newRunId();
  const reportDir = o.reportDir ? resolve(cwd, o.reportDir) : join(cwd, RUNS_DIR, runId);
  // Paths below cwd are shown relative to it, others in full.
  const show = (abs: string) => {
    const rel = isAbsolute(abs) ? relative(cwd, abs) || "." : abs;
    return rel.startsWith("..") ? abs : rel;
  };

  const userSink: EventSink = o.onEvent ?? (() => undefined);
  // OpenTelemetry export (src/otlp/): one more consumer of the stream, loaded only when asked for.
  const envelope = envelopeFactory(runId, now);
  let otlp: OtlpExport | undefined;
  if (o.otlpEndpoint !== undefined) {
    const { startOtlpExport } = await import("../otlp/export.js");
    otlp = startOtlpExport({ endpoint: o.otlpEndpoint, runId, namespace, envelope }, userSink);
  }
  const sink: EventSink = otlp?.sink ?? userSink;
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (o.signal?.aborted) controller.abort();
  else o.signal?.addEventListener("abort", onAbort, { once: true });
  const timers = new TimerScope();
  // A dir: store of the option is relative to cwd, the config's to its folder.
  const baseDir = o.history !== undefined ? cwd : configDir;
  const history = runHistory(historySpec, { port, namespace, setTimer: timers.set, baseDir, keep: cfg.history?.keep });
  try {
    return await orchestrate(
      {
        port,
        now,
        timers,
        ...(history ? { history } : {}),
        emit: sink,
        files: reportFiles(reportDir, show),
        signal: controller.signal,
        resolveSources: (s, notes) => resolveSources(s, configDir, notes, { env }),
        readJunit,
        build: (s, notes) =>
          machineBuild({ config: cfg, configDir, suites: s, notes, port, env, show, engine: o.engine, planOnly: o.build === false, platform: platformFlag }),
        // The result's consumers, before run.finished: report.html beside result.json, then the
        // notifications (Slack, webhooks); a problem with either is a warning, never a change of verdict.
        // A podTemplate acknowledged with allowUnrestricted: one warning per suite, every run.
        finishing: (result, emit) => notifyRun(withHtmlReport(withWarnings(result, unrestrictedWarnings(suites)), reportDir), cfg.notify, { env, cwd, emit }),
      },
      {
        runId,
        namespace,
        suites,
        concurrency,
        copyConcurrency,
        failFastMs: failFast,
        keep: Boolean(o.keep),
        reportDir: show(reportDir),
        failOnFlaky: Boolean(o.failOnFlaky),
        ...(o.histories ? { histories: o.histories } : {}),
        ...(o.artifactsLimitBytes !== undefined ? { artifactsLimitBytes: o.artifactsLimitBytes } : {}),
      },
    );
  } finally {
    o.signal?.removeEventListener("abort", onAbort);
    // run.finished waits in the export until its own notes are out: it stays the last event.
    await otlp?.close();
  }
}

function withWarnings(result: RunResult, warnings: readonly string[]): RunResult {
  return warnings.length ? { ...result, warnings: [...(result.warnings ?? []), ...warnings] } : result;
}

/** The history store: the option (--history) beats the config's history.store; default cluster. */
function historyStoreOf(flag: string | undefined, cfg: Config): HistoryStoreSpec {
  const s = flag ?? cfg.history?.store ?? DEFAULT_HISTORY_STORE;
  const spec = parseHistoryStore(s);
  if (!spec) throw new UsageError(`${flag !== undefined ? "--history" : "history.store"}: ${historyStoreProblem(s) ?? ""}`);
  return spec;
}

function invalid(problem: string): never {
  throw new UsageError(problem);
}
