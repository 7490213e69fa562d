// One HTTP POST with a deadline, and the one retry: node:http(s) without keep-alive, so a
// finished run holds no socket open; the deadline is a timer of the caller's scope.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { SetTimer } from "../timers.js";

/** Each attempt's deadline, from connect to the end of the response. */
export const NOTIFY_TIMEOUT_MS = 5_000;
/** The pause before the one retry. */
export const NOTIFY_RETRY_DELAY_MS = 1_000;

export type PostOutcome = { ok: true; status: number } | { ok: false; status?: number; code: string };

/** POSTs body once. Never throws; the outcome says what happened without naming the URL. */
export function postOnce(url: URL, body: string, contentType: string, o: { timeoutMs: number; setTimer: SetTimer }): Promise<PostOutcome> {
  return new Promise((resolve) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    const req = send(url, {
      method: "POST",
      agent: false,
      headers: { "content-type": contentType, "content-length": Buffer.byteLength(body), "user-agent": "incluster" },
    });
    let settled = false;
    const finish = (r: PostOutcome) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      req.destroy();
      resolve(r);
    };
    const timer = o.setTimer(() => finish({ ok: false, code: `timed out after ${o.timeoutMs / 1000}s` }), o.timeoutMs);
    req.on("response", (res) => {
      res.resume();
      res.on("end", () =>
        finish(
          res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300
            ? { ok: true, status: res.statusCode }
            : { ok: false, status: res.statusCode ?? 0, code: `HTTP ${res.statusCode ?? "?"}` },
        ),
      );
      res.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, code: err.code ?? "response error" }));
    });
    // Only the error's code: its message may carry the host.
    req.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, code: err.code ?? "request error" }));
    req.end(body);
  });
}

/** A 4xx other than 408/429 will not change on a retry. */
export function worthRetrying(o: PostOutcome): boolean {
  if (o.ok) return false;
  return o.status === undefined || o.status >= 500 || o.status === 408 || o.status === 429;
}

/** postOnce, and once more after a pause when the first failure may be passing. */
export async function postWithRetry(
  url: URL,
  body: string,
  contentType: string,
  o: { timeoutMs: number; retryDelayMs: number; setTimer: SetTimer },
): Promise<{ outcome: PostOutcome; attempts: number }> {
  const first = await postOnce(url, body, contentType, o);
  if (!worthRetrying(first)) return { outcome: first, attempts: 1 };
  await new Promise<void>((resolve) => void o.setTimer(resolve, o.retryDelayMs));
  return { outcome: await postOnce(url, body, contentType, o), attempts: 2 };
}
