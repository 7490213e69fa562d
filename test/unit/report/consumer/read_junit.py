"""Reads incluster's -o junit with junitparser (PyPI), an independent JUnit consumer, and prints
what it understood: per suite and in total, tests, failures, errors, skipped and flaky (Surefire's
flakyFailure/flakyError), each failed test with its message, and each rerun and flaky element."""
import json
import sys

from junitparser import Error, Failure, Skipped
from junitparser.xunit2 import JUnitXml

xml = JUnitXml.fromfile(sys.argv[1])
out = {"suites": [], "failed": [], "reruns": 0, "flaky": []}
for suite in xml:
    counts = {"name": suite.name, "tests": 0, "failures": 0, "errors": 0, "skipped": 0, "flaky": 0,
              "declared": [suite.tests, suite.failures, suite.errors, suite.skipped]}
    for case in suite:
        counts["tests"] += 1
        kinds = [type(r) for r in case.result]
        if Failure in kinds:
            counts["failures"] += 1
        if Error in kinds:
            counts["errors"] += 1
        if Skipped in kinds:
            counts["skipped"] += 1
        if case.is_failure or case.is_error:
            out["failed"].append([case.classname, case.name, case.result[0].message])
        out["reruns"] += len(case.rerun_failures()) + len(case.rerun_errors())
        if case.is_flaky:
            counts["flaky"] += 1
            out["flaky"].append([case.classname, case.name, [f.message for f in case.flaky_failures()]])
    out["suites"].append(counts)
out["total"] = {k: sum(s[k] for s in out["suites"]) for k in ["tests", "failures", "errors", "skipped", "flaky"]}
out["declared"] = [xml.tests, xml.failures, xml.errors, xml.skipped]
print(json.dumps(out, indent=1))
