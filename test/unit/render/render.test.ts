import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { resolveSuite, type ResolvedSuite } from "../../../src/config/resolve.js";
import { CHECKED_OUT, CLONE_SCRIPT, checkedOutCommit } from "../../../src/render/clone-script.js";
import { toJson, toYaml } from "../../../src/render/format.js";
import { renderSuite } from "../../../src/render/suite.js";
import { expectGolden } from "../support/golden.js";
import { guideConfig, imageSourceConfig, variantsConfig } from "../support/fixtures.js";

const guide = () => resolveSuite(guideConfig(), "vllm-agent-tools");
const command = () => resolveSuite(variantsConfig(), "web");
const isolated = () => resolveSuite(variantsConfig(), "isolated");
const baked = () => resolveSuite(imageSourceConfig(), "baked");
/** The test container, found by name: the clone runs beside it. */
const test = (pod: { containers: { name: string }[] }) => pod.containers.find((c) => c.name === "test-runner") as ReturnType<typeof renderSuite>["job"]["spec"]["template"]["spec"]["containers"][number] | undefined;

describe("renderSuite goldens", () => {
  it("guide example", () => expectGolden("render/guide-vllm-agent-tools.yaml", toYaml(renderSuite(guide()))));
  it("command suite with a run id", () => expectGolden("render/command-suite.yaml", toYaml(renderSuite(command(), { runId: "k3x9qz" }))));
  it("image source", () => expectGolden("render/image-source.yaml", toYaml(renderSuite(baked()))));
  it("kubernetesAccess false", () => expectGolden("render/no-kubernetes-access.yaml", toYaml(renderSuite(isolated()))));
  it("json is a v1 List of the same objects", () => {
    const list = JSON.parse(toJson(renderSuite(guide())));
    expect(list.kind).toBe("List");
    expect(list.items.map((o: { kind: string }) => o.kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "Job"]);
  });
});

describe("renderSuite", () => {
  it("names the Job with the run id and shares the RBAC objects across runs", () => {
    const o = renderSuite(guide(), { runId: "abc123" });
    expect(o.job.metadata.name).toBe("test-vllm-agent-tools-e2e-abc123");
    expect(o.serviceAccount?.metadata.name).toBe("test-vllm-agent-tools-e2e");
    expect(o.roleBinding?.roleRef.name).toBe("test-vllm-agent-tools-e2e");
    expect(o.job.metadata.labels).toMatchObject({ "incluster.dev/run-id": "abc123", "app.kubernetes.io/managed-by": "incluster", "incluster.dev/suite": "vllm-agent-tools" });
    expect(o.job.spec.template.metadata.labels["incluster.dev/run-id"]).toBe("abc123");
    expect(o.serviceAccount?.metadata.labels["incluster.dev/run-id"]).toBeUndefined();
  });

  it("sets the deadline, no retries, and ignores disruptions", () => {
    const { spec } = renderSuite(resolveSuite(guideConfig(), "full-architecture-deliberation")).job;
    expect(spec.activeDeadlineSeconds).toBe(3600);
    expect(spec.backoffLimit).toBe(0);
    expect(spec.podFailurePolicy.rules).toEqual([{ action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] }]);
  });

  it("names the containers the orchestrator looks for", () => {
    const pod = renderSuite(guide()).job.spec.template.spec;
    expect(pod.initContainers?.map((c) => c.name)).toEqual(["incluster-collector"]);
    // The clone runs beside the tests (the runner waits for its marker): no init step to wait for.
    expect(pod.containers.map((c) => c.name)).toEqual(["clone-repo", "test-runner"]);
    expect(test(pod)?.env?.[0]).toEqual({ name: "PYTHONUNBUFFERED", value: "1" });
  });

  it("passes a command suite's argv as args after the runner script", () => {
    const c = test(renderSuite(command()).job.spec.template.spec);
    expect(c?.command?.slice(-1)).toEqual(["incluster-runner"]);
    expect(c?.args).toEqual(["npx", "vitest", "run", "tests/e2e"]);
  });

  it("drops Role, RoleBinding and the token without Kubernetes access", () => {
    const o = renderSuite(isolated());
    expect(o.role).toBeUndefined();
    expect(o.roleBinding).toBeUndefined();
    expect(o.job.spec.template.spec.automountServiceAccountToken).toBe(false);
  });

  it("clones nothing for an image source: only the collector and the output volume", () => {
    const pod = renderSuite(baked()).job.spec.template.spec;
    expect(pod.initContainers?.map((c) => c.name)).toEqual(["incluster-collector"]);
    expect(pod.containers.map((c) => c.name)).toEqual(["test-runner"]);
    expect(pod.volumes?.map((v) => v.name)).toEqual(["incluster-out"]);
    expect(test(pod)?.volumeMounts).toEqual([{ name: "incluster-out", mountPath: "/incluster" }]);
  });

  it("the collector is a native sidecar on the test image; the test gets INCLUSTER_ARTIFACTS", () => {
    const pod = renderSuite(guide()).job.spec.template.spec;
    const collector = pod.initContainers?.[0];
    expect(collector).toMatchObject({ name: "incluster-collector", restartPolicy: "Always", image: test(pod)?.image });
    expect(test(pod)?.env).toContainEqual({ name: "INCLUSTER_ARTIFACTS", value: "/incluster/artifacts" });
  });

  it("fetches an exact commit when one is set", () => {
    const s: ResolvedSuite = { ...guide(), source: { kind: "git", url: "u", ref: "main", commit: "abc", cloneImage: "git:1" } };
    expect(renderSuite(s).job.spec.template.spec.containers.find((c) => c.name === "clone-repo")?.env).toContainEqual({ name: "GIT_COMMIT", value: "abc" });
  });
});

describe("inline scripts", () => {
  const scripts = [
    ["clone", CLONE_SCRIPT],
    ...[guide, command, isolated, baked].map((s) => [s.name, test(renderSuite(s()).job.spec.template.spec)?.command?.[2] ?? ""]),
  ];
  it.each(scripts)("%s script is valid sh", (_name, script) => {
    execFileSync("sh", ["-n", "-c", script]);
  });

  it("the clone's checked-out line is the one run reads the commit from", () => {
    const line = CLONE_SCRIPT.split("\n").find((l) => l.includes(CHECKED_OUT)) ?? "";
    const printed = execFileSync("sh", ["-c", `git() { echo 19e147a; }; ${line}`], { encoding: "utf8" });
    expect(printed).toBe("Checked out 19e147a\n");
    expect(checkedOutCommit(printed.trim())).toBe("19e147a");
    expect(checkedOutCommit("Cloning u at ref main")).toBeUndefined();
  });

  it("takes env from a Secret by reference: valueFrom in the spec, the value never printed", () => {
    const suite = { ...command(), envRefs: { DB_PASSWORD: { secretKeyRef: { name: "db", key: "password" } } } };
    const c = test(renderSuite(suite).job.spec.template.spec)!;
    expect(c.env?.find((e) => e.name === "DB_PASSWORD")).toEqual({ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } });
    expect(c.command?.[2]).toContain("echo '  DB_PASSWORD=(from Secret db, hidden)'");
  });

  it("never prints secret-looking values", () => {
    const script = test(renderSuite(command()).job.spec.template.spec)?.command?.[2] ?? "";
    expect(script).toContain('echo "  API_TOKEN=(hidden)"');
    expect(script).toContain("for name in API_URL; do");
  });
});
