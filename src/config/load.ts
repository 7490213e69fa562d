// The config stage's only I/O: find incluster.yaml (walk up from cwd, or -c / INCLUSTER_CONFIG),
// read it, parse it, apply flag and environment overrides.
import { closeSync, existsSync, fstatSync, lstatSync, openSync, readSync, readlinkSync, statSync, constants } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { humanBytes } from "../bytes.js";
import { UsageError } from "../errors.js";
import { decodeConfig } from "./decode.js";
import { applyOverrides, resolveOverrides } from "./overrides.js";
import { parseConfig, type ConfigCheck } from "./parse.js";
import type { Config } from "./schema.js";

export const CONFIG_FILE = "incluster.yaml";

export interface LoadOptions {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** -c/--config */
  configFlag?: string | undefined;
  /** -n/--namespace */
  namespaceFlag?: string | undefined;
  /** A command's --timeout, if it has one. */
  timeoutFlag?: string | undefined;
  /** Further checks of a valid config (the podTemplate patch, in render/). */
  check?: ConfigCheck | undefined;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the file read. */
  path: string;
}

/**
 * incluster.yaml in dir or the nearest parent, like git finds .git. A broken symbolic link there
 * is the user's config gone missing, not a reason to look further up: it is named.
 */
export function findConfigFile(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, CONFIG_FILE);
    const entry = lstatSync(candidate, { throwIfNoEntry: false });
    if (entry?.isSymbolicLink() && !existsSync(candidate)) throw brokenLink(candidate, "found from the current directory upwards");
    if (entry) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** A symbolic link whose target is missing (or loops), with where it points. */
function brokenLink(path: string, from: string): UsageError {
  const target = readlinkSync(path);
  return new UsageError(`config file ${path} (${from}) is a broken symbolic link to ${target}`, [
    `${path}: points to ${resolve(dirname(path), target)}, which does not exist; restore it, or replace the link with the file (or pass -c/--config <file>)`,
  ]);
}

/** Where the config comes from, by precedence: -c, INCLUSTER_CONFIG, walking up from cwd. */
export function locateConfig(o: Pick<LoadOptions, "cwd" | "env" | "configFlag">): string {
  if (o.configFlag === "") {
    throw new UsageError("-c/--config is empty", [
      "-c/--config: give the path of an incluster.yaml, or leave the flag out to find one from the current directory upwards",
    ]);
  }
  const explicit = o.configFlag
    ? { path: o.configFlag, from: "-c/--config" }
    : o.env.INCLUSTER_CONFIG
      ? { path: o.env.INCLUSTER_CONFIG, from: "INCLUSTER_CONFIG" }
      : undefined;
  if (explicit) {
    const path = resolve(o.cwd, explicit.path);
    if (!existsSync(path) && lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink()) throw brokenLink(path, `from ${explicit.from}`);
    if (!existsSync(path)) {
      throw new UsageError(`config file ${path} (from ${explicit.from}) does not exist`, [
        `${explicit.from}: point it at an existing incluster.yaml, or run "incluster init" to write one`,
      ]);
    }
    if (statSync(path).isDirectory()) {
      throw new UsageError(`config file ${path} (from ${explicit.from}) is a directory`, [
        `${explicit.from}: point it at the file, e.g. ${join(explicit.path, CONFIG_FILE)}`,
      ]);
    }
    return path;
  }
  const found = findConfigFile(o.cwd);
  if (!found) {
    throw new UsageError(`no ${CONFIG_FILE} in ${resolve(o.cwd)} or any parent directory`, [
      `run "incluster init" in your repository to write one, or pass -c/--config <file> (or set INCLUSTER_CONFIG)`,
    ], { code: "CONFIG_NOT_FOUND" });
  }
  return found;
}

export function loadConfig(o: LoadOptions): LoadedConfig {
  const path = locateConfig(o);
  const overrides = resolveOverrides({ namespaceFlag: o.namespaceFlag, timeoutFlag: o.timeoutFlag, env: o.env });
  const config = parseConfig(readConfigFile(path), path, o.check);
  return { config: applyOverrides(config, overrides), path };
}

/**
 * A config bigger than this is not a config: 20,000 suites take about 1 MiB. The cap also bounds
 * the time to report every problem of a generated file: the YAML parse costs about 1 s per MiB
 * of small nodes here, so a 10 MB file of bad suites took 11-26 s (bench/bad-config.mjs).
 */
export const CONFIG_MAX_BYTES = 2 * 1024 * 1024;

/**
 * The file's text (UTF-8). Only a regular file is read: a FIFO would block forever and a
 * directory fails with EISDIR, so both are named instead.
 */
export function readConfigFile(path: string): string {
  const kind = fileKind(path);
  if (kind !== "file") {
    throw new UsageError(`config file ${path} is ${kind}`, [`${path}: point -c/--config (or INCLUSTER_CONFIG) at a regular file, or rename what is there`]);
  }
  // O_NONBLOCK: should the file become a FIFO between the check and the open, the read fails instead of hanging.
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const size = fstatSync(fd).size;
    if (size > CONFIG_MAX_BYTES) {
      throw new UsageError(`config file ${path} is ${humanBytes(size)} (${size} bytes)`, [
        `${path}: incluster reads a config of at most ${humanBytes(CONFIG_MAX_BYTES)} (about 40,000 suites); ` +
          "is -c/--config (or INCLUSTER_CONFIG) pointing at the right file? Split a generated config into several, one per run",
      ]);
    }
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return decodeConfig(buf.subarray(0, read), path);
  } finally {
    closeSync(fd);
  }
}

function fileKind(path: string): "file" | "a directory" | "a FIFO (named pipe)" | "a socket" | "a device" | "missing" {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return "missing";
  if (st.isFile()) return "file";
  if (st.isDirectory()) return "a directory";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  return "a device";
}
