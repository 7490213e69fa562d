#!/usr/bin/env node
// Entry point for `incluster` and `kubectl-incluster` (CommonJS: bin/package.json). Runs
// dist/cli.cjs (npm run build), compiled from V8's code cache when V8 accepts it: compiling the
// CLI was a third of `validate`'s start-up (scripts/bundle.mjs, docs/performance.md). Node's own
// module.enableCompileCache() (22+) was measured against this and is slower for validate and
// render: it caches the code as compiled, where this cache is made at the exit of a run and so
// holds the functions a command runs. The cache built with the package is used when this Node's
// V8 and flags match the build's; otherwise a cache of this machine's own is kept in the user's
// cache directory (like Python's __pycache__). INCLUSTER_CODE_CACHE=0 turns both off.
"use strict";
const { closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } = require("node:fs");
const { createRequire } = require("node:module");
const { dirname, join } = require("node:path");
const { Script, constants } = require("node:vm");

const file = join(__dirname, "..", "dist", "cli.cjs");
// ASCII by construction (scripts/bundle.mjs checks): latin1 makes the one-byte string V8 wants.
const source = readFileSync(file, "latin1");
const enabled = process.env.INCLUSTER_CODE_CACHE !== "0";
// npm run build trains the shipped cache through this variable (scripts/bundle.mjs).
const training = process.env.INCLUSTER_BUILD_CODE_CACHE;

// Its own cache first when there is one: it exists only where V8 rejected the shipped one before.
// (A second compile of the same source in one process would come from V8's in-memory cache, so
// the choice is made once, before compiling.)
const own = enabled && !training ? ownCachePath() : undefined;
const cachedData = (own && readOwn(own)) ?? (enabled && !training ? readOrUndefined(`${file}.cache`) : undefined);
const script = compile(cachedData);
const target = training ?? (own && (cachedData === undefined || script.cachedDataRejected) ? own : undefined);
// Written at exit, after the command ran: V8 then includes the functions it compiled on the way.
if (target) process.once("exit", () => writeCache(target, script.createCachedData(), training ? 0o644 : 0o600));

const module_ = { exports: {} };
script.runInThisContext()(module_.exports, createRequire(file), module_, file, join(__dirname, "..", "dist"));
module_.exports.main(process.argv.slice(2));

function compile(cachedData) {
  return new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
    importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
}

function readOrUndefined(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The user's own cache, only if the user owns it and nobody else may write it: a code cache is
 * code, and V8 checks only that it fits the source, not who made it.
 */
function readOwn(path) {
  let fd;
  try {
    fd = openSync(path, "r");
    const st = fstatSync(fd);
    if ((process.getuid && st.uid !== process.getuid()) || st.mode & 0o022) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** One file per V8 version, V8 flags and CLI build, in the user's own cache directory. */
function ownCachePath() {
  // HOME first, as os.homedir() does on POSIX: loading node:os only for this was ~0.3 ms a start.
  const home = process.env.HOME || require("node:os").homedir();
  const base = process.env.XDG_CACHE_HOME || (home && join(home, ".cache"));
  if (!base) return undefined;
  const key = [process.versions.v8, process.execArgv.join(" "), process.env.NODE_OPTIONS ?? "", source.length, file].join("\0");
  let h = 0x811c9dc5; // FNV-1a: a file name, not a security boundary (V8 checks the cache itself)
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0;
  return join(base, "incluster", "code-cache", `cli-${h.toString(16)}.v8cache`);
}

/** Best effort: a cache that cannot be written only makes the next start slower. */
function writeCache(path, data, mode) {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, data, { mode });
    renameSync(tmp, path);
  } catch {
    // read-only home, full disk: start from source next time too
  }
}
