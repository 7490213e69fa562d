// Config + suite name -> everything render and run need, with every default filled in. Pure.
import { UsageError } from "../errors.js";
import { parseDuration } from "./duration.js";
import { clip } from "../echo.js";
import { nearest } from "./suggest.js";
import { JOB_PREFIX, JOB_SUFFIX } from "../names.js";
import { mergeScheduling, type Scheduling } from "./scheduling.js";
import { mergePod, type EnvFromEntry, type PodSettings, type PodTemplatePatch, type UserVolume } from "./pod-fields.js";
import { DEFAULT_BASE_IMAGE, DEFAULT_CLONE_IMAGE, type Config } from "./schema.js";
import { PYTEST_JUNIT } from "../runners/pytest.js";
import type { RunnerName } from "../runners/index.js";
import { DEFAULT_FLAKY, DEFAULT_MAX_AUTO_SHARDS, DEFAULT_TARGET_DURATION } from "./flaky.js";

export const DEFAULT_TIMEOUT_SECONDS = 30 * 60;
export const DEFAULT_TTL_SECONDS = 3600;
export const DEFAULT_NAMESPACE = "default";
export { PYTEST_JUNIT } from "../runners/pytest.js";

/** The per-run overlay of a local source: the files that differ from the base commit. */
export interface LocalOverlay {
  /** gzipped tar of changed, added and untracked files, base64. */
  archiveBase64: string;
  /** Paths deleted relative to the base commit. */
  deleted: string[];
  files: number;
  bytes: number;
}

export type ResolvedSource =
  | { kind: "git"; url: string; ref: string; commit?: string; cloneImage: string; credentialsSecret?: string }
  | {
      kind: "local";
      /** Folder in the working tree, relative to the config file's folder ("." by default). */
      path: string;
      remote: string;
      /** URL the pod fetches the base commit from; filled from the remote when not configured. */
      url?: string;
      /** The base commit (newest commit of HEAD the remote has); set by the CLI before render. */
      commit?: string;
      cloneImage: string;
      credentialsSecret?: string;
      /** source.local.include: credential-like files the overlay may carry all the same. */
      include?: string[];
      overlay?: LocalOverlay;
    }
  | { kind: "image" };

/** How incluster build makes the suite's image; absent when the suite runs an explicit image. */
export interface BuildSpec {
  /** <registry>/test-<suite>-e2e: the tag is the content hash. */
  repository: string;
  /** Relative to the config file's folder; absent: a generated Dockerfile. */
  dockerfile?: string;
  context?: string;
  baseImage: string;
}

export type EnvRef = { secretKeyRef: { name: string; key: string } } | { configMapKeyRef: { name: string; key: string } };

/** A runner's target (`test:`), or a command (`command:`) whose report is read as `reads`'s when set (`runner:`). */
export type Runner = { kind: RunnerName; test: string } | { kind: "command"; argv: string[]; reads?: RunnerName };

export interface ResolvedSuite {
  name: string;
  namespace: string;
  /** Exact reference the Job runs: suite.image ?? defaults.image ?? `${image.registry}/test-${name}-e2e:latest`. */
  image: string;
  /** No image named anywhere and no registry to build into: preflight and doctor say so. */
  imageUnset?: true;
  /** Set when incluster builds the image; the build step replaces `image` with the content-hash tag. */
  build?: BuildSpec;
  /** IfNotPresent for a pinned tag or digest, Always for :latest or no tag (it moves). */
  imagePullPolicy: "Always" | "IfNotPresent";
  source: ResolvedSource;
  runner: Runner;
  install?: string;
  /** defaults.env merged with suite.env, the suite wins: the literal values. */
  env: Record<string, string>;
  /** Values taken from Secrets or ConfigMaps (same merge): never printed, never in the spec. */
  envRefs: Record<string, EnvRef>;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  timeoutSeconds: number;
  ttlSecondsAfterFinished: number;
  kubernetesAccess: boolean;
  /** Where the runner's JUnit is, relative to the artifacts directory (pytest: junit.xml; node and go: none, config/report.ts). */
  junit?: string;
  /** Fresh attempts after a failed one (only the failed tests); absent: none. */
  retries?: number;
  /** Pods of one Indexed Job; absent: a plain Job. */
  shards?: number;
  /** shards: auto: the engine picks the count from the run history (history/shards.ts autoShardCount). */
  autoShards?: { targetMs: number; max: number };
  /** The split's weights from the run history (set by the engine, not the config): test ids (pytest, go) or files (node, Jest, Vitest), longest first. */
  shardWeights?: { durations: Record<string, number>; defaultMs: number };
  /** quarantine: entries of defaults, then of the suite (history/quarantine.ts decides with them). */
  quarantine?: { test: string; reason: string; until?: string }[];
  /** flaky: the automatic quarantine's numbers, every default filled in; absent when the config has no flaky:. */
  flaky?: { quarantine: "auto" | "off"; window: number; threshold: number; release: number; newTests: number };
  /** nodeSelector, tolerations, affinity for the pod: suite else defaults, each part as a whole. */
  scheduling?: Scheduling;
  /** Secrets the kubelet pulls the images with (suite else defaults). */
  imagePullSecrets?: string[];
  /** An existing ServiceAccount the pod runs as: no ServiceAccount, Role or RoleBinding is rendered. */
  serviceAccount?: string;
  /** labels, annotations, priorityClassName, runtimeClassName: suite else defaults, each part as a whole. */
  pod?: PodSettings;
  envFrom?: EnvFromEntry[];
  /** Secrets and ConfigMaps mounted read-only into the test container. */
  volumes?: UserVolume[];
  /** The uid the pod runs as: a number (uid, gid and fsGroup), or auto (none named: the platform assigns them); absent: 1000. */
  runAsUser?: "auto" | number;
  /** A strategic-merge patch over the rendered pod template (suite else defaults, as a whole). */
  podTemplate?: PodTemplatePatch;
  /** The podTemplate may break Pod Security restricted: validate passes, every run warns. */
  allowUnrestricted?: true;
}

/** Suite names in file order. */
export function listSuites(config: Config): string[] {
  return Object.keys(config.suites);
}

export function resolveSuite(config: Config, name: string): ResolvedSuite {
  const suite = Object.hasOwn(config.suites, name) ? config.suites[name] : undefined;
  if (!suite) {
    const known = listSuites(config);
    const guess = nearest(name, known);
    throw new UsageError(`unknown suite "${clip(name)}"${guess ? `; did you mean "${guess}"?` : ""}`, [
      known.length ? `known suites: ${known.join(", ")}` : "the config defines no suites; add one under suites:",
    ]);
  }
  const d = config.defaults ?? {};
  const explicitImage = suite.image ?? d.image;
  const repository = `${config.image?.registry ?? ""}/${JOB_PREFIX}${name}${JOB_SUFFIX}`;
  // A suite's own build wins over defaults.image; an explicit suite image is never built.
  const built = config.image?.registry !== undefined && !suite.image && (suite.build !== undefined || !d.image);
  const image = built ? `${repository}:latest` : (explicitImage ?? `${repository}:latest`);
  const install = suite.install ?? d.install;
  const timeout = suite.timeout ?? d.timeout;
  const scheduling = mergeScheduling(d.scheduling, suite.scheduling);
  const pod = mergePod(d.pod, suite.pod);
  const imagePullSecrets = suite.imagePullSecrets ?? d.imagePullSecrets;
  const serviceAccount = (suite.serviceAccount ?? d.serviceAccount)?.name;
  const envFrom = suite.envFrom ?? d.envFrom;
  const volumes = suite.volumes ?? d.volumes;
  const runAsUser = (suite.securityContext ?? d.securityContext)?.runAsUser;
  const podTemplate = suite.podTemplate ?? d.podTemplate;
  const allowUnrestricted = suite.allowUnrestricted ?? d.allowUnrestricted;
  const quarantine = [...(d.quarantine ?? []), ...(suite.quarantine ?? [])].map((q) => ({ ...q }));
  return {
    name,
    namespace: config.namespace ?? DEFAULT_NAMESPACE,
    image,
    ...(explicitImage === undefined && config.image?.registry === undefined ? { imageUnset: true as const } : {}),
    ...(built ? { build: buildSpec(repository, suite.build, config.image?.base ?? DEFAULT_BASE_IMAGE) } : {}),
    imagePullPolicy: pullPolicy(image),
    source: resolveSource(config),
    runner: suite.command
      ? { kind: "command", argv: [...suite.command], ...(suite.runner ? { reads: suite.runner } : {}) }
      : { kind: suite.runner ?? "pytest", test: suite.test ?? "" },
    ...(install ? { install } : {}),
    ...splitEnv({ ...d.env, ...suite.env }),
    resources: resolveResources(suite.resources ?? d.resources),
    timeoutSeconds: (timeout && parseDuration(timeout)) || DEFAULT_TIMEOUT_SECONDS,
    ttlSecondsAfterFinished: suite.ttlSecondsAfterFinished ?? d.ttlSecondsAfterFinished ?? DEFAULT_TTL_SECONDS,
    kubernetesAccess: suite.kubernetesAccess ?? d.kubernetesAccess ?? true,
    // pytest's JUnit (its target, or a command that names it); another runner's report is its own (config/report.ts).
    ...(suite.junit !== undefined || (suite.runner ?? (suite.command ? undefined : "pytest")) === "pytest" ? { junit: suite.junit ?? PYTEST_JUNIT } : {}),
    ...((suite.retries ?? d.retries) ? { retries: suite.retries ?? d.retries } : {}),
    ...(typeof suite.shards === "number" && suite.shards > 1 ? { shards: suite.shards } : {}),
    ...(suite.shards === "auto"
      ? {
          autoShards: {
            targetMs: (parseDuration(suite.targetDuration ?? DEFAULT_TARGET_DURATION) ?? 300) * 1000,
            max: suite.maxShards ?? DEFAULT_MAX_AUTO_SHARDS,
          },
        }
      : {}),
    ...(quarantine.length ? { quarantine } : {}),
    ...(config.flaky ? { flaky: { ...DEFAULT_FLAKY, ...definedOnly(config.flaky) } } : {}),
    ...(scheduling ? { scheduling } : {}),
    ...(imagePullSecrets?.length ? { imagePullSecrets: [...imagePullSecrets] } : {}),
    ...(serviceAccount ? { serviceAccount } : {}),
    ...(pod ? { pod } : {}),
    ...(envFrom?.length ? { envFrom: [...envFrom] } : {}),
    ...(volumes?.length ? { volumes: [...volumes] } : {}),
    ...(runAsUser !== undefined ? { runAsUser } : {}),
    ...(podTemplate && (podTemplate.metadata || podTemplate.spec) ? { podTemplate } : {}),
    ...(allowUnrestricted ? { allowUnrestricted: true as const } : {}),
  };
}

/** The API group whose presence says the cluster is OpenShift (its SCCs assign each pod a uid and fsGroup). */
export const PLATFORM_IDENTITY_GROUP = "security.openshift.io";

/**
 * The suite as it runs on a cluster that assigns uids (it serves PLATFORM_IDENTITY_GROUP):
 * runAsUser auto unless the config names one. For run's preflight, which can see the API groups.
 */
export function withAssignedIdentity(suite: ResolvedSuite): ResolvedSuite {
  return suite.runAsUser === undefined ? { ...suite, runAsUser: "auto" } : suite;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function splitEnv(merged: Record<string, string | EnvRef>): { env: Record<string, string>; envRefs: Record<string, EnvRef> } {
  const env: Record<string, string> = {};
  const envRefs: Record<string, EnvRef> = {};
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value === "string") env[name] = value;
    else envRefs[name] = value;
  }
  return { env, envRefs };
}

/** :latest and untagged references move, so they are pulled every time; pinned ones are cached. */
export function pullPolicy(image: string): "Always" | "IfNotPresent" {
  if (image.includes("@")) return "IfNotPresent";
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  const tag = colon === -1 ? undefined : lastSegment.slice(colon + 1);
  return tag === undefined || tag === "latest" ? "Always" : "IfNotPresent";
}

function buildSpec(repository: string, b: { dockerfile?: string | undefined; context?: string | undefined } | undefined, baseImage: string): BuildSpec {
  return { repository, ...(b?.dockerfile ? { dockerfile: b.dockerfile } : {}), ...(b?.context ? { context: b.context } : {}), baseImage };
}

function resolveSource(config: Config): ResolvedSource {
  const { git, local } = config.source;
  if (local) {
    return {
      kind: "local",
      path: local.path ?? ".",
      remote: local.remote ?? "origin",
      ...(local.url ? { url: local.url } : {}),
      cloneImage: local.image ?? DEFAULT_CLONE_IMAGE,
      ...(local.credentials ? { credentialsSecret: local.credentials.secretRef } : {}),
      ...(local.include ? { include: [...local.include] } : {}),
    };
  }
  if (!git) return { kind: "image" };
  // A full commit id cannot be cloned with --branch; fetch it exactly instead.
  const commit = /^[0-9a-f]{40}$/.test(git.ref) ? { commit: git.ref } : {};
  const creds = git.credentials ? { credentialsSecret: git.credentials.secretRef } : {};
  return { kind: "git", url: git.url, ref: git.ref, ...commit, cloneImage: git.image ?? DEFAULT_CLONE_IMAGE, ...creds };
}

function resolveResources(r: { requests?: Record<string, string | number>; limits?: Record<string, string | number> } | undefined): ResolvedSuite["resources"] {
  const strings = (m: Record<string, string | number>) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]));
  return {
    ...(r?.requests ? { requests: strings(r.requests) } : {}),
    ...(r?.limits ? { limits: strings(r.limits) } : {}),
  };
}
