// What the library's status, logs, clean and debug take to reach a namespace: a kubeconfig (or a
// port), and the namespace as kubectl users expect it: the given one > the config's > the
// kubeconfig context's > "default".
import { DEFAULT_NAMESPACE } from "../config/resolve.js";
import { resolveOverrides } from "../config/overrides.js";
import type { Config } from "../config/schema.js";
import { CouldNotRunError, UsageError } from "../errors.js";
import { isKubeError } from "../kube/errors.js";
import type { ClusterPort } from "../kube/port.js";
import { RUN_ID_PATTERN } from "../run/run-id.js";
import { connectCluster } from "./connect.js";

export interface ClusterAccess {
  /** kubeconfig file; default KUBECONFIG, ~/.kube/config, or the in-cluster ServiceAccount. */
  kubeconfig?: string;
  context?: string;
  /** Beats the config's; default: the config's, else the kubeconfig context's, else "default". */
  namespace?: string;
  /** A loaded config (loadConfig applies INCLUSTER_NAMESPACE to it): its namespace, when `namespace` is not given. */
  config?: Config;
  /** A ClusterPort to use instead of one made from the kubeconfig (tests, other tools). */
  port?: ClusterPort;
}

export interface NamespaceSources {
  /** -n/--namespace or INCLUSTER_NAMESPACE, already checked (resolveOverrides). */
  override?: string | undefined;
  /** The config file's `namespace`. */
  file?: string | undefined;
  /** The kubeconfig context's namespace. */
  context?: string | undefined;
}

/** The first namespace named, by precedence. */
export function pickNamespace(s: NamespaceSources): string {
  return s.override || s.file || s.context || DEFAULT_NAMESPACE;
}

/** A run id as newRunId makes them (it goes into a label selector); anything else is a UsageError naming `label`. */
export function checkRunId(runId: string | undefined, label = "runId"): void {
  if (runId === undefined || RUN_ID_PATTERN.test(runId)) return;
  throw new UsageError(`${label}: expected a run id like 5g0l9b, got ${JSON.stringify(runId)}`, ["incluster status lists the runs"]);
}

/**
 * The port, then the namespace. `namespace` and `config` are read only after connecting, and
 * `config` only when no namespace is given. A bad namespace or kubeconfig is a UsageError.
 */
export async function reach(o: ClusterAccess): Promise<{ port: ClusterPort; namespace: string }> {
  const port = o.port ?? (await connectCluster({ kubeconfig: o.kubeconfig, context: o.context }));
  const given = resolveOverrides({ namespaceFlag: o.namespace, env: {} }).namespace;
  return { port, namespace: given ?? pickNamespace({ file: o.config?.namespace, context: port.context().namespace }) };
}

/**
 * Runs a library function's cluster calls: a KubeError (every client error, reduced by
 * kube/errors.ts) that would leave it becomes a CouldNotRunError with a code, so callers and the
 * CLI see "cannot reach the Kubernetes API server: …" (exit 3), not a bare object.
 */
export async function onCluster<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw clusterFailure(err);
  }
}

/** A KubeError as the CouldNotRunError a library caller gets; anything else unchanged. */
export function clusterFailure(err: unknown): unknown {
  if (!isKubeError(err)) return err;
  if (err.unreachable) {
    return new CouldNotRunError(
      "CLUSTER_UNREACHABLE",
      `cannot reach the Kubernetes API server: ${err.message}`,
      "check --kubeconfig/--context (or KUBECONFIG) and that the server is up",
      { cause: err },
    );
  }
  const http = err.status !== undefined ? ` (HTTP ${err.status}${err.reason ? ` ${err.reason}` : ""})` : "";
  return new CouldNotRunError("CLUSTER_REQUEST_FAILED", `the Kubernetes API server refused a request${http}: ${err.message}`, undefined, { cause: err });
}
