// toKubeError: the client's and Node's error shapes reduced to the one KubeError decisions use.
import { connect, createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { toKubeError } from "../../../src/kube/errors.js";

describe("toKubeError", () => {
  it("a refused connection is unreachable, its message not repeating the code", () => {
    // The shape Node gives a system error: code, errno, syscall.
    const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED", errno: -111, syscall: "connect" });
    expect(toKubeError(err)).toEqual({ message: "connect ECONNREFUSED 127.0.0.1:6443", unreachable: true });
    expect(toKubeError(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))).toEqual({ message: "ECONNRESET: socket hang up", unreachable: true });
  });

  it("an HTTP/2 stream cancelled because its session could not connect is unreachable, with the cause's message", () => {
    const cause = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:6443"), { code: "ECONNREFUSED", errno: -111, syscall: "connect" });
    const err = Object.assign(new Error("The pending stream has been canceled (caused by: connect ECONNREFUSED 127.0.0.1:6443)"), { code: "ERR_HTTP2_STREAM_CANCEL", cause });
    expect(toKubeError(err)).toEqual({ message: "connect ECONNREFUSED 127.0.0.1:6443", unreachable: true });
  });

  it("a real refused connection: Node's own error, its message kept as it is", async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((r) => server.close(() => r()));
    const err = await new Promise<Error>((resolve) => connect(port, "127.0.0.1").on("error", resolve));
    expect(toKubeError(err)).toEqual({ message: `connect ECONNREFUSED 127.0.0.1:${port}`, unreachable: true });
  });

  it("a stream cancelled for another reason is not unreachable", () => {
    const err = Object.assign(new Error("The pending stream has been canceled"), { code: "ERR_HTTP2_STREAM_CANCEL" });
    expect(toKubeError(err).unreachable).toBeUndefined();
  });

  it("an API Status keeps its code, reason and details", () => {
    const body = JSON.stringify({ code: 404, reason: "NotFound", message: 'namespaces "x" not found', details: { kind: "namespaces", name: "x" } });
    expect(toKubeError({ statusCode: 404, body })).toEqual({ status: 404, reason: "NotFound", message: 'namespaces "x" not found', details: { kind: "namespaces", name: "x" } });
  });
});
