// Output formats of `render`: a multi-document YAML stream (kubectl apply -f -) or a
// Kubernetes List (kubectl's -o json shape).
import { Document, Scalar, visit, type CreateNodeOptions, type DocumentOptions, type SchemaOptions } from "yaml";
import type { SuiteObjects } from "./objects.js";
import { objectList } from "./suite.js";
import { fastYaml } from "./fast-yaml.js";

export function toYaml(objects: SuiteObjects): string {
  return objectList(objects)
    .map((o) => "---\n" + yamlOf(o))
    .join("");
}

export function toJson(objects: SuiteObjects): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: objectList(objects) }, null, 2) + "\n";
}

/**
 * YAML that YAML 1.1 readers (kubectl's, PyYAML) and 1.2 readers read back as the same strings.
 * The 1.1 schema quotes yes/on/NO/1_000/2024-01-01 and the like; the rest is quoted by hand:
 * `=` and `<<` (1.1's value and merge keys) and anything outside printable ASCII on one line,
 * because PyYAML rejects a tab in a plain scalar.
 */
export function yamlOf(value: unknown): string {
  // Manifests are written directly: the same text in a fraction of the time (fast-yaml.ts).
  return fastYaml(value, yaml11Tags()) ?? libraryYaml(value);
}

/** The options every Document here is made with; without 1.1's merge tag, whose stringifier writes "<<" bare whatever the node's quoting. */
const DOCUMENT_OPTIONS: DocumentOptions & SchemaOptions & CreateNodeOptions = {
  version: "1.1",
  aliasDuplicateObjects: false,
  customTags: (tags) => tags.filter((t) => typeof t === "string" || t.tag !== MERGE_TAG),
};

type Tags = Document["schema"]["tags"];
let tags: Tags | undefined;
/** The tags of the schema yamlOf writes with, which decide what a plain string would be read as. */
export function yaml11Tags(): Tags {
  return (tags ??= new Document(undefined, DOCUMENT_OPTIONS).schema.tags);
}

/** yaml's own writing of a value: the one yamlOf gives when fastYaml does not take it. */
export function libraryYaml(value: unknown): string {
  const doc = new Document(value, DOCUMENT_OPTIONS);
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === "string" && needsDoubleQuotes(node.value)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ lineWidth: 0, blockQuote: "literal" });
}

const YAML11_INDICATORS = new Set(["=", "<<"]);
const MERGE_TAG = "tag:yaml.org,2002:merge";

function needsDoubleQuotes(s: string): boolean {
  if (YAML11_INDICATORS.has(s)) return true;
  // Multi-line text (scripts) stays a literal block when it is plain printable ASCII.
  return !/^[\x20-\x7e\n]*$/.test(s);
}
