// The JSON Schema editors use to complete incluster.yaml, generated from the zod schema so the
// two never disagree; schema/incluster.schema.json is this text, checked for drift by a test.
import * as z from "zod/mini";
import { configSchema } from "./schema.js";

export const SCHEMA_ID = "https://incluster.dev/schema/incluster.schema.json";

export function configJsonSchemaText(): string {
  // "input": what a user may write (numbers allowed for quantities, optional fields optional).
  const schema = z.toJSONSchema(configSchema, { io: "input", unrepresentable: "any" });
  return JSON.stringify({ ...schema, $id: SCHEMA_ID }, null, 2) + "\n";
}
