// Shards balanced by file (node:test, Jest, Vitest): the pods' split (SHARD_JS, run by this Node)
// against the reference (history/shards.ts lptSplit over file weights), Vitest's substring filters
// kept in one shard, and each adapter's shard lines run live on its fixture project with weights:
// every test once, each shard the files the reference gives it; without weights, the runner's own --shard.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lptSplit } from "../../../src/history/shards.js";
import { parseReport } from "../../../src/results/report.js";
import { SHARD_JS } from "../../../src/runners/file-shards.js";
import { jest } from "../../../src/runners/jest.js";
import { BY_FILE, node } from "../../../src/runners/node.js";
import type { RunnerAdapter } from "../../../src/runners/types.js";
import { vitest } from "../../../src/runners/vitest.js";
import { FIXTURES, runLines } from "./run-lines.js";

const work = mkdtempSync(join(tmpdir(), "incluster-file-shards-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A project of empty files at these paths. */
function project(name: string, files: readonly string[]): string {
  const dir = join(work, name);
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), "");
  }
  return dir;
}

/** SHARD_JS in `cwd` as shard `i` of `n`: the files it wrote, and what it printed. */
function split(cwd: string, how: string, args: readonly string[], i: number, n: number, weights: object) {
  const out = join(cwd, `.out-${i}`);
  const printed = execFileSync(process.execPath, ["-e", SHARD_JS, how, out, ...args], {
    cwd,
    env: { ...process.env, INCLUSTER_SHARD_INDEX: String(i), INCLUSTER_SHARD_COUNT: String(n), INCLUSTER_SHARD_WEIGHTS: JSON.stringify(weights) },
    encoding: "utf8",
  });
  const files = readFileSync(out, "utf8").split("\n").filter(Boolean);
  return { files, words: readFileSync(`${out}.words`, "utf8"), printed: printed.trim() };
}

describe("the pods' split (SHARD_JS)", () => {
  const files = ["t/long.test.mjs", ...Array.from({ length: 12 }, (_, k) => `t/short-${String(k).padStart(2, "0")}.test.mjs`), "t/new one.test.mjs"];
  const d = Object.fromEntries(files.filter((f) => !f.includes("new")).map((f) => [f, f.includes("long") ? 6000 : 500]));
  const weights = { d, m: 500 };

  it("node's discovery (a glob): the same files per shard as lptSplit; a new file (the median) in exactly one", () => {
    const dir = project("glob", [...files, "node_modules/x/t/dep.test.mjs"]);
    const want = lptSplit(files, 3, (f) => d[f] ?? 500);
    const got = [0, 1, 2].map((i) => split(dir, "glob", ["**/*.test.mjs"], i, 3, weights));
    expect(got.map((g) => g.files)).toEqual(want.shards);
    expect(want.loads).toEqual([6000, 3500, 3000]);
    expect(got[0]!.printed).toBe("shard 0 of 3: 1 of 14 files, 6.0s of 12.5s by their median times");
    expect(got.flatMap((g) => g.files).filter((f) => f.includes("new"))).toHaveLength(1);
    // The words the log prints: a name with a space is quoted as the shell reads it.
    expect(got.map((g) => g.words).join(" ")).toContain("'t/new one.test.mjs'");
  });

  it("Jest's --listTests --json (absolute paths): relative to the project, split the same", () => {
    const dir = project("json", files);
    writeFileSync(join(dir, "list.json"), JSON.stringify(files.map((f) => join(dir, f))));
    const got = [0, 1, 2].map((i) => split(dir, "json", ["list.json"], i, 3, weights).files);
    expect(got).toEqual(lptSplit(files, 3, (f) => d[f] ?? 500).shards);
  });

  it("Vitest's filters match a path's substring: a file whose path holds another's goes to the same shard, each once", () => {
    const listed = ["a.test.mjs", "e2e/a.test.mjs", "b.test.mjs", "c.test.mjs"];
    const dir = project("vitest", listed);
    writeFileSync(join(dir, "list.json"), JSON.stringify(listed.map((f) => ({ file: join(dir, f) }))));
    const w = { d: { "a.test.mjs": 1000, "e2e/a.test.mjs": 1000, "b.test.mjs": 1500, "c.test.mjs": 1500 }, m: 1000 };
    const got = [0, 1, 2].map((i) => split(dir, "vitest", ["list.json"], i, 3, w).files);
    expect(got).toEqual([["a.test.mjs", "e2e/a.test.mjs"], ["b.test.mjs"], ["c.test.mjs"]]);
  });

  it("nothing to split: exit 3 (the lines fall back to the runner's own --shard)", () => {
    const dir = project("empty", ["README.md"]);
    const env = { ...process.env, INCLUSTER_SHARD_INDEX: "0", INCLUSTER_SHARD_COUNT: "2", INCLUSTER_SHARD_WEIGHTS: JSON.stringify(weights) };
    expect(spawnSync(process.execPath, ["-e", SHARD_JS, "glob", join(dir, ".out"), "**/*.test.mjs"], { cwd: dir, env }).status).toBe(3);
  });
});

/** jest 30.5.2's bin directory (scripts/npm-tool.sh), or undefined when it cannot be had here. */
function jestBin(): string | undefined {
  try {
    return execFileSync("bash", [join(FIXTURES, "../../../scripts/npm-tool.sh"), "jest", "30.5.2"], { encoding: "utf8", timeout: 120_000 }).trim();
  } catch {
    return undefined;
  }
}

const VITEST_BIN = join(FIXTURES, "../../../node_modules/.bin");
const JEST_BIN = jestBin();
const live: [RunnerAdapter, string, string | undefined, string][] = [
  [node, "node", undefined, "mjs"],
  [vitest, "vitest", VITEST_BIN, "mjs"],
  [jest, "jest", JEST_BIN, "js"],
];

describe.each(live)("the %s adapter's balanced shards, live on its fixture", (adapter, name, binDir, ext) => {
  it.skipIf(name === "jest" && !binDir)(`with weights: each shard runs the files lptSplit gives it, every test once; without: the own --shard${name === "jest" && !binDir ? " (skipped: no jest installed here)" : ""}`, () => {
    const flakyDir = mkdtempSync(join(tmpdir(), "incluster-flaky-"));
    try {
      const ctx = { project: join(FIXTURES, name), flakyDir, ...(binDir ? { binDir } : {}) };
      const all = parseReport(name as "node", runLines(adapter, "tests/api/", {}, ctx).report).tests.map((t) => t.id);
      const files = [...new Set(all.map((id) => BY_FILE.by === "file" && BY_FILE.fileOf(id)))] as string[];
      // The orders file heaviest, users next, a file the history has not seen weighs the median (m).
      const weights = { d: { [`tests/api/orders.test.${ext}`]: 5000, [`tests/api/users.test.${ext}`]: 3000 }, m: 1000 };
      const count = files.length + 1;
      const want = lptSplit(files, count, (f) => weights.d[f] ?? weights.m).shards;
      const env = { INCLUSTER_SHARD_WEIGHTS: JSON.stringify(weights) };
      const runs = Array.from({ length: count }, (_, index) => runLines(adapter, "tests/api/", { sharded: true }, { ...ctx, env, shard: { index, count } }));
      const got = runs.map((r) => parseReport(name as "node", r.report));
      console.log(`[file-shards] ${name}: ${runs.map((r) => /shard \d+ of \d+: .*/.exec(r.log)?.[0]).join(" | ")}`);
      expect(got.map((g) => g.problem)).toEqual(runs.map(() => undefined));
      expect(got.map((g) => [...new Set(g.tests.map((t) => BY_FILE.by === "file" && BY_FILE.fileOf(t.id)))].sort())).toEqual(want.map((s) => [...s].sort()));
      expect(got.flatMap((g) => g.tests.map((t) => t.id)).sort()).toEqual([...all].sort());
      expect(runs.at(-1)!.log).toContain(`shard ${count - 1} of ${count}: 0 of ${files.length} files`);
      const own = runLines(adapter, "tests/api/", { sharded: true }, { ...ctx, shard: { index: 0, count: 2 } });
      expect(own.log).toMatch(/--(test-)?shard=1\/2/);
      expect(own.log).not.toContain("by their median times");
    } finally {
      rmSync(flakyDir, { recursive: true, force: true });
    }
  }, 120_000);
});
