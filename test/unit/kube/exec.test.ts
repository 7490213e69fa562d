// pods/exec: the exit code read from the closing Status, and the back-pressure on the socket.
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Paced, execOutcome } from "../../../src/kube/exec.js";

describe("execOutcome", () => {
  it("Success is exit code 0", () => {
    expect(execOutcome({ status: "Success" })).toEqual({ exitCode: 0 });
  });

  it("NonZeroExitCode carries the code as an ExitCode cause", () => {
    const status = { status: "Failure", reason: "NonZeroExitCode", message: "command terminated with non-zero exit code", details: { causes: [{ reason: "ExitCode", message: "3" }] } };
    expect(execOutcome(status)).toEqual({ exitCode: 3 });
  });

  it("any other Status is an error with its message and code; no Status at all says so", () => {
    expect(execOutcome({ status: "Failure", message: "container not found", code: 404 })).toEqual({ exitCode: undefined, error: { message: "container not found", status: 404 } });
    expect(execOutcome({ status: "Failure", details: { causes: [{ reason: "Other", message: "x" }] } })).toEqual({
      exitCode: undefined,
      error: { message: "exec stream closed without a status" },
    });
    expect(execOutcome(undefined)).toEqual({ exitCode: undefined, error: { message: "exec stream closed without a status" } });
  });
});

describe("Paced", () => {
  it("pauses the socket once while the target is full, and resumes it when the target drains", async () => {
    const pending: (() => void)[] = [];
    const target = new Writable({ highWaterMark: 4, write: (_chunk, _enc, cb) => void pending.push(cb) });
    const calls: string[] = [];
    const paced = new Paced(target);
    paced.socket = { pause: () => calls.push("pause"), resume: () => calls.push("resume") };
    const write = (s: string) => new Promise<void>((r) => paced.write(Buffer.from(s), () => r()));
    await write("abcdef");
    await write("gh");
    expect(calls).toEqual(["pause"]);
    while (pending.length) pending.shift()?.();
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(["pause", "resume"]);
    await write("i");
    expect(calls).toEqual(["pause", "resume"]);
  });

  it("forwards without pausing before the socket is known", async () => {
    const target = new Writable({ highWaterMark: 1, write: (_chunk, _enc, cb) => void cb() });
    const paced = new Paced(target);
    await new Promise<void>((r) => paced.write(Buffer.from("abc"), () => r()));
    expect(paced.socket).toBeUndefined();
  });
});
