// Vitest (tested: 5.1.2). The pod runs the project's vitest (node_modules/.bin/vitest) else
// the one on PATH: `vitest run` with the default reporter on the log and the json reporter (Jest's
// JSON results, jest-json.ts) to a file, with the tests' locations. Ids are `file > describe > …
// > test`; a retry names each file's failed tests with one anchored -t (Vitest matches the
// describes' names and the test's, joined by " > " in Vitest 5, by spaces in 3 and 4.0) and the
// files; a shard is Vitest's own --shard, a share of the test files, or with the run history the
// files `vitest list --filesOnly` names split by time (file-shards.ts).
import { ARTIFACTS_DIR } from "../names.js";
import { errorName, parseJestJson, splitStack, type Failure, type JestJsonDialect } from "./jest-json.js";
import { jsScript, jsValidate, jsWords, runFile, type JsRunner } from "./js-lines.js";
import { BY_FILE } from "./node.js";
import type { ReportedTests, RunnerAdapter } from "./types.js";

export const VITEST_REPORT = "vitest-results.json";
/** For a `command:` suite naming runner vitest: where its json reporter writes. */
export const VITEST_REPORT_ENV = "INCLUSTER_VITEST_REPORT";

const RUN_FILE = runFile("vitest");
const VITEST: JsRunner = {
  bin: "vitest",
  report: VITEST_REPORT,
  runFile: RUN_FILE,
  own: ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${RUN_FILE}`, "--includeTaskLocation"],
  byPath: [],
  list: (file) => ["list", "--filesOnly", `--json=${file}`],
  listing: "vitest",
};
/** Options incluster sets itself: the reporters and their files, a retry's tests, a shard; watch mode never ends. */
const OWN_OPTIONS = ["reporter", "outputFile", "includeTaskLocation", "testNamePattern", "shard", "watch", "mergeReports"];
const TAKES = "test files or folders like tests/e2e/ (and vitest options like --project=e2e)";

/**
 * chai's `expected <actual> to be <expected> // Object.is equality` (toBe) and `… to deeply equal
 * …` / `… to strictly equal …` (toEqual, toStrictEqual), after the assertion's own message and
 * ": ", when the verb occurs once: the values as Vitest printed them.
 */
export function chaiValues(line: string): { expected: string; actual: string } | undefined {
  const starts = [...(line.startsWith("expected ") ? [0] : []), ...[...line.matchAll(/: (?=expected )/g)].map((m) => m.index + 2)];
  for (const s of starts) {
    const rest = line.slice(s);
    for (const [verb, re] of [
      [" to be ", /^expected (.+) to be (.+) \/\/ Object\.is equality$/],
      [" to deeply equal ", /^expected (.+) to deeply equal (.+)$/],
      [" to strictly equal ", /^expected (.+) to strictly equal (.+)$/],
    ] as const) {
      const m = re.exec(rest);
      if (m && rest.split(verb).length === 2) return { actual: m[1]!, expected: m[2]! };
    }
  }
  return undefined;
}

/** An assertion's message as Vitest words it (with the message given to expect), and its values; another error with its name. */
function vitestFailure(stack: string): Failure {
  const { head } = splitStack(stack);
  const first = head.find((l) => l.trim() !== "") ?? "failed";
  const named = errorName(first);
  if (!named) return { message: first };
  if (named.name === "AssertionError") return { message: named.rest, type: named.name, ...chaiValues(named.rest) };
  return { message: named.name === "Error" ? named.rest : `${named.name}: ${named.rest}`, type: named.name };
}

const DIALECT: JestJsonDialect = {
  runner: "vitest",
  failure: vitestFailure,
  // Vitest's file message is its error's message alone.
  fileReason: (message) => message.split("\n").find((l) => l.trim() !== "")?.trim(),
};

export function parseVitestReport(text: string): ReportedTests {
  return parseJestJson(text, DIALECT);
}

export const vitest: RunnerAdapter = {
  name: "vitest",
  takes: TAKES,
  validateTarget: (test) => jsValidate("vitest", TAKES, OWN_OPTIONS, test),
  script: (test, o = {}) => jsScript(VITEST, test, o),
  plain(test) {
    const { options, paths } = jsWords(test);
    return ["npx", "--no-install", "vitest", "run", ...options, ...paths];
  },
  commandSetup() {
    // Vitest has no environment variable for its reporters: the command writes its results there, e.g.
    // npx vitest run --reporter=default --reporter=json --outputFile.json="$INCLUSTER_VITEST_REPORT" (docs/config.md).
    return [`export ${VITEST_REPORT_ENV}=${ARTIFACTS_DIR}/${VITEST_REPORT}`];
  },
  report: { file: VITEST_REPORT, parse: parseVitestReport },
  shardBalance: BY_FILE,
};
