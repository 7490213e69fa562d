// Stand-ins for an API server on 127.0.0.1, for the preflight's edge cases (no cluster needed):
// one that accepts connections and never answers (a blackholed or hung server), and a plain-HTTP
// one that answers like a Kubernetes of the given version (a real HTTP receiver, not a mock).
import { createServer as createHttpServer } from "node:http";
import { createServer as createTcpServer } from "node:net";
import type { AddressInfo, Socket } from "node:net";

export interface LocalServer {
  url: string;
  /** Requests received, as "METHOD path". */
  requests: string[];
  close(): Promise<void>;
}

/** Accepts TCP connections and never sends a byte: TLS never completes, no request is answered. */
export async function silentServer(): Promise<LocalServer> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    requests: [],
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Answers /version with gitVersion, every access review with allowed, anything else with an empty object. */
export async function versionServer(gitVersion: string): Promise<LocalServer> {
  const requests: string[] = [];
  const server = createHttpServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.on("end", () => {
      const [major, minor] = gitVersion.replace(/^v/, "").split(".");
      const body = req.url === "/version" ? { major, minor, gitVersion } : req.url?.includes("selfsubjectaccessreviews") ? { status: { allowed: true } } : {};
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** A kubeconfig for `server` (TLS not verified: the stand-ins have no certificate). */
export function kubeconfigFor(server: string): string {
  return `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "${server}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u, namespace: default } }]
current-context: x
`;
}
