// List-then-watch of one resource kind with resume: after a normal end the watch reopens from
// the last resourceVersion; after 410 Gone it relists and reports the difference, so no change
// is ever missed (kubectl's UntilWithSync, client-go's reflector). One KindWatch serves every
// suite of a run: suites subscribe, they do not open watches of their own.
import type { KubeObject } from "../k8s-types.js";
import type { ClusterPort, KindMap, KubeError, Selector, WatchedKind, WatchHandle } from "../kube/port.js";
import type { SetTimer, Timer } from "../timers.js";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";
export type ChangeListener<T> = (type: ChangeType, obj: T) => void;

export interface KindWatchOptions {
  /**
   * The first list only needs the resourceVersion (events of a busy namespace, before any of the
   * run's objects exist). A relist after 410 Gone always lists everything: events that happened
   * during the gap decide fail-fast verdicts.
   */
  firstListLimit?: number;
  /** Objects to track; others are dropped on arrival (events of other workloads). */
  keep?: (obj: never) => boolean;
  /** Called on each reconnect, for verbose output. */
  onReconnect?: (why: string) => void;
  /** The owner's timers (a run's TimerScope); reconnect delays are cancelled by stop(). */
  setTimer: SetTimer;
}

const key = (o: KubeObject) => o.metadata?.uid ?? `${o.metadata?.namespace}/${o.metadata?.name}`;

export class KindWatch<K extends WatchedKind> {
  readonly objects = new Map<string, KindMap[K]>();
  private resourceVersion = "";
  private handle: WatchHandle | undefined;
  private stopped = false;
  private failures = 0;
  private listed = false;
  private retry: Timer | undefined;
  private readonly listeners = new Set<ChangeListener<KindMap[K]>>();

  private readonly port: ClusterPort;
  private readonly kind: K;
  private readonly namespace: string;
  private readonly selector: Selector;
  private readonly opts: KindWatchOptions;

  constructor(port: ClusterPort, kind: K, namespace: string, selector: Selector, opts: KindWatchOptions) {
    this.port = port;
    this.kind = kind;
    this.namespace = namespace;
    this.selector = selector;
    this.opts = opts;
  }

  subscribe(fn: ChangeListener<KindMap[K]>): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Lists (emitting ADDED for what exists) and opens the watch. Throws if the first list fails. */
  async start(): Promise<void> {
    await this.relist();
    this.open();
  }

  stop(): void {
    this.stopped = true;
    this.retry?.cancel();
    this.handle?.stop();
  }

  private emit(type: ChangeType, obj: KindMap[K]): void {
    for (const fn of this.listeners) fn(type, obj);
  }

  private async relist(): Promise<void> {
    const limit = this.listed ? undefined : this.opts.firstListLimit;
    const res = await this.port.list(this.kind, this.namespace, limit ? { ...this.selector, limit } : this.selector);
    // A limited first list is only for its resourceVersion: its items are not the whole truth.
    const items = limit ? [] : res.items;
    const seen = new Set<string>();
    for (const obj of items.filter((o) => !this.opts.keep || this.opts.keep(o as never))) {
      const k = key(obj);
      seen.add(k);
      const old = this.objects.get(k);
      this.objects.set(k, obj);
      if (!old) this.emit("ADDED", obj);
      else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.emit("MODIFIED", obj);
    }
    if (!limit) {
      for (const [k, obj] of this.objects) {
        if (!seen.has(k)) {
          this.objects.delete(k);
          this.emit("DELETED", obj);
        }
      }
    }
    this.resourceVersion = res.resourceVersion;
    this.listed = true;
  }

  private open(): void {
    if (this.stopped) return;
    this.handle = this.port.watch(this.kind, this.namespace, this.selector, this.resourceVersion, {
      onEvent: (type, obj) => {
        this.failures = 0;
        const rv = obj.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
        if (type === "BOOKMARK") return;
        if (this.opts.keep && !this.opts.keep(obj as never)) return;
        const k = key(obj);
        if (type === "DELETED") this.objects.delete(k);
        else this.objects.set(k, obj);
        this.emit(type, obj);
      },
      onClose: (err) => this.reopen(err),
    });
  }

  private reopen(err: KubeError | undefined): void {
    if (this.stopped) return;
    const gone = err?.status === 410;
    if (err) this.failures++;
    const broke = err ? `${this.kind} watch broke: ${err.message}` : `${this.kind} watch ended, resuming`;
    const why = gone ? `${this.kind}: resourceVersion too old (410), relisting` : broke;
    this.opts.onReconnect?.(why);
    // Back off only on errors: a server-side timeout resumes at once.
    const delay = err && !gone ? Math.min(250 * 2 ** Math.min(this.failures - 1, 4), 4000) : 0;
    this.retry = this.opts.setTimer(() => {
      this.retry = undefined;
      if (this.stopped) return;
      if (!gone) return this.open();
      this.relist().then(
        () => this.open(),
        (e: KubeError) => this.reopen({ ...e, status: e.status === 410 ? 500 : e.status }),
      );
    }, delay);
  }
}
