// Runs an engine command without a shell, streaming its output line by line and keeping the
// last lines for the error message (the engine's own words, STYLE.md "keep the cause").
import { spawn } from "node:child_process";

export interface ExecResult {
  code: number | null;
  /** Set when the program could not be started (ENOENT...). */
  spawnError?: string;
  tail: string[];
}

/** `env`: the environment the engine runs in (default process.env). */
export function execStreaming(argv: readonly string[], onLine: (line: string) => void, keep = 30, env?: NodeJS.ProcessEnv): Promise<ExecResult> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    const tail: string[] = [];
    const child = spawn(cmd ?? "", args, { stdio: ["ignore", "pipe", "pipe"], ...(env ? { env } : {}) });
    let spawnError: string | undefined;
    const reader = () => {
      let partial = "";
      return {
        data: (d: Buffer) => {
          const parts = (partial + d.toString()).split(/\r?\n/);
          partial = parts.pop() ?? "";
          for (const l of parts) emit(l);
        },
        end: () => partial && emit(partial),
      };
    };
    const emit = (l: string) => {
      onLine(l);
      tail.push(l);
      if (tail.length > keep) tail.shift();
    };
    const out = reader();
    const err = reader();
    child.stdout.on("data", out.data);
    child.stderr.on("data", err.data);
    child.on("error", (e) => (spawnError = e.message));
    child.on("close", (code) => {
      out.end();
      err.end();
      resolve({ code, tail, ...(spawnError ? { spawnError } : {}) });
    });
  });
}
