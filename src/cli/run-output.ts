// Whether the terminal view may colour: only on a TTY, without NO_COLOR, CI or TERM=dumb.
import type { Style } from "../report/human.js";

export function outputStyle(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Style {
  const color = Boolean(stream.isTTY) && env.NO_COLOR === undefined && !env.CI && env.TERM !== "dumb";
  return { color };
}
