// Issue 8 item 10: the target platform is part of the content tag and of the build, chosen by
// option > image.platform > this machine's architecture.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { choosePlatform, hostPlatform } from "../../../src/build/platform.js";
import { parseConfig } from "../../../src/config/parse.js";
import { UsageError } from "../../../src/errors.js";
import { runCli } from "../support/run-cli.js";

describe("which platform", () => {
  it("maps Node's process.arch to the OCI architecture", () => {
    expect(hostPlatform("x64")).toBe("linux/amd64");
    expect(hostPlatform("arm64")).toBe("linux/arm64");
    expect(hostPlatform("arm")).toBe("linux/arm");
    expect(hostPlatform("ia32")).toBe("linux/386");
    expect(hostPlatform("ppc64")).toBe("linux/ppc64le");
    expect(hostPlatform("s390x")).toBe("linux/s390x");
    expect(hostPlatform("riscv64")).toBe("linux/riscv64");
  });

  it("option > image.platform > linux/<host arch>", () => {
    expect(choosePlatform("linux/arm64", "linux/s390x", "x64")).toBe("linux/arm64");
    expect(choosePlatform(undefined, "linux/s390x", "x64")).toBe("linux/s390x");
    expect(choosePlatform(undefined, undefined, "arm64")).toBe("linux/arm64");
  });
});

const YAML = (platform: string) => `apiVersion: incluster.dev/v1alpha1
kind: Config
image: { registry: 127.0.0.1:5000/team${platform ? `, platform: ${platform}` : ""} }
source: { git: { url: git://h/r.git, ref: main } }
suites:
  smoke: { test: tests/e2e }
`;

describe("image.platform and --platform", () => {
  it("image.platform is validated, naming the field", () => {
    expect(parseConfig(YAML("linux/arm64"), "/r/incluster.yaml").image?.platform).toBe("linux/arm64");
    const err = (() => {
      try {
        parseConfig(YAML("arm64"), "/r/incluster.yaml");
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).problems.join("\n")).toMatch(/image\.platform: expected a platform like linux\/amd64 or linux\/arm64, got "arm64"/);
  });

  it("incluster build --platform with a malformed value is a usage error naming the flag (exit 2)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "incluster-platform-"));
    writeFileSync(join(dir, "incluster.yaml"), YAML(""));
    const r = await runCli(["build", "--platform", "amd64"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--platform: expected a platform like linux/amd64 or linux/arm64, got "amd64"');
  });

  it("render shows the tag of the configured platform (or of --platform)", async () => {
    const tagOf = async (yaml: string, args: string[] = []) => {
      const dir = mkdtempSync(join(tmpdir(), "incluster-platform-"));
      writeFileSync(join(dir, "incluster.yaml"), yaml);
      const r = await runCli(["render", "smoke", ...args], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      return /image: (\S*test-smoke-e2e\S*)/.exec(r.stdout)?.[1];
    };
    const amd = await tagOf(YAML("linux/amd64"));
    const arm = await tagOf(YAML("linux/arm64"));
    expect(amd).toMatch(/:sha-[0-9a-f]{16}$/);
    expect(arm).not.toBe(amd);
    expect(await tagOf(YAML("linux/amd64"), ["--platform", "linux/arm64"])).toBe(arm);
  });
});
