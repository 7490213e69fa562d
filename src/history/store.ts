// Where suites' histories are kept: the interface the engine, `incluster history` and the
// library's readHistory use, whatever the store (ConfigMaps in the cluster, or a folder).
import type { Omitted } from "./bound.js";
import type { HistoryRun, SuiteHistory } from "./model.js";

/** What an append did beyond adding the run: the tests left out of a run too large for one object (bound.ts). */
export interface AppendOutcome {
  omitted?: Omitted;
}

export interface HistoryStore {
  /** What the user is told: "cluster" or "dir", and where (a namespace, a folder). */
  readonly kind: "cluster" | "dir";
  readonly where: string;
  /**
   * The histories of the named suites (every suite the store holds when none are named), one
   * read; a suite without history is absent. A history that cannot be decoded is a problem, not a throw.
   * Throws the store's error (KubeError 403 without permission, a file system error).
   */
  read(suites?: readonly string[]): Promise<{ histories: Map<string, SuiteHistory>; problems: string[] }>;
  /** Adds one run to a suite's history (the newest `keep` runs stay), without losing a concurrent writer's run. */
  append(suite: string, run: HistoryRun, keep: number): Promise<AppendOutcome>;
}

/** The key of a history's bytes, in a ConfigMap's binaryData and as a file's suffix. */
export const HISTORY_KEY = "history.json.gz";
