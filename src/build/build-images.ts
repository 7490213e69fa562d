// The build step's one orchestrator: for each suite incluster builds, plan (hash the inputs and
// the platform), ask the registry for the tag, and only when it is missing build and push with
// the engine. Suites with the same content share the first one's image. Used by `incluster build`
// and by `run` before any cluster contact.
import type { ResolvedSuite } from "../config/resolve.js";
import type { EngineName } from "../config/schema.js";
import { CouldNotRunError } from "../errors.js";
import type { CouldNotRunCode } from "../errors.js";
import { buildArgv, pushArgv } from "./engine.js";
import type { ExecResult } from "./exec.js";
import { buildFailureHint } from "./hints.js";
import { isLoopback, parseImageRef } from "./image-ref.js";
import { planBuild, withBuiltImage, type BuildPlan, type PlanReaders } from "./plan.js";
import type { TagPresence } from "./registry.js";

export interface BuildDeps extends PlanReaders {
  exec(argv: readonly string[], onLine: (line: string) => void): Promise<ExecResult>;
  tagPresence(ref: string, insecure: boolean): Promise<TagPresence>;
  /** A fresh temp folder holding `Dockerfile` with this text; removed by cleanup(). */
  tempDockerfile(text: string): { dir: string; cleanup(): void };
  /** Resolves the engine on first need: nothing is looked up when every tag is present. */
  engine(): EngineName;
  now(): number;
  info(text: string): void;
  engineLine(line: string): void;
}

export interface BuildSettings {
  configDir: string;
  /** image.insecure from the config; undefined: plain HTTP for loopback registries only. */
  insecure: boolean | undefined;
  /** --no-build: compute the tag, build nothing, ask nothing. */
  planOnly: boolean;
  /** os/arch to build for (linux/amd64): part of the tag and passed to the engine. */
  platform: string;
}

export interface BuiltImage {
  suite: string;
  ref: string;
  /** reused: same content as an earlier suite of this call, whose ref this suite runs. */
  action: "skipped" | "built" | "planned" | "reused";
  /** For "reused": the suite whose image it is. */
  reusedFrom?: string;
  checkMs: number;
  buildMs?: number;
  pushMs?: number;
}

export interface BuildOutcome {
  suites: ResolvedSuite[];
  images: BuiltImage[];
}

export async function buildImages(deps: BuildDeps, suites: readonly ResolvedSuite[], s: BuildSettings): Promise<BuildOutcome> {
  const images: BuiltImage[] = [];
  // Content tag (inputs and platform) -> the first image with it. The repository is per suite,
  // so without this identical suites would be built and pushed once each under their own names.
  const byContent = new Map<string, BuiltImage>();
  const out: ResolvedSuite[] = [];
  for (const suite of suites) {
    if (!suite.build) {
      out.push(suite);
      continue;
    }
    const plan = planBuild(suite, s.configDir, deps, s.platform);
    const first = byContent.get(plan.tag);
    if (first) {
      out.push(withBuiltImage(suite, first.ref));
      if (first.suite === suite.name) images.push({ ...first });
      else {
        deps.info(`image ${first.ref}: same content as suite ${first.suite}, reused`);
        images.push({ suite: suite.name, ref: first.ref, action: "reused", reusedFrom: first.suite, checkMs: 0 });
      }
      continue;
    }
    out.push(withBuiltImage(suite, plan.ref));
    const img = s.planOnly ? { suite: suite.name, ref: plan.ref, action: "planned" as const, checkMs: 0 } : await buildOne(deps, plan, s);
    byContent.set(plan.tag, img);
    images.push(img);
  }
  return { suites: out, images };
}

async function buildOne(deps: BuildDeps, plan: BuildPlan, s: BuildSettings): Promise<BuiltImage> {
  const { host } = parseImageRef(plan.ref);
  const insecure = s.insecure ?? isLoopback(host);
  const t0 = deps.now();
  const presence = await deps.tagPresence(plan.ref, insecure);
  const checkMs = deps.now() - t0;
  if (presence.state === "present") {
    deps.info(`image ${plan.ref}: already in the registry, build and push skipped (checked in ${checkMs} ms)`);
    return { suite: plan.suite, ref: plan.ref, action: "skipped", checkMs };
  }
  if (presence.state === "unknown") deps.info(`image ${plan.ref}: could not ask the registry (${presence.why}); building and pushing`);
  const engine = deps.engine();
  const where = plan.dockerfilePath ?? "generated Dockerfile";
  deps.info(`image ${plan.ref}: building with ${engine} from ${where} (${plan.files} context file(s)) for ${plan.platform}`);
  const temp = plan.dockerfilePath ? undefined : deps.tempDockerfile(plan.dockerfileText);
  const t1 = deps.now();
  try {
    const dockerfile = plan.dockerfilePath ?? `${temp?.dir}/Dockerfile`;
    const context = plan.contextDir ?? temp?.dir ?? ".";
    // The base image may live on the same plain-HTTP registry the push goes to.
    const argv = buildArgv(engine, { dockerfile, context, ref: plan.ref, platform: plan.platform, insecure });
    await step(deps, argv, "BUILD_FAILED", `${engine} build of ${plan.ref} failed`, buildFailureHint(engine, plan, insecure));
  } finally {
    temp?.cleanup();
  }
  const buildMs = deps.now() - t1;
  const t2 = deps.now();
  await step(
    deps,
    pushArgv(engine, plan.ref, insecure),
    "PUSH_FAILED",
    `${engine} push of ${plan.ref} failed`,
    `check that ${host} is reachable from here and that you are logged in (\`${engine} login ${host}\`); a registry without TLS needs image.insecure: true`,
  );
  const pushMs = deps.now() - t2;
  deps.info(`image ${plan.ref}: built in ${(buildMs / 1000).toFixed(1)} s, pushed in ${(pushMs / 1000).toFixed(1)} s`);
  return { suite: plan.suite, ref: plan.ref, action: "built", checkMs, buildMs, pushMs };
}

async function step(deps: BuildDeps, argv: string[], code: CouldNotRunCode, what: string, hint: string): Promise<void> {
  const r = await deps.exec(argv, deps.engineLine);
  if (r.spawnError) {
    throw new CouldNotRunError(
      "ENGINE_NOT_STARTED",
      `${what}: could not start ${argv[0]}: ${r.spawnError}`,
      "install the engine or pick another with --engine / image.engine",
    );
  }
  if (r.code !== 0) {
    // The engine's own last words: the parse error, the connection refused.
    const words = r.tail.filter((l) => l.trim()).slice(-8).join("\n");
    throw new CouldNotRunError(code, `${what} (exit ${r.code ?? "signal"}):\n${words}`, hint);
  }
}
