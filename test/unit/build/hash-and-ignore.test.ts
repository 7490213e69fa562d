import { describe, expect, it } from "vitest";
import { contentTag, type ContextFile } from "../../../src/build/content-hash.js";
import { isIgnored, parseDockerignore } from "../../../src/build/dockerignore.js";

const f = (path: string, sha256 = "a", executable = false): ContextFile => ({ path, sha256, executable, size: 1 });

describe("contentTag", () => {
  const base = contentTag("FROM x\n", [f("a.py"), f("b/c.py", "b")], "linux/amd64");

  it("is a short, stable tag", () => {
    expect(base).toMatch(/^sha-[0-9a-f]{16}$/);
    expect(contentTag("FROM x\n", [f("a.py"), f("b/c.py", "b")], "linux/amd64")).toBe(base);
  });

  it("does not depend on the order files were read in", () => {
    expect(contentTag("FROM x\n", [f("b/c.py", "b"), f("a.py")], "linux/amd64")).toBe(base);
  });

  it("changes with the Dockerfile, a file's content, its name, its executable bit, or one more file", () => {
    const variants = [
      contentTag("FROM y\n", [f("a.py"), f("b/c.py", "b")], "linux/amd64"),
      contentTag("FROM x\n", [f("a.py", "z"), f("b/c.py", "b")], "linux/amd64"),
      contentTag("FROM x\n", [f("a2.py"), f("b/c.py", "b")], "linux/amd64"),
      contentTag("FROM x\n", [f("a.py", "a", true), f("b/c.py", "b")], "linux/amd64"),
      contentTag("FROM x\n", [f("a.py"), f("b/c.py", "b"), f("d")], "linux/amd64"),
    ];
    expect(new Set([base, ...variants]).size).toBe(6);
  });

  it("differs between target platforms (issue 8 item 10) and is stable for the same inputs and platform", () => {
    const amd = contentTag("FROM x\n", [f("a.py")], "linux/amd64");
    expect(contentTag("FROM x\n", [f("a.py")], "linux/arm64")).not.toBe(amd);
    expect(contentTag("FROM x\n", [f("a.py")], "linux/amd64")).toBe(amd);
  });

  it("cannot be fooled by moving bytes between fields", () => {
    expect(contentTag("FROM x\n", [f("ab", "c")], "linux/amd64")).not.toBe(contentTag("FROM x\n", [f("a", "bc")], "linux/amd64"));
  });
});

describe(".dockerignore", () => {
  const rules = parseDockerignore(["# comment", "", ".git", "node_modules/", "*.log", "**/__pycache__", "/build", "docs/**", "!docs/keep.md", "te?t.txt"].join("\n"));
  it.each([
    [".git/config", true],
    ["node_modules/x/y.js", true],
    ["app.log", true],
    ["sub/app.log", false], // * does not cross folders
    ["a/b/__pycache__/m.pyc", true],
    ["__pycache__/m.pyc", true],
    ["build/out", true],
    ["src/build/out", false],
    ["docs/a.md", true],
    ["docs/keep.md", false], // re-included: the last match wins
    ["test.txt", true],
    ["tests/e2e/test_x.py", false],
  ])("%s ignored: %s", (path, want) => expect(isIgnored(path, rules)).toBe(want));
});
