// Log follows under the server's HTTP/2 stream limit (issue 23): against a local HTTP/2 server
// over TLS on 127.0.0.1 (a throwaway self-signed certificate made by openssl) that allows 30
// streams at once, the transport keeps at most 30 − MAX_IN_FLIGHT − WATCH_STREAMS_RESERVE follows
// open; the others wait and begin as one ends, and a unary request still goes through at once.
import { execFileSync } from "node:child_process";
import * as http2 from "node:http2";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_IN_FLIGHT, Transport, WATCH_STREAMS_RESERVE } from "../../../src/kube/transport.js";

const SERVER_STREAMS = 30;
const LIMIT = SERVER_STREAMS - MAX_IN_FLIGHT - WATCH_STREAMS_RESERVE;
let dir = "";
let server: http2.Http2SecureServer;
let url = "";
let cert: Buffer;
const held = new Set<http2.ServerHttp2Stream>();
let peakHeld = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "incluster-h2-"));
  const [key, crt] = [join(dir, "key.pem"), join(dir, "cert.pem")];
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", crt, "-subj", "/CN=test", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1"], { stdio: "ignore" });
  cert = readFileSync(crt);
  server = http2.createSecureServer({ key: readFileSync(key), cert, settings: { maxConcurrentStreams: SERVER_STREAMS } });
  server.on("stream", (stream, headers) => {
    stream.respond({ ":status": 200 });
    if (!String(headers[":path"]).includes("/log")) return void stream.end("{}");
    // A follow: a line now, then open until the client ends it.
    held.add(stream);
    peakHeld = Math.max(peakHeld, held.size);
    stream.write("line\n");
    stream.on("close", () => held.delete(stream));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of held) s.close();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(ok()).toBe(true);
};

describe("log follows under the server's stream limit", () => {
  it("keeps at most the limit open; the rest wait in order; requests are never behind them", async () => {
    const t = new Transport({ server: url, credentials: async () => ({ tls: { ca: cert }, headers: {} }), sleep: async () => undefined });
    // The first request teaches the transport the server's limit (SETTINGS), as a run's preflight does.
    expect((await t.unary("GET", "/version")).status).toBe(200);
    const opened: number[] = [];
    const follows = Array.from({ length: LIMIT + 5 }, (_, i) => t.logStream(`/log/${i}`).then((o) => (opened.push(i), o)));
    await until(() => held.size === LIMIT);
    await new Promise((r) => setTimeout(r, 50));
    expect(opened).toHaveLength(LIMIT);
    // A unary request is not queued behind the follows.
    expect((await t.unary("GET", "/api/v1/namespaces/x")).status).toBe(200);
    // One follow ends: the next in line begins.
    const first = await follows[0]!;
    first.cancel();
    await until(() => opened.length === LIMIT + 1);
    expect(opened.at(-1)).toBe(LIMIT);
    for (const f of follows.slice(1)) void f.then((o) => o.cancel());
    await until(() => opened.length === LIMIT + 5 && held.size === 0);
    expect(peakHeld).toBe(LIMIT);
    expect(t.stats).toMatchObject({ followLimit: LIMIT, peakFollows: LIMIT, peakFollowsWaiting: 5 });
    t.close();
  });
});
