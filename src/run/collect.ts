// Copies a pod's output (the artifacts directory and the complete log copy) out of the collector
// sidecar while it still runs: one `tar -c` through pods/exec, unpacked here as it streams in.
// A finished container cannot be exec'd (kubernetes#56841); the collector outlives the tests for
// exactly this, and exits once the copy is done (it sees the marker) or its grace runs out.
import { PassThrough } from "node:stream";
import { Parser, x as untar } from "../vendor/tar.js";
import type { ReadEntry } from "../vendor/tar.js";
import type { ClusterPort, KubeError } from "../kube/port.js";
import { ARTIFACTS_SUBDIR, COLLECTED_MARKER, COLLECTOR_CONTAINER, COPYING_MARKER, LOG_COPY, OUT_DIR } from "../names.js";

/** Artifacts beyond this many bytes (in archive order) are dropped and named; the log copy always comes. */
export const ARTIFACTS_LIMIT_BYTES = 100 * 1024 * 1024;

export interface Collected {
  /** Files kept under artifacts/, and their bytes. */
  files: number;
  bytes: number;
  /** Paths (under artifacts/) dropped because the limit was reached. */
  dropped: string[];
  /** The pod's log copy came, all of it (its size's worth of bytes): a copy cut short never replaces the streamed log. */
  logComplete: boolean;
  /** Its lines, counted as it streamed in. */
  logLines: number;
  /** Why nothing (or not everything) came back: exec denied, the collector gone, a broken stream. */
  error?: KubeError;
}

/**
 * The log copy first: its echo (see LogCopySink) starts with the transfer, not after the
 * artifacts. COPYING_MARKER is there while tar runs and until we answer, so the collector's idle
 * grace does not run out under a long copy. tar's exit 1 (a file changed as it was read) is a
 * copy too.
 *
 * The collector may go only once the copy came whole on our side, and tar's own exit cannot say
 * so: it ends once its last bytes are in the pipe, while megabytes may still be on their way
 * through the kubelet and the API server (issue 25: a collector that left on tar's word cut the
 * copy still streaming, and every retry met "container not found"). So the same exec waits for
 * our answer on its stdin (COLLECT_ACK once the archive's end came here, anything else if not)
 * and only then leaves the marker: one pods/exec per copy, not a second to mark it (issue 23).
 * A copy that broke leaves no marker (its stdin closes, `read` fails), and the collector keeps
 * the output for another. Nothing to copy is marked at once: there is nothing to lose.
 */
export const COLLECT_ACK = "collected";
export const COLLECT_COMMAND = [
  "/bin/sh",
  "-c",
  [
    `cd ${OUT_DIR} || exit 1;`,
    `[ -e ${LOG_COPY} ] && set -- ${LOG_COPY}; [ -d ${ARTIFACTS_SUBDIR} ] && set -- "$@" ${ARTIFACTS_SUBDIR};`,
    `if [ $# -eq 0 ]; then : > ${COLLECTED_MARKER}; exit 0; fi; : > ${COPYING_MARKER};`,
    `rc=0; tar -cf - "$@" 2>/dev/null || rc=$?; if [ $rc -gt 1 ]; then rm -f ${COPYING_MARKER}; exit $rc; fi;`,
    `ack=; read -r ack; rm -f ${COPYING_MARKER}; [ "$ack" = ${COLLECT_ACK} ] && : > ${COLLECTED_MARKER}; exit 0`,
  ].join(" "),
];

/** An interrupted run's word to a collector waiting for a copy that will not come: go now. */
export const RELEASE_COLLECTOR_COMMAND = ["/bin/sh", "-c", `: > ${OUT_DIR}/${COLLECTED_MARKER}`];

/** A tar entry's path as the collector's tar wrote it, without a leading "./". */
const entryPath = (path: string) => path.replace(/^\.\//, "");

/** Takes the log copy's bytes as they stream in (besides their being unpacked to disk). */
export interface LogCopySink {
  write(chunk: Buffer): void;
  /** The copy's last byte came, or the stream broke before it (then `complete` is false). */
  end(complete: boolean): void;
}

export interface CollectOptions {
  namespace: string;
  pod: string;
  dest: string;
  limitBytes?: number;
  /** Called at the log copy's tar header with its size: a sink to feed it to as it streams in, or nothing. */
  onLogCopy?(size: number): LogCopySink | undefined;
}

/**
 * Reads the log copy's entry from the same tar stream as the unpacking (a second parser: tar's
 * unpacking owns its entries' data), counting its lines and feeding the sink, if one is wanted.
 * `finish()`, once the stream is over, ends a copy the stream broke off inside. `onWhole` is told
 * once, at the archive's end, whether all of it came: the end is seen only after every entry
 * before it, but the log entry's own "end" and the parser's "eof" may come in either order.
 */
function logCopyReader(
  result: Collected,
  onLogCopy: CollectOptions["onLogCopy"],
  onWhole: (whole: boolean) => void,
): { parser: Parser; finish(): void; readonly started: boolean } {
  let finish = () => undefined as void;
  let started = false;
  let entryEnded = false;
  let eof = false;
  const settle = () => {
    if (eof && (!started || entryEnded)) onWhole(!started || result.logComplete);
  };
  const parser = new Parser({
    filter: (path) => entryPath(path) === LOG_COPY,
    onReadEntry: (entry: ReadEntry) => {
      started = true;
      const size = entry.size ?? 0;
      const sink = onLogCopy?.(size);
      let got = 0;
      finish = () => {
        if (entryEnded) return;
        entryEnded = true;
        result.logComplete = got === size;
        sink?.end(result.logComplete);
        settle();
      };
      entry.on("data", (chunk: Buffer) => {
        got += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) result.logLines++;
        sink?.write(chunk);
      });
      entry.on("end", () => finish());
    },
  });
  parser.on("eof", () => {
    eof = true;
    settle();
  });
  return {
    parser,
    finish: () => finish(),
    get started() {
      return started;
    },
  };
}

export async function collectOutput(port: ClusterPort, o: CollectOptions): Promise<Collected> {
  const limit = o.limitBytes ?? ARTIFACTS_LIMIT_BYTES;
  const result: Collected = { files: 0, bytes: 0, dropped: [], logComplete: false, logLines: 0 };
  const stream = new PassThrough();
  const extract = untar({
    cwd: o.dest,
    // The files are the user's, not uid 1000's of the pod (tar keeps owners when run as root).
    preserveOwner: false,
    // Never more than the limit on disk; directories and the log copy always pass.
    filter: (path, entry) => {
      const p = entryPath(path);
      if (p === LOG_COPY) return true;
      if (!p.startsWith(`${ARTIFACTS_SUBDIR}/`) || !("type" in entry) || entry.type === "Directory") return p.startsWith(ARTIFACTS_SUBDIR);
      if (result.bytes + entry.size > limit) {
        result.dropped.push(p.slice(ARTIFACTS_SUBDIR.length + 1));
        return false;
      }
      result.files++;
      result.bytes += entry.size;
      return true;
    },
  });
  const unpacked = new Promise<void>((resolve) => {
    extract.on("finish", () => resolve());
    extract.on("close", () => resolve());
    extract.on("error", (e: Error) => {
      result.error ??= { message: `could not unpack the collected output: ${e.message}` };
      // The rest is discarded, so the exec socket (paused while the unpacking was behind) ends.
      stream.unpipe(extract);
      stream.resume();
      resolve();
    });
  });
  // The collector's answer (COLLECT_COMMAND): given once, at the archive's end or when it cannot come.
  const stdin = new PassThrough();
  let answered = false;
  const answer = (whole: boolean) => {
    if (answered) return;
    answered = true;
    stdin.end(`${whole ? COLLECT_ACK : "incomplete"}\n`);
  };
  const log = logCopyReader(result, o.onLogCopy, answer);
  const read = new Promise<void>((resolve) => {
    for (const event of ["end", "close", "finish"]) log.parser.on(event, () => resolve());
    log.parser.on("error", () => {
      // The unpacking says what was wrong with the archive; the copy ends here, incomplete.
      answer(false);
      stream.unpipe(log.parser);
      stream.resume();
      resolve();
    });
  });
  stream.pipe(extract);
  stream.pipe(log.parser);
  const command = { namespace: o.namespace, pod: o.pod, container: COLLECTOR_CONTAINER, command: COLLECT_COMMAND, stdin };
  const r = await port.exec(command, stream, devNull());
  answer(false);
  stream.end();
  await Promise.all([unpacked, read]);
  log.finish();
  if (r.error) result.error = r.error;
  return result;
}

/** Somewhere for an exec's output nobody reads. */
function devNull(): PassThrough {
  return new PassThrough().resume();
}

/** Unpacks a gzipped tar (the collector's log fallback) into dest; counts the artifacts. */
export async function unpackArchive(archive: Buffer, dest: string): Promise<Collected> {
  const result: Collected = { files: 0, bytes: 0, dropped: [], logComplete: false, logLines: 0 };
  const extract = untar({
    cwd: dest,
    preserveOwner: false,
    filter: (path, entry) => {
      if ("type" in entry && entry.type === "File") {
        result.files++;
        result.bytes += entry.size;
      }
      return entryPath(path).startsWith(ARTIFACTS_SUBDIR);
    },
  });
  await new Promise<void>((resolve) => {
    extract.on("finish", () => resolve());
    extract.on("close", () => resolve());
    extract.on("error", (e: Error) => {
      result.error = { message: `could not unpack the artifacts from the collector's log: ${e.message}` };
      resolve();
    });
    extract.end(archive);
  });
  return result;
}
