// report.html of a real run on the project's cluster (the demo: a passing suite, a failing one, and
// one with a retry), checked in headless Chromium from Debian's packages: no console errors and no
// request beyond the file, a timeline row per suite and per attempt, the failed tests listed and
// expanded, landmarks and headings, WCAG AA contrast, no sideways scrolling on a phone, the same
// with JavaScript disabled; screenshots at desktop and phone widths.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunResult } from "../../src/results/run-result.js";
import { DEMO, ROOT, cli, requireCluster } from "./support/cli.js";
import { launch, pageFacts } from "./support/chromium.js";

const SHOTS = process.env.INCLUSTER_SCREENSHOTS ?? join(ROOT, ".incluster", "screenshots");

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number; bytes: number } {
  const b = readFileSync(file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), bytes: b.length };
}

describe("report.html of a real run, in headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "incluster-html-"));
  const reportDir = join(dir, "run");
  let browser: Browser;
  let result: RunResult;
  let page = "";

  beforeAll(async () => {
    requireCluster();
    const r = await cli(["-c", DEMO, "run", "--all", "-q", "--report-dir", reportDir]);
    expect(r.code, r.stderr.slice(-2000)).toBe(1);
    result = JSON.parse(readFileSync(join(reportDir, "result.json"), "utf8")) as RunResult;
    page = join(reportDir, "report.html");
    browser = await launch();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("every run writes it; `incluster report` rebuilds the same page from result.json and prints its path", async () => {
    const written = readFileSync(page, "utf8");
    const r = await cli(["report", "--report-dir", reportDir]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(page);
    expect(readFileSync(page, "utf8")).toBe(written);
  });

  it("loads with no console error and no request but itself; timeline, failed tests, landmarks, contrast; screenshots at 1280 and 390 px", async () => {
    mkdirSync(SHOTS, { recursive: true });
    for (const [name, width] of [["desktop", 1280], ["phone", 390]] as const) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const tab = await context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      tab.on("console", (m) => m.type() === "error" && problems.push(m.text()));
      tab.on("pageerror", (e) => problems.push(e.message));
      tab.on("request", (q) => requests.push(q.url()));
      await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
      const facts = await pageFacts(tab);
      const shot = join(SHOTS, `report-${name}.png`);
      // The page paints a suite's section only near the viewport (content-visibility: auto); a
      // full-page screenshot does not scroll, so the shot paints them all.
      await tab.addStyleTag({ content: ".fgroup,section.suite{content-visibility:visible}" });
      await tab.screenshot({ path: shot, fullPage: true });
      await context.close();
      const size = pngSize(shot);
      console.log(`${name}: ${shot} ${size.width}x${size.height} px, ${size.bytes} bytes; timeline rows: ${facts.timelineRows.map((r) => r.label).join(", ")}; failed tests: ${facts.failedTests.join(", ")}; console errors: ${problems.length}; requests: ${requests.length}; low-contrast texts: ${facts.lowContrast.length}; horizontal overflow: ${facts.overflowX}px`);

      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(page).href]);
      expect(facts.h1).toBe(1);
      expect(facts.h2).toEqual(["Failures", "Timeline", ...result.suites.map((s) => `${s.suite} ${s.verdict === "passed" ? "PASSED" : "FAILED"}`)]);
      expect(facts.landmarks).toEqual(["header", "nav", "main", "footer"]);
      const suites = facts.timelineRows.filter((r) => r.kind === "suite").map((r) => r.label);
      expect(suites).toEqual(["services", "fails-on-purpose", "mixed"]);
      expect(facts.timelineRows.filter((r) => r.kind === "attempt").map((r) => r.label)).toEqual(["attempt 1", "attempt 2"]);
      expect(facts.failedTests).toEqual(["tests/e2e/test_fails_on_purpose.py::test_fails_on_purpose", "tests/e2e/test_mixed.py::test_fails_on_purpose"]);
      expect(facts.visibleFailureDetails).toBeGreaterThanOrEqual(3);
      expect(facts.lowContrast).toEqual([]);
      expect(facts.overflowX).toBeLessThanOrEqual(0);
      expect(size.width).toBe(width);
    }
  });

  it("works with JavaScript disabled: the same rows, failed tests and open failure details", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const tab = await context.newPage();
    await tab.goto(pathToFileURL(page).href, { waitUntil: "load" });
    const noJs = await pageFacts(tab);
    await context.close();
    console.log(`JavaScript disabled: ${noJs.timelineRows.length} timeline rows, ${noJs.failedTests.length} failed tests, ${noJs.visibleFailureDetails} failure details shown`);
    expect(noJs.timelineRows.map((r) => r.label)).toEqual(["services", "fails-on-purpose", "mixed", "attempt 1", "attempt 2"]);
    expect(noJs.failedTests).toHaveLength(2);
    expect(noJs.visibleFailureDetails).toBeGreaterThanOrEqual(3);
    expect(statSync(page).size).toBeLessThan(512 * 1024);
  });
});
