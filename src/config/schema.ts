// The incluster.yaml schema: the one source for validation, the TypeScript types and the
// committed JSON Schema (scripts/gen-schema.ts). Field names are the contract (issue 2).
import * as z from "zod/mini";
import { bool, describe, duration, envName, envValue, imageRef, meta, platform, seconds, shown, strict, text, deferred } from "./fields.js";
import { resourcesSchema } from "./resources.js";
import { DNS_LABEL_PATTERN, SUITE_NAME_MAX, namespaceProblem } from "./names.js";
import { schedulingSchema } from "./scheduling.js";
import { notifySchema } from "./notify.js";
import { historySchema } from "./history.js";
import { envFromSchema, imagePullSecretsSchema, podSchema, serviceAccountSchema, volumesSchema } from "./pod-fields.js";
import { runnerSchema, suiteRunnerProblems } from "./runner.js";
import { DEFAULT_CLONE_IMAGE, sourceSchema } from "./source-schema.js";
import { flakySchema, maxShardsSchema, quarantineSchema, targetDurationSchema } from "./flaky.js";

export { DEFAULT_CLONE_IMAGE };
import { allowUnrestrictedSchema, podTemplateSchema, securityContextSchema } from "./pod-fields.js";

export const API_VERSION = "incluster.dev/v1alpha1";
export const KIND = "Config";
export const DEFAULT_BASE_IMAGE = "python:3.13-slim";
export const ENGINES = ["podman", "docker", "buildah", "nerdctl"] as const;
export type EngineName = (typeof ENGINES)[number];

const resources = resourcesSchema;

const env = deferred(() =>
  describe(
    z.record(envName, envValue, { error: (iss) => `expected a mapping of NAME: "value", got ${shown(iss.input)}` }),
    "Environment variables for the test container. Values are strings: quote numbers.",
  ),
);

const install = describe(
  z.string({ error: (iss) => `expected a shell command like pip install -e ".[dev]", got ${shown(iss.input)}` }),
  'Shell command run in /workspace before the tests, e.g. pip install --user -q -e ".[dev]". An empty string disables the default.',
);

const timeout = describe(duration, "Deadline for the whole Job (activeDeadlineSeconds): 30m, 1h, 1h30m. Default 30m.");
const ttl = describe(seconds, "Seconds Kubernetes keeps the finished Job (ttlSecondsAfterFinished). Default 3600.");
const runImage = describe(imageRef, "An exact image reference to run; nothing is built for this suite.");
export const MAX_RETRIES = 10;
export const MAX_SHARDS = 100;

/** A whole number from min to max: every problem (not a number, a fraction, out of range) gets one message. */
function wholeNumber(min: number, max: number, message: (iss: { input?: unknown }) => string) {
  return z.number({ error: message }).check(z.int({ error: message }), z.gte(min, { error: message }), z.lte(max, { error: message }));
}

const retries = deferred(() =>
  describe(
    wholeNumber(0, MAX_RETRIES, (iss) => `expected a whole number of retries from 0 to ${MAX_RETRIES}, got ${shown(iss.input)}`),
    "After a failed attempt (tests failed), run a fresh Job with only the failed tests (the runner's test ids; " +
      "a command suite reruns whole), up to this many times. A test that fails then passes is flaky. " +
      "Could-not-run failures are never retried. Default 0.",
  ),
);
const kubernetesAccess = describe(bool, "Give the test pod a ServiceAccount token with a Role to get/list pods and pods/log in its namespace. Default true.");

const suiteShape = {
  test: describe(
    z.optional(deferred(() => text("a pytest target like tests/e2e/test_x.py::test_y"))),
    "The runner's target (runner:, default pytest): pytest a file, folder or node id; node test files, folders or globs; " +
      "go package patterns like ./... Exactly one of test or command.",
  ),
  command: describe(
    z.optional(
      deferred(() =>
        z
          .array(text("a non-empty string"), { error: (iss) => `expected a list of strings like [npx, vitest, run], got ${shown(iss.input)}` })
          .check(z.minLength(1, { error: "expected at least one element, the program to run" })),
      ),
    ),
    "Program and arguments to run instead of a runner's target (Jest, Vitest, Playwright, a script). " +
      "With runner:, its report is read as that runner's. Exactly one of test or command.",
  ),
  runner: z.optional(runnerSchema),
  env: z.optional(env),
  resources: z.optional(resources),
  timeout: z.optional(timeout),
  ttlSecondsAfterFinished: z.optional(ttl),
  image: z.optional(runImage),
  install: z.optional(install),
  kubernetesAccess: z.optional(kubernetesAccess),
  scheduling: z.optional(schedulingSchema),
  imagePullSecrets: z.optional(imagePullSecretsSchema),
  serviceAccount: z.optional(serviceAccountSchema),
  pod: z.optional(podSchema),
  envFrom: z.optional(envFromSchema),
  volumes: z.optional(volumesSchema),
  securityContext: z.optional(securityContextSchema),
  podTemplate: z.optional(podTemplateSchema),
  allowUnrestricted: z.optional(allowUnrestrictedSchema),
  junit: describe(
    z.optional(deferred(() => text("a path like reports/junit.xml"))),
    "Where the suite's runner writes JUnit XML, relative to the artifacts directory ($INCLUSTER_ARTIFACTS). " +
      "pytest suites write artifacts/junit.xml on their own. Recipes: docs/runners.md.",
  ),
  retries: z.optional(retries),
  shards: describe(
    z.optional(
      deferred(() =>
        z.union([
          wholeNumber(1, MAX_SHARDS, (iss) => `expected a whole number of shards from 1 to ${MAX_SHARDS}, or auto, got ${shown(iss.input)}`),
          z.literal("auto"),
        ]),
      ),
    ),
    "Run the suite as one Indexed Job of this many pods (JOB_COMPLETION_INDEX): pytest node ids and go tests are split stably over them, " +
      "node test files by node's --test-shard; a command suite gets INCLUSTER_SHARD_INDEX and INCLUSTER_SHARD_COUNT. " +
      "With a run history, pytest ids are split by their median durations (longest first). " +
      "auto: as many shards as targetDuration needs, from the history (1 without).",
  ),
  targetDuration: z.optional(targetDurationSchema),
  maxShards: z.optional(deferred(() => maxShardsSchema(MAX_SHARDS))),
  quarantine: z.optional(quarantineSchema),
  build: describe(
    z.optional(
      deferred(() =>
        strict({
          dockerfile: describe(
            z.optional(text("a path like jobs/test-smoke-e2e/Dockerfile")),
            "The suite's own Dockerfile, relative to the folder of incluster.yaml. " +
              "Default: a Dockerfile incluster generates (image.base plus what the runner needs).",
          ),
          context: describe(
            z.optional(text("a folder like .")),
            "Build context, relative to the folder of incluster.yaml. " +
              "Default: the folder of the Dockerfile, or of incluster.yaml for a generated one. " +
              "Its files (minus .dockerignore) are part of the content hash.",
          ),
        }),
      ),
    ),
    "How incluster build makes this suite's image. A suite with an explicit image is never built.",
  ),
};

export const suiteSchema = describe(
  strict(suiteShape).check(
    z.superRefine((s, ctx) => {
      if ((s.test === undefined) === (s.command === undefined)) {
        ctx.addIssue({
          code: "custom",
          message:
            s.test === undefined
              ? "set exactly one of test (a pytest target) or command (an argv list); neither is set"
              : "set exactly one of test or command, not both",
        });
      }
      for (const p of suiteRunnerProblems(s)) ctx.addIssue({ code: "custom", path: [p.field], message: p.message });
    }),
  ),
  "One test suite. Its name is used in the Job name test-<suite>-e2e-<runid>.",
);

const defaults = deferred(() =>
  describe(
    strict({
      install: z.optional(install),
      resources: z.optional(resources),
      env: z.optional(env),
      ttlSecondsAfterFinished: z.optional(ttl),
      timeout: z.optional(timeout),
      image: z.optional(runImage),
      kubernetesAccess: z.optional(kubernetesAccess),
      scheduling: z.optional(schedulingSchema),
      retries: z.optional(retries),
      imagePullSecrets: z.optional(imagePullSecretsSchema),
      serviceAccount: z.optional(serviceAccountSchema),
      pod: z.optional(podSchema),
      envFrom: z.optional(envFromSchema),
      volumes: z.optional(volumesSchema),
      securityContext: z.optional(securityContextSchema),
      podTemplate: z.optional(podTemplateSchema),
      allowUnrestricted: z.optional(allowUnrestrictedSchema),
      quarantine: z.optional(quarantineSchema),
    }),
    "Values every suite inherits unless it sets its own; env is merged, the suite's entries win; quarantine entries of both apply; " +
      "every other field is taken whole from the suite if it sets it.",
  ),
);

const imageSchema = deferred(() =>
  describe(
    strict({
      registry: describe(
        text("a registry and path like registry.example.com/team").check(
          z.regex(/^[^\s]+[^\s/]$/, { error: "expected a registry without spaces or a trailing '/'" }),
          z.refine((s) => !s.includes("://"), { error: "expected a registry without a scheme (drop https://)" }),
        ),
        "Where suite images live: <registry>/test-<suite>-e2e:<tag>.",
      ),
      base: describe(z.optional(imageRef), `Base image of generated and scaffolded Dockerfiles. Default ${DEFAULT_BASE_IMAGE}.`),
      engine: describe(
        z.optional(z.enum(ENGINES, { error: (iss) => `expected one of ${ENGINES.join(", ")}, got ${shown(iss.input)}` })),
        `Image build engine. Default: the first found on PATH of ${ENGINES.join(", ")}. Overridden by --engine.`,
      ),
      insecure: describe(
        z.optional(bool),
        "Reach the registry over plain HTTP: the registry check, the push, and with podman or buildah the build's pulls (a base image on that " +
          "registry) skip TLS verification. Default: true for localhost and 127.0.0.1 registries, false otherwise. " +
          "docker and nerdctl take this from their own configuration (insecure-registries).",
      ),
      platform: describe(
        z.optional(platform),
        "Platform suite images are built for, os/arch like linux/amd64 or linux/arm64; it is part of the content hash. " +
          "Default: this machine's (linux/amd64 on x86-64). Overridden by --platform.",
      ),
    }),
    "How suite images are named and built.",
  ),
);

const suiteName = describe(
  z.string().check(z.regex(DNS_LABEL_PATTERN), z.maxLength(SUITE_NAME_MAX)),
  `Suite name: lowercase letters, digits and '-', at most ${SUITE_NAME_MAX} characters.`,
);

/** The suites by name (exported: parse.ts checks them one at a time when there are too many problems for one list). */
export const suitesSchema = describe(
  z
    .record(suiteName, suiteSchema, { error: (iss) => `expected a mapping of suite name to suite, got ${shown(iss.input)}` })
    .check(z.refine((s) => Object.keys(s).length > 0, { error: "expected at least one suite, e.g. smoke: { test: tests/e2e }" })),
  "Test suites by name.",
);

export const configSchema = meta(
  strict({
    apiVersion: z.literal(API_VERSION, { error: (iss) => `expected "${API_VERSION}", got ${shown(iss.input)}; set apiVersion: ${API_VERSION}` }),
    kind: z.literal(KIND, { error: (iss) => `expected "${KIND}", got ${shown(iss.input)}; set kind: ${KIND}` }),
    namespace: describe(
      z.optional(
        z.string({ error: (iss) => `expected a namespace name, got ${shown(iss.input)}` }).check(
          z.superRefine((ns, ctx) => {
            const p = namespaceProblem(ns);
            if (p) ctx.addIssue({ code: "custom", message: p });
          }),
        ),
      ),
      "Namespace the Jobs run in. Default: default. Overridden by -n/--namespace and INCLUSTER_NAMESPACE.",
    ),
    image: z.optional(imageSchema),
    source: sourceSchema,
    defaults: z.optional(defaults),
    suites: suitesSchema,
    notify: z.optional(notifySchema),
    history: z.optional(historySchema),
    flaky: z.optional(flakySchema),
  }).check(
    z.superRefine((c, ctx) => {
      for (const [name, suite] of Object.entries(c.suites)) {
        if (!suite.build) continue;
        if (suite.image) {
          ctx.addIssue({
            code: "custom",
            path: ["suites", name, "build"],
            message: "set build (incluster builds the image) or image (an exact image to run), not both",
          });
        } else if (!c.image?.registry) {
          ctx.addIssue({
            code: "custom",
            path: ["suites", name, "build"],
            message: "build needs image.registry: the built image is pushed to <registry>/test-" + name + "-e2e:<content hash>",
          });
        }
      }
      if (c.image?.registry || c.defaults?.image) return;
      for (const [name, suite] of Object.entries(c.suites)) {
        if (!suite.image) {
          ctx.addIssue({
            code: "custom",
            path: ["suites", name, "image"],
            message:
              `no image to run: set image.registry (incluster then builds <registry>/test-${name}-e2e:<content hash>), ` +
              `defaults.image or suites.${name}.image`,
          });
        }
      }
    }),
  ),
  { title: "incluster.yaml", description: "Configuration of incluster: end-to-end test suites run as Kubernetes Jobs." },
);

export type Config = z.infer<typeof configSchema>;
export type SuiteConfig = z.infer<typeof suiteSchema>;
