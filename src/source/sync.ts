// `incluster dev`: the files of a round, packed as one tar for the held pod. The changed paths
// the watcher reported, read from the working tree as the overlay reads them (a regular file, a
// symlink, or gone: deleted), with the same credential-file exclusions as `source: local`.
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readdirSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { leftOutNote, splitCredentialFiles } from "./credential-files.js";
import { tar, type TarEntry } from "./tar.js";

export interface SyncArchive {
  /** The tar of the written files; undefined when none was. */
  archive?: Buffer;
  written: string[];
  /** Each written file's digest (content, mode, link target): what the pod holds once it is sent. */
  digests: Record<string, string>;
  deleted: string[];
  /** Why some files were left out (credential files), or undefined. */
  note?: string;
}

/** A directory the watcher names (a new one) counts with the files under it, up to this many. */
const DIR_FILES_LIMIT = 10_000;

/** The changed paths (relative to `top`, "/"-separated) as one tar and a list of deletions. */
export function syncArchive(top: string, changed: readonly string[], include: readonly string[] = []): SyncArchive {
  const paths = new Set<string>();
  const deleted = new Set<string>();
  for (const p of changed) {
    const st = lstatSync(join(top, p), { throwIfNoEntry: false });
    if (!st) deleted.add(p);
    else if (st.isDirectory()) for (const f of filesUnder(top, p)) paths.add(f);
    else if (st.isFile() || st.isSymbolicLink()) paths.add(p);
  }
  const { keep, leftOut } = splitCredentialFiles([...paths].sort(), include, (p) => readSmall(join(top, p)));
  const entries: TarEntry[] = [];
  for (const p of keep) {
    const full = join(top, p);
    const st = lstatSync(full, { throwIfNoEntry: false });
    if (!st) {
      deleted.add(p);
      continue;
    }
    if (st.isSymbolicLink()) entries.push({ path: p, content: Buffer.alloc(0), executable: false, linkTarget: readlinkSync(full), mtime: st.mtimeMs / 1000 });
    else entries.push({ path: p, content: readFileSync(full), executable: (st.mode & 0o111) !== 0, mtime: st.mtimeMs / 1000 });
  }
  return {
    ...(entries.length ? { archive: tar(entries) } : {}),
    written: entries.map((e) => e.path),
    digests: Object.fromEntries(entries.map((e) => [e.path, entryDigest(e)])),
    deleted: [...deleted].sort(),
    ...(leftOut.length ? { note: leftOutNote(leftOut) } : {}),
  };
}

function entryDigest(e: TarEntry): string {
  return createHash("sha256").update(`${e.executable ? "x" : "-"}${e.linkTarget ?? ""}\0`).update(e.content).digest("hex");
}

function filesUnder(top: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const d of readdirSync(join(top, rel), { withFileTypes: true })) {
      if (out.length >= DIR_FILES_LIMIT) return;
      const p = `${rel}/${d.name}`;
      if (d.isDirectory()) walk(p);
      else if (d.isFile() || d.isSymbolicLink()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function readSmall(path: string): string {
  try {
    return readFileSync(path, "utf8").slice(0, 64 * 1024);
  } catch {
    return "";
  }
}
