// The collector's side of a copy (COLLECT_COMMAND), run by a real /bin/sh in a temp folder in
// place of the pod's output volume: the tar comes out on stdout, and the marker that lets the
// collector go is left only when our answer on stdin says the copy came whole (issue 23: one
// pods/exec per copy; issue 25: never on tar's word alone).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ARTIFACTS_SUBDIR, COLLECTED_MARKER, COPYING_MARKER, LOG_COPY, OUT_DIR } from "../../../src/names.js";
import { COLLECT_ACK, COLLECT_COMMAND } from "../../../src/run/collect.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function outDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "incluster-collect-"));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function collect(dir: string, stdin: string) {
  const [sh, flag, script] = COLLECT_COMMAND;
  const local = script!.replace(`cd ${OUT_DIR} `, `cd ${dir} `);
  expect(local).not.toBe(script);
  const r = spawnSync(sh!, [flag!, local], { input: stdin });
  return { status: r.status, bytes: r.stdout.length, marked: existsSync(join(dir, COLLECTED_MARKER)), copying: existsSync(join(dir, COPYING_MARKER)) };
}

describe("COLLECT_COMMAND", () => {
  const files = { [LOG_COPY]: "line 1\nline 2\n", [`${ARTIFACTS_SUBDIR}/junit.xml`]: "<testsuites/>" };

  it("sends the tar, then leaves the marker when the answer says the copy came whole", () => {
    const r = collect(outDir(files), `${COLLECT_ACK}\n`);
    expect(r).toMatchObject({ status: 0, marked: true, copying: false });
    expect(r.bytes).toBeGreaterThanOrEqual(3 * 512);
  });

  it("leaves no marker when the answer says it did not, or when stdin closes with no answer", () => {
    expect(collect(outDir(files), "incomplete\n")).toMatchObject({ status: 0, marked: false, copying: false });
    expect(collect(outDir(files), "")).toMatchObject({ status: 0, marked: false, copying: false });
  });

  it("with nothing to copy, marks at once and sends nothing", () => {
    expect(collect(outDir({}), "")).toMatchObject({ status: 0, bytes: 0, marked: true });
  });
});
