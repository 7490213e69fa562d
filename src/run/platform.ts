// Whether the cluster assigns pods their uid and fsGroup (OpenShift's restricted-v2 SCC gives each
// pod one from its namespace's range and refuses others, such as incluster's default 1000). It is
// told by API discovery: a server that serves PLATFORM_IDENTITY_GROUP is OpenShift. The preflight
// asks in its one round of requests; the orchestrator then renders such suites with runAsUser: auto.
// Pure: `assignsIdentity`, `identityCheck`; the I/O is in `platformIdentity`.
import { PLATFORM_IDENTITY_GROUP } from "../config/resolve.js";
import { toKubeError } from "../kube/errors.js";
import type { ClusterPort } from "../kube/port.js";
import { uncheckedCheck, type PreflightCheck } from "./checks.js";

export const IDENTITY_CHECK = `cluster assigns pod uids (API group ${PLATFORM_IDENTITY_GROUP})`;

/** A cluster serving these API groups assigns every pod its uid and fsGroup. Pure. */
export function assignsIdentity(groups: readonly string[]): boolean {
  return groups.includes(PLATFORM_IDENTITY_GROUP);
}

/** The preflight's (and doctor's) line for what discovery showed. Pure. */
export function identityCheck(groups: readonly string[]): PreflightCheck {
  return assignsIdentity(groups)
    ? { name: IDENTITY_CHECK, ok: true, detail: "yes: suites without securityContext.runAsUser run as runAsUser: auto (no runAsUser or fsGroup in the pod)" }
    : { name: IDENTITY_CHECK, ok: true, detail: "no: pods run as uid 1000 unless securityContext.runAsUser says otherwise" };
}

/**
 * Asks the server's API groups (discovery, which every authenticated user may read). A port that
 * cannot tell adds no line; a failed discovery is a line that says so, and no suite changes.
 */
export async function platformIdentity(port: ClusterPort): Promise<{ checks: PreflightCheck[]; assignsIdentity: boolean }> {
  if (!port.apiGroups) return { checks: [], assignsIdentity: false };
  try {
    const groups = await port.apiGroups();
    return { checks: [identityCheck(groups)], assignsIdentity: assignsIdentity(groups) };
  } catch (err) {
    const why = `API discovery failed: ${toKubeError(err).message}; set securityContext.runAsUser: auto on OpenShift`;
    return { checks: [uncheckedCheck(IDENTITY_CHECK, why)], assignsIdentity: false };
  }
}
