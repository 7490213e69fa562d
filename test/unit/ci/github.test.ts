import { describe, expect, it } from "vitest";
import { annotations, outputFileText, stepOutputs, stepSummary } from "../../../src/ci/github.js";
import { ciRunLink } from "../../../src/ci-links.js";
import { runSummary } from "../../../src/report/human.js";
import { notRunResult } from "../../../src/report/not-run.js";
import type { RunResult } from "../../../src/results/run-result.js";
import { expectGolden } from "../support/golden.js";
import { sampleResult } from "../report/sample-result.js";

const github = { GITHUB_SERVER_URL: "https://github.com", GITHUB_REPOSITORY: "acme/shop", GITHUB_RUN_ID: "9001", GITHUB_RUN_ATTEMPT: "2" };

describe("GitHub Actions output of a run with failed, flaky, skipped, sharded and JUnit-less suites", () => {
  it("the step summary (golden)", () => expectGolden("ci/step-summary.md", stepSummary(sampleResult, ciRunLink(github))));
  it("the annotations (golden)", () => expectGolden("ci/annotations.txt", `${annotations(sampleResult).join("\n")}\n`));
  it("the outputs file (golden)", () => expectGolden("ci/github-output.txt", outputFileText(stepOutputs(sampleResult))));

  it("annotations carry the JUnit file and line; a suite without a failing test is annotated without a file", () => {
    const a = annotations(sampleResult);
    expect(a.some((l) => /^::error file=tests\/e2e\/test_api\.py,line=\d+,title=api%3A /.test(l))).toBe(true);
    expect(a.some((l) => l.startsWith("::error title=incluster%3A suite load did not pass::"))).toBe(true);
    // Workflow-command escaping: a message never breaks the line.
    for (const l of a) expect(l).not.toMatch(/[\r\n]/);
  });

  it("a value with a line break uses GITHUB_OUTPUT's delimiter form", () => {
    expect(outputFileText({ a: "1", b: "x\nINCLUSTER_EOF" })).toBe("a=1\nb<<INCLUSTER_EOF_\nx\nINCLUSTER_EOF\nINCLUSTER_EOF_\n");
  });

  it("Markdown cells cannot break the table or inject HTML", () => {
    const r: RunResult = { ...sampleResult, suites: [{ ...sampleResult.suites[3]!, suite: "a|b", message: "<script>x</script> | y" }] };
    const md = stepSummary(r);
    expect(md).toContain("| a\\|b |");
    expect(md).toContain("&lt;script&gt;x&lt;/script&gt; \\| y");
  });

  it("a run that could not run: the step summary's tally is the terminal's (issue 19)", () => {
    const r = notRunResult({ runId: "r1", context: "c", namespace: "ns", suites: [{ name: "e2e", image: "i" }], class: "unreachable", reason: "PreflightFailed", message: "API server: x unreachable", at: new Date(0) });
    const terminal = runSummary({ color: false }, r).split("\n").at(-1) ?? "";
    expect(terminal).toContain("run r1: 0 passed, 0 failed, 1 could not run — exit code 3");
    expect(stepSummary(r).split("\n")[0]).toBe("### incluster run `r1`: 0 passed, 0 failed, 1 could not run — exit code 3");
  });

  it("the CI link: GitHub's run page, else GitLab's job, else none", () => {
    expect(ciRunLink(github)?.url).toBe("https://github.com/acme/shop/actions/runs/9001/attempts/2");
    expect(ciRunLink({ CI_JOB_URL: "https://gitlab.example.com/g/p/-/jobs/7" })).toEqual({ url: "https://gitlab.example.com/g/p/-/jobs/7", label: "GitLab CI job" });
    expect(ciRunLink({})).toBeUndefined();
  });
});
