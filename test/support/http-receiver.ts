// A real HTTP receiver on 127.0.0.1 for notification tests: it records every request, and
// answers 200, answers 500, or never answers at all.
import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ReceiverMode = "ok" | "error500" | "silent";

export interface Received {
  at: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function startReceiver(mode: ReceiverMode, path = "/hook/T000/B000/secret-token"): Promise<Receiver> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (d: string) => (body += d));
    req.on("end", () => {
      received.push({ at: Date.now(), method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      if (mode === "ok") res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      if (mode === "error500") res.writeHead(500, { "content-type": "text/plain" }).end("internal error");
      // silent: the request stays open until the client gives up.
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
