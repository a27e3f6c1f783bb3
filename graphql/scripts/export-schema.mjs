// npm run export-schema — writes graphql/schema.graphql from the database
// DATABASE_URL names (as the API's role: what it may use decides what shows).
// test/schema.test.mjs fails when the checked-in file differs.
import "../src/node-compat.mjs";
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { settingsFromEnv } from "../src/preset.mjs";
import { printBookingSchema } from "../src/printSchema.mjs";

const target = fileURLToPath(new URL("../schema.graphql", import.meta.url));
const sdl = await printBookingSchema(settingsFromEnv());
await writeFile(target, sdl);
console.log(`wrote ${target} (${sdl.split("\n").length} lines)`);
