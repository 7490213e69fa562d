// A suite attempt's container logs and their echo, with the cut-over to the pod's own copy. One
// follower per container (follow/container-logs.ts); each line is a `log` event (the run's stream
// saves it). A test-runner follow's first lines are held until the runner's banner shows it began
// at the log's start; without it (the kubelet had rotated them away) the pod's copy echoes all of
// its output. A follow far behind (or broken) when the pod's copy comes is cut, and the copy's
// lines after the last ones echoed live are echoed as it streams in (copySink). The decisions are
// pod-echo.ts's (pure). The driver (suite-run.ts) feeds and drains it; artifacts.ts hands it the
// copies it starts, and their bytes.
import { humanBytes } from "../bytes.js";
import { ContainerLogs } from "../follow/container-logs.js";
import { CopyEcho } from "../follow/copy-echo.js";
import type { CatchUp, CatchUpCause } from "../follow/log-follower.js";
import type { Pod } from "../k8s-types.js";
import { CLONE_CONTAINER, COLLECTOR_CONTAINER, TEST_CONTAINER } from "../names.js";
import { runnerBanner } from "../render/runner-script.js";
import type { AttemptRef, SuiteView } from "./attempt-ref.js";
import type { LogCopySink } from "./collect.js";
import type { RunContext } from "./context.js";
import { EchoOut } from "./echo-out.js";
import { LIVE_CUT_BYTES, catchUpWhileCopyComes, fingerprint, holdHead, lateHead, newPodEcho } from "./pod-echo.js";
import type { PodEcho } from "./pod-echo.js";
import { interruptedIn } from "./suite-state.js";

export class SuiteLogs {
  /** What was echoed: each line's place, the last lines per container, the clone's commit. */
  readonly out: EchoOut;
  /** The collector's log (only without pods/exec): where the fallback archive comes from. */
  readonly collectorLines: string[] = [];
  private readonly ctx: RunContext;
  private readonly ref: AttemptRef;
  private readonly view: SuiteView;
  private readonly viaLog: boolean;
  private readonly follows: ContainerLogs;
  /** What of each pod's test-runner output was echoed, live and from its copies (see PodEcho). */
  private readonly echoed = new Map<string, PodEcho>();
  /** Pods whose output is being copied out (artifacts.ts), with the report folder it goes to. */
  private readonly copying = new Map<string, string>();

  constructor(ctx: RunContext, ref: AttemptRef, view: SuiteView) {
    this.ctx = ctx;
    this.ref = ref;
    this.view = view;
    this.out = new EchoOut(ref, view);
    this.viaLog = ctx.collectVia === "log";
    const { suite } = ref;
    this.follows = new ContainerLogs(ctx.port, suite.namespace, [CLONE_CONTAINER, TEST_CONTAINER, ...(this.viaLog ? [COLLECTOR_CONTAINER] : [])], {
      onLine: (container, line, pod, ts) => this.line(container, line, pod, ts),
      onResume: (why) => ctx.emit({ type: "suite.note", suite: suite.name, level: "verbose", text: why }),
      setTimer: ctx.setTimer,
      after: { [TEST_CONTAINER]: CLONE_CONTAINER },
      catchUp: (pod, container, cause) => this.catchUp(pod, container, cause),
    });
  }

  private get interrupted(): boolean {
    return interruptedIn(this.view.state);
  }

  /** Followers start once a container runs, and learn when it has ended (only ended ones once `onlyEnded`). */
  feed(pods: Iterable<Pod>, onlyEnded: boolean): void {
    this.follows.feed(pods, onlyEnded);
  }

  podGone(pod: string): void {
    this.follows.podGone(pod);
  }

  /** The verdict: followers of containers still running stop (all of them when interrupted). */
  /** `keptHeld`: a pod held by a container incluster did not add is kept (--keep): its collector will not stop. */
  stopUnfinished(interrupted: boolean, keptHeld = false): void {
    // Without pods/exec the collector prints the artifacts when it stops, after the tests.
    const spare = this.viaLog && !interrupted && !keptHeld ? new Set([COLLECTOR_CONTAINER]) : new Set<string>();
    this.follows.stopUnfinished(this.view.state.pods.values(), interrupted, spare);
  }

  stopAll(): void {
    this.follows.stopAll();
  }

  settled(): Promise<void> {
    return this.follows.settled();
  }

  /** A copy of the pod's output was started (artifacts.ts): its log copy may take over its follow. */
  copyStarted(pod: string, key: string): void {
    this.copying.set(pod, key);
  }

  /** No copy came whole after a cut: the follow resumes where it was cut (the copies' lines saved, not echoed again). */
  resume(pod: string): void {
    this.follows.resume(pod, TEST_CONTAINER);
  }

  /** Heads still held (no copy came for them): decided now, before the verdict. */
  settleHeads(): void {
    for (const [pod, e] of this.echoed) if (!e.headDecided && e.head) this.decideHead(pod, e, "whole");
  }

  record(pod: string): PodEcho {
    let e = this.echoed.get(pod);
    if (!e) this.echoed.set(pod, (e = newPodEcho()));
    return e;
  }

  /**
   * A test container's follow is still open after the container ended, or broke then. While the
   * pod's own copy is coming, a read from the last timestamp (which misses what the kubelet
   * rotated into another file) never takes over: the follow goes on (it reads a rotated file to
   * its end) until the copy's header decides, and a broken follow hands over to the copy.
   */
  private catchUp(pod: string, container: string, cause: CatchUpCause): CatchUp {
    if (container !== TEST_CONTAINER) return "read";
    const e = this.record(pod);
    // The container ended with the follow's head undecided: a headless follow hands over now.
    this.settleHead(pod, e, "mark");
    if (e.headless && !e.copy) return "handOver";
    if (this.viaLog || this.interrupted || !this.copying.has(pod)) return "read";
    return catchUpWhileCopyComes(e, cause);
  }

  /**
   * The pod's own copy of its log starts to come: when the live follow is more than liveCutBytes
   * behind, it is cut, and the copy's lines after the last ones echoed live are echoed as the copy
   * streams in (log events with fromCopy; the copy itself becomes the saved log).
   */
  copySink(pod: string, shard: number | undefined, size: number): LogCopySink | undefined {
    if (this.interrupted) return undefined;
    const note = (level: "info" | "verbose", text: string) => this.ctx.emit({ type: "suite.note", suite: this.ref.suite.name, level, text });
    // A copy taken again after one broke off: its follow is cut already.
    const e = this.record(pod);
    e.reachedAt = this.ctx.now();
    this.settleHead(pod, e, "cutOrMark");
    if (!e.copy && e.headless) {
      const why = "it had started after the kubelet rotated the log's first lines away";
      const rest = "all of its output is echoed from the pod's own copy as it comes";
      note("verbose", `live follow of pod/${pod} cut about ${humanBytes(size)} behind: ${why}; ${rest}`);
    } else if (!e.copy && e.handedOver) {
      note("verbose", `live follow of pod/${pod} broke after its container ended: the rest of its output is echoed from the pod's own copy as it comes`);
    } else if (!e.copy) {
      if (e.declined) return undefined;
      const behind = size - e.liveBytes;
      if (behind <= (this.ctx.liveCutBytes ?? LIVE_CUT_BYTES) || !this.follows.cut(pod, TEST_CONTAINER)) {
        e.declined = true;
        return undefined;
      }
      note("verbose", `live follow of pod/${pod} cut about ${humanBytes(behind)} behind: the rest of its output is echoed from the pod's own copy as it comes`);
    }
    const tail = [...e.last];
    const where = this.out.where(pod, TEST_CONTAINER, shard);
    const echo = new CopyEcho({
      tail,
      skipLines: e.liveLines + e.copyLines - tail.length,
      onLine: (line) => {
        e.copyLines++;
        this.out.keep(TEST_CONTAINER, line);
        fingerprint(e, line);
        this.ctx.emit({ type: "log", ...where, line, fromCopy: true });
      },
    });
    const entry: { echo: CopyEcho; complete?: boolean } = { echo };
    e.copy = entry;
    // An interrupted suite's outcome does not wait for its copies: nothing is echoed after it.
    return {
      write: (chunk) => {
        if (!this.interrupted) echo.write(chunk);
      },
      // A copy cut short: its partial last line is not echoed; the next copy or the resumed follow brings it whole.
      end: (complete) => {
        entry.complete = complete;
        e.reachedAt = this.ctx.now();
        if (complete && !this.interrupted) echo.end();
      },
    };
  }

  private line(container: string, text: string, pod: string, kubeletTs: string): void {
    if (container === COLLECTOR_CONTAINER) return void this.collectorLines.push(text);
    const e = container === TEST_CONTAINER ? this.record(pod) : undefined;
    // Cut for the pod's copy: a line the follow still delivers is the copy's to echo.
    if (e && (e.copy || e.handedOver) && !e.resumed) return;
    if (e && !e.headDecided && e.liveLines === 0 && !e.skip) {
      const status = this.view.state.pods.get(pod)?.status?.containerStatuses?.find((c) => c.name === TEST_CONTAINER)?.state;
      const held = holdHead(e, text, kubeletTs, runnerBanner(this.ref.suite.name), status?.running?.startedAt ?? status?.terminated?.startedAt);
      if (held !== "hold") this.decideHead(pod, e, held === "headless" ? "cut" : "whole");
      return;
    }
    this.echoLine(container, text, pod, kubeletTs, e);
  }

  /** A line echoed live (and the pod's record of it kept), or saved only when a resumed follow brings it again. */
  private echoLine(container: string, text: string, pod: string, kubeletTs: string, e: PodEcho | undefined): void {
    if (e?.skip) {
      e.skip--;
      return this.ctx.files.appendLog(this.copying.get(pod) ?? this.ref.key, container, text, pod);
    }
    this.out.keep(container, text);
    if (e) {
      e.liveBytes += text.length + 1;
      e.liveLines++;
      fingerprint(e, text);
    }
    this.ctx.emit({ type: "log", ...this.out.where(pod, container), ...(kubeletTs ? { kubeletTs } : {}), line: text });
  }

  /**
   * A test container's follow whose first lines hold no runner banner started after the kubelet
   * had rotated the log's beginning into another file, which a follow never reads: its lines
   * would be echoed after a gap no copy can fill in order. Its first lines are held (holdHead):
   * the banner among them echoes them; without it the follow is cut, and the pod's own copy
   * echoes all of the output once the tests end (taken as for any cut follow).
   * `how`: "cut" while following (no cut, no hand-over: the held lines are echoed), "mark" when
   * the follower hands over itself, "cutOrMark" when the copy is coming.
   */
  private decideHead(pod: string, e: PodEcho, how: "whole" | "cut" | "mark" | "cutOrMark"): void {
    const held = e.head?.lines ?? [];
    e.headDecided = true;
    delete e.head;
    if (how !== "whole" && this.headless(pod, how)) return;
    for (const h of held) this.echoLine(TEST_CONTAINER, h.text, pod, h.ts, e);
  }

  /** A head still undecided when the follow ends or the copy comes: its first line's stamp decides (lateHead). */
  private settleHead(pod: string, e: PodEcho, how: "mark" | "cutOrMark" | "whole"): void {
    if (!e.headDecided && e.head) this.decideHead(pod, e, lateHead(e) ? how : "whole");
  }

  private headless(pod: string, how: "cut" | "mark" | "cutOrMark"): boolean {
    if (this.viaLog || this.interrupted) return false;
    // "cut" while following needs the follow cut now; "cutOrMark" tries it; "mark" has none to cut.
    const cut = how !== "mark" && this.follows.cut(pod, TEST_CONTAINER);
    if (how === "cut" && !cut) return false;
    const e = this.record(pod);
    e.headless = true;
    e.handedOver = true;
    const rotated = `the kubelet rotated the first lines of pod/${pod}'s test-runner log away before they could be followed`;
    const text = `${rotated}: its output is echoed from the pod's own copy once the tests end`;
    this.ctx.emit({ type: "suite.note", suite: this.ref.suite.name, level: "info", text });
    return true;
  }
}
