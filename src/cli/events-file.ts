// --events <file|->: the run's RunEvent stream as JSON lines (one object per line), for tools
// and log shippers. The file is opened before the run, so an unwritable path is a usage error.
import { closeSync, openSync, writeSync } from "node:fs";
import { UsageError } from "../errors.js";
import type { EventSink } from "../events/types.js";

export interface EventsFile {
  sink: EventSink;
  close(): void;
}

export function openEventsFile(target: string, stdout: NodeJS.WritableStream): EventsFile {
  if (target === "-") return { sink: (e) => void stdout.write(`${JSON.stringify(e)}\n`), close: () => undefined };
  let fd: number;
  try {
    fd = openSync(target, "w");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(`--events: cannot write ${target} (${e.code ?? e.message})`, ["pass a writable file, or - for stdout"]);
  }
  let broken = false;
  return {
    sink: (e) => {
      if (broken) return;
      try {
        writeSync(fd, `${JSON.stringify(e)}\n`);
      } catch {
        // Disk full mid-run: the events file stops; the run and its saved logs go on.
        broken = true;
      }
    },
    close: () => closeSync(fd),
  };
}
