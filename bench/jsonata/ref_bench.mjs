#!/usr/bin/env node
// ref_bench.mjs — evaluations per second of the reference JSONata (npm
// jsonata, pinned in bench/package.json) over the same cases core_bench
// measured: each expression compiled once, then awaited again and again for
// about BENCH_MS milliseconds, after an untimed warm-up.
//
//   node ref_bench.mjs SUITE.jsonl CASES.tsv [BENCH_MS]
//   CASES.tsv: core_bench's output (only its measured cases are run)
//   → one line per case: group/case<TAB>evals per second
import fs from "fs";
import path from "path";
import { createRequire } from "module";
import { fileURLToPath } from "url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "package.json"));
const jsonata = require("jsonata");
const [suiteFile, casesFile, budgetArg] = process.argv.slice(2);
const budget = Number(budgetArg || 50);
const wanted = new Set(fs.readFileSync(casesFile, "utf8").split("\n").filter(l => l && !l.endsWith("\tskip")).map(l => l.split("\t")[0]));

for (const line of fs.readFileSync(suiteFile, "utf8").split("\n")) {
  if (!line) continue;
  const tc = JSON.parse(line);
  const id = `${tc.group}/${tc.case}`;
  if (!wanted.has(id)) continue;
  const expr = jsonata(tc.expr);
  const input = tc.data_undefined ? undefined : tc.data;
  for (let i = 0; i < 20; i++) await expr.evaluate(input, tc.bindings);
  let n = 0;
  const t0 = performance.now();
  let t;
  do {
    for (let i = 0; i < 16; i++) await expr.evaluate(input, tc.bindings);
    n += 16;
    t = performance.now() - t0;
  } while (t < budget);
  console.log(`${id}\t${(n * 1000 / t).toFixed(1)}`);
}
