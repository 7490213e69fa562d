// The run's report directory: one log file per suite and container, written as lines arrive so
// they outlive the pod (Job TTL, deletes), the objects worth keeping, and result.json at the end.
// A write that fails (disk full, read-only, permissions) never crashes the run: prepare() refuses
// an unwritable directory before anything is created; later failures are recorded and reported.
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { WriteStream } from "node:fs";
import { open } from "node:fs/promises";
import { once } from "node:events";
import { pipeline } from "node:stream/promises";
import { dirname, join } from "node:path";
import { CouldNotRunError } from "../errors.js";
import { ARTIFACTS_SUBDIR, LOG_COPY } from "../names.js";
import { jsonChunks } from "../report/json.js";

/** Rewrites `file` as its lines that are not `pod`'s (by the runs of owners), then the pod's own copy. */
async function keepOthers(file: string, runs: [string, number][], pod: string, copy: string): Promise<void> {
  const tmp = `${file}.merge`;
  const out = createWriteStream(tmp);
  let run = 0;
  let left = runs[0]?.[1] ?? 0;
  let rest = Buffer.alloc(0);
  // Lines end at "\n" only (a line may hold a "\r"), as appendLog wrote them.
  for await (const chunk of createReadStream(file)) {
    let buf = Buffer.concat([rest, chunk as Buffer]);
    for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10)) {
      while (left === 0 && run < runs.length - 1) left = runs[++run]?.[1] ?? 0;
      left--;
      if (runs[run]?.[0] !== pod && !out.write(buf.subarray(0, nl + 1))) await once(out, "drain");
      buf = buf.subarray(nl + 1);
    }
    rest = buf;
  }
  await pipeline(createReadStream(copy), out);
  renameSync(tmp, file);
}

export interface WriteFailure {
  /** The file, as shown to the user. */
  path: string;
  code: string;
  message: string;
}

/** A collected folder taken in: where its artifacts are (as shown, and on disk) and both line counts. */
export interface Adopted {
  artifactsDir?: string;
  artifactsPath?: string;
  streamedLines: number;
  copyLines?: number;
}

export interface ReportFiles {
  /** Creates the directory and writes run.json; throws CouldNotRunError if it cannot. */
  prepare(start: object): void;
  /** `pod`: whose line it is (a Job may replace an evicted pod; each pod's lines are kept). */
  appendLog(suite: string, container: string, line: string, pod?: string): void;
  /** Where a container's log is saved, as shown to the user. */
  logPath(suite: string, container: string): string;
  writeJson(relPath: string, data: unknown): Promise<void>;
  /** A fresh folder inside the suite's report folder for a pod's collected output. */
  scratchDir(suite: string): string;
  /** Removes such a folder without taking anything from it (a copy that broke off and was taken again). */
  discardScratch(scratch: string): void;
  /**
   * Takes a collected folder in: artifacts/ becomes <suite>/artifacts/, and the pod's own log copy
   * replaces the streamed <suite>/<container>.log (which it may exceed: lines the kubelet rotated
   * away before they were read) when it came whole: `copyLines` is its line count (counted as it
   * streamed in); without it the streamed log stays. Returns where the artifacts are and both line
   * counts. With `pod`, lines streamed from other pods of the folder (one the Job replaced after an
   * eviction) stay, ahead of the copy.
   */
  adoptCollected(suite: string, container: string, scratch: string, pod?: string, copyLines?: number): Promise<Adopted>;
  /** Every write that failed so far (at most one entry per file). */
  failures(): readonly WriteFailure[];
  close(): Promise<void>;
}

/** `show` turns an absolute path into the one printed (relative to the user's cwd). */
export function reportFiles(dir: string, show: (abs: string) => string, onFailure: (f: WriteFailure) => void = () => undefined): ReportFiles {
  const streams = new Map<string, WriteStream>();
  const lineCounts = new Map<string, number>();
  /** Per file, whose lines it holds in order: runs of [pod, line count]. */
  const owners = new Map<string, [string, number][]>();
  const failed = new Map<string, WriteFailure>();
  const path = (suite: string, container: string) => join(dir, suite, `${container}.log`);
  const logFiles = new Map<string, { p: string; shown: string }>();
  const fail = (abs: string, err: unknown) => {
    const shown = show(abs);
    if (failed.has(shown)) return;
    const e = err as NodeJS.ErrnoException;
    const f = { path: shown, code: e.code ?? "EIO", message: (e.message ?? String(err)).replace(`${e.code}: `, "") };
    failed.set(shown, f);
    onFailure(f);
  };
  return {
    prepare(start) {
      const file = join(dir, "run.json");
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(file, `${JSON.stringify(start, null, 2)}\n`);
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const hint = "pass --report-dir <dir> with a writable folder (it keeps the logs and result.json); nothing was created in the cluster";
        throw new CouldNotRunError("REPORT_DIR_UNWRITABLE", `cannot write the report directory ${show(dir)}: ${e.message}`, hint, { cause: err });
      }
    },
    appendLog(suite, container, line, pod) {
      // Once per file, not per line (a million lines spent most of their time in path functions).
      const key = `${suite}\0${container}`;
      let at = logFiles.get(key);
      if (!at) logFiles.set(key, (at = { p: path(suite, container), shown: "" }));
      const p = at.p;
      if (failed.size && failed.has((at.shown ||= show(p)))) return;
      let s = streams.get(p);
      if (!s) {
        try {
          mkdirSync(join(dir, suite), { recursive: true });
        } catch (err) {
          return fail(p, err);
        }
        s = createWriteStream(p, { flags: "a" });
        s.on("error", (err) => fail(p, err));
        streams.set(p, s);
      }
      s.write(`${line}\n`);
      lineCounts.set(p, (lineCounts.get(p) ?? 0) + 1);
      const runs = owners.get(p) ?? [];
      const last = runs.at(-1);
      if (last && last[0] === (pod ?? "")) last[1]++;
      else runs.push([pod ?? "", 1]);
      owners.set(p, runs);
    },
    scratchDir(suite) {
      mkdirSync(join(dir, suite), { recursive: true });
      return mkdtempSync(join(dir, suite, ".collect-"));
    },
    discardScratch(scratch) {
      try {
        rmSync(scratch, { recursive: true, force: true });
      } catch (err) {
        fail(scratch, err);
      }
    },
    async adoptCollected(suite, container, scratch, pod, copyLines) {
      const p = path(suite, container);
      const streamedLines = lineCounts.get(p) ?? 0;
      const out: { artifactsDir?: string; artifactsPath?: string; streamedLines: number; copyLines?: number } = { streamedLines };
      try {
        const artifacts = join(scratch, ARTIFACTS_SUBDIR);
        if (existsSync(artifacts)) {
          const target = join(dir, suite, ARTIFACTS_SUBDIR);
          rmSync(target, { recursive: true, force: true });
          renameSync(artifacts, target);
          out.artifactsDir = show(target);
          out.artifactsPath = target;
        }
        const copy = join(scratch, LOG_COPY);
        if (copyLines !== undefined && existsSync(copy)) {
          const s = streams.get(p);
          if (s) {
            streams.delete(p);
            await new Promise<void>((r) => (s.destroyed ? r() : s.end(r)));
          }
          out.copyLines = copyLines;
          const runs = pod === undefined ? [] : (owners.get(p) ?? []);
          if (runs.some(([o]) => o !== pod)) await keepOthers(p, runs, pod ?? "", copy);
          else renameSync(copy, p);
        }
      } catch (err) {
        fail(p, err);
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
      return out;
    },
    logPath: (suite, container) => show(path(suite, container)),
    async writeJson(rel, data) {
      const p = join(dir, rel);
      try {
        mkdirSync(dirname(p), { recursive: true });
        // In 64 KiB parts: one string of a 100,000-test result.json and its UTF-8 copy were
        // ~120 MB of peak RSS (docs/performance.md, "Results at scale"). Same bytes as stringify.
        const fh = await open(p, "w");
        try {
          for (const part of jsonChunks(data)) await fh.write(part);
          await fh.write("\n");
        } finally {
          await fh.close();
        }
      } catch (err) {
        fail(p, err);
      }
    },
    failures: () => [...failed.values()],
    async close() {
      await Promise.all([...streams.values()].map((s) => new Promise<void>((r) => (s.destroyed ? r() : s.end(r)))));
      streams.clear();
    },
  };
}
