// The `scheduling` field: where a suite's pod may run (dedicated test node pools, the scale
// mode's kwok nodes). The three parts are Kubernetes' own pod fields, passed through as written.
import { z } from "zod";
import { shown, strict, text } from "./fields.js";

const TOLERATION_OPERATORS = ["Exists", "Equal"] as const;
const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

const labelMap = z
  .record(text("a label key like node-role.example.com/tests"), z.string({ error: (iss) => `expected a label value (a string; quote "true"), got ${shown(iss.input)}` }), {
    error: (iss) => `expected a mapping of label key to value, got ${shown(iss.input)}`,
  })
  .describe("Node labels the pod requires (the pod spec's nodeSelector).");

const toleration = strict({
  key: z.string().optional().describe("Taint key; empty with operator Exists tolerates every taint."),
  operator: z.enum(TOLERATION_OPERATORS, { error: (iss) => `expected one of ${TOLERATION_OPERATORS.join(", ")}, got ${shown(iss.input)}` }).optional().describe("Exists or Equal. Default Equal."),
  value: z.string().optional().describe("Taint value (with operator Equal)."),
  effect: z.enum(TAINT_EFFECTS, { error: (iss) => `expected one of ${TAINT_EFFECTS.join(", ")}, got ${shown(iss.input)}` }).optional().describe("Taint effect to tolerate; empty: all effects."),
  tolerationSeconds: z.number().int().nonnegative().optional().describe("With NoExecute: how long the pod stays after the taint appears."),
}).describe("One toleration, as in a pod spec.");

const affinityPart = z.record(z.string(), z.unknown(), { error: (iss) => `expected a mapping as in a pod spec's affinity, got ${shown(iss.input)}` });

const affinity = strict({
  nodeAffinity: affinityPart.optional().describe("As in a pod spec."),
  podAffinity: affinityPart.optional().describe("As in a pod spec."),
  podAntiAffinity: affinityPart.optional().describe("As in a pod spec."),
}).describe("The pod spec's affinity, passed through as written (the API server validates its inside).");

export const schedulingSchema = strict({
  nodeSelector: labelMap.optional(),
  tolerations: z.array(toleration, { error: (iss) => `expected a list of tolerations, got ${shown(iss.input)}` }).optional().describe("Taints the pod tolerates (the pod spec's tolerations)."),
  affinity: affinity.optional(),
}).describe("Where the test pod may run: nodeSelector, tolerations, affinity, as in a pod spec. Each of the three is taken from the suite, else from defaults.");

export type Scheduling = z.infer<typeof schedulingSchema>;

/** The suite's own parts win, each as a whole; undefined when neither sets anything. */
export function mergeScheduling(defaults: Scheduling | undefined, suite: Scheduling | undefined): Scheduling | undefined {
  const nodeSelector = suite?.nodeSelector ?? defaults?.nodeSelector;
  const tolerations = suite?.tolerations ?? defaults?.tolerations;
  const affinity = suite?.affinity ?? defaults?.affinity;
  if (!nodeSelector && !tolerations && !affinity) return undefined;
  return { ...(nodeSelector ? { nodeSelector } : {}), ...(tolerations ? { tolerations } : {}), ...(affinity ? { affinity } : {}) };
}
