// The real ClusterPort: with the other files of kube/, the only code that talks to Kubernetes,
// through @kubernetes/client-node's API classes and one shared Transport (one HTTP/2
// connection for every call, watch and log stream). Loaded lazily by the CLI so that commands
// which never contact a cluster do not pay the client's import cost.
// This file only assembles the port: the shared state is the KubeConnection (connection.ts),
// and each method is a function of the file that owns its concern.
import { realSetTimer, type SetTimer } from "../timers.js";
import { accessReview, apiGroups, namespaceExists, nodePlatforms, serverVersion } from "./cluster-info.js";
import { openConnection } from "./connection.js";
import { execCommand } from "./exec.js";
import { openLogStream } from "./http-stream.js";
import { contextInfo, currentServer, loadKubeConfig } from "./kubeconfig.js";
import type { ClusterOptions } from "./kubeconfig.js";
import { listKind, watchKind } from "./list-watch.js";
import { applyObject, createObject, deleteCollection, deleteObject, setOwner, writeConfigMap } from "./objects.js";
import type { ClusterPort } from "./port.js";
import { getConfigMap, listApplied, listConfigMaps, listServices, objectExists, readConfigMaps } from "./reads.js";

export type { ClusterOptions } from "./kubeconfig.js";
export { loadKubeConfig } from "./kubeconfig.js";

/** `setTimer`: the owner's timers (retry delays after 429/503); default the real clock. */
export function createClusterPort(opts: ClusterOptions & { setTimer?: SetTimer }): ClusterPort {
  const setTimer = opts.setTimer ?? realSetTimer;
  const kc = loadKubeConfig(opts);
  const conn = openConnection(kc, currentServer(kc), (ms) => new Promise((resolve) => void setTimer(resolve, ms)));
  const { transport } = conn;
  return {
    apiStats: () => ({ ...transport.stats }),
    ready: async () => void (await conn.credentials()),
    dropConnection: (why) => transport.drop(why),
    onConnectivity: (listener) => transport.onConnectivity(listener),
    context: () => contextInfo(kc),
    serverVersion: () => serverVersion(conn),
    apiGroups: () => apiGroups(conn),
    nodePlatforms: () => nodePlatforms(conn),
    namespaceExists: (namespace) => namespaceExists(conn, namespace),
    accessReview: (checks) => accessReview(conn, checks),
    apply: (obj) => applyObject(conn, obj),
    create: (obj) => createObject(conn, obj),
    delete: (kind, namespace, name, opts) => deleteObject(conn, kind, namespace, name, opts),
    deleteCollection: (kind, namespace, labelSelector, opts) => deleteCollection(conn, kind, namespace, labelSelector, opts),
    setOwner: (namespace, configMap, owner) => setOwner(conn, namespace, configMap, owner),
    listApplied: (namespace, labelSelector) => listApplied(conn, namespace, labelSelector),
    listConfigMaps: (namespace, labelSelector) => listConfigMaps(conn, namespace, labelSelector),
    readConfigMaps: (namespace, labelSelector) => readConfigMaps(conn, namespace, labelSelector),
    getConfigMap: (namespace, name) => getConfigMap(conn, namespace, name),
    writeConfigMap: (cm) => writeConfigMap(conn, cm),
    listServices: (namespace) => listServices(conn, namespace),
    exists: (kind, namespace, name) => objectExists(conn, kind, namespace, name),
    list: (kind, namespace, selector) => listKind(conn, kind, namespace, selector),
    watch: (kind, namespace, selector, resourceVersion, handlers) => watchKind(conn, kind, namespace, selector, resourceVersion, handlers),
    logs: (req, handlers) => openLogStream(transport, req, handlers),
    exec: (req, stdout, stderr) => execCommand(conn, req, stdout, stderr),
  };
}
