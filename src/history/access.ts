// What the cluster store needs of whoever runs incluster: configmaps get, list, create and update
// in the suites' namespace. Not part of run's required access: without it the run goes on with one
// warning. doctor checks these and adds them to the Role it prints; render shows the rule. Pure.
import type { AccessCheck } from "../kube/port.js";

export const HISTORY_VERBS = ["create", "get", "list", "update"] as const;
export const HISTORY_WITHOUT = "the run keeps no history (incluster history, flake rates, new versus known failures); it goes on with one warning";

export function historyAccess(namespace: string): AccessCheck[] {
  return HISTORY_VERBS.map((verb) => ({ verb, group: "", resource: "configmaps", namespace }));
}

/** The Role rule the store needs, as render prints it. */
export function historyRule(): { apiGroups: string[]; resources: string[]; verbs: string[] } {
  return { apiGroups: [""], resources: ["configmaps"], verbs: [...HISTORY_VERBS] };
}
