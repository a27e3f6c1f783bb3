#!/usr/bin/env bash
# bench/retention.sh — timers while the worker purges a million old executions.
#
# A private cluster (BENCH_DIR, port BENCH_PORT, default 54344) as the postgres
# user, one timer worker serving database postgres, track_commit_timestamp on.
# BENCH_OLD (default 1,000,000) executions that ended 100 days ago are written
# straight into booking's tables (each with a history row of four events, as a
# two-state execution records), with booking.execution_retention = -1 (kept).
#
# Then, twice, one client starts an execution every 20 ms for BENCH_SECONDS
# (default 60), each a Wait on TimestampPath $.due 50 ms to 1 s later, then
# the end (bench/timers.sh's machine):
#   kept     retention -1: nothing is purged (the baseline)
#   purging  retention 90 days, reloaded before the load starts: the worker
#            purges the old executions in batches of booking.retention_batch_size
#            (BENCH_PURGE_BATCH, default 500) between its timers
# Lateness of a timer: fired = stop_date - due; committed = commit time - due.
# Also printed: how many old executions were purged during the purging load,
# and how long the rest took once the load stopped.
#
# Prints markdown tables on stdout; progress on stderr. Nothing asserts on
# time: it fails only if an execution does not succeed. Stops the cluster at
# the end, also on failure.
set -euo pipefail
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH")
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-retention}
BENCH_PORT=${BENCH_PORT:-54344}
BENCH_SECONDS=${BENCH_SECONDS:-60}
BENCH_OLD=${BENCH_OLD:-1000000}
BENCH_PURGE_BATCH=${BENCH_PURGE_BATCH:-500}
. "$BENCH/lib/bench.sh"

bench_build
bench_cluster "$BENCH_DIR" "$BENCH_PORT" "booking.workers = 1" "booking.execution_retention = -1" \
	"booking.retention_batch_size = $BENCH_PURGE_BATCH" "track_commit_timestamp = on" "max_wal_size = '4GB'"
q() { sql -v ON_ERROR_STOP=1 "$@"; }
q >/dev/null <<'SQL'
SELECT booking.sfn_create_state_machine('timer', '{
  "StartAt": "Hold",
  "States": {"Hold": {"Type": "Wait", "TimestampPath": "$.due", "End": true}}
}', role => 'postgres');
SQL
q -f "$ROOT/test/e2e/lib/due_in.sql" >/dev/null

log "writing $BENCH_OLD executions that ended 100 days ago, a history row each"
start=$SECONDS
q -v n="$BENCH_OLD" >/dev/null <<'SQL'
INSERT INTO booking.executions (arn, name, machine_id, version, status, input, output, state, document,
                                phase, start_date, stop_date, event_count)
SELECT 'arn:aws:states:local:000000000000:execution:timer:old-' || i, 'old-' || i, 1, 1, 'SUCCEEDED',
       '{"due": "2026-01-01T00:00:00Z"}', '{"due": "2026-01-01T00:00:00Z"}', 'Hold', '{}', 'end',
       now() - interval '100 days' - i * interval '1 ms', now() - interval '100 days' + (i - :n) * interval '1 ms', 4
  FROM generate_series(1, :n) i;
INSERT INTO booking.history (execution_id, events)
SELECT id, jsonb_build_array(
         jsonb_build_object('type', 'ExecutionStarted', 'timestamp', start_date, 'details', jsonb_build_object('input', input)),
         jsonb_build_object('type', 'WaitStateEntered', 'timestamp', start_date, 'details', jsonb_build_object('name', 'Hold')),
         jsonb_build_object('type', 'WaitStateExited', 'timestamp', stop_date, 'details', jsonb_build_object('name', 'Hold')),
         jsonb_build_object('type', 'ExecutionSucceeded', 'timestamp', stop_date, 'details', jsonb_build_object('output', output)))
  FROM booking.executions;
SQL
q -c "VACUUM ANALYZE booking.executions" -c "VACUUM ANALYZE booking.history" >/dev/null
log "written in $((SECONDS - start)) s: $(q -c "SELECT pg_size_pretty(sum(total_bytes)) FROM booking.monitor_storage")"
for _ in $(seq 1 100); do
	[ "$(q -c "SELECT count(*) FROM booking.timer_workers()")" = 1 ] && break
	sleep 0.1
done

old_left() { q -c "SELECT count(*) FROM booking.executions WHERE name LIKE 'old-%'"; }

# load SCENARIO: the timers, then their lateness as table rows
load() {
	local scenario=$1 n
	for i in $(seq 1 $((BENCH_SECONDS * 50))); do
		echo "SELECT booking.sfn_start('timer', jsonb_build_object('due', due_in(0.05 + random() * 0.95)), '$scenario-$i');"
		echo "SELECT pg_sleep(0.02);"
	done | q >/dev/null
	for _ in $(seq 1 600); do
		[ "$(q -c "SELECT count(*) FROM booking.executions WHERE status = 'RUNNING'")" = 0 ] && break
		sleep 0.1
	done
	n=$(q -c "SELECT count(*) FROM booking.executions WHERE name LIKE '$scenario-%' AND status <> 'SUCCEEDED'")
	[ "$n" = 0 ] || die "$scenario: $n executions did not succeed"
	q -F ' | ' >>"$BENCH_DIR/lateness.md" <<SQL
WITH late AS (
  SELECT (input->>'due')::timestamptz AS due,
         extract(epoch FROM stop_date - (input->>'due')::timestamptz) * 1000 AS fired,
         extract(epoch FROM pg_xact_commit_timestamp(xmin) - (input->>'due')::timestamptz) * 1000 AS committed
    FROM booking.executions WHERE name LIKE '$scenario-%')
SELECT '| $scenario', count(*), k.what,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY v)::numeric, 1),
       round(percentile_cont(0.9) WITHIN GROUP (ORDER BY v)::numeric, 1),
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY v)::numeric, 1),
       round(max(v)::numeric, 1) || ' |'
  FROM late, LATERAL (VALUES ('fired', fired), ('committed', committed)) k(what, v)
 GROUP BY k.what ORDER BY k.what DESC;
SQL
}

: >"$BENCH_DIR/lateness.md"
log "kept: retention -1, one start every 20 ms for ${BENCH_SECONDS}s, each due 50 ms to 1 s later"
load kept
[ "$(old_left)" = "$BENCH_OLD" ] || die "kept: old executions were purged with retention -1"

q -c "ALTER SYSTEM SET booking.execution_retention = '90d'" -c "SELECT pg_reload_conf()" >/dev/null
purge_start=$(date +%s.%N)
log "purging: retention 90 days, the same load"
load purging
left=$(old_left)
during=$((BENCH_OLD - left))
log "purging: $during old executions purged during the load; $left left"
while [ "$left" != 0 ]; do
	sleep 1
	left=$(old_left)
done
purge_end=$(date +%s.%N)
[ "$(q -c "SELECT count(*) FROM booking.history h WHERE NOT EXISTS (SELECT FROM booking.executions e WHERE e.id = h.execution_id)")" = 0 ] \
	|| die "history rows of purged executions are left"

echo "| scenario | timers | lateness | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---:|---|---:|---:|---:|---:|"
cat "$BENCH_DIR/lateness.md"
echo
echo "| old executions | batch | purged during the ${BENCH_SECONDS}s load | all purged after | executions per second |"
echo "|---:|---:|---:|---:|---:|"
awk -v n="$BENCH_OLD" -v b="$BENCH_PURGE_BATCH" -v d="$during" -v s="$purge_start" -v e="$purge_end" \
	'BEGIN { printf "| %d | %d | %d | %.0f s | %.0f |\n", n, b, d, e - s, n / (e - s) }'
q -F ' | ' -c "SELECT '| worker', rounds, advanced, purged, errors || ' |' FROM booking.monitor_workers" >&2
