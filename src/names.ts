// Object names and labels: every name, label and path incluster puts into the cluster, once, and
// the names of what a run leaves on the machine (its report directory). The Job carries the run
// id; the ServiceAccount, Role and RoleBinding do not, because they are shared by every run of a
// suite and server-side-applied. A leaf (it imports nothing): config/ checks a suite's fields
// against these names, render/ writes them, run/, diagnose/, report/ and the CLI read them.

/** A suite's Job is test-<suite>-e2e (the guide's name), plus the run id. */
export const JOB_PREFIX = "test-";
export const JOB_SUFFIX = "-e2e";

export const MANAGED_BY = "app.kubernetes.io/managed-by";
export const SUITE_LABEL = "incluster.dev/suite";
export const RUN_ID_LABEL = "incluster.dev/run-id";
/** Set by the Job controller on each pod of an Indexed Job (a shard). */
export const COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
/** Set by the Job controller on every pod of a Job (Kubernetes ≥ 1.27). */
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
/** Set by the Job controller on every pod of a Job: the Job's uid (a re-created Job has a new one). */
export const CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
/** The Job controller's unprefixed labels of the same, still set beside the prefixed ones. */
export const LEGACY_JOB_NAME_LABEL = "job-name";
export const LEGACY_JOB_LABELS: readonly string[] = [LEGACY_JOB_NAME_LABEL, "controller-uid"];
/** On `incluster debug`'s held-open pod: the Job it copies, and the run that Job belonged to. */
export const DEBUG_LABEL = "incluster.dev/debug-of";
export const DEBUGGED_RUN_LABEL = `${RUN_ID_LABEL}-debugged`;
/** On `incluster dev`'s held pod: the suite it runs (its run-id label is the dev session's id). */
export const DEV_LABEL = "incluster.dev/dev-of";
/** Appended to the dev session's Job name to name its held pod. */
export const DEV_SUFFIX = "-dev";
/** How long a dev pod lives without a round (`incluster dev --idle`). Here, not in dev/, so the CLI's flag default does not load the renderer at start-up. */
export const DEFAULT_DEV_IDLE = "30m";
/**
 * Keys a suite's pod.labels and pod.annotations may not set: incluster's own labels (its
 * selectors find pods by them) and the Job controller's (legacy unprefixed ones included).
 */
export const RESERVED_LABEL_KEYS: readonly string[] = ["app", "component", MANAGED_BY, SUITE_LABEL, RUN_ID_LABEL, JOB_NAME_LABEL, ...LEGACY_JOB_LABELS];
export const RESERVED_PREFIXES: readonly string[] = ["incluster.dev/", "batch.kubernetes.io/"];

/**
 * The containers of every suite's pod: the clone and the tests. They start together (an init
 * container would cost one more kubelet sync, about 1 s); the runner waits for CLONE_MARKERS.
 */
export const CLONE_CONTAINER = "clone-repo";
export const TEST_CONTAINER = "test-runner";
/**
 * The collector: a native sidecar (a restartable init container) that shares the output volume
 * with the test container and stays up after the tests end, so incluster can copy the artifacts
 * and the complete log out of the pod (pods/exec) before it goes away.
 */
export const COLLECTOR_CONTAINER = "incluster-collector";
/** The volume both containers mount at OUT_DIR: artifacts/, the log copy, the stage file. */
export const OUT_VOLUME = "incluster-out";
export const OUT_DIR = "/incluster";
export const ARTIFACTS_SUBDIR = "artifacts";
export const ARTIFACTS_DIR = `${OUT_DIR}/${ARTIFACTS_SUBDIR}`;
/** A sharded suite's test container: its shard's index (0-based, the Job's completion index) and the shard count. */
export const SHARD_INDEX_ENV = "INCLUSTER_SHARD_INDEX";
export const SHARD_COUNT_ENV = "INCLUSTER_SHARD_COUNT";
/** A sharded pytest suite with a run history: {"d": {id: median ms}, "m": ms for an id not in d}, the split's weights (history/shards.ts). */
export const SHARD_WEIGHTS_ENV = "INCLUSTER_SHARD_WEIGHTS";
/** The in-pod copy of everything the test container printed, beside the artifacts. */
export const LOG_COPY = "test-runner.log";
/**
 * Without pods/exec the collector sends small artifacts through its own log when it stops: a
 * gzipped tar in base64 between these lines of every file up to fileLimitKiB, then one too-big
 * line per larger file (left in the pod).
 */
export const LOG_FALLBACK = {
  begin: "incluster-artifacts-begin",
  end: "incluster-artifacts-end",
  tooBig: "incluster-artifacts-too-big",
  fileLimitKiB: 256,
  env: "INCLUSTER_COLLECT",
} as const;
/** Written by the clone container when it ends (in OUT_DIR): the checkout is ready, or failed with this exit code. */
export const CLONE_MARKERS = { ok: ".clone-ok", failed: ".clone-failed" } as const;
/** Written by the collect command; the collector exits once it exists (or its grace runs out). */
export const COLLECTED_MARKER = ".collected";
/** Written by the test runner (in OUT_DIR) once the tests have ended: their exit code. The collector waits for a copy only then. */
export const TESTS_ENDED_MARKER = "exit";
/** Present while a collect command's tar runs: the collector's idle grace does not count then. */
export const COPYING_MARKER = ".copying";
/**
 * After the tests end (the kubelet's SIGTERM), the collector keeps the output for a copy until
 * the marker is there, or no copy has run for idleS seconds, or maxS seconds have passed. A copy
 * that breaks (the API server restarting) is taken again within idleS (run/artifacts.ts); the
 * pod's terminationGracePeriodSeconds is podGraceS, beyond maxS, so the kubelet never kills the
 * collector mid-copy.
 */
export const COLLECTOR_GRACE = { idleS: 45, maxS: 110, podGraceS: 120 } as const;

/** incluster's folder in the user's project: `init` keeps it out of git, `watch` never watches it. */
export const INCLUSTER_DIR = ".incluster";
/** Where a run's report directory is unless --report-dir says: <cwd>/.incluster/runs/<run-id>. */
export const RUNS_DIR = `${INCLUSTER_DIR}/runs`;
/** The run's result in its report directory, written at its end: `report` and `logs` read it. */
export const RESULT_FILE = "result.json";

/** source: local: the per-run overlay ConfigMap is named after its Job plus this suffix. */
export const OVERLAY_SUFFIX = "-src";

/**
 * A suite's run history (src/history/) is one ConfigMap per suite, labelled managed-by=incluster
 * and HISTORY_LABEL=<suite>. Not SUITE_LABEL, nor a run id: what selects a suite's or a run's
 * objects (`clean`, `status`, a leftovers check) never finds it, so it outlives every run.
 */
export const HISTORY_LABEL = "incluster.dev/history-of";
export const HISTORY_PREFIX = "incluster-history-";

export function historyName(suite: string): string {
  return `${HISTORY_PREFIX}${suite}`;
}

/** test-<suite>-e2e: the guide's name, used for the shared objects and run-less Jobs. */
export function baseName(suite: string): string {
  return `${JOB_PREFIX}${suite}${JOB_SUFFIX}`;
}

export function jobName(suite: string, runId?: string, attempt = 1): string {
  const base = runId ? `${baseName(suite)}-${runId}` : baseName(suite);
  return attempt > 1 ? `${base}-${attempt}` : base;
}

/** The ConfigMap holding a local run's overlay: one per Job, named after it. */
export function overlayName(suite: string, runId?: string): string {
  return `${jobName(suite, runId)}${OVERLAY_SUFFIX}`;
}

/** The Job an overlay ConfigMap belongs to, or undefined if the name is not an overlay's. */
export function overlayJob(configMap: string): string | undefined {
  return configMap.endsWith(OVERLAY_SUFFIX) ? configMap.slice(0, -OVERLAY_SUFFIX.length) : undefined;
}

/** Labels of the shared objects; the Job and its pods add the run id. */
export function suiteLabels(suite: string, runId?: string): Record<string, string> {
  return {
    // The guide's labels, so its kubectl commands (-l app=test-<suite>-e2e) keep working.
    app: baseName(suite),
    component: "e2e-test",
    [MANAGED_BY]: "incluster",
    [SUITE_LABEL]: suite,
    ...(runId ? { [RUN_ID_LABEL]: runId } : {}),
  };
}

/**
 * The oldest Kubernetes the Job runs on: its collector is a native sidecar (an init container
 * with restartPolicy: Always, job.ts), and a sharded suite's Indexed Job uses backoffLimitPerIndex:
 * both on by default from 1.29. `run` and `doctor` check the server's version.
 */
export const MIN_KUBERNETES = { major: 1, minor: 29 } as const;
export const MIN_KUBERNETES_TEXT = `${MIN_KUBERNETES.major}.${MIN_KUBERNETES.minor}`;
/**
 * The oldest Kubernetes `incluster dev` works with: each round sends its files as a tar on the
 * exec's stdin and the pod's tar must see the end of it, which only the exec protocol
 * v5.channel.k8s.io can say (stdin closed). The API server speaks it by default from 1.30; an
 * older one would leave the round waiting on stdin for ever.
 */
export const MIN_KUBERNETES_DEV = { major: 1, minor: 30 } as const;
