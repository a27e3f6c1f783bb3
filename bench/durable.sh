#!/usr/bin/env bash
# bench/durable.sh — durable executions: start and tick (issue 4's speed goals).
# Benchmarks, not tests: nothing asserts on time. A run fails only if booking does
# something wrong (an execution not where it should be), because then the figures
# would mean nothing.
#
#  (a) durable start: pgbench, 2 clients, `sfn_start` of a workflow that parks on a
#      Wait vs a single-row INSERT of the same document into a plain table (identity
#      primary key, jsonb column), in interleaved rounds; tps of each and the ratio
#      (median of the per-round ratios), with synchronous_commit on (the server's
#      default) and off (BENCH_COMMIT_MODES). Goal: ≥ 0.7.
#  (b) tick throughput: TICK_EXECUTIONS executions parked on a 1 s Wait, come due,
#      advanced to their end (Wait → Pass → end) by sfn_tick(1000) repeated (each its
#      own transaction) and, for a second set, by one sfn_tick(TICK_EXECUTIONS);
#      executions per second. All must be SUCCEEDED.
#  (c) tick cost with parked executions: a tick advancing 1,000 due executions with
#      none parked vs with PARKED_EXECUTIONS parked a year ahead; best and median of
#      TICK_REPS repetitions, the due set re-created (and VACUUM ANALYZE) each time;
#      the ratios of the bests and of the medians. Goal: within 20%.
# Prints one markdown table on stdout; progress on stderr.
#
# Settings (environment):
#   BENCH_ROUNDS       (a) rounds, each runs start and insert once (default 5)
#   BENCH_SECONDS      (a) seconds per pgbench run (default 10)
#   BENCH_CLIENTS      (a) pgbench clients (default 2)
#   BENCH_COMMIT_MODES (a) synchronous_commit settings to measure, in order (default
#                      "on off": on is the server's default; off takes the WAL flush
#                      out, which on a VM's disk is most of a commit and most of the noise)
#   TICK_EXECUTIONS    (b) due executions per set (default 100000)
#   PARKED_EXECUTIONS  (c) executions parked far ahead (default 1000000)
#   TICK_DUE           (c) due executions per measured tick (default 1000)
#   TICK_REPS          (c) repetitions with and without the parked ones (default 5)
#   BENCH_DIR          cluster directory (default /tmp/booking-bench-durable)
#   BENCH_PORT         cluster port (default 54341)
#   BENCH_SKIP_BUILD   1: benchmark the extension as installed (no ./install.sh build)
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
ROUNDS=${BENCH_ROUNDS:-5}
SECS=${BENCH_SECONDS:-10}
CLIENTS=${BENCH_CLIENTS:-2}
TICK_N=${TICK_EXECUTIONS:-100000}
PARKED=${PARKED_EXECUTIONS:-1000000}
DUE=${TICK_DUE:-1000}
REPS=${TICK_REPS:-5}
COMMIT_MODES=${BENCH_COMMIT_MODES:-on off}
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-durable}
BENCH_PORT=${BENCH_PORT:-54341}
BATCH=10000	# executions per creating statement
. "$BENCH/lib/bench.sh"
PGBENCH=$PG_BIN/pgbench

for v in ROUNDS SECS CLIENTS TICK_N DUE REPS; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer (got '${!v}')"
done
[[ $PARKED =~ ^[0-9]+$ ]] || die "PARKED_EXECUTIONS must be a non-negative integer (got '$PARKED')"

bench_build
[ -x "$PGBENCH" ] || die "$PGBENCH not found (postgresql-15)"
bench_cluster "$BENCH_DIR" "$BENCH_PORT"
WORK=$(mktemp -d /tmp/booking-bench-durable-work.XXXXXX)
trap 'rm -rf "$WORK"; _bench_stop' EXIT
started=$SECONDS

# One machine for every part: Reserve (Pass) → PaymentWindow (Wait, SecondsPath) →
# Paid (Pass) → end. The input's "wait" decides how long it parks.
sql >/dev/null <<'SQL' || die "creating the state machine and the baseline table"
SELECT booking.sfn_create_state_machine('durable_wait', '{
  "StartAt": "Reserve",
  "States": {
    "Reserve": {"Type": "Pass", "Next": "PaymentWindow"},
    "PaymentWindow": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Paid"},
    "Paid": {"Type": "Pass", "Result": "paid", "ResultPath": "$.state", "End": true}
  }
}', role => 'postgres');
CREATE TABLE bench_insert (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, doc jsonb NOT NULL);
SQL
DOC='{"apartmentId": "apt-7", "guest": "Ada Lovelace", "nights": ["2026-12-01", "2026-12-02", "2026-12-03"], "price": 360, "wait": 3600}'

# doc_sql WAIT SET: the same document as an SQL expression, with this wait and a tag
doc_sql() { echo "'$DOC'::jsonb || jsonb_build_object('wait', $1, 'set', '$2', 'i', i)"; }

# create COUNT WAIT SET: COUNT executions in statements of BATCH; prints seconds taken
create() {
	local count=$1 left=$1 n out t0 t1
	t0=$(date +%s.%N)
	while [ "$left" -gt 0 ]; do
		n=$((left < BATCH ? left : BATCH))
		out=$(sql -c "SELECT count(booking.sfn_start('durable_wait', $(doc_sql "$2" "$3"))) FROM generate_series(1, $n) i") \
			|| die "creating executions ($3)"
		[ "$out" = "$n" ] || die "creating executions ($3): $out of $n"
		left=$((left - n))
	done
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# wait_due SET: until every RUNNING execution of SET is due
wait_due() {
	local left
	while :; do
		left=$(sql -c "SELECT count(*) FROM booking.executions WHERE status = 'RUNNING' AND input->>'set' = '$1' AND due_at > clock_timestamp()")
		[ "$left" = 0 ] && return 0
		sleep 0.2
	done
}

# count_status SET STATUS
count_status() { sql -c "SELECT count(*) FROM booking.executions WHERE input->>'set' = '$1' AND status = '$2'"; }

vacuum() { sql -c "VACUUM ANALYZE booking.executions" -c "VACUUM ANALYZE booking.history" >/dev/null || die "VACUUM ANALYZE"; }

ROWS=()
row() { ROWS+=("| $1 | $2 | $3 | $4 |"); }

# --------------------------------------------------------------- (a) durable start
cat >"$WORK/start.sql" <<SQL
SELECT booking.sfn_start('durable_wait', '$DOC');
SQL
cat >"$WORK/insert.sql" <<SQL
INSERT INTO bench_insert (doc) VALUES ('$DOC');
SQL
# pgbench_tps SCRIPT SECONDS: the tps (without the initial connection), synchronous_commit $MODE
pgbench_tps() {
	local out tps
	out=$(PGOPTIONS="-c synchronous_commit=$MODE" "$PGBENCH" -n -M prepared -c "$CLIENTS" -j "$CLIENTS" -T "$2" -f "$WORK/$1.sql" \
		-h "$BENCH_DIR" -p "$BENCH_PORT" -U postgres postgres 2>&1) || die "pgbench $1: $out"
	grep -q '^number of failed transactions: [1-9]' <<<"$out" && die "pgbench $1: failed transactions: $out"
	tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")
	[ -n "$tps" ] || die "pgbench $1: no tps in its output: $out"
	printf '%.0f\n' "$tps"
}
for mode in $COMMIT_MODES; do
	case $mode in on | off) ;; *) die "BENCH_COMMIT_MODES: 'on' and/or 'off', not '$mode'" ;; esac
	MODE=$mode
	log "(a) durable start vs insert, synchronous_commit $mode: pgbench -c $CLIENTS -M prepared, $ROUNDS round(s) of ${SECS} s each, interleaved"
	pgbench_tps start 2 >/dev/null	# warm-up, untimed
	pgbench_tps insert 2 >/dev/null
	sql -c "CHECKPOINT" >/dev/null
	START_TPS=() INSERT_TPS=() RATIOS=()
	before=$(sql -c "SELECT count(*) FROM booking.executions")
	for r in $(seq "$ROUNDS"); do
		if [ $((r % 2)) -eq 1 ]; then
			s=$(pgbench_tps start "$SECS"); i=$(pgbench_tps insert "$SECS")
		else
			i=$(pgbench_tps insert "$SECS"); s=$(pgbench_tps start "$SECS")
		fi
		START_TPS+=("$s") INSERT_TPS+=("$i")
		RATIOS+=("$(awk -v s="$s" -v i="$i" 'BEGIN { printf "%.3f", s / i }')")
		log "  round $r: sfn_start $s tps, insert $i tps, ratio ${RATIOS[-1]}"
	done
	# every start parked on its Wait (an hour ahead), nothing else
	bad=$(sql -c "SELECT count(*) FROM booking.executions WHERE status <> 'RUNNING' OR due_at IS NULL OR due_at < now() + interval '50 minutes'")
	[ "$bad" = 0 ] || die "(a) $bad started executions are not parked on their Wait"
	after=$(sql -c "SELECT count(*) FROM booking.executions")
	log "  $((after - before)) executions started and parked in the timed rounds"
	ratio=$(median "${RATIOS[@]}")
	row "(a) durable start, pgbench -c $CLIENTS, synchronous_commit $mode, median of $ROUNDS × ${SECS} s" \
		"sfn_start (parks on a Wait), tps (rounds: ${START_TPS[*]})" "$(median "${START_TPS[@]}")" ""
	row "" "INSERT of the same document into a table (identity PK, jsonb), tps (rounds: ${INSERT_TPS[*]})" "$(median "${INSERT_TPS[@]}")" ""
	row "" "start / insert: median of the rounds' ratios (${RATIOS[*]})" "$ratio" \
		"≥ 0.70: $(awk -v r="$ratio" 'BEGIN { print (r >= 0.7 ? "met" : "missed") }')"
done

# --------------------------------------------------------------- (b) tick throughput
sql -c "TRUNCATE booking.executions, booking.history, bench_insert" >/dev/null
log "(b) tick throughput: $TICK_N executions due"
# tick_set SET LIMIT: tick until none advance; prints "executions seconds ticks"
tick_set() {
	local out
	out=$(
		{
			echo "SELECT extract(epoch FROM clock_timestamp());"
			for _ in $(seq $(((TICK_N + $2 - 1) / $2 + 1))); do echo "SELECT booking.sfn_tick($2);"; done
			echo "SELECT extract(epoch FROM clock_timestamp());"
		} | sql
	) || die "(b) sfn_tick($2)"
	awk 'NR == 1 { t0 = $1; next } { last = $1; if (prev != "") { n += prev; if (prev > 0) k++ } prev = $1 }
		END { printf "%d %.3f %d\n", n, last - t0, k }' <<<"$out"
}
for variant in 1000 "$TICK_N"; do
	set_name=tick$variant
	secs=$(create "$TICK_N" 1 "$set_name")
	log "  created $TICK_N parked executions in $secs s ($(awk -v n="$TICK_N" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')/s, $BATCH per statement)"
	[ "$variant" = 1000 ] && create_rate=$(awk -v n="$TICK_N" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	wait_due "$set_name"
	vacuum
	read -r n secs ticks < <(tick_set "$set_name" "$variant")
	[ "$n" = "$TICK_N" ] || die "(b) the ticks advanced $n executions, expected $TICK_N"
	ok=$(count_status "$set_name" SUCCEEDED)
	[ "$ok" = "$TICK_N" ] || die "(b) $ok of $TICK_N executions SUCCEEDED after the ticks"
	rate=$(awk -v n="$n" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')
	log "  sfn_tick($variant): $n executions in $secs s over $ticks tick(s): $rate/s; all SUCCEEDED"
	if [ "$variant" = 1000 ]; then
		row "(b) tick throughput, $TICK_N due" "sfn_tick(1000) repeated, each committed: $secs s, executions/s" "$rate" ""
	else
		row "" "one sfn_tick($TICK_N): $secs s, executions/s" "$rate" ""
	fi
done
row "" "(for scale) sfn_start in one statement, $BATCH per statement, parking: executions/s" "$create_rate" ""

# --------------------------------------------------------------- (c) tick cost vs parked
sql -c "TRUNCATE booking.executions, booking.history" >/dev/null
vacuum
# tick_reps LABEL: TICK_REPS times: create DUE due executions, VACUUM ANALYZE, time one
# sfn_tick(DUE) (psql's \timing: the statement, one round trip); prints the times in ms
tick_reps() {
	local rep out ms n times=()
	for rep in $(seq "$REPS"); do
		create "$DUE" 1 "due-$1-$rep" >/dev/null
		wait_due "due-$1-$rep"
		vacuum
		out=$(printf '%s\n' '\timing on' "SELECT booking.sfn_tick($DUE);" | sql) || die "(c) sfn_tick($DUE)"
		n=$(sed -n 1p <<<"$out")
		ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<<"$out")
		[ "$n" = "$DUE" ] || die "(c) sfn_tick($DUE) advanced $n, expected $DUE ($1, repetition $rep)"
		[ "$(count_status "due-$1-$rep" SUCCEEDED)" = "$DUE" ] || die "(c) not all due executions SUCCEEDED ($1, repetition $rep)"
		times+=("$ms")
	done
	echo "${times[*]}"
}
best() { printf '%s\n' "$@" | sort -g | head -1; }
log "(c) a tick of $DUE due with none parked, $REPS repetitions"
read -r -a T0 < <(tick_reps none)
log "  ms: ${T0[*]}"
log "(c) parking $PARKED executions a year ahead"
secs=$(create "$PARKED" 31536000 parked)
log "  created in $secs s ($(awk -v n="$PARKED" -v s="$secs" 'BEGIN { printf "%.0f", n / s }')/s)"
vacuum
log "(c) a tick of $DUE due with $PARKED parked, $REPS repetitions"
read -r -a T1 < <(tick_reps parked)
log "  ms: ${T1[*]}"
still=$(sql -c "SELECT count(*) FROM booking.executions WHERE status = 'RUNNING' AND due_at > now() + interval '300 days'")
[ "$still" = "$PARKED" ] || die "(c) $still of $PARKED parked executions are still parked"
m0=$(median "${T0[@]}") m1=$(median "${T1[@]}")
b0=$(best "${T0[@]}") b1=$(best "${T1[@]}")
bratio=$(awk -v a="$b1" -v b="$b0" 'BEGIN { printf "%.2f", a / b }')
mratio=$(awk -v a="$m1" -v b="$m0" 'BEGIN { printf "%.2f", a / b }')
within() { awk -v r="$1" 'BEGIN { print (r <= 1.2 && r >= 0.8 ? "met" : "missed") }'; }
row "(c) one sfn_tick($DUE) with $DUE due, $REPS repetitions" "none parked: best / median ms (all: ${T0[*]})" "$b0 / $m0" ""
row "" "$PARKED parked a year ahead: best / median ms (all: ${T1[*]})" "$b1 / $m1" ""
row "" "parked / none: best / median" "$bratio / $mratio" "within 20%: $(within "$bratio") (best), $(within "$mratio") (median)"

log "done in $((SECONDS - started)) s (after the build)"
echo "booking durable executions — $(date -u +%Y-%m-%d), $(machine), fsync on; (b) and (c) with synchronous_commit on"
echo
echo "| benchmark | measure | result | goal |"
echo "|---|---|---:|---|"
printf '%s\n' "${ROWS[@]}"
