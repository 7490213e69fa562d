// One hint per failure class: what it means and the next command to try.
import type { FailureClass } from "./types.js";

export interface HintContext {
  namespace: string;
  job?: string;
  pod?: string;
  image?: string;
  container?: string;
  memoryLimit?: string;
  timeout?: string;
  exitCode?: number;
  logPath?: string;
  /** The suite's imagePullSecrets (names): a pull error's hint says which, or that there are none. */
  pullSecrets?: readonly string[];
}

export function hintFor(cls: FailureClass, c: HintContext): string {
  const pod = c.pod ? `pod/${c.pod}` : "the pod";
  switch (cls) {
    case "testsFailed":
      if (c.exitCode === 127) return "exit code 127 is \"command not found\": check the suite's `command` or `test` and that the image has the runner.";
      if (c.exitCode === 4) return "pytest exit code 4 is a usage error: check the suite's `test` path exists in the cloned repository.";
      if (c.exitCode === 5) return "pytest exit code 5: no tests were collected; check the suite's `test` selector.";
      return `the tests failed (exit code ${c.exitCode ?? "?"}); the failure is in the test-runner log${c.logPath ? ` (${c.logPath})` : ""}.`;
    case "installFailed":
      return (
        `the suite's install step failed (exit code ${c.exitCode ?? "?"}) before any test ran: its last lines are above; ` +
        "check that the package index (pip, npm, go proxy) is reachable from the cluster " +
        `and the install command is right${c.logPath ? ` (${c.logPath})` : ""}.`
      );
    case "flaky":
      return "every test passed in the end, but some only on a retry, and --fail-on-flaky is set: fix or quarantine them (they are listed above).";
    case "workspaceEmpty":
      return (
        "/workspace was missing or empty: with `source: image` the test image must contain the code at /workspace; " +
        "with git or local sources the clone put nothing there (check source.git.url and the clone log)."
      );
    case "imagePull":
      return (
        `the node cannot pull ${c.image ?? "the image"}: check the name and tag exist in the registry (\`incluster build\` pushes it), ` +
        `that the node can reach the registry, and ${pullCredentials(c.pullSecrets)}.`
      );
    case "unschedulable":
      return "no node can take the pod: lower the suite's resources.requests or add capacity (`kubectl describe nodes` shows what is allocatable).";
    case "cloneFailed":
      return (
        "the clone-repo container failed: check source.git.url and source.git.ref (`git ls-remote <url> <ref>`), " +
        "and that the cluster can reach the git server. Its last lines are above."
      );
    case "oomKilled":
      return (
        `the ${c.container ?? "test-runner"} container went over its memory limit${c.memoryLimit ? ` (${c.memoryLimit})` : ""} and was killed: ` +
        "raise resources.limits.memory for the suite, or find what grows."
      );
    case "deadlineExceeded":
      return (
        `the Job ran longer than its timeout${c.timeout ? ` (${c.timeout})` : ""}: raise the suite's \`timeout\` or pass --timeout; ` +
        "the last log lines show where it was."
      );
    case "evicted":
      return "the node evicted the pod (disruption); the Job's podFailurePolicy retries evictions, but this one did not come back.";
    case "containerConfig":
      return (
        "the container could not be configured: a Secret or ConfigMap it references (env, envFrom or volumes) is missing in namespace " +
        `${c.namespace}: create it or fix the reference.`
      );
    case "startError":
      return "the container could not start: check the image's entrypoint and the suite's command (exit 127/128 mean the binary was not found).";
    case "forbidden":
      return `your credentials lack permissions in namespace ${c.namespace}: ask for a Role granting them; \`incluster doctor\` lists every missing one.`;
    case "unreachable":
      return "the API server cannot be reached: check the context (--context, --kubeconfig), the VPN, and `kubectl cluster-info`.";
    case "unsupportedCluster":
      return (
        "the cluster's Kubernetes is older than the test Job needs (its collector is a native sidecar); " +
        "nothing was created: use a newer cluster or upgrade this one."
      );
    case "namespaceMissing":
      return `namespace ${c.namespace} does not exist: create it (\`kubectl create namespace ${c.namespace}\`) or set \`namespace\` in incluster.yaml / -n.`;
    case "podDeleted":
      return `${pod} was deleted while the suite ran (by someone else or an operator); run again.`;
    case "jobFailed":
      return `the Job failed before its test container ran: \`kubectl describe job ${c.job ?? ""} -n ${c.namespace}\` shows why.`;
    case "sourceFailed":
      return "the source could not be prepared before the run (ref resolution or the local overlay); nothing was created in the cluster.";
    case "buildFailed":
      return "the image could not be built or pushed; the engine's own message is above; nothing was created in the cluster.";
    case "interrupted":
      return "interrupted: the run's Jobs and Pods were deleted (use --keep to keep them).";
  }
}

/** A private registry's part of a pull error's hint: the suite's pull Secrets, or that it names none. */
function pullCredentials(secrets: readonly string[] | undefined): string {
  if (!secrets?.length) return "for a private registry a pull Secret named in imagePullSecrets (this suite names none)";
  return `that imagePullSecrets (${secrets.join(", ")}) hold credentials for that registry`;
}
