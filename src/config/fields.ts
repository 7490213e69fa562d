// Small zod building blocks whose messages say what was expected and what was received,
// so every problem reads `path: expected X, got Y` (STYLE.md, execa's timeout messages).
// zod/mini, not "zod": loading and building the classic schema took ~8 ms of every CLI start, mini ~4.5 (measured with V8's code cache).
import * as z from "zod/mini";
import { en } from "zod/locales";
import { CONFIG_KEY_PATTERN, DNS_SUBDOMAIN_MAX, DNS_SUBDOMAIN_PATTERN } from "./names.js";
import { DURATION_MAX_SECONDS, DURATION_PATTERN, parseDuration } from "./duration.js";
import { clip, kindOf } from "../echo.js";
import { QUANTITY_MAX, QUANTITY_PATTERN, parseQuantity } from "./quantity.js";

// The classic API installs English messages itself; zod/mini leaves them to us. They still word
// the few issues no error map of ours covers (e.g. a negative tolerationSeconds).
z.config(en());

/** The classic `schema.describe(d)`: a described clone, so two uses of one base schema keep their own descriptions. */
export function describe<T extends z.ZodMiniType>(schema: T, description: string): T {
  return meta(schema, { description });
}

/** The classic `schema.meta(m)`: a clone registered with m in zod's global registry, which the JSON Schema reads. */
export function meta<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const clone = schema.clone();
  z.globalRegistry.add(clone, metadata);
  return clone;
}

/**
 * A schema built the first time a config has the field (z.lazy): building all of the schema was the
 * largest part of `validate`'s start-up, and a config uses few of its fields (docs/performance.md,
 * "Start-up"). Correct wherever it stands, it defers only where it is not cloned: use it as a field,
 * an element or a value, or in z.optional, and describe it inside the builder.
 */
export function deferred<T extends z.ZodMiniType>(build: () => T): z.ZodMiniLazy<T> {
  let built: T | undefined;
  const lazy = z.lazy(() => {
    if (built) return built;
    built = build();
    if (built._zod.optin !== undefined) throw new Error("deferred(): the schema it built is optional; put deferred() in z.optional instead");
    return built;
  });
  // An object's parse reads each field's optin and optout, and z.optional reads its inner schema's
  // optin on every parse, the field present or not: z.lazy would build its schema to answer. A
  // deferred schema is never optional itself (checked above), so the answer is known without it.
  lazy._zod.optin = undefined;
  lazy._zod.optout = undefined;
  return lazy;
}

/** JSON-ish rendering of a received value for messages, clipped to ECHO_MAX characters. */
export function shown(value: unknown): string {
  if (typeof value === "string") return clip(JSON.stringify(value));
  if (value === undefined || value === null || typeof value === "object") return kindOf(value);
  return `${clip(String(value))} (a ${typeof value})`;
}

/** A strict object whose unknown-field message names the allowed fields and a likely typo. */
export function strict<T extends z.core.$ZodLooseShape>(shape: T) {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (iss) => {
      if (iss.code === "unrecognized_keys") return unknownFieldsMessage(iss.keys, allowed);
      if (iss.code === "invalid_type") return `expected a mapping with fields ${allowed.join(", ")}, got ${shown(iss.input)}`;
      return undefined;
    },
  });
}

export function unknownFieldsMessage(keys: readonly string[], allowed: readonly string[]): string {
  const hints = keys.map((k) => {
    const near = closest(k, allowed);
    return near ? `"${clip(k)}" (did you mean "${near}"?)` : `"${clip(k)}"`;
  });
  return `unknown field${keys.length > 1 ? "s" : ""} ${hints.join(", ")}; allowed here: ${allowed.join(", ")}`;
}

/** The longest string field (env values excepted): paths, commands and names are far shorter. */
export const TEXT_MAX = 4096;

export function text(what: string) {
  return z.string({ error: (iss) => `expected ${what}, got ${shown(iss.input)}` }).check(
    z.minLength(1, { error: `expected ${what}, got an empty string` }),
    z.maxLength(TEXT_MAX, { error: (iss) => `expected ${what} of at most ${TEXT_MAX} characters, got ${shown(iss.input)}` }),
    z.refine((s) => !s.includes("\0"), { error: `expected ${what} without NUL characters` }),
  );
}

export const duration = describe(
  z.string({ error: (iss) => `expected a duration like 30m or 1h, got ${shown(iss.input)}` }).check(
    z.regex(DURATION_PATTERN, { abort: true, error: (iss) => `expected a duration like 30m or 1h, got ${shown(iss.input)}` }),
    z.refine((s) => /[1-9]/.test(s), { abort: true, error: "expected a duration greater than zero, like 30m or 1h" }),
    z.refine((s) => (parseDuration(s) ?? 0) <= DURATION_MAX_SECONDS, {
      error: (iss) => `expected a duration of at most ${DURATION_MAX_SECONDS / 3600}h, got ${shown(iss.input)}`,
    }),
  ),
  "A duration: a number of hours, minutes and seconds, in that order: 90s, 30m, 1h, 1h30m.",
);

// Quantities may be YAML numbers (cpu: 2) as in Kubernetes manifests; strings must parse.
// Negative ones parse in Kubernetes but no request or limit may be negative.
export const quantity = z
  .union(
    [
      z.string().check(
        z.regex(QUANTITY_PATTERN, {
          error: (iss) => `expected a Kubernetes quantity like 500m, 2Gi or 1.5 (no spaces), got ${shown(iss.input)}`,
        }),
      ),
      z.number(),
    ],
    { error: (iss) => `expected a Kubernetes quantity like 500m, 2Gi or 1.5, got ${shown(iss.input)}` },
  )
  .check(
    z.superRefine((q, ctx) => {
      // A string the pattern refused is reported once, by the union.
      if (typeof q === "string" && !QUANTITY_PATTERN.test(q)) return;
      const v = parseQuantity(q);
      if (v === undefined || v < 0) ctx.addIssue({ code: "custom", message: `expected a quantity of 0 or more like 500m or 2Gi, got ${shown(q)}` });
      else if (v > QUANTITY_MAX) ctx.addIssue({ code: "custom", message: `expected a quantity of at most 8Pi, got ${shown(q)}` });
    }),
  );

/** Kubernetes stores these fields (ttlSecondsAfterFinished, tolerationSeconds…) as int32. */
export const INT32_MAX = 2_147_483_647;

export const seconds = z.number({ error: (iss) => `expected a whole number of seconds, got ${shown(iss.input)}` }).check(
  z.int({ error: (iss) => `expected a whole number of seconds, got ${shown(iss.input)}` }),
  z.nonnegative({ error: (iss) => `expected a whole number of seconds (0 or more), got ${shown(iss.input)}` }),
  z.lte(INT32_MAX, { error: (iss) => `expected a whole number of seconds of at most ${INT32_MAX}, got ${shown(iss.input)}` }),
);

export const bool = z.boolean({ error: (iss) => `expected true or false, got ${shown(iss.input)}` });

// No whitespace, no scheme: an image reference as `podman pull` and the kubelet take it.
export const imageRef = z.string({ error: (iss) => `expected an image reference like registry.example.com/team/image:tag, got ${shown(iss.input)}` }).check(
  z.regex(/^[^\s:/][^\s]*$/, {
    error: (iss) => `expected an image reference like registry.example.com/team/image:tag (no spaces, no scheme), got ${shown(iss.input)}`,
  }),
  z.refine((s) => !s.includes("://"), { error: "expected an image reference without a scheme (drop http:// or https://)" }),
);

/** os/arch[/variant] as engines and the OCI image index spell it: linux/amd64, linux/arm64, linux/arm/v7. */
export const PLATFORM_PATTERN = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
export const PLATFORM_EXPECTED = "a platform like linux/amd64 or linux/arm64";

export const platform = z
  .string({ error: (iss) => `expected ${PLATFORM_EXPECTED}, got ${shown(iss.input)}` })
  .check(z.regex(PLATFORM_PATTERN, { error: (iss) => `expected ${PLATFORM_EXPECTED}, got ${shown(iss.input)}` }));

// Restricted to shell-identifier names: the runner prints and passes them through /bin/sh.
export const envName = z.string().check(
  z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: (iss) => `environment variable name ${shown(iss.input)} must be letters, digits and '_', not starting with a digit`,
  }),
);

/** The name of a Secret or ConfigMap: a DNS-1123 subdomain, so it is safe in any output. */
export const objectName = (what: string) =>
  text(what).check(
    z.refine((s) => DNS_SUBDOMAIN_PATTERN.test(s) && s.length <= DNS_SUBDOMAIN_MAX, {
      error: (iss) => `expected ${what}: at most ${DNS_SUBDOMAIN_MAX} lowercase letters, digits, '-' and '.' (a DNS-1123 subdomain), got ${shown(iss.input)}`,
    }),
  );

const keyRef = (what: string) =>
  strict({
    name: objectName(`the ${what}'s name`),
    // As the API server checks it (IsConfigMapKey): found by the dry-run fuzz test.
    key: text(`the key in the ${what}`).check(
      z.refine((s) => CONFIG_KEY_PATTERN.test(s) && s !== "." && !s.startsWith(".."), {
        error: (iss) => `expected a key of the ${what}: letters, digits, '-', '_' and '.', not "." and not starting with "..", got ${shown(iss.input)}`,
      }),
    ),
  });

/** Env values: a Job must fit in etcd's 1.5 MiB. */
export const ENV_VALUE_MAX = 256 * 1024;

// A value from a Secret or ConfigMap: the value never appears in incluster.yaml, the Job spec or
// any output; the kubelet resolves it when the container starts.
export const envValue = deferred(() =>
  z.union(
    [
      z.string().check(
        z.maxLength(ENV_VALUE_MAX, { error: `expected a value of at most ${ENV_VALUE_MAX} characters (the Job must fit in 1.5 MiB)` }),
        z.refine((s) => !s.includes("\0"), { error: "expected a value without NUL characters (a process environment cannot hold them)" }),
      ),
      describe(strict({ secretKeyRef: keyRef("Secret") }), "Take the value from a key of a Secret in the namespace."),
      describe(strict({ configMapKeyRef: keyRef("ConfigMap") }), "Take the value from a key of a ConfigMap in the namespace."),
    ],
    {
      // The value is not echoed: it may be a secret someone forgot to quote.
      error: (iss) =>
        `expected a string value (quote numbers and booleans in YAML: "…") or {secretKeyRef: {name, key}} / {configMapKeyRef: {name, key}}, ` +
        `got ${kindOf(iss.input)}`,
    },
  ),
);

/** Levenshtein distance <= 2, for "did you mean". */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  const w = word.toLowerCase();
  for (const c of candidates) {
    // The distance is at least the difference in length: a long unknown key costs nothing
    // (thousands of 40-character keys took 8 s of the quadratic distance before this).
    if (Math.abs(w.length - c.length) >= bestDistance) continue;
    const d = distance(w, c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
