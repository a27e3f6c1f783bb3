#!/usr/bin/env bash
# bench/jsonata.sh — booking's JSONata against the reference implementation
# (npm jsonata 2.2.2 in Node, pinned in bench/package.json). A benchmark, not
# a test: it fails only when booking gives a wrong result it would then time.
#
# The cases: every result case of the JSONata suite (../shared/jsonata/suite.jsonl
# or BENCH_JSONATA_SUITE) whose expected result booking's core reproduces, minus
# the clock and randomness ones and the time-limited ones. For each case the
# expression is compiled once and evaluated against its input again and again
# for BENCH_JSONATA_MS milliseconds (default 50), three ways:
#   core : the C core (jn_compile once, jn_evaluate in a loop; -O2, no sanitizers)
#   ref  : jsonata(expr) once, await expr.evaluate(input) in a loop, after 20 warm-up runs
#   sql  : SELECT count(booking.jsonata(expr, input, bindings)) FROM generate_series(1, 16)
#          repeated in PL/pgSQL (the compiled expression and the last input and bindings
#          converted are kept by the backend, so only the first call converts the input;
#          each call writes its result as jsonb). A statement's start-up (PL/pgSQL, SPI,
#          the executor) is shared by only 16 calls.
#   rows : one statement over a table of BENCH_JSONATA_ROWS rows (default 64) each holding
#          the case's input and bindings, with booking.jsonata_keep_documents = off: every
#          row converts its documents, as a query over rows holding different documents
#          does, and the statement's start-up is shared by the rows
# Prints a markdown table: cases, geometric mean, median and minimum of the speed-up
# (evaluations per second divided by the reference's) for core, sql and rows. Issue 16's
# SQL goal is judged on the sql line (the method its figures have used from the start).
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
. "$BENCH/lib/bench.sh"
SUITE=${BENCH_JSONATA_SUITE:-$ROOT/../shared/jsonata/suite.jsonl}
MS=${BENCH_JSONATA_MS:-50}
ROWS=${BENCH_JSONATA_ROWS:-64}
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-jsonata}
BENCH_PORT=${BENCH_PORT:-54341}

[ -f "$SUITE" ] || die "no JSONata suite at $SUITE (set BENCH_JSONATA_SUITE)"
command -v node >/dev/null || die "node is required"
WORK=$(mktemp -d /tmp/booking-bench-jsonata.XXXXXX)
chmod 755 "$WORK"

log "installing the reference (npm ci)"
(cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci"

log "building the core benchmark (-O2)"
(cd "$ROOT" && cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -Isrc/core bench/jsonata/core_bench.c \
	src/core/*.c src/core/jsonata/*.c -o "$WORK/core_bench" \
	$(pkg-config --cflags --libs json-c libpcre2-8) -lcrypto -lm) || die "building core_bench"

log "core: $MS ms per case"
"$WORK/core_bench" "$SUITE" "$MS" >"$WORK/core.tsv" || die "core_bench"
log "core: $(grep -vc $'\tskip$' "$WORK/core.tsv") cases measured, $(grep -c $'\tskip$' "$WORK/core.tsv" || true) skipped (result differs)"

log "reference: $MS ms per case"
node "$BENCH/jsonata/ref_bench.mjs" "$SUITE" "$WORK/core.tsv" "$MS" >"$WORK/ref.tsv" || die "ref_bench.mjs"

bench_build
bench_cluster "$BENCH_DIR" "$BENCH_PORT"
grep -v $'\tskip$' "$WORK/core.tsv" | cut -f1 >"$WORK/ids.txt"
# only the measured cases go into the database (jsonb refuses some others' lone surrogates)
node -e '
	const fs = require("fs");
	const ids = new Set(fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean));
	fs.writeFileSync(process.argv[3], fs.readFileSync(process.argv[1], "utf8").split("\n")
		.filter(l => l && ids.has((c => `${c.group}/${c.case}`)(JSON.parse(l)))).join("\n") + "\n");
' "$SUITE" "$WORK/ids.txt" "$WORK/suite.jsonl"
log "sql: $MS ms per case, then rows: $ROWS rows per statement, documents converted on every row"
sql <<SQL || die "the SQL benchmark"
CREATE TEMP TABLE lines (line text);
\copy lines FROM '$WORK/suite.jsonl' WITH (FORMAT csv, QUOTE E'\x01', DELIMITER E'\x02')
CREATE TEMP TABLE wanted (id text);
\copy wanted FROM '$WORK/ids.txt'
CREATE TEMP TABLE cases AS
SELECT (c->>'group') || '/' || (c->>'case') AS id, c->>'expr' AS expr,
       CASE WHEN c ? 'data' THEN c->'data' END AS data, c->'bindings' AS bindings
  FROM (SELECT line::jsonb AS c FROM lines) s
 WHERE (c->>'group') || '/' || (c->>'case') IN (SELECT id FROM wanted);
CREATE FUNCTION pg_temp.bench(budget_ms float8) RETURNS TABLE (id text, rate float8)
LANGUAGE plpgsql AS \$\$
DECLARE
  c record; n bigint; t0 timestamptz; elapsed float8;
BEGIN
  FOR c IN SELECT * FROM cases LOOP
    n := -16;
    LOOP
      PERFORM count(booking.jsonata(c.expr, c.data, c.bindings)) FROM generate_series(1, 16);
      n := n + 16;
      IF n = 0 THEN t0 := clock_timestamp(); CONTINUE; END IF;   -- the first batch compiles: untimed
      elapsed := extract(epoch FROM clock_timestamp() - t0) * 1000;
      EXIT WHEN elapsed >= budget_ms;
    END LOOP;
    id := c.id; rate := n * 1000 / elapsed;
    RETURN NEXT;
  END LOOP;
END \$\$;
CREATE TEMP TABLE docs (data jsonb, bindings jsonb);
CREATE FUNCTION pg_temp.bench_rows(budget_ms float8, nrows int) RETURNS TABLE (id text, rate float8)
LANGUAGE plpgsql AS \$\$
DECLARE
  c record; n bigint; t0 timestamptz; elapsed float8;
BEGIN
  FOR c IN SELECT * FROM cases LOOP
    TRUNCATE docs;
    INSERT INTO docs SELECT c.data, c.bindings FROM generate_series(1, nrows);
    n := -nrows;
    LOOP
      PERFORM count(booking.jsonata(c.expr, d.data, d.bindings)) FROM docs d;
      n := n + nrows;
      IF n = 0 THEN t0 := clock_timestamp(); CONTINUE; END IF;   -- the first statement compiles: untimed
      elapsed := extract(epoch FROM clock_timestamp() - t0) * 1000;
      EXIT WHEN elapsed >= budget_ms;
    END LOOP;
    id := c.id; rate := n * 1000 / elapsed;
    RETURN NEXT;
  END LOOP;
END \$\$;
\pset fieldsep '\t'
\o $WORK/sql.tsv
SELECT id, round(rate::numeric, 1) FROM pg_temp.bench($MS);
SET booking.jsonata_keep_documents = off;
\o $WORK/rows.tsv
SELECT id, round(rate::numeric, 1) FROM pg_temp.bench_rows($MS, $ROWS);
\o
SQL

node - "$WORK" "$MS" "$ROWS" <<'JS'
const fs = require("fs");
const [work, ms, rows_n] = process.argv.slice(2);
const read = f => new Map(fs.readFileSync(`${work}/${f}`, "utf8").split("\n").filter(l => l && !l.endsWith("\tskip"))
  .map(l => l.split("\t")).map(([k, v]) => [k, Number(v)]));
const core = read("core.tsv"), ref = read("ref.tsv"), sql = read("sql.tsv"), rows = read("rows.tsv");
const stats = m => {
  const r = [...ref.keys()].filter(k => m.has(k)).map(k => m.get(k) / ref.get(k)).sort((a, b) => a - b);
  const geo = Math.exp(r.reduce((s, x) => s + Math.log(x), 0) / r.length);
  return `| ${r.length} | ${geo.toFixed(1)}× | ${r[Math.floor(r.length / 2)].toFixed(1)}× | ${r[0].toFixed(2)}× |`;
};
console.log(`JSONata suite result cases, ${ms} ms each, evaluations per second relative to npm jsonata 2.2.2 (Node ${process.version})\n`);
console.log("| engine | cases | geometric mean | median | minimum |\n|---|---|---|---|---|");
console.log(`| core (C, compiled once) ${stats(core)}`);
console.log(`| booking.jsonata() in SQL ${stats(sql)}`);
console.log(`| booking.jsonata() in SQL, ${rows_n} rows per statement, each converted ${stats(rows)}`);
JS
rm -rf "$WORK"
