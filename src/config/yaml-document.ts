// One linear pass over a parsed YAML document, before it becomes data: duplicate keys (yaml's own
// uniqueKeys check compares every pair, quadratic in the number of suites), keys that cannot be
// names (__proto__, lists as keys), aliases to anchors that do not exist, and where each path
// starts, so every problem can say its line. Pure.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from "yaml";
import { clip } from "./echo.js";
import type { Problem } from "./problems.js";

export interface DocumentFacts {
  problems: Problem[];
  /** Offset where the node at a path starts, keyed by pathKey(path). */
  offsets: Map<string, number>;
}

/** A key a JavaScript object cannot hold as data: it would be dropped or change the object. */
const FORBIDDEN_KEY = "__proto__";

export function pathKey(path: readonly PropertyKey[]): string {
  return path.map(String).join("\u0000");
}

interface Visit {
  node: unknown;
  path: PropertyKey[];
}

/** Problems of the document's structure, each with its path; `line` turns an offset into a line number. */
export function inspectDocument(doc: Document, line: (offset: number) => number): DocumentFacts {
  const problems: Problem[] = [];
  const offsets = new Map<string, number>();
  const anchors = new Set<string>();
  const aliases: { source: string; path: PropertyKey[] }[] = [];
  // An explicit stack: a deeply nested document must not overflow the call stack.
  const stack: Visit[] = [{ node: doc.contents, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.pop() as Visit;
    const start = (node as Node | null)?.range?.[0];
    if (start !== undefined && !offsets.has(pathKey(path))) offsets.set(pathKey(path), start);
    if (isAlias(node)) {
      aliases.push({ source: node.source, path });
      continue;
    }
    if ((isScalar(node) || isMap(node) || isSeq(node)) && node.anchor) anchors.add(node.anchor);
    if (isMap(node)) {
      const seen = new Map<string, number>();
      const children: Visit[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const k = pair.key;
        if (!isScalar(k) || (k.value !== null && typeof k.value === "object")) {
          problems.push({ path, message: `expected plain names as keys, got a ${isSeq(k) ? "list" : isMap(k) ? "mapping" : "complex key"} as a key${at(k, line)}` });
          continue;
        }
        const key = String(k.value);
        const keyPath = [...path, key];
        if (key === FORBIDDEN_KEY) {
          problems.push({ path: keyPath, message: `"${key}" cannot be used as a name; rename it${at(k, line)}` });
          continue;
        }
        const first = seen.get(key);
        if (first !== undefined) problems.push({ path: keyPath, message: `duplicate key "${clip(key)}"${at(k, line)}, first at line ${line(first)}; keep one` });
        else seen.set(key, k.range?.[0] ?? 0);
        if (k.range) offsets.set(pathKey(keyPath), k.range[0]);
        children.push({ node: pair.value, path: keyPath });
      }
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as Visit);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], path: [...path, i] });
    }
  }
  // Anchors defined after their alias are errors in YAML too; yaml reports those when building data.
  for (const a of aliases) {
    if (!anchors.has(a.source)) problems.push({ path: a.path, message: `alias *${clip(a.source)} refers to no anchor; define &${clip(a.source)} before it, or write the value out` });
  }
  return { problems, offsets };
}

function at(node: unknown, line: (offset: number) => number): string {
  const offset = (node as Node | null)?.range?.[0];
  return offset === undefined ? "" : ` at line ${line(offset)}`;
}
