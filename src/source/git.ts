// The git calls the source stage makes (git is the user's own tool, run without a shell). Every
// call runs with GIT_OPTIONAL_LOCKS=0 and, in the working tree, a throwaway copy of the index:
// the repository is left exactly as it was, stat cache included.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type GitEnv = Readonly<Record<string, string | undefined>>;

export interface GitResult {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** `base`: the environment git runs in (default process.env); `env`: variables set on top of it. */
export function git(args: readonly string[], o: { cwd?: string; env?: Record<string, string>; base?: GitEnv; timeoutMs?: number } = {}): Promise<GitResult> {
  return new Promise((resolve) => {
    execFile(
      "git",
      [...args],
      {
        cwd: o.cwd,
        env: { ...(o.base ?? process.env), GIT_OPTIONAL_LOCKS: "0", GIT_TERMINAL_PROMPT: "0", ...o.env },
        maxBuffer: 256 * 1024 * 1024,
        timeout: o.timeoutMs ?? 60_000,
        encoding: "utf8",
      },
      (err, stdout, stderr) => resolve({ ok: !err, stdout, stderr: stderr || (err && !stderr ? err.message : "") }),
    );
  });
}

/** Runs fn with GIT_INDEX_FILE pointing at a copy of the repository's index, removed afterwards. */
export async function withIndexCopy<T>(gitDir: string, fn: (env: Record<string, string>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "incluster-index-"));
  const copy = join(dir, "index");
  const index = join(gitDir, "index");
  if (existsSync(index)) copyFileSync(index, copy);
  try {
    return await fn({ GIT_INDEX_FILE: copy });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
