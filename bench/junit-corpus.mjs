// Realistic JUnit for bench/results-scale.mjs, written to disk as a run's collected artifacts:
// pytest files (nested classnames, `file`/`line`, parametrised names), Jest-style and gotestsum
// suites; ~3% of attempt 1 fails or errors (multi-line messages, tracebacks), a retry reruns the
// failed ids (as the engine's failedIds) and about a third of those pass (flaky); ~1.5% skipped.
// Each attempt that failed gets a test-runner.log (pytest -v: a line per test) ending in pytest's FAILURES sections.
// Seeded: the same sizes give the same files.
import { Buffer } from "node:buffer";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** mulberry32: a small seeded generator, so every round reads the same corpus. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = ["checkout", "catalog", "accounts", "search", "orders", "payments", "inventory", "shipping", "auth", "notifications"];
const SUBS = ["api", "ui", "workers", "integration", "contracts"];
const MODULES = ["create", "update", "list", "delete", "retry", "limits", "events", "permissions", "pagination", "webhooks"];
const VERBS = ["creates", "rejects", "returns", "updates", "retries", "paginates", "filters", "expires", "refunds", "validates"];
const NOUNS = ["order", "cart", "coupon", "invoice", "session", "token", "address", "item", "refund", "report", "user"];

const xmlEsc = (s) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]).replace(/\n/g, "&#10;");
const textEsc = (s) => s.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);

/** One test's names in the runner's own shape; `i` is unique within the suite. */
function testNames(kind, suite, i) {
  const area = AREAS[i % AREAS.length];
  const sub = SUBS[Math.floor(i / 10) % SUBS.length];
  const mod = MODULES[Math.floor(i / 50) % MODULES.length];
  const group = Math.floor(i / 10);
  const verb = VERBS[group % VERBS.length];
  const noun = NOUNS[Math.floor(group / 3) % NOUNS.length];
  if (kind === "pytest") {
    const file = `tests/e2e/${area}/${sub}/test_${mod}_${Math.floor(i / 500)}.py`;
    const cls = `Test${noun[0].toUpperCase()}${noun.slice(1)}${verb[0].toUpperCase()}${verb.slice(1)}${group}`;
    const name = `test_${verb}_${noun}[case${i % 10}-${area}]`;
    return { classname: `${file.slice(0, -3).replaceAll("/", ".")}.${cls}`, name, file, line: 10 + (i % 10) * 14, section: `${cls}.${name}` };
  }
  if (kind === "jest") {
    const describe = `${suite} ${area} ${sub} ${mod} ${group}`;
    const name = `${verb} the ${noun} (case ${i % 10})`;
    // jest-junit's defaults: describe blocks and title joined by spaces, as both classname and name.
    return { classname: `${describe} ${name}`, name: `${describe} ${name}` };
  }
  return { classname: `example.com/shop/${area}/${sub}`, name: `Test${verb[0].toUpperCase()}${verb.slice(1)}${noun[0].toUpperCase()}${noun.slice(1)}${group}/case_${i % 10}` };
}

function failureOf(kind, t, r, attempt) {
  const got = [500, 502, 503, 409, 422][Math.floor(r() * 5)];
  if (kind === "pytest") {
    const message = `AssertionError: expected HTTP 201 from POST /v1/${t.name.slice(5, 20)}, got ${got}\nassert ${got} == 201\n +  where ${got} = <Response [${got}]>.status_code`;
    const text = [
      `self = <${t.classname.split(".").at(-1)} object at 0x7f${Math.floor(r() * 1e9).toString(16)}>, client = <ApiClient base=http://orchestrator.e2e.svc.cluster.local:50055>`,
      "",
      `    def ${t.name.replace(/\[.*/, "")}(self, client):`,
      `        resp = client.post("/v1/orders", json=payload(attempt=${attempt}))`,
      `>       assert resp.status_code == 201, resp.text`,
      `E       AssertionError: {"error":"upstream unavailable","attempt":${attempt},"trace":"${Math.floor(r() * 1e12).toString(36)}"}`,
      `E       assert ${got} == 201`,
      `E        +  where ${got} = <Response [${got}]>.status_code`,
      "",
      `${t.file}:${t.line + 3}: AssertionError`,
      "----------------------------- Captured log call ------------------------------",
      `WARNING  urllib3.connectionpool:connectionpool.py:870 Retrying (Retry(total=2, connect=None, read=None)) after connection broken`,
      `ERROR    tests.e2e.client:client.py:88 POST /v1/orders -> ${got} in ${(r() * 900).toFixed(0)} ms`,
    ].join("\n");
    return { message, type: "AssertionError", text };
  }
  if (kind === "jest") {
    const text = [
      "Error: expect(received).toBe(expected) // Object.is equality",
      "",
      "Expected: 201",
      `Received: ${got}`,
      `    at Object.toBe (/work/app/test/e2e/${t.name.split(" ")[1]}.test.ts:${20 + Math.floor(r() * 200)}:31)`,
      "    at Promise.then.completed (/work/app/node_modules/jest-circus/build/utils.js:298:28)",
      "    at new Promise (<anonymous>)",
      "    at callAsyncCircusFn (/work/app/node_modules/jest-circus/build/utils.js:231:10)",
      "    at _callCircusTest (/work/app/node_modules/jest-circus/build/run.js:316:40)",
      "    at _runTest (/work/app/node_modules/jest-circus/build/run.js:252:3)",
    ].join("\n");
    return { text };
  }
  const text = `=== RUN   ${t.name}\n    client_test.go:${40 + Math.floor(r() * 300)}: POST /v1/orders: status ${got}, want 201\n    client_test.go:88: body: {"error":"upstream unavailable"}\n--- FAIL: ${t.name} (0.${Math.floor(r() * 90 + 10)}s)\n`;
  return { message: "Failed", type: "", text };
}

function caseXml(kind, t, st) {
  const where = t.file ? ` file="${xmlEsc(t.file)}" line="${t.line}"` : "";
  const head = `<testcase classname="${xmlEsc(t.classname)}" name="${xmlEsc(t.name)}"${where} time="${st.time}"`;
  if (st.status === "passed") return `${head} />`;
  if (st.status === "skipped") return `${head}><skipped type="pytest.skip" message="${xmlEsc(st.message)}">${textEsc(st.message)}</skipped></testcase>`;
  const tag = st.status === "error" ? "error" : "failure";
  const attrs = `${st.message !== undefined ? ` message="${xmlEsc(st.message)}"` : ""}${st.type !== undefined ? ` type="${xmlEsc(st.type)}"` : ""}`;
  return `${head}>\n<${tag}${attrs}>${textEsc(st.text)}</${tag}>\n<system-out>${textEsc(`request id ${st.time}\n`)}</system-out>\n</testcase>`;
}

function fileXml(kind, suite, cases) {
  const failures = cases.filter(([, s]) => s.status === "failed").length;
  const errors = cases.filter(([, s]) => s.status === "error").length;
  const skipped = cases.filter(([, s]) => s.status === "skipped").length;
  const body = cases.map(([t, s]) => caseXml(kind, t, s)).join("\n");
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}"`;
  return `<?xml version="1.0" encoding="utf-8"?>\n<testsuites name="${xmlEsc(suite)}" ${counts}>\n<testsuite name="${xmlEsc(suite)}" ${counts} time="42.0" timestamp="2026-12-07T10:00:00">\n${body}\n</testsuite>\n</testsuites>\n`;
}

/** pytest -v's terminal output for one attempt: a line per test, then a FAILURES section per failed test, then the summary. */
function pytestLog(kind, cases) {
  const lines = ["== incluster: suite ==", "============================= test session starts =============================="];
  const word = { passed: "PASSED", failed: "FAILED", error: "ERROR", skipped: "SKIPPED" };
  cases.forEach(([t, s], i) => lines.push(`${t.file ?? t.classname}::${t.name} ${word[s.status]} [${String(Math.floor((100 * (i + 1)) / cases.length)).padStart(3)}%]`));
  const bad = cases.filter(([, s]) => s.status === "failed" || s.status === "error");
  if (bad.length) lines.push("=================================== FAILURES ===================================");
  for (const [t, s] of bad) {
    lines.push(`${"_".repeat(20)} ${t.section ?? t.name} ${"_".repeat(20)}`, ...s.text.split("\n"));
  }
  lines.push("=========================== short test summary info ============================");
  for (const [t, s] of bad) lines.push(`FAILED ${t.file ?? t.classname}::${t.name} - ${(s.message ?? s.text).split("\n")[0]}`);
  lines.push(`${bad.length} failed, ${cases.length - bad.length} passed in 42.00s`, "");
  return lines.join("\n");
}

/**
 * Writes `suites` suites of `tests` test cases each under `dir` (runner kinds in turn: mostly
 * pytest) and returns the manifest the pipeline reads: per suite, its runner and each attempt's
 * JUnit file, log and rerun ids.
 */
export function writeCorpus(dir, { suites, tests, seed = 23 }) {
  const r = rng(seed);
  const manifest = { reportDir: join(dir, "report"), suites: [] };
  const kinds = ["pytest", "pytest", "pytest", "pytest", "pytest", "pytest", "pytest", "jest", "jest", "go"];
  let xmlBytes = 0;
  for (let s = 0; s < suites; s++) {
    const kind = suites === 1 ? "pytest" : kinds[s % kinds.length];
    const suite = suites === 1 ? "e2e" : `${AREAS[s % AREAS.length]}-${SUBS[Math.floor(s / AREAS.length) % SUBS.length]}-${s}`;
    const names = Array.from({ length: tests }, (_, i) => testNames(kind, suite, i));
    const status1 = names.map((t) => {
      const x = r();
      const time = (r() * (r() < 0.05 ? 30 : 2)).toFixed(3);
      if (x < 0.027) return { status: "failed", time, ...failureOf(kind, t, r, 1) };
      if (x < 0.03) return { status: "error", time, ...failureOf(kind, t, r, 1), message: 'failed on setup with "ConnectionRefusedError: [Errno 111] Connection refused"' };
      if (x < 0.045) return { status: "skipped", time: "0.000", message: `requires feature flag ${["ledger-v2", "eu-region", "slow-tests"][Math.floor(r() * 3)]}` };
      return { status: "passed", time };
    });
    const attempts = [names.map((t, i) => [t, status1[i]])];
    const failed = attempts[0].filter(([, st]) => st.status === "failed" || st.status === "error");
    // The retry reruns the failed ids; about a third pass (flaky), the rest fail again.
    if (failed.length) attempts.push(failed.map(([t]) => [t, r() < 0.35 ? { status: "passed", time: (r() * 2).toFixed(3) } : { status: "failed", time: (r() * 2).toFixed(3), ...failureOf(kind, t, r, 2) }]));
    const entry = { suite, runner: kind === "pytest" ? "pytest" : "other", attempts: [] };
    attempts.forEach((cases, k) => {
      const folder = attempts.length > 1 ? join(suite, `attempt-${k + 1}`) : suite;
      const artifacts = join(manifest.reportDir, folder, "artifacts");
      mkdirSync(artifacts, { recursive: true });
      const xml = fileXml(kind, suite, cases);
      xmlBytes += Buffer.byteLength(xml);
      writeFileSync(join(artifacts, "junit.xml"), xml);
      const bad = cases.some(([, st]) => st.status === "failed" || st.status === "error");
      if (bad) writeFileSync(join(manifest.reportDir, folder, "test-runner.log"), pytestLog(kind, cases));
      entry.attempts.push({ folder, junit: join(artifacts, "junit.xml"), failed: bad, cases: cases.length });
    });
    manifest.suites.push(entry);
  }
  manifest.xmlBytes = xmlBytes;
  writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest));
  return manifest;
}
