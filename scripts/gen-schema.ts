// npm run schema: regenerate schema/incluster.schema.json from src/config/schema.ts.
import { writeFileSync } from "node:fs";
import { configJsonSchemaText } from "../src/config/json-schema.js";

const out = new URL("../schema/incluster.schema.json", import.meta.url);
writeFileSync(out, configJsonSchemaText());
console.log(`wrote ${out.pathname}`);
