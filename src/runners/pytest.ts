// pytest: the first-class runner from the start, now behind the adapter interface. Its report is
// JUnit (xunit1: test cases carry file and line), read by results/junit.ts with pytest's node ids;
// a retry runs the failed node ids; a shard collects every node id and runs its share.
import { ARTIFACTS_DIR, SHARD_COUNT_ENV, SHARD_INDEX_ENV, SHARD_WEIGHTS_ENV } from "../names.js";
import { echoAndRun, printLine, shq } from "./shell.js";
import type { RunnerAdapter } from "./types.js";

/** Where pytest suites' JUnit goes, under the artifacts directory. */
export const PYTEST_JUNIT = "junit.xml";

/**
 * A shard's share of a pytest target. Every shard collects the same ids and computes the same split:
 * with weights from the run history ($INCLUSTER_SHARD_WEIGHTS), longest processing time first
 * (history/shards.ts lptSplit, the same order and ties: an id not in the history weighs the
 * suite's median, so a new test runs in exactly one shard); without, the ids sorted by code point
 * and dealt every n-th from the index (results/merge.ts splitForShard).
 */
export const SHARD_PY = [
  "import json, os, subprocess, sys",
  "target, opts = sys.argv[1], sys.argv[2:]",
  'out = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", target], capture_output=True, text=True).stdout',
  'ids = sorted({l.strip() for l in out.splitlines() if "::" in l and not l.startswith(" ")})',
  `i, n = int(os.environ["${SHARD_INDEX_ENV}"]), int(os.environ["${SHARD_COUNT_ENV}"])`,
  `w = json.loads(os.environ.get("${SHARD_WEIGHTS_ENV}") or "null")`,
  "if w:",
  '    d, m = w["d"], w["m"]',
  "    loads, own = [0] * n, [[] for _ in range(n)]",
  "    for t in sorted(ids, key=lambda t: (-d.get(t, m), t)):",
  "        k = min(range(n), key=lambda j: (loads[j], j))",
  "        loads[k] += d.get(t, m)",
  "        own[k].append(t)",
  "    mine = sorted(own[i])",
  '    print(f"shard {i} of {n}: {len(mine)} of {len(ids)} tests, {loads[i] / 1000:.1f}s of {sum(loads) / 1000:.1f}s by their median times", flush=True)',
  "else:",
  "    mine = ids[i::n]",
  '    print(f"shard {i} of {n}: {len(mine)} of {len(ids)} tests", flush=True)',
  "sys.exit(subprocess.call([sys.executable, \"-m\", \"pytest\", *mine, *opts]) if mine else 0)",
].join("\n");

const OPTS = ["-v", "-s", "--tb=short", `--junitxml=${ARTIFACTS_DIR}/${PYTEST_JUNIT}`, "-o", "junit_family=xunit1"];

/** Targets that name another runner's tests: a Go package pattern, or a file of another language. */
function otherRunnersTarget(test: string): string | undefined {
  const file = test.split("::")[0] ?? "";
  if (/(^|\/)\.\.\.$/.test(file)) return `a go package pattern ${JSON.stringify(test)} (set runner: go)`;
  if (/\.go$/.test(file)) return `a go file ${JSON.stringify(test)} (set runner: go)`;
  if (/\.(m|c)?js$|\.(m|c)?ts$/.test(file)) return `a JavaScript or TypeScript file ${JSON.stringify(test)} (set runner: node, jest or vitest)`;
  return undefined;
}

export const pytest: RunnerAdapter = {
  name: "pytest",
  takes: "a pytest target: a file, folder or node id like tests/e2e/test_x.py::test_y",
  validateTarget(test) {
    const other = otherRunnersTarget(test);
    return other ? `pytest takes a file, folder or node id like tests/e2e/test_x.py::test_y, not ${other}` : undefined;
  },
  script(test, o = {}) {
    // A retry runs only the node ids that failed.
    if (o.rerun?.length) return echoAndRun(["python3", "-m", "pytest", ...o.rerun, ...OPTS]);
    if (o.sharded) {
      // A shard collects every node id, sorts them by code point and runs every n-th from its index.
      return [
        // The shard number expands (double quotes); the target is printed as written (one quoted word).
        printLine(`"+ pytest shard $${SHARD_INDEX_ENV} of $${SHARD_COUNT_ENV}: "${shq(test)}`),
        `python3 -c ${shq(SHARD_PY)} ${[test, ...OPTS].map(shq).join(" ")}`,
      ];
    }
    return echoAndRun(["python3", "-m", "pytest", test, ...OPTS]);
  },
  plain(test) {
    return ["python3", "-m", "pytest", test, "-v", "-s", "--tb=short"];
  },
  commandSetup() {
    // pytest reads PYTEST_ADDOPTS before its own arguments: JUnit with file and line, where incluster reads it.
    const add = `--junitxml=${ARTIFACTS_DIR}/${PYTEST_JUNIT} -o junit_family=xunit1`;
    return [`export PYTEST_ADDOPTS="${add}\${PYTEST_ADDOPTS:+ $PYTEST_ADDOPTS}"`];
  },
  report: { file: PYTEST_JUNIT, junit: "pytest" },
  shardBalance: { by: "test" },
};
