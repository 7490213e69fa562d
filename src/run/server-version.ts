// Whether the API server is new enough for the Job we render (src/names.ts MIN_KUBERNETES). Pure.
import { MIN_KUBERNETES, MIN_KUBERNETES_TEXT } from "../names.js";

/** "v1.29.3", "v1.28.15-eks-f69f56f", "v1.30.0+k3s1" → major and minor; undefined when unreadable. */
export function parseServerVersion(gitVersion: string): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)(?:[.+-]|$)/.exec(gitVersion.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

export type VersionVerdict = { state: "supported" } | { state: "tooOld"; needed: string } | { state: "unknown" };

export { MIN_KUBERNETES_TEXT };

/** The decision on a server's gitVersion: supported, too old, or unreadable (then the run goes on). */
export function serverVersionVerdict(gitVersion: string, min: { major: number; minor: number } = MIN_KUBERNETES): VersionVerdict {
  const v = parseServerVersion(gitVersion);
  if (!v) return { state: "unknown" };
  const old = v.major < min.major || (v.major === min.major && v.minor < min.minor);
  return old ? { state: "tooOld", needed: min === MIN_KUBERNETES ? MIN_KUBERNETES_TEXT : `${min.major}.${min.minor}` } : { state: "supported" };
}
