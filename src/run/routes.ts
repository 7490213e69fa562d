// Where the session's shared watches send each object: to the attempt (its driver, suite-run.ts)
// whose Job it is or belongs to, found by name in O(1), so per-object work is that suite's, not
// the whole run's. The session (cluster-session.ts) routes through it; a suite's attempts
// (suite-attempts.ts) add each attempt's driver as they make it.
import type { Job, KubeEvent, KubeObject } from "../k8s-types.js";
import { JOB_NAME_LABEL, SUITE_LABEL } from "../names.js";
import type { SuiteRun } from "./suite-run.js";

export class Routes {
  /** Every attempt of every suite, by Job name. */
  private readonly byJob = new Map<string, SuiteRun>();
  /** Each suite's current attempt. */
  private readonly latest = new Map<string, SuiteRun>();

  add(run: SuiteRun): void {
    this.byJob.set(run.jobName, run);
    this.latest.set(run.suite.name, run);
  }

  ofJob(job: Job): SuiteRun | undefined {
    return this.byJob.get(job.metadata?.name ?? "");
  }

  /** Pods carry their Job's name (the Job controller's label); without it, the suite's current attempt. */
  ofPod(o: KubeObject): SuiteRun | undefined {
    return this.byJob.get(o.metadata?.labels?.[JOB_NAME_LABEL] ?? "") ?? this.latest.get(o.metadata?.labels?.[SUITE_LABEL] ?? "");
  }

  /** The attempt an event is about: its Job, or a pod <job>-<suffix>. */
  ofEvent(e: KubeEvent): SuiteRun | undefined {
    const name = e.involvedObject?.name ?? "";
    return this.byJob.get(name) ?? this.byJob.get(name.slice(0, name.lastIndexOf("-")));
  }

  /** Every attempt made so far, in the order they were made. */
  all(): SuiteRun[] {
    return [...this.byJob.values()];
  }
}
