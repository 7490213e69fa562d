// Rendered YAML reads back as the same strings in a YAML 1.1 reader (kubectl's, PyYAML) as in a
// 1.2 one: yes/on/NO/off/1_000/2024-01-01 and the like are quoted wherever they land (env values,
// GIT_REF, the incluster.dev/suite label, names).
import { execFileSync, spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { toYaml } from "../../../src/render/format.js";
import { objectList, renderSuite } from "../../../src/render/suite.js";

/** Plain scalars a YAML 1.1 reader resolves to something other than a string. */
export const YAML11_WORDS = [
  "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", "true", "False", "null", "Null", "~",
  "1_000", "0b1010", "0x1F", "0777", "017", "1:20", "190:20:30.15", "2024-01-01", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5",
  ".inf", "-.Inf", ".NaN", "1e3", "1E3", "+12", "-0.5", ".5", "12", "=", "<<", "tab\there", "ünïcode", "a\u2028b", "line1\nline2", " lead", "trail ",
];
/** Of those, the ones that can be suite names (DNS-1123 labels) and so label values and object names. */
const NAME_WORDS = ["yes", "no", "on", "off", "y", "n", "true", "null", "2024-01-01", "0777", "017", "1e3", "12", "0x1f", "1-000"];
const REF_WORDS = ["yes", "on", "NO", "off", "1_000", "2024-01-01", "0x1F", "1e3", "12", "y"];

function renderAll(ref: string, suites: string[]): string {
  const yaml = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: "on"
image: { registry: registry.example.com/team }
source: { git: { url: "https://example.com/r.git", ref: ${JSON.stringify(ref)} } }
defaults:
  env:
${YAML11_WORDS.map((w, i) => `    V${i}: ${JSON.stringify(w)}`).join("\n")}
suites:
${suites.map((s) => `  ${JSON.stringify(s)}: { test: ${JSON.stringify(s)}, command: null }`.replace(", command: null", "")).join("\n")}
`;
  const config = parseConfig(yaml, "incluster.yaml");
  return suites.map((s) => toYaml(renderSuite(resolveSuite(config, s), { runId: "abc123" }))).join("");
}

function expected(ref: string, suites: string[]): unknown[] {
  const yaml = `apiVersion: incluster.dev/v1alpha1\nkind: Config\nnamespace: "on"\nimage: { registry: registry.example.com/team }\nsource: { git: { url: "https://example.com/r.git", ref: ${JSON.stringify(ref)} } }\ndefaults:\n  env:\n${YAML11_WORDS.map((w, i) => `    V${i}: ${JSON.stringify(w)}`).join("\n")}\nsuites:\n${suites.map((s) => `  ${JSON.stringify(s)}: { test: ${JSON.stringify(s)} }`).join("\n")}\n`;
  const config = parseConfig(yaml, "incluster.yaml");
  return JSON.parse(JSON.stringify(suites.flatMap((s) => objectList(renderSuite(resolveSuite(config, s), { runId: "abc123" })))));
}

const hasPyYaml = spawnSync("python3", ["-c", "import yaml"]).status === 0;

describe("rendered YAML under a YAML 1.1 reader", () => {
  for (const ref of REF_WORDS) {
    it(`ref ${JSON.stringify(ref)}, every 1.1 word in env, suite names ${NAME_WORDS.join(", ")}: the yaml package in 1.1 mode reads back the same objects`, () => {
      const out = renderAll(ref, NAME_WORDS);
      const docs = parseAllDocuments(out, { version: "1.1" }).map((d) => (d as { toJS(): unknown }).toJS());
      expect(docs).toEqual(expected(ref, NAME_WORDS));
      // And a 1.2 reader agrees.
      expect(parseAllDocuments(out).map((d) => (d as { toJS(): unknown }).toJS())).toEqual(expected(ref, NAME_WORDS));
    });
  }

  it.skipIf(!hasPyYaml)(`PyYAML (a YAML 1.1 reader like kubectl's) reads back the same objects${hasPyYaml ? "" : " (skipped: no python3 with PyYAML here)"}`, () => {
    const out = REF_WORDS.map((ref) => renderAll(ref, NAME_WORDS)).join("");
    const py = execFileSync("python3", ["-c", "import sys, json, yaml; print(json.dumps(list(yaml.safe_load_all(sys.stdin))))"], { input: out, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    expect(JSON.parse(py)).toEqual(REF_WORDS.flatMap((ref) => expected(ref, NAME_WORDS)));
  }, 30_000);
});
