import { describe, it } from "node:test";
import assert from "node:assert/strict";

const base = `http://${process.env.CONTEXT_HOST}:${process.env.CONTEXT_PORT}`;

describe("context service", () => {
  it("answers /health", async () => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).status, "ok");
  });
  it("returns a story's context", async () => {
    const body = await (await fetch(`${base}/context/story-42`)).json();
    assert.equal(body.id, "story-42");
    console.log(`served by ${body.served_by}`);
  });
});
