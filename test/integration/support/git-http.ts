// A git smart-HTTP server with Basic authentication, for proving private-repository clones:
// Node's http server in front of `git http-backend` (CGI), listening on the node's bridge
// address so pods reach it. Test support only.
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface GitHttp {
  url(repo: string): string;
  close(): Promise<void>;
  /** Requests refused for lack of (or wrong) credentials. */
  refused: number;
}

export async function startGitHttp(root: string, host: string, user: string, token: string): Promise<GitHttp> {
  const expected = `Basic ${Buffer.from(`${user}:${token}`).toString("base64")}`;
  const state = { refused: 0 };
  const server = createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      state.refused++;
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="incluster-test"' });
      res.end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://git");
    const child = spawn("git", ["http-backend"], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: decodeURIComponent(url.pathname),
        REQUEST_METHOD: req.method ?? "GET",
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_USER: user,
        REMOTE_ADDR: req.socket.remoteAddress ?? "",
      },
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let started = false;
    child.stdout.on("data", (d: Buffer) => {
      if (started) {
        res.write(d);
        return;
      }
      head = Buffer.concat([head, d]);
      const crlf = head.indexOf("\r\n\r\n");
      const lf = head.indexOf("\n\n");
      const end = crlf !== -1 ? crlf : lf;
      if (end === -1) return;
      const sep = crlf !== -1 ? 4 : 2;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString().split(/\r?\n/)) {
        const i = line.indexOf(":");
        if (i === -1) continue;
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === "status") status = parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      started = true;
      const rest = head.subarray(end + sep);
      if (rest.length) res.write(rest);
    });
    child.stdout.on("end", () => res.end());
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (repo) => `http://${host}:${port}/${repo}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    get refused() {
      return state.refused;
    },
  };
}
