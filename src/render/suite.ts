// One suite's objects, in apply order: ServiceAccount, Role, RoleBinding, then the Job that uses them.
import type { ResolvedSuite } from "../config/resolve.js";
import { renderJob } from "./job.js";
import type { SuiteObjects } from "./objects.js";
import { renderRole, renderRoleBinding, renderServiceAccount } from "./rbac.js";

export interface RenderOptions {
  /** Appended to the Job name and set as the incluster.dev/run-id label. */
  runId?: string | undefined;
}

export function renderSuite(suite: ResolvedSuite, opts: RenderOptions = {}): SuiteObjects {
  return {
    serviceAccount: renderServiceAccount(suite),
    ...(suite.kubernetesAccess ? { role: renderRole(suite), roleBinding: renderRoleBinding(suite) } : {}),
    job: renderJob(suite, opts.runId),
  };
}

/** The objects as a list in apply order (the Job last, after what it references). */
export function objectList(o: SuiteObjects): object[] {
  return [o.serviceAccount, ...(o.role ? [o.role] : []), ...(o.roleBinding ? [o.roleBinding] : []), o.job];
}
