// What a suite attempt's echo puts out and keeps (suite-logs.ts decides what is echoed): each
// line's place as its `log` event names it (suite, attempt when tracked, shard, pod, container),
// built once per pod and container since every line of a run is an event; the last lines of
// each container, for the result's message; the commit the clone printed.
import { CLONE_CONTAINER } from "../names.js";
import { checkedOutCommit } from "../render/clone-script.js";
import { shardOf } from "./attempt-ref.js";
import type { AttemptRef, SuiteView } from "./attempt-ref.js";

const TAIL_LINES = 20;

export interface LogWhere {
  suite: string;
  attempt?: number;
  shard?: number;
  pod: string;
  container: string;
}

export class EchoOut {
  /** The last lines of each container's log. */
  readonly tails = new Map<string, string[]>();
  /** The commit the clone printed, if it did. */
  commit: string | undefined;
  private readonly ref: AttemptRef;
  private readonly view: SuiteView;
  private readonly wheres = new Map<string, LogWhere>();

  constructor(ref: AttemptRef, view: SuiteView) {
    this.ref = ref;
    this.view = view;
  }

  /** What a log event of this attempt names; `knownShard` when the caller knows it (a pod's copy). */
  where(pod: string, container: string, knownShard?: number): LogWhere {
    const key = `${pod}/${container}`;
    let where = this.wheres.get(key);
    if (!where) {
      const shard = knownShard ?? shardOf(this.ref.suite, this.view.state.pods.get(pod));
      const { suite, tracked, attempt } = this.ref;
      where = { suite: suite.name, ...(tracked ? { attempt } : {}), ...(shard !== undefined ? { shard } : {}), pod, container };
      this.wheres.set(key, where);
    }
    return where;
  }

  /** An echoed line kept among its container's last ones (and the clone's commit, if it says one). */
  keep(container: string, text: string): void {
    const tail = this.tails.get(container) ?? [];
    tail.push(text);
    if (tail.length > TAIL_LINES) tail.shift();
    this.tails.set(container, tail);
    const commit = container === CLONE_CONTAINER ? checkedOutCommit(text) : undefined;
    if (commit) this.commit = commit;
  }
}
