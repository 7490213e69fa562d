import { describe, expect, it } from "vitest";
import { buildArgv, chooseEngine, pushArgv } from "../../../src/build/engine.js";
import { isLoopback, manifestUrl, parseImageRef } from "../../../src/build/image-ref.js";

describe("engine argv (no shell: each value is one argument)", () => {
  it("build is the same shape for all four", () => {
    for (const e of ["podman", "docker", "buildah", "nerdctl"] as const) {
      expect(buildArgv(e, { dockerfile: "/r/jobs/a b/Dockerfile", context: "/r", ref: "reg/x:sha-1", platform: "linux/amd64", insecure: false })).toEqual([
        e,
        "build",
        "--platform",
        "linux/amd64",
        "-f",
        "/r/jobs/a b/Dockerfile",
        "-t",
        "reg/x:sha-1",
        "/r",
      ]);
    }
  });

  it("build from an insecure registry: --tls-verify=false for podman and buildah; docker and nerdctl have no build flag", () => {
    const a = { dockerfile: "/r/Dockerfile", context: "/r", ref: "reg/x:1", platform: "linux/amd64", insecure: true };
    expect(buildArgv("podman", a)).toEqual(["podman", "build", "--platform", "linux/amd64", "--tls-verify=false", "-f", "/r/Dockerfile", "-t", "reg/x:1", "/r"]);
    expect(buildArgv("buildah", a)).toContain("--tls-verify=false");
    expect(buildArgv("docker", a)).not.toContain("--tls-verify=false");
    expect(buildArgv("nerdctl", a)).not.toContain("--tls-verify=false");
  });

  it("push says insecure in each engine's own way; docker leaves it to the daemon", () => {
    expect(pushArgv("podman", "r/x:1", true)).toEqual(["podman", "push", "--tls-verify=false", "r/x:1"]);
    expect(pushArgv("buildah", "r/x:1", false)).toEqual(["buildah", "push", "r/x:1"]);
    expect(pushArgv("nerdctl", "r/x:1", true)).toEqual(["nerdctl", "push", "--insecure-registry", "r/x:1"]);
    expect(pushArgv("docker", "r/x:1", true)).toEqual(["docker", "push", "r/x:1"]);
  });
});

describe("chooseEngine: --engine > image.engine > first on PATH", () => {
  const onPath = (...names: string[]) => (n: string) => names.includes(n);
  it("takes the flag, then the config, then podman, docker, buildah, nerdctl in that order", () => {
    expect(chooseEngine("docker", "podman", onPath("docker", "podman"))).toEqual({ engine: "docker" });
    expect(chooseEngine(undefined, "buildah", onPath("buildah", "podman"))).toEqual({ engine: "buildah" });
    expect(chooseEngine(undefined, undefined, onPath("nerdctl", "docker"))).toEqual({ engine: "docker" });
  });
  it("names what is missing", () => {
    expect(chooseEngine("kaniko", undefined, onPath()).problem).toBe('--engine: expected one of podman, docker, buildah, nerdctl, got "kaniko"');
    expect(chooseEngine(undefined, "podman", onPath("docker")).problem).toBe("podman (from image.engine) is not on PATH");
    expect(chooseEngine(undefined, undefined, onPath()).problem).toMatch(/^no image engine on PATH/);
  });
});

describe("image references and the registry endpoint", () => {
  it.each([
    ["127.0.0.1:5000/incluster/test-a-e2e:sha-1", { host: "127.0.0.1:5000", name: "incluster/test-a-e2e", tag: "sha-1" }],
    ["localhost/x", { host: "localhost", name: "x", tag: "latest" }],
    ["python:3.13-slim", { host: "docker.io", name: "library/python", tag: "3.13-slim" }],
    ["ghcr.io/org/img:v1", { host: "ghcr.io", name: "org/img", tag: "v1" }],
  ])("%s", (ref, want) => expect(parseImageRef(ref)).toEqual(want));

  it("plain HTTP for loopback registries", () => {
    expect(isLoopback("127.0.0.1:5000")).toBe(true);
    expect(isLoopback("localhost")).toBe(true);
    expect(isLoopback("registry.example.com:5000")).toBe(false);
    expect(manifestUrl(parseImageRef("127.0.0.1:5000/a/b:t"), true)).toBe("http://127.0.0.1:5000/v2/a/b/manifests/t");
    expect(manifestUrl(parseImageRef("python:3"), false)).toBe("https://registry-1.docker.io/v2/library/python/manifests/3");
  });
});
