// The library's history: the store a spec names (run's, and readHistory's), and readHistory, which
// reads suites' histories and their per-test statistics (what `incluster history` prints).
import { isAbsolute, resolve } from "node:path";
import { DEFAULT_HISTORY_KEEP, DEFAULT_HISTORY_STORE, historyStoreProblem, parseHistoryStore } from "../config/history.js";
import type { HistoryStoreSpec } from "../config/history.js";
import { UsageError } from "../errors.js";
import { clusterHistoryStore } from "../history/cluster-store.js";
import { dirHistoryStore } from "../history/dir-store.js";
import type { SuiteHistory } from "../history/model.js";
import { suiteStats } from "../history/stats.js";
import type { StatsOrder, SuiteStats } from "../history/stats.js";
import type { HistoryStore } from "../history/store.js";
import type { ClusterPort } from "../kube/port.js";
import type { RunHistory } from "../run/history.js";
import { realSetTimer, type SetTimer } from "../timers.js";
import { onCluster, reach } from "./cluster.js";
import { configDirOf } from "./config.js";
import type { ClusterAccess } from "./cluster.js";

/** The store a spec names; undefined for none. A dir: path is relative to baseDir. */
export function historyStore(
  spec: HistoryStoreSpec,
  o: { port: ClusterPort; namespace: string; setTimer: SetTimer; baseDir: string },
): HistoryStore | undefined {
  if (spec.kind === "none") return undefined;
  if (spec.kind === "dir") return dirHistoryStore(isAbsolute(spec.path) ? spec.path : resolve(o.baseDir, spec.path), o.setTimer);
  return clusterHistoryStore({ port: o.port, namespace: o.namespace, setTimer: o.setTimer });
}

/** run()'s history: the store and how many runs it keeps. */
export function runHistory(
  spec: HistoryStoreSpec,
  o: { port: ClusterPort; namespace: string; setTimer: SetTimer; baseDir: string; keep?: number | undefined },
): RunHistory | undefined {
  const store = historyStore(spec, o);
  return store ? { store, keep: o.keep ?? DEFAULT_HISTORY_KEEP } : undefined;
}

export interface ReadHistoryOptions extends ClusterAccess {
  /** Only these suites (default: every suite the store holds). */
  suites?: readonly string[];
  /** "cluster", or "dir:<path>" (relative to cwd); default the config's history.store, else cluster; "none" is refused. */
  store?: string;
  /** The order of each suite's tests: by id (default), most flaky first, or slowest first. */
  order?: StatsOrder;
  cwd?: string;
}

/** What readHistory returns; `suites` is exactly what `incluster history -o json` prints. */
export interface HistoryReport {
  /** Each suite's raw history, newest run first. */
  histories: SuiteHistory[];
  suites: SuiteStats[];
  /** Histories that could not be decoded (a newer incluster's format, damaged). */
  problems: string[];
}

/** Reads suites' histories and their per-test statistics (flake rate, median and p90 duration, last status). */
export async function readHistory(o: ReadHistoryOptions = {}): Promise<HistoryReport> {
  const s = o.store ?? o.config?.history?.store ?? DEFAULT_HISTORY_STORE;
  // A dir: of the option is relative to cwd, the config's to its file's folder (as run() takes them).
  const cwd = o.cwd ?? process.cwd();
  const base = o.store === undefined && o.config ? (configDirOf(o.config) ?? cwd) : cwd;
  const spec = parseHistoryStore(s);
  if (!spec) throw new UsageError(`--history: ${historyStoreProblem(s) ?? ""}`);
  if (spec.kind === "none") throw new UsageError("--history: none keeps no history to read", ["name the store: cluster, or dir:<path>"]);
  const read = async (store: HistoryStore) => {
    const { histories, problems } = await store.read(o.suites);
    const list = [...histories.values()].sort((a, b) => (a.suite < b.suite ? -1 : 1));
    return { histories: list, suites: list.map((h) => suiteStats(h, o.order)), problems };
  };
  if (spec.kind === "dir") return read(dirHistoryStore(isAbsolute(spec.path) ? spec.path : resolve(base, spec.path), realSetTimer));
  return onCluster(async () => {
    const { port, namespace } = await reach(o);
    return read(clusterHistoryStore({ port, namespace, setTimer: realSetTimer }));
  });
}
