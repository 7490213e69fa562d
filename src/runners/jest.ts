// Jest (tested: 30.5.2). The pod runs the project's jest (node_modules/.bin/jest) else the
// one on PATH with --json --outputFile (its default reporter stays on the log) and
// --testLocationInResults, and reads the JSON back (jest-json.ts). Ids are `file > describe > …
// > test`; a retry names each file's failed tests with one anchored -t (jest matches the
// describes' names and the test's, joined by spaces) and the files by --runTestsByPath; a shard
// is jest's own --shard, a share of the test files, or with the run history the files jest lists
// (--listTests) split by time (file-shards.ts).
import { ARTIFACTS_DIR } from "../names.js";
import { errorName, parseJestJson, splitStack, type Failure, type JestJsonDialect } from "./jest-json.js";
import { jsScript, jsValidate, jsWords, runFile, type JsRunner } from "./js-lines.js";
import { BY_FILE } from "./node.js";
import type { ReportedTests, RunnerAdapter } from "./types.js";

export const JEST_REPORT = "jest-results.json";
/** For a `command:` suite naming runner jest: where its `jest --json --outputFile=…` writes. */
export const JEST_REPORT_ENV = "INCLUSTER_JEST_REPORT";

const RUN_FILE = runFile("jest");
const JEST: JsRunner = {
  bin: "jest",
  report: JEST_REPORT,
  runFile: RUN_FILE,
  own: ["--ci", "--json", `--outputFile=${RUN_FILE}`, "--testLocationInResults"],
  byPath: ["--runTestsByPath"],
  list: (file) => ["--listTests", "--json", `--outputFile=${file}`],
  listing: "json",
};
/** Options incluster sets itself: the report, a retry's tests, a shard; watch mode never ends. */
const OWN_OPTIONS = ["json", "outputFile", "testLocationInResults", "testNamePattern", "runTestsByPath", "shard", "watch", "watchAll", "listTests"];
const TAKES = "test files or folders like tests/e2e/ (and jest options like --config=jest.e2e.config.js)";

/** Jest's `Expected: …` / `Received: …` lines, as its matchers print them. */
function printedValue(head: readonly string[], label: string): string | undefined {
  const line = head.find((l) => l.startsWith(`${label}: `));
  return line === undefined ? undefined : line.slice(label.length + 2).trim();
}

function shown(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s;
}

/** A matcher's failure: its first line (`expect(received).toBe(expected) // Object.is equality`), then the values it printed, else its result's. */
function jestFailure(stack: string, details: unknown): Failure {
  const { head } = splitStack(stack);
  const first = head.find((l) => l.trim() !== "") ?? "failed";
  const named = errorName(first);
  const matcher = typeof details === "object" && details !== null ? (details as { matcherResult?: unknown }).matcherResult : undefined;
  if (typeof matcher === "object" && matcher !== null) {
    const r = matcher as Record<string, unknown>;
    let expected = printedValue(head, "Expected");
    let actual = printedValue(head, "Received");
    if ((expected === undefined || actual === undefined) && "expected" in r && "actual" in r) [expected, actual] = [shown(r.expected), shown(r.actual)];
    const values = expected !== undefined && actual !== undefined ? { expected, actual } : {};
    return { message: named ? named.rest : first, type: "JestAssertionError", ...values };
  }
  if (!named) return { message: first };
  return { message: named.name === "Error" ? named.rest : `${named.name}: ${named.rest}`, type: named.name };
}

/** `● Test suite failed to run` and the reason under it. */
function jestFileReason(message: string): string | undefined {
  const line = message.split("\n").map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("●"));
  return line;
}

const DIALECT: JestJsonDialect = { runner: "jest", failure: jestFailure, fileReason: jestFileReason };

export function parseJestReport(text: string): ReportedTests {
  return parseJestJson(text, DIALECT);
}

export const jest: RunnerAdapter = {
  name: "jest",
  takes: TAKES,
  validateTarget: (test) => jsValidate("jest", TAKES, OWN_OPTIONS, test),
  script: (test, o = {}) => jsScript(JEST, test, o),
  plain(test) {
    const { options, paths } = jsWords(test);
    return ["npx", "--no-install", "jest", "--ci", ...options, ...paths];
  },
  commandSetup() {
    // jest has no environment variable for its options: the command writes its results there,
    // e.g. npx jest --json --outputFile="$INCLUSTER_JEST_REPORT" --testLocationInResults (docs/config.md).
    return [`export ${JEST_REPORT_ENV}=${ARTIFACTS_DIR}/${JEST_REPORT}`];
  },
  report: { file: JEST_REPORT, parse: parseJestReport },
  shardBalance: BY_FILE,
};
