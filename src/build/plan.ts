// What one suite's build reads and what it is tagged: the Dockerfile (the suite's own or the
// generated one), the context, the target platform, and the content-hash reference. Pure given
// the two readers.
import { dirname, relative, resolve } from "node:path";
import type { ResolvedSuite } from "../config/resolve.js";
import { contentTag, type ContextFile } from "./content-hash.js";
import { generatedDockerfile, generatedNeedsContext } from "./dockerfile.js";

export interface BuildPlan {
  suite: string;
  /** <repository>:<content hash> */
  ref: string;
  tag: string;
  /** os/arch the image is built for; part of the tag. */
  platform: string;
  /** Absolute path of the user's Dockerfile; absent for a generated one (written to a temp dir). */
  dockerfilePath?: string;
  /** image.base, for a generated Dockerfile: what the user changes when its FROM cannot be pulled. */
  baseImage?: string;
  dockerfileText: string;
  /** Absolute context folder; absent: an empty folder (a generated Dockerfile that copies nothing). */
  contextDir?: string;
  files: number;
  contextBytes: number;
}

export interface PlanReaders {
  readText(path: string): string;
  contextFiles(dir: string): ContextFile[];
}

export function planBuild(suite: ResolvedSuite, configDir: string, read: PlanReaders, platform: string): BuildPlan {
  const b = suite.build;
  if (!b) throw new Error(`suite ${suite.name} is not built`);
  let dockerfilePath: string | undefined;
  let dockerfileText: string;
  let contextDir: string | undefined;
  if (b.dockerfile) {
    dockerfilePath = resolve(configDir, b.dockerfile);
    dockerfileText = read.readText(dockerfilePath);
    contextDir = resolve(configDir, b.context ?? dirname(b.dockerfile));
  } else {
    dockerfileText = generatedDockerfile(suite, b.baseImage);
    if (b.context || generatedNeedsContext(suite)) contextDir = resolve(configDir, b.context ?? ".");
  }
  const files = contextDir ? read.contextFiles(contextDir) : [];
  // The Dockerfile may live inside the context; it is hashed as text either way.
  const inside = dockerfilePath && contextDir ? relative(contextDir, dockerfilePath).split("\\").join("/") : undefined;
  const hashed = inside ? files.filter((f) => f.path !== inside) : files;
  const tag = contentTag(dockerfileText, hashed, platform);
  return {
    suite: suite.name,
    ref: `${b.repository}:${tag}`,
    tag,
    platform,
    ...(dockerfilePath ? { dockerfilePath } : { baseImage: b.baseImage }),
    dockerfileText,
    ...(contextDir ? { contextDir } : {}),
    files: files.length,
    contextBytes: files.reduce((n, f) => n + f.size, 0),
  };
}

/** The suite as the Job runs it once its image is built: the exact tag, cached on the node. */
export function withBuiltImage(suite: ResolvedSuite, ref: string): ResolvedSuite {
  return { ...suite, image: ref, imagePullPolicy: "IfNotPresent" };
}
