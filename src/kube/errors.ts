// Reduces the client's many error shapes (ApiException with a JSON body string, fetch errors,
// watch Status objects) to one KubeError the orchestrator can decide on, by status and code,
// never by message text; kubeCall and foundUnless404 are the two ways a port method applies it.
import type { KubeError } from "./port.js";

const UNREACHABLE_CODES = new Set([
  ...["ECONNREFUSED", "ENOTFOUND", "EHOSTUNREACH", "ETIMEDOUT", "ECONNRESET", "EAI_AGAIN"],
  ...["CERT_HAS_EXPIRED", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"],
]);

/** The shapes the client and Node throw, as far as the reduction reads them. */
interface Thrown {
  code?: unknown;
  statusCode?: number;
  body?: unknown;
  message?: string;
  errno?: string;
  syscall?: unknown;
  cause?: { code?: unknown; message?: string; syscall?: unknown };
}

interface StatusBody {
  code?: number;
  reason?: string;
  message?: string;
  details?: { kind?: string; name?: string };
}

function parseBody(body: unknown): StatusBody | undefined {
  if (typeof body === "string") {
    try {
      return JSON.parse(body) as StatusBody;
    } catch {
      return { message: body };
    }
  }
  if (body && typeof body === "object") return body as StatusBody;
  return undefined;
}

/** A value toKubeError made: a plain object with a message (never an Error, no client body or code). */
export function isKubeError(err: unknown): err is KubeError {
  return (
    err !== null &&
    typeof err === "object" &&
    !(err instanceof Error) &&
    typeof (err as { message?: unknown }).message === "string" &&
    !("body" in err) &&
    !("code" in err)
  );
}

export function toKubeError(err: unknown): KubeError {
  if (isKubeError(err)) return err; // already reduced
  const e = err as Thrown;
  // The error's own code, else its cause's: HTTP/2 cancels the streams of a session that could
  // not connect (ERR_HTTP2_STREAM_CANCEL) with the reason (refused, no route, DNS, TLS) as cause.
  const own = typeof e?.code === "string" ? e.code : e?.errno;
  const causeCode = typeof e?.cause?.code === "string" ? e.cause.code : undefined;
  const sysCode = own && UNREACHABLE_CODES.has(own) ? own : causeCode && UNREACHABLE_CODES.has(causeCode) ? causeCode : undefined;
  if (sysCode) {
    const src = sysCode === own ? e : e.cause;
    const message = src?.message ?? e.message ?? "cannot reach the API server";
    // A Node system error (it has a syscall) names its code in its message ("connect
    // ECONNREFUSED 127.0.0.1:6443"); any other carrier gets the code in front.
    return { message: typeof src?.syscall === "string" ? message : `${sysCode}: ${message}`, unreachable: true };
  }
  const status = typeof e?.code === "number" ? e.code : e?.statusCode;
  const body = parseBody(e?.body);
  const message = body?.message ?? e?.message ?? String(err);
  const d = body?.details;
  const details = d && (d.kind || d.name) ? { details: { ...(d.kind ? { kind: d.kind } : {}), ...(d.name ? { name: d.name } : {}) } } : {};
  return { ...(status !== undefined ? { status } : {}), ...(body?.reason ? { reason: body.reason } : {}), message, ...details };
}

/** Runs one API call; whatever it throws is thrown again as a KubeError. */
export async function kubeCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toKubeError(err);
  }
}

/** Runs one call on a named object: true when it succeeds, false when the object is not there (404); else throws a KubeError. */
export async function foundUnless404(fn: () => Promise<unknown>): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    const e = toKubeError(err);
    if (e.status === 404) return false;
    throw e;
  }
}
