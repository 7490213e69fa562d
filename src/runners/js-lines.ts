// The shell lines of the Jest and Vitest adapters, which differ only in their options: the
// project's own runner (node_modules/.bin) else the one on PATH (an image's global install); each
// run's JSON results appended to the report as one line, so a retry's runs make one report; the
// worst status kept. A retry runs each file's failed tests by one anchored -t pattern, the files
// whose failed tests have the same names in one run; a file that failed as a whole runs whole.
import { ARTIFACTS_DIR, OUT_DIR, SHARD_COUNT_ENV, SHARD_INDEX_ENV } from "../names.js";
import { balancedShardLines, type FileListing } from "./file-shards.js";
import { SHARD_FILES, splitNodeId } from "./node.js";
import { commandLine, escapeRegExp, shq } from "./shell.js";

export interface JsRunner {
  /** The command: jest, vitest. */
  bin: "jest" | "vitest";
  /** The report, under the artifacts directory. */
  report: string;
  /** Where one run writes its JSON results (beside the artifacts, not among them). */
  runFile: string;
  /** What incluster puts before the user's options: the subcommand, the reporters, the JSON results to runFile, the tests' locations. */
  own: readonly string[];
  /** Before a retry's files: jest's --runTestsByPath (the files are paths, not patterns). */
  byPath: readonly string[];
  /** The options that write the test files it would run, as JSON, to `file` (a balanced shard's listing). */
  list: (file: string) => string[];
  /** How the split script reads that JSON. */
  listing: FileListing;
}

/** A balanced shard's listing of the test files, beside the artifacts. */
export const SHARD_LIST = `${OUT_DIR}/.shard-list.json`;

/** `test:`'s words: options (--name or --name=value) and the files or folders; "." is the runner's default (everything). */
export function jsWords(test: string): { options: string[]; paths: string[] } {
  const all = test.split(/\s+/).filter(Boolean);
  return { options: all.filter((w) => w.startsWith("-")), paths: all.filter((w) => !w.startsWith("-") && w !== "." && w !== "./") };
}

/** The anchored -t pattern for these tests' names (each its describes' names and its own): jest joins them with spaces, Vitest 5 with " > ". */
export function jsNamePattern(paths: readonly (readonly string[])[]): string {
  // A name may itself hold " > ": between two parts, either the runner's space or that text.
  const one = (path: readonly string[]) => path.map(escapeRegExp).join(" (?:> )?");
  const names = [...new Set(paths.map(one))];
  return names.length === 1 ? `^${names[0]}$` : `^(?:${names.join("|")})$`;
}

/** Colours off (Vitest prints them without a terminal); the runner; an empty report; `run<bin>` runs it and appends its results. */
function setup(r: JsRunner): string[] {
  const report = `${ARTIFACTS_DIR}/${r.report}`;
  return [
    "export NO_COLOR=1 FORCE_COLOR=0",
    `${r.bin}=node_modules/.bin/${r.bin}; [ -x "$${r.bin}" ] || ${r.bin}=${r.bin}`,
    "code=0",
    `: > ${report}`,
    `run${r.bin}() {`,
    `  rm -f ${r.runFile}`,
    `  "$${r.bin}" "$@" || code=$?`,
    `  if [ -s ${r.runFile} ]; then { cat ${r.runFile}; echo; } >> ${report}; fi`,
    "}",
  ];
}

/** The lines that print `+ <runner> <args>` (printf: a pattern's backslashes print as they are) and run it. */
function printAndRun(r: JsRunner, args: readonly string[]): string[] {
  return [`printf '+ %s %s\\n' "$${r.bin}" ${shq(commandLine(args))}`, `run${r.bin} ${commandLine(args)}`];
}

/** A retry's runs: per file, its failed tests' names; the files with the same names share a run (usually one run per file). */
function rerunLines(r: JsRunner, options: readonly string[], ids: readonly string[]): string[] {
  const byFile = new Map<string, string[][] | "whole">();
  for (const id of ids) {
    const { file, path } = splitNodeId(id);
    const seen = byFile.get(file);
    if (seen === "whole") continue;
    byFile.set(file, path.length === 0 ? "whole" : [...(seen ?? []), path]);
  }
  const runs = new Map<string, { pattern?: string; files: string[] }>();
  for (const [file, names] of byFile) {
    const pattern = names === "whole" ? undefined : jsNamePattern(names);
    const key = pattern ?? "";
    runs.set(key, { ...(pattern ? { pattern } : {}), files: [...(runs.get(key)?.files ?? []), file] });
  }
  return [...runs.values()].flatMap((run) => printAndRun(r, [...r.own, ...options, ...(run.pattern ? ["-t", run.pattern] : []), ...r.byPath, ...run.files]));
}

/**
 * A shard: without history, the runner's own --shard (a share of the test files; a shard left
 * without files passes); with it, the files the runner lists, split by time (file-shards.ts).
 */
function shardLines(r: JsRunner, options: readonly string[], paths: readonly string[]): string[] {
  const before = commandLine([...r.own, "--passWithNoTests", ...options]);
  const after = paths.length ? ` ${commandLine(paths)}` : "";
  const shard = `"--shard=$((${SHARD_INDEX_ENV} + 1))/$${SHARD_COUNT_ENV}"`;
  const own = [`printf '+ %s %s %s%s\\n' "$${r.bin}" ${shq(before)} ${shard} ${shq(after)}`, `run${r.bin} ${before} ${shard}${after}`];
  const mine = commandLine([...r.own, ...options, ...r.byPath]);
  return balancedShardLines({
    list: [`"$${r.bin}" ${commandLine([...r.list(SHARD_LIST), ...options, ...paths])} > /dev/null`],
    listing: r.listing,
    args: [SHARD_LIST],
    files: SHARD_FILES,
    run: (words) => [`printf '+ %s %s %s\\n' "$${r.bin}" ${shq(mine)} ${words}`, `run${r.bin} ${mine} "$@"`],
    // No file for this shard: its report is a run of no tests.
    none: [`echo '{"numTotalTests":0,"testResults":[]}' >> ${ARTIFACTS_DIR}/${r.report}`],
    fallback: own,
  });
}

export function jsScript(r: JsRunner, test: string, o: { rerun?: readonly string[]; sharded?: boolean }): string[] {
  const { options, paths } = jsWords(test);
  const run = o.rerun?.length ? rerunLines(r, options, o.rerun) : o.sharded ? shardLines(r, options, paths) : printAndRun(r, [...r.own, ...options, ...paths]);
  return [...setup(r), ...run, '(exit "$code")'];
}

/** Where a runner writes one run's results before they join the report. */
export function runFile(bin: string): string {
  return `${OUT_DIR}/.${bin}-run.json`;
}

/** Characters the shell would read (quotes, $, `, ;, |, &, <, >, parentheses, backslash): `test:` is not a shell line. */
const SHELL = /["'`$;|&<>()\\]/;
const GLOB = /[*?[\]{}]/;

/** Why `test:` is not a Jest, Vitest or Playwright target: files or folders relative to the repository, and the runner's options as --name or --name=value. */
export function jsValidate(bin: "jest" | "vitest" | "playwright", takes: string, own: readonly string[], test: string): string | undefined {
  const all = test.split(/\s+/).filter(Boolean);
  if (all.length === 0) return `${bin} takes ${takes}; got nothing (. runs every test)`;
  for (const w of all) {
    const say = (what: string, why?: string) => `${bin} takes ${takes}, not ${what} ${JSON.stringify(w)}${why ? `: ${why}` : ""}`;
    if (w.startsWith("-")) {
      const option = /^--([A-Za-z][A-Za-z0-9-]*)(?:\.[A-Za-z0-9.-]+)?(=.*)?$/.exec(w);
      if (!option) return `${bin} options in test take the form --name or --name=value, got ${JSON.stringify(w)}`;
      if (own.includes(option[1]!)) {
        return `incluster sets --${option[1]} itself (its report, a retry's tests, a shard); remove ${JSON.stringify(w)} from test`;
      }
      if (SHELL.test(w)) return `test is not a shell line: remove the quotes and shell characters from ${JSON.stringify(w)}`;
      continue;
    }
    if (w.includes("::")) return say("a pytest node id");
    if (/(^|\/)\.\.\.$/.test(w)) return say("a go package pattern");
    if (/\.py$/.test(w)) return say("a Python file");
    if (/\.go$/.test(w)) return say("a go file");
    if (SHELL.test(w)) return say("a shell word");
    if (GLOB.test(w)) return say("a glob", `${bin} matches each path against its test files' paths; name the folder, or set the pattern in ${bin}'s config`);
    if (w.startsWith("/")) return say("an absolute path", "paths are relative to the repository");
    if (w === ".." || w.startsWith("../") || w.includes("/../")) return say("a path outside the repository");
  }
  return undefined;
}
