// Image engines: which one, and the argv of build and push. Pure; the commands run through
// execFile-style spawning (no shell), so no path or tag can change what runs.
import type { EngineName } from "../config/schema.js";
import { ENGINES } from "../config/schema.js";

export interface BuildArgs {
  dockerfile: string;
  context: string;
  ref: string;
  /** os/arch the image is built for, e.g. linux/amd64. */
  platform: string;
  /** The registry speaks plain HTTP (image.insecure, else loopback): the same setting as the push. */
  insecure: boolean;
}

export function buildArgv(engine: EngineName, a: BuildArgs): string[] {
  // buildah's `build` is its spelling of `bud` since 1.17; all four take --platform, -f and -t.
  return [engine, "build", "--platform", a.platform, ...(a.insecure ? buildInsecureFlags(engine) : []), "-f", a.dockerfile, "-t", a.ref, a.context];
}

// Pulling the base image from a plain-HTTP registry: podman and buildah say so per command.
// docker and nerdctl (BuildKit) have no such build flag: the daemon's insecure-registries, or
// buildkitd.toml's `[registry."host"] http = true`, decide; buildFailureHint says so.
function buildInsecureFlags(engine: EngineName): string[] {
  return engine === "podman" || engine === "buildah" ? ["--tls-verify=false"] : [];
}

/** Whether buildArgv can tell the engine to pull over plain HTTP. */
export function buildHonoursInsecure(engine: EngineName): boolean {
  return buildInsecureFlags(engine).length > 0;
}

export function pushArgv(engine: EngineName, ref: string, insecure: boolean): string[] {
  switch (engine) {
    case "podman":
    case "buildah":
      return [engine, "push", ...(insecure ? ["--tls-verify=false"] : []), ref];
    case "nerdctl":
      return [engine, "push", ...(insecure ? ["--insecure-registry"] : []), ref];
    case "docker":
      // docker has no per-push flag: an insecure registry is daemon configuration.
      return [engine, "push", ref];
  }
}

/**
 * The engine to use: --engine, else image.engine, else the first of podman, docker, buildah,
 * nerdctl found on PATH. `found` answers whether a program is on PATH.
 */
export function chooseEngine(
  flag: string | undefined,
  configured: EngineName | undefined,
  found: (name: EngineName) => boolean,
): { engine?: EngineName; problem?: string } {
  if (flag !== undefined && !(ENGINES as readonly string[]).includes(flag)) {
    return { problem: `--engine: expected one of ${ENGINES.join(", ")}, got ${JSON.stringify(flag)}` };
  }
  const wanted = (flag as EngineName | undefined) ?? configured;
  if (wanted) return found(wanted) ? { engine: wanted } : { problem: `${wanted} (from ${flag ? "--engine" : "image.engine"}) is not on PATH` };
  const first = ENGINES.find(found);
  return first ? { engine: first } : { problem: `no image engine on PATH: looked for ${ENGINES.join(", ")}` };
}
