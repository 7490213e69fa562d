// Log streaming over node:https with the kubeconfig's credentials. The client's own Log helper
// pipes the response without surfacing a broken connection, and "no line lost" needs exactly
// that signal to resume from the last timestamp.
import * as http from "node:http";
import * as https from "node:https";
import type { KubeConfig } from "@kubernetes/client-node";
import type { KubeError, LogHandlers, LogRequest, WatchHandle } from "./port.js";

export function openLogStream(kc: KubeConfig, req: LogRequest, handlers: LogHandlers): WatchHandle {
  let stopped = false;
  let closed = false;
  let request: http.ClientRequest | undefined;
  const close = (err?: KubeError) => {
    if (closed) return;
    closed = true;
    if (!stopped) handlers.onClose(err);
  };
  const server = kc.getCurrentCluster()?.server;
  if (!server) {
    queueMicrotask(() => close({ message: "no current cluster in kubeconfig", unreachable: true }));
    return { stop: () => (stopped = true) };
  }
  const url = new URL(`${server}/api/v1/namespaces/${encodeURIComponent(req.namespace)}/pods/${encodeURIComponent(req.pod)}/log`);
  url.searchParams.set("container", req.container);
  url.searchParams.set("timestamps", "true");
  url.searchParams.set("follow", String(req.follow));
  if (req.sinceTime) url.searchParams.set("sinceTime", req.sinceTime);

  const opts: https.RequestOptions = { method: "GET", headers: {} };
  kc.applyToHTTPSOptions(opts)
    .then(() => {
      if (stopped) return;
      const mod = url.protocol === "http:" ? http : https;
      request = mod.request(url, opts, (res) => {
        if (res.statusCode !== 200) {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (body += d));
          res.on("end", () => {
            let message = body;
            try {
              message = (JSON.parse(body) as { message?: string }).message ?? body;
            } catch {
              /* not JSON: keep the text */
            }
            close({ status: res.statusCode ?? 0, message });
          });
          res.on("error", (e) => close({ message: e.message }));
          return;
        }
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          if (!stopped) handlers.onData(d);
        });
        res.on("end", () => close());
        res.on("aborted", () => close({ message: "log stream aborted" }));
        res.on("error", (e) => close({ message: e.message }));
      });
      request.on("error", (e: NodeJS.ErrnoException) => close({ message: e.message, unreachable: e.code === "ECONNREFUSED" }));
      request.end();
    })
    .catch((e: unknown) => close({ message: e instanceof Error ? e.message : String(e) }));

  return {
    stop() {
      stopped = true;
      request?.destroy();
    },
  };
}
