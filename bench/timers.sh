#!/usr/bin/env bash
# bench/timers.sh — how late the timer workers fire timers.
#
# A private cluster (BENCH_DIR, port BENCH_PORT, default 54342) as the postgres
# user, booking and pg_cron preloaded, the workers serving database "bench"
# (booking.workers = BENCH_WORKERS, default 1; booking.worker_batch_size =
# BENCH_BATCH, default 100), track_commit_timestamp on. A
# state machine is one Wait on TimestampPath $.due, then the end: its execution
# ends in the tick that fires its timer. Lateness of a timer:
#
#   fired     = executions.stop_date - due       (when the worker advanced it)
#   committed = commit time of that row - due     (when others see it: the tick's commit)
#
# Scenarios:
#   idle   one client starts an execution every 100 ms for BENCH_SECONDS, each
#          due 50 ms to 1 s later: the workers sleep between timers and are woken
#          by the commits of starts (about 10 timers per second)
#   load   pgbench starts 1,000 executions per second (-R 100, 10 per transaction,
#          2 clients) for BENCH_SECONDS, each due 1 to 2 s later: about 1,000
#          timers per second come due while the starts go on
#
# Prints a markdown table (p50, p90, p99, max, in ms) on stdout; progress on
# stderr. Nothing asserts on time: it fails only if an execution does not
# succeed. Stops the cluster at the end, also on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/booking-bench-timers}
BENCH_PORT=${BENCH_PORT:-54342}
BENCH_SECONDS=${BENCH_SECONDS:-30}
BENCH_WORKERS=${BENCH_WORKERS:-1}
BENCH_RATE=${BENCH_RATE:-1000}
BENCH_BATCH=${BENCH_BATCH:-100}
. "$ROOT/test/lib/cluster.sh"

log() { echo "$*" >&2; }
trap 'cluster_stop "$BENCH_DIR"' EXIT

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
	./install.sh build >&2
fi
cluster_stop "$BENCH_DIR"
as_root rm -rf "$BENCH_DIR"	# the postgres user's
cluster_init "$BENCH_DIR" "$BENCH_PORT"
as_postgres tee -a "$BENCH_DIR/data/booking.conf" >/dev/null <<CONF
booking.database = 'bench'
booking.workers = $BENCH_WORKERS
booking.worker_batch_size = $BENCH_BATCH
track_commit_timestamp = on
CONF
cluster_start "$BENCH_DIR" "$BENCH_PORT"
export PGHOST=$BENCH_DIR PGPORT=$BENCH_PORT PGUSER=postgres
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d bench "$@"; }
psql -X -q -d postgres -c "CREATE DATABASE bench"
q >/dev/null <<'SQL'
CREATE EXTENSION booking;
SELECT booking.sfn_create_state_machine('timer', '{
  "StartAt": "Hold",
  "States": {"Hold": {"Type": "Wait", "TimestampPath": "$.due", "End": true}}
}', role => 'postgres');
CREATE FUNCTION due_in(s float8) RETURNS text LANGUAGE sql AS
$$ SELECT to_char((clock_timestamp() + s * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;
SQL
# the workers connect once the database exists (they retry every 5 s)
for _ in $(seq 1 100); do
	[ "$(q -c "SELECT count(*) FROM booking.timer_workers()")" = "$BENCH_WORKERS" ] && break
	sleep 0.1
done

# settle SCENARIO: wait for every execution to end, then one table row
settle() {
	local scenario=$1 n
	for _ in $(seq 1 600); do
		[ "$(q -c "SELECT count(*) FROM booking.executions WHERE status = 'RUNNING'")" = 0 ] && break
		sleep 0.1
	done
	n=$(q -c "SELECT count(*) FROM booking.executions WHERE status <> 'SUCCEEDED'")
	[ "$n" = 0 ] || { log "$scenario: $n executions did not succeed"; exit 1; }
	q -F ' | ' <<SQL
WITH late AS (
  SELECT (input->>'due')::timestamptz AS due,
         extract(epoch FROM stop_date - (input->>'due')::timestamptz) * 1000 AS fired,
         extract(epoch FROM pg_xact_commit_timestamp(xmin) - (input->>'due')::timestamptz) * 1000 AS committed
    FROM booking.executions
   -- the first 3 s warm the load up
   WHERE (input->>'due')::timestamptz > (SELECT min(start_date) FROM booking.executions) + interval '3 s')
SELECT '| $scenario', $BENCH_WORKERS, $BENCH_BATCH, count(*),
       round(count(*) / extract(epoch FROM max(due) - min(due))),
       k.what,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY v)::numeric, 1),
       round(percentile_cont(0.9) WITHIN GROUP (ORDER BY v)::numeric, 1),
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY v)::numeric, 1),
       round(max(v)::numeric, 1) || ' |'
  FROM late, LATERAL (VALUES ('fired', fired), ('committed', committed)) k(what, v)
 GROUP BY k.what ORDER BY k.what DESC;
SQL
}

echo "| scenario | workers | batch | timers | due per second | lateness | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|---|---:|---:|---:|---:|"

log "idle: one start every 100 ms for ${BENCH_SECONDS}s, each due 50 ms to 1 s later"
for i in $(seq 1 $((BENCH_SECONDS * 10))); do
	echo "SELECT booking.sfn_start('timer', jsonb_build_object('due', due_in(0.05 + random() * 0.95)));"
	echo "SELECT pg_sleep(0.1);"
done | q >/dev/null
settle idle

q -c "TRUNCATE booking.executions, booking.history" >/dev/null
q -c "VACUUM ANALYZE booking.executions" >/dev/null
tps=$((BENCH_RATE / 10))
log "load: $BENCH_RATE starts per second (pgbench -R $tps, 10 per transaction) for ${BENCH_SECONDS}s, each due 1 to 2 s later"
cat >"$BENCH_DIR/start10.sql" <<'SQL'
SELECT count(booking.sfn_start('timer', jsonb_build_object('due', due_in(1 + random())))) FROM generate_series(1, 10);
SQL
"$PG_BIN/pgbench" -n -d bench -c 2 -j 2 -R "$tps" -T "$BENCH_SECONDS" -f "$BENCH_DIR/start10.sql" >"$BENCH_DIR/pgbench.log" 2>&1 \
	|| { cat "$BENCH_DIR/pgbench.log" >&2; exit 1; }
grep -E 'tps|latency|lag|late' "$BENCH_DIR/pgbench.log" >&2 || true
settle load
