// history.store dir:<path>: one file per suite (<suite>.history.json.gz, the ConfigMap's bytes),
// for a CI cache or a machine without the cluster permission. A write takes <suite>.lock
// (created exclusively; one older than LOCK_STALE_MS is a crashed writer's and is taken over),
// then writes a temporary file and renames it over the old one, so a reader never sees half a file.
import { mkdir, open, readFile, readdir, rename, stat, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { SetTimer } from "../timers.js";
import { decodeHistory, fitHistory } from "./codec.js";
import type { HistoryRun, SuiteHistory } from "./model.js";
import { withRun } from "./record.js";
import { HISTORY_KEY, type HistoryStore } from "./store.js";

const SUFFIX = `.${HISTORY_KEY}`;
const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 25;
const LOCK_TRIES = 800;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

async function readSuite(dir: string, suite: string): Promise<SuiteHistory | { problem: string }> {
  try {
    return decodeHistory(await readFile(join(dir, `${suite}${SUFFIX}`)));
  } catch (err) {
    if (code(err) === "ENOENT") return { suite, runs: [] };
    throw err;
  }
}

export function dirHistoryStore(dir: string, setTimer: SetTimer): HistoryStore {
  const wait = (ms: number) => new Promise<void>((resolve) => void setTimer(resolve, ms));
  async function lock(path: string): Promise<() => Promise<void>> {
    for (let i = 0; i < LOCK_TRIES; i++) {
      try {
        await (await open(path, "wx")).close();
        return () => unlink(path).catch(() => undefined);
      } catch (err) {
        if (code(err) !== "EEXIST") throw err;
        const age = await stat(path).then((s) => Date.now() - s.mtimeMs, () => 0);
        if (age > LOCK_STALE_MS) await unlink(path).catch(() => undefined);
        else await wait(LOCK_WAIT_MS);
      }
    }
    throw new Error(`${path}: held by another writer for ${(LOCK_TRIES * LOCK_WAIT_MS) / 1000}s`);
  }
  return {
    kind: "dir",
    where: dir,
    async read(suites) {
      const names = suites ?? (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length));
      const histories = new Map<string, SuiteHistory>();
      const problems: string[] = [];
      for (const suite of names) {
        const h = await readSuite(dir, suite);
        if ("problem" in h) problems.push(`${join(dir, `${suite}${SUFFIX}`)}: ${h.problem}`);
        else if (h.runs.length) histories.set(suite, { suite, runs: h.runs });
      }
      return { histories, problems };
    },
    async append(suite: string, run: HistoryRun, keep: number) {
      await mkdir(dir, { recursive: true });
      const file = join(dir, `${suite}${SUFFIX}`);
      const unlock = await lock(join(dir, `${suite}.lock`));
      try {
        const current = await readSuite(dir, suite);
        if ("problem" in current) throw new Error(`${file}: ${current.problem}; not overwritten`);
        const { bytes, omitted } = fitHistory(withRun({ suite, runs: current.runs }, run, keep), keep);
        const tmp = `${file}.${process.pid}.tmp`;
        await writeFile(tmp, bytes);
        await rename(tmp, file);
        return omitted ? { omitted } : {};
      } finally {
        await unlock();
      }
    },
  };
}
