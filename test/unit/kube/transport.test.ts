// The transport against a local HTTP server on 127.0.0.1 (the plain-http path: one keep-alive
// pool); the HTTP/2 path is exercised by every integration test on the real cluster.
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { retryAfterMs, retryDelayMs } from "../../../src/kube/retry.js";
import { Transport } from "../../../src/kube/transport.js";

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(handler: http.RequestListener): Promise<{ url: string; sockets: () => number }> {
  let sockets = 0;
  server = http.createServer(handler);
  server.on("connection", () => sockets++);
  await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets: () => sockets };
}

const sleeps: number[] = [];
const transport = (url: string, maxInFlight?: number) =>
  new Transport({ server: url, credentials: async () => ({ tls: {}, headers: { authorization: "Bearer t" } }), sleep: async (ms) => void sleeps.push(ms), ...(maxInFlight ? { maxInFlight } : {}) });

describe("Transport", () => {
  it("reads Retry-After as seconds or a date, capped", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs("soon")).toBeUndefined();
    expect(retryAfterMs(new Date(10_000).toUTCString(), 5_000)).toBe(5000);
    expect(retryAfterMs("3600")).toBe(30_000);
  });

  it("repeats only 429 and 503, until the last attempt, after Retry-After or 250 ms doubling", () => {
    expect(retryDelayMs(429, "2", 1, 5)).toBe(2000);
    expect(retryDelayMs(503, undefined, 1, 5)).toBe(500);
    expect(retryDelayMs(503, "soon", 3, 5)).toBe(2000);
    expect(retryDelayMs(429, "1", 5, 5)).toBeUndefined();
    for (const status of [200, 404, 409, 500, 504]) expect(retryDelayMs(status, "1", 1, 5)).toBeUndefined();
  });

  it("sends every request over one kept-alive connection, with the credentials' headers, and counts them", async () => {
    const seen: string[] = [];
    const s = await serve((req, res) => {
      seen.push(String(req.headers.authorization));
      res.end("{}");
    });
    const t = transport(s.url);
    for (let i = 0; i < 5; i++) expect((await t.unary("GET", `/api/v1/x${i}`)).status).toBe(200);
    expect(s.sockets()).toBe(1);
    expect(seen).toEqual(Array(5).fill("Bearer t"));
    expect(t.stats).toMatchObject({ requests: 5, connections: 1, retries: 0 });
    t.close();
  });

  it("retries 429 and 503 after the server's Retry-After, then returns the answer", async () => {
    sleeps.length = 0;
    let n = 0;
    const s = await serve((_req, res) => {
      n++;
      if (n === 1) return void res.writeHead(429, { "retry-after": "1" }).end("{}");
      if (n === 2) return void res.writeHead(503, { "retry-after": "0" }).end("{}");
      res.end('{"ok":true}');
    });
    const t = transport(s.url);
    const r = await t.unary("POST", "/apis/batch/v1/namespaces/n/jobs", {}, "{}");
    expect(r.status).toBe(200);
    expect(sleeps).toEqual([1000, 0]);
    expect(t.stats.retries).toBe(2);
    t.close();
  });

  it("keeps at most maxInFlight unary requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await serve((_req, res) => {
      peak = Math.max(peak, ++inFlight);
      setImmediate(() => {
        inFlight--;
        res.end("{}");
      });
    });
    const t = transport(s.url, 3);
    await Promise.all(Array.from({ length: 12 }, (_, i) => t.unary("GET", `/x${i}`)));
    expect(peak).toBeLessThanOrEqual(3);
    expect(t.stats.peakInFlight).toBe(3);
    t.close();
  });

  it("reports once when the server stops answering and once when it answers again", async () => {
    const s = await serve((_req, res) => res.end("{}"));
    const port = Number(new URL(s.url).port);
    const t = transport(s.url);
    const changes: string[] = [];
    const off = t.onConnectivity((c) => changes.push(c.reachable ? "reachable" : `unreachable: ${c.error.message}`));
    expect((await t.unary("GET", "/a")).status).toBe(200);
    await new Promise<void>((r) => server?.close(() => r()));
    t.close();
    for (const p of ["/b", "/c"]) await expect(t.unary("GET", p)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    server = http.createServer((_req, res) => res.end("{}"));
    await new Promise<void>((r) => server?.listen(port, "127.0.0.1", r));
    expect((await t.unary("GET", "/d")).status).toBe(200);
    expect((await t.unary("GET", "/e")).status).toBe(200);
    expect(changes).toEqual([`unreachable: connect ECONNREFUSED 127.0.0.1:${port}`, "reachable"]);
    off();
    t.close();
  });
});
