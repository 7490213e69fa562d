// A suite attempt's artifacts: each pod's output (its artifacts and the complete copy of its
// test-runner log) copied out of the collector sidecar as soon as that pod's tests end, taken into
// the report once its logs are read (pod-output.ts), the JUnit's tests read from it, and what did
// not come back said. A log copy that broke off after its follow was cut is taken again while the
// collector keeps the output, else the follow resumes (the copy retry). Without pods/exec, the
// archive the collector printed in its log. The copies' bytes go to the echo (suite-logs.ts).
import { humanBytes } from "../bytes.js";
import { decidingPod } from "../diagnose/outcome.js";
import { testsEnded } from "../diagnose/shards.js";
import type { Pod } from "../k8s-types.js";
import { ARTIFACTS_SUBDIR, COLLECTOR_CONTAINER, COLLECTOR_GRACE, LOG_FALLBACK } from "../names.js";
import { mergeShards } from "../results/merge.js";
import type { TestCase } from "../results/model.js";
import type { ArtifactsSummary } from "../results/run-result.js";
import type { RunContext } from "./context.js";
import { COPY_MAX_TRIES, COPY_RETRY_MARGIN_MS, COPY_RETRY_MS } from "./pod-echo.js";
import { copyOut, fromLogArchive } from "./pod-output.js";
import type { CollectOutcome, Fetched } from "./pod-output.js";
import { shardOf } from "./attempt-ref.js";
import { retryFollows } from "./attempt-key.js";
import { COPY_CONCURRENCY_ENV, COPY_PRIORITY } from "./copy-slots.js";
import type { AttemptRef, SuiteView } from "./attempt-ref.js";
import type { SuiteLogs } from "./suite-logs.js";
import { interruptedIn } from "./suite-state.js";
import type { Verdict } from "./suite-state.js";

export class SuiteArtifacts {
  /** The attempt's test cases, from its JUnit (merged over shards), once collected. */
  tests: TestCase[] | undefined;
  private readonly ctx: RunContext;
  private readonly ref: AttemptRef;
  private readonly view: SuiteView;
  private readonly logs: SuiteLogs;
  private readonly viaLog: boolean;
  /** Collections started, by pod: each as soon as that pod's tests ended. */
  private readonly fetched = new Map<string, { key: string; shard?: number; adopt: Promise<Fetched> }>();

  constructor(ctx: RunContext, ref: AttemptRef, view: SuiteView, logs: SuiteLogs) {
    this.ctx = ctx;
    this.ref = ref;
    this.view = view;
    this.logs = logs;
    this.viaLog = ctx.collectVia === "log";
  }

  private note(level: "info" | "verbose" | "warning", text: string): void {
    this.ctx.emit({ type: "suite.note", suite: this.ref.suite.name, level, text });
  }

  /** Starts the copy of every pod whose tests have ended (once per pod). */
  startAll(): void {
    for (const pod of this.view.state.pods.values()) if (testsEnded(pod)) this.start(pod);
  }

  /** Starts copying a pod's output while its collector runs (not for a disrupted or deleted pod). */
  private start(pod: Pod): void {
    if (this.viaLog) return;
    const name = pod.metadata?.name ?? "";
    if (!name || this.fetched.has(name) || pod.metadata?.deletionTimestamp || interruptedIn(this.view.state)) return;
    if (pod.status?.conditions?.some((c) => c.type === "DisruptionTarget" && c.status === "True")) return;
    const collector = pod.status?.initContainerStatuses?.find((c) => c.name === COLLECTOR_CONTAINER);
    if (!collector?.state?.running) return;
    const shard = shardOf(this.ref.suite, pod);
    const key = shard !== undefined ? `${this.ref.key}/shard-${shard}` : this.ref.key;
    const adopt = copyOut(this.ctx, key, name, this.ref.suite, (size) => this.logs.copySink(name, shard, size), this.priority());
    const s = (ms: number) => `${(ms / 1000).toFixed(2)}s`;
    void adopt.then((f) => {
      this.note("verbose", `output of pod/${name} copied out in ${s(f.copyMs)}${f.waitedMs ? ` (after ${s(f.waitedMs)} queued)` : ""}`);
      // The collector keeps the output only so long after the tests end with no copy under way.
      const limit = `${COPY_CONCURRENCY_ENV} (${this.ctx.copies.limit} now)`;
      const late = `the copy of pod/${name} waited ${s(f.waitedMs)} for a slot, beyond the collector's ${COLLECTOR_GRACE.idleS}s grace`;
      if (f.waitedMs > COLLECTOR_GRACE.idleS * 1000) this.note("warning", `${late}: raise ${limit} so many suites ending together are copied in time`);
    });
    this.fetched.set(name, { key, ...(shard !== undefined ? { shard } : {}), adopt });
    this.logs.copyStarted(name, key);
  }

  /** A copy the next attempt waits for (its JUnit names the tests to rerun) goes first; the others queue in turn. */
  private priority(): number {
    const v = this.view.state.finished?.verdict;
    return v && retryFollows(v, this.ref.attempt, this.ref.suite) ? COPY_PRIORITY.decision : COPY_PRIORITY.bulk;
  }

  /**
   * A copy that broke off after its pod's follow was cut is taken again, continuing the echo
   * after the last line echoed; when no copy comes whole, the follow resumes where it was cut
   * (its first lines, as many as the copies echoed, are saved but not echoed again). Called by
   * the driver only for a verdict other than interrupted.
   */
  async retryBrokenCopies(): Promise<void> {
    for (const [pod, f] of this.fetched) {
      const e = this.logs.record(pod);
      if (!e.copy && !e.handedOver) continue;
      await f.adopt.catch(() => undefined);
      const waits = this.ctx.copyRetryMs ?? COPY_RETRY_MS;
      const budget = this.ctx.copyRetryBudgetMs ?? COLLECTOR_GRACE.idleS * 1000 - COPY_RETRY_MARGIN_MS;
      // The collector's idle grace restarts whenever a copy reaches it; before any did, it runs from the first try.
      const since = e.reachedAt ?? this.ctx.now();
      let tries = 1;
      // After Ctrl-C no copy is taken again (a queued one never began: its retries would only wait).
      for (; tries < COPY_MAX_TRIES && !e.copy?.complete && !this.ctx.signal.aborted; tries++) {
        const ms = waits[Math.min(tries - 1, waits.length - 1)] ?? 0;
        if (this.ctx.now() + ms - (e.reachedAt ?? since) > budget) break;
        const so = `${e.copyLines} line(s) echoed from copies so far`;
        this.note("verbose", `the copy of pod/${pod}'s log ${e.copy ? "broke off" : "did not come"} (${so}); copying it again in ${ms} ms`);
        await new Promise<void>((r) => this.ctx.setTimer(r, ms));
        void f.adopt.then((x) => x.discard(), () => undefined);
        f.adopt = copyOut(this.ctx, f.key, pod, this.ref.suite, (size) => this.logs.copySink(pod, f.shard, size), this.priority());
        await f.adopt.catch(() => undefined);
      }
      if (e.copy?.complete) continue;
      e.skip = e.copyLines;
      e.resumed = true;
      const lost = "lines the kubelet rotated away since are in no saved log";
      const tried = `${tries} tries (${e.copyLines} line(s) echoed from them)`;
      this.note("warning", `no copy of pod/${pod}'s log came whole in ${tried}; its live follow resumes where it was cut (${lost})`);
      this.logs.resume(pod);
    }
    await this.logs.settled();
  }

  /** Every pod's output into the report once its logs are read; what did not come back is said. */
  async collect(verdict: Verdict, notes: string[]): Promise<ArtifactsSummary | undefined> {
    if (this.viaLog) return this.collectViaLog(notes);
    const pod = decidingPod([...this.view.state.pods.values()]);
    if (pod && this.fetched.size === 0) this.start(pod);
    const why = verdict.class === "oomKilled" ? "the test container was OOMKilled" : undefined;
    if (this.fetched.size === 0) {
      const collector = pod?.status?.initContainerStatuses?.find((c) => c.name === COLLECTOR_CONTAINER);
      if (!pod?.metadata?.name || !collector) return undefined;
      notes.push(`no artifacts collected: the collector in pod/${pod.metadata.name} had already stopped${why ? ` (${why})` : ""}`);
      return { files: 0, bytes: 0, dropped: [], logComplete: false, problem: "the collector had already stopped" };
    }
    const total: ArtifactsSummary = { files: 0, bytes: 0, dropped: [], logComplete: true };
    const shardTests: { index: number; tests: TestCase[] }[] = [];
    for (const [podName, f] of this.fetched) {
      const c = await (await f.adopt).take();
      const where = f.shard !== undefined ? `shard #${f.shard} (pod/${podName})` : `pod/${podName}`;
      if (f.shard === undefined) this.tests = c.tests;
      else shardTests.push({ index: f.shard, tests: c.tests ?? [] });
      if (c.junitProblem) notes.push(`JUnit of ${where}: ${c.junitProblem}`);
      total.files += c.files;
      total.bytes += c.bytes;
      total.dropped.push(...c.dropped);
      if (c.artifactsDir) total.dir = this.fetched.size > 1 ? c.artifactsDir.replace(/\/shard-\d+\/artifacts$/, "") : c.artifactsDir;
      total.logComplete &&= c.copyLines !== undefined;
      if (c.error) {
        total.problem = c.error;
        notes.push(`artifacts: could not copy them out of ${where}: ${c.error}${c.files ? ` (${c.files} file(s) came back)` : ""}`);
      } else if (!c.files && why) notes.push(`no artifacts: ${why} before writing any`);
      if (c.dropped.length) notes.push(droppedNote(where, c));
      this.echoNote(podName, where, c, notes);
    }
    if (shardTests.length) {
      const merged = mergeShards(shardTests);
      this.tests = merged.tests;
      for (const d of merged.duplicates) notes.push(`test ${d.id} ran in more than one shard: #${d.shards.join(", #")}`);
    }
    return total;
  }

  /** What the live echo of a pod missed, or took from the pod's copy: a note on the result, and said. */
  private echoNote(pod: string, where: string, c: CollectOutcome, notes: string[]): void {
    const { liveLines: live, copyLines: fromCopy, copy } = this.logs.record(pod);
    if (c.copyLines !== undefined && copy?.echo.found) {
      const lost = c.copyLines - live - fromCopy;
      const rotated = lost > 0 ? `, ${lost} not echoed (the kubelet rotated them away before they were read)` : "";
      const counts = `${live} of ${c.copyLines} lines echoed live, the last ${fromCopy} from the copy${rotated}`;
      const cut = `live echo of ${where} was cut for the pod's own copy of its log, echoed as it came`;
      const text = `${cut}: ${counts}; the saved test-runner log is that copy, complete`;
      notes.push(text);
      this.note(lost > 0 ? "warning" : "info", text);
    } else if (c.copyLines !== undefined && c.copyLines > c.streamedLines) {
      const missed = `${c.copyLines - c.streamedLines} of ${c.copyLines} lines`;
      const rotated = "the kubelet rotated them away before they were read";
      const text = `live echo of ${where} missed ${missed} (${rotated}); the saved test-runner log is the pod's own copy, complete`;
      notes.push(text);
      this.note("warning", text);
    }
  }

  /** Without pods/exec: the archive the collector printed between its markers, or why there is none. */
  private async collectViaLog(notes: string[]): Promise<ArtifactsSummary> {
    const lines = this.logs.collectorLines;
    const begin = lines.indexOf(LOG_FALLBACK.begin);
    const end = lines.indexOf(LOG_FALLBACK.end);
    const prefix = `${LOG_FALLBACK.tooBig} ${ARTIFACTS_SUBDIR}/`;
    const dropped = lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));
    const grant = `the complete log copy stays in the pod (grant "create" on pods/exec)`;
    const denied = `pods/exec is forbidden: only files up to ${LOG_FALLBACK.fileLimitKiB} KiB come back (through the collector's log), ${grant}`;
    if (begin === -1 || end <= begin) {
      notes.push(`no artifacts collected: the collector printed none; ${denied}`);
      return { files: 0, bytes: 0, dropped, logComplete: false, problem: "pods/exec is forbidden and the collector printed no artifacts" };
    }
    const archive = Buffer.from(lines.slice(begin + 1, end).join(""), "base64");
    const c = await fromLogArchive(this.ctx, this.ref.key, this.ref.suite, archive);
    this.tests = c.tests;
    notes.push(`artifacts: ${c.files} file(s) came back${dropped.length ? `, ${dropped.length} left in the pod: ${dropped.join(", ")}` : ""}; ${denied}`);
    const dir = c.artifactsDir ? { dir: c.artifactsDir } : {};
    return { ...dir, files: c.files, bytes: c.bytes, dropped, logComplete: false, problem: "pods/exec is forbidden" };
  }
}

function droppedNote(where: string, c: CollectOutcome): string {
  const names = `${c.dropped.slice(0, 10).join(", ")}${c.dropped.length > 10 ? ", …" : ""}`;
  const kept = `kept ${c.files} file(s) (${humanBytes(c.bytes)})`;
  return `artifacts of ${where} over the ${humanBytes(c.limitBytes)} limit: ${kept}, dropped ${c.dropped.length}: ${names}`;
}
