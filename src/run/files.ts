// The run's report directory: one log file per suite and container, written as lines arrive so
// they outlive the pod (Job TTL, deletes), plus result.json at the end.
import { createWriteStream, mkdirSync } from "node:fs";
import type { WriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import type { RunFiles } from "./orchestrator.js";

export function reportFiles(dir: string): RunFiles {
  const streams = new Map<string, WriteStream>();
  const path = (suite: string, container: string) => join(dir, suite, `${container}.log`);
  const shown = (p: string) => (p.startsWith("/") ? relative(process.cwd(), p) || p : p);
  return {
    appendLog(suite, container, line) {
      const p = path(suite, container);
      let s = streams.get(p);
      if (!s) {
        mkdirSync(join(dir, suite), { recursive: true });
        s = createWriteStream(p, { flags: "a" });
        streams.set(p, s);
      }
      s.write(`${line}\n`);
    },
    logPath: (suite, container) => shown(path(suite, container)),
    async writeJson(rel, data) {
      mkdirSync(dirname(join(dir, rel)), { recursive: true });
      await writeFile(join(dir, rel), `${JSON.stringify(data, null, 2)}\n`);
    },
    async close() {
      await Promise.all([...streams.values()].map((s) => new Promise<void>((r) => s.end(r))));
      streams.clear();
    },
  };
}
