// Pure line handling for resumable log follows. The API's sinceTime has one-second precision,
// so a resumed stream repeats lines; each line carries the kubelet's nanosecond timestamp
// (timestamps=true), and we accept a line only if it is strictly after the last one we took,
// counting lines that share the exact last timestamp.

export interface LogLine {
  /** The kubelet's RFC3339Nano timestamp, as sent. */
  ts: string;
  text: string;
}

export interface LineCursor {
  /** Sort key of the last accepted line's timestamp. */
  lastKey: string;
  /** How many accepted lines carry exactly lastKey. */
  atLastKey: number;
}

export const startCursor: LineCursor = { lastKey: "", atLastKey: 0 };

/** A sortable key: RFC3339 with the fraction padded to 9 digits ("…:05.1Z" < "…:05.12Z"). */
export function timestampKey(ts: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return ts;
  const base = m[1] ?? "";
  const frac = (m[2] ?? "").padEnd(9, "0").slice(0, 9);
  if (m[3] === "Z") return `${base}.${frac}`;
  // Rare: a kubelet on a non-UTC clock. Normalise through Date (ms precision) and keep the ns tail.
  const d = new Date(`${base}${m[3]}`);
  return `${d.toISOString().slice(0, 19)}.${frac}`;
}

/** Splits buffered text into whole timestamped lines; the unfinished tail stays for the next chunk. */
export function splitLines(pending: string, chunk: string): { lines: LogLine[]; rest: string } {
  const text = pending + chunk;
  const parts = text.split("\n");
  const rest = parts.pop() ?? "";
  const lines: LogLine[] = [];
  for (const raw of parts) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const sp = line.indexOf(" ");
    if (sp > 0 && /^\d{4}-\d\d-\d\dT/.test(line)) lines.push({ ts: line.slice(0, sp), text: line.slice(sp + 1) });
    else lines.push({ ts: "", text: line });
  }
  return { lines, rest };
}

/**
 * Decides whether a line from a (possibly resumed) stream is new. `replayed` counts lines at
 * the cursor's exact timestamp seen so far in the current stream, to skip those already taken.
 */
export function acceptLine(cursor: LineCursor, replayedAtLast: number, line: LogLine): { accept: boolean; cursor: LineCursor; replayedAtLast: number } {
  if (!line.ts) return { accept: true, cursor, replayedAtLast };
  const key = timestampKey(line.ts);
  if (key < cursor.lastKey) return { accept: false, cursor, replayedAtLast };
  if (key === cursor.lastKey) {
    if (replayedAtLast < cursor.atLastKey) return { accept: false, cursor, replayedAtLast: replayedAtLast + 1 };
    return { accept: true, cursor: { lastKey: key, atLastKey: cursor.atLastKey + 1 }, replayedAtLast: replayedAtLast + 1 };
  }
  return { accept: true, cursor: { lastKey: key, atLastKey: 1 }, replayedAtLast: 0 };
}

/** sinceTime for resuming: the last line's second (the API drops sub-second precision). */
export function resumeSince(cursor: LineCursor): string | undefined {
  if (!cursor.lastKey) return undefined;
  return `${cursor.lastKey.slice(0, 19)}Z`;
}
