// OpenShift detection: the pure decision from the discovered API groups, the preflight line it
// makes, and the orchestrator rendering a suite without a fixed uid when the fake cluster serves
// security.openshift.io (and with uid 1000 when it does not).
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { PLATFORM_IDENTITY_GROUP, resolveSuite } from "../../../src/config/resolve.js";
import type { JobObject } from "../../../src/render/objects.js";
import { IDENTITY_CHECK, assignsIdentity, identityCheck, platformIdentity } from "../../../src/run/platform.js";
import { sampleGitYaml } from "../support/fixtures.js";
import { FakeCluster } from "../support/fake-cluster.js";
import { startPipeline } from "../support/pipeline.js";
import { complete, jobCreated } from "../support/pod-states.js";

const OPENSHIFT_GROUPS = ["apps", "batch", "route.openshift.io", PLATFORM_IDENTITY_GROUP];

describe("assignsIdentity (pure)", () => {
  it("is true only when the server serves security.openshift.io", () => {
    expect(PLATFORM_IDENTITY_GROUP).toBe("security.openshift.io");
    expect(assignsIdentity(OPENSHIFT_GROUPS)).toBe(true);
    expect(assignsIdentity(["apps", "batch", "security.example.com", "openshift.io"])).toBe(false);
    expect(assignsIdentity([])).toBe(false);
  });

  it("identityCheck says what a run does either way, never failing", () => {
    expect(identityCheck(OPENSHIFT_GROUPS)).toEqual({
      name: `cluster assigns pod uids (API group ${PLATFORM_IDENTITY_GROUP})`,
      ok: true,
      detail: "yes: suites without securityContext.runAsUser run as runAsUser: auto (no runAsUser or fsGroup in the pod)",
    });
    expect(identityCheck(["apps"])).toMatchObject({ ok: true, detail: expect.stringMatching(/^no: pods run as uid 1000/) });
  });
});

describe("platformIdentity (the discovery request)", () => {
  it("a port without apiGroups adds no line and changes nothing", async () => {
    expect(await platformIdentity(new FakeCluster())).toEqual({ checks: [], assignsIdentity: false });
  });

  it("a failed discovery is an unchecked line, and no suite changes", async () => {
    const port = Object.assign(new FakeCluster(), { apiGroups: () => Promise.reject({ status: 503, message: "service unavailable" }) });
    const r = await platformIdentity(port);
    expect(r.assignsIdentity).toBe(false);
    expect(r.checks).toEqual([{ name: IDENTITY_CHECK, ok: true, unchecked: true, detail: expect.stringContaining("set securityContext.runAsUser: auto on OpenShift") }]);
  });
});

const CONFIG = sampleGitYaml(`  smoke: { test: tests/e2e/test_services.py }
  pinned: { test: tests/e2e/test_services.py, securityContext: { runAsUser: 2000 } }`);

async function renderedSecurity(groups: string[] | undefined, suite: string) {
  const config = parseConfig(CONFIG, "incluster.yaml");
  const cluster = groups ? Object.assign(new FakeCluster(), { apiGroups: async () => groups }) : new FakeCluster();
  const t = startPipeline(cluster, [resolveSuite(config, suite)]);
  const job = await jobCreated(cluster);
  t.controller.abort();
  complete(cluster, job, "Complete");
  await t.promise;
  return { spec: (job as unknown as JobObject).spec.template.spec, info: t.info };
}

describe("the orchestrator on a cluster that serves security.openshift.io", () => {
  it("renders a suite that names no uid without runAsUser or fsGroup, and says so once", async () => {
    const { spec, info } = await renderedSecurity(OPENSHIFT_GROUPS, "smoke");
    expect(spec?.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) expect(c.securityContext?.runAsUser).toBeUndefined();
    expect(info).toContain("the cluster assigns pod uids (it serves security.openshift.io): smoke run with securityContext.runAsUser: auto");
  });

  it("keeps a uid the config names, with no note", async () => {
    const { spec, info } = await renderedSecurity(OPENSHIFT_GROUPS, "pinned");
    expect(spec?.securityContext).toMatchObject({ runAsUser: 2000 });
    expect(info.filter((l) => l.includes("assigns pod uids"))).toEqual([]);
  });

  it("elsewhere the pod runs as uid 1000 with fsGroup 1000", async () => {
    const { spec } = await renderedSecurity(["apps", "batch"], "smoke");
    expect(spec?.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
  });
});
