// A strategic merge patch (kubectl patch's default, k8s.io/apimachinery pkg/util/strategicpatch)
// over plain JSON data. Pure; the input is never changed. The rules, as apimachinery applies them:
// - maps merge key by key, recursively; `null` deletes a key; a value of another kind replaces;
// - a list the schema declares with a merge key merges by it: an element matching an existing
//   one's key is merged into it, a new one is added; the result is ordered as apimachinery orders
//   it (the patch's elements in the patch's order, the others where they were); a merge list of
//   scalars is their union; every other list is replaced by the patch's;
// - directives: `$patch: replace` in a map replaces it whole, `$patch: delete` in a map empties it,
//   `{$patch: delete, <key>: v}` in a merge list deletes that element, `{$patch: replace}` in one
//   replaces the list with the patch's other elements, `$retainKeys: [...]` drops the keys it does
//   not name, `$deleteFromPrimitiveList/<field>: [...]` removes scalars, `$setElementOrder/<field>`
//   orders a merge list. Any other key starting with '$' is an error.
// A patch that cannot apply (an element without its merge key, an unknown directive) throws a
// PatchError naming the place in the patch.

export type JsonMap = { [key: string]: unknown };

/** How the fields of one map merge: lists named here merge (by `key`, or as a set of scalars without one); `of` is the schema inside. */
export interface MergeSchema {
  [field: string]: { list?: "merge"; key?: string; of?: MergeSchema };
}

export class PatchError extends Error {
  /** Where in the patch: keys and list indexes. */
  readonly path: (string | number)[];
  constructor(path: (string | number)[], message: string) {
    super(message);
    this.name = "PatchError";
    this.path = path;
  }
}

type Path = (string | number)[];
const PATCH = "$patch";
const RETAIN_KEYS = "$retainKeys";
const DELETE_FROM = "$deleteFromPrimitiveList/";
const SET_ORDER = "$setElementOrder/";

/** `original` with `patch` applied (both left as they were). */
export function strategicMerge(original: JsonMap, patch: JsonMap, schema: MergeSchema = {}): JsonMap {
  checkDirectives(patch, []);
  return mergeMap(clone(original) as JsonMap, clone(patch) as JsonMap, schema, []);
}

const isMap = (v: unknown): v is JsonMap => typeof v === "object" && v !== null && !Array.isArray(v);
const kind = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "list" : typeof v);
const clone = (v: unknown): unknown => (v === undefined ? undefined : structuredClone(v));

/** Every '$' key in the patch is a directive apimachinery knows, with a value of the right kind. */
function checkDirectives(v: unknown, path: Path): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => checkDirectives(x, [...path, i]));
    return;
  }
  if (!isMap(v)) return;
  for (const [k, x] of Object.entries(v)) {
    const at = [...path, k];
    if (k === PATCH) {
      if (x !== "replace" && x !== "delete" && x !== "merge") throw new PatchError(at, `expected $patch: replace or $patch: delete, got ${JSON.stringify(x)}`);
    } else if (k === RETAIN_KEYS) {
      if (!Array.isArray(x) || !x.every((e) => typeof e === "string")) throw new PatchError(at, "expected $retainKeys: a list of field names");
    } else if (k.startsWith(DELETE_FROM) || k.startsWith(SET_ORDER)) {
      if (k.indexOf("/") === k.length - 1) throw new PatchError(at, `expected ${k}<field>, naming the list it applies to`);
      if (!Array.isArray(x)) throw new PatchError(at, `expected ${k.slice(0, k.indexOf("/") + 1)}<field>: a list`);
    } else if (k.startsWith("$")) {
      const known = "$patch, $retainKeys, $deleteFromPrimitiveList/<field> and $setElementOrder/<field>";
      throw new PatchError(at, `unknown directive ${JSON.stringify(k)}; a strategic merge patch knows ${known}`);
    }
    checkDirectives(x, at);
  }
}

/** A patch value taken as it is (no original to merge with): nulls and directives dropped; undefined when it is a directive itself. */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain).filter((x) => x !== undefined);
  if (!isMap(v)) return v;
  if (PATCH in v) return undefined;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith("$") || x === null) continue;
    const p = plain(x);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

function mergeMap(original: JsonMap, patch: JsonMap, schema: MergeSchema, path: Path): JsonMap {
  const directive = patch[PATCH];
  if (directive === "replace") return stripPatchKey(patch);
  if (directive === "delete") return {};
  if (directive === "merge") throw new PatchError([...path, PATCH], "$patch: merge is not a directive for a map; drop it (maps merge anyway)");

  const retain = patch[RETAIN_KEYS] as string[] | undefined;
  if (retain) {
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith("$")) continue;
      if (!retain.includes(k)) {
        throw new PatchError([...path, RETAIN_KEYS], `$retainKeys must name every field the patch sets; ${JSON.stringify(k)} is missing`);
      }
    }
    for (const k of Object.keys(original)) if (!retain.includes(k)) delete original[k];
  }

  const handled = new Set<string>();
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(SET_ORDER)) continue;
    const field = k.slice(SET_ORDER.length);
    const meta = schema[field] ?? {};
    const before = original[field];
    const had = Array.isArray(before);
    const given = patch[field];
    if (given !== undefined && !Array.isArray(given)) throw new PatchError([...path, field], `expected a list (${k} orders it)`);
    checkOrderList(given ?? [], order as unknown[], meta.key ?? "", [...path, k]);
    let merged: unknown[];
    if (had && given !== undefined) merged = mergeList(before, given, meta, [...path, field]);
    else if (given !== undefined) merged = plain(given) as unknown[];
    else if (had) merged = before;
    else continue;
    const key = meta.key ?? "";
    const inOrder = (x: unknown) => indexIn(order as unknown[], x, key) >= 0;
    original[field] = normalizeOrder(merged.filter(inOrder), merged.filter((x) => !inOrder(x)), order as unknown[], had ? before : [], key);
    handled.add(field);
  }

  for (const [k, v] of Object.entries(patch)) {
    if (handled.has(k) || k === RETAIN_KEYS || k.startsWith(SET_ORDER)) continue;
    if (k.startsWith(DELETE_FROM)) {
      const field = k.slice(DELETE_FROM.length);
      const list = original[field];
      if (Array.isArray(list)) original[field] = list.filter((x) => !(v as unknown[]).some((d) => d === x));
      continue;
    }
    const at = [...path, k];
    if (v === null) {
      delete original[k];
      continue;
    }
    const before = original[k];
    if (before === undefined || kind(before) !== kind(v)) {
      const p = plain(v);
      if (p === undefined) delete original[k];
      else original[k] = p;
    } else if (isMap(before) && isMap(v)) {
      original[k] = mergeMap(before, v, schema[k]?.of ?? {}, at);
    } else if (Array.isArray(before) && Array.isArray(v)) {
      original[k] = mergeList(before, v, schema[k] ?? {}, at);
    } else {
      original[k] = v;
    }
  }
  return original;
}

function stripPatchKey(patch: JsonMap): JsonMap {
  const { [PATCH]: _, ...rest } = patch;
  return plain(rest) as JsonMap;
}

function mergeList(original: unknown[], patch: unknown[], meta: MergeSchema[string], path: Path): unknown[] {
  if (meta.list !== "merge") {
    patch.forEach((x, i) => {
      if (isMap(x) && x[PATCH] === "delete") {
        throw new PatchError([...path, i, PATCH], "this list has no merge key: a patch replaces it whole; write the whole list without $patch: delete");
      }
    });
    return plain(patch) as unknown[];
  }
  if (original.length === 0 && patch.length === 0) return original;
  const kinds = new Set([...original, ...patch].map(kind));
  if (kinds.size > 1 || kinds.has("list")) throw new PatchError(path, `expected every element of this list to be of one kind, got ${[...kinds].join(" and ")}`);
  const key = meta.key;
  if (!kinds.has("object")) {
    // Scalars: the union, each once.
    const merged = [...new Set([...original, ...patch])];
    const inPatch = (x: unknown) => patch.includes(x);
    return normalizeOrder(merged.filter(inPatch), merged.filter((x) => !inPatch(x)), patch, original, "");
  }
  if (!key) throw new PatchError(path, "this list of mappings has no merge key");

  let base = original;
  let items: JsonMap[] = [];
  let replace = false;
  patch.forEach((x, i) => {
    const m = x as JsonMap;
    const d = m[PATCH];
    if (d === undefined) items.push(m);
    else if (d === "delete") {
      if (!(key in m)) throw new PatchError([...path, i], `$patch: delete needs the element's ${key}, the key this list is merged by`);
      base = base.filter((e) => (e as JsonMap)[key] !== m[key]);
    } else if (d === "replace") replace = true;
    else throw new PatchError([...path, i, PATCH], "$patch: merge in a list is not supported (lists with a merge key merge anyway); drop it");
  });
  if (replace) {
    base = plain(items) as unknown[];
    items = [];
  }
  const merged = [...base];
  for (const m of items) {
    const at = [...path, patch.indexOf(m)];
    if (!(key in m) || m[key] === null) throw new PatchError(at, `expected ${key}: this list is merged by ${key}, and the element names none`);
    const j = merged.findIndex((e) => (e as JsonMap)[key] === m[key]);
    if (j === -1) merged.push(plain(m));
    else merged[j] = mergeMap(merged[j] as JsonMap, m, meta.of ?? {}, at);
  }
  const inPatch = (x: unknown) => indexIn(items, x, key) >= 0;
  return normalizeOrder(merged.filter(inPatch), merged.filter((x) => !inPatch(x)), items, base, key);
}

/** Where x is in list (by the merge key for mappings), or -1. */
function indexIn(list: readonly unknown[], x: unknown, key: string): number {
  const id = (v: unknown) => (key && isMap(v) ? v[key] : v);
  const want = id(x);
  return list.findIndex((v) => id(v) === want);
}

/**
 * apimachinery's normalizeElementOrder: the patch's elements in patchOrder, the others in
 * serverOrder, then interleaved: an element of the original goes before a patch element only when
 * both were in the original and it came first there.
 */
function normalizeOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], key: string): unknown[] {
  const sortBy = (list: unknown[], order: readonly unknown[]) =>
    list
      .map((x, i) => ({ x, i, at: indexIn(order, x, key) }))
      .sort((a, b) => (a.at >= 0 && b.at >= 0 ? a.at - b.at : a.i - b.i))
      .map((e) => e.x);
  const left = sortBy(serverOnly, serverOrder);
  const right = sortBy(patchItems, patchOrder);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (j >= right.length) out.push(left[i++]);
    else if (i >= left.length) out.push(right[j++]);
    else {
      const li = indexIn(serverOrder, left[i], key);
      const ri = indexIn(serverOrder, right[j], key);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** $setElementOrder names every element the patch lists, in the patch's order (deletions aside). */
function checkOrderList(patchList: unknown[], order: unknown[], key: string, path: Path): void {
  const items = patchList.filter((x) => !(isMap(x) && PATCH in x));
  let p = 0;
  for (let o = 0; p < items.length && o < order.length; o++) {
    if (indexIn([order[o]], items[p], key) === 0) p++;
  }
  if (p < items.length) throw new PatchError(path, "expected the list to name every element of the patch's list, in the same order");
}
