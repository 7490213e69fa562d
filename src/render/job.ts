// ResolvedSuite -> the Job: the guide's manifest, restricted by default (docs/render-differences.md).
import type { ResolvedSuite } from "../config/resolve.js";
import { CLONE_SCRIPT, OVERLAY_DIR, cloneScript } from "./clone-script.js";
import {
  ARTIFACTS_DIR, ARTIFACTS_SUBDIR, CLONE_CONTAINER, COMPLETION_INDEX_ANNOTATION, LOG_FALLBACK, COLLECTED_MARKER, COLLECTOR_CONTAINER, COLLECTOR_GRACE,
  COPYING_MARKER, OUT_DIR, SHARD_WEIGHTS_ENV, TESTS_ENDED_MARKER, OUT_VOLUME, TEST_CONTAINER, baseName, jobName, overlayName, suiteLabels,
} from "../names.js";
import type { Container, EnvVar, JobObject, PodSpec, SecurityContext, Volume } from "./objects.js";
import { userVolumeName, type EnvFromEntry } from "../config/pod-fields.js";
import { RUNNER_ARG0, SHARD_COUNT_ENV, SHARD_INDEX_ENV, runnerScript } from "./runner-script.js";
import { applyPodTemplate } from "./pod-patch.js";

export { CLONE_CONTAINER, TEST_CONTAINER, overlayName } from "../names.js";
export const WORKSPACE_VOLUME = "source-code";
export const OVERLAY_VOLUME = "local-overlay";
export const WORKSPACE = "/workspace";
export const RUN_AS = 1000;
/** The test's artifacts directory, announced to it in this variable. */
export const ARTIFACTS_ENV = "INCLUSTER_ARTIFACTS";
/** On a retry: which attempt this is (2, 3, …); absent on the first. */
export const ATTEMPT_ENV = "INCLUSTER_ATTEMPT";
export { SHARD_COUNT_ENV, SHARD_INDEX_ENV } from "./runner-script.js";

/** The uid (and gid and fsGroup) a suite's pod names; undefined with runAsUser: auto (the platform assigns them). */
export function runAsOf(suite: Pick<ResolvedSuite, "runAsUser">): number | undefined {
  return suite.runAsUser === "auto" ? undefined : (suite.runAsUser ?? RUN_AS);
}

/** Every container: what Pod Security "restricted" requires, and nothing it forbids. */
export function containerSecurity(runAs: number | undefined): SecurityContext {
  return { allowPrivilegeEscalation: false, runAsNonRoot: true, ...(runAs !== undefined ? { runAsUser: runAs } : {}), capabilities: { drop: ["ALL"] } };
}

export interface AttemptOptions {
  attempt?: number;
  rerunIds?: readonly string[];
  /**
   * exec: incluster copies the output out (run's default); log: pods/exec is denied, the
   * collector prints small artifacts in its log; none: nobody collects (the Job applied by hand
   * from `render` or `scaffold`), so the collector does not wait for anyone.
   */
  collectVia?: "exec" | "log" | "none";
}

export function renderJob(suite: ResolvedSuite, runId?: string, a: AttemptOptions = {}): JobObject {
  const labels = suiteLabels(suite.name, runId);
  const shards = suite.shards ?? 1;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: jobName(suite.name, runId, a.attempt), namespace: suite.namespace, labels },
    spec: {
      ttlSecondsAfterFinished: suite.ttlSecondsAfterFinished,
      activeDeadlineSeconds: suite.timeoutSeconds,
      // A failing test is never retried; a pod lost to eviction or preemption is (the Ignore
      // rule does not count it against backoffLimit). Shards: one Indexed Job, each index on its
      // own, a failed index not retried and not stopping the others.
      ...(shards > 1 ? { completionMode: "Indexed" as const, completions: shards, parallelism: shards, backoffLimitPerIndex: 0 } : { backoffLimit: 0 }),
      podFailurePolicy: { rules: [{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] }] },
      // The user's pod labels first: incluster's own win (validation already refuses a clash).
      // podTemplate, the user's strategic-merge patch, goes over the whole template last.
      template: applyPodTemplate(
        {
          metadata: { labels: { ...suite.pod?.labels, ...labels }, ...(suite.pod?.annotations ? { annotations: { ...suite.pod.annotations } } : {}) },
          spec: podSpec(suite, overlayName(suite.name, runId), { ...a, collectVia: a.collectVia ?? (runId ? "exec" : "none") }),
        },
        suite.podTemplate,
      ),
    },
  };
}


function podSpec(suite: ResolvedSuite, overlay: string, a: AttemptOptions): PodSpec {
  const runAs = runAsOf(suite);
  const cloned = suite.source.kind !== "image";
  const local = suite.source.kind === "local";
  return {
    serviceAccountName: suite.serviceAccount ?? baseName(suite.name),
    ...(suite.kubernetesAccess ? {} : { automountServiceAccountToken: false }),
    ...(suite.imagePullSecrets ? { imagePullSecrets: suite.imagePullSecrets.map((name) => ({ name })) } : {}),
    ...(suite.pod?.priorityClassName ? { priorityClassName: suite.pod.priorityClassName } : {}),
    ...(suite.pod?.runtimeClassName ? { runtimeClassName: suite.pod.runtimeClassName } : {}),
    ...(suite.pod?.hostAliases
      ? {
          hostAliases: suite.pod.hostAliases.map((h) => ({ ip: h.ip, ...(h.hostnames ? { hostnames: [...h.hostnames] } : {}) })),
        }
      : {}),
    ...(suite.pod?.dnsConfig ? { dnsConfig: dnsConfig(suite.pod.dnsConfig) } : {}),
    restartPolicy: "Never",
    // The collector may keep the output this long for a copy taken again (COLLECTOR_GRACE).
    ...(a.collectVia === "exec" ? { terminationGracePeriodSeconds: COLLECTOR_GRACE.podGraceS } : {}),
    securityContext: {
      runAsNonRoot: true,
      // Makes the emptyDir group-writable for the pod's uid: the guide's root chown is not needed.
      // runAsUser: auto names none of the three: the platform assigns them (OpenShift's
      // restricted-v2), and the scripts' umask 0002 keeps what they write writable to the group.
      ...(runAs !== undefined ? { runAsUser: runAs, runAsGroup: runAs, fsGroup: runAs } : {}),
      seccompProfile: { type: "RuntimeDefault" },
    },
    // The collector starts first and outlives the tests (a native sidecar: MIN_KUBERNETES in
    // src/names.ts, checked by the preflight). The clone runs beside
    // the tests, which wait for its marker: as an init container it would cost a kubelet sync.
    initContainers: [collectorContainer(suite, a)],
    containers: [...(cloned ? [cloneContainer(suite)] : []), testContainer(suite, a)],
    volumes: [
      { name: OUT_VOLUME, emptyDir: {} },
      ...(cloned ? [{ name: WORKSPACE_VOLUME, emptyDir: {} }, ...(local ? [{ name: OVERLAY_VOLUME, configMap: { name: overlay } }] : [])] : []),
      ...userVolumes(suite),
    ],
    // Passed through as configured (config/scheduling.ts): nodeSelector, tolerations, affinity.
    ...suite.scheduling,
  };
}

function cloneContainer(suite: ResolvedSuite): Container {
  const src = suite.source;
  if (src.kind === "image") throw new Error("cloneContainer needs a git or local source");
  const local = src.kind === "local";
  const creds = src.credentialsSecret;
  const { commit, cloneImage } = src;
  // A local source always names its base commit (the CLI finds it before render); "HEAD" is
  // only what `incluster render` shows without a repository at hand.
  const ref = local ? "HEAD" : src.ref;
  const overlayEnv: EnvVar[] = local
    ? [
        { name: "OVERLAY_FILES", value: String(src.overlay?.files ?? 0) },
        { name: "OVERLAY_DELETED", value: String(src.overlay?.deleted.length ?? 0) },
      ]
    : [];
  const credEnv: EnvVar[] = creds
    ? [
        { name: "GIT_USERNAME", valueFrom: { secretKeyRef: { name: creds, key: "username", optional: true } } },
        { name: "GIT_PASSWORD", valueFrom: { secretKeyRef: { name: creds, key: "password" } } },
      ]
    : [];
  return {
    name: CLONE_CONTAINER,
    image: cloneImage,
    imagePullPolicy: "IfNotPresent",
    command: ["/bin/sh", "-c", local || creds ? cloneScript({ credentials: Boolean(creds), overlay: local }) : CLONE_SCRIPT],
    env: [
      { name: "GIT_URL", value: src.url ?? "" },
      { name: "GIT_REF", value: ref },
      ...(commit ? [{ name: "GIT_COMMIT", value: commit }] : []),
      ...overlayEnv,
      ...credEnv,
      // The pod's uid has no home in alpine/git; git writes its config there.
      { name: "HOME", value: "/tmp" },
      // A private repository without credentials fails at once instead of waiting for a password.
      { name: "GIT_TERMINAL_PROMPT", value: "0" },
    ],
    volumeMounts: [
      { name: WORKSPACE_VOLUME, mountPath: WORKSPACE },
      { name: OUT_VOLUME, mountPath: OUT_DIR },
      ...(local ? [{ name: OVERLAY_VOLUME, mountPath: OVERLAY_DIR, readOnly: true }] : []),
    ],
    securityContext: containerSecurity(runAsOf(suite)),
  };
}

/**
 * Waits, doing nothing, until the tests have ended; then, on the kubelet's SIGTERM (when the
 * tests did end: not for a pod deleted under them, as on Ctrl-C, where no copy will come), until
 * incluster has copied the output (it writes the marker), or no copy has run for
 * COLLECTOR_GRACE.idleS (a copy under way, COPYING_MARKER, restarts the count), or maxS have
 * passed (the pod's grace, podGraceS, is longer). It runs the test image, already on the node,
 * so it costs no pull.
 */
export const COLLECTOR_SCRIPT = [
  "umask 0002",
  `dump() { cd ${OUT_DIR} || return; ` +
    `find ${ARTIFACTS_SUBDIR} -type f -size -${LOG_FALLBACK.fileLimitKiB + 1}k > .small; ` +
    `find ${ARTIFACTS_SUBDIR} -type f ! -size -${LOG_FALLBACK.fileLimitKiB + 1}k > .big; ` +
    `echo ${LOG_FALLBACK.begin}; tar -czf - -T .small | base64; echo ${LOG_FALLBACK.end}; ` +
    `while read -r f; do echo "${LOG_FALLBACK.tooBig} $f"; done < .big; }`,
  `on_term() { mode="\${${LOG_FALLBACK.env}:-exec}"; if [ "$mode" = log ]; then dump; exit 0; fi; ` +
    `if [ "$mode" = none ] || [ ! -e ${OUT_DIR}/${TESTS_ENDED_MARKER} ]; then exit 0; fi; ` +
    `i=0; n=0; while [ ! -e ${OUT_DIR}/${COLLECTED_MARKER} ] && [ $i -lt ${COLLECTOR_GRACE.idleS * 10} ] && [ $n -lt ${COLLECTOR_GRACE.maxS * 10} ]; ` +
    `do [ -e ${OUT_DIR}/${COPYING_MARKER} ] && i=0; sleep 0.1; i=$((i+1)); n=$((n+1)); done; exit 0; }`,
  "trap on_term TERM",
  "while :; do sleep 3600 & wait $!; done",
].join("\n");

function collectorContainer(suite: ResolvedSuite, a: AttemptOptions): Container {
  return {
    name: COLLECTOR_CONTAINER,
    image: suite.image,
    imagePullPolicy: suite.imagePullPolicy,
    restartPolicy: "Always",
    command: ["/bin/sh", "-c", COLLECTOR_SCRIPT],
    ...(a.collectVia && a.collectVia !== "exec" ? { env: [{ name: LOG_FALLBACK.env, value: a.collectVia }] } : {}),
    volumeMounts: [{ name: OUT_VOLUME, mountPath: OUT_DIR }],
    resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "200m", memory: "64Mi" } },
    securityContext: containerSecurity(runAsOf(suite)),
  };
}

function testContainer(suite: ResolvedSuite, a: AttemptOptions = {}): Container {
  const hasResources = suite.resources.requests || suite.resources.limits;
  return {
    name: TEST_CONTAINER,
    image: suite.image,
    imagePullPolicy: suite.imagePullPolicy,
    command: ["/bin/sh", "-c", runnerScript(suite, a.rerunIds), RUNNER_ARG0],
    ...(suite.runner.kind === "command" ? { args: suite.runner.argv } : {}),
    workingDir: WORKSPACE,
    env: [
      ...testEnv(suite.env, suite.envRefs),
      { name: ARTIFACTS_ENV, value: ARTIFACTS_DIR },
      ...(a.attempt && a.attempt > 1 ? [{ name: ATTEMPT_ENV, value: String(a.attempt) }] : []),
      ...shardEnv(suite),
    ],
    ...(suite.envFrom ? { envFrom: suite.envFrom.map(envFromSource) } : {}),
    ...(hasResources ? { resources: suite.resources } : {}),
    volumeMounts: [
      { name: OUT_VOLUME, mountPath: OUT_DIR },
      ...(suite.source.kind !== "image" ? [{ name: WORKSPACE_VOLUME, mountPath: WORKSPACE }] : []),
      ...(suite.volumes ?? []).map((v, i) => ({ name: userVolumeName(v, i), mountPath: v.mountPath, readOnly: true })),
    ],
    securityContext: { ...containerSecurity(runAsOf(suite)), readOnlyRootFilesystem: false },
  };
}

/** volumes: each Secret or ConfigMap as a volume named after its position (userVolumeName). */
function userVolumes(suite: ResolvedSuite): Volume[] {
  return (suite.volumes ?? []).map((v, i) => {
    const items = v.items ? { items: v.items.map((it) => ({ key: it.key, path: it.path })) } : {};
    return v.secret !== undefined
      ? { name: userVolumeName(v, i), secret: { secretName: v.secret, ...items } }
      : { name: userVolumeName(v, i), configMap: { name: v.configMap, ...items } };
  });
}

/** dnsConfig as the pod spec takes it: only the parts that are set. */
function dnsConfig(d: NonNullable<NonNullable<ResolvedSuite["pod"]>["dnsConfig"]>): NonNullable<PodSpec["dnsConfig"]> {
  return {
    ...(d.nameservers ? { nameservers: [...d.nameservers] } : {}),
    ...(d.searches ? { searches: [...d.searches] } : {}),
    ...(d.options ? { options: d.options.map((o) => ({ name: o.name, ...(o.value !== undefined ? { value: o.value } : {}) })) } : {}),
  };
}

function envFromSource(e: EnvFromEntry): NonNullable<Container["envFrom"]>[number] {
  const prefix = e.prefix ? { prefix: e.prefix } : {};
  return e.secretRef ? { secretRef: { name: e.secretRef.name }, ...prefix } : { configMapRef: { name: e.configMapRef?.name ?? "" }, ...prefix };
}

/** Sharded suites: the index (the Job controller's annotation) and the count. */
function shardEnv(suite: ResolvedSuite): EnvVar[] {
  if ((suite.shards ?? 1) <= 1) return [];
  return [
    { name: SHARD_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${COMPLETION_INDEX_ANNOTATION}']` } } },
    { name: SHARD_COUNT_ENV, value: String(suite.shards) },
    // The split's weights from the run history: every shard computes the same split (pytest.ts SHARD_PY, file-shards.ts SHARD_JS, go.ts).
    ...(suite.shardWeights ? [{ name: SHARD_WEIGHTS_ENV, value: JSON.stringify({ d: suite.shardWeights.durations, m: suite.shardWeights.defaultMs }) }] : []),
  ];
}

/** PYTHONUNBUFFERED=1 first (logs stream line by line), then the suite's env in file order, then references. */
export function testEnv(env: Record<string, string>, refs: ResolvedSuite["envRefs"] = {}): EnvVar[] {
  const fixed: EnvVar[] = Object.hasOwn(env, "PYTHONUNBUFFERED") ? [] : [{ name: "PYTHONUNBUFFERED", value: "1" }];
  return [
    ...fixed,
    ...Object.entries(env).map(([name, value]) => ({ name, value })),
    ...Object.entries(refs).map(([name, valueFrom]) => ({ name, valueFrom })),
  ];
}
