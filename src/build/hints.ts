// What to do when an engine's build fails: the user's own Dockerfile is theirs to fix; a generated
// one is not, so the hint names what they can change (image.base, image.insecure, the registry).
import type { EngineName } from "../config/schema.js";
import { buildHonoursInsecure } from "./engine.js";
import { parseImageRef } from "./image-ref.js";
import type { BuildPlan } from "./plan.js";

export function buildFailureHint(engine: EngineName, plan: BuildPlan, insecure: boolean): string {
  const rerun = `rerun \`incluster build ${plan.suite}\`; ${engine}'s full output is above`;
  const http = plainHttpHint(engine, insecure);
  if (plan.dockerfilePath) return `fix ${plan.dockerfilePath}${http ? ` (${http}, if its FROM is on a registry without TLS)` : ""} and ${rerun}`;
  const base = plan.baseImage ?? "image.base";
  const { host } = parseImageRef(base);
  return (
    `incluster generated this Dockerfile from image.base (${base}): check that image.base names an image that exists on ${host} ` +
    `and that ${host} is reachable from here${http ? `; ${http} for a registry without TLS` : ""}; then ${rerun}`
  );
}

/** What a plain-HTTP registry needs for this engine's build, or "" when it already has it. */
function plainHttpHint(engine: EngineName, insecure: boolean): string {
  if (buildHonoursInsecure(engine)) return insecure ? "" : "set image.insecure: true";
  // docker and nerdctl build take no flag for it: image.insecure covers only the check and the push.
  const where = engine === "docker" ? "insecure-registries in /etc/docker/daemon.json" : 'http = true under [registry."<host>"] in buildkitd.toml';
  return `set image.insecure: true and add the registry to ${where} (${engine} build has no flag for it)`;
}
