// init keeps .incluster/ out of git and says so; a mistyped suite name gets "did you mean".
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withReportsIgnored } from "../../../src/cli/gitignore.js";
import { editDistance, nearest } from "../../../src/config/suggest.js";
import { GUIDE_CONFIG_PATH } from "../support/fixtures.js";
import { runCli } from "../support/run-cli.js";

describe("init and .gitignore", () => {
  it("adds .incluster/ to a new or existing .gitignore, once, and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-ignore-"));
    writeFileSync(join(dir, ".gitignore"), "node_modules/");
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`updated: ${join(dir, ".gitignore")} (added .incluster/: run reports stay out of git)`);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe("node_modules/\n# incluster's run reports (logs, result.json)\n.incluster/\n");
    const fresh = mkdtempSync(join(tmpdir(), "incluster-ignore-"));
    expect((await runCli(["init"], { cwd: fresh })).stdout).toContain("created: " + join(fresh, ".gitignore"));
  });

  it("leaves a .gitignore that already ignores it", () => {
    for (const line of [".incluster", ".incluster/", "/.incluster/", ".incluster/**"]) expect(withReportsIgnored(`a\n${line}\n`)).toBeUndefined();
  });
});

describe("did you mean", () => {
  it("nearest name within a third of its length; transpositions count once", () => {
    expect(editDistance("orchestrater", "orchestrator")).toBe(1);
    expect(editDistance("sevrices", "services")).toBe(1);
    expect(nearest("vllm-agent-tool", ["vllm-agent-tools", "full-architecture-deliberation"])).toBe("vllm-agent-tools");
    expect(nearest("zzz", ["services"])).toBeUndefined();
  });

  it("an unknown suite name gets the nearest known one", async () => {
    const r = await runCli(["render", "vllm-agnet-tools", "-c", GUIDE_CONFIG_PATH], { cwd: tmpdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown suite "vllm-agnet-tools"; did you mean "vllm-agent-tools"?');
    expect(r.stderr).toContain("known suites: vllm-agent-tools, full-architecture-deliberation");
  });
});
