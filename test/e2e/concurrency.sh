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
. "$HERE/lib/own_cluster_test.sh"
E2E_DB=booking_e2e_concurrency
DIR=${CONCURRENCY_DIR:-/tmp/booking-e2e-concurrency${BOOKING_TEST_TAG:-}}
PORT=${CONCURRENCY_PORT:-$((54363 + ${BOOKING_PORT_OFFSET:-0}))}
N_PER_CLIENT=200

own_test_start "$DIR" "$PORT" booking.database=$E2E_DB booking.workers=3 booking.worker_batch_size=20
create_due_in || fail "creating due_in"

q -c "CREATE EXTENSION booking" >/dev/null && create_app_role || fail "creating the extension and the application role"
qa >/dev/null <<'SQL' || fail "creating the table and the state machine"
CREATE TABLE done (name text PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION record_done(payload jsonb) RETURNS jsonb LANGUAGE sql AS
$$ INSERT INTO done (name) VALUES (payload->>'name') RETURNING jsonb_build_object('recorded', name) $$;
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
		psql -X -q -At -U "$E2E_APP" -d "$E2E_DB" >"$E2E_WORK/ticker$1.out" 2>&1
}
ticker 1 & E2E_PIDS+=($!)
ticker 2 & E2E_PIDS+=($!)

client() {
	local n=$1
	for batch in $(seq 0 $((N_PER_CLIENT / 10 - 1))); do
		echo "SELECT count(booking.sfn_start('three_timers',
		        jsonb_build_object('due', due_in(0.05 + random() * 0.9)), 'c$n-' || i))
		   FROM generate_series($((batch * 10)), $((batch * 10 + 9))) i;"
		echo "SELECT pg_sleep(0.01);"
	done | qa >/dev/null
}
client 1 & c1=$!
client 2 & c2=$!
client 3 & c3=$!
wait $c1 && wait $c2 && wait $c3 || fail "the clients could not start their executions"
total=$((3 * N_PER_CLIENT))
[ "$(q -c 'SELECT count(*) FROM booking.executions WHERE parent_id IS NULL')" = $total ] || fail "not $total executions started"

wait_for "all $total executions end" "SELECT count(*) = 0 FROM booking.executions WHERE status = 'RUNNING'" 60
for p in "${E2E_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
E2E_PIDS=()

bad=$(q -c "SELECT count(*) FROM booking.executions WHERE status <> 'SUCCEEDED'")
[ "$bad" = 0 ] || fail "$bad executions did not succeed: $(q -c "SELECT name, status, error, cause FROM booking.executions WHERE status <> 'SUCCEEDED' LIMIT 5")"
pass "all $total executions succeeded"

rows=$(q -c "SELECT count(*) || ' rows, ' || count(DISTINCT name) || ' names, ' || count(*) FILTER (WHERE name NOT IN (SELECT name FROM booking.executions)) || ' strangers' FROM done")
[ "$rows" = "$total rows, $total names, 0 strangers" ] || fail "the task's table has $rows, expected $total rows, one per execution"
pass "the task ran exactly once per execution: $total rows under a unique key, none missing"

wrong=$(inexact_histories 3)
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
