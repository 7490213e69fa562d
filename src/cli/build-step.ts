// Wires the build stage to the real machine: the engine on PATH, the registry over HTTP, temp
// folders, and stderr for progress and the engine's streamed output. Shared by build and run.
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { buildImages, type BuildOutcome } from "../build/build-images.js";
import { contextFiles } from "../build/context-files.js";
import { chooseEngine } from "../build/engine.js";
import { execStreaming } from "../build/exec.js";
import { isLoopback, parseImageRef } from "../build/image-ref.js";
import { choosePlatform, platformProblem } from "../build/platform.js";
import { tagPresence } from "../build/registry.js";
import type { PreflightCheck } from "../run/preflight.js";
import type { ResolvedSuite } from "../config/resolve.js";
import type { Config, EngineName } from "../config/schema.js";
import { CouldNotRunError, UsageError } from "../errors.js";
import type { CliContext } from "./context.js";

/** Is the program on PATH (and executable)? */
export function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

/** Checks --engine before anything runs (a typo is a usage error, exit 2). */
export function checkEngineFlag(flag: string | undefined): void {
  const r = chooseEngine(flag, undefined, () => true);
  if (r.problem) throw new UsageError(r.problem);
}

/** Checks --platform before anything runs: os/arch like linux/amd64, else a usage error (exit 2). */
export function checkPlatformFlag(flag: string | undefined): void {
  const problem = flag === undefined ? undefined : platformProblem("--platform", flag);
  if (problem) throw new UsageError(problem);
}

/** The platform images are built for: the option > image.platform > linux/<this machine's arch>. */
export function buildPlatform(config: Config, option: string | undefined): string {
  return choosePlatform(option, config.image?.platform, process.arch);
}

export interface BuildStepOptions {
  engineFlag?: string | undefined;
  planOnly: boolean;
  /** --platform, or the cluster nodes' os/arch as run finds it; wins over image.platform. */
  platform?: string | undefined;
}

export async function buildStep(ctx: CliContext, config: Config, configDir: string, suites: readonly ResolvedSuite[], o: BuildStepOptions): Promise<BuildOutcome> {
  let engine: EngineName | undefined;
  return buildImages(
    {
      readText: (p) => {
        try {
          return readFileSync(p, "utf8");
        } catch (err) {
          throw new CouldNotRunError("DOCKERFILE_UNREADABLE", `cannot read ${ctx.relative(p)}: ${(err as Error).message}`, "check suites.<suite>.build.dockerfile (relative to the folder of incluster.yaml)");
        }
      },
      contextFiles,
      exec: (argv, onLine) => execStreaming(argv, onLine),
      tagPresence,
      tempDockerfile(text) {
        const dir = mkdtempSync(join(tmpdir(), "incluster-build-"));
        writeFileSync(join(dir, "Dockerfile"), text);
        return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
      },
      engine() {
        if (engine) return engine;
        const r = chooseEngine(o.engineFlag, config.image?.engine, (n) => onPath(n, ctx.env));
        if (!r.engine) throw new CouldNotRunError("NO_ENGINE", `cannot build: ${r.problem ?? "no engine"}`, "install podman (or docker, buildah, nerdctl), pass --engine, or run with --no-build if the image is already pushed");
        engine = r.engine;
        return engine;
      },
      now: () => Date.now(),
      info: (t) => ctx.stderr.write(`${t}\n`),
      engineLine: (l) => ctx.stderr.write(`  | ${l}\n`),
    },
    suites,
    { configDir, insecure: config.image?.insecure, planOnly: o.planOnly, platform: buildPlatform(config, o.platform) },
  );
}

/** doctor: can this machine build the suites incluster builds (an engine) and reach their registry? */
export async function buildChecks(ctx: CliContext, config: Config, suites: readonly ResolvedSuite[]): Promise<PreflightCheck[]> {
  const built = suites.filter((s) => s.build);
  if (!built.length) return [];
  const r = chooseEngine(undefined, config.image?.engine, (n) => onPath(n, ctx.env));
  const engine: PreflightCheck = r.engine
    ? { name: "image engine", ok: true, detail: `${r.engine} (builds ${built.map((s) => s.name).join(", ")})` }
    : { name: "image engine", ok: false, detail: r.problem ?? "none", fix: "install podman (or docker, buildah, nerdctl), or set image.engine", class: "config" };
  const { host } = parseImageRef(`${built[0]?.build?.repository ?? ""}:x`);
  const insecure = config.image?.insecure ?? isLoopback(host);
  const url = `${insecure ? "http" : "https"}://${host === "docker.io" ? "registry-1.docker.io" : host}/v2/`;
  let registry: PreflightCheck;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    registry = { name: `registry ${host} answers`, ok: true, detail: `GET ${url}: HTTP ${res.status}${res.status === 401 ? " (needs a login; the engine's credentials are used for push)" : ""}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    registry = { name: `registry ${host} answers`, ok: false, detail: `GET ${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}`, fix: `check image.registry and that ${host} is reachable from here (image.insecure: true for a registry without TLS)`, class: "unreachable" };
  }
  return [engine, registry];
}
