// The minimum Kubernetes the Job needs (its collector is a native sidecar): the pure decision.
import { describe, expect, it } from "vitest";
import { MIN_KUBERNETES, MIN_KUBERNETES_DEV } from "../../../src/names.js";
import { parseServerVersion, serverVersionVerdict } from "../../../src/run/server-version.js";
import { versionChecks } from "../../../src/run/preflight.js";

describe("server version", () => {
  it("reads the gitVersions clusters report", () => {
    expect(parseServerVersion("v1.29.3")).toEqual({ major: 1, minor: 29 });
    expect(parseServerVersion("v1.28.15-eks-f69f56f")).toEqual({ major: 1, minor: 28 });
    expect(parseServerVersion("v1.30.0+k3s1")).toEqual({ major: 1, minor: 30 });
    expect(parseServerVersion("1.31")).toEqual({ major: 1, minor: 31 });
    expect(parseServerVersion("v1.3x")).toBeUndefined();
    expect(parseServerVersion("")).toBeUndefined();
  });

  it("the minimum is 1.29, where native sidecars are on by default", () => {
    expect(MIN_KUBERNETES).toEqual({ major: 1, minor: 29 });
    expect(serverVersionVerdict("v1.29.0")).toEqual({ state: "supported" });
    expect(serverVersionVerdict("v1.34.4")).toEqual({ state: "supported" });
    expect(serverVersionVerdict("v2.0.0")).toEqual({ state: "supported" });
    expect(serverVersionVerdict("v1.28.15-eks-f69f56f")).toEqual({ state: "tooOld", needed: "1.29" });
    expect(serverVersionVerdict("v1.9.0")).toEqual({ state: "tooOld", needed: "1.29" });
    expect(serverVersionVerdict("v0.99.0")).toEqual({ state: "tooOld", needed: "1.29" });
    expect(serverVersionVerdict("unknown")).toEqual({ state: "unknown" });
  });

  it("incluster dev needs 1.30 (exec v5 closes the round's stdin)", () => {
    expect(MIN_KUBERNETES_DEV).toEqual({ major: 1, minor: 30 });
    expect(serverVersionVerdict("v1.29.9", MIN_KUBERNETES_DEV)).toEqual({ state: "tooOld", needed: "1.30" });
    expect(serverVersionVerdict("v1.30.0+k3s1", MIN_KUBERNETES_DEV)).toEqual({ state: "supported" });
  });

  it("an old server fails its check naming the version and the reason; an unreadable one could not be checked", () => {
    const [old] = versionChecks("v1.28.15");
    expect(old).toMatchObject({ ok: false, class: "unsupportedCluster" });
    expect(old?.detail).toBe("the server runs Kubernetes v1.28.15; the test Job needs 1.29 or newer, because its collector is a native sidecar (an init container with restartPolicy: Always)");
    expect(versionChecks("v1.30.1")).toEqual([{ name: "Kubernetes 1.29 or newer", ok: true, detail: "v1.30.1" }]);
    expect(versionChecks("dev")).toEqual([{ name: "Kubernetes 1.29 or newer", ok: true, unchecked: true, detail: 'could not check (the server calls its version "dev")' }]);
  });
});
