import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJunit } from "../../../src/results/junit.js";
import { pytestNodeId } from "../../../src/results/pytest-id.js";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "..", "fixtures", "junit", name), "utf8");
const brief = (xml: string, runner?: "pytest") => parseJunit(xml, { runner }).tests.map((t) => [t.id, t.status, t.message]);

describe("parseJunit on files the runners wrote (test/unit/fixtures/junit)", () => {
  it("pytest xunit1: node ids from file, 1-based lines, failure/error/skip messages", () => {
    const r = parseJunit(fixture("pytest-xunit1.xml"), { runner: "pytest" });
    expect(r.problem).toBeUndefined();
    expect(r.tests.map((t) => [t.id, t.status, t.message, t.file, t.line])).toEqual([
      ["tests/e2e/test_api.py::TestUsers::test_create[admin]", "passed", undefined, "tests/e2e/test_api.py", 5],
      ["tests/e2e/test_api.py::TestUsers::test_create[guest]", "failed", "assert 403 == 201", "tests/e2e/test_api.py", 5],
      ["tests/e2e/test_api.py::test_ready", "passed", undefined, "tests/e2e/test_api.py", 11],
      ["tests/e2e/test_api.py::test_metrics", "skipped", "metrics disabled", "tests/e2e/test_api.py", 15],
      ["tests/e2e/test_api.py::test_migrate", "error", 'failed on setup with "ConnectionRefusedError: [Errno 111] Connection refused"', "tests/e2e/test_api.py", 25],
    ]);
    const failed = r.tests[1]!;
    expect(failed.text).toContain(">       assert status == 201");
    expect(failed.text).toContain("tests/e2e/test_api.py:8: AssertionError");
    expect(failed.durationMs).toBe(1);
  });

  it("pytest xunit2 (no file attribute): the same node ids, derived from the classname", () => {
    const x1 = parseJunit(fixture("pytest-xunit1.xml"), { runner: "pytest" }).tests;
    const x2 = parseJunit(fixture("pytest-xunit2.xml"), { runner: "pytest" }).tests;
    expect(x2.map((t) => [t.id, t.status, t.message])).toEqual(x1.map((t) => [t.id, t.status, t.message]));
    expect(x2.every((t) => t.line === undefined)).toBe(true);
  });

  it("Jest (jest-junit): no message attribute, so the first line of the failure", () => {
    expect(brief(fixture("jest-junit.xml"))).toEqual([
      ["cart adds an item", "passed", undefined],
      ["cart applies a coupon", "failed", "Error: expect(received).toBe(expected) // Object.is equality"],
      ["cart removes an item", "skipped", undefined],
    ]);
  });

  it("Vitest: file::describe > test, type kept", () => {
    const r = parseJunit(fixture("vitest.xml"), {});
    expect(r.tests.map((t) => [t.id, t.status, t.message, t.type])).toEqual([
      ["test/math.test.ts::math > adds", "passed", undefined, undefined],
      ["test/math.test.ts::math > divides", "failed", "expected 3 to be 2 // Object.is equality", "AssertionError"],
      ["test/math.test.ts::math > rounds", "skipped", undefined, undefined],
    ]);
    expect(r.tests[1]!.durationMs).toBe(16);
  });

  it("gotestsum: package::Test/sub, skip message kept", () => {
    expect(brief(fixture("gotestsum.xml"))).toEqual([
      ["example.com/shop/cart::TestCoupon/ten_percent", "failed", "Failed"],
      ["example.com/shop/cart::TestCoupon", "failed", "Failed"],
      ["example.com/shop/cart::TestRemove", "skipped", "=== RUN   TestRemove\n    cart_test.go:10: not implemented yet\n--- SKIP: TestRemove (0.00s)\n"],
      ["example.com/shop/cart::TestAdd", "passed", undefined],
      ["example.com/shop/cart::TestCoupon/none", "passed", undefined],
    ]);
    expect(parseJunit(fixture("gotestsum.xml")).tests[0]!.text).toContain("cart_test.go:7: total = 100, want 90");
  });

  it("Playwright: CDATA failure text, system-out and properties beside it, a skip with no time", () => {
    const r = parseJunit(fixture("playwright.xml"));
    expect(r.tests.map((t) => [t.id, t.status, t.message, t.durationMs])).toEqual([
      ["login.spec.ts::login › shows the form", "passed", undefined, 8],
      ["login.spec.ts::login › rejects a wrong password", "failed", "expect(received).toBe(expected) // Object.is equality", 14],
      ["login.spec.ts::login › remembers the user", "skipped", undefined, 0],
    ]);
    expect(r.tests[1]!.text).toContain("Expected: 403");
  });
});

describe("parseJunit shapes and bad input", () => {
  it("reads a bare <testsuite> and suites nested in suites", () => {
    const xml = `<testsuite name="outer"><testcase classname="a" name="one" time="1.5"/><testsuite name="inner"><testcase classname="b" name="two"><error message="boom" type="E"/></testcase></testsuite></testsuite>`;
    expect(parseJunit(xml).tests.map((t) => [t.id, t.status, t.durationMs, t.type])).toEqual([
      ["a::one", "passed", 1500, undefined],
      ["b::two", "error", 0, "E"],
    ]);
  });

  it("Surefire's thousands separator in time; entities in attributes decoded", () => {
    const xml = `<testsuites><testsuite><testcase classname="c" name="slow" time="1,234.5"><failure message="a &lt; b &amp;&#10;c">t</failure></testcase></testsuite></testsuites>`;
    expect(parseJunit(xml).tests[0]).toMatchObject({ durationMs: 1_234_500, message: "a < b &\nc" });
  });

  it("a failure decides over an error in the same testcase, and one id twice is one test", () => {
    const xml = `<testsuite><testcase classname="t" name="x"><failure message="f"/><error message="teardown"/></testcase><testcase classname="t" name="x" time="1"><error message="again"/></testcase></testsuite>`;
    expect(parseJunit(xml).tests).toEqual([{ id: "t::x", name: "x", classname: "t", status: "failed", durationMs: 1000, message: "f" }]);
  });

  it.each([
    ["", "not well-formed XML: Start tag expected. (line 1)"],
    ["<testsuite><testcase name='x'>", "not well-formed XML"],
    ["<testsuite><testcase name='x'></testsuite>", "not well-formed XML"],
    ["pytest: command not found", "not well-formed XML"],
    ["<coverage line-rate='0.5'/>", "expected a <testsuites> or <testsuite> root element, got <coverage>"],
  ])("never throws on %j", (xml, problem) => {
    const r = parseJunit(xml, { runner: "pytest" });
    expect(r.tests).toEqual([]);
    expect(r.problem).toContain(problem);
  });

  it("an empty <testsuites> is no tests and no problem", () => {
    expect(parseJunit(`<?xml version="1.0"?><testsuites/>`)).toEqual({ tests: [] });
  });
});

describe("pytestNodeId", () => {
  it.each([
    [["tests.e2e.test_x.TestC", "test_y[param]"], "tests/e2e/test_x.py::TestC::test_y[param]"],
    [["tests.e2e.test_x.TestOuter.TestInner", "test_y"], "tests/e2e/test_x.py::TestOuter::TestInner::test_y"],
    [["test_x", "test_y[1.5-a.b]"], "test_x.py::test_y[1.5-a.b]"],
    [["", "test_y"], "test_y"],
    [["tests.v1.2.test_x", "test_y", "tests/v1.2/test_x.py"], "tests/v1.2/test_x.py::test_y"],
    [["tests.Api.test_x.TestC", "t", "tests/Api/test_x.py"], "tests/Api/test_x.py::TestC::t"],
  ] as const)("%j → %s", (args, id) => {
    expect(pytestNodeId(...(args as unknown as [string, string, string?])).id).toBe(id);
  });
});
