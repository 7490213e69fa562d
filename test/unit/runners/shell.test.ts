// The adapters' "+ <command>" lines print the command as it runs, through the pod's /bin/sh
// (dash on Debian images, whose echo reads backslashes as escapes: the reason for printLine).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commandLine, echoAndRun, escapeRegExp, printLine, shq } from "../../../src/runners/shell.js";

const sh = (script: string) => spawnSync("/bin/sh", ["-c", script], { encoding: "utf8" });

describe("printLine", () => {
  it.each([
    ["a Go -run pattern", `-run '^${escapeRegExp("TestA.b")}$'`],
    ["backslash escapes dash's echo would act on", String.raw`a\nb\tc\\d\ce \0101`],
    ["quotes, dollars and backticks", `it's "$HOME" \`id\` $(id)`],
    ["a leading dash", "-n -e"],
  ])("prints %s byte for byte", (_, text) => {
    const r = sh(printLine(shq(text)));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${text}\n`);
  });

  it("echoAndRun shows the command it then runs", () => {
    const argv = ["printf", "%s|", String.raw`x\ny`, "it's"];
    const r = sh(echoAndRun(argv).join("\n"));
    expect(r.stdout).toBe(`+ ${commandLine(argv)}\n${String.raw`x\ny`}|it's|`);
  });
});
