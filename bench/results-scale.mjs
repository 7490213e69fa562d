#!/usr/bin/env node
// Results at scale (issue 23): one suite of 10,000 test cases and a run of 100 suites × 1,000
// (bench/junit-corpus.mjs writes their JUnit to disk, retries and failures included), each fed
// through the engine's own path in a fresh process (bench/results-pipeline.ts, bundled from src/):
// read + parse the JUnit, merge the attempts, write report.html and result.json. Then Debian's
// headless Chromium (playwright-core; installed with apt-get when missing) opens the run's
// report.html: the time until the Failures section's first failed test is visible, and until the
// page's load event. The run goes through once more with result.json written in chunks
// (report/json.ts), the same bytes: its peak RSS. Writes only under a temporary directory.
//   node bench/results-scale.mjs [--quick] [--runs 5] [--suites 100 --tests 1000 --big 10000] [--keep]
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { writeCorpus } from "./junit-corpus.mjs";
import { arg, emit, log, median, pairedRatio, root, row } from "./lib.mjs";

const quick = process.argv.includes("--quick");
const suites = Number(arg("--suites", quick ? "20" : "100"));
const perSuite = Number(arg("--tests", "1000"));
const big = Number(arg("--big", quick ? "2000" : "10000"));
const rounds = Number(arg("--runs", quick ? "3" : "5"));
const keep = process.argv.includes("--keep");
/** The page's first failed test in its Failures section (src/report/html.ts). */
const FIRST_FAILURE = "#failures tr.t-failed, #failures tr.t-error";
const SAMPLE = join(root, "test/golden/report/report.html");
const RSS_GOAL_MB = 300;
const LOAD_GOAL_MS = 2000;

const projectPlaywright = import.meta.resolve("playwright-core");
const dir = mkdtempSync(join(tmpdir(), "incluster-bench-results-"));
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;
const fmtMs = (x) => `${x.toFixed(0)} ms`;

/** A fresh tab: goto → the first failed test visible → the load event (ms from before goto), and what the page holds. */
async function open(browser, file) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const t0 = performance.now();
  const load = page.waitForEvent("load", { timeout: 120_000 }).then(() => performance.now() - t0);
  await page.goto(pathToFileURL(file).href, { waitUntil: "commit", timeout: 120_000 });
  await page.waitForSelector(FIRST_FAILURE, { state: "visible", timeout: 120_000 });
  const visible = performance.now() - t0;
  const loaded = await load;
  const facts = await page.evaluate((sel) => {
    const doc = globalThis.document;
    return `${doc.querySelectorAll(sel).length} failed-test rows, ${doc.getElementsByTagName("*").length} elements`;
  }, FIRST_FAILURE);
  await context.close();
  if (errors.length) throw new Error(`${file}: ${errors.join("; ")}`);
  return { visible, loaded, facts };
}

try {
  // The engine's functions, bundled as the CLI bundles them (vendor packages inlined here).
  await build({
    entryPoints: { pipeline: join(root, "bench/results-pipeline.ts"), chromium: join(root, "test/integration/support/chromium.ts") },
    outdir: join(dir, "bin"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node22",
    // playwright-core stays the project's own copy (the bundle is written outside the project).
    plugins: [{ name: "project-playwright", setup: (b) => b.onResolve({ filter: /^playwright-core$/ }, () => ({ path: projectPlaywright, external: true })) }],
    nodePaths: [join(root, "node_modules")],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  const { launch } = await import(pathToFileURL(join(dir, "bin/chromium.mjs")).href);

  const corpus = (name, s, n) => writeCorpus(join(dir, name), { suites: s, tests: n });
  const pipeline = (name, m, args = []) => {
    const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const r = spawnSync(process.execPath, [...prof, join(dir, "bin/pipeline.mjs"), join(dir, name, "manifest.json"), ...args], { encoding: "utf8", maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`pipeline ${name} exited ${r.status}: ${r.stderr.slice(-3000)}`);
    const f = JSON.parse(r.stdout.trim().split("\n").at(-1));
    const peaks = Object.entries(f.peaks).map(([k, v]) => `${k} ${v}`).join(", ");
    log(
      `${name}${args.length ? ` ${args.join(" ")}` : ""}: ${f.suites} suite(s), ${f.tests} test cases read (${f.merged} after merging attempts), ` +
        `JUnit ${mb(m.xmlBytes)}; read+parse ${fmtMs(f.parseMs)}, merge ${fmtMs(f.mergeMs)}, report.html ${mb(f.htmlBytes)} in ${fmtMs(f.htmlMs)}, ` +
        `result.json ${mb(f.jsonBytes)} in ${fmtMs(f.jsonMs)}; RSS at start ${(f.startRssKb / 1024).toFixed(0)} MB, peak ${(f.peakRssKb / 1024).toFixed(0)} MB (after ${peaks})`,
    );
    return { ...f, xmlBytes: m.xmlBytes, html: join(m.reportDir, "report.html"), json: join(m.reportDir, "result.json") };
  };

  const one = pipeline("one-suite", corpus("one-suite", 1, big));
  const runCorpus = corpus("run", suites, perSuite);
  const run = pipeline("run", runCorpus);
  // The same run with result.json written in chunks (report/json.ts): the same bytes, checked.
  const written = readFileSync(run.json);
  const chunked = pipeline("run", runCorpus, ["--json-chunks"]);
  if (!readFileSync(chunked.json).equals(written)) throw new Error("result.json written in chunks differs from the engine's");

  // Chromium: each round opens the sample page (4 suites, test/golden/report/report.html: the
  // fixed cost of a tab, the file and Playwright's polling) and both large pages, in shuffled order.
  const browser = await launch();
  const pagesToOpen = { sample: SAMPLE, one: one.html, run: run.html };
  const times = Object.fromEntries(Object.keys(pagesToOpen).map((k) => [k, { visible: [], loaded: [], facts: "" }]));
  for (let i = 0; i < rounds; i++) {
    for (const k of Object.keys(pagesToOpen).sort(() => Math.random() - 0.5)) {
      const t = await open(browser, pagesToOpen[k]);
      times[k].visible.push(t.visible);
      times[k].loaded.push(t.loaded);
      times[k].facts = t.facts;
    }
  }
  await browser.close();
  for (const [k, t] of Object.entries(times)) {
    log(`  Chromium, ${k}: first failure visible ${t.visible.map(fmtMs).join(", ")}; load event ${t.loaded.map(fmtMs).join(", ")}; ${t.facts}`);
  }

  const label = (n) => n.toLocaleString("en-US");
  const sample = times.sample;
  const rows = [];
  for (const [what, f, t] of [[`1 suite × ${label(big)} tests`, one, times.one], [`${label(suites)} suites × ${label(perSuite)} tests`, run, times.run]]) {
    const rss = f.peakRssKb / 1024;
    rows.push(
      row(`results, ${what}: JUnit read + parse (${mb(f.xmlBytes)})`, "—", fmtMs(f.parseMs), `${(f.tests / f.parseMs).toFixed(0)}k cases/s`, "—", null),
      row(`results, ${what}: merge of attempts (${label(f.merged)} tests)`, "—", fmtMs(f.mergeMs), "—", "—", null),
      row(`results, ${what}: report.html written`, "—", fmtMs(f.htmlMs), mb(f.htmlBytes), "—", null),
      row(`results, ${what}: result.json written`, "—", fmtMs(f.jsonMs), mb(f.jsonBytes), "—", null),
      row(`results, ${what}: peak RSS (baseline: at start)`, `${(f.startRssKb / 1024).toFixed(0)} MB`, `${rss.toFixed(0)} MB`, "—", `≤ ${RSS_GOAL_MB} MB`, rss <= RSS_GOAL_MB),
      row(
        `results, ${what}: Chromium, first failure visible (baseline: the sample page; ${rounds} rounds)`,
        fmtMs(median(sample.visible)),
        fmtMs(median(t.visible)),
        pairedRatio(t.visible, sample.visible).toFixed(2),
        `≤ ${LOAD_GOAL_MS / 1000} s`,
        median(t.visible) <= LOAD_GOAL_MS,
      ),
      row(`results, ${what}: Chromium, load event`, fmtMs(median(sample.loaded)), fmtMs(median(t.loaded)), pairedRatio(t.loaded, sample.loaded).toFixed(2), "—", null),
    );
  }
  const chunkedRss = chunked.peakRssKb / 1024;
  rows.push(
    row(
      `results, ${label(suites)} suites × ${label(perSuite)} tests: peak RSS, result.json written by jsonChunks directly (a cross-check: run/files.ts writes it so too)`,
      `${(chunked.startRssKb / 1024).toFixed(0)} MB`,
      `${chunkedRss.toFixed(0)} MB`,
      `write ${fmtMs(chunked.jsonMs)}`,
      `≤ ${RSS_GOAL_MB} MB`,
      chunkedRss <= RSS_GOAL_MB,
    ),
  );
  emit(rows);
} finally {
  if (keep) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
