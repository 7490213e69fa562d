// src/cli/stdio.ts: until a command needs process.stdout/stderr as streams, text goes to a pipe
// or a file with writeSync, so `--help`, `validate` and `render` load neither node:net nor the
// streams. Spawns the real bin on the bundle `npm test` built: the bytes must be the same on a
// pipe, on a file and through the real stream (a terminal is not available here; it takes the
// stream, as /dev/null does, which the last case stands for).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const BIN = join(import.meta.dirname, "../../../bin/incluster.js");
const CONFIG = join(import.meta.dirname, "../../../bench/trivial.yaml");

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "incluster-stdio-"));
  // Prints, at exit, whether the command loaded node:net (what creating process.stdout for a pipe does).
  writeFileSync(join(dir, "net.cjs"), `process.on("exit", () => require("fs").writeFileSync(${JSON.stringify(join(dir, "net.txt"))}, String(process.moduleLoadList.includes("NativeModule net"))));`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const loadedNet = () => readFileSync(join(dir, "net.txt"), "utf8") === "true";

function viaPipe(args: string[]) {
  const r = spawnSync(process.execPath, ["--require", join(dir, "net.cjs"), BIN, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status, net: loadedNet() };
}

function viaFiles(args: string[]) {
  const out = openSync(join(dir, "out"), "w");
  const err = openSync(join(dir, "err"), "w");
  try {
    const r = spawnSync(process.execPath, ["--require", join(dir, "net.cjs"), BIN, ...args], { stdio: ["ignore", out, err], env: { ...process.env, NO_COLOR: "1" } });
    return { stdout: readFileSync(join(dir, "out"), "utf8"), stderr: readFileSync(join(dir, "err"), "utf8"), status: r.status, net: loadedNet() };
  } finally {
    closeSync(out);
    closeSync(err);
  }
}

describe("the CLI's stdout and stderr", () => {
  it.each([[["--help"]], [["-c", CONFIG, "validate"]], [["-c", CONFIG, "render", "trivial"]]])("%j writes the same bytes to a pipe and to a file without loading node:net", (args) => {
    const pipe = viaPipe(args);
    const file = viaFiles(args);
    expect(pipe.status).toBe(0);
    expect(pipe.stdout.length).toBeGreaterThan(0);
    expect(file).toEqual(pipe);
    expect(pipe.net).toBe(false);
  });

  it("writes a usage error to stderr, exit 2, the same on a pipe and a file", () => {
    const pipe = viaPipe(["--no-such-flag"]);
    expect(pipe.status).toBe(2);
    expect(pipe.stderr).toContain("--no-such-flag");
    expect(viaFiles(["--no-such-flag"])).toEqual(pipe);
  });

  it("hands over to the real stream where the descriptor is not a pipe or a file", () => {
    const r = spawnSync(process.execPath, [BIN, "--help"], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe("");
  });

  it("a reader that has gone (EPIPE) ends no command: its output is dropped, its exit code stands, nothing on stderr", async () => {
    for (const args of [["--help"], ["-c", CONFIG, "render", "trivial"], ["-c", "/nonexistent/incluster.yaml", "validate"]]) {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy(); // the reader is gone before the first write
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
      expect({ args, code, crashed: /EPIPE|Unhandled/.test(stderr) }).toEqual({ args, code: args.includes("validate") ? 2 : 0, crashed: false });
    }
  });
});
