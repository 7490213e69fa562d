// The kubeconfig: when there is none to load, and what the port reports of the current context.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { contextInfo, currentServer, loadKubeConfig, noDefaultKubeconfig } from "../../../src/kube/kubeconfig.js";

const dir = mkdtempSync(join(tmpdir(), "incluster-kubeconfig-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(config: object): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, JSON.stringify({ apiVersion: "v1", kind: "Config", ...config }));
  return path;
}

const CONFIG = {
  clusters: [{ name: "c1", cluster: { server: "https://c1:6443" } }],
  users: [{ name: "u1", user: { token: "t" } }],
  contexts: [
    { name: "with-ns", context: { cluster: "c1", user: "u1", namespace: "team" } },
    { name: "plain", context: { cluster: "c1", user: "u1" } },
    { name: "nowhere", context: { cluster: "missing", user: "u1" } },
  ],
  "current-context": "plain",
};

describe("noDefaultKubeconfig", () => {
  it("is true only with no $KUBECONFIG, no service host and no ~/.kube/config", () => {
    const asked: string[] = [];
    const none = (p: string) => (asked.push(p), false);
    expect(noDefaultKubeconfig({ HOME: "/home/me" }, none)).toBe(true);
    expect(asked).toEqual(["/home/me/.kube/config"]);
    expect(noDefaultKubeconfig({ HOME: "/home/me" }, () => true)).toBe(false);
    expect(noDefaultKubeconfig({ KUBECONFIG: "/k" }, none)).toBe(false);
    expect(noDefaultKubeconfig({ KUBERNETES_SERVICE_HOST: "10.0.0.1" }, none)).toBe(false);
    expect(asked).toHaveLength(1);
  });
});

describe("loadKubeConfig", () => {
  it("switches to the context asked for, and names the known ones when it is not there", () => {
    const path = file(CONFIG);
    expect(contextInfo(loadKubeConfig({ kubeconfig: path }))).toEqual({ context: "plain", cluster: "c1", server: "https://c1:6443", user: "u1" });
    expect(contextInfo(loadKubeConfig({ kubeconfig: path, context: "with-ns" }))).toEqual({
      context: "with-ns",
      cluster: "c1",
      server: "https://c1:6443",
      user: "u1",
      namespace: "team",
    });
    expect(() => loadKubeConfig({ kubeconfig: path, context: "nope" })).toThrow('--context "nope" is not in the kubeconfig (known: with-ns, plain, nowhere)');
  });

  it("currentServer refuses a context that names no cluster server", () => {
    const path = file(CONFIG);
    expect(currentServer(loadKubeConfig({ kubeconfig: path }))).toBe("https://c1:6443");
    expect(() => currentServer(loadKubeConfig({ kubeconfig: path, context: "nowhere" }))).toThrow("the kubeconfig's current context names no cluster server");
  });
});
