// Named pod fields for real clusters (issue 24): pull Secrets, an existing ServiceAccount, pod
// labels and annotations, hostAliases and dnsConfig, envFrom, Secret and ConfigMap volumes, the
// pod's identity (runAsUser: auto) and the podTemplate patch. Each is checked as the API server
// checks it, so a bad value fails `validate` with its path instead of a rejected Job mid-run.
import * as z from "zod/mini";
import { OUT_DIR, RESERVED_LABEL_KEYS, RESERVED_PREFIXES } from "../names.js";
import { INT32_MAX, bool, describe, objectName, shown, strict, text, deferred } from "./fields.js";
import { CONFIG_KEY_PATTERN } from "./names.js";
import { dnsConfig, hostAliases } from "./pod-network.js";
import { isLabelValue, isQualifiedName } from "./scheduling.js";

/** Where the test container has its code: a volume there would hide it. */
const WORKSPACE_PATH = "/workspace";
const RESERVED_PATHS = [WORKSPACE_PATH, OUT_DIR];
/** The API server's limit on all of an object's annotations together (TotalAnnotationSizeLimitB). */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;
/** DNS-1123 subdomain names (PriorityClass, RuntimeClass, ServiceAccount, Secret, ConfigMap). */
const name = (what: string) => objectName(what);

/** Why a key is incluster's own, or undefined when a user may set it. */
export function reservedKeyProblem(key: string, what: "label" | "annotation"): string | undefined {
  const mine = RESERVED_LABEL_KEYS.includes(key) || RESERVED_PREFIXES.some((p) => key.startsWith(p));
  return mine ? `${what} ${JSON.stringify(key)} is set by incluster or the Job controller and cannot be overridden; use another key` : undefined;
}

const qualifiedKey = (what: string) =>
  text(`${what} key like team or example.com/team`).check(
    z.refine(isQualifiedName, {
      error: (iss) =>
        `expected ${what} key like team or example.com/team ` +
        `(letters, digits, '-', '_', '.', at most 63, with an optional DNS prefix and '/'), got ${shown(iss.input)}`,
    }),
  );

const labels = deferred(() =>
  describe(
    z.record(
      qualifiedKey("a label"),
      z.string({ error: (iss) => `expected a label value (a string; quote "true" and numbers), got ${shown(iss.input)}` }).check(
        z.refine(isLabelValue, {
          error: (iss) =>
            `expected a label value: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, got ${shown(iss.input)}`,
        }),
      ),
      { error: (iss) => `expected a mapping of label key to value, got ${shown(iss.input)}` },
    ).check(
      z.superRefine((m, ctx) => {
        for (const k of Object.keys(m)) {
          const p = reservedKeyProblem(k, "label");
          if (p) ctx.addIssue({ code: "custom", path: [k], message: p });
        }
      }),
    ),
    "Labels on the test pod (NetworkPolicy selectors, cost allocation). " +
      "incluster's own (app, component, app.kubernetes.io/managed-by, incluster.dev/*, batch.kubernetes.io/*) cannot be set.",
  ),
);

const annotations = deferred(() =>
  describe(
    z.record(
      qualifiedKey("an annotation"),
      z.string({ error: (iss) => `expected an annotation value (a string; quote "true" and numbers), got ${shown(iss.input)}` }),
      { error: (iss) => `expected a mapping of annotation key to value, got ${shown(iss.input)}` },
    ).check(
      z.superRefine((m, ctx) => {
        let bytes = 0;
        for (const [k, v] of Object.entries(m)) {
          bytes += Buffer.byteLength(k) + Buffer.byteLength(v);
          const p = reservedKeyProblem(k, "annotation");
          if (p) ctx.addIssue({ code: "custom", path: [k], message: p });
        }
        if (bytes > ANNOTATIONS_MAX_BYTES) {
          ctx.addIssue({ code: "custom", message: `annotations total ${bytes} bytes; the API server takes at most ${ANNOTATIONS_MAX_BYTES} (256 KiB)` });
        }
      }),
    ),
    "Annotations on the test pod (mesh injection, Vault agent, cluster-autoscaler safe-to-evict).",
  ),
);

export const podSchema = deferred(() =>
  describe(
    strict({
      labels: z.optional(labels),
      annotations: z.optional(annotations),
      priorityClassName: describe(z.optional(name("a PriorityClass name")), "The pod's priorityClassName: an existing PriorityClass."),
      runtimeClassName: describe(z.optional(name("a RuntimeClass name")), "The pod's runtimeClassName: an existing RuntimeClass (gVisor, Kata)."),
      hostAliases: z.optional(hostAliases),
      dnsConfig: z.optional(dnsConfig),
    }),
    "Pod metadata and settings: labels, annotations, priorityClassName, runtimeClassName, hostAliases, dnsConfig. " +
      "Each is taken from the suite, else from defaults, as a whole.",
  ),
);

export const RUN_AS_AUTO = "auto";
const uidError = (iss: { input?: unknown }) =>
  `expected auto or a uid from 1 to ${INT32_MAX} (0 is root: Pod Security "restricted" refuses it), got ${shown(iss.input)}`;

export const securityContextSchema = deferred(() =>
  describe(
    strict({
      runAsUser: describe(
        z.union([z.literal(RUN_AS_AUTO), z.number().check(z.int({ error: uidError }), z.gte(1, { error: uidError }), z.lte(INT32_MAX, { error: uidError }))], {
          error: uidError,
        }),
        "auto: the pod names no uid, gid or fsGroup (runAsNonRoot stays true) and the platform assigns them (OpenShift's restricted-v2). " +
          "A number: that uid, gid and fsGroup instead of 1000.",
      ),
    }),
    "The identity the pod's containers run as. Default: uid, gid and fsGroup 1000.",
  ),
);

const jsonMap = (what: string) =>
  z.record(z.string(), z.unknown(), { error: (iss) => `expected a mapping as in a pod template's ${what}, got ${shown(iss.input)}` });

export const podTemplateSchema = deferred(() =>
  describe(
    strict({
      metadata: describe(z.optional(jsonMap("metadata")), "Patched over the pod's metadata (labels, annotations)."),
      spec: describe(z.optional(jsonMap("spec")), "Patched over the pod spec."),
    }),
    "A strategic-merge patch over the generated pod template, as kubectl patch takes it: maps merge, lists with a merge key " +
      "(containers, initContainers, volumes, imagePullSecrets by name; env by name; volumeMounts by mountPath; ports by containerPort; " +
      "hostAliases by ip) merge by it, other lists are replaced, null deletes a key, $patch: delete and $patch: replace are honoured. " +
      "validate refuses a result that breaks Pod Security restricted (unless allowUnrestricted) or removes incluster's own labels, containers or volumes.",
  ),
);

export const allowUnrestrictedSchema = describe(
  bool,
  "Acknowledges a podTemplate that breaks Pod Security restricted (privileged, host namespaces, hostPath…): validate passes and every run warns.",
);

export const imagePullSecretsSchema = deferred(() =>
  describe(
    z.array(name("the name of a Secret of type kubernetes.io/dockerconfigjson"), {
      error: (iss) => `expected a list of Secret names like [registry-creds], got ${shown(iss.input)}`,
    }),
    "Secrets (type kubernetes.io/dockerconfigjson) the kubelet uses to pull the suite's images from a private registry: the pod's imagePullSecrets.",
  ),
);

export const serviceAccountSchema = deferred(() =>
  describe(
    strict({ name: describe(name("the name of an existing ServiceAccount"), "An existing ServiceAccount of the namespace.") }),
    "Run the pod as an existing ServiceAccount (workload identity: IRSA, GKE, Azure). " +
      "incluster then creates no ServiceAccount, Role or RoleBinding for the suite; kubernetesAccess: false still turns off the token mount.",
  ),
);

const ENV_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$/;

const envFromEntry = deferred(() =>
  strict({
    secretRef: describe(z.optional(strict({ name: name("the Secret's name") })), "Every key of this Secret becomes a variable."),
    configMapRef: describe(z.optional(strict({ name: name("the ConfigMap's name") })), "Every key of this ConfigMap becomes a variable."),
    prefix: describe(
      z.optional(
        z.string({ error: (iss) => `expected a prefix like APP_, got ${shown(iss.input)}` }).check(
          z.regex(ENV_PREFIX, { error: (iss) => `expected a prefix of letters, digits and '_', not starting with a digit, got ${shown(iss.input)}` }),
        ),
      ),
      "Put before every variable name.",
    ),
  }).check(
    z.superRefine((e, ctx) => {
      if ((e.secretRef === undefined) === (e.configMapRef === undefined)) {
        ctx.addIssue({
          code: "custom",
          message: e.secretRef ? "set secretRef or configMapRef, not both (one entry each)" : "set one of secretRef: {name} or configMapRef: {name}",
        });
      }
    }),
  ),
);

export const envFromSchema = deferred(() =>
  describe(
    z.array(envFromEntry, { error: (iss) => `expected a list like [{configMapRef: {name: settings}}], got ${shown(iss.input)}` }),
    "Whole Secrets or ConfigMaps as environment variables of the test container (the container's envFrom). Values are never printed.",
  ),
);

const keyToPath = deferred(() =>
  strict({
    key: text("a key of the Secret or ConfigMap").check(
      z.refine((s) => CONFIG_KEY_PATTERN.test(s), { error: (iss) => `expected a key: letters, digits, '-', '_' and '.', got ${shown(iss.input)}` }),
    ),
    path: text("a relative file path like tls/ca.crt").check(
      z.refine((p) => !p.startsWith("/") && !p.split("/").includes(".."), {
        error: (iss) => `expected a relative path without '..' like tls/ca.crt, got ${shown(iss.input)}`,
      }),
    ),
  }),
);

/** True when a is b or a folder holding b (or the other way round): one mount would hide the other. */
function overlaps(a: string, b: string): boolean {
  const norm = (p: string) => (p.endsWith("/") && p !== "/" ? p.slice(0, -1) : p);
  const [x, y] = [norm(a), norm(b)];
  return x === y || x === "/" || y === "/" || y.startsWith(`${x}/`) || x.startsWith(`${y}/`);
}

const volume = deferred(() =>
  strict({
    secret: describe(z.optional(name("the Secret's name")), "Mount this Secret's keys as files."),
    configMap: describe(z.optional(name("the ConfigMap's name")), "Mount this ConfigMap's keys as files."),
    mountPath: describe(
      text("an absolute path like /etc/test-certs").check(
        z.refine((p) => p.startsWith("/") && !p.split("/").includes("..") && !p.includes(":"), {
          error: (iss) => `expected an absolute path without '..' or ':' like /etc/test-certs, got ${shown(iss.input)}`,
        }),
      ),
      `Where the files appear in the test container, read-only. Not ${RESERVED_PATHS.join(" or ")} (or a folder above or below them).`,
    ),
    items: describe(
      z.optional(z.array(keyToPath, { error: (iss) => `expected a list of {key, path}, got ${shown(iss.input)}` })),
      "Only these keys, each at its path under mountPath. Default: every key, named after it.",
    ),
  }).check(
    z.superRefine((v, ctx) => {
      if ((v.secret === undefined) === (v.configMap === undefined)) {
        ctx.addIssue({
          code: "custom",
          message: v.secret ? "set secret or configMap, not both (one volume each)" : "set one of secret: <name> or configMap: <name>",
        });
      }
      const hidden = RESERVED_PATHS.find((r) => overlaps(v.mountPath, r));
      if (hidden) {
        ctx.addIssue({
          code: "custom",
          path: ["mountPath"],
          message: `${v.mountPath} collides with ${hidden}, where incluster mounts its own volume; choose another path like /etc/test-files`,
        });
      }
    }),
  ),
);

export const volumesSchema = deferred(() =>
  describe(
    z.array(volume, { error: (iss) => `expected a list like [{secret: tls, mountPath: /etc/tls}], got ${shown(iss.input)}` }).check(
      z.superRefine((vs, ctx) => {
        vs.forEach((v, i) => {
          const j = vs.findIndex((w, k) => k < i && overlaps(w.mountPath, v.mountPath));
          if (j !== -1) {
            ctx.addIssue({
              code: "custom",
              path: [i, "mountPath"],
              message: `${v.mountPath} collides with volumes[${j}].mountPath ${vs[j]?.mountPath}; give each volume its own folder`,
            });
          }
        });
      }),
    ),
    "Secrets and ConfigMaps mounted read-only into the test container as files (certificates, keys, test data).",
  ),
);

export type PodSettings = z.infer<typeof podSchema>;
export type SecurityContextSettings = z.infer<typeof securityContextSchema>;
export type PodTemplatePatch = z.infer<typeof podTemplateSchema>;
export type EnvFromEntry = z.infer<typeof envFromEntry>;
export type UserVolume = z.infer<typeof volume>;

/** The suite's parts of `pod` win, each as a whole; undefined when neither sets anything. */
export function mergePod(defaults: PodSettings | undefined, suite: PodSettings | undefined): PodSettings | undefined {
  const out: PodSettings = {};
  for (const k of ["labels", "annotations", "priorityClassName", "runtimeClassName", "hostAliases", "dnsConfig"] as const) {
    const v = suite?.[k] ?? defaults?.[k];
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

/** Volume names: deterministic from the position, distinct from incluster's own (source-code, incluster-out, local-overlay). */
export function userVolumeName(v: UserVolume, index: number): string {
  return `${v.secret !== undefined ? "secret" : "configmap"}-${index}`;
}
