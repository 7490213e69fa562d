// The kubeconfig, loaded the way kubectl loads it, and what the port reports of it: its
// current context and the cluster server every request goes to.
import { KubeConfig } from "../vendor/kube.js";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import type { ContextInfo } from "./port.js";

export interface ClusterOptions {
  kubeconfig?: string;
  context?: string;
}

/**
 * Nothing for loadFromDefault to load: no $KUBECONFIG, not in a pod, no ~/.kube/config. The
 * client would silently fall back to http://localhost:8080. Pure but for `exists`.
 */
export function noDefaultKubeconfig(env: NodeJS.ProcessEnv, exists: (path: string) => boolean): boolean {
  return !env.KUBECONFIG && !env.KUBERNETES_SERVICE_HOST && !exists(join(env.HOME ?? "", ".kube", "config"));
}

/** Loads the kubeconfig the way kubectl does: --kubeconfig, else $KUBECONFIG, else ~/.kube/config. */
export function loadKubeConfig(opts: ClusterOptions): KubeConfig {
  const kc = new KubeConfig();
  if (opts.kubeconfig) kc.loadFromFile(opts.kubeconfig);
  else {
    // With nothing to load, the client silently falls back to http://localhost:8080; say so instead.
    if (noDefaultKubeconfig(process.env, existsSync)) {
      const fix = "pass --kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config";
      throw new UsageError("no kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist", [fix]);
    }
    kc.loadFromDefault();
  }
  if (opts.context) {
    if (!kc.getContextObject(opts.context)) {
      const known = kc.getContexts().map((c) => c.name);
      const problem = `--context "${opts.context}" is not in the kubeconfig (known: ${known.join(", ") || "none"})`;
      throw new UsageError(problem, ["pick a context from `kubectl config get-contexts`"]);
    }
    kc.setCurrentContext(opts.context);
  }
  return kc;
}

/** The current context's cluster server; a UsageError when the context names none. */
export function currentServer(kc: KubeConfig): string {
  const server = kc.getCurrentCluster()?.server;
  if (server) return server;
  const fix = "pass --kubeconfig <file> with a cluster and its server, or pick another context: `kubectl config get-contexts`";
  throw new UsageError("the kubeconfig's current context names no cluster server", [fix]);
}

/** The current context, its cluster, server, user and default namespace. */
export function contextInfo(kc: KubeConfig): ContextInfo {
  const ctxName = kc.getCurrentContext();
  const ctx = kc.getContextObject(ctxName);
  const cluster = kc.getCurrentCluster();
  return {
    context: ctxName,
    cluster: cluster?.name ?? "",
    server: cluster?.server ?? "",
    user: ctx?.user ?? "",
    ...(ctx?.namespace ? { namespace: ctx.namespace } : {}),
  };
}
