// When a unary request is sent again (pure): API Priority and Fairness answers 429, an API
// server shutting down or overloaded 503, both with Retry-After; the request is repeated after
// that delay (capped), or after an exponential one when the server names none.
export const MAX_ATTEMPTS = 5;
const RETRY_AFTER_CAP_S = 30;
const RETRYABLE = new Set([429, 503]);

/** Seconds to wait from a Retry-After header (seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === "") return undefined;
  const secs = /^\d+$/.test(v.trim()) ? Number(v.trim()) : (Date.parse(v) - now) / 1000;
  if (!Number.isFinite(secs)) return undefined;
  return Math.min(Math.max(secs, 0), RETRY_AFTER_CAP_S) * 1000;
}

/**
 * How long to wait before sending attempt `attempt + 1` of a request answered `status`;
 * undefined when the answer is final (not 429/503, or `attempts` made).
 */
export function retryDelayMs(status: number, retryAfter: string | string[] | undefined, attempt: number, attempts: number, now?: number): number | undefined {
  if (!RETRYABLE.has(status) || attempt >= attempts) return undefined;
  return retryAfterMs(retryAfter, now) ?? 250 * 2 ** attempt;
}
