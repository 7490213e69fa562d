import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { contextFiles } from "../../../src/build/context-files.js";

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "incluster-ctx-"));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, ".."), { recursive: true });
    writeFileSync(join(dir, p), text, { mode: p.endsWith(".sh") ? 0o755 : 0o644 });
  }
  return dir;
}

describe("contextFiles", () => {
  it("lists what the engine would send: .dockerignore applied, re-includes honoured, executable bit and links kept", () => {
    const dir = tree({ ".dockerignore": "node_modules\n*.log\ndocs\n!docs/keep.md\n", "a.py": "a", "run.sh": "#!/bin/sh", "x.log": "l", "node_modules/m/i.js": "m", "docs/keep.md": "k", "docs/drop.md": "d" });
    symlinkSync("a.py", join(dir, "link"));
    const files = contextFiles(dir);
    expect(files.map((f) => f.path).sort()).toEqual([".dockerignore", "a.py", "docs/keep.md", "link", "run.sh"]);
    expect(files.find((f) => f.path === "run.sh")?.executable).toBe(true);
    expect(files.find((f) => f.path === "a.py")?.executable).toBe(false);
    // A symlink is hashed by where it points (engines send the link, not the target).
    expect(files.find((f) => f.path === "link")?.sha256).toBe(createHash("sha256").update("a.py").digest("hex"));
  });
});
