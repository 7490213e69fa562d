// Property-based fuzzing of the config loader and the renderer (issue 13 item 2): for any input,
// either a valid config whose rendered objects are well-formed Kubernetes objects that a YAML 1.1
// reader reads back unchanged, or a UsageError (exit 2) whose every problem names a path or file.
// Never another exception, never a hang. The API server's own verdict on a sample of the valid
// ones is test/integration/fuzz-dry-run.test.ts.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments, stringify } from "yaml";
import { parseConfig } from "../../../src/config/parse.js";
import { podTemplateProblems } from "../../../src/render/pod-template.js";
import { parseQuantity } from "../../../src/config/quantity.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import type { Config } from "../../../src/config/schema.js";
import { UsageError } from "../../../src/errors.js";
import { toYaml } from "../../../src/render/format.js";
import { shq } from "../../../src/render/shell.js";
import { objectList, renderSuite } from "../../../src/render/suite.js";
import { runCli } from "../support/run-cli.js";
import { configData, validConfigData } from "./arbitraries.js";

/** Runs per property; FUZZ_RUNS=n for a longer session. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
/** Per property: generous, the runs themselves are bounded by PER_INPUT_MS each. */
const TEST_TIMEOUT_MS = Math.max(60_000, RUNS * 50);
/** No single input may take longer than this (a hang is a failure). */
const PER_INPUT_MS = 2_000;

const VALID = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image: { registry: registry.example.com/team }
source: { git: { url: "https://example.com/r.git", ref: main } }
defaults:
  env: { A: "1", B: { secretKeyRef: { name: db, key: password } } }
  resources: { requests: { cpu: 500m, memory: 1Gi }, limits: { cpu: 2, memory: 2Gi } }
suites:
  smoke: { test: tests/e2e, timeout: 10m }
  web: { command: [npx, vitest, run], image: "node:22" }
`;

type Outcome = { config: Config } | { error: UsageError };

/** parseConfig, which may only return a Config or throw a UsageError whose problems name where. */
function load(text: string): Outcome {
  const t = performance.now();
  try {
    // As every command loads it: podTemplate checked on the pod it makes.
    return { config: parseConfig(text, "incluster.yaml", podTemplateProblems) };
  } catch (e) {
    if (!(e instanceof UsageError)) throw new Error(`not a UsageError: ${String(e)}`, { cause: e });
    expect(e.problems.length).toBeGreaterThan(0);
    // Every problem starts with where: a path, "(top level)", the file, or it is the cap line.
    for (const p of e.problems) expect(p).toMatch(/^(\(top level\)|incluster\.yaml:|… and \d+ more|("(?:[^"\\\n]|\\.)*"|[^\s":]+)([.[]("(?:[^"\\\n]|\\.)*"|[^\s"]+))*: )/u);
    return { error: e };
  } finally {
    expect(performance.now() - t).toBeLessThan(PER_INPUT_MS);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** What the API server checks that we can check here: names, labels, integers, quantities, env. */
function checkObjects(objects: object[]): void {
  for (const o of objects as { kind: string; metadata: { name: string; namespace: string; labels?: Record<string, string> }; spec?: unknown }[]) {
    expect(o.metadata.name.length).toBeLessThanOrEqual(63);
    expect(o.metadata.name).toMatch(DNS_LABEL);
    expect(o.metadata.namespace).toMatch(DNS_LABEL);
    for (const v of Object.values(o.metadata.labels ?? {})) {
      expect(v.length).toBeLessThanOrEqual(63);
      expect(v).toMatch(LABEL_VALUE);
    }
    if (o.kind !== "Job") continue;
    const spec = o.spec as { activeDeadlineSeconds: number; ttlSecondsAfterFinished: number; template: { spec: { containers: { env?: { name: string; value?: string; valueFrom?: unknown }[]; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[] } } };
    expect(Number.isSafeInteger(spec.activeDeadlineSeconds) && spec.activeDeadlineSeconds > 0).toBe(true);
    expect(Number.isInteger(spec.ttlSecondsAfterFinished) && spec.ttlSecondsAfterFinished >= 0 && spec.ttlSecondsAfterFinished < 2 ** 31).toBe(true);
    for (const c of spec.template.spec.containers) {
      // A podTemplate may add a container of its own, without env.
      for (const e of c.env ?? []) expect(typeof e.value === "string" || e.valueFrom !== undefined).toBe(true);
      const { requests = {}, limits = {} } = c.resources ?? {};
      for (const [name, q] of [...Object.entries(requests), ...Object.entries(limits)]) {
        const v = parseQuantity(q);
        expect(v !== undefined && v >= 0, `${name}: ${q}`).toBe(true);
      }
      for (const [name, q] of Object.entries(requests)) if (limits[name] !== undefined) expect(parseQuantity(q) ?? 0).toBeLessThanOrEqual(parseQuantity(limits[name]) ?? 0);
    }
  }
}

/** Every suite renders; the objects are well-formed and a YAML 1.1 reader reads them back unchanged. */
function renderAll(config: Config): object[] {
  const out: object[] = [];
  for (const name of Object.keys(config.suites)) {
    const objects = renderSuite(resolveSuite(config, name), { runId: "abc123" });
    const list = JSON.parse(JSON.stringify(objectList(objects))) as object[];
    checkObjects(list);
    const yaml = toYaml(objects);
    expect(parseAllDocuments(yaml, { version: "1.1" }).map((d) => (d as { toJS(): unknown }).toJS())).toEqual(list);
    out.push(...list);
  }
  return out;
}

const counts = { valid: 0, invalid: 0 };

describe("fuzz: config loader and renderer", () => {
  it(`property 1: any text (${RUNS} runs): a Config or a UsageError with paths, nothing else`, () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 200 })), (text) => {
        const r = load(text);
        if ("config" in r) renderAll(r.config);
      }),
      { numRuns: RUNS },
    );
  }, TEST_TIMEOUT_MS);

  it(`property 2: a valid config with YAML tokens spliced in (${RUNS} runs)`, () => {
    const token = fc.constantFrom(": ", "- ", "&a ", "*a", "*nope", '"', "'", "{", "}", "[", "]", "\t", "\n", "#", "!!binary ", "!!python/object ", "? ", "<<: ", "%YAML 1.1\n", "---\n", "...\n", "|", ">", "\\", "\u0000", "\ufeff", "yes", "0x", "~", "__proto__: ");
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(VALID.length), token), { minLength: 1, maxLength: 4 }), (edits) => {
        let text = VALID;
        for (const [at, t] of edits) text = text.slice(0, at) + t + text.slice(at);
        const r = load(text);
        if ("config" in r) renderAll(r.config);
      }),
      { numRuns: RUNS },
    );
  }, TEST_TIMEOUT_MS);

  it(`property 3: generated configs (${RUNS} runs): valid ones render to well-formed objects read back unchanged by YAML 1.1; the rest are exit-2 problems`, () => {
    fc.assert(
      fc.property(configData, (data) => {
        const r = load(stringify(data));
        if ("config" in r) {
          counts.valid++;
          renderAll(r.config);
        } else counts.invalid++;
      }),
      { numRuns: RUNS },
    );
    console.log(`property 3: ${counts.valid} valid, ${counts.invalid} invalid configs`);
    // The generator must reach both sides, or the property proves little.
    expect(counts.valid).toBeGreaterThan(RUNS / 50);
    expect(counts.invalid).toBeGreaterThan(RUNS / 4);
  }, TEST_TIMEOUT_MS);

  it(`property 3b: configs valid by construction, odd values included (${RUNS} runs), are accepted and render`, () => {
    fc.assert(
      fc.property(validConfigData, (data) => {
        const r = load(stringify(data));
        if ("error" in r) throw new Error(`valid config refused: ${r.error.problems.join("; ")}`);
        renderAll(r.config);
      }),
      { numRuns: RUNS },
    );
  }, TEST_TIMEOUT_MS);

  it(`property 4: the CLI (validate, render) exits 0 or 2, never 3, no stack trace (${Math.ceil(RUNS / 4)} runs)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-fuzz-cli-"));
    await fc.assert(
      fc.asyncProperty(configData, fc.constantFrom("validate", "render"), async (data, command) => {
        writeFileSync(join(dir, "incluster.yaml"), stringify(data));
        const suite = Object.keys((data as { suites: object }).suites)[0] ?? "smoke";
        const r = await runCli(command === "validate" ? ["validate"] : ["render", suite], { cwd: dir });
        expect([0, 2]).toContain(r.code);
        expect(r.stderr).not.toMatch(/^\s+at /m);
        if (r.code === 2) expect(r.stderr).toMatch(/^error: /);
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  }, TEST_TIMEOUT_MS);

  it(`property 5: shq makes any string one shell word that sh reads back exactly, and runs nothing (${Math.ceil(RUNS / 4)} runs)`, () => {
    const marker = join(mkdtempSync(join(tmpdir(), "incluster-fuzz-sh-")), "touched");
    const payload = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 20 }), fc.constantFrom(`$(touch ${marker})`, `\`touch ${marker}\``, `'; touch ${marker}; '`, `"; touch ${marker}; "`, `\\'$(touch ${marker})`));
    fc.assert(
      fc.property(payload.filter((s) => !s.includes("\0")), (s) => {
        const out = execFileSync("/bin/sh", ["-c", `printf %s ${shq(s)}`], { encoding: "utf8" });
        expect(out).toBe(s);
        expect(existsSync(marker)).toBe(false);
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  }, TEST_TIMEOUT_MS);
});
