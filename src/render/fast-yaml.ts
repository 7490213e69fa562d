// The YAML `render` prints, written directly for the values manifests are made of: block maps and
// lists of maps, strings, whole numbers and booleans. The yaml library's Document took ~5 ms of
// every `render` (a third of its start-up beyond `validate`: docs/performance.md, "Start-up"):
// building nodes, finding each value's tag among YAML 1.1's, visiting them to set the quoting.
// Each decision here is the one yaml's stringifier makes (stringifyString.js: plainString,
// blockString, quotedString), for the same options format.ts gives it; anything else, such as a
// string that needs escapes, returns undefined and format.ts asks yaml itself. A property test
// holds the two equal (test/unit/render/fast-yaml.test.ts). Pure.
import type { Document } from "yaml";

type Tags = Document["schema"]["tags"];
const STR_TAG = "tag:yaml.org,2002:str";
/** yaml's plainString: a plain scalar may not start with an indicator, hold ': ' or ' #', or end in a space or ':'. */
const NOT_PLAIN = /^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/;
const DOCUMENT_MARKER = /^(%|---|\.\.\.)/m;
/** What yamlOf sends to yaml's double quotes itself (format.ts needsDoubleQuotes): not ours to write. */
const PRINTABLE = /^[\x20-\x7e\n]*$/;
/** Past this a key is written as an explicit `? key`. */
const KEY_MAX = 1000;

class Unsupported extends Error {}

/**
 * The YAML of a map (or a list) as yamlOf writes it, or undefined when the value has a part this
 * writer leaves to yaml. `tags` are the YAML 1.1 schema's tags: a string one of them would read
 * as something else (yes, 0x1F, 1:20, 2024-01-01) is quoted, as yaml quotes it.
 */
export function fastYaml(value: unknown, tags: Tags): string | undefined {
  const w = new Writer(tags);
  try {
    if (Array.isArray(value) && value.length > 0) w.seq(value, "");
    else if (isMap(value) && Object.keys(value).length > 0) w.map(value, "", "");
    else return undefined;
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
  return w.out;
}

function isMap(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

class Writer {
  out = "";
  /** Whether a YAML 1.1 tag would read the string as something else, per distinct string (keys repeat). */
  private readonly typed = new Map<string, boolean>();
  private readonly tags: Tags;
  constructor(tags: Tags) {
    this.tags = tags;
  }

  /** Entries at `indent`; the first line starts with `first` instead (a list item's "- "). */
  map(m: Record<string, unknown>, indent: string, first: string): void {
    let written = 0;
    for (const [k, v] of Object.entries(m)) {
      if (v === undefined) continue; // yaml leaves the pair out
      this.out += (written++ === 0 && first ? first : indent) + this.key(k) + ":";
      this.value(v, indent);
    }
    if (written === 0) throw new Unsupported(); // undefined values only: yaml writes {}
  }

  /** List items at `indent` (yaml's indentSeq: a list under a key is indented). */
  seq(items: readonly unknown[], indent: string): void {
    for (const item of items) {
      if (isMap(item) && Object.keys(item).length > 0) this.map(item, indent + "  ", indent + "- ");
      else if (Array.isArray(item) || item === undefined) throw new Unsupported();
      else this.out += indent + "-" + this.inline(item, indent + "  ") + "\n";
    }
  }

  /** A map entry's value after its "key:". */
  private value(v: unknown, indent: string): void {
    if (Array.isArray(v) && v.length > 0) {
      this.out += "\n";
      this.seq(v, indent + "  ");
    } else if (isMap(v) && Object.keys(v).length > 0) {
      this.out += "\n";
      this.map(v, indent + "  ", "");
    } else this.out += this.inline(v, indent + "  ") + "\n";
  }

  /** A scalar or an empty collection, with its leading space; a block scalar's lines at `indent`. */
  private inline(v: unknown, indent: string): string {
    if (typeof v === "string") return " " + this.string(v, indent);
    if (typeof v === "boolean") return v ? " true" : " false";
    if (typeof v === "number" && Number.isSafeInteger(v) && !Object.is(v, -0)) return " " + String(v);
    if (v === null) return " null";
    if (Array.isArray(v)) return " []"; // empty: the others went to value() or seq()
    if (isMap(v) && Object.keys(v).length === 0) return " {}";
    throw new Unsupported();
  }

  private string(s: string, indent: string): string {
    if (!PRINTABLE.test(s) || s === "=" || s === "<<") throw new Unsupported();
    if (s.includes("\n")) return literalBlock(s, indent);
    if (NOT_PLAIN.test(s) || this.isTyped(s)) return quoted(s);
    return s;
  }

  private key(k: string): string {
    if (k.length > KEY_MAX || !PRINTABLE.test(k) || k.includes("\n") || k === "=" || k === "<<" || DOCUMENT_MARKER.test(k)) throw new Unsupported();
    return NOT_PLAIN.test(k) || this.isTyped(k) ? quoted(k) : k;
  }

  private isTyped(s: string): boolean {
    let typed = this.typed.get(s);
    if (typed === undefined) {
      typed = this.tags.some((t) => Boolean(t.default) && t.tag !== STR_TAG && t.test?.test(s) === true);
      this.typed.set(s, typed);
    }
    return typed;
  }
}

/** yaml's double quotes, for a string that needs no escape in them (yaml picks single quotes only around a '"'). */
function quoted(s: string): string {
  if (s.includes('"') || s.includes("'") || s.includes("\\")) throw new Unsupported();
  return `"${s}"`;
}

/** yaml's blockString with blockQuote "literal", for a value indented (never at the top level). */
function literalBlock(s: string, indent: string): string {
  // yaml quotes a block whose last line is only spaces or tabs.
  if (/\n[\t ]+$/.test(s)) throw new Unsupported();
  let value = s;
  let endStart = value.length;
  while (endStart > 0 && "\n\t ".includes(value[endStart - 1] as string)) endStart--;
  let end = value.substring(endStart);
  const endNl = end.indexOf("\n");
  const chomp = endNl === -1 ? "-" : value === end || endNl !== end.length - 1 ? "+" : "";
  if (end) {
    value = value.slice(0, -end.length);
    if (end.endsWith("\n")) end = end.slice(0, -1);
    end = end.replace(/(^|(?<!\n))\n+(?!\n|$)/g, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd = 0;
  let startNl = -1;
  for (; startEnd < value.length; startEnd++) {
    const ch = value[startEnd];
    if (ch === " ") startWithSpace = true;
    else if (ch === "\n") startNl = startEnd;
    else break;
  }
  let start = value.substring(0, startNl < startEnd ? startNl + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  const header = (startWithSpace ? "2" : "") + chomp;
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}
