import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { isCommitId, pickCommit } from "../../../src/source/git-ref.js";
import { OVERLAY_LIMIT_BYTES, overlayTooBig, planOverlay } from "../../../src/source/overlay-plan.js";
import { tar } from "../../../src/source/tar.js";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

describe("pickCommit (git ls-remote output)", () => {
  const out = `${A}\tHEAD\n${A}\trefs/heads/main\n${B}\trefs/tags/v1\n${C}\trefs/tags/v1^{}\n${B}\trefs/tags/main\n`;
  it("a branch wins over a tag of the same name", () => expect(pickCommit(out, "main")).toBe(A));
  it("an annotated tag is peeled to its commit", () => expect(pickCommit(out, "v1")).toBe(C));
  it("full ref names and HEAD", () => {
    expect(pickCommit(out, "refs/tags/main")).toBe(B);
    expect(pickCommit(out, "HEAD")).toBe(A);
  });
  it("a ref that does not exist: undefined (no fallback to another branch)", () => {
    expect(pickCommit(out, "no-such-branch")).toBeUndefined();
    expect(pickCommit("", "main")).toBeUndefined();
  });
  it("a 40-hex ref is a commit already", () => {
    expect(isCommitId(A)).toBe(true);
    expect(isCommitId("main")).toBe(false);
  });
});

describe("planOverlay", () => {
  it("writes modified, added and untracked files; lists deletions", () => {
    const diff = ["M", "tests/e2e/test_a.py", "A", "new staged.py", "D", "old.py", "T", "link"].join("\0") + "\0";
    const untracked = ["tests/e2e/test_new.py", "notes/x y.md"].join("\0") + "\0";
    expect(planOverlay(diff, untracked)).toEqual({
      write: ["link", "new staged.py", "notes/x y.md", "tests/e2e/test_a.py", "tests/e2e/test_new.py"],
      deleted: ["old.py"],
    });
  });
  it("a clean tree: nothing", () => expect(planOverlay("", "")).toEqual({ write: [], deleted: [] }));
  it("leaves out incluster's own untracked run reports", () => {
    expect(planOverlay("", [".incluster/runs/abc/s/test-runner.log", "sub/.incluster/runs/x/result.json", "tests/.incluster_x.py"].join("\0")).write).toEqual(["tests/.incluster_x.py"]);
  });
});

describe("overlayTooBig", () => {
  it("names the size, the limit and the biggest files", () => {
    const msg = overlayTooBig(3 * 1024 * 1024, OVERLAY_LIMIT_BYTES, [
      { path: "small.py", size: 10 },
      { path: "data/big.bin", size: 5 * 1024 * 1024 },
      { path: "model.pt", size: 2048 },
    ]);
    expect(msg).toBe(
      "the local overlay is 3.0 MiB compressed; the limit is 960.0 KiB (it travels in a ConfigMap, at most 1 MiB). Biggest files: data/big.bin (5.0 MiB), model.pt (2.0 KiB), small.py (10 B)",
    );
  });
});

describe("tar", () => {
  it("is extracted by the system tar: contents, executable bit, symlinks, long paths", () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-tar-"));
    const long = `${"deep/".repeat(30)}file.py`;
    const archive = tar([
      { path: "tests/e2e/test_x.py", content: Buffer.from("def test_x():\n    assert 1\n"), executable: false, mtime: 1_700_000_000 },
      { path: "run.sh", content: Buffer.from("#!/bin/sh\n"), executable: true, mtime: 1_700_000_000 },
      { path: "link", content: Buffer.alloc(0), executable: false, linkTarget: "run.sh", mtime: 1_700_000_000 },
      { path: long, content: Buffer.from("x = 1\n"), executable: false, mtime: 1_700_000_000 },
    ]);
    writeFileSync(join(dir, "o.tar.gz"), gzipSync(archive));
    execFileSync("tar", ["-xzf", "o.tar.gz"], { cwd: dir });
    expect(readFileSync(join(dir, "tests/e2e/test_x.py"), "utf8")).toContain("assert 1");
    expect(statSync(join(dir, "run.sh")).mode & 0o111).not.toBe(0);
    expect(statSync(join(dir, "tests/e2e/test_x.py")).mode & 0o111).toBe(0);
    expect(readlinkSync(join(dir, "link"))).toBe("run.sh");
    expect(readFileSync(join(dir, long), "utf8")).toBe("x = 1\n");
  });
});
