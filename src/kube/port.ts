// The one narrow port between incluster and Kubernetes (STYLE.md: chainsaw's client,
// sonobuoy's 4-method API client). The orchestrator depends on this interface only; the real
// implementation is kube/client.ts, and unit tests pass a hand-written fake.
import type { Job, KubeEvent, KubeObject, Pod } from "../k8s-types.js";

export type WatchedKind = "jobs" | "pods" | "events";
export interface KindMap { jobs: Job; pods: Pod; events: KubeEvent }

export interface Selector {
  labelSelector?: string;
  fieldSelector?: string;
  /** For lists only: how many items to return (the resourceVersion comes regardless). */
  limit?: number;
}

export interface ListResult<T> {
  items: T[];
  resourceVersion: string;
}

export interface WatchHandlers<T> {
  /** ADDED/MODIFIED/DELETED for objects; BOOKMARK carries only a resourceVersion. */
  onEvent(type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK", obj: T): void;
  /** The stream ended: normally (server timeout), or with an error (410 Gone has status 410). */
  onClose(err: KubeError | undefined): void;
}

export interface WatchHandle {
  stop(): void;
}

export interface LogRequest {
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  /** RFC3339; the API has one-second precision here. */
  sinceTime?: string;
}

export interface LogHandlers {
  onData(chunk: string): void;
  /** The stream ended (EOF) or broke (err). Either way the caller decides whether to resume. */
  onClose(err: KubeError | undefined): void;
}

export interface AccessCheck {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string;
}

export interface AccessResult extends AccessCheck {
  allowed: boolean;
  reason?: string;
}

export interface ContextInfo {
  context: string;
  cluster: string;
  server: string;
  user: string;
  namespace?: string;
}

/** An API failure, reduced to what decisions need: HTTP status, Kubernetes reason, message. */
export interface KubeError {
  status?: number;
  reason?: string;
  message: string;
  /** The API could not be reached at all (connection refused, DNS, TLS). */
  unreachable?: boolean;
  /** The Status object's details: which kind and name a 404 or 409 is about. */
  details?: { kind?: string; name?: string };
}

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
}

/** A ConfigMap whole, as the history store reads and writes it (binaryData values are base64, as the API has them). */
export interface ConfigMapData {
  name: string;
  namespace: string;
  /** Set on what was read; on a write, the version it replaces (absent: create). */
  resourceVersion?: string;
  labels: Record<string, string>;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
}

export interface ExecRequest {
  namespace: string;
  pod: string;
  container: string;
  command: readonly string[];
  /** Given: the command's stdin (e.g. an interactive shell). */
  stdin?: NodeJS.ReadableStream;
  tty?: boolean;
  /** Aborted: the exec's connection is closed and it resolves at once (exitCode undefined). */
  signal?: AbortSignal;
}

export interface ExecResult {
  /** The command's exit code; undefined when the API did not say (stream broke). */
  exitCode: number | undefined;
  /** Set when the exec could not be started or broke (403: pods/exec denied). */
  error?: KubeError;
}

/** What this process sent to the API server (the real port counts; fakes need not). */
export interface ApiStats {
  /** Every request sent, streams and retries included. */
  requests: number;
  /** Of those, watches and log follows. */
  streams: number;
  /** Of those, repeats after a 429/503. */
  retries: number;
  /** TCP connections opened to the API server (HTTP/2: one, unless the server went away). */
  connections: number;
  /** Most unary requests in flight at once (capped). */
  peakInFlight: number;
  /** pods/exec commands run (each its own WebSocket connection, counted in requests and connections too). */
  execs?: number;
  /** Most pods/exec connections open at once. */
  peakExecs?: number;
  /** Log follows allowed open at once (the server's stream limit less room for requests and watches). */
  followLimit?: number;
  /** Most log follows open at once, and most waiting for one to end. */
  peakFollows?: number;
  peakFollowsWaiting?: number;
}

/** The API server stopped answering (the error that showed it), or answers again. */
export type Connectivity = { reachable: false; error: KubeError } | { reachable: true };

export interface ClusterPort {
  context(): ContextInfo;
  /**
   * Tells the listener each time the API server becomes unreachable and each time it answers
   * again (once per change; requests keep being retried by their callers). Returns the
   * unsubscribe function. Absent on ports that cannot tell.
   */
  onConnectivity?(listener: (c: Connectivity) => void): () => void;
  /** Requests and connections so far; absent on ports that do not count. */
  apiStats?(): ApiStats;
  /**
   * Resolves when the kubeconfig's credentials are loaded (an exec plugin may take seconds, or
   * prompt); contacts no API server. Deadlines on the server's answers start after it.
   */
  ready?(): Promise<void>;
  /** The server did not answer in time: every request waiting on it fails now as unreachable. */
  dropConnection?(why: string): void;
  serverVersion(): Promise<string>;
  /** Names of the API groups the server serves (discovery, GET /apis). Optional: a port without it tells nothing. */
  apiGroups?(): Promise<string[]>;
  /** os/arch of every node (kubernetes.io/os, kubernetes.io/arch labels); [] when nodes may not be listed. */
  nodePlatforms(): Promise<string[]>;
  namespaceExists(namespace: string): Promise<boolean>;
  accessReview(checks: readonly AccessCheck[]): Promise<AccessResult[]>;
  /** Server-side apply with field manager "incluster". */
  apply(obj: KubeObject): Promise<void>;
  create<T extends KubeObject>(obj: T): Promise<T>;
  /** Returns false when the object was already gone. */
  delete(
    kind: "jobs" | "pods" | "configmaps",
    namespace: string,
    name: string,
    /** Jobs default to Background propagation; Orphan leaves the pods for the caller to delete. */
    opts?: { gracePeriodSeconds?: number; propagation?: "Background" | "Orphan" },
  ): Promise<boolean>;
  /**
   * Deletes every object the label selector matches in one request (verb "deletecollection");
   * returns their names. Optional: a port without it is sent one delete per object.
   */
  deleteCollection?(
    kind: "jobs" | "pods",
    namespace: string,
    labelSelector: string,
    opts?: { gracePeriodSeconds?: number; propagation?: "Background" | "Orphan" },
  ): Promise<string[]>;
  /** Makes a ConfigMap owned by another object (a run's Job): the garbage collector deletes it with its owner. */
  setOwner(namespace: string, configMap: string, owner: OwnerRef): Promise<void>;
  /** ServiceAccounts, Roles and RoleBindings by label, whole: a run skips applying those already in place. Optional. */
  listApplied?(namespace: string, labelSelector: string): Promise<KubeObject[]>;
  /** ConfigMaps by label (names and labels only): `clean` finds overlays their Job no longer owns. */
  listConfigMaps(namespace: string, labelSelector: string): Promise<KubeObject[]>;
  /** ConfigMaps by label, whole (data, binaryData, resourceVersion): the history store's one read of a run. */
  readConfigMaps(namespace: string, labelSelector: string): Promise<ConfigMapData[]>;
  /** One ConfigMap whole; undefined when it does not exist (403 and the rest are thrown). */
  getConfigMap(namespace: string, name: string): Promise<ConfigMapData | undefined>;
  /**
   * Creates the ConfigMap (no resourceVersion) or replaces it if it is still at `resourceVersion`
   * (optimistic concurrency). Someone else's write in between is a KubeError with status 409
   * (Conflict, or AlreadyExists for a create). Returns the new resourceVersion.
   */
  writeConfigMap(cm: ConfigMapData): Promise<string>;
  /** Names of the namespace's Services: the DNS diagnosis and doctor match env hosts against them. */
  listServices(namespace: string): Promise<string[]>;
  /**
   * Whether a Secret, ConfigMap or ServiceAccount exists (a get; its data is never read into our output).
   * Throws KubeError (403 when the user may not get it: the caller says it could not check).
   */
  exists(kind: "secrets" | "configmaps" | "serviceaccounts", namespace: string, name: string): Promise<boolean>;
  list<K extends WatchedKind>(kind: K, namespace: string, selector: Selector): Promise<ListResult<KindMap[K]>>;
  watch<K extends WatchedKind>(kind: K, namespace: string, selector: Selector, resourceVersion: string, handlers: WatchHandlers<KindMap[K]>): WatchHandle;
  logs(req: LogRequest, handlers: LogHandlers): WatchHandle;
  /** Runs a command in a running container (pods/exec), streaming its output. */
  exec(req: ExecRequest, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Promise<ExecResult>;
}
