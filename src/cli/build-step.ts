// The build stage for the CLI's `build` and `doctor`: the machine's build
// (api/machine-build.ts, the same one run() uses) with stderr for progress and engine output.
import { machineBuild, onPath } from "../api/machine-build.js";
import type { BuildOutcome } from "../build/build-images.js";
import { chooseEngine } from "../build/engine.js";
import { isLoopback, parseImageRef } from "../build/image-ref.js";
import type { PreflightCheck } from "../run/preflight.js";
import type { ResolvedSuite } from "../config/resolve.js";
import type { Config } from "../config/schema.js";
import type { CliContext } from "./context.js";

export interface BuildStepOptions {
  engineFlag?: string | undefined;
  planOnly: boolean;
  /** --platform, or the cluster nodes' os/arch as run finds it; wins over image.platform. */
  platform?: string | undefined;
}

export async function buildStep(
  ctx: CliContext,
  config: Config,
  configDir: string,
  suites: readonly ResolvedSuite[],
  o: BuildStepOptions,
): Promise<BuildOutcome> {
  return machineBuild({
    config,
    configDir,
    suites,
    notes: { info: (t) => ctx.stderr.write(`${t}\n`), engineLine: (l) => ctx.stderr.write(`  | ${l}\n`) },
    env: ctx.env,
    show: (p) => ctx.relative(p),
    engine: o.engineFlag,
    planOnly: o.planOnly,
    platform: o.platform,
  });
}

/** doctor: can this machine build the suites incluster builds (an engine) and reach their registry? */
export async function buildChecks(ctx: CliContext, config: Config, suites: readonly ResolvedSuite[]): Promise<PreflightCheck[]> {
  const built = suites.filter((s) => s.build);
  if (!built.length) return [];
  const r = chooseEngine(undefined, config.image?.engine, (n) => onPath(n, ctx.env));
  const engine: PreflightCheck = r.engine
    ? { name: "image engine", ok: true, detail: `${r.engine} (builds ${built.map((s) => s.name).join(", ")})` }
    : {
        name: "image engine",
        ok: false,
        detail: r.problem ?? "none",
        fix: "install podman (or docker, buildah, nerdctl), or set image.engine",
        class: "config",
      };
  const { host } = parseImageRef(`${built[0]?.build?.repository ?? ""}:x`);
  const insecure = config.image?.insecure ?? isLoopback(host);
  const url = `${insecure ? "http" : "https"}://${host === "docker.io" ? "registry-1.docker.io" : host}/v2/`;
  let registry: PreflightCheck;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    registry = {
      name: `registry ${host} answers`,
      ok: true,
      detail: `GET ${url}: HTTP ${res.status}${res.status === 401 ? " (needs a login; the engine's credentials are used for push)" : ""}`,
    };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    registry = {
      name: `registry ${host} answers`,
      ok: false,
      detail: `GET ${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}`,
      fix: `check image.registry and that ${host} is reachable from here (image.insecure: true for a registry without TLS)`,
      class: "unreachable",
    };
  }
  return [engine, registry];
}
