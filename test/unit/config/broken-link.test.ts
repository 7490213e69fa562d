// incluster.yaml as a dangling symbolic link (issue 19, a hostile input): named as a broken link
// with its path and target (exit 2), not "no incluster.yaml", whether found by walking up or given with -c.
import { mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

function repoWithBrokenLink(): { root: string; sub: string } {
  const root = mkdtempSync(join(tmpdir(), "incluster-link-"));
  const sub = join(root, "tests", "e2e");
  mkdirSync(sub, { recursive: true });
  symlinkSync("config/incluster.yaml", join(root, "incluster.yaml"));
  return { root, sub };
}

describe("incluster.yaml as a broken symbolic link", () => {
  it("found by walking up from a subfolder: exit 2, naming the link and its target", async () => {
    const { root, sub } = repoWithBrokenLink();
    for (const command of [["validate"], ["render", "smoke"], ["run"]]) {
      const r = await runCli(command, { cwd: sub });
      expect(r.code, command.join(" ")).toBe(2);
      expect(r.stderr).toBe(
        `error: config file ${join(root, "incluster.yaml")} (found from the current directory upwards) is a broken symbolic link to config/incluster.yaml\n` +
          `  ${join(root, "incluster.yaml")}: points to ${join(root, "config", "incluster.yaml")}, which does not exist; restore it, or replace the link with the file (or pass -c/--config <file>)\n`,
      );
    }
  });

  it("given with -c: the same", async () => {
    const { root } = repoWithBrokenLink();
    const r = await runCli(["-c", join(root, "incluster.yaml"), "validate"], { cwd: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("(from -c/--config) is a broken symbolic link to config/incluster.yaml");
  });
});
