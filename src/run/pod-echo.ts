// What of a pod's test-runner output was echoed, live and from its own copies, and the pure
// decisions on it: when a follow hands over to the copy. SuiteLogs (suite-logs.ts) keeps one
// record per pod and carries the decisions out.
import type { CopyEcho } from "../follow/copy-echo.js";
import type { CatchUp, CatchUpCause } from "../follow/log-follower.js";

/** By pod: what of its test-runner output was echoed, and how its copy takes over after a cut. */
export interface PodEcho {
  /** Echoed live: bytes (about: UTF-16 units) and lines. */
  liveBytes: number;
  liveLines: number;
  /** Echoed from the pod's copies (more than one when a copy broke off). */
  copyLines: number;
  /** The last lines echoed, live or from a copy: where a copy takes over. */
  last: string[];
  /** Once the follow is cut: the latest copy's echo, and whether all of that copy came. */
  copy?: { echo: CopyEcho; complete?: boolean };
  /** Lines a resumed follow brings that the copies echoed already: saved, not echoed again. */
  skip: number;
  /** The first copy's header came with the follow close enough behind to be read to its end. */
  declined?: boolean;
  /** The follow broke after the container ended, or started headless: the copy, not a read from a timestamp, takes over. */
  handedOver?: boolean;
  /** The follow's first lines did not hold the runner's banner: the kubelet had rotated the first lines away before it started. */
  headless?: boolean;
  /**
   * The follow's first lines, held until the banner among them shows the follow began at the
   * log's start (they are then echoed) or HEAD_LINES without it show it did not (the copy echoes
   * all). Undefined once decided.
   */
  head?: { lines: { text: string; ts: string }[]; startedAt: string | Date | undefined };
  /** Whether the follow began at the log's start is decided. */
  headDecided?: boolean;
  /** No copy came whole: the follow was resumed and its lines are echoed again. */
  resumed?: boolean;
  /** When a copy last reached the collector (its header came): the collector's idle grace restarts then. */
  reachedAt?: number;
}

/** How many of the last lines echoed live locate them in the pod's copy after a cut follow. */
export const ECHO_FINGERPRINT = 3;
/**
 * A live follow is cut for the pod's copy only with more than this left to echo when the copy
 * starts to come (about a second of following on the project's cluster); less, and it is read
 * to its end, kubelet stamps kept.
 */
export const LIVE_CUT_BYTES = 4 * 1024 * 1024;
/**
 * A test container's follow whose first lines hold no runner banner began after the kubelet had
 * rotated the log's start away. The banner is the runner's first line; a shell's warning may come
 * before it, so this many lines are held before deciding. (A stamp rule alone, "first line 1 s or
 * more after startedAt", missed a burst that rotated 142,050 lines away within its first second.)
 */
export const HEAD_LINES = 16;
/**
 * When the follow ended or the copy came before HEAD_LINES lines without a banner: its first
 * line stamped this long after the container started (startedAt is whole seconds) means the
 * beginning was rotated away.
 */
export const HEADLESS_AFTER_MS = 1000;
/**
 * A log copy that broke off after its follow was cut is taken again after these waits, the last
 * one repeated, for as long as the collector still keeps the output: it waits
 * COLLECTOR_GRACE.idleS after the last copy that reached it (src/names.ts), so retries stop
 * COPY_RETRY_MARGIN_MS short of that. Then the follow resumes from where it was cut, which cannot
 * bring back what the kubelet rotated away.
 */
export const COPY_RETRY_MS = [500, 1000, 2000, 4000] as const;
export const COPY_RETRY_MARGIN_MS = 5000;
/** Never more tries than this, whatever the clock says. */
export const COPY_MAX_TRIES = 30;

/** Keeps a pod's last lines echoed: a later copy is found after them. */
export function fingerprint(e: PodEcho, text: string): void {
  e.last.push(text);
  if (e.last.length > ECHO_FINGERPRINT) e.last.shift();
}

export function newPodEcho(): PodEcho {
  return { liveBytes: 0, liveLines: 0, copyLines: 0, last: [], skip: 0 };
}

/**
 * A test container's follow is still open after the container ended ("grace"), or broke then,
 * while the pod's own copy is coming: a read from the last timestamp (which misses what the
 * kubelet rotated into another file) never takes over. The follow goes on until the copy's
 * header decides; a broken one hands over to the copy. Once the copy declined (the follow was
 * nearly caught up), the final read takes over as without a copy.
 */
export function catchUpWhileCopyComes(e: PodEcho, cause: CatchUpCause): CatchUp {
  if (e.declined) return "read";
  if (cause === "grace") return "wait";
  e.handedOver = true;
  return "handOver";
}

/** While a follow's head is undecided: hold the line, or echo the held ones (the banner came), or cut (HEAD_LINES without it). */
export type HeadDecision = "hold" | "whole" | "headless";

/**
 * Holds a test container's followed line (kubelet stamp `ts`) while its head is undecided.
 * `startedAt`: the container's, at the first line (its terminated status may lack it).
 */
export function holdHead(e: PodEcho, text: string, ts: string, banner: string, startedAt: string | Date | undefined): HeadDecision {
  const head = (e.head ??= { lines: [], startedAt });
  head.lines.push({ text, ts });
  if (text === banner) return "whole";
  return head.lines.length >= HEAD_LINES ? "headless" : "hold";
}

/**
 * A head still undecided when the follow ends or the copy comes (fewer than HEAD_LINES lines, no
 * banner: a runner that failed before printing it, or a follow that began in the last lines):
 * its first line's stamp decides.
 */
export function lateHead(e: PodEcho): boolean {
  const first = e.head?.lines[0];
  const started = e.head?.startedAt;
  if (!first || started === undefined) return false;
  const at = Date.parse(first.ts);
  return Number.isFinite(at) && at - new Date(started).getTime() > HEADLESS_AFTER_MS;
}
