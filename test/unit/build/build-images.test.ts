// The build step's decisions against hand-written fakes: skip when the tag is there, build then
// push when it is not, the engine's own words when it fails.
import { describe, expect, it } from "vitest";
import { buildImages, type BuildDeps } from "../../../src/build/build-images.js";
import { generatedDockerfile } from "../../../src/build/dockerfile.js";
import type { ExecResult } from "../../../src/build/exec.js";
import type { TagPresence } from "../../../src/build/registry.js";
import { parseConfig } from "../../../src/config/parse.js";
import { resolveSuite } from "../../../src/config/resolve.js";
import { CouldNotRunError } from "../../../src/errors.js";
import { expectGolden } from "../support/golden.js";

const YAML = `apiVersion: incluster.dev/v1alpha1
kind: Config
image: { registry: 127.0.0.1:5000/team, base: 127.0.0.1:5000/incluster/python:3.11-pytest }
source: { git: { url: git://h/r.git, ref: main } }
suites:
  gen: { test: tests/e2e }
  own: { command: [npm, test], build: { dockerfile: jobs/own/Dockerfile, context: . } }
  fixed: { test: t, image: x/y:1 }
`;
const config = parseConfig(YAML, "/repo/incluster.yaml");
const suites = ["gen", "own", "fixed"].map((n) => resolveSuite(config, n));

function fakes(presence: TagPresence["state"], results: ExecResult[] = []) {
  const ran: string[][] = [];
  const deps: BuildDeps = {
    readText: (p) => (p === "/repo/jobs/own/Dockerfile" ? "FROM base\nCOPY . /workspace\n" : ""),
    contextFiles: () => [{ path: "jobs/own/Dockerfile", executable: false, sha256: "d", size: 30 }, { path: "a.js", executable: false, sha256: "a", size: 5 }],
    exec: async (argv, onLine) => {
      ran.push([...argv]);
      const r = results.shift() ?? { code: 0, tail: [] };
      for (const l of r.tail) onLine(l);
      return r;
    },
    tagPresence: async () => (presence === "unknown" ? { state: "unknown", why: "HTTP 401" } : { state: presence }),
    tempDockerfile: () => ({ dir: "/tmp/gen", cleanup: () => undefined }),
    engine: () => "podman",
    now: () => 0,
    info: () => undefined,
    engineLine: () => undefined,
  };
  return { deps, ran };
}
const settings = { configDir: "/repo", insecure: undefined, planOnly: false, platform: "linux/amd64" };

describe("buildImages", () => {
  it("skips build and push when the registry has the tag, and the Job gets that exact tag, IfNotPresent", async () => {
    const { deps, ran } = fakes("present");
    const r = await buildImages(deps, suites, settings);
    expect(ran).toEqual([]);
    expect(r.images.map((i) => i.action)).toEqual(["skipped", "skipped"]);
    expect(r.suites[0]?.image).toMatch(/^127\.0\.0\.1:5000\/team\/test-gen-e2e:sha-[0-9a-f]{16}$/);
    expect(r.suites[0]?.imagePullPolicy).toBe("IfNotPresent");
    expect(r.suites[2]).toBe(suites[2]); // an explicit image is left alone
  });

  it("builds then pushes when the tag is missing (or the registry cannot say); insecure push for loopback", async () => {
    for (const state of ["absent", "unknown"] as const) {
      const { deps, ran } = fakes(state);
      const r = await buildImages(deps, [suites[1]!], settings);
      const ref = r.suites[0]?.image ?? "";
      expect(ran).toEqual([
        ["podman", "build", "--platform", "linux/amd64", "--tls-verify=false", "-f", "/repo/jobs/own/Dockerfile", "-t", ref, "/repo"],
        ["podman", "push", "--tls-verify=false", ref],
      ]);
    }
  });

  it("a generated Dockerfile with nothing to copy builds from an empty temp folder", async () => {
    const { deps, ran } = fakes("absent");
    await buildImages(deps, [suites[0]!], settings);
    expect(ran[0]?.slice(5)).toEqual(["-f", "/tmp/gen/Dockerfile", "-t", expect.stringContaining(":sha-"), "/tmp/gen"]);
  });

  it("--no-build computes the tag and runs nothing", async () => {
    const { deps, ran } = fakes("absent");
    const r = await buildImages(deps, suites, { ...settings, planOnly: true });
    expect(ran).toEqual([]);
    expect(r.images.map((i) => i.action)).toEqual(["planned", "planned"]);
  });

  it("a failed build is CouldNotRun with the engine's own last lines, and nothing is pushed", async () => {
    const { deps, ran } = fakes("absent", [{ code: 125, tail: ["STEP 1/2: FROM base", "Error: dockerfile parse error on line 2: unknown instruction: CPY"] }]);
    const err = await buildImages(deps, [suites[1]!], settings).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CouldNotRunError);
    expect((err as CouldNotRunError).code).toBe("BUILD_FAILED");
    expect((err as Error).message).toContain("unknown instruction: CPY");
    expect((err as CouldNotRunError).hint).toContain("jobs/own/Dockerfile");
    expect(ran).toHaveLength(1);
  });

  it("a failed push names the registry in the hint", async () => {
    const { deps } = fakes("absent", [{ code: 0, tail: [] }, { code: 125, tail: ["Error: ... connect: connection refused"] }]);
    const err = (await buildImages(deps, [suites[1]!], settings).catch((e: unknown) => e)) as CouldNotRunError;
    expect(err.code).toBe("PUSH_FAILED");
    expect(err.message).toContain("connection refused");
    expect(err.hint).toContain("127.0.0.1:5000");
  });

  it("the own Dockerfile inside the context is hashed once, as text", async () => {
    const { deps } = fakes("present");
    const a = (await buildImages(deps, [suites[1]!], settings)).suites[0]?.image;
    deps.contextFiles = () => [{ path: "jobs/own/Dockerfile", executable: false, sha256: "changed", size: 30 }, { path: "a.js", executable: false, sha256: "a", size: 5 }];
    expect((await buildImages(deps, [suites[1]!], settings)).suites[0]?.image).toBe(a);
  });
});

describe("target platform (issue 8 item 10)", () => {
  it("the tag and the build follow the platform", async () => {
    const amd = fakes("absent");
    const arm = fakes("absent");
    const a = (await buildImages(amd.deps, [suites[1]!], settings)).suites[0]?.image;
    const b = (await buildImages(arm.deps, [suites[1]!], { ...settings, platform: "linux/arm64" })).suites[0]?.image;
    expect(a).not.toBe(b);
    expect(amd.ran[0]?.slice(2, 4)).toEqual(["--platform", "linux/amd64"]);
    expect(arm.ran[0]?.slice(2, 4)).toEqual(["--platform", "linux/arm64"]);
  });
});

describe("insecure registry (issue 8 item 11)", () => {
  const remote = parseConfig(YAML.replaceAll("127.0.0.1:5000", "registry.lan:5000"), "/repo/incluster.yaml");
  const gen = resolveSuite(remote, "gen");

  it("podman and buildah build with --tls-verify=false when image.insecure is true, so the base can be pulled over plain HTTP", async () => {
    for (const engine of ["podman", "buildah"] as const) {
      const { deps, ran } = fakes("absent");
      deps.engine = () => engine;
      await buildImages(deps, [gen], { ...settings, insecure: true });
      expect(ran[0]?.slice(0, 5)).toEqual([engine, "build", "--platform", "linux/amd64", "--tls-verify=false"]);
      expect(ran[1]).toContain("--tls-verify=false");
    }
  });

  it("a registry that is neither loopback nor image.insecure keeps TLS verification", async () => {
    const { deps, ran } = fakes("absent");
    await buildImages(deps, [gen], settings);
    expect(ran.flat()).not.toContain("--tls-verify=false");
  });

  it("a failed build of a generated Dockerfile names what the user can change, not the Dockerfile", async () => {
    for (const engine of ["podman", "docker"] as const) {
      const { deps } = fakes("absent", [{ code: 125, tail: ["Error: creating build container: pinging container registry registry.lan:5000: http: server gave HTTP response to HTTPS client"] }]);
      deps.engine = () => engine;
      const err = (await buildImages(deps, [gen], settings).catch((e: unknown) => e)) as CouldNotRunError;
      expect(err.code).toBe("BUILD_FAILED");
      expect(err.hint).not.toMatch(/fix (the )?generated Dockerfile/);
      expect(err.hint).toContain("image.base (registry.lan:5000/incluster/python:3.11-pytest)");
      expect(err.hint).toContain("image.insecure: true");
      if (engine === "docker") expect(err.hint).toContain("insecure-registries");
    }
  });
});

describe("same content, one image (issue 8 item 12)", () => {
  const three = parseConfig(
    `apiVersion: incluster.dev/v1alpha1
kind: Config
image: { registry: 127.0.0.1:5000/team, base: 127.0.0.1:5000/incluster/python:3.11-pytest }
source: { git: { url: git://h/r.git, ref: main } }
suites:
  first: { test: tests/e2e/a.py }
  second: { test: tests/e2e/b.py }
  third: { test: tests/e2e/c.py }
`,
    "/repo/incluster.yaml",
  );
  const same = ["first", "second", "third"].map((n) => resolveSuite(three, n));

  it("three suites with identical build inputs: one build, one push, and every Job runs that one ref", async () => {
    const { deps, ran } = fakes("absent");
    const lines: string[] = [];
    deps.info = (t) => lines.push(t);
    const r = await buildImages(deps, same, settings);
    expect(ran.map((argv) => argv[1])).toEqual(["build", "push"]);
    const ref = r.images[0]?.ref ?? "";
    expect(ref).toMatch(/\/test-first-e2e:sha-[0-9a-f]{16}$/);
    expect(r.images.map((i) => [i.suite, i.ref, i.action])).toEqual([
      ["first", ref, "built"],
      ["second", ref, "reused"],
      ["third", ref, "reused"],
    ]);
    expect(r.suites.map((s) => s.image)).toEqual([ref, ref, ref]);
    expect(lines).toContain(`image ${ref}: same content as suite first, reused`);
  });

  it("--no-build names the same shared ref", async () => {
    const { deps } = fakes("absent");
    const r = await buildImages(deps, same, { ...settings, planOnly: true });
    expect(new Set(r.suites.map((s) => s.image)).size).toBe(1);
    expect(r.images.map((i) => i.action)).toEqual(["planned", "reused", "reused"]);
  });

  it("different platforms are different content", async () => {
    const { deps } = fakes("absent");
    const a = await buildImages(deps, same.slice(0, 1), settings);
    const b = await buildImages(deps, same.slice(1, 2), { ...settings, platform: "linux/arm64" });
    expect(a.images[0]?.ref.split(":").pop()).not.toBe(b.images[0]?.ref.split(":").pop());
  });
});

describe("generated Dockerfile", () => {
  it("pytest suite on a git source", () => expectGolden("build/generated-pytest.Dockerfile", generatedDockerfile(suites[0]!, "127.0.0.1:5000/incluster/python:3.11-pytest")));
  it("command suite baking the code in (source: image)", () => {
    const s = { ...suites[1]!, source: { kind: "image" as const } };
    expectGolden("build/generated-command-image-source.Dockerfile", generatedDockerfile(s, "node:22-slim"));
  });
});
