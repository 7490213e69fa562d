// Does the registry already have this tag? `HEAD /v2/<name>/manifests/<tag>` with plain fetch.
// "unknown" (auth required, unreachable) means: build and push, and let the engine decide.
import { MANIFEST_ACCEPT, manifestUrl, parseImageRef } from "./image-ref.js";

export type TagPresence = { state: "present" } | { state: "absent" } | { state: "unknown"; why: string };

export async function tagPresence(ref: string, insecure: boolean, timeoutMs = 10_000): Promise<TagPresence> {
  const url = manifestUrl(parseImageRef(ref), insecure);
  try {
    const res = await fetch(url, { method: "HEAD", headers: { Accept: MANIFEST_ACCEPT }, signal: AbortSignal.timeout(timeoutMs) });
    if (res.status === 200) return { state: "present" };
    if (res.status === 404) return { state: "absent" };
    return { state: "unknown", why: `HEAD ${url} answered HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    return { state: "unknown", why: `HEAD ${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}` };
  }
}
