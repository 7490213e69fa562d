// Echoes a pod's own log copy as it streams in, from just after the last lines the live follow
// echoed before it was cut: the copy's lines before them were echoed live (or rotated away by
// the kubelet before they were read), the ones after them were not. Fed the copy's bytes in
// order; calls onLine for each line to echo, synchronously, so the echo keeps pace with the
// transfer instead of starting once the whole copy is on disk.
import { StringDecoder } from "node:string_decoder";

const NEWLINE = 0x0a;

export interface CopyEchoOptions {
  /** The last lines echoed live (oldest first); empty: nothing was, the echo starts at the copy's first line. */
  tail: readonly string[];
  /**
   * Lines of the copy that cannot hold the tail's first line: the live follow echoed `from` lines,
   * so the tail starts at line `from - tail.length` at the earliest (earlier lines may have been
   * rotated away unread, never added). Skipped as bytes, without decoding.
   */
  skipLines: number;
  onLine(line: string): void;
}

export class CopyEcho {
  /** The tail was found: the lines after it are being echoed. */
  found: boolean;
  /** Lines echoed from the copy so far. */
  echoed = 0;
  private readonly tail: readonly string[];
  private readonly window: string[] = [];
  private skip: number;
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";
  private readonly onLine: (line: string) => void;

  constructor(o: CopyEchoOptions) {
    this.tail = o.tail;
    this.found = o.tail.length === 0;
    this.skip = Math.max(0, o.skipLines);
    this.onLine = o.onLine;
  }

  write(chunk: Buffer): void {
    let start = 0;
    // A newline byte never occurs inside a multi-byte UTF-8 sequence: cutting after one is safe.
    while (this.skip > 0 && start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      if (nl === -1) return;
      start = nl + 1;
      this.skip--;
    }
    if (start >= chunk.length) return;
    const parts = (this.pending + this.decoder.write(start ? chunk.subarray(start) : chunk)).split("\n");
    this.pending = parts.pop() ?? "";
    for (const line of parts) this.take(line);
  }

  /** The copy's end: a last line without a newline is a line too. */
  end(): void {
    const rest = this.pending + this.decoder.end();
    this.pending = "";
    if (rest && this.skip === 0) this.take(rest);
  }

  private take(line: string): void {
    if (this.found) {
      this.echoed++;
      return this.onLine(line);
    }
    this.window.push(line);
    if (this.window.length > this.tail.length) this.window.shift();
    this.found = this.window.length === this.tail.length && this.window.every((l, i) => l === this.tail[i]);
  }
}
