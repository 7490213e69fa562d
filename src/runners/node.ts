// node:test (`node --test`, Node 22 and later). The pod gets incluster's own reporter
// (node-reporter.ts) beside the spec reporter: the log reads as node prints it, and the report
// has each test's file, describe path, name, line, and the assertion's message, expected and
// actual. Ids are `file > describe > … > test`; a retry names the failed tests with anchored
// --test-name-pattern (node matches a test's ancestors' names and its own, joined by spaces)
// and only their files; a shard is node's own --test-shard, a share of the files node would run,
// or with the run history the files split by time (file-shards.ts).
import { ARTIFACTS_DIR, OUT_DIR, SHARD_COUNT_ENV, SHARD_INDEX_ENV } from "../names.js";
import { balancedShardLines } from "./file-shards.js";
import { NODE_REPORTER } from "./node-reporter.js";
import { commandLine, echoAndRun, escapeRegExp, printLine, shq } from "./shell.js";
import type { ReportedStatus, ReportedTest, ReportedTests, RunnerAdapter, ShardBalance } from "./types.js";

export const NODE_REPORT = "node-tests.jsonl";
/** Where the runner script writes the reporter (beside the artifacts, not among them). */
export const NODE_REPORTER_PATH = `${OUT_DIR}/node-reporter.mjs`;
/** The reporter appends to this file (so a retry's two runs write one report). */
export const NODE_REPORT_ENV = "INCLUSTER_NODE_REPORT";
/** node's own default test files (its kDefaultPattern), under a folder the target names. */
export const NODE_FILE_PATTERN = "**/{test,test/**/*,test-*,*[._-]test}.{js,mjs,cjs,ts,mts,cts}";
/** Between an id's file, describes and test. */
export const NODE_ID_SEPARATOR = " > ";
/** A balanced shard's files (file-shards.ts), beside the artifacts. */
export const SHARD_FILES = `${OUT_DIR}/.shard-files`;

const REPORTERS = ["--test-reporter=spec", "--test-reporter-destination=stdout", `--test-reporter=${NODE_REPORTER_PATH}`, "--test-reporter-destination=stdout"];
/** Options incluster sets itself: the reporters, the selection of a retry, the shard. */
const OWN_OPTIONS = ["--test", "--test-reporter", "--test-reporter-destination", "--test-name-pattern", "--test-shard"];
const SCRIPT_FILE = /\.(m|c)?(js|ts)$/;
const GLOB = /[*?[{]/;

function words(test: string): string[] {
  return test.split(/\s+/).filter(Boolean);
}

/** A word of `test:` as node takes it: a file or glob as written, a folder as node's own test files under it ("." as node's default). */
function fileArgs(word: string): string[] {
  if (word === "." || word === "./") return [];
  if (GLOB.test(word) || SCRIPT_FILE.test(word)) return [word];
  return [`${word.replace(/\/+$/, "")}/${NODE_FILE_PATTERN}`];
}

function setup(): string[] {
  return [
    `printf '%s\\n' ${shq(NODE_REPORTER)} > ${NODE_REPORTER_PATH}`,
    `export ${NODE_REPORT_ENV}=${ARTIFACTS_DIR}/${NODE_REPORT}`,
    `: > "$${NODE_REPORT_ENV}"`,
  ];
}

/** The anchored pattern node matches a test's full name with: its describes' names and its own, joined by spaces. */
export function namePattern(path: readonly string[]): string {
  // A name may itself hold " > ": between two parts, either node's space or that text.
  return `^${path.map(escapeRegExp).join(" (?:> )?")}$`;
}

/** node:test, Jest and Vitest shard by file; their ids are `file > describe > … > test`, or the file alone when it failed as a whole. */
export const BY_FILE: ShardBalance = { by: "file", fileOf: (id) => splitNodeId(id).file };

/** A node id back into its file and the names under it (none: the whole file failed). */
export function splitNodeId(id: string): { file: string; path: string[] } {
  const at = id.indexOf(NODE_ID_SEPARATOR);
  return at === -1 ? { file: id, path: [] } : { file: id.slice(0, at), path: id.slice(at + NODE_ID_SEPARATOR.length).split(NODE_ID_SEPARATOR) };
}

/**
 * A retry's runs: the files whose failed tests have the same names share one run, with a pattern
 * per name (one run per file, usually: the same name in another file does not run again); files
 * that failed as a whole run whole. Each run appends to the report; the lines' status is the worst.
 */
function rerunLines(base: readonly string[], ids: readonly string[]): string[] {
  const byFile = new Map<string, Set<string> | "whole">();
  for (const id of ids) {
    const { file, path } = splitNodeId(id);
    const seen = byFile.get(file);
    if (seen === "whole") continue;
    byFile.set(file, path.length === 0 ? "whole" : (seen ?? new Set()).add(namePattern(path)));
  }
  const runs = new Map<string, { patterns: string[]; files: string[] }>();
  for (const [file, names] of byFile) {
    const patterns = names === "whole" ? [] : [...names];
    const key = JSON.stringify(patterns);
    runs.set(key, { patterns, files: [...(runs.get(key)?.files ?? []), file] });
  }
  const argvs = [...runs.values()].map((r) => [...base, ...r.patterns.map((p) => `--test-name-pattern=${p}`), ...r.files]);
  if (argvs.length === 1) return echoAndRun(argvs[0]!);
  return ["code=0", ...argvs.flatMap((argv) => [printLine(shq(`+ ${commandLine(argv)}`)), `${commandLine(argv)} || code=$?`]), '(exit "$code")'];
}

function validateTarget(test: string): string | undefined {
  const all = words(test);
  if (all.length === 0) return "node --test takes test files, folders or globs like tests/ or \"tests/**/*.test.mjs\"; got nothing";
  for (const w of all) {
    const say = (what: string) => `node --test takes test files, folders or globs like tests/ or "tests/**/*.test.mjs", not ${what} ${JSON.stringify(w)}`;
    if (w.startsWith("-")) {
      const option = w.split("=")[0] ?? w;
      if (OWN_OPTIONS.includes(option)) {
        return `incluster sets ${option} itself (its reporter, a retry's tests, a shard); remove ${JSON.stringify(w)} from test`;
      }
      if (!/^--[a-z0-9-]+(=.*)?$/.test(w)) return `node options in test take the form --name or --name=value, got ${JSON.stringify(w)}`;
      continue;
    }
    if (w.includes("::")) return say("a pytest node id");
    if (/(^|\/)\.\.\.$/.test(w)) return say("a go package pattern");
    if (/\.py$/.test(w)) return say("a Python file");
    if (/\.go$/.test(w)) return say("a go file");
  }
  return undefined;
}

export const node: RunnerAdapter = {
  name: "node",
  takes: "test files, folders or globs like tests/ or \"tests/**/*.test.mjs\" (and node options like --import=tsx)",
  validateTarget,
  script(test, o = {}) {
    const all = words(test);
    const options = all.filter((w) => w.startsWith("-"));
    const base = ["node", "--test", ...options, ...REPORTERS];
    if (o.rerun?.length) return [...setup(), ...rerunLines(base, o.rerun)];
    const files = all.filter((w) => !w.startsWith("-")).flatMap(fileArgs);
    if (!o.sharded) return [...setup(), ...echoAndRun([...base, ...files])];
    // Without history, node splits the files it would run (sorted) by index: each file in exactly one shard.
    const shard = `--test-shard=$((${SHARD_INDEX_ENV} + 1))/$${SHARD_COUNT_ENV}`;
    const [before, after] = [commandLine(base), commandLine(files)];
    const own = [printLine(`${shq(`+ ${before} `)}"${shard}"${after ? shq(` ${after}`) : ""}`), `${before} "${shard}"${after ? ` ${after}` : ""}`];
    // With history, the same files (node's discovery: its default pattern for "."), split by time.
    const balanced = balancedShardLines({
      list: [],
      listing: "glob",
      args: files.length ? files : [NODE_FILE_PATTERN],
      files: SHARD_FILES,
      run: (words) => [printLine(`${shq(`+ ${before} `)}${words}`), `${before} "$@"`],
      none: [],
      fallback: own,
    });
    return [...setup(), ...balanced];
  },
  plain(test) {
    const all = words(test);
    return ["node", "--test", ...all.filter((w) => w.startsWith("-")), ...all.filter((w) => !w.startsWith("-")).flatMap(fileArgs)];
  },
  commandSetup() {
    // The command's own `node --test` gets both reporters through NODE_OPTIONS (it must not name reporters itself).
    return [...setup(), `export NODE_OPTIONS="${REPORTERS.join(" ")}\${NODE_OPTIONS:+ $NODE_OPTIONS}"`];
  },
  report: { file: NODE_REPORT, parse: parseNodeReport },
  shardBalance: BY_FILE,
};

const STATUSES: readonly ReportedStatus[] = ["passed", "failed", "error", "skipped"];

/** The reporter's JSON lines → tests; a line that is not one of ours is counted, never a throw. */
export function parseNodeReport(text: string): ReportedTests {
  const tests: ReportedTest[] = [];
  let bad = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const t = nodeTest(line);
    if (t) tests.push(t);
    else bad++;
  }
  return { tests, ...(bad ? { problem: `${bad} line${bad === 1 ? "" : "s"} of the node:test report could not be read` } : {}) };
}

function nodeTest(line: string): ReportedTest | undefined {
  let r: unknown;
  try {
    r = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof r !== "object" || r === null) return undefined;
  const o = r as Record<string, unknown>;
  const str = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
  const file = str("file");
  const name = str("name");
  const status = STATUSES.find((s) => s === o.status);
  const path = Array.isArray(o.path) && o.path.every((p) => typeof p === "string") ? (o.path as string[]) : undefined;
  if (file === undefined || name === undefined || !status || !path) return undefined;
  const whole = o.whole === true;
  const line1 = typeof o.line === "number" && Number.isInteger(o.line) && o.line > 0 ? o.line : undefined;
  const ms = typeof o.ms === "number" && Number.isFinite(o.ms) && o.ms > 0 ? Math.round(o.ms) : 0;
  const extra = Object.fromEntries((["message", "type", "text", "expected", "actual"] as const).flatMap((k) => (str(k) !== undefined ? [[k, str(k)!]] : [])));
  return {
    id: whole ? file : [file, ...path, name].join(NODE_ID_SEPARATOR),
    name,
    classname: path.join(NODE_ID_SEPARATOR),
    ...(file ? { file } : {}),
    ...(line1 !== undefined && !whole ? { line: line1 } : {}),
    status,
    durationMs: ms,
    ...extra,
  };
}
