// Issue 24 on the project's cluster: OpenShift detection. A minimal CRD in the API group
// security.openshift.io (securitycontextconstraints, as OpenShift serves it) makes discovery show
// the group; run's preflight then renders suites that name no uid with runAsUser: auto. In a
// namespace enforcing Pod Security "restricted", one suite gets a random uid and fsGroup through
// podTemplate (what restricted-v2 would assign), another none at all (the image's USER): both pass,
// and neither live pod carries a uid of incluster's own. doctor says what it detected; render, which
// never contacts a cluster, still shows uid 1000. The CRD is deleted after, even on a failure.
import { execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { RUN_ID_LABEL } from "../../src/names.js";
import { ADMIN_KUBECONFIG, DEMO, KUBECTL, cli, requireCluster, runJson } from "./support/cli.js";

const GROUP = "security.openshift.io";
const CRD = `securitycontextconstraints.${GROUP}`;
const LOOPS = Number(process.env.OPENSHIFT_LOOPS ?? 3);
const work = mkdtempSync(join(tmpdir(), "incluster-it-openshift-"));
const ns = `incluster-ocp-${Date.now().toString(36)}`;
/** A uid from the range OpenShift gives namespaces (1000000000 + n * 10000), different each run. */
const ASSIGNED = 1_000_000_000 + randomInt(1, 99_999) * 10_000;
const kubectl = (args: string[], input?: string) =>
  execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8", ...(input ? { input } : {}) });

const crd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: CRD },
  spec: {
    group: GROUP,
    scope: "Cluster",
    names: { plural: "securitycontextconstraints", singular: "securitycontextconstraints", kind: "SecurityContextConstraints" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
  },
};

/** Whether discovery (GET /apis) lists the group: what the CLI's preflight asks. */
function groupServed(): boolean {
  const list = JSON.parse(kubectl(["get", "--raw", "/apis"])) as { groups: { name: string }[] };
  return list.groups.some((g) => g.name === GROUP);
}

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<number> {
  const t0 = Date.now();
  while (!ok()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return Date.now() - t0;
}

function config(): string {
  const demo = parse(readFileSync(DEMO, "utf8")) as Record<string, unknown>;
  demo.namespace = ns;
  demo.suites = {
    // restricted-v2's assignment, simulated: the pod's uid and fsGroup come from the patch alone.
    assigned: { test: "tests/e2e/test_services.py", podTemplate: { spec: { securityContext: { runAsUser: ASSIGNED, fsGroup: ASSIGNED } } } },
    // Nothing assigns: the containers run as the image's USER.
    unassigned: { test: "tests/e2e/test_services.py" },
  };
  return stringify(demo);
}

interface LiveContainer {
  name: string;
  securityContext?: { runAsUser?: number; runAsGroup?: number };
}
interface LivePod {
  metadata: { labels: Record<string, string> };
  spec: { securityContext: { runAsUser?: number; runAsGroup?: number; fsGroup?: number; runAsNonRoot?: boolean }; containers: LiveContainer[]; initContainers: LiveContainer[] };
}

const file = join(work, "incluster.yaml");

beforeAll(async () => {
  requireCluster();
  writeFileSync(file, config());
  kubectl(["create", "namespace", ns]);
  kubectl(["label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest"]);
  kubectl(["apply", "-f", "-"], JSON.stringify(crd));
  const ms = await until(`${GROUP} in discovery`, groupServed);
  console.log(`[openshift] CRD ${CRD} created; ${GROUP} in discovery after ${ms} ms; assigned uid ${ASSIGNED}`);
});

afterAll(async () => {
  // Always, so no later test runs on a cluster that looks like OpenShift.
  try {
    kubectl(["delete", "crd", CRD, "--ignore-not-found", "--wait=true", "--timeout=60s"]);
    const ms = await until(`${GROUP} gone from discovery`, () => !groupServed());
    console.log(`[openshift] CRD deleted; ${GROUP} gone from discovery after ${ms} ms`);
  } finally {
    kubectl(["delete", "namespace", ns, "--wait=false", "--ignore-not-found"]);
    rmSync(work, { recursive: true, force: true });
  }
});

describe("a cluster serving security.openshift.io", () => {
  it("doctor says it detected it; render, which sees no cluster, shows uid 1000", async () => {
    const d = await cli(["-c", file, "doctor"]);
    const line = d.stdout.split("\n").find((l) => l.includes(`cluster assigns pod uids (API group ${GROUP})`));
    console.log(`[openshift] doctor: exit ${d.code}: ${line}`);
    expect(line).toMatch(/^ok +cluster assigns pod uids \(API group security\.openshift\.io\): yes: suites without securityContext\.runAsUser run as runAsUser: auto/);
    const r = await cli(["-c", file, "render", "unassigned", "-o", "json"]);
    const job = (JSON.parse(r.stdout) as { items: { kind: string; spec: { template: LivePod } }[] }).items.find((o) => o.kind === "Job");
    expect(job?.spec.template.spec.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
  });

  for (let loop = 1; loop <= LOOPS; loop++) {
    it(`loop ${loop}/${LOOPS}: both suites pass in a restricted namespace, and no pod names a uid of incluster's`, async () => {
      const t0 = Date.now();
      const r = await runJson(["-c", file, "run", "--all", "--report-dir", join(work, `report-${loop}`)]);
      const note = r.stderr.split("\n").find((l) => l.includes("assigns pod uids"));
      const pods = JSON.parse(kubectl(["-n", ns, "get", "pods", "-l", `${RUN_ID_LABEL}=${r.result.runId}`, "-o", "json"])) as { items: LivePod[] };
      const jobs = JSON.parse(kubectl(["-n", ns, "get", "jobs", "-l", `${RUN_ID_LABEL}=${r.result.runId}`, "-o", "json"])) as { items: { spec: { template: LivePod } }[] };
      for (const s of r.result.suites) {
        const live = pods.items.find((p) => p.metadata.labels["incluster.dev/suite"] === s.suite);
        const uids = live ? [...live.spec.initContainers, ...live.spec.containers].map((c) => `${c.name}=${c.securityContext?.runAsUser ?? "-"}`).join(" ") : "";
        console.log(
          `[openshift] loop ${loop} ${s.suite}: ${s.verdict} (exit ${r.code}, ${Date.now() - t0} ms), tests ${s.tests?.map((t) => t.status).join(",")}; ` +
            `pod securityContext ${JSON.stringify(live?.spec.securityContext)}; container uids ${uids}`,
        );
        expect(s.verdict, r.stderr.slice(-3000)).toBe("passed");
        expect(s.tests?.length).toBeGreaterThan(0);
        for (const c of [...(live?.spec.initContainers ?? []), ...(live?.spec.containers ?? [])]) expect(c.securityContext?.runAsUser).toBeUndefined();
        expect(live?.spec.securityContext.runAsGroup).toBeUndefined();
        if (s.suite === "assigned") expect(live?.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: ASSIGNED, fsGroup: ASSIGNED });
        else expect(live?.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      }
      // The Jobs as incluster created them: the unassigned one has no runAsUser or fsGroup at all.
      const unassigned = jobs.items.find((j) => j.spec.template.metadata.labels["incluster.dev/suite"] === "unassigned");
      expect(unassigned?.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(note).toContain(`the cluster assigns pod uids (it serves ${GROUP}): assigned, unassigned run with securityContext.runAsUser: auto`);
      expect(r.code, r.stderr.slice(-3000)).toBe(0);
    }, 240_000);
  }
});
