// go test. The tests run with -json: the events go to the report as they come (tee) and through
// a small awk program that prints each event's Output, which is what `go test -v` prints, so the
// log stays readable and nothing has to be compiled first (a formatter in Go cost ~10 s of cold
// build cache in a fresh pod; awk is in every Debian and busybox image). Ids are
// `<package> <Test/sub>`; a retry runs each package's failed tests with anchored -run patterns
// (a subtest by its parent's and its own names, one go test per parent); a shard lists the tests
// with `go test -list` and runs every n-th (package, test) pair, sorted, one go test per package,
// or with the run history the pairs split longest first by their median times (GO_LPT_AWK).
import { ARTIFACTS_DIR, OUT_DIR, SHARD_COUNT_ENV, SHARD_INDEX_ENV, SHARD_WEIGHTS_ENV } from "../names.js";
import { GO_LIST_AWK, GO_LPT_AWK, GO_OUTPUT_AWK, GO_PLAN_AWK, GO_WEIGH_AWK } from "./go-awk.js";
import { commandLine, escapeRegExp, printLine, shq } from "./shell.js";
import type { ReportedTest, ReportedTests, RunnerAdapter } from "./types.js";

export const GO_REPORT = "go-test.json";
const REPORT_PATH = `${ARTIFACTS_DIR}/${GO_REPORT}`;
const STATUS_FILE = `${OUT_DIR}/.go-status`;

/** Flags incluster sets itself: -json for the report, -count=1 (an e2e result is never cached), -run/-skip/-list for retries and shards. */
const OWN_FLAGS = ["run", "skip", "json", "list", "count"];
const PATTERN = /^(\.{1,2}(\/.*)?|[^/\s]+\/\S*)$/;

function words(test: string): { flags: string[]; packages: string[] } {
  const all = test.split(/\s+/).filter(Boolean);
  const packages = all.filter((w) => !w.startsWith("-"));
  return { flags: all.filter((w) => w.startsWith("-")), packages: packages.length ? packages : ["./..."] };
}

function validateTarget(test: string): string | undefined {
  for (const w of test.split(/\s+/).filter(Boolean)) {
    const say = (what: string) => `go test takes package patterns like ./... or ./pkg/..., not ${what} ${JSON.stringify(w)}`;
    if (w.startsWith("-")) {
      const flag = /^--?([A-Za-z0-9_.]+)(=.*)?$/.exec(w);
      if (!flag) return `go test flags in test take the form -name or -name=value, got ${JSON.stringify(w)}`;
      const name = flag[1]!;
      if (OWN_FLAGS.includes(name) || name.startsWith("test.")) {
        return `incluster sets -${name} itself (the report, a retry's tests, a shard); remove ${JSON.stringify(w)} from test`;
      }
      continue;
    }
    if (w.includes("::")) return say("a pytest node id");
    if (/\.(go|py|m?js|cjs|m?ts|cts)$/.test(w)) return say("a file path");
    if (/[*?[{]/.test(w)) return say("a glob");
    if (!PATTERN.test(w)) return say("a bare name");
  }
  return undefined;
}

/** Runs go test with -json: the events appended to the report, the log as go test -v prints; the worst status kept in $code. */
function setup(): string[] {
  return [
    "code=0",
    `: > ${REPORT_PATH}`,
    `gofmt=${shq(GO_OUTPUT_AWK)}`,
    "gotest() {",
    "  shown='+ go test -json'",
    "  for a in \"$@\"; do case $a in *[!A-Za-z0-9_./:=@%+,-]*) shown=\"$shown '$a'\" ;; *) shown=\"$shown $a\" ;; esac; done",
    `  ${printLine('"$shown"')}`,
    // go test's own status, through the pipe (sh has no pipefail); || keeps set -e from ending the group first.
    `  { status=0; go test -json "$@" </dev/null || status=$?; echo "$status" > ${STATUS_FILE}; } | tee -a ${REPORT_PATH} | LC_ALL=C awk "$gofmt"`,
    `  status=$(cat ${STATUS_FILE}); if [ "$status" != 0 ]; then code=$status; fi`,
    "}",
  ];
}

/** The -run patterns that rerun exactly these tests of one package: one per parent (go matches a pattern's parts level by level). */
export function goRunPatterns(tests: readonly string[]): string[] {
  const byParent = new Map<string, string[]>();
  for (const t of tests) {
    const parts = t.split("/");
    const parent = parts.slice(0, -1).map((p) => `^${escapeRegExp(p)}$`).join("/");
    byParent.set(parent, [...(byParent.get(parent) ?? []), escapeRegExp(parts[parts.length - 1]!)]);
  }
  return [...byParent].map(([parent, leaves]) => `${parent ? `${parent}/` : ""}^(${[...new Set(leaves)].join("|")})$`);
}

/** A go id back into its package and test ("" when the package failed as a whole). */
export function splitGoId(id: string): { pkg: string; test: string } {
  const at = id.indexOf(" ");
  return at === -1 ? { pkg: id, test: "" } : { pkg: id.slice(0, at), test: id.slice(at + 1) };
}

function rerunLines(flags: readonly string[], ids: readonly string[]): string[] {
  const byPkg = new Map<string, string[] | "whole">();
  for (const id of ids) {
    const { pkg, test } = splitGoId(id);
    const seen = byPkg.get(pkg);
    if (seen === "whole") continue;
    byPkg.set(pkg, test ? [...(seen ?? []), test] : "whole");
  }
  return [...byPkg].flatMap(([pkg, tests]) =>
    tests === "whole"
      ? [`gotest ${commandLine([...flags, "-count=1", pkg])}`]
      : goRunPatterns(tests).map((p) => `gotest ${commandLine([...flags, "-count=1", "-run", p, pkg])}`),
  );
}

function shardLines(flags: readonly string[], packages: readonly string[]): string[] {
  const list = commandLine(["go", "test", ...flags, "-list", ".", ...packages]);
  const [listed, ids, mine, plan] = ["list", "ids", "mine", "plan"].map((f) => `${OUT_DIR}/.go-${f}`);
  const flagWords = flags.length ? `${commandLine(flags)} ` : "";
  return [
    printLine(shq(`+ ${list}`)),
    `${list} </dev/null > ${listed} || true`,
    `LC_ALL=C awk ${shq(GO_LIST_AWK)} ${listed} | LC_ALL=C sort -u > ${ids}`,
    // With the run history: longest first by the tests' median times; without, every n-th.
    `if [ -n "\${${SHARD_WEIGHTS_ENV}:-}" ]; then`,
    `  : > ${mine}`,
    `  LC_ALL=C awk ${shq(GO_WEIGH_AWK)} ${ids} | LC_ALL=C sort -t "$(printf '\\t')" -k1,1nr -k2 | ` +
      `LC_ALL=C awk -F '\\t' -v i="$${SHARD_INDEX_ENV}" -v n="$${SHARD_COUNT_ENV}" -v out=${mine} ${shq(GO_LPT_AWK)}`,
    "else",
    `  LC_ALL=C awk -v i="$${SHARD_INDEX_ENV}" -v n="$${SHARD_COUNT_ENV}" '(NR - 1) % n == i' ${ids} > ${mine}`,
    `  echo "go test shard $${SHARD_INDEX_ENV} of $${SHARD_COUNT_ENV}: $(awk 'END { print NR }' ${mine}) of $(awk 'END { print NR }' ${ids}) tests"`,
    "fi",
    `LC_ALL=C awk ${shq(GO_PLAN_AWK)} ${mine} > ${plan}`,
    "while read -r pkg pattern; do",
    `  if [ -n "$pattern" ]; then gotest ${flagWords}-count=1 -run "$pattern" "$pkg"; else gotest ${flagWords}-count=1 "$pkg"; fi`,
    `done < ${plan}`,
  ];
}

export const go: RunnerAdapter = {
  name: "go",
  takes: "package patterns like ./... or ./pkg/... (and go test flags like -tags=e2e)",
  validateTarget,
  script(test, o = {}) {
    const { flags, packages } = words(test);
    const plain = [`gotest ${commandLine([...flags, "-count=1", ...packages])}`];
    const run = o.rerun?.length ? rerunLines(flags, o.rerun) : o.sharded ? shardLines(flags, packages) : plain;
    return [...setup(), ...run, '(exit "$code")'];
  },
  plain(test) {
    const { flags, packages } = words(test);
    return ["go", "test", "-v", ...flags, "-count=1", ...packages];
  },
  commandSetup() {
    // go has no environment variable that writes -json to a file: the command writes it there, e.g.
    // go test -json ./... | tee "$INCLUSTER_GO_REPORT" (docs/runners.md).
    return [`export INCLUSTER_GO_REPORT=${REPORT_PATH}`];
  },
  report: { file: GO_REPORT, parse: parseGoReport },
  // A shard runs a test with its subtests: it weighs their sum.
  shardBalance: { by: "test", unitOf: (id) => { const { pkg, test } = splitGoId(id); return test ? `${pkg} ${test.split("/")[0]}` : pkg; } },
};

interface GoEvent {
  Action?: unknown;
  Package?: unknown;
  Test?: unknown;
  Output?: unknown;
  Elapsed?: unknown;
  ImportPath?: unknown;
  FailedBuild?: unknown;
}

interface Seen {
  pkg: string;
  test: string;
  output: string[];
  action?: "pass" | "fail" | "skip";
  elapsed: number;
}

const FRAME = /^=== (RUN|PAUSE|CONT|NAME)\b|^--- (PASS|FAIL|SKIP):/;
const AT = /^\s*[\w.-]+\.go:\d+: /;

/**
 * go test -json lines → tests: each test that failed on its own (a parent whose subtest failed is
 * reported through the subtest), and a package that failed outside its tests (a build failure) as
 * one test named by the package.
 */
export function parseGoReport(text: string): ReportedTests {
  const tests = new Map<string, Seen>();
  const pkgOutput = new Map<string, string[]>();
  const buildOutput = new Map<string, string[]>();
  const failedPkgs = new Map<string, string | undefined>();
  let bad = 0;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let e: GoEvent;
    try {
      e = JSON.parse(line) as GoEvent;
    } catch {
      bad++;
      continue;
    }
    if (typeof e !== "object" || e === null) continue;
    const out = typeof e.Output === "string" ? e.Output : undefined;
    if (typeof e.ImportPath === "string" && e.Action === "build-output" && out !== undefined) {
      buildOutput.set(e.ImportPath, [...(buildOutput.get(e.ImportPath) ?? []), out]);
    }
    if (typeof e.Package !== "string") continue;
    const pkg = e.Package;
    if (typeof e.Test !== "string") {
      if (out !== undefined) pkgOutput.set(pkg, [...(pkgOutput.get(pkg) ?? []), out]);
      if (e.Action === "fail") failedPkgs.set(pkg, typeof e.FailedBuild === "string" ? e.FailedBuild : undefined);
      continue;
    }
    const key = `${pkg} ${e.Test}`;
    const t = tests.get(key) ?? { pkg, test: e.Test, output: [], elapsed: 0 };
    tests.set(key, t);
    if (out !== undefined) t.output.push(out);
    if (e.Action === "pass" || e.Action === "fail" || e.Action === "skip") {
      t.action = e.Action;
      t.elapsed = typeof e.Elapsed === "number" && Number.isFinite(e.Elapsed) ? e.Elapsed : 0;
    }
  }
  const ended = [...tests.values()].filter((t) => t.action !== undefined);
  // Each parent (by package and name): whether any of its subtests failed.
  const parents = new Map<string, boolean>();
  for (const t of ended) {
    const parts = t.test.split("/");
    for (let i = 1; i < parts.length; i++) {
      const key = `${t.pkg} ${parts.slice(0, i).join("/")}`;
      parents.set(key, (parents.get(key) ?? false) || t.action === "fail");
    }
  }
  const result: ReportedTest[] = [];
  for (const t of ended) {
    const kidFailed = parents.get(`${t.pkg} ${t.test}`);
    if (kidFailed !== undefined && (t.action !== "fail" || kidFailed)) continue;
    result.push(goTest(t));
  }
  for (const [pkg, build] of failedPkgs) {
    if (result.some((r) => r.classname === pkg && r.status === "failed")) continue;
    const lines = [...(build ? (buildOutput.get(build) ?? []) : []), ...(pkgOutput.get(pkg) ?? [])].join("").split("\n").filter((l) => l.trim() !== "");
    const why = lines.find((l) => !l.startsWith("#") && !/^(FAIL|ok)\b/.test(l)) ?? lines[0] ?? "the package failed";
    result.push({ id: pkg, name: pkg, classname: pkg, status: "error", durationMs: 0, message: build ? `build failed: ${why}` : why, text: lines.join("\n") });
  }
  // Packages run in parallel: their events interleave. By package (sorted), then as each ran.
  const order = [...new Set(result.map((r) => r.classname))].sort();
  const sorted = order.flatMap((pkg) => result.filter((r) => r.classname === pkg));
  return { tests: sorted, ...(bad ? { problem: `${bad} line${bad === 1 ? "" : "s"} of the go test -json report could not be read` } : {}) };
}

function goTest(t: Seen): ReportedTest {
  const status = t.action === "pass" ? "passed" : t.action === "skip" ? "skipped" : "failed";
  const base: ReportedTest = { id: `${t.pkg} ${t.test}`, name: t.test, classname: t.pkg, status, durationMs: Math.round(t.elapsed * 1000) };
  const lines = t.output.join("").split("\n").filter((l) => l.trim() !== "" && !FRAME.test(l.trim()));
  if (status === "skipped") {
    const why = lines.find((l) => AT.test(l))?.trim();
    return { ...base, ...(why ? { message: why } : {}) };
  }
  if (status !== "failed") return base;
  const text = dedent(lines);
  // The failure: a panic's line, else the test's last file:line message (t.Log lines come first, t.Fatal ends the test).
  const own = text.find((l) => l.startsWith("panic: ")) ?? [...text].reverse().find((l) => AT.test(l))?.trim() ?? text[0] ?? "failed";
  const expected = valueLine(text, "expected");
  const actual = valueLine(text, "actual");
  const values = expected !== undefined && actual !== undefined ? { expected, actual } : {};
  const message = [own, ...(values.expected !== undefined ? [`expected: ${values.expected}`, `actual: ${values.actual}`] : [])].join("\n");
  return { ...base, message, ...values, text: text.join("\n") };
}

/** testify's `expected: …` / `actual  : …` lines, when the output has them. */
function valueLine(lines: readonly string[], word: string): string | undefined {
  for (const l of lines) {
    const m = new RegExp(`^\\s*${word}\\s*: (.*)$`).exec(l);
    if (m) return m[1]!.trim();
  }
  return undefined;
}

function dedent(lines: readonly string[]): string[] {
  const indent = Math.min(...lines.map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0));
}
