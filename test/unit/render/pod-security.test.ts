import { describe, expect, it } from "vitest";
import { resolveSuite } from "../../../src/config/resolve.js";
import type { PodSpec } from "../../../src/render/objects.js";
import { restrictedViolations } from "../../../src/render/pod-security.js";
import { scaffoldObjects } from "../../../src/render/scaffold/manifest.js";
import { renderSuite } from "../../../src/render/suite.js";
import { guideConfig, imageSourceConfig, variantsConfig } from "../support/fixtures.js";

const suites = {
  "guide example": () => resolveSuite(guideConfig(), "vllm-agent-tools"),
  "command suite": () => resolveSuite(variantsConfig(), "web"),
  "image source": () => resolveSuite(imageSourceConfig(), "baked"),
  "kubernetesAccess false": () => resolveSuite(variantsConfig(), "isolated"),
};

describe("restricted profile", () => {
  it.each(Object.entries(suites))("rendered pod passes: %s", (_name, suite) => {
    expect(restrictedViolations(renderSuite(suite(), { runId: "abc123" }).job.spec.template.spec)).toEqual([]);
  });

  it.each(Object.entries(suites))("scaffolded pod passes: %s", (_name, suite) => {
    expect(restrictedViolations(scaffoldObjects(suite()).job.spec.template.spec)).toEqual([]);
  });

  it("catches the guide's own clone container (root, CHOWN)", () => {
    const guideInit: PodSpec = {
      securityContext: { fsGroup: 1000, seccompProfile: { type: "RuntimeDefault" } },
      initContainers: [
        {
          name: "clone-repo",
          image: "docker.io/alpine/git:v2.43.0",
          securityContext: { runAsUser: 0, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"], add: ["CHOWN"] } },
        },
      ],
      containers: [
        {
          name: "test-runner",
          image: "x",
          securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 1000, capabilities: { drop: ["ALL"] } },
        },
      ],
    };
    expect(restrictedViolations(guideInit)).toEqual([
      "spec.initContainers[clone-repo]: runAsNonRoot must be true (in the container or the pod securityContext)",
      "spec.initContainers[clone-repo].securityContext.runAsUser must not be 0",
      "spec.initContainers[clone-repo].securityContext.capabilities.add: CHOWN is not allowed (only NET_BIND_SERVICE)",
    ]);
  });

  it("catches a deliberately bad pod on every rule family", () => {
    const bad: PodSpec = {
      hostNetwork: true,
      hostPID: true,
      hostIPC: true,
      securityContext: { seccompProfile: { type: "Unconfined" }, sysctls: [{ name: "kernel.msgmax", value: "1" }] },
      volumes: [{ name: "host", hostPath: { path: "/" } }],
      containers: [
        {
          name: "bad",
          image: "x",
          ports: [{ containerPort: 80, hostPort: 80 }],
          securityContext: { privileged: true, procMount: "Unmasked", capabilities: { add: ["SYS_ADMIN"] }, seLinuxOptions: { user: "root" } },
        },
      ],
    };
    const v = restrictedViolations(bad);
    for (const expected of [
      "spec.hostNetwork",
      "spec.hostPID",
      "spec.hostIPC",
      "seccompProfile.type must be RuntimeDefault or Localhost, got Unconfined",
      "kernel.msgmax is not a safe sysctl",
      "volume type hostPath is not allowed",
      "hostPort 80",
      "privileged must not be true",
      "procMount must be Default",
      "SYS_ADMIN is not allowed",
      "seLinuxOptions.user must not be set",
      "allowPrivilegeEscalation must be false",
      "runAsNonRoot must be true",
      "capabilities.drop must include ALL",
    ]) {
      expect(v.some((line) => line.includes(expected)), `expected a violation mentioning ${expected}:\n${v.join("\n")}`).toBe(true);
    }
  });
});
