// `incluster debug`: a failed suite's pod, recreated as a held-open copy. Pure: the Job's own pod
// template (same image, env, ServiceAccount, resources, clone of the same commit and overlay,
// restricted security context) with the test command replaced by a hold bounded by a deadline.
import type { KubeObject } from "../k8s-types.js";
import { CLONE_CONTAINER, DEBUG_LABEL, DEBUGGED_RUN_LABEL, LEGACY_JOB_LABELS, MANAGED_BY, RUN_ID_LABEL, SUITE_LABEL, TEST_CONTAINER } from "../names.js";

export const DEBUG_SUFFIX = "-debug";
export const DEFAULT_DEBUG_DEADLINE = "30m";
/** argv[0] of the hold script, so `ps` says what the process is. */
export const HOLD_ARG0 = "incluster-hold";

type Plain = Record<string, unknown>;
interface TemplateContainer extends Plain {
  name: string;
}
export interface JobLike extends KubeObject {
  spec?: {
    template?: { metadata?: { labels?: Record<string, string> }; spec?: Plain & { containers?: TemplateContainer[]; initContainers?: TemplateContainer[] } };
  };
}

export function debugPodName(job: string): string {
  return `${job.slice(0, 63 - DEBUG_SUFFIX.length).replace(/-+$/, "")}${DEBUG_SUFFIX}`;
}

/** The held-open copy of the Job's pod; undefined when the Job has no test container. */
export function debugPod(job: JobLike, deadlineSeconds: number): KubeObject | undefined {
  const tpl = job.spec?.template;
  const spec = tpl?.spec;
  const test = spec?.containers?.find((c) => c.name === TEST_CONTAINER);
  if (!spec || !test) return undefined;
  const jobName = job.metadata?.name ?? "";
  const { [RUN_ID_LABEL]: runId, ...all } = tpl.metadata?.labels ?? {};
  // Without the Job controller's labels: it would adopt the pod by its selector and, the Job being
  // finished, delete it.
  const labels = Object.fromEntries(Object.entries(all).filter(([k]) => !LEGACY_JOB_LABELS.includes(k) && !k.startsWith("batch.kubernetes.io/")));
  // The test process is replaced by a hold: the pod stays Running until the deadline, and the
  // kubelet enforces the deadline even if incluster is gone (activeDeadlineSeconds).
  const { args: _args, ...rest } = test;
  const clone = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].filter((c) => c.name === CLONE_CONTAINER);
  const hold: TemplateContainer = { ...rest, command: ["/bin/sh", "-c", 'trap "exit 0" TERM; sleep "$1" & wait $!', HOLD_ARG0, String(deadlineSeconds)] };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: debugPodName(jobName),
      namespace: job.metadata?.namespace ?? "",
      labels: { ...labels, [MANAGED_BY]: "incluster", [DEBUG_LABEL]: jobName, ...(runId ? { [DEBUGGED_RUN_LABEL]: runId } : {}) },
    },
    spec: {
      ...spec,
      restartPolicy: "Never",
      activeDeadlineSeconds: deadlineSeconds,
      terminationGracePeriodSeconds: 5,
      // Only the clone, as an init container so the workspace is ready when the shell opens:
      // incluster's own helpers (the output collector) are not needed to debug.
      ...(clone.length ? { initContainers: clone } : {}),
      containers: [hold],
    },
  } as KubeObject;
}

/**
 * The suite's Job to debug: the newest (of the run, when the caller selected by run id). Its Job status may lag the verdict by
 * seconds, so it is not required to say failed.
 */
export function pickJob<T extends KubeObject>(jobs: readonly T[], suite: string): T | undefined {
  const ours = jobs.filter((j) => j.metadata?.labels?.[SUITE_LABEL] === suite);
  const at = (j: T) => new Date(j.metadata?.creationTimestamp ?? 0).getTime();
  const newest = (list: readonly T[]) => [...list].sort((a, b) => at(b) - at(a))[0];
  return newest(ours);
}
