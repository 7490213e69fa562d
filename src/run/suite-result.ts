// Pure assembly of a suite's result from what the run observed: the verdict, our hint, the last
// lines of the container that decided it, and the pod's recent events on every non-pass.
import type { ResolvedSuite } from "../config/resolve.js";
import { decidingPod, finalDiagnosis, recentEvents } from "../diagnose/outcome.js";
import type { Phase } from "../diagnose/outcome.js";
import { hintFor } from "../diagnose/hints.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../diagnose/types.js";
import type { Diagnosis } from "../diagnose/types.js";
import { ExitCode } from "../exit-codes.js";
import type { KubeEvent, Pod } from "../k8s-types.js";
import type { ArtifactsSummary, EventSummary, SuiteResult } from "../results/run-result.js";

const EXIT: Record<Diagnosis["verdict"], number> = {
  passed: ExitCode.ok,
  failed: ExitCode.testsFailed,
  couldNotRun: ExitCode.couldNotRun,
  timedOut: ExitCode.timedOut,
  interrupted: ExitCode.interrupted,
};

export interface Observed {
  suite: ResolvedSuite;
  jobName: string;
  diagnosis: Omit<Diagnosis, "hint">;
  pods: readonly Pod[];
  events: readonly KubeEvent[];
  /** The last lines of each container's log. */
  tails: ReadonlyMap<string, readonly string[]>;
  phases: Partial<Record<Phase, string>>;
  notes: readonly string[];
  /** The commit the clone printed (short), if it did. */
  clonedCommit?: string;
  startedAt: number;
  finishedAt: number;
  logPath(container: string): string;
  artifacts?: ArtifactsSummary;
}

/** Our message plus the last lines of the container that decided it (git's error, pytest's summary). */
export function messageWithTail(d: Omit<Diagnosis, "hint">, tails: ReadonlyMap<string, readonly string[]>): string {
  const message = d.message ?? "";
  const inTests = d.verdict === "failed" || d.verdict === "timedOut";
  const testsTail = inTests || d.class === "oomKilled" || d.class === "installFailed" || d.class === "workspaceEmpty";
  const tailOf = d.class === "cloneFailed" ? CLONE_CONTAINER : testsTail ? (d.container ?? TEST_CONTAINER) : undefined;
  if (!tailOf) return message;
  const tail = (tails.get(tailOf) ?? []).filter((l) => l.trim() !== "");
  if (!tail.length) return message;
  return [message, `last lines of ${tailOf}:`, ...tail.slice(-8).map((l) => `  ${l}`)].filter(Boolean).join("\n");
}

export function summarizeEvent(e: KubeEvent): EventSummary {
  const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const first = e.firstTimestamp ?? e.eventTime ?? at;
  return {
    type: e.type ?? "",
    reason: e.reason ?? "",
    message: e.message ?? "",
    object: `${(e.involvedObject?.kind ?? "").toLowerCase()}/${e.involvedObject?.name ?? ""}`,
    count: e.count ?? 1,
    firstTimestamp: first ? new Date(first).toISOString() : "",
    lastTimestamp: at ? new Date(at).toISOString() : "",
  };
}

export function suiteResult(o: Observed): SuiteResult {
  const d = finalDiagnosis(o.diagnosis, o.pods);
  const passed = d.verdict === "passed";
  const pod = decidingPod(o.pods);
  const podNames = o.pods.map((p) => p.metadata?.name ?? "").filter(Boolean);
  const names = new Set([o.jobName, ...podNames]);
  const s = o.suite;
  const memory = s.resources.limits?.memory;
  const hint =
    passed || !d.class
      ? undefined
      : hintFor(d.class, {
          namespace: s.namespace,
          job: o.jobName,
          ...(pod?.metadata?.name ? { pod: pod.metadata.name } : {}),
          image: d.container === CLONE_CONTAINER && s.source.kind !== "image" ? s.source.cloneImage : s.image,
          ...(d.container ? { container: d.container } : {}),
          ...(memory ? { memoryLimit: memory } : {}),
          timeout: `${s.timeoutSeconds}s`,
          ...(d.testExitCode !== undefined ? { exitCode: d.testExitCode } : {}),
          logPath: o.logPath(TEST_CONTAINER),
          ...(s.imagePullSecrets ? { pullSecrets: s.imagePullSecrets } : {}),
        });
  const message = messageWithTail(d, o.tails);
  const logs: Record<string, string> = {};
  for (const c of [CLONE_CONTAINER, TEST_CONTAINER]) if (o.tails.has(c)) logs[c] = o.logPath(c);
  // The full commit the CLI resolved before the Job, else the short one the clone printed.
  const commit = s.source.kind !== "image" && s.source.commit ? s.source.commit : o.clonedCommit;
  return {
    suite: s.name,
    verdict: d.verdict,
    ...(d.class && !passed ? { class: d.class } : {}),
    exitCode: EXIT[d.verdict],
    ...(d.testExitCode !== undefined ? { testExitCode: d.testExitCode } : {}),
    ...(d.reason && !passed ? { reason: d.reason } : {}),
    ...(message && !passed ? { message } : {}),
    ...(hint ? { hint } : {}),
    namespace: s.namespace,
    job: o.jobName,
    pods: podNames,
    image: s.image,
    ...(commit ? { commit } : {}),
    startedAt: new Date(o.startedAt).toISOString(),
    finishedAt: new Date(o.finishedAt).toISOString(),
    durationSeconds: Math.round(o.finishedAt - o.startedAt) / 1000,
    phases: { ...o.phases, ...(o.phases.finished ? {} : { finished: new Date(o.finishedAt).toISOString() }) },
    logs,
    ...(o.artifacts ? { artifacts: o.artifacts } : {}),
    events: passed ? [] : recentEvents(o.events, names).map(summarizeEvent),
    notes: [...o.notes],
  };
}


