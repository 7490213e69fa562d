// `npm pack` of the working tree as git sees it (tracked and new files, no ignored ones: no dist/),
// as a clean clone or a git install has it, so prepack must build. The repository's node_modules
// is linked in for the build tools. Shared by the package test and the runner image's test.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "./cli.js";

export interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

export interface Packed {
  /** The tarball's path. */
  tarball: string;
  info: PackInfo;
  /** What npm printed on stderr while packing (the lifecycle scripts it ran). */
  log: string;
}

function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { cwd, timeout: 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      res({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr }),
    );
  });
}

/** Packs a copy of the working tree in `tmp`/repo; the tarball lands in `tmp`. */
export async function packWorkingTree(tmp: string): Promise<Packed> {
  const repo = join(tmp, "repo");
  const list = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT);
  if (list.code !== 0) throw new Error(`git ls-files: ${list.stderr}`);
  for (const f of list.stdout.split("\0").filter(Boolean)) {
    mkdirSync(dirname(join(repo, f)), { recursive: true });
    try {
      cpSync(join(ROOT, f), join(repo, f), { verbatimSymlinks: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e; // deleted but not yet committed
    }
  }
  symlinkSync(join(ROOT, "node_modules"), join(repo, "node_modules"));
  const packed = await run("npm", ["pack", "--json", "--pack-destination", tmp], repo);
  if (packed.code !== 0) throw new Error(`npm pack exited ${packed.code}:\n${packed.stderr.slice(-4000)}`);
  const info = (JSON.parse(packed.stdout) as PackInfo[])[0]!;
  return { tarball: join(tmp, info.filename), info, log: packed.stderr };
}
