import { describe, expect, test } from "vitest";

const base = `http://${process.env.CONTEXT_HOST}:${process.env.CONTEXT_PORT}`;

describe("context service (vitest)", () => {
  test("answers /health", async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect((await res.json()).status).toBe("ok");
  });
  test("adds", () => expect(1 + 1).toBe(2));
});
