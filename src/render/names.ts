// Object names and labels. The Job carries the run id; the ServiceAccount, Role and RoleBinding
// do not, because they are shared by every run of a suite and server-side-applied.
import { JOB_PREFIX, JOB_SUFFIX } from "../config/names.js";

export const MANAGED_BY = "app.kubernetes.io/managed-by";
export const SUITE_LABEL = "incluster.dev/suite";
export const RUN_ID_LABEL = "incluster.dev/run-id";

/** test-<suite>-e2e: the guide's name, used for the shared objects and run-less Jobs. */
export function baseName(suite: string): string {
  return `${JOB_PREFIX}${suite}${JOB_SUFFIX}`;
}

export function jobName(suite: string, runId?: string): string {
  return runId ? `${baseName(suite)}-${runId}` : baseName(suite);
}

/** Labels of the shared objects; the Job and its pods add the run id. */
export function suiteLabels(suite: string, runId?: string): Record<string, string> {
  return {
    // The guide's labels, so its kubectl commands (-l app=test-<suite>-e2e) keep working.
    app: baseName(suite),
    component: "e2e-test",
    [MANAGED_BY]: "incluster",
    [SUITE_LABEL]: suite,
    ...(runId ? { [RUN_ID_LABEL]: runId } : {}),
  };
}
