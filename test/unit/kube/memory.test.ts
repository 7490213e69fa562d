// What keeps the CLI's memory down at 1,000 suites (docs/performance.md, "CLI memory at 1,000
// suites with copies"): watched objects without managedFields, one TLS context for every exec.
import type { KubeConfig } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { sharedTls } from "../../../src/kube/exec.js";
import { slim } from "../../../src/kube/list-watch.js";

describe("slim", () => {
  it("drops metadata.managedFields and keeps everything else", () => {
    const pod = { kind: "Pod", metadata: { name: "p", labels: { a: "b" }, managedFields: [{ manager: "kubelet", fieldsV1: { "f:status": {} } }] }, status: { phase: "Running" } };
    expect(slim(pod)).toEqual({ kind: "Pod", metadata: { name: "p", labels: { a: "b" } }, status: { phase: "Running" } });
    expect(pod.metadata.managedFields).toHaveLength(1);
  });

  it("an object without managedFields (or without metadata) is the same object", () => {
    const o = { metadata: { name: "p" } };
    expect(slim(o)).toBe(o);
    expect(slim(undefined)).toBeUndefined();
  });
});

describe("sharedTls", () => {
  /** A kubeconfig whose TLS material is whatever `material` holds at the call. */
  const kubeconfig = (material: { passphrase?: string }) =>
    ({
      getCurrentCluster: () => ({ name: "c", server: "https://127.0.0.1:6443", skipTLSVerify: false }),
      applyToHTTPSOptions: async (opts: Record<string, unknown>) => void Object.assign(opts, material),
    }) as unknown as KubeConfig;

  it("one SecureContext for every connection while the material is the same; a new one when it changes", async () => {
    const material: { passphrase?: string } = { passphrase: "a" };
    const tls = sharedTls(kubeconfig(material));
    const contextOf = async () => {
      const opts: { secureContext?: unknown } = {};
      await tls.applyToHTTPSOptions(opts as never);
      return opts.secureContext;
    };
    const first = await contextOf();
    expect(first).toBeDefined();
    expect(await contextOf()).toBe(first);
    material.passphrase = "b";
    const rotated = await contextOf();
    expect(rotated).not.toBe(first);
    expect(await contextOf()).toBe(rotated);
    expect(tls.getCurrentCluster()?.server).toBe("https://127.0.0.1:6443");
  });
});
