// process.stdout and process.stderr, created on first real use. Creating either for a pipe loads
// node:net and the streams (~3 ms of a ~40 ms start on Node 24; docs/performance.md, "Start-up"),
// where `--help`, `validate` and `render` only write text. So until something needs the stream
// itself, a write to a pipe or a regular file is one writeSync on the descriptor: the same bytes in
// the same order, since Node writes to pipes and files synchronously on Linux too. A terminal, a
// character device, a write the descriptor refuses (EAGAIN on a non-blocking pipe, EPIPE) or any
// other use (events, isTTY of a terminal, piping) hands over to the real stream, for good.
// A reader that has gone (`incluster status | head -1`: EPIPE) is not an error of the command:
// later output is dropped and the command ends with its own exit code, as git and kubectl do.
import { fstatSync, writeSync } from "node:fs";

export function lazyStdio(fd: 1 | 2, real: () => NodeJS.WriteStream): NodeJS.WriteStream {
  let stream: NodeJS.WriteStream | undefined;
  /** The reader closed its end: nothing written from now on can arrive. */
  let gone = false;
  const materialize = (): NodeJS.WriteStream => {
    if (stream) return stream;
    stream = real();
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err; // as unhandled as before
      gone = true;
    });
    return stream;
  };
  let direct = false;
  try {
    const st = fstatSync(fd);
    direct = st.isFIFO() || st.isFile() || st.isSocket();
  } catch {
    // closed descriptor: let Node's stream deal with it as it does today
  }
  const write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    if (gone) return true;
    if (stream === undefined && direct && typeof chunk === "string" && directArgs(encoding, cb)) {
      const buf = Buffer.from(chunk, "utf8");
      let off = 0;
      try {
        while (off < buf.length) off += writeSync(fd, buf, off);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EPIPE") {
          gone = true;
          return true;
        }
        direct = false;
        return materialize().write(buf.subarray(off));
      }
    }
    return (materialize().write as (...a: unknown[]) => boolean)(chunk, encoding, cb);
  };
  return new Proxy({} as NodeJS.WriteStream, {
    get(_, key) {
      if (key === "write") return write;
      // Not a terminal (that is the direct case): a stream for a pipe or file has no isTTY.
      if (key === "isTTY" && stream === undefined && direct) return undefined;
      const s = materialize();
      const v: unknown = Reflect.get(s, key, s);
      return typeof v === "function" ? (v as (...a: unknown[]) => unknown).bind(s) : v;
    },
    set: (_, key, value) => Reflect.set(materialize(), key, value),
    has: (_, key) => Reflect.has(materialize(), key),
    getPrototypeOf: () => Object.getPrototypeOf(materialize()) as object | null,
  });
}

/** Only write(string) goes direct; a callback or an encoding other than UTF-8 goes to the stream. */
function directArgs(encoding: unknown, cb: unknown): boolean {
  return cb === undefined && (encoding === undefined || encoding === "utf8" || encoding === "utf-8");
}
