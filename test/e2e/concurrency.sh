#!/usr/bin/env bash
# test/e2e/concurrency.sh — several timer workers and manual ticks at once, each
# execution advanced exactly once.
#
# A private cluster (port 54363): 3 timer workers with small batches
# (booking.worker_batch_size = 20, so they interleave) serve the database, while
# 2 sessions call sfn_tick(25) in a loop. 600 executions from 3 concurrent
# clients each pass three timers (a sub-second TimestampPath wait, a 1 s wait,
# another sub-second one), a Task between them calling the SQL function
# record_done, which inserts the execution's name into a table with a unique
# key: an execution advanced twice would insert twice, fail on the key and end
# FAILED. At the end:
#   every execution SUCCEEDED, and the table holds exactly one row per execution
#   (none missing, none doubled); each history has one ExecutionSucceeded and
#   each Wait exited once; both the workers and the manual ticks did some of it;
#   nothing was logged as failing while advancing.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/session.sh"
. "$HERE/lib/own_cluster.sh"
E2E_DB=booking_e2e_concurrency
DIR=${CONCURRENCY_DIR:-/tmp/booking-e2e-concurrency}
PORT=${CONCURRENCY_PORT:-54363}
N_PER_CLIENT=200
TICKERS=()

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$E2E_DB" "$@"; }

cleanup() {
	local p
	for p in "${TICKERS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${TICKERS[@]}"; do wait "$p" 2>/dev/null || true; done
	e2e_cleanup
	own_cluster_stop
}
trap cleanup EXIT
e2e_init

own_cluster_start "$DIR" "$PORT" booking.database=$E2E_DB booking.workers=3 booking.worker_batch_size=20 \
	|| fail "starting a private cluster on port $PORT"
psql -X -q -d postgres -c "CREATE DATABASE $E2E_DB" || fail "creating $E2E_DB"

wait_for() {
	local deadline=$((SECONDS + ${3:-$E2E_TIMEOUT})) got
	while :; do
		got=$(q -c "$2" 2>/dev/null) || got=
		[ "$got" = t ] && return 0
		[ $SECONDS -lt $deadline ] || fail "$1 (still '$got')"
		sleep 0.2
	done
}

q >/dev/null <<'SQL' || fail "creating the extension, the table and the state machine"
CREATE EXTENSION booking;
CREATE TABLE done (name text PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION record_done(payload jsonb) RETURNS jsonb LANGUAGE sql AS
$$ INSERT INTO done (name) VALUES (payload->>'name') RETURNING jsonb_build_object('recorded', name) $$;
CREATE FUNCTION due_in(s float8) RETURNS text LANGUAGE sql AS
$$ SELECT to_char((clock_timestamp() + s * interval '1 second') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') $$;
SELECT booking.sfn_create_state_machine('three_timers', '{
  "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "TimestampPath": "$.due", "Next": "Again"},
    "Again": {"Type": "Wait", "Seconds": 1, "Next": "Record"},
    "Record": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:record_done",
               "Parameters": {"name.$": "$$.Execution.Name"}, "ResultPath": "$.recorded", "Next": "Last"},
    "Last": {"Type": "Wait", "TimestampPath": "$.due", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}');
SQL
wait_for "three timer workers connected" "SELECT count(*) = 3 FROM booking.timer_workers()"

# 2 manual tickers: sfn_tick(25) over and over, each its own transaction
ticker() {
	while :; do echo "SELECT booking.sfn_tick(25);"; sleep 0.005; done |
		psql -X -q -At -d "$E2E_DB" >"$E2E_WORK/ticker$1.out" 2>&1
}
ticker 1 & TICKERS+=($!)
ticker 2 & TICKERS+=($!)

client() {
	local n=$1
	for batch in $(seq 0 $((N_PER_CLIENT / 10 - 1))); do
		echo "SELECT count(booking.sfn_start('three_timers',
		        jsonb_build_object('due', due_in(0.05 + random() * 0.9)), 'c$n-' || i))
		   FROM generate_series($((batch * 10)), $((batch * 10 + 9))) i;"
		echo "SELECT pg_sleep(0.01);"
	done | q >/dev/null
}
client 1 & c1=$!
client 2 & c2=$!
client 3 & c3=$!
wait $c1 && wait $c2 && wait $c3 || fail "the clients could not start their executions"
total=$((3 * N_PER_CLIENT))
[ "$(q -c 'SELECT count(*) FROM booking.executions WHERE parent_id IS NULL')" = $total ] || fail "not $total executions started"

wait_for "all $total executions end" "SELECT count(*) = 0 FROM booking.executions WHERE status = 'RUNNING'" 60
for p in "${TICKERS[@]}"; do kill "$p" 2>/dev/null || true; done
TICKERS=()

bad=$(q -c "SELECT count(*) FROM booking.executions WHERE status <> 'SUCCEEDED'")
[ "$bad" = 0 ] || fail "$bad executions did not succeed: $(q -c "SELECT name, status, error, cause FROM booking.executions WHERE status <> 'SUCCEEDED' LIMIT 5")"
pass "all $total executions succeeded"

rows=$(q -c "SELECT count(*) || ' rows, ' || count(DISTINCT name) || ' names, ' || count(*) FILTER (WHERE name NOT IN (SELECT name FROM booking.executions)) || ' strangers' FROM done")
[ "$rows" = "$total rows, $total names, 0 strangers" ] || fail "the task's table has $rows, expected $total rows, one per execution"
pass "the task ran exactly once per execution: $total rows under a unique key, none missing"

wrong=$(q <<'SQL'
SELECT count(*) FROM (
  SELECT e.name,
         count(*) FILTER (WHERE h.type = 'ExecutionSucceeded') AS succeeded,
         count(*) FILTER (WHERE h.type = 'WaitStateExited') AS waits,
         count(*) FILTER (WHERE h.type = 'LambdaFunctionSucceeded') AS tasks
    FROM booking.executions e, booking.sfn_get_execution_history(e.arn) h
   GROUP BY 1) x
 WHERE succeeded <> 1 OR waits <> 3 OR tasks <> 1
SQL
)
[ "$wrong" = 0 ] || fail "$wrong histories are not one success, one task and three waits"
pass "each history: one ExecutionSucceeded, one LambdaFunctionSucceeded, each of the three Waits exited once"

manual=$(cat "$E2E_WORK"/ticker*.out | awk '/^[0-9]+$/ { n += $1 } END { print n + 0 }')
workers=$(q -c "SELECT sum(woken) FROM booking.timer_workers()")
[ "${manual:-0}" -gt 0 ] || fail "the manual ticks advanced nothing"
[ $((manual)) -lt $((total * 3)) ] || fail "the manual ticks advanced everything ($manual): the workers did nothing"
pass "work was shared: manual ticks advanced $manual of $((total * 3)) timer firings, the workers the rest (woken $workers times)"
if grep -E 'failed while advancing|PANIC|TRAP|terminated by signal|booking timer.*ERROR' "$DIR/server.log"; then
	fail "the server log shows failures"
fi
pass "server log: no execution failed while advancing, no worker error"
echo "concurrency: all checks passed"
