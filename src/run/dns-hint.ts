// When a failed test printed a name-resolution error, the suite's hint names the env entries whose
// host is not an existing Service and the nearest Service (the matching is diagnose/dns.ts).
import type { ResolvedSuite } from "../config/resolve.js";
import { dnsHint, dnsSuspects } from "../diagnose/dns.js";
import type { ClusterPort } from "../kube/port.js";
import type { SuiteResult } from "../results/run-result.js";

/** The result with the DNS hint in front of the usual one; unchanged when no env entry is to blame or Services cannot be listed. */
export async function withDnsHint(port: ClusterPort, suite: ResolvedSuite, result: SuiteResult): Promise<SuiteResult> {
  let services: string[];
  try {
    services = await port.listServices(suite.namespace);
  } catch {
    return result; // may not list Services: the usual hint stands
  }
  const hint = dnsHint(dnsSuspects(suite.env, suite.namespace, services), suite.namespace);
  return hint ? { ...result, hint: result.hint ? `${hint}\n${result.hint}` : hint } : result;
}
