// The suites read from the guide's files → one incluster.yaml: what every suite shares goes to
// the top level and defaults, what differs stays with its suite. Pure.
import { stringify } from "yaml";
import { formatDuration } from "../config/duration.js";
import type { EnvRef } from "../config/resolve.js";
import { API_VERSION, DEFAULT_BASE_IMAGE, KIND } from "../config/schema.js";
import type { ImportedSuite, Unmapped } from "./types.js";

type Plain = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The value every suite has (all equal and set), else undefined. */
function shared<T>(suites: readonly ImportedSuite[], get: (s: ImportedSuite) => T | undefined): T | undefined {
  const first = suites[0] ? get(suites[0]) : undefined;
  return first !== undefined && suites.every((s) => same(get(s), first)) ? first : undefined;
}

/** A top-level value incluster.yaml holds once: the first suite's; a suite that differs is listed. */
function single<T>(
  suites: readonly ImportedSuite[],
  get: (s: ImportedSuite) => T | undefined,
  field: string,
  unmapped: Unmapped[],
  fileOf: (s: ImportedSuite) => string,
): T | undefined {
  const first = suites.map(get).find((v) => v !== undefined);
  for (const s of suites) {
    const v = get(s);
    if (v !== undefined && !same(v, first)) {
      unmapped.push({
        file: fileOf(s),
        line: 1,
        value: `${field}: ${String(v)}`,
        why: `incluster.yaml has one ${field} for all suites; kept ${String(first)}`,
      });
    }
  }
  return first;
}

export interface Assembled {
  text: string;
  unmapped: Unmapped[];
}

export function assembleConfig(suites: readonly ImportedSuite[], fileOf: (s: ImportedSuite) => string, header: readonly string[]): Assembled {
  const unmapped: Unmapped[] = suites.flatMap((s) => s.unmapped);
  const namespace = single(suites, (s) => s.namespace, "namespace", unmapped, fileOf);
  const registry = single(suites, (s) => s.registry, "image.registry", unmapped, fileOf);
  const base = suites.map((s) => s.base).find((b) => b !== undefined);
  const url = single(suites, (s) => s.gitUrl, "source.git.url", unmapped, fileOf);
  const ref = single(suites, (s) => s.gitRef, "source.git.ref", unmapped, fileOf);
  const cloneImage = single(suites, (s) => s.cloneImage, "source.git.image", unmapped, fileOf);

  const install = shared(suites, (s) => s.install);
  const resources = shared(suites, (s) => s.resources);
  const ttl = shared(suites, (s) => s.ttlSecondsAfterFinished);
  const timeout = shared(suites, (s) => s.timeoutSeconds);
  const access = shared(suites, (s) => s.kubernetesAccess);
  // An env entry goes to defaults when every suite has it with the same value, in the first suite's order.
  const envOf = (s: ImportedSuite) => new Map(s.env.map(([k, v]) => [k, JSON.stringify(v)]));
  const maps = suites.map(envOf);
  const commonEnv = (suites[0]?.env ?? []).filter(([k, v]) => maps.every((m) => m.get(k) === JSON.stringify(v)));
  const commonKeys = new Set(commonEnv.map(([k]) => k));

  const defaults: Plain = {
    ...(install !== undefined ? { install } : {}),
    ...(resources ? { resources } : {}),
    ...(commonEnv.length ? { env: envObject(commonEnv) } : {}),
    ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}),
    ...(timeout !== undefined ? { timeout: formatDuration(timeout) } : {}),
    ...(access !== undefined ? { kubernetesAccess: access } : {}),
  };
  const suitesOut: Plain = {};
  for (const s of suites) {
    const env = s.env.filter(([k]) => !commonKeys.has(k));
    suitesOut[s.name] = {
      test: s.test ?? "",
      ...(install === undefined && s.install !== undefined ? { install: s.install } : {}),
      ...(resources === undefined && s.resources ? { resources: s.resources } : {}),
      ...(env.length ? { env: envObject(env) } : {}),
      ...(ttl === undefined && s.ttlSecondsAfterFinished !== undefined ? { ttlSecondsAfterFinished: s.ttlSecondsAfterFinished } : {}),
      ...(timeout === undefined && s.timeoutSeconds !== undefined ? { timeout: formatDuration(s.timeoutSeconds) } : {}),
      ...(access === undefined && s.kubernetesAccess !== undefined ? { kubernetesAccess: s.kubernetesAccess } : {}),
      ...(s.dockerfile && registry ? { build: { dockerfile: s.dockerfile, context: "." } } : {}),
    };
  }
  const config: Plain = {
    apiVersion: API_VERSION,
    kind: KIND,
    ...(namespace ? { namespace } : {}),
    ...(registry ? { image: { registry, base: base ?? DEFAULT_BASE_IMAGE } } : {}),
    source: { git: { url: url ?? "", ref: ref ?? "main", ...(cloneImage ? { image: cloneImage } : {}) } },
    ...(Object.keys(defaults).length ? { defaults } : {}),
    suites: suitesOut,
  };
  const text = header.map((l) => `# ${l}\n`).join("") + stringify(config, { lineWidth: 0 });
  return { text, unmapped };
}

function envObject(entries: readonly [string, string | EnvRef][]): Record<string, string | EnvRef> {
  return Object.fromEntries(entries);
}
