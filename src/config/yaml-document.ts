// One linear pass over a parsed YAML document, before it becomes data: duplicate keys (yaml's own
// uniqueKeys check compares every pair, quadratic in the number of suites), keys that cannot be
// names (__proto__, lists as keys) and aliases to anchors that do not exist. Pure.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from "yaml";
import { clip } from "../echo.js";
import type { Problem } from "./problems.js";

/** A key a JavaScript object cannot hold as data: it would be dropped or change the object. */
const FORBIDDEN_KEY = "__proto__";

/** Paths as parent links, made into arrays only for the few nodes that have a problem. */
interface PathLink {
  parent: PathLink | undefined;
  key: string | number;
}

function toPath(link: PathLink | undefined): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (let l = link; l; l = l.parent) out.push(l.key);
  return out.reverse();
}

/** Problems of the document's structure, each with its path; `line` turns an offset into a line number. */
export function inspectDocument(doc: Document, line: (offset: number) => number): Problem[] {
  const problems: Problem[] = [];
  const anchors = new Set<string>();
  const aliases: { source: string; at: PathLink | undefined }[] = [];
  // An explicit stack: a deeply nested document must not overflow the call stack.
  const stack: { node: unknown; at: PathLink | undefined }[] = [{ node: doc.contents, at: undefined }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, at } = item;
    if (isAlias(node)) {
      aliases.push({ source: node.source, at });
      continue;
    }
    if (isScalar(node)) {
      if (node.anchor) anchors.add(node.anchor);
      continue;
    }
    if (isSeq(node)) {
      if (node.anchor) anchors.add(node.anchor);
      for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], at: { parent: at, key: i } });
      continue;
    }
    if (!isMap(node)) continue;
    if (node.anchor) anchors.add(node.anchor);
    const seen = new Map<string, number>();
    for (let i = node.items.length - 1; i >= 0; i--) {
      const pair = node.items[i];
      if (!isPair(pair)) continue;
      const k = pair.key;
      if (!isScalar(k) || (k.value !== null && typeof k.value === "object")) {
        const got = isSeq(k) ? "list" : isMap(k) ? "mapping" : "complex key";
        problems.push({ path: toPath(at), message: `expected plain names as keys, got a ${got} as a key${lineOf(k, line)}` });
        continue;
      }
      const key = String(k.value);
      const keyAt = { parent: at, key };
      if (key === FORBIDDEN_KEY) {
        problems.push({ path: toPath(keyAt), message: `"${key}" cannot be used as a name; rename it${lineOf(k, line)}` });
        continue;
      }
      // Walking backwards: a key seen already is a later one; report the later at its line.
      const later = seen.get(key);
      if (later !== undefined) {
        problems.push({
          path: toPath(keyAt),
          message: `duplicate key "${clip(key)}" at line ${line(later)}, first at line ${line(k.range?.[0] ?? 0)}; keep one`,
        });
      }
      seen.set(key, k.range?.[0] ?? 0);
      stack.push({ node: pair.value, at: keyAt });
    }
  }
  // Anchors defined after their alias are errors in YAML too; yaml reports those when building data.
  for (const a of aliases) {
    if (!anchors.has(a.source)) {
      problems.push({
        path: toPath(a.at),
        message: `alias *${clip(a.source)} refers to no anchor; define &${clip(a.source)} before it, or write the value out`,
      });
    }
  }
  return problems;
}

function lineOf(node: unknown, line: (offset: number) => number): string {
  const offset = (node as Node | null)?.range?.[0];
  return offset === undefined ? "" : ` at line ${line(offset)}`;
}
