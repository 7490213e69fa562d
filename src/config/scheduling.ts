// The `scheduling` field: where a suite's pod may run (dedicated test node pools, the scale
// mode's kwok nodes). The three parts are Kubernetes' own pod fields, passed through as written.
import * as z from "zod/mini";
import { describe, shown, strict, text, deferred } from "./fields.js";
import { DNS_SUBDOMAIN_MAX, DNS_SUBDOMAIN_PATTERN } from "./names.js";

// Label keys and values as the API server checks them (apimachinery's IsQualifiedName, IsValidLabelValue).
const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_MAX = 63;

/** A qualified name like node-role.example.com/tests: an optional DNS subdomain prefix and a name of at most 63. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const [prefix, name] = slash === -1 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (!DNS_SUBDOMAIN_PATTERN.test(prefix) || prefix.length > DNS_SUBDOMAIN_MAX)) return false;
  return name.length <= LABEL_MAX && NAME_PART.test(name);
}

export function isLabelValue(value: string): boolean {
  return value.length <= LABEL_MAX && LABEL_VALUE.test(value);
}

const labelKey = deferred(() =>
  text("a label key like node-role.example.com/tests").check(
    z.refine(isQualifiedName, {
      error: (iss) =>
        "expected a label key like pool or node-role.example.com/tests " +
        `(letters, digits, '-', '_', '.', at most 63, with an optional DNS prefix and '/'), got ${shown(iss.input)}`,
    }),
  ),
);
const labelValue = (what: string) =>
  z.string({ error: (iss) => `expected ${what} (a string; quote "true"), got ${shown(iss.input)}` }).check(
    z.refine(isLabelValue, {
      error: (iss) => `expected ${what}: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, got ${shown(iss.input)}`,
    }),
  );

const TOLERATION_OPERATORS = ["Exists", "Equal"] as const;
const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

const labelMap = deferred(() =>
  describe(
    z.record(labelKey, labelValue("a label value"), {
      error: (iss) => `expected a mapping of label key to value, got ${shown(iss.input)}`,
    }),
    "Node labels the pod requires (the pod spec's nodeSelector).",
  ),
);

const toleration = deferred(() =>
  describe(
    strict({
      key: describe(
        z.optional(
          z.string().check(
            z.refine((k) => k === "" || isQualifiedName(k), {
              error: (iss) => `expected a taint key like dedicated or example.com/pool, got ${shown(iss.input)}`,
            }),
          ),
        ),
        "Taint key; empty with operator Exists tolerates every taint.",
      ),
      operator: describe(
        z.optional(z.enum(TOLERATION_OPERATORS, { error: (iss) => `expected one of ${TOLERATION_OPERATORS.join(", ")}, got ${shown(iss.input)}` })),
        "Exists or Equal. Default Equal.",
      ),
      value: describe(z.optional(labelValue("a taint value")), "Taint value (with operator Equal)."),
      effect: describe(
        z.optional(z.enum(TAINT_EFFECTS, { error: (iss) => `expected one of ${TAINT_EFFECTS.join(", ")}, got ${shown(iss.input)}` })),
        "Taint effect to tolerate; empty: all effects.",
      ),
      tolerationSeconds: describe(
        z.optional(
          z.number({ error: (iss) => `expected a whole number of seconds, got ${shown(iss.input)}` }).check(
            z.int({ error: (iss) => `expected a whole number of seconds, got ${shown(iss.input)}` }),
            z.nonnegative({ error: (iss) => `expected a whole number of seconds (0 or more), got ${shown(iss.input)}` }),
            z.lte(Number.MAX_SAFE_INTEGER, { error: "expected a whole number of seconds the API can read (at most 2^53 - 1)" }),
          ),
        ),
        "With NoExecute: how long the pod stays after the taint appears.",
      ),
    }).check(
      // The API server's own rules for a toleration (validateTolerations).
      z.superRefine((t, ctx) => {
        if (!t.key && t.operator !== "Exists") {
          ctx.addIssue({ code: "custom", path: ["operator"], message: "a toleration without a key needs operator: Exists (it tolerates every taint)" });
        }
        if (t.operator === "Exists" && t.value) {
          ctx.addIssue({ code: "custom", path: ["value"], message: "operator Exists takes no value; drop value or use operator: Equal" });
        }
        if (t.tolerationSeconds !== undefined && t.effect !== "NoExecute") {
          ctx.addIssue({ code: "custom", path: ["tolerationSeconds"], message: "tolerationSeconds needs effect: NoExecute" });
        }
      }),
    ),
    "One toleration, as in a pod spec.",
  ),
);

const affinityPart = deferred(() =>
  z.record(z.string(), z.unknown(), { error: (iss) => `expected a mapping as in a pod spec's affinity, got ${shown(iss.input)}` }),
);

const affinity = deferred(() =>
  describe(
    strict({
      nodeAffinity: describe(z.optional(affinityPart), "As in a pod spec."),
      podAffinity: describe(z.optional(affinityPart), "As in a pod spec."),
      podAntiAffinity: describe(z.optional(affinityPart), "As in a pod spec."),
    }),
    "The pod spec's affinity, passed through as written (the API server validates its inside).",
  ),
);

export const schedulingSchema = deferred(() =>
  describe(
    strict({
      nodeSelector: z.optional(labelMap),
      tolerations: describe(
        z.optional(z.array(toleration, { error: (iss) => `expected a list of tolerations, got ${shown(iss.input)}` })),
        "Taints the pod tolerates (the pod spec's tolerations).",
      ),
      affinity: z.optional(affinity),
    }),
    "Where the test pod may run: nodeSelector, tolerations, affinity, as in a pod spec. Each of the three is taken from the suite, else from defaults.",
  ),
);

export type Scheduling = z.infer<typeof schedulingSchema>;

/** The suite's own parts win, each as a whole; undefined when neither sets anything. */
export function mergeScheduling(defaults: Scheduling | undefined, suite: Scheduling | undefined): Scheduling | undefined {
  const nodeSelector = suite?.nodeSelector ?? defaults?.nodeSelector;
  const tolerations = suite?.tolerations ?? defaults?.tolerations;
  const affinity = suite?.affinity ?? defaults?.affinity;
  if (!nodeSelector && !tolerations && !affinity) return undefined;
  return { ...(nodeSelector ? { nodeSelector } : {}), ...(tolerations ? { tolerations } : {}), ...(affinity ? { affinity } : {}) };
}
