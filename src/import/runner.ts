// The guide's run_test.py → the suite's test target (its test_path) and install command (its pip
// line). The rest of the script is what incluster's inline runner does (docs/render-differences.md,
// difference 8). Pure: reads the text only, never runs it.
import type { SourceFile, Unmapped } from "./types.js";

/** pytest arguments incluster's runner passes itself. */
export const RUNNER_PYTEST_ARGS = ["-v", "-s", "--tb=short"] as const;

const TEST_PATH = /^\s*test_path\s*=\s*(["'])(.*?)\1/;
const PIP_LIST = /\[\s*(["'])pip\1\s*,/;
const PYTEST_MODULE = /(["'])pytest\1\s*,/;

export function readRunner(f: SourceFile): { test?: string; install?: string; unmapped: Unmapped[] } {
  const lines = f.text.split("\n");
  const unmapped: Unmapped[] = [];
  let test: string | undefined;
  let install: string | undefined;
  lines.forEach((line) => {
    const t = TEST_PATH.exec(line);
    if (t && test === undefined) test = t[2];
    // The argv list on the pip line: its string literals from "pip" on.
    const p = PIP_LIST.exec(line);
    if (p && install === undefined) install = shellJoin(pythonStrings(line.slice(p.index)));
  });
  if (test === undefined) {
    unmapped.push({ file: f.path, line: 1, value: "(no test_path = \"…\")", why: "no pytest target found; set suites.<suite>.test by hand" });
  }
  // The pytest call's own arguments after the target: those beyond the runner's are not carried over.
  const start = lines.findIndex((l) => PYTEST_MODULE.test(l));
  if (start !== -1) {
    for (let i = start + 1; i < lines.length; i++) {
      const line = lines[i] ?? "";
      if (/^\s*\]/.test(line)) break;
      for (const arg of pythonStrings(line)) {
        if ((RUNNER_PYTEST_ARGS as readonly string[]).includes(arg)) continue;
        unmapped.push({
          file: f.path,
          line: i + 1,
          value: arg,
          why: `incluster's runner runs pytest <test> ${RUNNER_PYTEST_ARGS.join(" ")}; for other arguments use a command: suite, or pytest.ini's addopts`,
        });
      }
    }
  }
  return { ...(test !== undefined ? { test } : {}), ...(install !== undefined ? { install } : {}), unmapped };
}

/** The string literals of a line of Python, in order ("a", 'b'). */
function pythonStrings(text: string): string[] {
  return [...text.matchAll(/(["'])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2] ?? "");
}

/** argv → one shell line, quoting what the shell would otherwise interpret (".[dev,grpc]"). */
export function shellJoin(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `"${a.replace(/(["\\$`])/g, "\\$1")}"`)).join(" ");
}
