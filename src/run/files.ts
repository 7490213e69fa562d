// The run's report directory: one log file per suite and container, written as lines arrive so
// they outlive the pod (Job TTL, deletes), the objects worth keeping, and result.json at the end.
// A write that fails (disk full, read-only, permissions) never crashes the run: prepare() refuses
// an unwritable directory before anything is created; later failures are recorded and reported.
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { WriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { CouldNotRunError } from "../errors.js";
import { ARTIFACTS_SUBDIR, LOG_COPY } from "../render/names.js";

async function countLines(file: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(file)) {
    const buf = chunk as Buffer;
    for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++;
  }
  return n;
}

export interface WriteFailure {
  /** The file, as shown to the user. */
  path: string;
  code: string;
  message: string;
}

export interface ReportFiles {
  /** Creates the directory and writes run.json; throws CouldNotRunError if it cannot. */
  prepare(start: object): void;
  appendLog(suite: string, container: string, line: string): void;
  /** Where a container's log is saved, as shown to the user. */
  logPath(suite: string, container: string): string;
  writeJson(relPath: string, data: unknown): Promise<void>;
  /** A fresh folder inside the suite's report folder for a pod's collected output. */
  scratchDir(suite: string): string;
  /**
   * Takes a collected folder in: artifacts/ becomes <suite>/artifacts/, and the pod's own log copy
   * replaces the streamed <suite>/<container>.log (which it may exceed: lines the kubelet rotated
   * away before they were read). Returns where the artifacts are and both line counts.
   */
  adoptCollected(suite: string, container: string, scratch: string): Promise<{ artifactsDir?: string; artifactsPath?: string; streamedLines: number; copyLines?: number }>;
  /** Every write that failed so far (at most one entry per file). */
  failures(): readonly WriteFailure[];
  close(): Promise<void>;
}

/** `show` turns an absolute path into the one printed (relative to the user's cwd). */
export function reportFiles(dir: string, show: (abs: string) => string, onFailure: (f: WriteFailure) => void = () => undefined): ReportFiles {
  const streams = new Map<string, WriteStream>();
  const lineCounts = new Map<string, number>();
  const failed = new Map<string, WriteFailure>();
  const path = (suite: string, container: string) => join(dir, suite, `${container}.log`);
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
        throw new CouldNotRunError("REPORT_DIR_UNWRITABLE", `cannot write the report directory ${show(dir)}: ${e.message}`, "pass --report-dir <dir> with a writable folder (it keeps the logs and result.json); nothing was created in the cluster", { cause: err });
      }
    },
    appendLog(suite, container, line) {
      const p = path(suite, container);
      if (failed.has(show(p))) return;
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
    },
    scratchDir(suite) {
      mkdirSync(join(dir, suite), { recursive: true });
      return mkdtempSync(join(dir, suite, ".collect-"));
    },
    async adoptCollected(suite, container, scratch) {
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
        if (existsSync(copy)) {
          const s = streams.get(p);
          if (s) {
            streams.delete(p);
            await new Promise<void>((r) => (s.destroyed ? r() : s.end(r)));
          }
          out.copyLines = await countLines(copy);
          renameSync(copy, p);
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
        await writeFile(p, `${JSON.stringify(data, null, 2)}\n`);
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
