// The build stage wired to this machine: the engine on PATH, the registry over HTTP, temp
// folders. Shared by the library's run() and the CLI's `build` command (through cli/build-step).
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { buildImages } from "../build/build-images.js";
import type { BuildOutcome } from "../build/build-images.js";
import { contextFiles } from "../build/context-files.js";
import { chooseEngine } from "../build/engine.js";
import { execStreaming } from "../build/exec.js";
import { choosePlatform } from "../build/platform.js";
import { tagPresence } from "../build/registry.js";
import type { ResolvedSuite } from "../config/resolve.js";
import type { Config, EngineName } from "../config/schema.js";
import { CouldNotRunError } from "../errors.js";
import type { ClusterPort } from "../kube/port.js";
import type { StageNotes } from "../run/orchestrator.js";

export { platformProblem } from "../build/platform.js";

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

export interface MachineBuild {
  config: Config;
  configDir: string;
  suites: readonly ResolvedSuite[];
  notes: StageNotes;
  /** Where the engine is looked for (PATH) and the environment it runs in. */
  env: NodeJS.ProcessEnv;
  /** Paths as shown to the user. */
  show(abs: string): string;
  engine?: string | undefined;
  planOnly: boolean;
  /** --platform; else image.platform; else the cluster's nodes (when `port` is given and all share one); else this machine. */
  platform?: string | undefined;
  port?: ClusterPort;
}

/** The platform the cluster's nodes run, when they all run one; undefined when unknown or mixed. */
async function clusterPlatform(port: ClusterPort | undefined, notes: StageNotes): Promise<string | undefined> {
  if (!port) return undefined;
  const platforms = await port.nodePlatforms().catch(() => [] as string[]);
  const distinct = [...new Set(platforms)];
  if (distinct.length === 1) return distinct[0];
  if (distinct.length > 1) {
    notes.info(`the cluster's nodes run ${distinct.join(", ")}: building for image.platform or this machine; set image.platform to choose`);
  }
  return undefined;
}

export async function machineBuild(b: MachineBuild): Promise<BuildOutcome> {
  let engine: EngineName | undefined;
  const fromCluster = b.platform ?? b.config.image?.platform ? undefined : await clusterPlatform(b.port, b.notes);
  const platform = choosePlatform(b.platform ?? fromCluster, b.config.image?.platform, process.arch);
  return buildImages(
    {
      readText: (p) => {
        try {
          return readFileSync(p, "utf8");
        } catch (err) {
          throw new CouldNotRunError(
            "DOCKERFILE_UNREADABLE",
            `cannot read ${b.show(p)}: ${(err as Error).message}`,
            "check suites.<suite>.build.dockerfile (relative to the folder of incluster.yaml)",
          );
        }
      },
      contextFiles,
      exec: (argv, onLine) => execStreaming(argv, onLine, undefined, b.env),
      tagPresence,
      tempDockerfile(text) {
        const dir = mkdtempSync(join(tmpdir(), "incluster-build-"));
        writeFileSync(join(dir, "Dockerfile"), text);
        return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
      },
      engine() {
        if (engine) return engine;
        const r = chooseEngine(b.engine, b.config.image?.engine, (n) => onPath(n, b.env));
        if (!r.engine) {
          throw new CouldNotRunError(
            "NO_ENGINE",
            `cannot build: ${r.problem ?? "no engine"}`,
            "install podman (or docker, buildah, nerdctl), pass --engine, or run with --no-build if the image is already pushed",
          );
        }
        engine = r.engine;
        return engine;
      },
      now: () => Date.now(),
      info: b.notes.info,
      engineLine: b.notes.engineLine,
    },
    b.suites,
    { configDir: b.configDir, insecure: b.config.image?.insecure, planOnly: b.planOnly, platform },
  );
}
