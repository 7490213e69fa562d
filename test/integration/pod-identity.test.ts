// Issue 24 on the project's cluster: platform-assigned identities and the podTemplate patch. In a
// namespace that enforces Pod Security "restricted", the demo's services suite runs with
// securityContext.runAsUser: auto (the pod names no uid, gid or fsGroup) and a podTemplate that
// sets runAsUser and fsGroup 1000870000 the way OpenShift's restricted-v2 assigns them. The clone
// from the git server, the install step writing into the checkout, the tests and the artifacts
// copied back must all work without uid 1000. A second suite runs the clone as another uid of the
// same fsGroup: the runner then writes into the checkout through the group alone (umask 0002).
// Both carry hostAliases and dnsConfig, checked in the pod's /etc/hosts and resolv.conf.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { RUN_ID_LABEL } from "../../src/names.js";
import { ADMIN_KUBECONFIG, DEMO, KUBECTL, ROOT, cli, requireCluster, runJson } from "./support/cli.js";

const work = mkdtempSync(join(tmpdir(), "incluster-it-identity-"));
const ns = `incluster-ident-${Date.now().toString(36)}`;
const kubectl = (...args: string[]) => execFileSync(KUBECTL, ["--kubeconfig", ADMIN_KUBECONFIG, ...args], { encoding: "utf8" });

/** OpenShift's restricted-v2 takes the first uid of the namespace's range, e.g. 1000870000, and the same as fsGroup. */
const ASSIGNED = 1000870000;
const LOOPS = Number(process.env.IDENTITY_LOOPS ?? 3);

// The install step records who ran, writes into the checkout (a folder and a file the clone
// made) and shows the pod's /etc/hosts and resolv.conf entries; all of it lands in the artifacts.
const INSTALL = [
  'out="$INCLUSTER_ARTIFACTS/identity.txt"',
  'echo "id: $(id)" > "$out"',
  'echo "umask: $(umask)" >> "$out"',
  'ls -ldn /workspace /workspace/tests/e2e | sed "s/^/ls: /" >> "$out"',
  "touch /workspace/tests/e2e/.written-by-runner",
  'echo "# appended by the runner" >> /workspace/pytest.ini',
  'echo "workspace: writable" >> "$out"',
  'grep api.test.internal /etc/hosts | sed "s/^/hosts: /" >> "$out"',
  'grep "^options" /etc/resolv.conf | sed "s/^/resolv: /" >> "$out"',
  'cat "$out"',
].join("; ");

const identity = { runAsUser: "auto" };
const pod = {
  hostAliases: [{ ip: "10.0.0.5", hostnames: ["api.test.internal"] }],
  dnsConfig: { options: [{ name: "ndots", value: "2" }] },
};
const assigned = { securityContext: { runAsUser: ASSIGNED, fsGroup: ASSIGNED } };

function config(): string {
  const demo = parse(readFileSync(DEMO, "utf8")) as Record<string, unknown>;
  demo.namespace = ns;
  demo.suites = {
    services: { test: "tests/e2e/test_services.py", install: INSTALL, securityContext: identity, pod, podTemplate: { spec: assigned } },
    "split-uid": {
      test: "tests/e2e/test_services.py",
      install: INSTALL,
      securityContext: identity,
      pod,
      // The clone as another uid of the same group: the runner reaches the checkout only through fsGroup.
      podTemplate: { spec: { ...assigned, containers: [{ name: "clone-repo", securityContext: { runAsUser: ASSIGNED + 1 } }] } },
    },
  };
  return stringify(demo);
}

beforeAll(() => {
  requireCluster();
  kubectl("create", "namespace", ns);
  kubectl("label", "namespace", ns, "pod-security.kubernetes.io/enforce=restricted", "pod-security.kubernetes.io/enforce-version=latest");
});
afterAll(() => {
  kubectl("delete", "namespace", ns, "--wait=false");
  rmSync(work, { recursive: true, force: true });
});

interface LiveContainer {
  name: string;
  securityContext?: { runAsUser?: number };
}
interface LivePod {
  metadata: { labels: Record<string, string> };
  spec: {
    securityContext: { runAsUser?: number; runAsGroup?: number; fsGroup?: number; runAsNonRoot?: boolean };
    containers: LiveContainer[];
    initContainers: LiveContainer[];
    hostAliases?: { ip: string; hostnames: string[] }[];
  };
}

describe("runAsUser: auto with a platform-assigned uid and fsGroup (simulated by podTemplate)", () => {
  const file = join(work, "incluster.yaml");
  beforeAll(() => writeFileSync(file, config()));

  it("validate accepts it and render names no uid of incluster's own", async () => {
    const v = await cli(["-c", file, "validate"]);
    expect(v.code, v.stderr).toBe(0);
    const r = await cli(["-c", file, "render", "services", "-o", "json"]);
    const job = (JSON.parse(r.stdout) as { items: { kind: string; spec: { template: LivePod } }[] }).items.find((o) => o.kind === "Job");
    const spec = job?.spec.template.spec;
    expect(spec?.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, runAsUser: ASSIGNED, fsGroup: ASSIGNED });
    for (const c of [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])]) expect(c.securityContext?.runAsUser).toBeUndefined();
  });

  for (let loop = 1; loop <= LOOPS; loop++) {
    it(`loop ${loop}/${LOOPS}: clone, install, tests and artifacts work as the assigned uid, in a restricted namespace`, async () => {
      const t0 = Date.now();
      const r = await runJson(["-c", file, "run", "--all", "--report-dir", join(work, `report-${loop}`)]);
      const pods = JSON.parse(kubectl("-n", ns, "get", "pods", "-l", `${RUN_ID_LABEL}=${r.result.runId}`, "-o", "json")) as { items: LivePod[] };
      for (const s of r.result.suites) {
        const dir = resolve(ROOT, s.artifacts?.dir ?? join(work, `report-${loop}`, s.suite, "artifacts"));
        const ident = existsSync(join(dir, "identity.txt")) ? readFileSync(join(dir, "identity.txt"), "utf8") : "(no identity.txt)";
        const live = pods.items.find((p) => p.metadata.labels["incluster.dev/suite"] === s.suite);
        const uids = live ? [...live.spec.initContainers, ...live.spec.containers].map((c) => `${c.name}=${c.securityContext?.runAsUser ?? "-"}`).join(" ") : "";
        console.log(
          `[identity] loop ${loop} ${s.suite}: ${s.verdict} (exit ${r.code}, ${Date.now() - t0} ms), tests ${s.tests?.map((t) => t.status).join(",")}, ` +
            `artifacts ${s.artifacts?.files} file(s)\n` +
            `[identity]   pod securityContext ${JSON.stringify(live?.spec.securityContext)}; container uids ${uids}\n` +
            ident.trim().split("\n").map((l) => `[identity]   ${l}`).join("\n"),
        );
        expect(s.verdict, r.stderr.slice(-3000)).toBe("passed");
        expect(s.tests?.length).toBeGreaterThan(0);
        expect(s.tests?.every((t) => t.status === "passed")).toBe(true);
        expect(s.artifacts?.files).toBeGreaterThanOrEqual(2); // junit.xml and identity.txt
        expect(ident).toMatch(new RegExp(`^id: uid=${ASSIGNED}\\b`, "m"));
        expect(ident).toMatch(new RegExp(`groups=.*\\b${ASSIGNED}\\b`));
        expect(ident).toContain("workspace: writable");
        expect(ident).toMatch(/^hosts: 10\.0\.0\.5\s+api\.test\.internal/m);
        expect(ident).toMatch(/^resolv: options .*ndots:2/m);
        expect(live?.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: ASSIGNED, fsGroup: ASSIGNED });
        expect(live?.spec.securityContext.runAsGroup).toBeUndefined();
      }
      expect(r.code, r.stderr.slice(-3000)).toBe(0);
      expect(r.result.suites.map((s) => s.suite).sort()).toEqual(["services", "split-uid"]);
    }, 240_000);
  }
});

describe("hostile podTemplates: validate refuses them; allowUnrestricted runs with a warning", () => {
  const nsBaseline = `${ns}-b`;
  beforeAll(() => {
    kubectl("create", "namespace", nsBaseline);
    kubectl("label", "namespace", nsBaseline, "pod-security.kubernetes.io/enforce=baseline");
  });
  afterAll(() => {
    kubectl("delete", "namespace", nsBaseline, "--wait=false");
  });

  const withSuite = (name: string, suite: Record<string, unknown>, namespace = ns) => {
    const demo = parse(readFileSync(DEMO, "utf8")) as Record<string, unknown>;
    demo.namespace = namespace;
    demo.suites = { [name]: suite };
    const file = join(work, `${name}.yaml`);
    writeFileSync(file, stringify(demo));
    return file;
  };

  it.each([
    ["privileged", { containers: [{ name: "test-runner", securityContext: { privileged: true } }] }],
    ["hostPath", { volumes: [{ name: "host", hostPath: { path: "/var/run" } }] }],
    ["runAsUser 0", { securityContext: { runAsUser: 0 } }],
  ])("%s: validate exits 2 naming the field", async (what, spec) => {
    const r = await cli(["-c", withSuite("hostile", { test: "tests/e2e/test_services.py", podTemplate: { spec } }), "validate"]);
    console.log(`[identity] validate, ${what}: exit ${r.code}\n${r.stderr.trim()}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/suites\.hostile\.podTemplate\.spec\.\S+: the patched pod breaks Pod Security "restricted": /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("allowUnrestricted: validate passes with a warning, and a run (baseline namespace) passes and warns", async () => {
    const file = withSuite(
      "unrestricted",
      { command: ["sh", "-c", "grep ^CapEff /proc/self/status"], allowUnrestricted: true, podTemplate: { spec: { containers: [{ name: "test-runner", securityContext: { capabilities: { add: ["CHOWN"] } } }] } } },
      nsBaseline,
    );
    const v = await cli(["-c", file, "validate"]);
    console.log(`[identity] validate, allowUnrestricted: exit ${v.code}\n${(v.stderr + v.stdout).trim()}`);
    expect(v.code).toBe(0);
    expect(v.stderr).toContain('warning: suite unrestricted: its podTemplate breaks Pod Security "restricted" (allowUnrestricted: true): ');
    const r = await runJson(["-c", file, "run", "unrestricted", "--report-dir", join(work, "report-unrestricted")]);
    const warning = r.stderr.split("\n").filter((l) => l.startsWith("incluster: warning:"));
    console.log(`[identity] run, allowUnrestricted: exit ${r.code}, verdict ${r.result.suites[0]?.verdict}\n${warning.join("\n")}`);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    expect(warning).toEqual([
      'incluster: warning: suite unrestricted: its podTemplate breaks Pod Security "restricted" (allowUnrestricted: true): ' +
        "spec.containers[test-runner].securityContext.capabilities.add: CHOWN is not allowed (only NET_BIND_SERVICE)",
    ]);
    expect(r.result.warnings).toEqual([expect.stringContaining("suite unrestricted: its podTemplate breaks")]);
  });
});
