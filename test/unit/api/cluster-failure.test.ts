// A KubeError leaving a library function (status, logs, clean, debug) is a CouldNotRunError with a
// code, and the error boundary words any thrown plain object by its message, never "[object Object]".
import { describe, expect, it } from "vitest";
import { clusterFailure, onCluster } from "../../../src/api/cluster.js";
import { CouldNotRunError } from "../../../src/errors.js";
import { describeError } from "../../../src/error-text.js";
import { toKubeError } from "../../../src/kube/errors.js";

describe("a cluster error leaving the library", () => {
  it("unreachable: CLUSTER_UNREACHABLE, the client's words, a hint, exit 3", async () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED", syscall: "connect" });
    const err = await onCluster(() => Promise.reject(toKubeError(refused))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CouldNotRunError);
    expect((err as CouldNotRunError).code).toBe("CLUSTER_UNREACHABLE");
    expect(describeError(err, false)).toEqual({
      text: "error: cannot reach the Kubernetes API server: connect ECONNREFUSED 127.0.0.1:1 [CLUSTER_UNREACHABLE]\nhint: check --kubeconfig/--context (or KUBECONFIG) and that the server is up\n",
      exitCode: 3,
    });
  });

  it("a refused request: CLUSTER_REQUEST_FAILED with its status and reason", () => {
    const err = clusterFailure({ status: 403, reason: "Forbidden", message: 'jobs.batch is forbidden: User "u" cannot list resource "jobs"' });
    expect((err as CouldNotRunError).code).toBe("CLUSTER_REQUEST_FAILED");
    expect((err as CouldNotRunError).message).toBe('the Kubernetes API server refused a request (HTTP 403 Forbidden): jobs.batch is forbidden: User "u" cannot list resource "jobs"');
  });

  it("anything else passes through unchanged", () => {
    const e = new Error("x");
    expect(clusterFailure(e)).toBe(e);
  });

  it("the error boundary words a thrown plain object by its message", () => {
    expect(describeError({ message: "something broke" }, false).text).toBe("error: something broke\n(run with -v for the stack trace)\n");
  });
});
