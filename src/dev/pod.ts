// `incluster dev`'s held pod: the suite's own pod as a run renders it (same image, env,
// ServiceAccount, resources, clone and overlay, restricted security), the clone moved to an init
// container so the workspace is ready when the first round execs, and the test command replaced
// by a hold that ends when no round has touched it for the idle deadline. Pure.
import type { ResolvedSuite } from "../config/resolve.js";
import type { KubeObject } from "../k8s-types.js";
import { CLONE_CONTAINER, DEV_LABEL, DEV_SUFFIX, LEGACY_JOB_LABELS, MANAGED_BY, OUT_DIR, TEST_CONTAINER, jobName } from "../names.js";
import { renderJob } from "../render/job.js";

/** argv[0] of the hold, so `ps` says what the process is. */
export const DEV_HOLD_ARG0 = "incluster-dev-hold";
/** Touched by every round; the hold ends once it is older than the idle deadline. */
export const DEV_ACTIVE_MARKER = `${OUT_DIR}/.dev-active`;
/** How often the hold looks at the marker (seconds). */
const HOLD_CHECK_S = 2;

/**
 * The hold: exits 0 on SIGTERM or once no round touched DEV_ACTIVE_MARKER for $1 seconds, so a
 * pod whose incluster died ends on its own (its phase Succeeded: `clean` deletes it).
 */
export const DEV_HOLD_SCRIPT = [
  'trap "exit 0" TERM',
  `touch ${DEV_ACTIVE_MARKER}`,
  "while :; do",
  `  sleep ${HOLD_CHECK_S} & wait $!`,
  `  last=$(stat -c %Y ${DEV_ACTIVE_MARKER} 2>/dev/null || echo 0)`,
  '  [ $(( $(date +%s) - last )) -lt "$1" ] || exit 0',
  "done",
].join("\n");

/** The held pod's name: the dev session's Job name and DEV_SUFFIX, within 63 characters. */
export function devPodName(suite: string, devId: string): string {
  return `${jobName(suite, devId).slice(0, 63 - DEV_SUFFIX.length).replace(/-+$/, "")}${DEV_SUFFIX}`;
}

type Plain = Record<string, unknown>;
interface Named extends Plain {
  name: string;
}

/** The held pod of `suite` (its source resolved, its image built) for dev session `devId`. */
export function devPod(suite: ResolvedSuite, devId: string, idleSeconds: number): KubeObject {
  const job = renderJob(suite, devId, { collectVia: "none" });
  const tpl = job.spec.template as unknown as { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: Plain };
  const spec = tpl.spec as Plain & { containers?: Named[]; initContainers?: Named[] };
  const all = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const test = all.find((c) => c.name === TEST_CONTAINER);
  if (!test) throw new Error(`suite ${suite.name}'s pod has no ${TEST_CONTAINER} container`);
  const clone = all.filter((c) => c.name === CLONE_CONTAINER);
  const { args: _args, command: _command, ...rest } = test;
  const hold: Named = { ...rest, command: ["/bin/sh", "-c", DEV_HOLD_SCRIPT, DEV_HOLD_ARG0, String(idleSeconds)] };
  // No Job controller labels: no controller owns this pod.
  const labels = Object.fromEntries(Object.entries(tpl.metadata?.labels ?? {}).filter(([k]) => !LEGACY_JOB_LABELS.includes(k)));
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: devPodName(suite.name, devId),
      namespace: suite.namespace,
      labels: { ...labels, [MANAGED_BY]: "incluster", [DEV_LABEL]: suite.name },
      ...(tpl.metadata?.annotations ? { annotations: tpl.metadata.annotations } : {}),
    },
    spec: {
      ...spec,
      restartPolicy: "Never",
      // A deleted pod goes at once: the hold ends on SIGTERM, nothing is collected.
      terminationGracePeriodSeconds: 1,
      // The collector is not needed: each round's report comes back on the round's own exec.
      initContainers: clone,
      containers: [hold],
    },
  } as KubeObject;
}
