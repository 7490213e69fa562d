// The library's dev loop: one held pod of a suite (dev/pod.ts: the run's own pod, the tests
// replaced by a hold) and rounds in it. Each round sends only the changed files, as one tar over
// pods/exec, and runs the tests in place through the suite's runner (dev/round.ts); a change to
// what the pod is made from (the config, a Dockerfile, a dependency manifest) rebuilds the image
// and recreates the pod first. Every round is a run of its own in the event stream: run.started,
// log lines, suite.verdict, run.finished with a RunResult, so every consumer of run's stream
// (the terminal view, --events) renders it. The caller decides when rounds happen (the CLI's
// file watcher) and calls close() at the end; the pod also ends on its own after `idle`.
import { dirname, relative, resolve, sep } from "node:path";
import { applyOverrides, resolveOverrides } from "../config/overrides.js";
import { DEFAULT_NAMESPACE, resolveSuite } from "../config/resolve.js";
import type { ResolvedSuite } from "../config/resolve.js";
import type { Config } from "../config/schema.js";
import { changedTests, imageInputs } from "../dev/changes.js";
import { closeHeldPod, openHeldPod, type HeldPod } from "../dev/held-pod.js";
import type { FailureClass } from "../diagnose/types.js";
import { DEFAULT_DEV_IDLE, MIN_KUBERNETES_DEV } from "../names.js";
import { runRound } from "../dev/round.js";
import { CouldNotRunError, UsageError } from "../errors.js";
import { envelopeFactory } from "../events/envelope.js";
import type { EventBody, EventSink } from "../events/types.js";
import type { ClusterPort } from "../kube/port.js";
import { notRunResult } from "../report/not-run.js";
import { RESULT_API_VERSION } from "../results/run-result.js";
import type { RunResult, SuiteResult } from "../results/run-result.js";
import { newRunId } from "../run/run-id.js";
import { serverVersionVerdict } from "../run/server-version.js";
import { workingTree } from "../source/working-tree.js";
import { resolveSources } from "../source/resolve-sources.js";
import { syncArchive } from "../source/sync.js";
import { TimerScope } from "../timers.js";
import { onCluster } from "./cluster.js";
import { configDirOf, loadConfig } from "./config.js";
import { connectCluster } from "./connect.js";
import { deadlineSeconds } from "./debug.js";
import { machineBuild } from "./machine-build.js";

export { DEFAULT_DEV_IDLE };

export interface DevOptions {
  kubeconfig?: string;
  context?: string;
  /** The namespace (else the config's, else the kubeconfig context's). */
  namespace?: string;
  /** A port of your own (tests); default: one from the kubeconfig. */
  port?: ClusterPort;
  /** How long the pod stays up with no round: a duration ("30m", the default) or seconds. */
  idle?: string | number;
  /** Run only the test files that changed (pytest); the whole suite when none did. */
  changed?: boolean;
  /** The config's file: a change to it is read again (its suite's image, install, env). Default: none. */
  configPath?: string;
  /** Where source.local and build paths are relative to (default: configPath's folder, else loadConfig's, else cwd). */
  configDir?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The image engine for a suite incluster builds (default: image.engine, else the first on PATH). */
  engine?: string;
  onEvent?: EventSink;
  now?: () => number;
  /** Aborting while the pod starts deletes it and rejects with an InterruptedError (exit 130). */
  signal?: AbortSignal;
}

export interface DevRound {
  /** The round's run (its own run id): the suite's verdict, its tests. */
  result: RunResult;
  /** Files sent and deleted in the pod. */
  sent: string[];
  deleted: string[];
  /** Why the pod was recreated before this round (the paths that changed what it is made from). */
  recreated?: string[];
  /**
   * Every changed path already held what the pod has (an editor's save seen as two bursts, a file
   * saved unchanged): no tests ran, and `result` is the previous round's.
   */
  unchanged?: true;
}

export interface DevSession {
  /** The working tree's top: what the caller watches; round()'s paths are relative to it. */
  readonly top: string;
  readonly namespace: string;
  /** The held pod now (it changes when the pod is recreated). */
  pod(): string;
  /** One round: the changed paths (relative to top, "/"-separated) into the pod, then the tests. */
  round(changed: readonly string[]): Promise<DevRound>;
  /** Deletes the pod (and its overlay); idempotent. */
  close(): Promise<void>;
}

/** Starts the dev loop of `suite`: checks, connects, resolves the source, builds, creates the held pod. */
export async function startDev(config: Config, suite: string, o: DevOptions = {}): Promise<DevSession> {
  return onCluster(() => start(config, suite, o));
}

async function start(config: Config, suiteName: string, o: DevOptions): Promise<DevSession> {
  const idle = deadlineSeconds(o.idle ?? DEFAULT_DEV_IDLE, "idle");
  const cwd = o.cwd ?? process.cwd();
  const env = o.env ?? process.env;
  const now = o.now ?? Date.now;
  const configDir = o.configDir ?? (o.configPath ? dirname(resolve(cwd, o.configPath)) : configDirOf(config)) ?? cwd;
  const overrides = resolveOverrides({ namespaceFlag: o.namespace, env: {} });
  const checked = (c: Config) => {
    if (!c.source.local) {
      const kind = c.source.git ? "git" : "image";
      throw new UsageError(`dev sends the working tree's changed files to the pod, so it needs source: local; this config's source is ${kind}`, [
        "set source: { local: {} } in incluster.yaml (the pod then gets the working tree, uncommitted edits included)",
      ]);
    }
    const s = resolveSuite(applyOverrides(c, overrides), suiteName);
    if (o.changed && s.runner.kind !== "pytest") {
      throw new UsageError(`--changed picks the changed test files of a pytest suite; suite ${suiteName} runs ${s.runner.kind}`, ["drop --changed"]);
    }
    return s;
  };
  checked(config);
  const port = o.port ?? (await connectCluster({ kubeconfig: o.kubeconfig, context: o.context }));
  const gitVersion = await port.serverVersion();
  const version = serverVersionVerdict(gitVersion, MIN_KUBERNETES_DEV);
  if (version.state === "tooOld") {
    throw new CouldNotRunError(
      "DEV_OLD_KUBERNETES",
      `incluster dev needs Kubernetes ${version.needed} or newer (each round's files go in on the exec's stdin, ` +
        `and only its v5 protocol can close it); the server runs ${gitVersion}`,
      "use incluster run --watch, which runs from Kubernetes 1.29 on",
    );
  }
  const namespaced = (c: Config) => {
    const applied = applyOverrides(c, overrides);
    return overrides.namespace || applied.namespace ? applied : { ...applied, namespace: port.context().namespace ?? DEFAULT_NAMESPACE };
  };
  const top = await workingTree(config, configDir);
  const sink = o.onEvent ?? (() => undefined);
  const session = newRunId();
  const note = (text: string) => sink(envelopeFactory(session, now)({ type: "run.note", level: "info", text }));
  const timers = new TimerScope();
  const show = (abs: string) => relative(cwd, abs) || ".";
  const toTop = (abs: string) => {
    const rel = relative(top, abs);
    return rel && !rel.startsWith("..") ? rel.split(sep).join("/") : undefined;
  };

  // The suite as a run would have it: its source resolved (base commit and overlay), its image built.
  // stage says which step a failure came from (a failed rebuild is that round's verdict).
  const prepare = async (c: Config, stage: { at: FailureClass } = { at: "sourceFailed" }): Promise<ResolvedSuite> => {
    const texts: string[] = [];
    const notes = { info: (t: string) => texts.push(t), engineLine: (line: string) => sink(envelopeFactory(session, now)({ type: "build.output", line })) };
    let [s] = await resolveSources([resolveSuite(namespaced(c), suiteName)], configDir, notes, { env });
    if (!s) throw new Error(`suite ${suiteName} is not in the config`);
    stage.at = "buildFailed";
    if (s.build) {
      const built = await machineBuild({ config: c, configDir, suites: [s], notes, port, env, show, engine: o.engine, planOnly: false });
      s = built.suites[0] ?? s;
    }
    texts.forEach(note);
    return s;
  };
  const open = async (s: ResolvedSuite) => {
    const id = newRunId();
    const held = await openHeldPod(port, s, id, idle, timers, o.signal);
    note(`pod/${held.name}: suite ${suiteName}'s pod, held for rounds (idle deadline ${idle}s): the same image, env, ServiceAccount and resources`);
    return held;
  };

  let cfg = config;
  let suite = await prepare(cfg);
  let held: HeldPod | undefined = await open(suite);
  let closing: Promise<void> | undefined;
  // What the pod is made from changed but its rebuild failed: the next round tries again.
  let unbuilt: string[] = [];
  // What the pod holds of each path sent since it started ("" for deleted), and the last round.
  let inPod = new Map<string, string>();
  let last: DevRound | undefined;
  const close = () =>
    (closing ??= (async () => {
      timers.dispose();
      const h = held;
      held = undefined;
      if (h && (await closeHeldPod(port, h))) note(`deleted pod/${h.name}`);
    })());

  const round = async (changed: readonly string[]): Promise<DevRound> => {
    if (closing) throw new CouldNotRunError("DEV_NOT_RUNNING", "the dev session is closed");
    const runId = newRunId();
    const envelope = envelopeFactory(runId, now);
    const emit = (b: EventBody) => sink(envelope(b));
    const startedAt = now();
    const configFile = o.configPath ? toTop(resolve(cwd, o.configPath)) : undefined;
    const dockerfile = suite.build?.dockerfile ? toTop(resolve(configDir, suite.build.dockerfile)) : undefined;
    const stale = [...new Set([...unbuilt, ...imageInputs(changed, { ...(configFile ? { configFile } : {}), ...(dockerfile ? { dockerfile } : {}) })])];
    let sent: string[] = [];
    let deleted: string[] = [];
    let archive: Buffer | undefined;
    if (stale.length) {
      // What the pod is made from changed: read the config again, rebuild, and start a new pod
      // whose overlay carries every edit so far.
      note(`${stale.join(", ")} changed: rebuilding the image and recreating the pod`);
      const stage = { at: "sourceFailed" as FailureClass };
      let next: ResolvedSuite;
      let nextCfg = cfg;
      try {
        if (configFile && stale.includes(configFile) && o.configPath) nextCfg = loadConfig({ path: resolve(cwd, o.configPath), env });
        checked(nextCfg);
        next = await prepare(nextCfg, stage);
      } catch (err) {
        // A broken Dockerfile or config is this round's verdict, not the end of dev: the pod
        // (if any) stays as it was, and the next save tries the rebuild again.
        if (!(err instanceof UsageError || err instanceof CouldNotRunError)) throw err;
        unbuilt = stale;
        return notBuilt(err, stage.at, runId, emit);
      }
      unbuilt = [];
      inPod = new Map();
      cfg = nextCfg;
      const old = held;
      held = undefined;
      if (old) await closeHeldPod(port, old);
      suite = next;
      held = await open(suite);
    } else {
      const sync = syncArchive(top, changed, cfg.source.local?.include ?? []);
      const same = sync.written.every((p) => inPod.get(p) === sync.digests[p]) && sync.deleted.every((p) => inPod.get(p) === "");
      if (last && changed.length && same) {
        note(`${sentText(changed)}: no change from what the pod has; no round`);
        return { ...last, sent: [], deleted: [], unchanged: true };
      }
      for (const p of sync.written) inPod.set(p, sync.digests[p] ?? "?");
      for (const p of sync.deleted) inPod.set(p, "");
      if (sync.note) note(sync.note);
      ({ written: sent, deleted, archive } = sync);
      const gone = deleted.length ? `, ${deleted.length} deleted` : "";
      if (changed.length) note(`${sentText(changed)} changed: ${sent.length} file(s) sent${gone} (${archive?.length ?? 0} B tar)`);
    }
    const pod = held;
    if (!pod) throw new CouldNotRunError("DEV_NOT_RUNNING", "the dev session is closed");
    const only = o.changed && suite.runner.kind === "pytest" && !stale.length ? changedTests(changed, suite.runner.test) : [];
    if (o.changed && changed.length && !stale.length) {
      note(only.length ? `--changed: running ${only.join(", ")}` : "--changed: no test file of the suite changed; running the whole suite");
    }
    emit({ type: "run.started", namespace: pod.namespace, context: port.context().context, suites: [suiteName] });
    const result = await runRound({
      port, suite, namespace: pod.namespace, pod: pod.name, deleted, emit, now,
      ...(archive ? { archive } : {}),
      ...(only.length ? { only } : {}),
    });
    emit({ type: "suite.verdict", suite: suiteName, result });
    const run: RunResult = {
      apiVersion: RESULT_API_VERSION,
      kind: "RunResult",
      runId,
      context: port.context().context,
      namespace: pod.namespace,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(now()).toISOString(),
      exitCode: result.exitCode,
      reportDir: "",
      suites: [result],
    };
    emit({ type: "run.finished", result: run });
    last = { result: run, sent, deleted, ...(stale.length ? { recreated: stale } : {}) };
    return last;
  };

  const notBuilt = (err: UsageError | CouldNotRunError, stage: FailureClass, runId: string, emit: (b: EventBody) => void): DevRound => {
    const namespace = held?.namespace ?? suite.namespace;
    const usage = err instanceof UsageError;
    const problems = usage ? err.problems : [];
    const message = [err.message, ...problems].join("; ");
    emit({ type: "run.started", namespace, context: port.context().context, suites: [suiteName] });
    const doc = notRunResult({
      runId, context: port.context().context, namespace, suites: [{ name: suiteName, image: suite.image }],
      class: stage, reason: usage ? "ConfigInvalid" : err.code, message, ...(!usage && err.hint ? { hint: err.hint } : {}), at: new Date(now()),
    });
    // An edited config that no longer validates is a usage error (2), as `validate` would say.
    const invalid = (x: SuiteResult) => ({ ...x, exitCode: err.exitCode, notes: ["the edited config is not valid"] });
    const result: RunResult = usage ? { ...doc, exitCode: err.exitCode, suites: doc.suites.map(invalid) } : doc;
    for (const x of result.suites) emit({ type: "suite.verdict", suite: x.suite, result: x });
    emit({ type: "run.finished", result });
    return { result, sent: [], deleted: [] };
  };

  return { top, namespace: suite.namespace, pod: () => held?.name ?? "", round, close };
}


function sentText(paths: readonly string[]): string {
  const unique = [...new Set(paths)];
  return unique.length <= 3 ? unique.join(", ") : `${unique.slice(0, 3).join(", ")} and ${unique.length - 3} more`;
}
