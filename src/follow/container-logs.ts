// One log follower per (pod, container) of interest, started once the container runs and told
// when it has ended. Shared by `run` (every suite) and `logs` (a Job from the cluster).
import type { Pod } from "../k8s-types.js";
import type { ClusterPort } from "../kube/port.js";
import { LogFollower } from "./log-follower.js";
import type { CatchUp, CatchUpCause } from "./log-follower.js";
import type { LineCursor } from "./log-lines.js";
import type { SetTimer } from "../timers.js";

export interface ContainerLogsOptions {
  /** Each line once, in order, with where it came from and the kubelet's timestamp ("" if none). */
  onLine(container: string, line: string, pod: string, kubeletTs: string): void;
  onResume?(why: string): void;
  setTimer: SetTimer;
  /**
   * Containers whose log is read only after another's, in the same pod, has been read to its end:
   * the clone runs beside the test container, which waits for it, so their lines do not interleave.
   */
  after?: Readonly<Record<string, string>>;
  /** See FollowerOptions.catchUp; a hand-over counts as a cut (resume() takes it back). */
  catchUp?(pod: string, container: string, cause: CatchUpCause): CatchUp;
}

function statuses(pod: Pod) {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
}

export class ContainerLogs {
  private readonly followers = new Map<string, LogFollower>();
  private readonly port: ClusterPort;
  private readonly namespace: string;
  private readonly containers: ReadonlySet<string>;
  private readonly opts: ContainerLogsOptions;
  /** The newest pod seen, by name: a deferred follower starts from it. */
  private readonly lastSeen = new Map<string, Pod>();
  /** No follower starts any more (stopped for an interrupt or at the end). */
  private closed = false;
  /** After stopUnfinished: a follower that starts later (it waited for another) only for an ended container. */
  private endedOnly = false;
  /** Followers another container's follower waits for (pod/container), each waited for once. */
  private readonly waiting = new Set<string>();
  /** Pods deleted or being deleted: a follower reads what is there once, not a follow. */
  private readonly gone = new Set<string>();
  /** Followers (pod/container) cut for the pod's own copy of the log: none is started for them. */
  private readonly cuts = new Set<string>();

  constructor(port: ClusterPort, namespace: string, containers: readonly string[], opts: ContainerLogsOptions) {
    this.port = port;
    this.namespace = namespace;
    this.containers = new Set(containers);
    this.opts = opts;
  }

  /** Starts followers for containers that run or ran (only ended ones once `onlyEnded`). */
  feed(pods: Iterable<Pod>, onlyEnded = false): void {
    for (const pod of pods) {
      const podName = pod.metadata?.name ?? "";
      this.lastSeen.set(podName, pod);
      const all = statuses(pod);
      // Containers that wait for another come last, so the one they wait for is followed first.
      const waits = (name: string) => (this.opts.after?.[name] ? 1 : 0);
      for (const s of [...all].sort((a, b) => waits(a.name) - waits(b.name))) {
        const st = s.state;
        if (!this.containers.has(s.name) || (!st?.running && !st?.terminated)) continue;
        const key = `${podName}/${s.name}`;
        let f = this.followers.get(key);
        if (!f) {
          if (((onlyEnded || this.endedOnly) && !st.terminated) || this.closed || this.cuts.has(key)) continue;
          const first = this.opts.after?.[s.name];
          if (first && all.some((o) => o.name === first) && this.deferred(podName, first, onlyEnded)) continue;
          f = this.follower(podName, s.name);
          f.start();
        }
        // A pod being deleted: what its containers wrote can still be read, once.
        if (st.terminated || this.gone.has(podName)) f.containerTerminated();
      }
    }
  }

  private follower(pod: string, container: string, from?: LineCursor): LogFollower {
    const f = new LogFollower(this.port, { namespace: this.namespace, pod, container }, {
      onLine: (line, ts) => this.opts.onLine(container, line, pod, ts),
      ...(this.opts.onResume ? { onResume: this.opts.onResume } : {}),
      setTimer: this.opts.setTimer,
      ...(from ? { from } : {}),
      catchUp: (cause) => {
        const how = this.opts.catchUp?.(pod, container, cause) ?? "read";
        if (how === "handOver") this.cuts.add(`${pod}/${container}`);
        return how;
      },
    });
    this.followers.set(`${pod}/${container}`, f);
    return f;
  }

  /**
   * The pod's own copy of this container's log takes over: its follower stops (without a partial
   * last line: the copy has it whole) and none starts later. False when it had already read the
   * log to its end: nothing is left to take over.
   */
  cut(pod: string, container: string): boolean {
    const key = `${pod}/${container}`;
    const f = this.followers.get(key);
    if (f?.finished || this.closed) return false;
    this.cuts.add(key);
    f?.stop(false);
    return true;
  }

  /** The copy broke off after a cut: the container's log is read again from where the cut follower stopped. */
  resume(pod: string, container: string): void {
    const key = `${pod}/${container}`;
    if (!this.cuts.delete(key) || this.closed) return;
    const f = this.follower(pod, container, this.followers.get(key)?.position);
    // The copy is taken only once the container ended: one read of what is left.
    f.containerTerminated();
    f.start();
  }

  /** True while `first`'s log in that pod is not read to its end; then the pod is fed again. */
  private deferred(podName: string, first: string, onlyEnded: boolean): boolean {
    const key = `${podName}/${first}`;
    const f = this.followers.get(key);
    if (f?.finished) return false;
    // Still being read: try again once, when it is done. Not followed yet: the next feed will.
    if (f && !this.waiting.has(key)) {
      this.waiting.add(key);
      void f.done.then(() => {
        const pod = this.lastSeen.get(podName);
        if (pod) this.feed([pod], onlyEnded);
      });
    }
    return true;
  }

  /** The pod is gone: its followers (and any started for it later) read what is left and end. */
  podGone(podName: string): void {
    this.gone.add(podName);
    for (const f of this.followers.values()) if (f.target.pod === podName) f.containerTerminated();
  }

  /** Stops followers of containers that have not ended (or all of them), except the spared containers'. */
  stopUnfinished(pods: Iterable<Pod>, all = false, spare: ReadonlySet<string> = new Set()): void {
    const ended = new Set<string>();
    for (const pod of pods) for (const s of statuses(pod)) if (s.state?.terminated) ended.add(`${pod.metadata?.name}/${s.name}`);
    if (all) this.closed = true;
    this.endedOnly = true;
    for (const f of this.followers.values()) if (!spare.has(f.target.container) && (all || !ended.has(`${f.target.pod}/${f.target.container}`))) f.stop();
  }

  /** `flush` false: a partial last line is dropped (the pod's own copy has it whole). */
  stopAll(flush = true): void {
    this.closed = true;
    for (const f of this.followers.values()) f.stop(flush);
  }

  /** Resolves when every follower started so far (and any started or restarted meanwhile) has ended. */
  async settled(): Promise<void> {
    const before = [...this.followers.values()];
    await Promise.all(before.map((f) => f.done));
    if ([...this.followers.values()].some((f) => !before.includes(f))) return this.settled();
  }
}
