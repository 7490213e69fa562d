// doctor's checks beyond run's preflight: the source mode as run resolves it, the clone and base
// images in their registries, the Services that env hosts name, and the suites' images under the
// content tags run would use (not :latest).
import { readFileSync } from "node:fs";
import { contextFiles } from "../build/context-files.js";
import { isLoopback, parseImageRef } from "../build/image-ref.js";
import { planBuild, withBuiltImage } from "../build/plan.js";
import { tagPresence } from "../build/registry.js";
import type { ResolvedSuite } from "../config/resolve.js";
import type { Config } from "../config/schema.js";
import { dnsSuspects } from "../diagnose/dns.js";
import { CouldNotRunError } from "../errors.js";
import type { ClusterPort } from "../kube/port.js";
import { uncheckedCheck } from "../run/preflight.js";
import type { PreflightCheck } from "../run/preflight.js";
import { paint } from "../report/human.js";
import type { Style } from "../report/human.js";
import { resolveSources } from "../source/resolve-sources.js";
import { buildPlatform } from "./build-flags.js";

/** The suites with the content-hash tags `run` would build and run. */
export function withRunTags(config: Config, suites: readonly ResolvedSuite[], configDir: string): ResolvedSuite[] {
  return suites.map((s) => {
    if (!s.build) return s;
    try {
      return withBuiltImage(s, planBuild(s, configDir, { readText: (p) => readFileSync(p, "utf8"), contextFiles }, buildPlatform(config, undefined)).ref);
    } catch {
      return s; // the build check reports why it cannot be planned
    }
  });
}

/** The source as run resolves it (git repository, remote reachable, ref or base commit pushed). */
export async function sourceCheck(suites: readonly ResolvedSuite[], configDir: string): Promise<PreflightCheck> {
  const kind = suites[0]?.source.kind ?? "image";
  const name = `source ${kind}`;
  if (kind === "image") return { name, ok: true, detail: "the code is in the image; nothing to clone" };
  const texts: string[] = [];
  try {
    await resolveSources(suites, configDir, { info: (t) => texts.push(t) });
    return { name, ok: true, detail: texts.join("; ").replace(/\s+/g, " ").trim() || "resolved" };
  } catch (err) {
    if (!(err instanceof CouldNotRunError)) throw err;
    return { name, ok: false, detail: err.message.replace(/\n/g, " "), ...(err.hint ? { fix: err.hint } : {}), class: "config" };
  }
}

/** The clone image (nodes pull it) and image.base (the build pulls it) exist in their registries. */
export async function pullChecks(config: Config, suites: readonly ResolvedSuite[]): Promise<PreflightCheck[]> {
  const refs = new Map<string, string>();
  for (const s of suites) if (s.source.kind !== "image") refs.set(s.source.cloneImage, "clone image");
  for (const s of suites) if (s.build && !s.build.dockerfile) refs.set(s.build.baseImage, "base image (image.base)");
  return Promise.all(
    [...refs].map(async ([ref, what]): Promise<PreflightCheck> => {
      const host = parseImageRef(ref).host;
      const p = await tagPresence(ref, config.image?.insecure ?? isLoopback(host), 5000);
      const name = `${what} ${ref} can be pulled`;
      if (p.state === "present") return { name, ok: true, detail: "the registry has it" };
      if (p.state === "unknown") return uncheckedCheck(name, p.why);
      return {
        name,
        ok: false,
        detail: `the registry has no ${ref}`,
        fix: `push it, or set ${what === "clone image" ? "source.git.image / source.local.image" : "image.base"} to an image that exists`,
        class: "config",
      };
    }),
  );
}

/** Every env host that names a Service of the namespace exists as one. */
export async function serviceChecks(port: ClusterPort, namespace: string, suites: readonly ResolvedSuite[]): Promise<PreflightCheck[]> {
  let services: string[];
  try {
    services = await port.listServices(namespace);
  } catch (err) {
    return [uncheckedCheck("Services named in env", (err as { message?: string }).message ?? String(err))];
  }
  const checks: PreflightCheck[] = [];
  for (const s of suites) {
    for (const x of dnsSuspects(s.env, namespace, services)) {
      checks.push({
        name: `suites.${s.name}.env.${x.env}: Service ${x.service} exists`,
        ok: false,
        detail: `${x.host} is not a Service in ${namespace}`,
        fix: x.suggestion ? `did you mean ${x.host.replace(x.service, x.suggestion)}?` : `create the Service or fix the host`,
        class: "config",
      });
    }
  }
  return checks.length
    ? checks
    : [{ name: "Services named in env", ok: true, detail: `every env host in ${namespace} is an existing Service (${services.length} Services)` }];
}

/** One check as doctor prints it: ok, FAIL with its fix, or ? when it could not be made (never ok). */
export function checkLine(style: Style, c: PreflightCheck): string {
  if (c.unchecked) return `${paint(style, "yellow", "?   ")} ${c.name}: ${c.detail}`;
  if (c.ok) return `${paint(style, "green", "ok  ")} ${c.name}: ${c.detail}`;
  if (c.optional) return `${paint(style, "yellow", "warn")} ${c.name}: ${c.detail}${c.fix ? `\n       fix: ${c.fix}` : ""}`;
  return `${paint(style, "red", "FAIL")} ${c.name}: ${c.detail}${c.fix ? `\n       fix: ${c.fix}` : ""}`;
}

/** The checks that fail a doctor (exit 3): not the optional ones. */
export function requiredFailures(checks: readonly PreflightCheck[]): number {
  return checks.filter((c) => !c.ok && !c.optional).length;
}

/** doctor's last line: how many checks failed and how many could not be made. */
export function checksSummary(checks: readonly PreflightCheck[]): string {
  const failed = requiredFailures(checks);
  const unchecked = checks.filter((c) => c.unchecked).length;
  // An optional check (the run history's ConfigMaps) that fails is a warning: run goes on without it.
  const optional = checks.filter((c) => !c.ok && c.optional).length;
  const notChecked = `${unchecked ? `, ${unchecked} could not be checked` : ""}${optional ? `, ${optional} optional not met` : ""}`;
  if (failed) return `${failed} of ${checks.length} checks failed${notChecked}`;
  if (!unchecked && !optional) return `all ${checks.length} checks passed`;
  return `${checks.length - unchecked - optional} of ${checks.length} checks passed${notChecked}`;
}
