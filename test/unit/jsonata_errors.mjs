#!/usr/bin/env node
// Sets the core's errors for the JSONata suite's error cases beside npm
// jsonata's (code, position, message) and prints the ones that differ.
//
//   JN_SUITE_ERRORS=/tmp/core-errors.jsonl build/unit/test_jsonata_suite
//   node test/unit/jsonata_errors.mjs /tmp/core-errors.jsonl [--ref DIR] [--suite FILE] [--all]
//   node test/unit/jsonata_errors.mjs --write test/unit/jsonata_errors.jsonl [--ref DIR] [--suite FILE]
//
// --write records the reference's errors for every error case of the suite
// (the file test_jsonata_suite compares the core's errors with, offline).
// --ref: a directory where `npm install jsonata@2.2.2` ran (default
// /tmp/jsonata-ref; never inside the repository). Exit status 1 when any differ.
import fs from "fs";
import path from "path";
import { createRequire } from "module";

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const refDir = opt("--ref", process.env.JSONATA_REF_DIR || "/tmp/jsonata-ref");
const suiteFile = opt("--suite", process.env.BOOKING_JSONATA_SUITE || "../shared/jsonata/suite.jsonl");
const showAll = args.includes("--all");
const writeFile = opt("--write", null);
const coreFile = args.find(a => !a.startsWith("--") && !["--ref", "--suite", "--write"].includes(args[args.indexOf(a) - 1]));
const jsonata = createRequire(path.join(refDir, "package.json"))("jsonata");

const core = new Map();
for (const l of coreFile ? fs.readFileSync(coreFile, "utf8").split("\n").filter(Boolean) : []) {
  const r = JSON.parse(l);
  core.set(`${r.group}/${r.case}`, r);
}
// the reference's error for one case (the same timebox the suite's runner uses)
async function reference(tc) {
  try {
    const e = jsonata(tc.expr);
    if ("timelimit" in tc && "depth" in tc) {
      let depth = 0;
      const t0 = Date.now();
      const check = () => {
        if (depth > tc.depth) throw { code: "U1001", message: "Stack overflow error" };
        if (Date.now() - t0 > tc.timelimit) throw { code: "U1001", message: "Expression evaluation timeout" };
      };
      e.assign(Symbol.for("jsonata.__evaluate_entry"), (x, i, env) => { if (!env.isParallelCall) { depth++; check(); } });
      e.assign(Symbol.for("jsonata.__evaluate_exit"), (x, i, env) => { if (!env.isParallelCall) { depth--; check(); } });
    }
    await e.evaluate(tc.data_undefined ? undefined : tc.data, tc.bindings);
    return null;
  } catch (err) {
    // no position: the core says -1
    return { code: err.code, position: err.position ?? -1, message: err.message, token: err.token };
  }
}
if (writeFile) {
  const out = [];
  for (const l of fs.readFileSync(suiteFile, "utf8").split("\n").filter(Boolean)) {
    const tc = JSON.parse(l);
    if (!tc.expect.error_code) continue;
    const ref = await reference(tc);
    out.push(JSON.stringify({ group: tc.group, case: tc.case, code: ref?.code, position: ref?.position, message: ref?.message }));
  }
  fs.writeFileSync(writeFile, out.join("\n") + "\n");
  console.log(`wrote the reference's errors for ${out.length} error cases to ${writeFile}`);
  process.exit(0);
}
const show = r => r ? `${r.code}@${r.position}: ${r.message}` : "no error";
let same = 0, differ = 0;
for (const l of fs.readFileSync(suiteFile, "utf8").split("\n").filter(Boolean)) {
  const tc = JSON.parse(l);
  const mine = core.get(`${tc.group}/${tc.case}`);
  if (!tc.expect.error_code || !mine) continue;
  const ref = await reference(tc);
  const mineErr = mine.code ? mine : null;
  const ok = ref && mineErr && ref.code === mineErr.code && ref.position === mineErr.position && ref.message === mineErr.message;
  if (ok) same++; else differ++;
  if (!ok || showAll)
    console.log(`${ok ? "SAME" : "DIFF"} ${tc.group}/${tc.case}: ${tc.expr.slice(0, 100).replace(/\n/g, " ")}\n  ref:  ${show(ref)}\n  core: ${show(mineErr)}`);
}
console.log(`jsonata errors: ${same} of ${same + differ} error cases give the reference's code, position and message`);
process.exit(differ ? 1 : 0);
