// Commands that talk to a cluster connect through the library's one way of doing it.
import { connectCluster } from "../api/connect.js";
import type { ClusterPort } from "../kube/port.js";
import type { GlobalOptions } from "./context.js";

export function connect(g: GlobalOptions): Promise<ClusterPort> {
  return connectCluster({ kubeconfig: g.kubeconfig, context: g.context });
}
