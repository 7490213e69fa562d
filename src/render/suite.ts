// One suite's objects, in apply order: ServiceAccount, Role, RoleBinding, then the Job that uses them.
import type { ResolvedSuite } from "../config/resolve.js";
import { overlayName, renderJob } from "./job.js";
import { suiteLabels } from "../names.js";
import type { ConfigMapObject, SuiteObjects } from "./objects.js";
import { renderRole, renderRoleBinding, renderServiceAccount } from "./rbac.js";

export interface RenderOptions {
  /** Appended to the Job name and set as the incluster.dev/run-id label. */
  runId?: string | undefined;
  /** 2 and up: a retry, as a fresh Job named -<attempt>. */
  attempt?: number;
  /** For a retry of a pytest suite: only these node ids run. */
  rerunIds?: readonly string[] | undefined;
  collectVia?: "exec" | "log" | "none";
}

export function renderSuite(suite: ResolvedSuite, opts: RenderOptions = {}): SuiteObjects {
  return {
    // An existing ServiceAccount (serviceAccount.name) comes with its own permissions: none is made.
    ...(suite.serviceAccount ? {} : { serviceAccount: renderServiceAccount(suite) }),
    ...(suite.kubernetesAccess && !suite.serviceAccount ? { role: renderRole(suite), roleBinding: renderRoleBinding(suite) } : {}),
    ...(suite.source.kind === "local" && suite.source.overlay ? { overlay: renderOverlay(suite, opts.runId) } : {}),
    job: renderJob(suite, opts.runId, {
      ...(opts.attempt ? { attempt: opts.attempt } : {}),
      ...(opts.rerunIds ? { rerunIds: opts.rerunIds } : {}),
      ...(opts.collectVia ? { collectVia: opts.collectVia } : {}),
    }),
  };
}

/** source: local: the working tree's differences from the base commit, labelled with the run id so `clean` finds leftovers. */
export function renderOverlay(suite: ResolvedSuite, runId?: string): ConfigMapObject {
  const o = suite.source.kind === "local" ? suite.source.overlay : undefined;
  if (!o) throw new Error("renderOverlay needs a local source with an overlay");
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: overlayName(suite.name, runId), namespace: suite.namespace, labels: suiteLabels(suite.name, runId) },
    binaryData: { "overlay.tar.gz": o.archiveBase64, deleted: Buffer.from(o.deleted.map((p) => `${p}\0`).join(""), "utf8").toString("base64") },
  };
}

/** The objects as a list in apply order (the Job last, after what it references). */
export function objectList(o: SuiteObjects): object[] {
  return [
    ...(o.serviceAccount ? [o.serviceAccount] : []),
    ...(o.role ? [o.role] : []),
    ...(o.roleBinding ? [o.roleBinding] : []),
    ...(o.overlay ? [o.overlay] : []),
    o.job,
  ];
}
