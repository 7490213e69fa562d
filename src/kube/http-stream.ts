// Log streaming over the shared transport. The client's own Log helper pipes the response
// without surfacing a broken connection, and "no line lost" needs exactly that signal to resume
// from the last timestamp.
import { toKubeError } from "./errors.js";
import type { LogHandlers, LogRequest, WatchHandle } from "./port.js";
import type { Transport } from "./transport.js";

export function openLogStream(transport: Transport, req: LogRequest, handlers: LogHandlers): WatchHandle {
  let stopped = false;
  let closed = false;
  let cancel: (() => void) | undefined;
  const close = (err?: { status?: number; message: string; unreachable?: boolean }) => {
    if (closed) return;
    closed = true;
    if (!stopped) handlers.onClose(err);
  };
  const q = new URLSearchParams({ container: req.container, timestamps: "true", follow: String(req.follow) });
  if (req.sinceTime) q.set("sinceTime", req.sinceTime);
  const path = `/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log?${q.toString()}`;
  transport
    .logStream(path)
    .then((r) => {
      cancel = r.cancel;
      if (stopped) return r.cancel();
      r.body.setEncoding("utf8");
      if (r.status !== 200) {
        let body = "";
        r.body.on("data", (d: string) => (body += d));
        r.body.on("end", () => {
          let message = body;
          try {
            message = (JSON.parse(body) as { message?: string }).message ?? body;
          } catch {
            /* not JSON: keep the text */
          }
          close({ status: r.status, message });
        });
        r.body.on("error", (e: Error) => close({ message: e.message }));
        return;
      }
      r.body.on("data", (d: string) => {
        if (!stopped) handlers.onData(d);
      });
      r.body.on("end", () => close());
      r.body.on("aborted", () => close({ message: "log stream aborted" }));
      r.body.on("error", (e: Error) => close({ message: e.message }));
      r.body.on("close", () => close(r.body.readableEnded ? undefined : { message: "log stream closed" }));
    })
    .catch((e: unknown) => close(toKubeError(e)));

  return {
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
