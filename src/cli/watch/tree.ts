// The working tree's watcher for `run --watch`: one non-recursive fs.watch per directory that
// holds a file git tracks or would add (git ls-files --cached --others --exclude-standard), so
// ignored directories (node_modules/, build output) are never descended into; .git/, .incluster/
// and the report directory are never watched; each changed path is asked of git check-ignore.
import { spawn } from "node:child_process";
import { watch, type FSWatcher } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { INCLUSTER_DIR } from "../../names.js";

export interface TreeWatcher {
  close(): void;
  /** How many directories are watched. */
  readonly dirs: number;
}

/** Paths (relative to top, "/"-separated) never watched nor reported. */
const ALWAYS_EXCLUDED = [".git", INCLUSTER_DIR];

/** git with its stdout, stdin fed; exit codes 0 and 1 are answers (check-ignore: 1 = none ignored). */
function gitOut(top: string, args: readonly string[], input = ""): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...args], { cwd: top, env: { ...process.env, GIT_OPTIONAL_LOCKS: "0" }, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", reject);
    // git may exit before reading all of stdin (EPIPE); its exit code says what happened.
    child.stdin.on("error", () => undefined);
    child.on("close", (code) => (code === 0 || code === 1 ? resolve(out) : reject(new Error(`git ${args[0]} failed (exit ${code}): ${err.trim()}`))));
    child.stdin.end(input);
  });
}

/** The directories of every file git tracks or would add, the top included. Pure. */
export function dirsOf(files: readonly string[], excluded: readonly string[]): string[] {
  const dirs = new Set<string>([""]);
  for (const f of files) {
    if (isExcluded(f, excluded)) continue;
    for (let d = dirname(f); d !== "." && !dirs.has(d); d = dirname(d)) dirs.add(d);
  }
  return [...dirs].sort();
}

export function isExcluded(path: string, excluded: readonly string[]): boolean {
  return [...ALWAYS_EXCLUDED, ...excluded].some((x) => path === x || path.startsWith(`${x}/`));
}

/**
 * Watches the working tree at top; onChange gets the changed paths git does not ignore, in batches.
 * `exclude`: more paths relative to top (the report directory). Errors of the rescan go to onError.
 */
export async function watchTree(
  top: string,
  o: { exclude: readonly string[]; onChange(paths: string[]): void; onError(err: Error): void },
): Promise<TreeWatcher> {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  let queue = new Set<string>();
  let checking = false;

  const listFiles = async () => (await gitOut(top, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"])).split("\0").filter(Boolean);
  const sync = async () => {
    const want = new Set(dirsOf(await listFiles(), o.exclude));
    if (closed) return;
    for (const [d, w] of watchers) {
      if (want.has(d)) continue;
      w.close();
      watchers.delete(d);
    }
    for (const d of want) if (!watchers.has(d)) add(d);
  };
  const add = (d: string) => {
    try {
      const w = watch(join(top, d), { persistent: true }, (_type, name) => {
        const path = name ? (d ? `${d}/${name.toString()}` : name.toString()) : d;
        if (!isExcluded(path, o.exclude)) enqueue(path);
      });
      // A directory removed under us: forget it; the next rescan decides again.
      w.on("error", () => {
        w.close();
        watchers.delete(d);
      });
      watchers.set(d, w);
    } catch {
      // Gone between ls-files and watch: nothing to watch.
    }
  };
  const enqueue = (path: string) => {
    queue.add(path);
    if (!checking) void flush();
  };
  // Paths seen while git answers wait for the next batch; a tracked file is never "ignored".
  const flush = async () => {
    checking = true;
    while (queue.size && !closed) {
      const batch = [...queue];
      queue = new Set();
      try {
        const ignored = new Set((await gitOut(top, ["check-ignore", "-z", "--stdin"], batch.join("\0") + "\0")).split("\0").filter(Boolean));
        const relevant = batch.filter((p) => !ignored.has(p));
        if (relevant.length && !closed) {
          o.onChange(relevant);
          // A new directory (or one removed) changes what is watched.
          sync().catch((e: unknown) => o.onError(e as Error));
        }
      } catch (e) {
        o.onError(e as Error);
      }
    }
    checking = false;
  };

  await sync();
  return {
    close() {
      closed = true;
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
    get dirs() {
      return watchers.size;
    },
  };
}

/** A path as the watcher names it: relative to top, "/"-separated; undefined when outside top. */
export function relativeToTop(top: string, abs: string): string | undefined {
  const rel = relative(top, abs);
  if (!rel || rel.startsWith("..")) return undefined;
  return rel.split(sep).join("/");
}
