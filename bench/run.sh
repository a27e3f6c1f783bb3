#!/usr/bin/env bash
# bench/run.sh — booking's benchmarks against a peer ASL engine (aws-local-stepfunctions).
# Benchmarks, not tests: nothing here asserts on time. It fails loudly only when an
# engine produces a wrong result, because then the figures would mean nothing.
#
#  1. npm ci in bench/ (the peer engine, pinned in package.json / package-lock.json)
#  2. ./install.sh build (Debian packages, build, install the extension; idempotent)
#  3. a fresh private cluster as the postgres user (BENCH_DIR, BENCH_PORT)
#  4. each scenario: booking measured two ways (one statement; pgbench), the peer in node
#  5. stops the cluster and prints one markdown table on stdout (progress goes to stderr)
#
# Settings (environment):
#   BENCH_EXECUTIONS  executions per round and engine (default 2000)
#   BENCH_ROUNDS      timed rounds; the best (fastest) round is reported (default 5)
#   BENCH_DIR         cluster directory (default /tmp/booking-bench)
#   BENCH_PORT        cluster port (default 54340)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
N=${BENCH_EXECUTIONS:-2000}
ROUNDS=${BENCH_ROUNDS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench}
BENCH_PORT=${BENCH_PORT:-54340}
PGBENCH=/usr/lib/postgresql/15/bin/pgbench
. "$ROOT/test/lib/cluster.sh"

log() { echo "bench: $*" >&2; }
die() { echo "bench: FAILED: $*" >&2; exit 1; }

[[ $N =~ ^[1-9][0-9]*$ ]] || die "BENCH_EXECUTIONS must be a positive integer (got '$N')"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer (got '$ROUNDS')"
command -v node >/dev/null || die "node is required (Node.js 20 or later)"
command -v npm >/dev/null || die "npm is required"
command -v jq >/dev/null || die "jq is required (apt-get install jq)"

WORK=$(mktemp -d /tmp/booking-bench-work.XXXXXX)
chmod 755 "$WORK"
cleanup() {
	cluster_stop "$BENCH_DIR"
	rm -rf "$WORK"
}
trap cleanup EXIT

log "installing the peer engine (npm ci)"
(cd "$BENCH" && npm ci --no-audit --no-fund --loglevel=error >&2) || die "npm ci"

log "building and installing the extension (./install.sh build)"
(cd "$ROOT" && ./install.sh build >&2) || die "./install.sh build"
[ -x "$PGBENCH" ] || die "$PGBENCH not found (postgresql-15 / postgresql-contrib)"

log "starting a fresh private cluster in $BENCH_DIR (port $BENCH_PORT)"
cluster_stop "$BENCH_DIR"
rm -rf "$BENCH_DIR"
cluster_init "$BENCH_DIR" "$BENCH_PORT"
cluster_start "$BENCH_DIR" "$BENCH_PORT"
sql() { cluster_psql "$BENCH_DIR" "$BENCH_PORT" -q -At "$@"; }
sql -c "CREATE EXTENSION booking" || die "CREATE EXTENSION booking"

ROWS=()	# one markdown row per measurement

# best SECONDS...: the smallest
best() { printf '%s\n' "$@" | sort -g | head -1; }

# row SCENARIO ENGINE EXECUTIONS TRANSITIONS SECONDS PEER_RATE|-
# prints the transitions/s of the row; PEER_RATE gives the booking/peer column
row() {
	local rate ratio
	rate=$(awk -v t="$4" -v s="$5" 'BEGIN { printf "%.0f", t / s }')
	if [ "$6" = - ]; then ratio="1.00× (baseline)"
	else ratio=$(awk -v r="$rate" -v p="$6" 'BEGIN { printf "%.2f×", r / p }'); fi
	ROWS+=("| $1 | $2 | $3 | $4 | $(printf '%.3f' "$5") | $rate | $ratio |")
}

# ---------------------------------------------------------------- pass_chain
# Ten Pass states; each builds its output with Parameters and States.Format.
# Execution i gets {"name": "Ada", "n": i}; every state entered is one transition.
bench_pass_chain() {
	local scenario=pass_chain def="$BENCH/scenarios/pass_chain.asl.json"
	local transitions chain status

	# transitions per execution, from the definition: states entered from StartAt to End
	chain=$(jq -r '. as $d | [$d.StartAt | recurse($d.States[.].Next // empty)] | length' "$def")

	log "$scenario: creating the state machine"
	sql -v name="$scenario" -v def="$(cat "$def")" >/dev/null <<'SQL' || die "$scenario: sfn_create_state_machine"
SELECT booking.sfn_create_state_machine(:'name', :'def'::jsonb, role => 'postgres');
SQL

	# correctness: status and output, for the first and last inputs; the peer must match them
	log "$scenario: checking booking's results"
	local checks=() got expected
	for n in 1 "$N"; do
		got=$(sql -c "SELECT booking.sfn_start_sync('$scenario', jsonb_build_object('name', 'Ada', 'n', $n))") \
			|| die "$scenario: sfn_start_sync raised an error"
		expected=$(jq -cn --argjson n "$n" '{greeting: "Hello Ada #\($n) (step 10)", name: "Ada", n: $n}')
		status=$(jq -r .status <<<"$got")
		[ "$status" = SUCCEEDED ] || die "$scenario: booking's execution ended $status, expected SUCCEEDED: $got"
		jq -e --argjson want "$expected" '.output == $want' <<<"$got" >/dev/null \
			|| die "$scenario: booking's output differs: got $(jq -c .output <<<"$got"), expected $expected"
		checks+=("$(jq -c '{input: .input, output: .output}' <<<"$got")")
	done
	printf '%s\n' "${checks[@]}" | jq -s . >"$WORK/$scenario.checks.json"

	# peer first: its verification compares with booking's outputs before anything is timed
	log "$scenario: aws-local-stepfunctions, $ROUNDS round(s) of $N executions"
	local peer peer_tpe peer_s peer_rate
	peer=$(cd "$BENCH" && node peer.mjs "$def" "$N" "$ROUNDS" "$WORK/$scenario.checks.json") \
		|| die "$scenario: peer.mjs"
	peer_tpe=$(jq -r .transitions_per_execution <<<"$peer")
	[ "$peer_tpe" = "$chain" ] \
		|| die "$scenario: the peer entered $peer_tpe states per execution, the definition's chain has $chain"
	transitions=$((N * chain))
	peer_s=$(best $(jq -r '.seconds[]' <<<"$peer"))
	peer_rate=$(awk -v t="$transitions" -v s="$peer_s" 'BEGIN { print t / s }')

	# booking, method 1: one statement, one round trip for all N executions.
	# Each round runs in a fresh psql session after an untimed warm-up statement;
	# psql's \timing measures the statement (client-side, includes one round trip).
	log "$scenario: booking, one statement (generate_series), $ROUNDS round(s) of $N executions"
	local one_s=() out ms ok
	for _ in $(seq "$ROUNDS"); do
		out=$(sql <<SQL
SELECT count(*) FROM generate_series(1, least($N, 200)) i
 WHERE booking.sfn_start_sync('$scenario', jsonb_build_object('name', 'Ada', 'n', i))->>'status' = 'SUCCEEDED';
\timing on
SELECT count(*) FROM generate_series(1, $N) i
 WHERE booking.sfn_start_sync('$scenario', jsonb_build_object('name', 'Ada', 'n', i))->>'status' = 'SUCCEEDED';
SQL
		) || die "$scenario: booking one-statement run"
		ok=$(sed -n 2p <<<"$out")
		[ "$ok" = "$N" ] || die "$scenario: only $ok of $N booking executions SUCCEEDED: $out"
		ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out")
		[ -n "$ms" ] || die "$scenario: no timing in psql output: $out"
		one_s+=("$(awk -v ms="$ms" 'BEGIN { print ms / 1000 }')")
	done

	# booking, method 2: pgbench, one client, one execution per transaction (a round
	# trip each, prepared statements). A result other than SUCCEEDED divides by zero,
	# which fails the transaction and so the run. Time = N / tps excluding connection.
	log "$scenario: booking, pgbench -c 1 -M prepared, $ROUNDS round(s) of $N executions"
	cat >"$WORK/$scenario.pgbench.sql" <<SQL
\set n random(1, $N)
SELECT 1 / coalesce(booking.sfn_start_sync('$scenario', jsonb_build_object('name', 'Ada', 'n', :n::int))->>'status' = 'SUCCEEDED', false)::int;
SQL
	local pgb_s=() tps done_tx
	for _ in $(seq "$ROUNDS"); do
		out=$("$PGBENCH" -n -M prepared -c 1 -t "$N" -f "$WORK/$scenario.pgbench.sql" \
			-h "$BENCH_DIR" -p "$BENCH_PORT" -U postgres postgres 2>&1) || die "$scenario: pgbench: $out"
		done_tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\)\/.*/\1/p' <<<"$out")
		[ "$done_tx" = "$N" ] || die "$scenario: pgbench processed ${done_tx:-?} of $N: $out"
		tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")
		[ -n "$tps" ] || die "$scenario: no tps in pgbench output: $out"
		pgb_s+=("$(awk -v n="$N" -v tps="$tps" 'BEGIN { print n / tps }')")
	done

	log "$scenario: rounds (s): 1 statement ${one_s[*]}; pgbench ${pgb_s[*]}; peer $(jq -r '.seconds | map(. * 1000 | round / 1000) | join(" ")' <<<"$peer")"
	row "$scenario" "booking — 1 statement (generate_series)" "$N" "$transitions" "$(best "${one_s[@]}")" "$peer_rate"
	row "$scenario" "booking — pgbench -c 1 (round trip each)" "$N" "$transitions" "$(best "${pgb_s[@]}")" "$peer_rate"
	row "$scenario" "$(jq -r .engine <<<"$peer") (node $(jq -r .node <<<"$peer"))" "$N" "$transitions" "$peer_s" -
}

bench_pass_chain

cleanup
trap - EXIT

cpu=$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)
echo "booking benchmarks — $(date -u +%Y-%m-%d), $(nproc) cores ($cpu), PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'), best of $ROUNDS round(s)"
echo
echo "| scenario | engine | executions | state transitions | seconds | transitions/s | booking/peer |"
echo "|---|---|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
