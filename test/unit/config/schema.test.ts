import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configJsonSchemaText } from "../../../src/config/json-schema.js";
import { REPO_ROOT } from "../support/fixtures.js";

describe("schema/incluster.schema.json", () => {
  it("matches the zod schema (run npm run schema after changing src/config/schema.ts)", () => {
    const committed = readFileSync(join(REPO_ROOT, "schema", "incluster.schema.json"), "utf8");
    expect(committed, "schema/incluster.schema.json is stale: run npm run schema").toBe(configJsonSchemaText());
  });

  it("tells editors the suite-name rule", () => {
    const schema = JSON.parse(configJsonSchemaText());
    expect(schema.properties.suites.propertyNames).toMatchObject({ maxLength: 47 });
    expect(schema.properties.suites.additionalProperties.additionalProperties).toBe(false);
  });
});
