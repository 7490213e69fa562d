// A watch over the shared transport: newline-delimited JSON events until the server ends the
// stream. A watch-level ERROR (410 Gone) closes it with the Status' code, as a KubeError.
import { toKubeError } from "./errors.js";
import type { KubeError, WatchHandle } from "./port.js";
import type { Transport } from "./transport.js";

export interface RawWatchHandlers {
  onEvent(type: string, obj: unknown): void;
  onClose(err: KubeError | undefined): void;
}

export function openWatch(transport: Transport, path: string, query: Record<string, string>, handlers: RawWatchHandlers): WatchHandle {
  let stopped = false;
  let closed = false;
  let cancel: (() => void) | undefined;
  const close = (err?: KubeError) => {
    if (closed) return;
    closed = true;
    cancel?.();
    if (!stopped) handlers.onClose(err);
  };
  const qs = new URLSearchParams({ ...query, watch: "true" }).toString();
  transport
    .stream(`${path}?${qs}`, { accept: "application/json" })
    .then((r) => {
      cancel = r.cancel;
      if (stopped) return r.cancel();
      r.body.setEncoding("utf8");
      let buf = "";
      if (r.status !== 200) {
        r.body.on("data", (d: string) => (buf += d));
        r.body.on("error", (e: Error) => close(toKubeError(e)));
        r.body.on("end", () => close(toKubeError({ statusCode: r.status, body: buf })));
        return;
      }
      r.body.on("data", (d: string) => {
        buf += d;
        let nl: number;
        while (!closed && (nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (!line.trim()) continue;
          let ev: { type?: string; object?: { code?: number; reason?: string; message?: string } };
          try {
            ev = JSON.parse(line) as typeof ev;
          } catch {
            return close({ message: `watch ${path}: unreadable event` });
          }
          if (ev.type === "ERROR") return close(toKubeError({ statusCode: ev.object?.code, body: ev.object }));
          if (!stopped) handlers.onEvent(ev.type ?? "", ev.object);
        }
      });
      r.body.on("error", (e: Error) => close(toKubeError(e)));
      r.body.on("end", () => close());
      r.body.on("close", () => close());
    })
    .catch((e: unknown) => close(toKubeError(e)));
  return {
    stop() {
      stopped = true;
      cancel?.();
    },
  };
}
