// A hand-written fake of our own narrow ClusterPort (STYLE.md: chainsaw's fake client), for
// orderings that are hard to produce on a real cluster: watch 410, events before their pod,
// a pod deleted under us, a log stream cut mid-line. Tests drive it step by step.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Job, KubeEvent, KubeObject, Pod } from "../../../src/k8s-types.js";
import { ARTIFACTS_SUBDIR } from "../../../src/names.js";
import { COLLECT_ACK } from "../../../src/run/collect.js";
import type { ReportFiles } from "../../../src/run/files.js";
import type {
  AccessCheck,
  AccessResult,
  ConfigMapData,
  ExecRequest,
  ClusterPort,
  Connectivity,
  KindMap,
  KubeError,
  ListResult,
  LogHandlers,
  LogRequest,
  OwnerRef,
  Selector,
  WatchedKind,
  WatchHandle,
  WatchHandlers,
} from "../../../src/kube/port.js";

interface OpenWatch {
  kind: WatchedKind;
  selector: Selector;
  from: string;
  handlers: WatchHandlers<never>;
  open: boolean;
}

export interface OpenLog {
  req: LogRequest;
  handlers: LogHandlers;
  open: boolean;
}

function matches(obj: KubeObject, selector: Selector): boolean {
  if (!selector.labelSelector) return true;
  return selector.labelSelector.split(",").every((term) => {
    // "key=value", or "key": the label exists (as `incluster status` selects runs).
    const [k, v] = term.split("=");
    const label = obj.metadata?.labels?.[k ?? ""];
    return v === undefined ? label !== undefined : label === v;
  });
}

export class FakeCluster implements ClusterPort {
  rv = 100;
  readonly store: { [K in WatchedKind]: Map<string, KindMap[K]> } = { jobs: new Map(), pods: new Map(), events: new Map() };
  readonly watches: OpenWatch[] = [];
  readonly logRequests: OpenLog[] = [];
  readonly calls: string[] = [];
  denied = new Set<string>();
  namespaces = new Set(["ns"]);
  /** Containers whose log requests end at once, empty (e.g. a quiet clone). */
  emptyLogs = new Set(["clone-repo"]);
  /** Called when a Job is created, so a test can script the cluster's reaction. */
  onCreate: ((job: Job) => void) | undefined;
  /** Every list call, with its selector (a relist after 410 must not be limited). */
  readonly lists: { kind: WatchedKind; selector: Selector }[] = [];
  /** Kinds whose list fails (e.g. a watch that cannot start: 403). */
  readonly failingLists = new Map<WatchedKind, KubeError>();
  /** When set, create() of a Job waits for this promise (an interrupt can land meanwhile). */
  createGate: Promise<void> | undefined;

  context() {
    return { context: "fake", cluster: "fake", server: "https://fake", user: "tester" };
  }
  /** Who listens for the API server going away and coming back (tests call connectivity()). */
  readonly connectivityListeners = new Set<(c: Connectivity) => void>();
  onConnectivity(listener: (c: Connectivity) => void): () => void {
    this.connectivityListeners.add(listener);
    return () => this.connectivityListeners.delete(listener);
  }
  /** What /version answers: a gitVersion, a failure, or never (a silent server). */
  version: string | KubeError | "silent" = "v1.34.4";
  /** Why the preflight dropped the connection, each time it did. */
  readonly dropped: string[] = [];
  async serverVersion() {
    const v = this.version;
    if (v === "silent") return new Promise<string>(() => undefined);
    if (typeof v !== "string") throw v;
    return v;
  }
  dropConnection(why: string) {
    this.dropped.push(why);
  }
  async nodePlatforms() {
    return ["linux/amd64"];
  }
  async namespaceExists(ns: string) {
    return this.namespaces.has(ns);
  }
  async accessReview(checks: readonly AccessCheck[]): Promise<AccessResult[]> {
    return checks.map((c) => ({ ...c, allowed: !this.denied.has(`${c.verb} ${c.resource}`) && !(c.subresource && this.denied.has(`${c.verb} ${c.resource}/${c.subresource}`)) }));
  }
  async apply(obj: KubeObject) {
    this.calls.push(`apply ${obj.kind}/${obj.metadata?.name}`);
  }
  async create<T extends KubeObject>(obj: T): Promise<T> {
    this.calls.push(`create ${obj.kind}/${obj.metadata?.name}`);
    if (obj.kind === "Job" && this.createGate) await this.createGate;
    const job = { ...obj, metadata: { ...obj.metadata, uid: `uid-${obj.metadata?.name}`, creationTimestamp: new Date().toISOString() } } as T;
    if (obj.kind !== "Job") return job;
    this.put("jobs", job as unknown as Job);
    this.onCreate?.(job as unknown as Job);
    return job;
  }
  async setOwner(_ns: string, name: string, owner: OwnerRef) {
    this.calls.push(`own configmap/${name} by ${owner.kind}/${owner.name}`);
  }
  /** Services by namespace, for the DNS diagnosis and doctor. */
  services = new Map<string, string[]>();
  /** Secrets and ConfigMaps that do not exist, as "secrets/ns/name" (all others do); forbidden ones answer 403. */
  readonly absent = new Set<string>();
  readonly forbiddenGets = new Set<string>();
  async listServices(ns: string): Promise<string[]> {
    return this.services.get(ns) ?? [];
  }
  async exists(kind: "secrets" | "configmaps" | "serviceaccounts", ns: string, name: string): Promise<boolean> {
    const key = `${kind}/${ns}/${name}`;
    if (this.forbiddenGets.has(key)) throw { status: 403, reason: "Forbidden", message: `${kind} "${name}" is forbidden` } satisfies KubeError;
    return !this.absent.has(key);
  }
  async listConfigMaps(): Promise<KubeObject[]> {
    return [];
  }
  /** Whole ConfigMaps by "ns/name" (the history store's), with the API server's optimistic concurrency. */
  readonly configMaps = new Map<string, ConfigMapData>();
  /** Set: every ConfigMap read or write fails with it (403: no permission). */
  configMapError: KubeError | undefined;
  async readConfigMaps(ns: string, labelSelector: string): Promise<ConfigMapData[]> {
    if (this.configMapError) throw this.configMapError;
    return [...this.configMaps.values()].filter((c) => c.namespace === ns && matches({ metadata: { labels: c.labels } }, { labelSelector }));
  }
  async getConfigMap(ns: string, name: string): Promise<ConfigMapData | undefined> {
    if (this.configMapError) throw this.configMapError;
    return this.configMaps.get(`${ns}/${name}`);
  }
  async writeConfigMap(cm: ConfigMapData): Promise<string> {
    if (this.configMapError) throw this.configMapError;
    const key = `${cm.namespace}/${cm.name}`;
    const had = this.configMaps.get(key);
    if (!cm.resourceVersion && had) throw { status: 409, reason: "AlreadyExists", message: "exists" } satisfies KubeError;
    if (cm.resourceVersion && had?.resourceVersion !== cm.resourceVersion) throw { status: 409, reason: "Conflict", message: "conflict" } satisfies KubeError;
    const resourceVersion = String(++this.rv);
    this.calls.push(`write configmap/${cm.name}`);
    this.configMaps.set(key, { ...cm, resourceVersion });
    return resourceVersion;
  }
  async delete(kind: "jobs" | "pods" | "configmaps", _ns: string, name: string) {
    this.calls.push(`delete ${kind}/${name}`);
    if (kind === "configmaps") return true;
    const obj = [...this.store[kind].values()].find((o) => o.metadata?.name === name);
    if (!obj) return false;
    this.remove(kind, obj);
    return true;
  }
  async list<K extends WatchedKind>(kind: K, _ns: string, selector: Selector): Promise<ListResult<KindMap[K]>> {
    this.lists.push({ kind, selector });
    const failure = this.failingLists.get(kind);
    if (failure) throw failure;
    const items = [...(this.store[kind] as Map<string, KindMap[K]>).values()].filter((o) => matches(o, selector));
    return { items: structuredClone(items), resourceVersion: String(this.rv) };
  }
  watch<K extends WatchedKind>(kind: K, _ns: string, selector: Selector, from: string, handlers: WatchHandlers<KindMap[K]>): WatchHandle {
    const w: OpenWatch = { kind, selector, from, handlers: handlers as WatchHandlers<never>, open: true };
    this.watches.push(w);
    return { stop: () => (w.open = false) };
  }
  logs(req: LogRequest, handlers: LogHandlers): WatchHandle {
    const l: OpenLog = { req, handlers, open: true };
    if (this.emptyLogs.has(req.container)) {
      // A container with no output: the stream ends at once.
      l.open = false;
      queueMicrotask(() => handlers.onClose(undefined));
    }
    this.logRequests.push(l);
    return { stop: () => (l.open = false) };
  }

  /** Scripted exec answers by container; default: exit 0 with no output. */
  /** Every exec, with what the client wrote to its stdin so far (the copy's answer, a dev round's tar). */
  execs: { req: ExecRequest; stdin: string }[] = [];
  execAnswer: (req: ExecRequest, stdout: NodeJS.WritableStream) => Promise<{ exitCode: number | undefined; error?: KubeError }> = async () => ({ exitCode: 0 });
  async exec(req: ExecRequest, stdout: NodeJS.WritableStream) {
    this.calls.push(`exec ${req.pod}/${req.container}: ${req.command.join(" ")}`);
    const entry = { req, stdin: "" };
    this.execs.push(entry);
    req.stdin?.on("data", (chunk: Buffer | string) => (entry.stdin += chunk.toString("latin1")));
    return this.execAnswer(req, stdout);
  }
  /** Copies the client told the collector came whole (COLLECT_COMMAND's answer on stdin). */
  collectedAcks(): number {
    return this.execs.filter((e) => e.stdin === `${COLLECT_ACK}\n`).length;
  }

  // ---- test controls ----

  /** Stores an object and tells every open watch of its kind that matches. */
  put<K extends WatchedKind>(kind: K, obj: KindMap[K]): void {
    this.rv++;
    const o = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv), uid: obj.metadata?.uid ?? `uid-${obj.metadata?.name}` } } as KindMap[K];
    const key = o.metadata?.uid ?? "";
    const existed = this.store[kind].has(key);
    (this.store[kind] as Map<string, KindMap[K]>).set(key, o);
    this.send(kind, existed ? "MODIFIED" : "ADDED", o);
  }

  remove<K extends WatchedKind>(kind: K, obj: KindMap[K]): void {
    this.rv++;
    this.store[kind].delete(obj.metadata?.uid ?? "");
    this.send(kind, "DELETED", { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv) } } as KindMap[K]);
  }

  /** Stores an object without telling any watch (what a client misses during a disconnect). */
  putSilently<K extends WatchedKind>(kind: K, obj: KindMap[K]): void {
    this.rv++;
    const o = { ...obj, metadata: { ...obj.metadata, resourceVersion: String(this.rv), uid: obj.metadata?.uid ?? `uid-${obj.metadata?.name}` } } as KindMap[K];
    (this.store[kind] as Map<string, KindMap[K]>).set(o.metadata?.uid ?? "", o);
  }

  /** Ends every open watch of a kind, as the API server does (err: e.g. 410 Gone). */
  closeWatches(kind: WatchedKind, err?: KubeError): void {
    for (const w of this.watches) {
      if (w.kind !== kind || !w.open) continue;
      w.open = false;
      w.handlers.onClose(err);
    }
  }

  /** The API server stops answering or answers again, as the real transport reports it. */
  connectivity(c: Connectivity): void {
    for (const fn of this.connectivityListeners) fn(c);
  }

  openWatches(kind: WatchedKind): OpenWatch[] {
    return this.watches.filter((w) => w.kind === kind && w.open);
  }

  openLogs(container?: string): OpenLog[] {
    return this.logRequests.filter((l) => l.open && (!container || l.req.container === container));
  }

  private send<K extends WatchedKind>(kind: K, type: "ADDED" | "MODIFIED" | "DELETED", obj: KindMap[K]): void {
    for (const w of this.watches) {
      if (w.kind === kind && w.open && matches(obj, w.selector)) (w.handlers as WatchHandlers<KindMap[K]>).onEvent(type, structuredClone(obj));
    }
  }
}

export function job(name: string, labels: Record<string, string>, status: Job["status"] = {}): Job {
  return { apiVersion: "batch/v1", kind: "Job", metadata: { name, namespace: "ns", labels, uid: `uid-${name}` }, status };
}

export function pod(name: string, labels: Record<string, string>, status: Pod["status"], created = "2026-11-24T00:00:00Z"): Pod {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "ns", labels, uid: `uid-${name}`, creationTimestamp: created }, spec: { nodeName: "node1" }, status };
}

export function event(name: string, involved: string, reason: string, message: string, type = "Normal"): KubeEvent {
  return { metadata: { name, namespace: "ns", uid: `uid-ev-${name}` }, involvedObject: { kind: "Pod", name: involved }, reason, message, type, count: 1, lastTimestamp: "2026-11-24T00:00:01Z" };
}

/** Lets queued promise callbacks and zero-delay timers run. */
export async function settle(times = 5): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setImmediate(r));
}

/** The report files in memory: log lines by "<suite>/<container>", JSON documents by path. */
export function memoryFiles(failing: Set<string> = new Set()): ReportFiles & { lines: Record<string, string[]>; json: Map<string, unknown>; copies: Record<string, string[]> } {
  const lines: Record<string, string[]> = {};
  const copies: Record<string, string[]> = {};
  const json = new Map<string, unknown>();
  const failures: { path: string; code: string; message: string }[] = [];
  return {
    lines,
    json,
    copies,
    prepare: () => undefined,
    appendLog: (s, c, l) => {
      if (failing.has(`${s}/${c}`)) {
        if (!failures.some((f) => f.path === `runs/${s}/${c}.log`)) failures.push({ path: `runs/${s}/${c}.log`, code: "ENOSPC", message: "no space left on device" });
        return;
      }
      (lines[`${s}/${c}`] ??= []).push(l);
    },
    logPath: (s, c) => `runs/${s}/${c}.log`,
    writeJson: async (p, d) => void json.set(p, d),
    failures: () => failures,
    scratchDir: () => mkdtempSync(join(tmpdir(), "incluster-scratch-")),
    discardScratch: (scratch) => rmSync(scratch, { recursive: true, force: true }),
    // A pod's own copy (copies["<suite>/<container>"]) replaces the streamed lines, as on disk.
    // Only one that came whole (copyLines: counted as it streamed in).
    // Artifacts stay in the scratch folder, where a suite's report is read from (artifactsPath).
    adoptCollected: async (s, c, scratch, _pod, copyLines) => {
      const streamedLines = lines[`${s}/${c}`]?.length ?? 0;
      const artifacts = join(scratch, ARTIFACTS_SUBDIR);
      const at = existsSync(artifacts) ? { artifactsDir: `runs/${s}/${ARTIFACTS_SUBDIR}`, artifactsPath: artifacts } : {};
      const copy = copies[`${s}/${c}`];
      if (!copy || copyLines === undefined) return { ...at, streamedLines };
      lines[`${s}/${c}`] = [...copy];
      return { ...at, streamedLines, copyLines: copy.length };
    },
    close: async () => undefined,
  };
}
