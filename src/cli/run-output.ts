// Human progress on stderr for `run` and `logs`: one plain line per change, log lines prefixed
// with the container (and the suite when several run), colour only on a TTY without NO_COLOR/CI.
import type { RunOutput } from "../run/orchestrator.js";
import { paint, progressLine } from "../report/human.js";
import type { Style } from "../report/human.js";

export function outputStyle(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Style {
  const color = Boolean(stream.isTTY) && env.NO_COLOR === undefined && !env.CI && env.TERM !== "dumb";
  return { color };
}

export interface HumanOutputOptions {
  style: Style;
  several: boolean;
  verbose: boolean;
  /** Do not echo test output (e.g. -o json piped, --quiet). Logs are still saved. */
  quietLogs: boolean;
  write: (text: string) => void;
  now?: () => Date;
}

export function humanOutput(o: HumanOutputOptions): RunOutput {
  const now = o.now ?? (() => new Date());
  const short: Record<string, string> = { "clone-repo": "clone", "test-runner": "test" };
  return {
    progress: (suite, text) => o.write(`${progressLine(o.style, now(), suite, text)}\n`),
    verbose: (suite, text) => {
      if (o.verbose) o.write(`${progressLine(o.style, now(), suite, paint(o.style, "dim", text))}\n`);
    },
    logLine: (suite, container, line) => {
      if (o.quietLogs) return;
      const tag = o.several ? `${suite}/${short[container] ?? container}` : short[container] ?? container;
      // One write per line: concurrent suites never interleave mid-line.
      o.write(`${paint(o.style, "dim", `[${tag}]`)} ${line}\n`);
    },
    info: (text) => o.write(`${paint(o.style, "yellow", "incluster:")} ${text}\n`),
  };
}
