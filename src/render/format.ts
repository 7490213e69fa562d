// Output formats of `render`: a multi-document YAML stream (kubectl apply -f -) or a
// Kubernetes List (kubectl's -o json shape).
import { stringify } from "yaml";
import type { SuiteObjects } from "./objects.js";
import { objectList } from "./suite.js";

export function toYaml(objects: SuiteObjects): string {
  return objectList(objects)
    .map((o) => "---\n" + stringify(o, { lineWidth: 0, blockQuote: "literal", aliasDuplicateObjects: false }))
    .join("");
}

export function toJson(objects: SuiteObjects): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: objectList(objects) }, null, 2) + "\n";
}
