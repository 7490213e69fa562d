// Playwright Test (tested: @playwright/test 1.65.2 with Debian's chromium). The pod runs the
// project's playwright (node_modules/.bin/playwright) else the one on PATH: `playwright test` with
// the list reporter on the log and the json reporter to the artifacts (PLAYWRIGHT_JSON_OUTPUT_FILE),
// its output folder (traces, screenshots) among the artifacts too; the report is read back by
// playwright-json.ts. Ids are `file > describe > … > test` (`[project] ` first with several
// projects); a retry is one run of the failed tests' files with one --grep naming each test by its
// project, file, describes and title, anchored (Playwright matches `<project> <file from testDir>
// <describes> <title> <tags>`); a file that did not load runs whole. A shard is Playwright's own
// --shard: by test with fullyParallel, else by file.
import { ARTIFACTS_DIR, SHARD_COUNT_ENV, SHARD_INDEX_ENV } from "../names.js";
import { jsValidate, jsWords } from "./js-lines.js";
import { splitNodeId } from "./node.js";
import { parsePlaywrightReport, PLAYWRIGHT_RUN_ID, splitProject } from "./playwright-json.js";
import { commandLine, escapeRegExp, shq } from "./shell.js";
import type { RunnerAdapter } from "./types.js";

export const PLAYWRIGHT_REPORT = "playwright-report.json";
/** For a `command:` suite naming runner playwright: where its json reporter writes (also set as PLAYWRIGHT_JSON_OUTPUT_FILE). */
export const PLAYWRIGHT_REPORT_ENV = "INCLUSTER_PLAYWRIGHT_REPORT";
/** Playwright's own variable for the json reporter's file. */
const JSON_FILE_ENV = "PLAYWRIGHT_JSON_OUTPUT_FILE";
/** Playwright's output folder (traces, screenshots, error contexts), under the artifacts. */
export const PLAYWRIGHT_OUTPUT = `${ARTIFACTS_DIR}/test-results`;

const OWN = ["test", "--reporter=list,json", `--output=${PLAYWRIGHT_OUTPUT}`];
/** Options incluster sets itself: the reporters, the output folder, a shard; and the modes that run no tests or never end. */
const OWN_OPTIONS = ["reporter", "output", "shard", "last-failed", "list", "ui", "ui-host", "ui-port", "debug"];
const TAKES = "test files or folders like tests/e2e/ (and playwright options like --project=chromium)";

function setup(): string[] {
  return [
    "export NO_COLOR=1 FORCE_COLOR=0",
    `export ${JSON_FILE_ENV}=${ARTIFACTS_DIR}/${PLAYWRIGHT_REPORT}`,
    'playwright=node_modules/.bin/playwright; [ -x "$playwright" ] || playwright=playwright',
    `rm -f "$${JSON_FILE_ENV}"`,
  ];
}

function printAndRun(args: readonly string[]): string[] {
  return [`printf '+ %s %s\\n' "$playwright" ${shq(commandLine(args))}`, `"$playwright" ${commandLine(args)}`];
}

/** A path as Playwright's title names it: from the project's testDir, so any trailing part of the path from the repository. */
function filePattern(file: string): string {
  const parts = file.split("/").map(escapeRegExp);
  let before = "";
  for (const part of parts.slice(0, -1)) before = `(?:${before}${part}/)?`;
  return `${before}${parts[parts.length - 1]}`;
}

/** The --grep alternative for one failed id: anchored at its project (or any), its file, describes and title; tags may follow. */
export function grepFor(id: string): string {
  const { project, rest } = splitProject(id);
  const { file, path } = splitNodeId(rest);
  const start = project !== undefined ? `^${escapeRegExp(project)} ` : "(?:^| )";
  // A file that did not load: any test of it. A name may itself hold " > ": between two parts, a space or that text.
  if (path.length === 0) return `${start}${filePattern(file)} `;
  return `${start}${filePattern(file)} ${path.map(escapeRegExp).join(" (?:> )?")}(?: @\\S+)*$`;
}

/** A retry: one run of the failed tests' files, one --grep for all of them (the suite's own --grep dropped: they passed it). */
function rerunLines(options: readonly string[], paths: readonly string[], ids: readonly string[]): string[] {
  if (ids.includes(PLAYWRIGHT_RUN_ID)) return printAndRun([...OWN, ...options, ...paths]);
  const files = [...new Set(ids.map((id) => splitNodeId(splitProject(id).rest).file))];
  const grep = `--grep=/${[...new Set(ids.map(grepFor))].join("|")}/`;
  const kept = options.filter((o) => !/^--grep(=|$)/.test(o));
  return printAndRun([...OWN, ...kept, grep, ...files.map(escapeRegExp)]);
}

/** A shard: Playwright's own --shard (by test with fullyParallel, else by file); a shard left without tests passes. */
function shardLines(options: readonly string[], paths: readonly string[]): string[] {
  const before = commandLine([...OWN, "--pass-with-no-tests", ...options]);
  const after = paths.length ? ` ${commandLine(paths)}` : "";
  const shard = `"--shard=$((${SHARD_INDEX_ENV} + 1))/$${SHARD_COUNT_ENV}"`;
  return [`printf '+ %s %s %s%s\\n' "$playwright" ${shq(before)} ${shard} ${shq(after)}`, `"$playwright" ${before} ${shard}${after}`];
}

export const playwright: RunnerAdapter = {
  name: "playwright",
  takes: TAKES,
  validateTarget: (test) => jsValidate("playwright", TAKES, OWN_OPTIONS, test),
  script(test, o = {}) {
    const { options, paths } = jsWords(test);
    if (o.rerun?.length) return [...setup(), ...rerunLines(options, paths, o.rerun)];
    return [...setup(), ...(o.sharded ? shardLines(options, paths) : printAndRun([...OWN, ...options, ...paths]))];
  },
  plain(test) {
    const { options, paths } = jsWords(test);
    return ["npx", "--no-install", "playwright", "test", ...options, ...paths];
  },
  commandSetup() {
    // The command's `playwright test --reporter=list,json` (or json in its config) writes there through Playwright's own variable.
    const file = `${ARTIFACTS_DIR}/${PLAYWRIGHT_REPORT}`;
    return [`export ${PLAYWRIGHT_REPORT_ENV}=${file} ${JSON_FILE_ENV}=${file}`];
  },
  report: { file: PLAYWRIGHT_REPORT, parse: parsePlaywrightReport },
};
