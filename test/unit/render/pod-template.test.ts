// Issue 24, the rest: pod.hostAliases and pod.dnsConfig, securityContext.runAsUser (auto or a uid)
// and podTemplate, the strategic-merge patch over the pod template: rendered, and refused by
// validate (path and line) when the patched pod breaks Pod Security "restricted" or drops what the
// run depends on; allowUnrestricted acknowledges the first, and every run then warns.
import { describe, expect, it } from "vitest";
import { validateConfig } from "../../../src/api/config.js";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { UsageError } from "../../../src/errors.js";
import { toYaml } from "../../../src/render/format.js";
import type { PodSpec } from "../../../src/render/objects.js";
import { patchPath, podTemplateProblems, unrestrictedWarnings } from "../../../src/render/pod-template.js";
import { restrictedViolations } from "../../../src/render/pod-security.js";
import { renderSuite } from "../../../src/render/suite.js";
import { expectGolden } from "../support/golden.js";

const HEAD = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
source:
  git: { url: https://git.test/app.git, ref: main }
`;

// Every new field: the defaults give the identity and the pod settings, the suite patches the template.
const EVERYTHING = `${HEAD}defaults:
  image: registry.test/team/tests:1
  securityContext: { runAsUser: auto }
  pod:
    hostAliases:
      - { ip: 10.0.0.5, hostnames: [api.test.internal, db.test.internal] }
      - { ip: "fd00::5", hostnames: [v6.test.internal] }
    dnsConfig:
      nameservers: [10.96.0.10]
      searches: [svc.cluster.local, corp.internal.]
      options: [{ name: ndots, value: "2" }, { name: edns0 }]
suites:
  smoke:
    command: [make, e2e]
    podTemplate:
      metadata:
        labels: { sidecar.istio.io/inject: "true" }
        annotations: { proxy.istio.io/config: "holdApplicationUntilProxyStarts: true" }
      spec:
        securityContext: { runAsUser: 1000870000, fsGroup: 1000870000 }
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway }]
        containers:
          - name: test-runner
            env: [{ name: EXTRA, value: "1" }, { name: PYTHONUNBUFFERED, value: "0" }]
            resources: { limits: { memory: 1Gi } }
            securityContext: { capabilities: { add: [NET_BIND_SERVICE] } }
        volumes: [{ name: scratch, emptyDir: { medium: Memory } }]
`;

const config = () => parseConfig(EVERYTHING, "pod-template.yaml", podTemplateProblems);
const podOf = (text: string, suite = "one"): PodSpec => renderSuite(resolveSuite(parseConfig(text, "t.yaml", podTemplateProblems), suite)).job.spec.template.spec;

/** A config whose suite "one" has the lines `extra`: its validate problems, as the CLI prints them. */
function problems(extra: string, defaults = ""): string[] {
  const text = `${HEAD}defaults:\n  image: registry.test/t:1\n${defaults}suites:\n  one:\n    command: ["true"]\n${extra}`;
  try {
    parseConfig(text, "bad.yaml", podTemplateProblems);
  } catch (err) {
    if (err instanceof UsageError) return [...err.problems];
    throw err;
  }
  return [];
}

describe("rendering the new fields", () => {
  it("renders hostAliases, dnsConfig, runAsUser auto and the podTemplate (golden)", () => {
    expectGolden("render/pod-template.yaml", toYaml(renderSuite(resolveSuite(config(), "smoke"), { runId: "k3x9qz" })));
  });

  it("runAsUser auto: no uid, gid or fsGroup of incluster's own anywhere, runAsNonRoot kept, still restricted", () => {
    const spec = podOf(`${HEAD}defaults: { image: r.test/t:1 }\nsuites:\n  one:\n    command: ["true"]\n    securityContext: { runAsUser: auto }\n`);
    expect(spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      expect(c.securityContext).toMatchObject({ runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
      expect(c.securityContext?.runAsUser).toBeUndefined();
    }
    expect(restrictedViolations(spec)).toEqual([]);
  });

  it("runAsUser <uid>: that uid, gid and fsGroup instead of 1000", () => {
    const spec = podOf(`${HEAD}defaults: { image: r.test/t:1, securityContext: { runAsUser: 1001 } }\nsuites:\n  one:\n    command: ["true"]\n`);
    expect(spec.securityContext).toMatchObject({ runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001 });
    expect(spec.containers.map((c) => c.securityContext?.runAsUser)).toEqual([1001, 1001]);
  });

  it("the patched pod of the golden suite passes Pod Security restricted, and the patch went where it says", () => {
    const s = renderSuite(resolveSuite(config(), "smoke"), { runId: "abc123" });
    const spec = s.job.spec.template.spec;
    expect(restrictedViolations(spec)).toEqual([]);
    expect(s.job.spec.template.metadata.labels).toMatchObject({ "sidecar.istio.io/inject": "true", "incluster.dev/run-id": "abc123", app: "test-smoke-e2e" });
    const test = spec.containers.find((c) => c.name === "test-runner");
    // env merged by name: the patch's value of PYTHONUNBUFFERED wins, incluster's other variables stay.
    expect(test?.env?.map((e) => `${e.name}=${e.value}`)).toEqual(["EXTRA=1", "PYTHONUNBUFFERED=0", "INCLUSTER_ARTIFACTS=/incluster/artifacts"]);
    expect(test?.securityContext?.capabilities).toEqual({ drop: ["ALL"], add: ["NET_BIND_SERVICE"] });
    expect(spec.volumes?.map((v) => v.name)).toEqual(["scratch", "incluster-out", "source-code"]);
  });

  it("a suite's podTemplate replaces the default's whole; `podTemplate: {}` clears it", () => {
    const text = `${HEAD}defaults:\n  image: r.test/t:1\n  podTemplate: { spec: { priorityClassName: low } }\nsuites:\n  a:\n    command: ["true"]\n  b:\n    command: ["true"]\n    podTemplate: {}\n`;
    const c = parseConfig(text, "t.yaml", podTemplateProblems);
    expect((renderSuite(resolveSuite(c, "a")).job.spec.template.spec as { priorityClassName?: string }).priorityClassName).toBe("low");
    expect(resolveSuite(c, "b").podTemplate).toBeUndefined();
  });
});

describe("validate: hostAliases, dnsConfig, securityContext", () => {
  it.each([
    ["    pod: { hostAliases: [{ ip: 10.0.0.256, hostnames: [a] }] }", "suites.one.pod.hostAliases[0].ip: expected an IP address: an IPv4 or IPv6 address"],
    ["    pod: { hostAliases: [{ ip: 010.0.0.1 }] }", "suites.one.pod.hostAliases[0].ip: expected an IP address"],
    ["    pod: { hostAliases: [{ ip: 'fe80::1%eth0' }] }", "suites.one.pod.hostAliases[0].ip: expected an IP address"],
    ["    pod: { hostAliases: [{ ip: '1:2:3:4:5:6:7:8:9' }] }", "suites.one.pod.hostAliases[0].ip: expected an IP address"],
    ["    pod: { hostAliases: [{ ip: 10.0.0.5, hostnames: [API.test] }] }", "suites.one.pod.hostAliases[0].hostnames[0]: expected a hostname"],
    ["    pod: { hostAliases: [{ ip: 10.0.0.5, hostnames: [a] }, { ip: 10.0.0.5, hostnames: [b] }] }", "suites.one.pod.hostAliases[1].ip: 10.0.0.5 is also hostAliases[0].ip"],
    ["    pod: { hostAliases: [{ hostnames: [a] }] }", "suites.one.pod.hostAliases[0].ip: expected an IP address like 10.0.0.5 or fd00::5, got nothing"],
    ["    pod: { dnsConfig: { nameservers: [1.1.1.1, 1.0.0.1, 8.8.8.8, 8.8.4.4] } }", "suites.one.pod.dnsConfig.nameservers: at most 3 nameservers"],
    ["    pod: { dnsConfig: { nameservers: [dns.local] } }", "suites.one.pod.dnsConfig.nameservers[0]: expected a nameserver address"],
    [`    pod: { dnsConfig: { searches: [${Array.from({ length: 33 }, (_, i) => `s${i}.test`).join(", ")}] } }`, "suites.one.pod.dnsConfig.searches: at most 32 search domains"],
    [`    pod: { dnsConfig: { searches: [${Array.from({ length: 11 }, (_, i) => `${"a".repeat(60)}.${"b".repeat(60)}.${"c".repeat(60)}.s${i}.test`).join(", ")}] } }`, "suites.one.pod.dnsConfig.searches: at most 2048 characters"],
    ["    pod: { dnsConfig: { searches: [-bad.test] } }", "suites.one.pod.dnsConfig.searches[0]: expected a search domain"],
    ["    pod: { dnsConfig: { options: [{ value: '2' }] } }", "suites.one.pod.dnsConfig.options[0].name: expected a resolver option name like ndots, got nothing"],
    ["    pod: { dnsConfig: { options: [{ name: 'ndots 2' }] } }", "suites.one.pod.dnsConfig.options[0].name: expected a resolver option name like ndots without spaces"],
    ["    pod: { dnsConfig: { options: [{ name: ndots, value: 2 }] } }", "suites.one.pod.dnsConfig.options[0].value: expected the option's value as a string"],
    ["    pod: { dnsPolicy: None }", 'suites.one.pod.dnsPolicy: unknown field "dnsPolicy"'],
    ["    securityContext: { runAsUser: 0 }", "suites.one.securityContext.runAsUser: expected auto or a uid from 1 to 2147483647 (0 is root: Pod Security \"restricted\" refuses it), got 0"],
    ["    securityContext: { runAsUser: root }", 'suites.one.securityContext.runAsUser: expected auto or a uid from 1 to 2147483647 (0 is root: Pod Security "restricted" refuses it), got "root"'],
    ["    securityContext: { fsGroup: 5 }", 'suites.one.securityContext.fsGroup: unknown field "fsGroup"'],
    ["    podTemplate: { spec: [] }", "suites.one.podTemplate.spec: expected a mapping as in a pod template's spec"],
    ["    podTemplate: { kind: Pod }", 'suites.one.podTemplate.kind: unknown field "kind"'],
    ["    allowUnrestricted: yes", 'suites.one.allowUnrestricted: expected true or false, got "yes"'],
  ])("%s", (line, expected) => {
    const found = problems(`${line}\n`);
    expect(found.join("\n")).toContain(expected);
  });

  it("accepts IPv4, IPv6 (compressed, with an IPv4 tail) and trailing-dot search domains", () => {
    expect(
      problems("    pod:\n      hostAliases: [{ ip: 10.0.0.5 }, { ip: '::1' }, { ip: '::ffff:10.0.0.6' }, { ip: 'fd00:0:0:0:0:0:0:5' }]\n      dnsConfig: { searches: [corp.internal.] }\n"),
    ).toEqual([]);
  });
});

describe("validate: podTemplate", () => {
  const ack = 'drop it, or set allowUnrestricted: true beside podTemplate to run it anyway (every run then warns)';
  it.each([
    [
      "privileged",
      "    podTemplate:\n      spec:\n        containers:\n          - name: test-runner\n            securityContext: { privileged: true }\n",
      `suites.one.podTemplate.spec.containers[0].securityContext.privileged: the patched pod breaks Pod Security "restricted": spec.containers[test-runner].securityContext.privileged must not be true; ${ack} (line 15)`,
    ],
    [
      "hostPath",
      "    podTemplate:\n      spec:\n        volumes: [{ name: docker, hostPath: { path: /var/run/docker.sock } }]\n",
      `suites.one.podTemplate.spec.volumes[0]: the patched pod breaks Pod Security "restricted": spec.volumes[docker]: volume type hostPath is not allowed; ${ack} (line 13)`,
    ],
    [
      "runAsUser 0",
      "    podTemplate:\n      spec:\n        securityContext: { runAsUser: 0 }\n",
      `suites.one.podTemplate.spec.securityContext.runAsUser: the patched pod breaks Pod Security "restricted": spec.securityContext.runAsUser must not be 0; ${ack} (line 13)`,
    ],
    ["hostNetwork", "    podTemplate: { spec: { hostNetwork: true } }\n", "suites.one.podTemplate.spec.hostNetwork: the patched pod breaks Pod Security \"restricted\": spec.hostNetwork must not be true"],
    ["hostPID", "    podTemplate: { spec: { hostPID: true } }\n", "suites.one.podTemplate.spec.hostPID: the patched pod breaks Pod Security \"restricted\": spec.hostPID must not be true"],
    ["hostIPC", "    podTemplate: { spec: { hostIPC: true } }\n", "suites.one.podTemplate.spec.hostIPC: the patched pod breaks Pod Security \"restricted\": spec.hostIPC must not be true"],
    [
      "an added capability",
      "    podTemplate: { spec: { containers: [{ name: test-runner, securityContext: { capabilities: { add: [NET_ADMIN] } } }] } }\n",
      "suites.one.podTemplate.spec.containers[0].securityContext.capabilities.add: the patched pod breaks Pod Security \"restricted\": " +
        "spec.containers[test-runner].securityContext.capabilities.add: NET_ADMIN is not allowed (only NET_BIND_SERVICE)",
    ],
    [
      "runAsNonRoot false",
      "    podTemplate: { spec: { initContainers: [{ name: incluster-collector, securityContext: { runAsNonRoot: false } }] } }\n",
      "suites.one.podTemplate.spec.initContainers[0]: the patched pod breaks Pod Security \"restricted\": spec.initContainers[incluster-collector]: runAsNonRoot must be true",
    ],
    [
      "allowPrivilegeEscalation true",
      "    podTemplate: { spec: { containers: [{ name: clone-repo, securityContext: { allowPrivilegeEscalation: true } }] } }\n",
      "suites.one.podTemplate.spec.containers[0].securityContext.allowPrivilegeEscalation: the patched pod breaks Pod Security \"restricted\": " +
        "spec.containers[clone-repo].securityContext.allowPrivilegeEscalation must be false",
    ],
    [
      "seccomp Unconfined",
      "    podTemplate: { spec: { securityContext: { seccompProfile: { type: Unconfined } } } }\n",
      "suites.one.podTemplate.spec.securityContext.seccompProfile.type: the patched pod breaks Pod Security \"restricted\": " +
        "spec.securityContext.seccompProfile.type must be RuntimeDefault or Localhost, got Unconfined",
    ],
    [
      "a securityContext replaced whole",
      "    podTemplate: { spec: { containers: [{ name: test-runner, securityContext: { $patch: replace, runAsUser: 2000 } }] } }\n",
      "suites.one.podTemplate.spec.containers[0].securityContext: the patched pod breaks Pod Security \"restricted\": " +
        "spec.containers[test-runner].securityContext.allowPrivilegeEscalation must be false",
    ],
    [
      "a sidecar without a securityContext",
      "    podTemplate: { spec: { containers: [{ name: proxy, image: envoy }] } }\n",
      "suites.one.podTemplate.spec.containers[0]: the patched pod breaks Pod Security \"restricted\": " +
        "spec.containers[proxy].securityContext.allowPrivilegeEscalation must be false",
    ],
  ])("%s", (_what, lines, expected) => {
    expect(problems(lines)).toContainEqual(expect.stringContaining(expected));
  });

  it.each([
    [
      "the test container deleted",
      "    podTemplate: { spec: { containers: [{ name: test-runner, $patch: delete }] } }\n",
      'suites.one.podTemplate.spec.containers[0]: container "test-runner" is incluster\'s own (it runs the tests) and must stay in spec.containers',
    ],
    [
      "the containers replaced (the clone renamed away)",
      "    podTemplate: { spec: { containers: [{ $patch: replace }, { name: tests, image: x }] } }\n",
      'suites.one.podTemplate.spec.containers: container "clone-repo" is incluster\'s own (it puts the source in /workspace)',
    ],
    [
      "the collector moved out of initContainers",
      "    podTemplate: { spec: { initContainers: [{ name: incluster-collector, $patch: delete }] } }\n",
      'suites.one.podTemplate.spec.initContainers[0]: container "incluster-collector" is incluster\'s own (it keeps the output until incluster has copied it)',
    ],
    [
      "a volume deleted",
      "    podTemplate: { spec: { volumes: [{ name: incluster-out, $patch: delete }] } }\n",
      'suites.one.podTemplate.spec.volumes[0]: volume "incluster-out" is one the run mounts; the patch must not remove or rename it',
    ],
    [
      "a mount moved",
      "    podTemplate: { spec: { containers: [{ name: test-runner, volumeMounts: [{ mountPath: /workspace, $patch: delete }] }] } }\n",
      "suites.one.podTemplate.spec.containers[0].volumeMounts: spec.containers[test-runner]: volume source-code at /workspace is one the run needs there",
    ],
    [
      "incluster's label changed",
      "    podTemplate: { metadata: { labels: { app: mine } } }\n",
      'suites.one.podTemplate.metadata.labels.app: label "app" is incluster\'s own (runs find their pods by it); the patch must not change or remove it',
    ],
    [
      "incluster's label deleted",
      "    podTemplate: { metadata: { labels: { incluster.dev/suite: null } } }\n",
      'suites.one.podTemplate.metadata.labels.incluster.dev/suite: label "incluster.dev/suite" is incluster\'s own',
    ],
    [
      "a Job controller's label set",
      "    podTemplate: { metadata: { labels: { batch.kubernetes.io/job-name: x } } }\n",
      'suites.one.podTemplate.metadata.labels.batch.kubernetes.io/job-name: label "batch.kubernetes.io/job-name" is incluster\'s own',
    ],
    ["an element without its merge key", "    podTemplate: { spec: { containers: [{ image: x }] } }\n", "suites.one.podTemplate.spec.containers[0]: expected name: this list is merged by name"],
    ["an unknown directive", "    podTemplate: { spec: { $pach: replace } }\n", 'suites.one.podTemplate.spec.$pach: unknown directive "$pach"'],
    ["a list where a mapping was", "    podTemplate: { spec: { securityContext: [] } }\n", "suites.one.podTemplate.spec.securityContext: expected spec.securityContext to be a mapping"],
  ])("%s", (_what, lines, expected) => {
    expect(problems(lines)).toContainEqual(expect.stringContaining(expected));
  });

  it("a defaults.podTemplate is reported once, at defaults.podTemplate", () => {
    const text = `${HEAD}defaults:\n  image: r.test/t:1\n  podTemplate: { spec: { hostPID: true } }\nsuites:\n  a: { command: ["true"] }\n  b: { command: ["true"] }\n`;
    let found: readonly string[] = [];
    try {
      parseConfig(text, "t.yaml", podTemplateProblems);
    } catch (err) {
      found = (err as UsageError).problems;
    }
    expect(found).toEqual([expect.stringMatching(/^defaults\.podTemplate\.spec\.hostPID: the patched pod breaks Pod Security "restricted": spec\.hostPID must not be true.*\(line 8\)$/)]);
  });

  it("allowUnrestricted: validate passes, and every run warns with the violations", () => {
    const extra = "    allowUnrestricted: true\n    podTemplate:\n      spec:\n        containers: [{ name: test-runner, securityContext: { privileged: true } }]\n        volumes: [{ name: docker, hostPath: { path: /var/run/docker.sock } }]\n";
    expect(problems(extra)).toEqual([]);
    const text = `${HEAD}defaults:\n  image: registry.test/t:1\nsuites:\n  one:\n    command: ["true"]\n${extra}  two:\n    command: ["true"]\n`;
    const c = parseConfig(text, "t.yaml", podTemplateProblems);
    expect(unrestrictedWarnings([resolveSuite(c, "one"), resolveSuite(c, "two")])).toEqual([
      'suite one: its podTemplate breaks Pod Security "restricted" (allowUnrestricted: true): spec.volumes[docker]: volume type hostPath is not allowed; ' +
        "spec.containers[test-runner].securityContext.privileged must not be true",
    ]);
  });

  it("allowUnrestricted does not let a patch remove incluster's own parts", () => {
    expect(problems("    allowUnrestricted: true\n    podTemplate: { spec: { containers: [{ name: test-runner, $patch: delete }] } }\n")).toContainEqual(
      expect.stringContaining('container "test-runner" is incluster\'s own'),
    );
  });

  it("the library's validateConfig checks podTemplate too, for YAML and for data", () => {
    const data = { apiVersion: "incluster.dev/v1alpha1", kind: "Config", source: { image: {} }, defaults: { image: "r.test/t:1" }, suites: { one: { command: ["true"], podTemplate: { spec: { hostIPC: true } } } } };
    expect(() => validateConfig(data)).toThrow(UsageError);
    try {
      validateConfig(data);
    } catch (err) {
      expect((err as UsageError).problems[0]).toContain("suites.one.podTemplate.spec.hostIPC: the patched pod breaks Pod Security");
    }
  });

  it("patchPath follows a pod field path into the patch, list elements by name", () => {
    const patch = { spec: { containers: [{ name: "a" }, { name: "test-runner", securityContext: { privileged: true } }] } };
    expect(patchPath(patch, "spec.containers[test-runner].securityContext.privileged")).toEqual(["spec", "containers", 1, "securityContext", "privileged"]);
    expect(patchPath(patch, "spec.containers[clone-repo].securityContext")).toEqual(["spec", "containers"]);
    expect(patchPath(patch, "spec.hostNetwork")).toEqual(["spec"]);
  });
});

describe("a cluster that assigns uids (for run's preflight)", () => {
  it("withAssignedIdentity makes runAsUser auto unless the config names a uid or auto", async () => {
    const { withAssignedIdentity } = await import("../../../src/config/resolve.js");
    const c = parseConfig(`${HEAD}defaults: { image: r.test/t:1 }\nsuites:\n  a: { command: ["true"] }\n  b: { command: ["true"], securityContext: { runAsUser: 1001 } }\n`, "t.yaml");
    expect(withAssignedIdentity(resolveSuite(c, "a")).runAsUser).toBe("auto");
    expect(withAssignedIdentity(resolveSuite(c, "b")).runAsUser).toBe(1001);
    expect(renderSuite(withAssignedIdentity(resolveSuite(c, "a"))).job.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
  });
});
