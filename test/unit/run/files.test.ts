// The report folder's saved logs: the pod's own copy replaces what was streamed from it, and the
// lines of another pod of the same folder (one the Job replaced after an eviction) are kept.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { reportFiles } from "../../../src/run/files.js";

const dir = mkdtempSync(join(tmpdir(), "incluster-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function scratchWithCopy(files: ReturnType<typeof reportFiles>, key: string, copy: string): string {
  const scratch = files.scratchDir(key);
  writeFileSync(join(scratch, "test-runner.log"), copy);
  return scratch;
}

describe("reportFiles: the pod's log copy", () => {
  it("replaces the streamed lines of its own pod", async () => {
    const files = reportFiles(join(dir, "a"), (p) => p);
    files.appendLog("s", "test-runner", "one", "p1");
    const r = await files.adoptCollected("s", "test-runner", scratchWithCopy(files, "s", "one\ntwo (rotated away before it was read)\n"), "p1", 2);
    await files.close();
    expect(readFileSync(join(dir, "a/s/test-runner.log"), "utf8")).toBe("one\ntwo (rotated away before it was read)\n");
    expect(r).toMatchObject({ streamedLines: 1, copyLines: 2 });
  });

  it("keeps an evicted pod's streamed lines ahead of the replacement pod's copy", async () => {
    const files = reportFiles(join(dir, "b"), (p) => p);
    mkdirSync(join(dir, "b"), { recursive: true });
    for (const l of ["evicted 1", "evicted 2\r with a carriage return", "evicted 3"]) files.appendLog("s", "test-runner", l, "p1");
    for (const l of ["new 1", "new 2"]) files.appendLog("s", "test-runner", l, "p2");
    const r = await files.adoptCollected("s", "test-runner", scratchWithCopy(files, "s", "new 1\nnew 2\nnew 3\n"), "p2", 3);
    files.appendLog("s", "clone-repo", "cloned", "p2");
    await files.close();
    expect(readFileSync(join(dir, "b/s/test-runner.log"), "utf8")).toBe("evicted 1\nevicted 2\r with a carriage return\nevicted 3\nnew 1\nnew 2\nnew 3\n");
    expect(r).toMatchObject({ streamedLines: 5, copyLines: 3 });
  });

  it("keeps the streamed lines when the copy did not come whole (no line count)", async () => {
    const files = reportFiles(join(dir, "c"), (p) => p);
    for (const l of ["one", "two"]) files.appendLog("s", "test-runner", l, "p1");
    const r = await files.adoptCollected("s", "test-runner", scratchWithCopy(files, "s", "one\ntw"), "p1");
    await files.close();
    expect(readFileSync(join(dir, "c/s/test-runner.log"), "utf8")).toBe("one\ntwo\n");
    expect(r).toEqual({ streamedLines: 2 });
  });
});
