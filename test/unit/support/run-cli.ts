// Runs main() in-process with its own cwd, environment and captured output: the same code path
// as bin/incluster.js, with the context passed in instead of process.* (no module mocking).
import { relative } from "node:path";
import type { CliContext, GlobalOptions } from "../../../src/cli/context.js";
import { main } from "../../../src/cli/main.js";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(sink: string[]): NodeJS.WriteStream {
  // Only write() and isTTY are used by commands; the cast keeps the test free of real streams.
  return { isTTY: false, write: (chunk: string) => (sink.push(chunk), true) } as unknown as NodeJS.WriteStream;
}

export async function runCli(argv: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  let code = 0;
  await main(argv, (globals: () => GlobalOptions): CliContext => ({
    cwd: opts.cwd,
    env: { ...opts.env },
    stdout: capture(out),
    stderr: capture(err),
    globals,
    setExitCode: (c) => {
      code = c;
    },
    onInterrupt: () => () => undefined,
    relative: (p) => relative(opts.cwd, p) || ".",
  }));
  return { code, stdout: out.join(""), stderr: err.join("") };
}
