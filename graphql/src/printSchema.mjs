// printSchema.mjs — the schema as SDL, sorted, as graphql/schema.graphql holds it.
import "./node-compat.mjs";
import { makeSchema } from "postgraphile";
import { printSchema, lexicographicSortSchema } from "postgraphile/graphql";
import { makePreset } from "./preset.mjs";

export async function printBookingSchema(settings) {
  const { schema, resolvedPreset } = await makeSchema(makePreset(settings));
  // makeSchema opens the pool of the pg service: close it
  await Promise.all((resolvedPreset.pgServices ?? []).map((s) => s.release?.()));
  return printSchema(lexicographicSortSchema(schema)) + "\n";
}
