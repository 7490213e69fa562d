// render's own YAML writer against the yaml library it stands in for: for any value it writes, the
// same text, byte for byte; for the manifests render makes, it writes them (no fallback).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveSuite } from "../../../src/config/resolve.js";
import { fastYaml } from "../../../src/render/fast-yaml.js";
import { libraryYaml, yaml11Tags } from "../../../src/render/format.js";
import { objectList, renderSuite } from "../../../src/render/suite.js";
import { guideConfig, imageSourceConfig, variantsConfig } from "../support/fixtures.js";

const runs = Number(process.env.FUZZ_RUNS ?? 500);

/** Strings YAML reads as something else in 1.1 or 1.2, or must quote, or writes as blocks. */
const TRICKY = [
  "", " ", "0", "007", "-1", "+1", "1_000", "0x1F", "0b101", "0o17", "1:20", "1.5", ".5", "1e3", "e5", "E10", ".inf", "-.Inf", ".nan",
  "y", "Y", "n", "N", "yes", "No", "TRUE", "on", "Off", "null", "Null", "~", "2024-01-01", "2024-01-01T10:00:00Z", "=", "<<",
  "-", "?", ":", "- a", "? a", "a: b", "a:b", "a:", "x #y", "a#b", "#x", "&a", "*a", "!x", "|", ">", "'", '"', "%x", "@x", "`x",
  "[x]", "x]", "{x", "x,y", "---", "---x", "...", "it's", 'say "hi"', "a\\b", "tab\there", "é", "a ", " a",
  "a\nb", "a\nb\n", "a\nb\n\n", "\na", " a\nb", "a\n b", "a\n", "\n", "\n\n", "a \nb", "a\n ", "a\n\t", "---\na", "a\n---\nb",
  "a\n...", "a\n#b", "a\n  \nb", "a\n\nb", "  a\n  b\n", "a\n\n", "%\nb", "set -eu\necho \"$X\" | tr a b\n",
];
const alphabet = fc.constantFrom("a", "b", "y", "n", "e", "0", "1", "9", " ", "\n", "\t", ":", "#", "-", "?", ".", "_", "/", "%", "~", "+", '"', "'", "\\", "é");
const text = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: alphabet, maxLength: 12 }), fc.string({ maxLength: 8 }));
const key = fc.oneof(fc.constantFrom("name", "image", "app.kubernetes.io/name", "y", "n", "0", "on"), text);

const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.constantFrom(0, -0, 1.5, 1e21, Number.MAX_SAFE_INTEGER + 2, true, false, null, undefined),
    tie("map"),
    tie("list"),
  ),
  map: fc.dictionary(key, tie("value"), { maxKeys: 5 }),
  list: fc.array(tie("value"), { maxLength: 4 }),
}));

/** Whether fastYaml took the value (and wrote yaml's text). */
/** Values like manifests: printable text without quotes or escapes (a block when multi-line), whole numbers, lists of maps. */
const plainText = fc.oneof(
  fc.constantFrom(...TRICKY.filter((t) => /^[\x20-\x7e\n]*$/.test(t) && !/["'\\]/.test(t) && !/\n[\t ]+$/.test(t) && t !== "=" && t !== "<<")),
  fc.string({ unit: fc.constantFrom("a", "y", "n", "e", "0", "1", " ", "\n", ":", "#", "-", "?", ".", "/", "%", "~", "+"), maxLength: 12 }),
);
const { manifest } = fc.letrec((tie) => ({
  manifest: fc.dictionary(fc.oneof(fc.constantFrom("name", "app.kubernetes.io/name", "y", "0"), plainText), tie("part"), { minKeys: 1, maxKeys: 5 }),
  part: fc.oneof(
    { depthSize: "small" },
    plainText,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    tie("manifest"),
    fc.array(fc.oneof(plainText, tie("manifest")), { maxLength: 3 }),
    fc.constant({}),
  ),
}));

function sameAsLibrary(v: unknown): boolean {
  const fast = fastYaml(v, yaml11Tags());
  if (fast !== undefined) expect(fast).toBe(libraryYaml(v));
  return fast !== undefined;
}

describe("fastYaml", () => {
  it("writes what yaml writes, for any map or list it takes", () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof(value, fc.dictionary(key, value, { minKeys: 1 })), (v) => {
        if (sameAsLibrary(v)) taken++;
      }),
      { numRuns: runs },
    );
    expect(taken).toBeGreaterThan(0);
  });

  it("writes manifest-like values itself, as yaml writes them", () => {
    let taken = 0;
    fc.assert(
      fc.property(manifest, (v) => {
        if (sameAsLibrary(v)) taken++;
      }),
      { numRuns: runs },
    );
    // Not a test of the fallback alone: a good share of these (about 40 %) are written here.
    expect(taken).toBeGreaterThan(runs / 4);
  });

  it("every tricky string as a value, a key, a list item", () => {
    let taken = 0;
    for (const s of TRICKY) {
      if (sameAsLibrary({ k: s })) taken++;
      sameAsLibrary({ [s]: "v" });
      sameAsLibrary({ k: [s, { a: s, b: [s] }] });
      sameAsLibrary([s]);
    }
    expect(taken).toBeGreaterThan(TRICKY.length / 2);
  });

  it("writes the manifests render makes itself", () => {
    const suites = [
      resolveSuite(guideConfig(), "vllm-agent-tools"),
      resolveSuite(variantsConfig(), "web"),
      resolveSuite(variantsConfig(), "isolated"),
      resolveSuite(imageSourceConfig(), "baked"),
    ];
    for (const s of suites) {
      for (const o of objectList(renderSuite(s, { runId: "k3x9qz" }))) {
        const fast = fastYaml(o, yaml11Tags());
        expect(fast, `${(o as { kind: string }).kind} of ${s.name}`).toBeDefined();
        expect(fast).toBe(libraryYaml(o));
      }
    }
  });
});
