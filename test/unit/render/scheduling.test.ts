import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { toYaml } from "../../../src/render/format.js";
import { renderSuite } from "../../../src/render/suite.js";
import { UsageError } from "../../../src/errors.js";
import { expectGolden } from "../support/golden.js";

// defaults.scheduling lands suites on a dedicated pool; a suite replaces a part as a whole.
const SCHEDULING_YAML = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
source:
  image: {}
defaults:
  image: registry.example.com/team/tests:1
  scheduling:
    nodeSelector: { pool: e2e }
    tolerations:
      - { key: dedicated, operator: Equal, value: e2e, effect: NoSchedule }
suites:
  pooled:
    test: tests/e2e
  gpu:
    test: tests/gpu
    scheduling:
      nodeSelector: { pool: gpu, "example.com/accelerator": "true" }
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm: { topologyKey: kubernetes.io/hostname, labelSelector: { matchLabels: { incluster.dev/suite: gpu } } }
  anywhere:
    test: tests/e2e
    scheduling: { nodeSelector: {}, tolerations: [] }
`;

const config = () => parseConfig(SCHEDULING_YAML, "scheduling.yaml");

describe("scheduling", () => {
  it("renders defaults' nodeSelector and tolerations into the pod spec", () => expectGolden("render/scheduling-defaults.yaml", toYaml(renderSuite(resolveSuite(config(), "pooled")))));

  it("takes each part from the suite, else from defaults", () => {
    const spec = renderSuite(resolveSuite(config(), "gpu")).job.spec.template.spec;
    expect(spec.nodeSelector).toEqual({ pool: "gpu", "example.com/accelerator": "true" });
    expect(spec.tolerations).toEqual([{ key: "dedicated", operator: "Equal", value: "e2e", effect: "NoSchedule" }]);
    expect(spec.affinity).toHaveProperty("podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution");
  });

  it("lets a suite clear the defaults with empty values", () => {
    const spec = renderSuite(resolveSuite(config(), "anywhere")).job.spec.template.spec;
    expect(spec.nodeSelector).toEqual({});
    expect(spec.tolerations).toEqual([]);
  });

  it("renders no scheduling fields when none is configured", () => {
    const c = config();
    delete c.defaults?.scheduling;
    const spec = renderSuite(resolveSuite(c, "pooled")).job.spec.template.spec;
    expect(spec).not.toHaveProperty("nodeSelector");
    expect(spec).not.toHaveProperty("tolerations");
    expect(spec).not.toHaveProperty("affinity");
  });

  it("reports a bad operator and an unknown field with their paths", () => {
    const bad = SCHEDULING_YAML.replace("operator: Equal", "operator: Equals").replace("nodeSelector: { pool: e2e }", "nodeSelectors: { pool: e2e }");
    let err: unknown;
    try {
      parseConfig(bad, "bad.yaml");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    const text = [(err as UsageError).message, ...(err as UsageError).problems].join("\n");
    expect(text).toContain("defaults.scheduling.tolerations[0].operator");
    expect(text).toContain("Exists, Equal");
    expect(text).toContain('"nodeSelectors" (did you mean "nodeSelector"?)');
  });

  it("words a bad tolerationSeconds itself (whole seconds, 0 or more), not in zod's default English", () => {
    const problems = (v: string) => {
      try {
        parseConfig(SCHEDULING_YAML.replace("effect: NoSchedule", `effect: NoExecute, tolerationSeconds: ${v}`), "bad.yaml");
      } catch (e) {
        return (e as UsageError).problems;
      }
      return [];
    };
    expect(problems("-1")).toEqual(["defaults.scheduling.tolerations[0].tolerationSeconds: expected a whole number of seconds (0 or more), got -1 (a number) (line 11)"]);
    expect(problems("1.5")).toEqual(["defaults.scheduling.tolerations[0].tolerationSeconds: expected a whole number of seconds, got 1.5 (a number) (line 11)"]);
    expect(problems("30")).toEqual([]);
  });
});
