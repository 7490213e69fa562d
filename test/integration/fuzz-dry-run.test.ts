// Issue 13 item 2 on the real API server: a seeded sample of generated configs (valid by
// construction, and the hostile generator's configs that validate) is rendered and every object
// is created with dryRun=All in a namespace that enforces Pod Security "restricted". The API
// server's validation and admission must accept every one: whatever validate accepts, the cluster
// accepts. Nothing is persisted. The generators include issue 24's hostAliases, dnsConfig,
// runAsUser (auto or a uid) and podTemplate patches (restricted-compatible ones, and hostile ones
// validate must refuse).
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { parseConfig } from "../../src/config/parse.js";
import { podTemplateProblems } from "../../src/render/pod-template.js";
import { resolveSuite } from "../../src/config/resolve.js";
import type { Config } from "../../src/config/schema.js";
import { UsageError } from "../../src/errors.js";
import { objectList, renderSuite } from "../../src/render/suite.js";
import { hostileConfigData, validConfigData } from "../unit/hostile/arbitraries.js";
import { ADMIN_KUBECONFIG, requireCluster } from "./support/cli.js";

/** Generated configs per generator; FUZZ_DRY_RUN=n for more. */
const SAMPLE = Number(process.env.FUZZ_DRY_RUN ?? 150);
const SEED = 1313;
const NS = `incluster-fuzz-${Date.now().toString(36)}`;

let api: KubernetesObjectApi;

beforeAll(async () => {
  requireCluster();
  const kc = new KubeConfig();
  kc.loadFromFile(ADMIN_KUBECONFIG);
  api = KubernetesObjectApi.makeApiClient(kc);
  await api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS, labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/enforce-version": "latest" } } } as KubernetesObject);
});

afterAll(async () => {
  await api?.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: NS } } as KubernetesObject).catch(() => undefined);
});

function validConfigs(arb: fc.Arbitrary<unknown>, n: number, seed: number): { configs: Config[]; refused: number } {
  const configs: Config[] = [];
  let refused = 0;
  for (const data of fc.sample(arb, { numRuns: n, seed })) {
    try {
      configs.push(parseConfig(stringify(data), "incluster.yaml", podTemplateProblems));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      refused++;
    }
  }
  return { configs, refused };
}

async function dryRunAll(objects: KubernetesObject[]): Promise<string[]> {
  const failures: string[] = [];
  const queue = [...objects];
  const worker = async () => {
    for (let o = queue.shift(); o; o = queue.shift()) {
      try {
        await api.create(o, undefined, "All", "incluster-fuzz");
      } catch (e) {
        const body = (e as { body?: unknown }).body;
        failures.push(`${o.kind}/${o.metadata?.name}: ${typeof body === "string" ? body.slice(0, 600) : String(e).slice(0, 600)}\n  ${JSON.stringify(o).slice(0, 1500)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return failures;
}

describe("fuzz sample against the API server (dryRun=All)", () => {
  it(`every object of every accepted config passes the API server's validation and restricted admission (${SAMPLE} + ${SAMPLE} generated configs)`, async () => {
    const valid = validConfigs(validConfigData, SAMPLE, SEED);
    const hostile = validConfigs(hostileConfigData, SAMPLE, SEED + 1);
    const objects: KubernetesObject[] = [];
    const used = { hostAliases: 0, dnsConfig: 0, runAsAuto: 0, runAsUid: 0, podTemplate: 0 };
    for (const config of [...valid.configs, ...hostile.configs]) {
      for (const name of Object.keys(config.suites)) {
        const suite = { ...resolveSuite(config, name), namespace: NS };
        if (suite.pod?.hostAliases?.length) used.hostAliases++;
        if (suite.pod?.dnsConfig) used.dnsConfig++;
        if (suite.runAsUser === "auto") used.runAsAuto++;
        else if (suite.runAsUser !== undefined) used.runAsUid++;
        if (suite.podTemplate) used.podTemplate++;
        for (const o of objectList(renderSuite(suite, { runId: "fz0001" }))) objects.push(o as KubernetesObject);
      }
    }
    const failures = await dryRunAll(objects);
    console.log(
      `dry-run sample: valid generator ${valid.configs.length} accepted / ${valid.refused} refused; hostile generator ${hostile.configs.length} accepted / ${hostile.refused} refused; ` +
        `${objects.length} objects sent with dryRun=All, ${failures.length} rejected; suites with ${JSON.stringify(used)}`,
    );
    expect(valid.refused).toBe(0);
    expect(objects.length).toBeGreaterThan(SAMPLE);
    expect(failures).toEqual([]);
    for (const [field, n] of Object.entries(used)) expect(n, field).toBeGreaterThan(0);
  });
});
