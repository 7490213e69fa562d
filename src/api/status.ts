// The library's status: every incluster Job in a namespace, newest first, each classified as run
// would (diagnose/job-state). `incluster status` prints it as a table or as this document.
import { jobState, podsOf } from "../diagnose/job-state.js";
import type { JobState } from "../diagnose/job-state.js";
import type { Job, Pod } from "../k8s-types.js";
import { MANAGED_BY, RUN_ID_LABEL, SUITE_LABEL } from "../names.js";
import { RESULT_API_VERSION } from "../results/run-result.js";
import { onCluster, reach } from "./cluster.js";
import type { ClusterAccess } from "./cluster.js";

export interface StatusRow extends JobState {
  runId: string;
  suite: string;
  job: string;
  /** RFC 3339; "" when the Job has no creation time. */
  createdAt: string;
}

/** What `incluster status -o json` prints. */
export interface RunStatus {
  apiVersion: typeof RESULT_API_VERSION;
  kind: "RunStatus";
  namespace: string;
  jobs: StatusRow[];
}

function created(j: Job): number {
  return new Date(j.metadata?.creationTimestamp ?? 0).getTime();
}

/** One row per Job, newest first. Pure. */
export function statusRows(jobs: readonly Job[], pods: readonly Pod[]): StatusRow[] {
  return [...jobs]
    .sort((a, b) => created(b) - created(a))
    .map((j) => ({
      runId: j.metadata?.labels?.[RUN_ID_LABEL] ?? "-",
      suite: j.metadata?.labels?.[SUITE_LABEL] ?? "-",
      job: j.metadata?.name ?? "",
      createdAt: j.metadata?.creationTimestamp ? new Date(j.metadata.creationTimestamp).toISOString() : "",
      ...jobState(j, podsOf(j, pods)),
    }));
}

/** The runs in the namespace: one list of its incluster Jobs and one of their pods. */
export async function status(o: ClusterAccess = {}): Promise<RunStatus> {
  return onCluster(() => statusUnwrapped(o));
}

async function statusUnwrapped(o: ClusterAccess = {}): Promise<RunStatus> {
  const { port, namespace } = await reach(o);
  const selector = { labelSelector: `${MANAGED_BY}=incluster,${RUN_ID_LABEL}` };
  const [jobs, pods] = await Promise.all([port.list("jobs", namespace, selector), port.list("pods", namespace, selector)]);
  return { apiVersion: RESULT_API_VERSION, kind: "RunStatus", namespace, jobs: statusRows(jobs.items, pods.items) };
}
