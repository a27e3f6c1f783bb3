#!/usr/bin/env bash
# bench/ticks.sh — executions the timer workers advance per second, against the
# number of executions parked far ahead.
#
# One private cluster (BENCH_DIR, port BENCH_PORT, default 55401; fsync on),
# database "bench". A state machine: Wait until $.due, a Pass, the end. For each
# parked population (BENCH_PARKED, default "0 1000000": executions of the same
# machine waiting a year ahead, started before the measurement; the setup time
# is printed) and each setting (booking.workers = 1 and 2, booking.notify on and
# off; a restart each), BENCH_K executions (default 20,000) are started all due at
# one instant a few seconds ahead; the workers advance them to their end.
#
#   advanced/s = K / (last stop_date - first stop_date) of those K executions
#
# Each setting (BENCH_WORKERS, default "1 2"; BENCH_NOTIFY, default "on off") runs
# BENCH_RUNS times (default 1); the table shows the median advanced/s and the
# median of the workers' CPU time per execution (utime + stime from /proc, a figure
# a loaded machine disturbs less), with the load average before and after. Nothing asserts on time; it fails only
# if the K executions do not all succeed within 300 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH=$ROOT/bench
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-ticks${BOOKING_TEST_TAG:-}}
BENCH_PORT=${BENCH_PORT:-55401}
BENCH_K=${BENCH_K:-20000}
BENCH_PARKED=${BENCH_PARKED:-"0 1000000"}
BENCH_RUNS=${BENCH_RUNS:-1}
BENCH_WORKERS=${BENCH_WORKERS:-"1 2"}
BENCH_NOTIFY=${BENCH_NOTIFY:-"on off"}
. "$BENCH/lib/bench.sh"

bench_build
bench_cluster "$BENCH_DIR" "$BENCH_PORT" "booking.database = 'bench'" "fsync = on"
q() { cluster_psql "$BENCH_DIR" "$BENCH_PORT" -q -At -d bench "$@"; }
sql -c "CREATE DATABASE bench" >/dev/null
q >/dev/null <<'SQL'
CREATE EXTENSION booking;
CREATE FUNCTION due_at(t timestamptz) RETURNS text LANGUAGE sql AS
$$ SELECT to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;
SELECT booking.sfn_create_state_machine('tick', '{
  "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "TimestampPath": "$.due", "Next": "Done"},
    "Done": {"Type": "Pass", "Result": {"ok": true}, "End": true}
  }
}', role => 'postgres');
SQL

# park P: P more executions waiting a year ahead (batches of 10,000, notify off)
park() {
	local p=$1 a b
	[ "$p" -gt 0 ] || return 0
	for ((a = 1; a <= p; a += 10000)); do
		b=$((a + 9999 > p ? p : a + 9999))
		echo "SELECT count(booking.sfn_start('tick', jsonb_build_object('due', due_at(now() + interval '1 year')))) FROM generate_series($a, $b);"
	done | q -c "SET booking.notify = off" -f - >/dev/null
	q -c "VACUUM ANALYZE booking.executions" >/dev/null
}


# one_run: K executions due at one instant; prints "advanced/s µs-of-worker-CPU-per-execution".
# Every query made while the workers run goes through an index (executions_due,
# executions_ended): a poll that scanned booking.executions would read the whole
# parked population ten times a second and measure itself, not the workers.
one_run() {
	local due t0 cpu0 cpu1
	q -c "DELETE FROM booking.executions WHERE status <> 'RUNNING'" >/dev/null
	q -c "VACUUM booking.executions" >/dev/null
	t0=$(q -c "SELECT clock_timestamp()")
	# start them at about 10,000 a second: due once the last has been started
	due=$(q -c "SELECT due_at(clock_timestamp() + ($BENCH_K / 5000 + 3) * interval '1 s')")
	echo "SELECT count(booking.sfn_start('tick', jsonb_build_object('due', '$due'::text))) FROM generate_series(1, $BENCH_K);" \
		| q -c "SET booking.notify = off" -f - >/dev/null
	[ "$(q -c "SELECT clock_timestamp() < '$due'::timestamptz")" = t ] || log "warning: the starts ended after the due time"
	cpu0=$(bench_worker_ticks bench)
	for _ in $(seq 1 3000); do
		[ "$(q -c "SELECT count(*) FROM booking.executions WHERE status = 'RUNNING' AND due_at IS NOT NULL AND due_at <= '$due'::timestamptz")" = 0 ] && break
		sleep 0.1
	done
	cpu1=$(bench_worker_ticks bench)
	[ "$(q -c "SELECT count(*) FROM booking.executions WHERE parent_id IS NULL AND status <> 'RUNNING' AND stop_date >= '$t0' AND status = 'SUCCEEDED'")" = "$BENCH_K" ] \
		|| die "not all $BENCH_K executions succeeded within 300 s"
	q -F ' ' -c "SELECT round($BENCH_K / extract(epoch FROM max(stop_date) - min(stop_date))),
	                    round(($cpu1 - $cpu0) * 1e6 / $(getconf CLK_TCK) / $BENCH_K)
	             FROM booking.executions WHERE parent_id IS NULL AND status <> 'RUNNING' AND stop_date >= '$t0'"
}

log "machine: $(machine)"
echo "| parked | workers | booking.notify | K | runs | advanced/s | worker CPU per execution (µs) | load average before → after |"
echo "|---:|---:|---|---:|---:|---:|---:|---|"
parked=0
for target in $BENCH_PARKED; do
	t0=$(date +%s.%N)
	bench_reconfigure bench 1 "booking.notify = off"
	park $((target - parked))
	parked=$target
	log "parked $target: setup took $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
	for workers in $BENCH_WORKERS; do
		for notify in $BENCH_NOTIFY; do
			bench_reconfigure bench "$workers" "booking.notify = $notify"
			load0=$(cut -d' ' -f1-3 /proc/loadavg)
			R=()
			U=()
			for run in $(seq 1 "$BENCH_RUNS"); do
				out=$(one_run)
				read -r r u <<<"$out"
				log "parked $target, workers $workers, notify $notify, run $run: $r advanced/s, $u µs of worker CPU each (load $(cut -d' ' -f1-3 /proc/loadavg))"
				R+=("$r")
				U+=("$u")
			done
			echo "| $target | $workers | $notify | $BENCH_K | $BENCH_RUNS | $(median "${R[@]}") | $(median "${U[@]}") | $load0 → $(cut -d' ' -f1-3 /proc/loadavg) |"
		done
	done
done
