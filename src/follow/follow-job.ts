// `logs` on a Job that may still be queued, cloning or running: watch the Job and its pods (list,
// then watch, as a run does), start a log follower as each container starts, and end once the
// run has ended (diagnose/job-state runEnded) and every started log is read to its end, or once
// the Job is deleted. Its timers live in one scope, disposed at the end.
import { runEnded } from "../diagnose/job-state.js";
import { CLONE_CONTAINER, TEST_CONTAINER } from "../diagnose/types.js";
import type { Job, Pod } from "../k8s-types.js";
import type { ClusterPort } from "../kube/port.js";
import { LEGACY_JOB_NAME_LABEL } from "../names.js";
import { ContainerLogs } from "./container-logs.js";
import { KindWatch } from "./kind-watch.js";
import { TimerScope } from "../timers.js";
import type { SetTimer } from "../timers.js";

export interface FollowJobDeps {
  port: ClusterPort;
  setTimer: SetTimer;
}

export interface FollowJobOptions {
  onLine(container: string, line: string, pod: string): void;
  /** Reconnects and resumes, for verbose output. */
  onNote?(text: string): void;
}

export interface FollowEnd {
  /** "deleted": the Job went away before it ended. */
  end: "finished" | "deleted";
  /** The Job and its pods as last seen. */
  job: Job | undefined;
  pods: Pod[];
}

/** Follows the Job's clone and test logs until the run has ended; resolves with how it ended. */
export async function followJob(deps: FollowJobDeps, namespace: string, jobName: string, opts: FollowJobOptions): Promise<FollowEnd> {
  const scope = new TimerScope(deps.setTimer);
  const note = opts.onNote ? { onReconnect: opts.onNote } : {};
  const jobs = new KindWatch(deps.port, "jobs", namespace, { fieldSelector: `metadata.name=${jobName}` }, { setTimer: scope.set, ...note });
  const pods = new KindWatch(deps.port, "pods", namespace, { labelSelector: `${LEGACY_JOB_NAME_LABEL}=${jobName}` }, { setTimer: scope.set, ...note });
  const logs = new ContainerLogs(deps.port, namespace, [CLONE_CONTAINER, TEST_CONTAINER], {
    onLine: (container, line, pod) => opts.onLine(container, line, pod),
    ...(opts.onNote ? { onResume: opts.onNote } : {}),
    setTimer: scope.set,
    after: { [TEST_CONTAINER]: CLONE_CONTAINER },
  });
  const stop = () => {
    jobs.stop();
    pods.stop();
    logs.stopAll();
    scope.dispose();
  };
  const theJob = () => [...jobs.objects.values()].find((j) => j.metadata?.name === jobName);
  const snapshot = (end: FollowEnd["end"]): FollowEnd => ({ end, job: theJob(), pods: [...pods.objects.values()] });

  let started = false;
  let ending: FollowEnd["end"] | undefined;
  return new Promise<FollowEnd>((resolve, reject) => {
    const check = () => {
      if (!started || ending) return;
      const job = theJob();
      const current = [...pods.objects.values()];
      if (!job) ending = "deleted";
      else if (runEnded(job, current)) ending = "finished";
      else return;
      // Containers that ran and ended between two changes still get their log read.
      logs.feed(current);
      // The Job is gone: its pods go with it, so each follower's next end of stream is its last.
      if (ending === "deleted") for (const p of current) logs.podGone(p.metadata?.name ?? "");
      const end = ending;
      void logs.settled().then(() => {
        const result = snapshot(end);
        stop();
        resolve(result);
      });
    };
    pods.subscribe((type, pod) => {
      if (type === "DELETED") logs.podGone(pod.metadata?.name ?? "");
      else logs.feed([pod]);
      check();
    });
    jobs.subscribe(check);
    Promise.all([jobs.start(), pods.start()]).then(
      () => {
        started = true;
        check();
      },
      (err: unknown) => {
        stop();
        reject(err);
      },
    );
  });
}
