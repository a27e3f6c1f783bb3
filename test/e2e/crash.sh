#!/usr/bin/env bash
# test/e2e/crash.sh — a crash loses nothing and doubles nothing.
#
# A private cluster (port 54362, 2 timer workers). Each execution waits for a
# timer, then a Task calls the SQL function record_done, which inserts the
# execution's name into a table with a unique key (and sleeps 2 ms, so ticks
# take a while), then waits again and ends. A second run of the task would
# fail on the key and end the execution FAILED.
#
#  1. kill -9 mid-tick: 300 executions due over 3 s; a session holds a manual
#     tick open (claimed rows, uncommitted) and is killed -9, then a worker is
#     killed -9 while it is ticking. PostgreSQL restarts (crash recovery), the
#     workers come back by themselves and finish everything.
#  2. pg_ctl stop -m immediate mid-load: 3 clients start executions one by one
#     (autocommit) while the workers tick; the server is stopped with -m
#     immediate, then started again. Every start a client saw succeed exists.
#
# After each: every execution ends SUCCEEDED, the table has exactly one row per
# execution (none missing, none doubled), each history one ExecutionSucceeded,
# one LambdaFunctionSucceeded and two WaitStateExited. No tick is called after a restart:
# the workers alone finish the work.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/own_cluster_test.sh"
E2E_DB=booking_e2e_crash
DIR=${CRASH_DIR:-/tmp/booking-e2e-crash${BOOKING_TEST_TAG:-}}
PORT=${CRASH_PORT:-$((54362 + ${BOOKING_PORT_OFFSET:-0}))}

own_test_start "$DIR" "$PORT" booking.database=$E2E_DB booking.workers=2 booking.worker_batch_size=50 \
	restart_after_crash=on
create_due_in || fail "creating due_in"

q -c "CREATE EXTENSION booking" >/dev/null && create_app_role || fail "creating the extension and the application role"
qa >/dev/null <<'SQL' || fail "creating the table and the state machine"
CREATE TABLE done (name text PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION record_done(payload jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO done (name) VALUES (payload->>'name');
    PERFORM pg_sleep(0.002);
    RETURN jsonb_build_object('recorded', payload->>'name');
END $$;
SELECT booking.sfn_create_state_machine('expiry', '{
  "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "TimestampPath": "$.due", "Next": "Record"},
    "Record": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:record_done",
               "Parameters": {"name.$": "$$.Execution.Name"}, "ResultPath": "$.recorded", "Next": "Settle"},
    "Settle": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}');
SQL
wait_for "two timer workers connected" "SELECT count(*) = 2 FROM booking.timer_workers()"

# crashed: wait until PostgreSQL has restarted and both workers are back
back_up() {
	local deadline=$((SECONDS + 60))
	until q -c "SELECT count(*) = 2 FROM booking.timer_workers()" 2>/dev/null | grep -qx t; do
		[ $SECONDS -lt $deadline ] || fail "$1: the server or its workers did not come back
$(tail -20 "$DIR/server.log")"
		sleep 0.2
	done
}

# every execution SUCCEEDED, one row each in done, one success in each history
check_exact() {
	local what=$1 total bad rows wrong
	wait_for "$what: every execution ends" "SELECT count(*) = 0 FROM booking.executions WHERE status = 'RUNNING'" 90
	total=$(q -c "SELECT count(*) FROM booking.executions WHERE parent_id IS NULL")
	bad=$(q -c "SELECT count(*) FROM booking.executions WHERE status <> 'SUCCEEDED'")
	[ "$bad" = 0 ] || fail "$what: $bad executions did not succeed: $(q -c "SELECT name, status, error, cause FROM booking.executions WHERE status <> 'SUCCEEDED' LIMIT 5")"
	rows=$(q -c "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE name NOT IN (SELECT name FROM booking.executions)) || ' strangers' FROM done")
	[ "$rows" = "$total rows, 0 strangers" ] || fail "$what: the task's table has $rows; $total executions"
	wrong=$(inexact_histories 2)
	[ "$wrong" = 0 ] || fail "$what: $wrong histories are not one success, one task, two waits"
	pass "$what: all $total executions SUCCEEDED, the task ran once each ($total rows under a unique key), histories exact"
}

# ---- 1. kill -9 mid-tick
qa -c "SELECT count(booking.sfn_start('expiry', jsonb_build_object('due', due_in(0.3 + random() * 2)), 'k-' || i))
        FROM generate_series(1, 300) i" >/dev/null
# a session locks 40 of them (the workers skip locked rows), ticks them once
# due (its own locks don't stop its claim), and dies before it commits
session_open holder
session_run holder "SELECT pg_backend_pid();"
holder_pid=$OUT
session_run holder "BEGIN;"
session_run holder "SELECT count(*) FROM (SELECT FROM booking.executions WHERE name LIKE 'k-%' AND substr(name, 3)::int <= 40 FOR UPDATE) x;"
[ "$OUT" = 40 ] || fail "the holder locked $OUT executions, not 40"
session_run holder "SELECT pg_sleep(2.5);"
session_run holder "SELECT booking.sfn_tick(1000);"
claimed=$OUT
# the 40 it holds, and maybe a few more that came due before a worker took them
[ "${claimed:-0}" -ge 40 ] || fail "the manual tick advanced $claimed executions, expected at least the 40 it holds"
kill -9 "$holder_pid"
session_close holder
pass "killed -9 a backend in the middle of a tick of $claimed executions (their tasks ran, nothing committed)"
back_up "after kill -9 of a ticking backend"

# now a worker, while it ticks (its tasks sleep 2 ms each: a batch takes a while)
qa -c "SELECT count(booking.sfn_start('expiry', jsonb_build_object('due', due_in(0.2 + random() * 2)), 'w-' || i))
        FROM generate_series(1, 300) i" >/dev/null
killed=
deadline=$((SECONDS + 20))
while [ -z "$killed" ] && [ $SECONDS -lt $deadline ]; do
	pid=$(q -c "SELECT pid FROM pg_stat_activity WHERE backend_type = 'booking timer' AND state = 'active'
	            AND wait_event IS DISTINCT FROM 'Extension' LIMIT 1" 2>/dev/null || true)
	if [ -n "$pid" ]; then kill -9 "$pid" && killed=$pid; fi
	sleep 0.01
done
[ -n "$killed" ] || fail "no worker was caught ticking to kill"
pass "killed -9 a timer worker in the middle of a tick"
back_up "after kill -9 of a ticking worker"
check_exact "kill -9 mid-tick"
grep -q "terminated by signal 9" "$DIR/server.log" || fail "the server log shows no kill -9"

# ---- 2. -m immediate mid-load
client() {	# client N: starts one by one until the server goes away; prints each ARN it got
	local n=$1 i
	for i in $(seq 1 100000); do
		echo "SELECT booking.sfn_start('expiry', jsonb_build_object('due', due_in(random() * 2)), 'm$n-$i');"
	done | stdbuf -oL psql -X -q -At -v ON_ERROR_STOP=1 -d "$E2E_DB" >"$E2E_WORK/client$n.out" 2>"$E2E_WORK/client$n.err" || true
}
client 1 & E2E_PIDS+=($!)
client 2 & E2E_PIDS+=($!)
client 3 & E2E_PIDS+=($!)
wait_for "load: executions starting and timers firing" \
	"SELECT count(*) > 150 AND (SELECT count(*) FROM done WHERE name LIKE 'm%') > 30 FROM booking.executions WHERE name LIKE 'm%'"
as_postgres "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null || fail "pg_ctl stop -m immediate"
for p in "${E2E_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
E2E_PIDS=()
acked=$(cat "$E2E_WORK"/client*.out | grep -c '^arn:aws:states:' || true)
pass "stopped with -m immediate under load ($acked starts acknowledged)"
own_cluster_restart || fail "restarting after -m immediate"
back_up "after -m immediate"

# every acknowledged start survived
cat "$E2E_WORK"/client*.out | grep '^arn:aws:states:' | sed 's/.*://' >"$E2E_WORK/acked.txt"
missing=$(q -v acked="$(paste -sd, "$E2E_WORK/acked.txt")" <<'SQL'
SELECT count(*) FROM unnest(string_to_array(:'acked', ',')) a(name)
 WHERE NOT EXISTS (SELECT FROM booking.executions e WHERE e.name = a.name)
SQL
)
[ "$missing" = 0 ] || fail "$missing acknowledged starts are gone after the crash"
pass "all $acked acknowledged starts survived the immediate stop"
check_exact "pg_ctl stop -m immediate mid-load"

if grep -E 'PANIC|TRAP|booking timer.*ERROR|failed while advancing' "$DIR/server.log"; then
	fail "the server log shows a failure beyond the kills"
fi
pass "server log: only the kills, no PANIC, no worker or execution error"
echo "crash: all checks passed"
