// The cluster port from a kubeconfig, loaded lazily: the Kubernetes client costs ~0.75 s to
// import (performance.md), and render/validate/scaffold/init never pay it.
import { UsageError } from "../errors.js";
import type { ClusterPort } from "../kube/port.js";
import { realSetTimer } from "../timers.js";

export interface ConnectOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
}

/** A missing or unreadable kubeconfig, or an unknown context, is a usage error (exit 2); nothing is contacted. */
export async function connectCluster(o: ConnectOptions): Promise<ClusterPort> {
  const { createClusterPort } = await import("../kube/client.js");
  try {
    return createClusterPort({ setTimer: realSetTimer, ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}), ...(o.context ? { context: o.context } : {}) });
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot load the kubeconfig${o.kubeconfig ? ` ${o.kubeconfig}` : ""}${code ? ` (${code})` : ""}`,
      ["pass --kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config"],
      { cause: err },
    );
  }
}
