// One log follower per (pod, container) of interest, started once the container runs and told
// when it has ended. Shared by `run` (every suite) and `logs` (a Job from the cluster).
import type { Pod } from "../k8s-types.js";
import type { ClusterPort } from "../kube/port.js";
import { LogFollower } from "./log-follower.js";
import type { SetTimer } from "./timers.js";

export interface ContainerLogsOptions {
  /** Each line once, in order, with where it came from and the kubelet's timestamp ("" if none). */
  onLine(container: string, line: string, pod: string, kubeletTs: string): void;
  onResume?(why: string): void;
  setTimer: SetTimer;
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
      for (const s of statuses(pod)) {
        const st = s.state;
        if (!this.containers.has(s.name) || (!st?.running && !st?.terminated)) continue;
        const key = `${podName}/${s.name}`;
        let f = this.followers.get(key);
        if (!f) {
          if (onlyEnded && !st.terminated) continue;
          const container = s.name;
          f = new LogFollower(this.port, { namespace: this.namespace, pod: podName, container }, {
            onLine: (line, ts) => this.opts.onLine(container, line, podName, ts),
            ...(this.opts.onResume ? { onResume: this.opts.onResume } : {}),
            setTimer: this.opts.setTimer,
          });
          this.followers.set(key, f);
          f.start();
        }
        if (st.terminated) f.containerTerminated();
      }
    }
  }

  /** The pod is gone: its followers read what is left and end. */
  podGone(podName: string): void {
    for (const f of this.followers.values()) if (f.target.pod === podName) f.containerTerminated();
  }

  /** Stops followers of containers that have not ended (or all of them), except the spared containers'. */
  stopUnfinished(pods: Iterable<Pod>, all = false, spare: ReadonlySet<string> = new Set()): void {
    const ended = new Set<string>();
    for (const pod of pods) for (const s of statuses(pod)) if (s.state?.terminated) ended.add(`${pod.metadata?.name}/${s.name}`);
    for (const f of this.followers.values()) if (!spare.has(f.target.container) && (all || !ended.has(`${f.target.pod}/${f.target.container}`))) f.stop();
  }

  stopAll(): void {
    for (const f of this.followers.values()) f.stop();
  }

  /** Resolves when every follower started so far (and any started meanwhile) has ended. */
  async settled(): Promise<void> {
    const before = this.followers.size;
    await Promise.all([...this.followers.values()].map((f) => f.done));
    if (this.followers.size !== before) return this.settled();
  }
}
