// A failed test that could not resolve a name: which env entries hold a host that is not an
// existing Service of the namespace, and the nearest Service name. Pure: the Service list is passed in.
import { nearest } from "../config/suggest.js";

/** Name-resolution errors as Python, Node, Go and curl print them. */
const RESOLUTION_ERRORS = [
  /Name or service not known/,
  /Temporary failure in name resolution/,
  /\bgetaddrinfo ENOTFOUND\b|\bENOTFOUND\b/,
  /\bno such host\b/,
  /Could not resolve host/,
  /NameResolutionError/,
] as const;
// One alternation, so each log line is scanned once: every line of a run passes here (800,000
// lines echoed from a pod's copy took 66 ms with six separate tests, 10 ms with one).
const ANY_RESOLUTION_ERROR = new RegExp(RESOLUTION_ERRORS.map((re) => re.source).join("|"));

export function isResolutionFailure(line: string): boolean {
  return ANY_RESOLUTION_ERROR.test(line);
}

export interface DnsSuspect {
  env: string;
  host: string;
  service: string;
  /** The nearest existing Service name, if one is close. */
  suggestion?: string;
}

/** The host of an env value: a URL's host, or the value itself when it looks like a host name. */
export function hostOf(value: string): string | undefined {
  const url = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#@]+@)?([^/:?#]+)/i.exec(value.trim());
  const host = url ? url[2] : value.trim();
  return host && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(host) ? host.toLowerCase() : undefined;
}

/** <svc>.<ns>.svc.cluster.local, <svc>.<ns>.svc, <svc>.<ns> or <svc>: the Service and namespace it names. */
export function serviceOf(host: string, namespace: string): { service: string; namespace: string } | undefined {
  const parts = host.split(".");
  const [svc, ns] = parts;
  if (!svc) return undefined;
  if (parts.length === 1) return { service: svc, namespace };
  const rest = parts.slice(2).join(".");
  if (ns && (rest === "" || rest === "svc" || rest === "svc.cluster.local")) return { service: svc, namespace: ns };
  return undefined;
}

/** Env entries whose host would be a Service of `namespace` that does not exist. */
export function dnsSuspects(env: Record<string, string>, namespace: string, services: readonly string[]): DnsSuspect[] {
  const out: DnsSuspect[] = [];
  for (const [name, value] of Object.entries(env)) {
    const host = hostOf(value);
    const svc = host ? serviceOf(host, namespace) : undefined;
    // Only our namespace's Services were listed; a host elsewhere is not judged.
    if (!host || !svc || svc.namespace !== namespace || services.includes(svc.service)) continue;
    // A bare word that is no Service (PORT=50055, MODE=fast) is not a host.
    if (!host.includes(".") && !/^[a-z]+:\/\//i.test(value)) continue;
    const suggestion = nearest(svc.service, services);
    out.push({ env: name, host, service: svc.service, ...(suggestion ? { suggestion } : {}) });
  }
  return out;
}

export function dnsHint(suspects: readonly DnsSuspect[], namespace: string): string | undefined {
  if (!suspects.length) return undefined;
  const each = suspects.map(
    (s) =>
      `env ${s.env} names host ${s.host}, but namespace ${namespace} has no Service "${s.service}"` +
      `${s.suggestion ? `; did you mean "${s.suggestion}" (${s.host.replace(s.service, s.suggestion)})?` : ""}`,
  );
  return `the tests could not resolve a host name: ${each.join("; ")} (\`kubectl get svc -n ${namespace}\` lists the Services)`;
}
