// What every request of the process shares, as one explicit value: the kubeconfig, its
// credentials (loaded once), the one Transport (one connection for every call, watch and log
// stream) and client-node's API classes sending through it.
import { AuthorizationV1Api, BatchV1Api, CoreV1Api, KubernetesObjectApi, RbacAuthorizationV1Api } from "../vendor/kube.js";
import type { Configuration, KubeConfig } from "@kubernetes/client-node";
import { kubeconfigCredentials, transportConfiguration } from "./api-config.js";
import { Transport } from "./transport.js";
import type { Credentials } from "./link.js";
import type { Sleep } from "./transport.js";

export interface KubeConnection {
  readonly kc: KubeConfig;
  /** The kubeconfig's TLS material and headers: loaded on first use (an exec plugin may take seconds), then kept. */
  readonly credentials: () => Promise<Credentials>;
  readonly transport: Transport;
  /** For the API classes made per call (VersionApi). */
  readonly config: Configuration;
  readonly core: CoreV1Api;
  readonly batch: BatchV1Api;
  readonly authz: AuthorizationV1Api;
  readonly rbac: RbacAuthorizationV1Api;
  /** Other kinds than those paths.ts knows: the client's discovery, cached for the process. */
  readonly objects: KubernetesObjectApi;
}

/** Opens nothing yet: the transport connects on the first request. `sleep`: the retry delays after 429/503. */
export function openConnection(kc: KubeConfig, server: string, sleep: Sleep): KubeConnection {
  // Credentials once per process (the TLS material), headers refreshed by the client's own cache.
  let creds: Promise<Credentials> | undefined;
  const credentials = () => (creds ??= kubeconfigCredentials(kc));
  const transport = new Transport({ server, credentials, sleep });
  const config = transportConfiguration(server, transport);
  return {
    kc,
    credentials,
    transport,
    config,
    core: new CoreV1Api(config),
    batch: new BatchV1Api(config),
    authz: new AuthorizationV1Api(config),
    rbac: new RbacAuthorizationV1Api(config),
    objects: new KubernetesObjectApi(config),
  };
}
