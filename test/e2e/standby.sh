#!/usr/bin/env bash
# test/e2e/standby.sh — booking on a streaming replica: nothing fires there,
# reads work, writes are refused clearly, and after promotion the timers fire.
#
# A private primary (its timer worker serving booking_e2e_standby) with
# executions parked on timers due in 40 s (room for pg_basebackup on a loaded
# machine: at 15 s a loaded run saw them fire before the primary stopped),
# one waiting for a task token and one on an activity task (lib/parked_workflows.sh). A hot standby is made
# with pg_basebackup -R (streaming replication over the unix socket) and
# started with the same settings; once it has replayed everything the
# primary is stopped, before any timer is due.
#
# On the standby: its timer worker runs and says "standby"; describe, list and
# history answer as on the primary, and sfn_start_sync runs (it stores nothing); sfn_start, sfn_tick, sfn_stop_execution,
# sfn_send_task_success and purge_executions fail with SQLSTATE 25006 and a
# message saying the server is a hot standby. After the timers' due time
# nothing has fired (still RUNNING, the task table empty). Then pg_ctl promote:
# the worker starts ticking, the parked executions finish by themselves (none
# before its time, each task once), and the token and the activity task are
# answered on the new primary.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/own_cluster_test.sh"
. "$HERE/lib/parked_workflows.sh"
E2E_DB=booking_e2e_standby
TAG=${BOOKING_TEST_TAG:-}
DIR_P=/tmp/booking-e2e-standby-p$TAG
DIR_S=/tmp/booking-e2e-standby-s$TAG
PORT_P=$((54383 + ${BOOKING_PORT_OFFSET:-0}))
PORT_S=$((54384 + ${BOOKING_PORT_OFFSET:-0}))
SETTINGS=(booking.database=$E2E_DB booking.workers=1 hot_standby=on)
N=5

standby_stop() {
	cluster_stop "$DIR_S"
	as_root rm -rf "$DIR_S"	# the postgres user's
}
# psql on the standby
qs() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$DIR_S" -p "$PORT_S" -d "$E2E_DB" "$@"; }

own_test_start "$DIR_P" "$PORT_P" "${SETTINGS[@]}"
trap 'standby_stop; own_test_cleanup' EXIT
create_due_in || fail "creating due_in"
q -c "CREATE EXTENSION booking" >/dev/null
parked_setup
parked_start s $N 40
q -c "SELECT booking.sfn_create_state_machine('sync_probe', '{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": {\"doubled.$\": \"States.MathAdd(\$.x, \$.x)\"}, \"End\": true}}}', role => 'postgres')" >/dev/null
due=$(q -c "SELECT max((input->>'due')::timestamptz) FROM booking.executions WHERE name ~ '^s-[0-9]+$'")
pass "primary: $N executions parked on timers, one on a task token, one on an activity task, a Map's children on timers, one ended"

standby_stop
as_root mkdir -p "$DIR_S" && as_root chown postgres:postgres "$DIR_S" && as_root chmod 700 "$DIR_S"
as_postgres "$PG_BIN/pg_basebackup" -h "$DIR_P" -p "$PORT_P" -U postgres -D "$DIR_S/data" -R -X stream -c fast \
	|| fail "pg_basebackup"
# the copied booking.conf names the primary's port and socket: this one's own
cluster_init "$DIR_S" "$PORT_S" || fail "configuring the standby"
for s in "${SETTINGS[@]}"; do
	echo "${s%%=*} = '${s#*=}'" | as_postgres tee -a "$DIR_S/data/booking.conf" >/dev/null
done
cluster_start "$DIR_S" "$PORT_S" || fail "starting the standby"
[ "$(qs -c "SELECT pg_is_in_recovery()")" = t ] || fail "the standby is not in recovery"
lsn=$(q -c "SELECT pg_current_wal_lsn()")
deadline=$((SECONDS + 30))
until [ "$(qs -c "SELECT pg_last_wal_replay_lsn() >= '$lsn'")" = t ]; do
	[ $SECONDS -lt $deadline ] || fail "the standby did not replay up to $lsn"
	sleep 0.1
done
own_cluster_stop
[ "$(qs -c "SELECT now() < '$due'::timestamptz")" = t ] \
	|| fail "the primary was stopped after the timers' due time: the machine was too slow for this test's 40 s"
pass "a streaming standby made with pg_basebackup replayed everything; the primary is stopped"

got=$(qs -c "SELECT count(*) || ' ' || string_agg(DISTINCT state, ',') FROM booking.timer_workers()")
deadline=$((SECONDS + 30))
while [ "$got" != "1 standby" ]; do
	[ $SECONDS -lt $deadline ] || fail "the standby's timer workers are '$got', not one in state standby"
	sleep 0.1
	got=$(qs -c "SELECT count(*) || ' ' || coalesce(string_agg(DISTINCT state, ','), '') FROM booking.timer_workers()")
done
pass "the standby's timer worker runs and waits (state standby)"

# reads
got=$(qs -c "SELECT d->>'status' FROM booking.sfn_describe_execution('s-1') d")
[ "$got" = RUNNING ] || fail "describe on the standby: '$got'"
got=$(qs -c "SELECT count(*) FROM booking.sfn_list_executions('parked', 'RUNNING')")
[ "$got" = $N ] || fail "list on the standby: $got running parked executions, not $N"
got=$(qs -c "SELECT string_agg(type, ',' ORDER BY id) FROM booking.sfn_get_execution_history('s-ended')")
[ "$got" = "ExecutionStarted,WaitStateEntered,WaitStateExited,TaskStateEntered,LambdaFunctionScheduled,LambdaFunctionStarted,LambdaFunctionSucceeded,TaskStateExited,SucceedStateEntered,SucceedStateExited,ExecutionSucceeded" ] \
	|| fail "history on the standby: $got"
got=$(qs -c "SELECT count(*) FROM booking.monitor_timers WHERE scheduled = $((N + 2))")
[ "$got" = 1 ] || fail "monitor_timers on the standby does not show the $((N + 2)) timers (the parked and the Map's two children)"
got=$(qs -c "SELECT d->>'status' || ' ' || (d->'output'->>'doubled') FROM booking.sfn_start_sync('sync_probe', '{\"x\": 21}') d")
[ "$got" = "SUCCEEDED 42" ] || fail "sfn_start_sync on the standby: '$got'"
pass "describe, list, history, the monitoring views and sfn_start_sync (it stores nothing) answer on the standby"

# writes: each refused with 25006, saying why
token=$(qs -c "SELECT token FROM kept_tokens WHERE name = 's-cb'")
for call in "booking.sfn_start('parked', '{}', 'on-standby')" "booking.sfn_tick()" \
	"booking.sfn_stop_execution('s-1')" "booking.sfn_send_task_success('$token', '{}')" \
	"booking.purge_executions()" "booking.sfn_create_activity('x')"; do
	out=$(qs -v VERBOSITY=verbose -c "SELECT $call" 2>&1) && fail "$call succeeded on the standby"
	echo "$out" | grep -q "ERROR:  25006: .*hot standby" || fail "$call on the standby: $out"
done
pass "sfn_start, sfn_tick, sfn_stop_execution, sfn_send_task_success, purge_executions, sfn_create_activity: 25006, 'hot standby'"

# past the due time, nothing has fired
now=$(qs -c "SELECT now()")
sleep "$(qs -c "SELECT greatest(extract(epoch FROM '$due'::timestamptz - now()), 0) + 1.5")"
got=$(qs -c "SELECT count(*) FILTER (WHERE status = 'RUNNING') || ' ' || (SELECT count(*) FROM done WHERE name ~ '^s-[0-9]+$')
               FROM booking.executions WHERE name ~ '^s-[0-9]+$'")
[ "$got" = "$N 0" ] || fail "on the standby past the due time: '$got' (running, fired), expected '$N 0'"
pass "past their due time nothing fired on the standby ($N still RUNNING, the task table empty)"

as_postgres "$PG_BIN/pg_ctl" -D "$DIR_S/data" -w promote >/dev/null || fail "pg_ctl promote"
[ "$(qs -c "SELECT pg_is_in_recovery()")" = f ] || fail "still in recovery after promotion"
# the promoted server is the primary the helpers talk to now
export PGHOST=$DIR_S PGPORT=$PORT_S
parked_finish s $N
pass "promoted: the parked executions fired by themselves, each task once; the token and the activity task were answered"
got=$(q -c "SELECT string_agg(DISTINCT state, ',') FROM booking.timer_workers()")
[ "$got" != standby ] || fail "the worker still says standby after promotion"
echo "standby: all checks passed"
