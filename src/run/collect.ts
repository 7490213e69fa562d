// Copies a pod's output (the artifacts directory and the complete log copy) out of the collector
// sidecar while it still runs: one `tar -c` through pods/exec, unpacked here as it streams in.
// A finished container cannot be exec'd (kubernetes#56841); the collector outlives the tests for
// exactly this, and exits once the copy is done (it sees the marker) or its grace runs out.
import { PassThrough } from "node:stream";
import { x as untar } from "../vendor/tar.js";
import type { ClusterPort, KubeError } from "../kube/port.js";
import { ARTIFACTS_SUBDIR, COLLECTED_MARKER, COLLECTOR_CONTAINER, LOG_COPY, OUT_DIR } from "../render/names.js";

/** Artifacts beyond this many bytes (in archive order) are dropped and named; the log copy always comes. */
export const ARTIFACTS_LIMIT_BYTES = 100 * 1024 * 1024;

export interface Collected {
  /** Files kept under artifacts/, and their bytes. */
  files: number;
  bytes: number;
  /** Paths (under artifacts/) dropped because the limit was reached. */
  dropped: string[];
  /** The log copy was among what came back. */
  logCopy: boolean;
  /** Its size in bytes (0 without it). */
  logBytes: number;
  /** Why nothing (or not everything) came back: exec denied, the collector gone, a broken stream. */
  error?: KubeError;
}

export const COLLECT_COMMAND = ["/bin/sh", "-c", `cd ${OUT_DIR} && tar -cf - ${ARTIFACTS_SUBDIR} ${LOG_COPY} 2>/dev/null; touch ${OUT_DIR}/${COLLECTED_MARKER}`];

export async function collectOutput(port: ClusterPort, o: { namespace: string; pod: string; dest: string; limitBytes?: number }): Promise<Collected> {
  const limit = o.limitBytes ?? ARTIFACTS_LIMIT_BYTES;
  const result: Collected = { files: 0, bytes: 0, dropped: [], logCopy: false, logBytes: 0 };
  const stream = new PassThrough();
  const extract = untar({
    cwd: o.dest,
    // The files are the user's, not uid 1000's of the pod (tar keeps owners when run as root).
    preserveOwner: false,
    // Never more than the limit on disk; directories and the log copy always pass.
    filter: (path, entry) => {
      const p = path.replace(/^\.\//, "");
      if (p === LOG_COPY) {
        result.logBytes = "size" in entry ? (entry.size ?? 0) : 0;
        return (result.logCopy = true);
      }
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
  stream.pipe(extract);
  const stderr = new PassThrough();
  stderr.resume();
  const r = await port.exec({ namespace: o.namespace, pod: o.pod, container: COLLECTOR_CONTAINER, command: COLLECT_COMMAND }, stream, stderr);
  stream.end();
  await unpacked;
  if (r.error) result.error = r.error;
  return result;
}

/** Unpacks a gzipped tar (the collector's log fallback) into dest; counts the artifacts. */
export async function unpackArchive(archive: Buffer, dest: string): Promise<Collected> {
  const result: Collected = { files: 0, bytes: 0, dropped: [], logCopy: false, logBytes: 0 };
  const extract = untar({
    cwd: dest,
    preserveOwner: false,
    filter: (path, entry) => {
      if ("type" in entry && entry.type === "File") {
        result.files++;
        result.bytes += entry.size;
      }
      return path.replace(/^\.\//, "").startsWith(ARTIFACTS_SUBDIR);
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
