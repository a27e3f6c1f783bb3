// The checked-in graphql/schema.graphql is the schema the server builds from the
// database (as booking_graphql): a change to the application's SQL, the views,
// the grants or the plugins that changes the API fails here until the file is
// regenerated (npm run export-schema) and reviewed.
import "../src/node-compat.mjs";
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { settingsFromEnv } from "../src/preset.mjs";
import { printBookingSchema } from "../src/printSchema.mjs";

test("graphql/schema.graphql matches the schema the server serves", async () => {
  const checkedIn = await readFile(new URL("../schema.graphql", import.meta.url), "utf8");
  const built = await printBookingSchema(settingsFromEnv());
  if (built !== checkedIn) {
    const a = checkedIn.split("\n");
    const b = built.split("\n");
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    const context = (lines) => lines.slice(Math.max(0, i - 3), i + 8).map((l, k) => `${Math.max(0, i - 3) + k + 1}: ${l}`).join("\n");
    assert.fail(`graphql/schema.graphql has drifted from the served schema at line ${i + 1}.\n` +
      `checked in:\n${context(a)}\nserved:\n${context(b)}\n` +
      "Run `npm run export-schema` in graphql/ against the test database (see graphql/README.md), review and commit it.");
  }
});

test("the article's types are in the checked-in schema, as the article wrote them", async () => {
  const sdl = await readFile(new URL("../schema.graphql", import.meta.url), "utf8");
  const block = (name) => new RegExp(`^(type|input) ${name} \\{\\n([\\s\\S]*?)^\\}`, "m").exec(sdl)?.[2]
    .split("\n").filter((l) => /^  \w+: /.test(l)).map((l) => l.trim()).sort();
  assert.deepEqual(block("StepFunctions"), ["arn: String!", "id: String!"]);
  assert.deepEqual(block("StepFunctionsInput"), ["arn: String!", "id: ID!", "input: JSON"]);
  assert.match(sdl, /^  getStepFunctions: \[StepFunctions!\]$/m);
  assert.match(sdl, /^  addStepFunction\(\n(?:.*\n)*?\s+input: StepFunctionsInput!\n\s+\): StepFunctions$/m);
});
