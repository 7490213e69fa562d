// Loads the Kubernetes client only when a command needs the cluster (performance.md: the
// client costs ~0.75 s to import; render/validate/scaffold/init never pay it).
import { UsageError } from "../errors.js";
import type { ClusterPort } from "../kube/port.js";
import type { GlobalOptions } from "./context.js";

export async function connect(g: GlobalOptions): Promise<ClusterPort> {
  const { createClusterPort } = await import("../kube/client.js");
  try {
    return createClusterPort({ ...(g.kubeconfig ? { kubeconfig: g.kubeconfig } : {}), ...(g.context ? { context: g.context } : {}) });
  } catch (err) {
    const e = err as Error & { usage?: boolean };
    if (e.usage) throw new UsageError(e.message, [e.message.startsWith("no kubeconfig") ? "pass --kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config" : "pick a context from `kubectl config get-contexts`"]);
    throw new UsageError(`cannot load the kubeconfig: ${e.message}`, ["pass --kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config"]);
  }
}
