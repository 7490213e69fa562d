// What commands get from the CLI edge: streams, environment, global flags, the exit code
// setter and interrupt hooks. Passed in, so commands never touch process.* directly.
import { relative } from "node:path";
import { lazyStdio } from "./stdio.js";

export interface GlobalOptions {
  config?: string;
  namespace?: string;
  context?: string;
  kubeconfig?: string;
  verbose?: boolean;
}

export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  globals(): GlobalOptions;
  setExitCode(code: number): void;
  /** Runs fn on the first Ctrl-C/SIGTERM; returns a function that detaches it. */
  onInterrupt(fn: () => void): () => void;
  relative(path: string): string;
}

export function processContext(globals: () => GlobalOptions): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: lazyStdio(1, () => process.stdout),
    stderr: lazyStdio(2, () => process.stderr),
    globals,
    setExitCode: (code) => {
      process.exitCode = code;
    },
    onInterrupt(fn) {
      let count = 0;
      const handler = (sig: NodeJS.Signals) => {
        count++;
        if (count === 1) {
          process.stderr.write(`\nincluster: ${sig}: cleaning up (press Ctrl-C again to leave without cleaning up)\n`);
          fn();
        } else {
          // The user insisted: leave now. Re-raising the signal with its default action gives
          // the shell 128 + signal (130 for Ctrl-C), without a process.exit outside main.
          process.off("SIGINT", handler);
          process.off("SIGTERM", handler);
          process.kill(process.pid, sig);
        }
      };
      process.on("SIGINT", handler);
      process.on("SIGTERM", handler);
      return () => {
        process.off("SIGINT", handler);
        process.off("SIGTERM", handler);
      };
    },
    relative: (p) => relative(process.cwd(), p) || ".",
  };
}
