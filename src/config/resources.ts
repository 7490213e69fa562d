// A container's requests and limits, checked as the API server checks them, so a config that
// validates also creates: known resource names, no request above its limit, and the resources
// Kubernetes never overcommits (extended resources, huge pages) set whole and equal in both.
import * as z from "zod/mini";
import { describe, quantity, shown, strict } from "./fields.js";
import { parseQuantity } from "./quantity.js";

const STANDARD = ["cpu", "memory", "ephemeral-storage"] as const;
const HUGEPAGES = /^hugepages-[0-9]+(?:Ki|Mi|Gi|Ti|Pi|Ei|[kMGTPE])?$/;
// domain/name, e.g. nvidia.com/gpu; kubernetes.io and requests. prefixes are reserved.
const EXTENDED = /^(?=.{1,253}\/)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

export const RESOURCE_NAMES_EXPECTED = `${STANDARD.join(", ")}, hugepages-<size> or an extended resource like example.com/gpu`;

function resourceKind(name: string): "standard" | "hugepages" | "extended" | undefined {
  if ((STANDARD as readonly string[]).includes(name)) return "standard";
  if (HUGEPAGES.test(name)) return "hugepages";
  if (EXTENDED.test(name) && !/(^|\.)kubernetes\.io\//.test(name) && !name.startsWith("requests.")) return "extended";
  return undefined;
}

const resourceName = z.string().check(
  z.refine((n) => resourceKind(n) !== undefined, {
    error: (iss) => `resource name ${shown(iss.input)} is not one Kubernetes knows: expected ${RESOURCE_NAMES_EXPECTED}`,
  }),
);

const resourceList = describe(
  z.record(resourceName, quantity, { error: (iss) => `expected a mapping like { cpu: 500m, memory: 2Gi }, got ${shown(iss.input)}` }),
  "Resource name to quantity, e.g. { cpu: 500m, memory: 2Gi }.",
);

export const resourcesSchema = describe(
  strict({
    requests: describe(z.optional(resourceList), "Guaranteed resources for the test container."),
    limits: describe(z.optional(resourceList), "Upper bounds for the test container."),
  }).check(
    z.superRefine((r, ctx) => {
      const requests = r.requests ?? {};
      const limits = r.limits ?? {};
      for (const [name, req] of Object.entries(requests)) {
        const lim = Object.hasOwn(limits, name) ? limits[name] : undefined;
        const kind = resourceKind(name);
        const reqValue = parseQuantity(req);
        // A value that is no quantity is reported by the field itself.
        if (reqValue === undefined || (lim !== undefined && parseQuantity(lim) === undefined)) continue;
        if (kind === "extended" || kind === "hugepages") {
          if (lim === undefined || parseQuantity(lim) !== reqValue) {
            ctx.addIssue({
              code: "custom",
              path: ["limits", name],
              message: `set the limit of ${name} equal to its request (${String(req)}): Kubernetes does not overcommit it`,
            });
          }
        } else if (lim !== undefined && reqValue > (parseQuantity(lim) ?? 0)) {
          ctx.addIssue({
            code: "custom",
            path: ["requests", name],
            message: `the request ${String(req)} is more than the limit ${String(lim)} (limits.${name}); a request must not exceed its limit`,
          });
        }
      }
      for (const [name, q] of [...Object.entries(requests), ...Object.entries(limits)]) {
        const v = parseQuantity(q);
        if (resourceKind(name) === "extended" && v !== undefined && !Number.isInteger(v)) {
          ctx.addIssue({
            code: "custom",
            path: [Object.hasOwn(requests, name) ? "requests" : "limits", name],
            message: `expected a whole number of ${name}, got ${shown(q)}`,
          });
        }
      }
      const names = [...Object.keys(requests), ...Object.keys(limits)];
      if (names.some((n) => resourceKind(n) === "hugepages") && !names.some((n) => n === "cpu" || n === "memory")) {
        ctx.addIssue({ code: "custom", path: [], message: "huge pages need a cpu or memory request or limit as well" });
      }
    }),
  ),
  "Requests and limits of the test container, as in a Kubernetes container spec.",
);
