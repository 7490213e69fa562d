// The default history store: one ConfigMap per suite in the suites' namespace, its history
// gzipped in binaryData, labelled managed-by=incluster and incluster.dev/history-of=<suite> (no run
// id and no suite label, so `clean` and whatever selects a suite's run objects never take it). A
// write is read-modify-write with optimistic concurrency: it replaces the ConfigMap at the
// resourceVersion it read, and on 409 (someone else's run landed first;
// AlreadyExists when both created it) it reads again and retries, so concurrent runs all land.
import { HISTORY_LABEL, MANAGED_BY, historyName } from "../names.js";
import type { ClusterPort, ConfigMapData, KubeError } from "../kube/port.js";
import type { SetTimer } from "../timers.js";
import { decodeHistory, fitHistory } from "./codec.js";
import type { HistoryRun, SuiteHistory } from "./model.js";
import { withRun } from "./record.js";
import { HISTORY_KEY, type HistoryStore } from "./store.js";

/** Attempts of one append before it gives up (each lost race means another run landed). */
export const HISTORY_WRITE_TRIES = 25;
/** The first wait after a conflict; it grows with each try, with jitter so racing writers spread out. */
const RETRY_BASE_MS = 20;

export const HISTORY_SELECTOR = `${MANAGED_BY}=incluster,${HISTORY_LABEL}`;

export type HistoryPort = Pick<ClusterPort, "readConfigMaps" | "getConfigMap" | "writeConfigMap">;

export interface ClusterStoreOptions {
  port: HistoryPort;
  namespace: string;
  setTimer: SetTimer;
  /** [0, 1): the retry jitter (tests fix it). */
  random?: () => number;
}

function isConflict(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as KubeError).status === 409;
}

function historyOf(cm: ConfigMapData | undefined, suite: string): SuiteHistory | { problem: string } {
  const b64 = cm?.binaryData?.[HISTORY_KEY];
  if (!cm || b64 === undefined) return { suite, runs: [] };
  return decodeHistory(Buffer.from(b64, "base64"));
}

export function clusterHistoryStore(o: ClusterStoreOptions): HistoryStore {
  const random = o.random ?? Math.random;
  const wait = (ms: number) => new Promise<void>((resolve) => void o.setTimer(resolve, ms));
  return {
    kind: "cluster",
    where: `namespace ${o.namespace}`,
    async read(suites) {
      const wanted = suites ? new Set(suites) : undefined;
      const histories = new Map<string, SuiteHistory>();
      const problems: string[] = [];
      for (const cm of await o.port.readConfigMaps(o.namespace, HISTORY_SELECTOR)) {
        const suite = cm.labels[HISTORY_LABEL] ?? "";
        if (!suite || cm.name !== historyName(suite) || (wanted && !wanted.has(suite))) continue;
        const h = historyOf(cm, suite);
        if ("problem" in h) problems.push(`configmap/${cm.name}: ${h.problem}`);
        else histories.set(suite, { suite, runs: h.runs });
      }
      return { histories, problems };
    },
    async append(suite: string, run: HistoryRun, keep: number) {
      const name = historyName(suite);
      for (let tryNo = 1; ; tryNo++) {
        const cm = await o.port.getConfigMap(o.namespace, name);
        const current = historyOf(cm, suite);
        // Never overwrite what this version cannot read (a newer incluster's format).
        if ("problem" in current) throw new Error(`configmap/${name}: ${current.problem}; not overwritten`);
        const { bytes, omitted } = fitHistory(withRun({ suite, runs: current.runs }, run, keep), keep);
        const labels = { [MANAGED_BY]: "incluster", [HISTORY_LABEL]: suite };
        try {
          await o.port.writeConfigMap({
            name,
            namespace: o.namespace,
            labels,
            binaryData: { [HISTORY_KEY]: bytes.toString("base64") },
            ...(cm?.resourceVersion ? { resourceVersion: cm.resourceVersion } : {}),
          });
          return omitted ? { omitted } : {};
        } catch (err) {
          if (!isConflict(err) || tryNo >= HISTORY_WRITE_TRIES) throw err;
          await wait(Math.round(RETRY_BASE_MS * Math.min(tryNo, 10) * (0.5 + random())));
        }
      }
    },
  };
}
