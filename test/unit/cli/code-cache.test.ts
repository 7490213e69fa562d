// bin/incluster.js starts dist/cli.cjs from V8's code cache (scripts/bundle.mjs builds both): the
// shipped cache when V8 takes it, else one of its own under XDG_CACHE_HOME. Spawns the real bin
// on the bundle `npm test` built. Another V8 flag (--stack-size) stands for another Node build:
// V8 rejects a cache made under other flags, as it rejects one from another V8 version.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import pkg from "../../../package.json" with { type: "json" };

const BIN = join(import.meta.dirname, "../../../bin/incluster.js");
const OTHER_V8_FLAGS = ["--stack-size=1000"];

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "incluster-code-cache-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function start(nodeFlags: string[] = [], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [...nodeFlags, BIN, "--version"], { encoding: "utf8", env: { ...process.env, XDG_CACHE_HOME: home, ...env } });
  expect(r.stderr).toBe("");
  expect(r.stdout.trim()).toBe(pkg.version);
  expect(r.status).toBe(0);
}

const ownDir = () => join(home, "incluster", "code-cache");
const ownCaches = () => (existsSync(ownDir()) ? readdirSync(ownDir()).map((f) => join(ownDir(), f)) : []);

describe("bin/incluster.js and the code cache", () => {
  it("takes the shipped cache on the Node that built it and writes nothing", () => {
    start();
    expect(existsSync(join(home, "incluster"))).toBe(false);
  });

  it("keeps a cache of its own, private to the user, when V8 rejects the shipped one, and then uses it", () => {
    start(OTHER_V8_FLAGS);
    const [own, ...more] = ownCaches();
    expect(more).toEqual([]);
    expect(own).toMatch(/\/incluster\/code-cache\/cli-[0-9a-f]+\.v8cache$/);
    expect(statSync(own!).mode & 0o777).toBe(0o600);
    expect(statSync(ownDir()).mode & 0o777).toBe(0o700);
    const first = readFileSync(own!);
    const { mtimeMs } = statSync(own!);
    start(OTHER_V8_FLAGS);
    expect(ownCaches()).toEqual([own]);
    expect(statSync(own!).mtimeMs).toBe(mtimeMs); // taken, not rewritten
    expect(readFileSync(own!).equals(first)).toBe(true);
  });

  it("starts from source when its own cache is garbage, and replaces it", () => {
    start(OTHER_V8_FLAGS);
    const [own] = ownCaches();
    writeFileSync(own!, "not a code cache");
    start(OTHER_V8_FLAGS);
    expect(readFileSync(own!, "utf8")).not.toBe("not a code cache");
    expect(statSync(own!).size).toBeGreaterThan(100_000);
  });

  it("ignores its own cache when others may write it (a code cache is code) and writes a private one", () => {
    start(OTHER_V8_FLAGS);
    const [own] = ownCaches();
    const planted = readFileSync(own!);
    chmodSync(own!, 0o666);
    start(OTHER_V8_FLAGS);
    expect(statSync(own!).mode & 0o777).toBe(0o600); // replaced (rename over it), not used
    expect(statSync(own!).size).toBeGreaterThan(100_000);
    expect(planted.length).toBeGreaterThan(100_000);
  });

  it("starts when its cache cannot be written (the cache directory is a file)", () => {
    const file = join(home, "not-a-dir");
    writeFileSync(file, "");
    start(OTHER_V8_FLAGS, { XDG_CACHE_HOME: file });
  });

  it("INCLUSTER_CODE_CACHE=0 reads and writes no cache", () => {
    start(OTHER_V8_FLAGS, { INCLUSTER_CODE_CACHE: "0" });
    expect(ownCaches()).toEqual([]);
  });
});
