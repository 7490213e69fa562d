// Shards balanced by file (node:test, Jest, Vitest: runners that split only whole files). With the
// run history's weights ($INCLUSTER_SHARD_WEIGHTS: file → the sum of its tests' median times, set by
// run/shard-plan.ts), every shard lists the same files and computes the same split, longest first
// (history/shards.ts lptSplit: the same order and ties), and runs its own files. A file the history
// has not seen weighs the suite's median file. Without weights, or when the files cannot be listed,
// the runner's own --shard splits them, as it always has. Pure: the lines are text.
import { SHARD_COUNT_ENV, SHARD_INDEX_ENV, SHARD_WEIGHTS_ENV } from "../names.js";
import { shq } from "./shell.js";

/**
 * How the split script gets its files: `glob` (node:test: node's own discovery, fs.globSync of the
 * patterns, node_modules left out), `json` (Jest's --listTests --json: paths), `vitest` (vitest
 * list --filesOnly --json: {file} objects; Vitest matches a filter as a substring of a path, so a
 * file whose path holds another's goes with it to one shard: each file runs exactly once).
 */
export type FileListing = "glob" | "json" | "vitest";

/**
 * The split, run by `node -e` in each shard's pod: `node -e SHARD_JS <listing> <out> <patterns or list file>`.
 * Writes the shard's files to <out> (one a line) and, as shell words, to <out>.words; prints a summary.
 * Exits 3 when there is nothing it can split (no files, a name with a newline): the caller falls back.
 */
export const SHARD_JS = [
  'const fs = require("node:fs"), path = require("node:path");',
  "const [how, out, ...args] = process.argv.slice(1);",
  "const cwd = process.cwd();",
  "const rel = (p) => { const a = path.resolve(cwd, p); return (a.startsWith(cwd + path.sep) ? a.slice(cwd.length + 1) : a).split(path.sep).join(\"/\"); };",
  "const byCodePoint = (a, b) => {",
  "  const x = [...a], y = [...b];",
  "  for (let k = 0; k < Math.min(x.length, y.length); k++) { const d = x[k].codePointAt(0) - y[k].codePointAt(0); if (d) return d; }",
  "  return x.length - y.length;",
  "};",
  "const listed = how === \"glob\"",
  "  ? fs.globSync(args, { exclude: (p) => path.basename(String(p.name ?? p)) === \"node_modules\" })",
  "  : JSON.parse(fs.readFileSync(args[0], \"utf8\")).map((x) => (typeof x === \"string\" ? x : x.file));",
  "const files = [...new Set(listed.map(rel))].sort(byCodePoint);",
  // The pod's own `node -e` script, not incluster's process: exit status 3 tells the pod's shell to
  // fall back to the runner's own --shard (no file listed, or a name that cannot go on one line).
  "if (!files.length || files.some((f) => f.includes(\"\\n\"))) process.exit(3);",
  `const i = Number(process.env.${SHARD_INDEX_ENV}), n = Number(process.env.${SHARD_COUNT_ENV});`,
  `const w = JSON.parse(process.env.${SHARD_WEIGHTS_ENV});`,
  "const weight = (f) => (Object.hasOwn(w.d, f) ? w.d[f] : w.m);",
  // Vitest: a file whose path holds another's (case aside) goes with it; the group is named by its first file.
  "const head = new Map(files.map((f) => [f, f]));",
  "const find = (f) => (head.get(f) === f ? f : find(head.get(f)));",
  "if (how === \"vitest\") for (const f of files) for (const g of files) {",
  "  if (f !== g && g.toLowerCase().includes(f.toLowerCase())) { const [a, b] = [find(f), find(g)].sort(byCodePoint); head.set(b, a); }",
  "}",
  "const units = new Map();",
  "for (const f of files) { const h = find(f); units.set(h, [...(units.get(h) ?? []), f]); }",
  "const order = [...units].map(([h, u]) => ({ h, u, w: u.reduce((s, f) => s + weight(f), 0) })).sort((a, b) => b.w - a.w || byCodePoint(a.h, b.h));",
  "const loads = Array(n).fill(0), own = Array.from({ length: n }, () => []);",
  "for (const { u, w: x } of order) {",
  "  let k = 0;",
  "  for (let j = 1; j < n; j++) if (loads[j] < loads[k]) k = j;",
  "  own[k].push(...u);",
  "  loads[k] += x;",
  "}",
  "const mine = own[i].sort(byCodePoint);",
  // A shell word as the log prints it (\x27 is ', kept out of the single-quoted script).
  String.raw`const q = (s) => (/^[A-Za-z0-9_./:=@%+,-]+$/.test(s) ? s : "\x27" + s.replace(/\x27/g, "\x27\\\x27\x27") + "\x27");`,
  "fs.writeFileSync(out, mine.map((f) => f + \"\\n\").join(\"\"));",
  "fs.writeFileSync(out + \".words\", mine.map(q).join(\" \"));",
  "const s = (ms) => (ms / 1000).toFixed(1) + \"s\";",
  "const total = loads.reduce((a, b) => a + b, 0);",
  "console.log(`shard ${i} of ${n}: ${mine.length} of ${files.length} files, ${s(loads[i])} of ${s(total)} by their median times`);",
].join("\n");

export interface BalancedShard {
  /** The lines that list the files into <list> (none for node:test: the split script globs). */
  list: string[];
  listing: FileListing;
  /** The split script's arguments after <out>: the list file, or the patterns. */
  args: string[];
  /** Where the files go, one a line (and <files>.words, as shell words). */
  files: string;
  /** Prints `+ <command> <files>` and runs it with the files as "$@". */
  run: (words: string) => string[];
  /** When the shard got no file: what makes its report a run of no tests (may be none). */
  none: string[];
  /** The runner's own --shard: without weights, or when the files could not be listed. */
  fallback: string[];
}

/**
 * A file-sharded runner's shard lines: with $INCLUSTER_SHARD_WEIGHTS, list the files, split them
 * (SHARD_JS) and run this shard's; otherwise (or when that cannot be done) the runner's own --shard.
 */
export function balancedShardLines(b: BalancedShard): string[] {
  const split = `node -e ${shq(SHARD_JS)} ${[b.listing, b.files, ...b.args].map(shq).join(" ")}`;
  const listed = [...b.list, split].join(" && ");
  return [
    `if [ -n "\${${SHARD_WEIGHTS_ENV}:-}" ] && ${listed}; then`,
    "  set --",
    `  while IFS= read -r f; do set -- "$@" "$f"; done < ${b.files}`,
    `  if [ "$#" -gt 0 ]; then`,
    ...b.run(`"$(cat ${b.files}.words)"`).map((l) => `    ${l}`),
    ...(b.none.length ? ["  else", ...b.none.map((l) => `    ${l}`)] : []),
    "  fi",
    "else",
    `  if [ -n "\${${SHARD_WEIGHTS_ENV}:-}" ]; then echo "shards by time: the test files could not be listed; the runner's own --shard splits them"; fi`,
    ...b.fallback.map((l) => `  ${l}`),
    "fi",
  ];
}
