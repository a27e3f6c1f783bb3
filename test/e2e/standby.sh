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
# history answer as on the primary, and sfn_start_sync runs (it stores
# nothing), as does every other reading function of the API, as the
# application role; every writing function (sfn_start, sfn_tick, the task
# answers, the state machine, activity, grant, tag, version, alias and mock
# functions, the purge) fails with SQLSTATE 25006 and a message naming it
# and saying the server is a hot standby; a function of the API in neither
# list fails the test. After the timers' due time
# nothing has fired (still RUNNING, the task table empty), nor the other
# timers (a Retry back-off, a task's TimeoutSeconds and HeartbeatSeconds, the
# machine's TimeoutSeconds). Then pg_ctl promote: the worker starts ticking,
# the parked executions finish by themselves (none before its time, each task
# once), the other timers go off, and the token and the activity task are
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
q -c "CREATE EXTENSION booking" >/dev/null && create_app_role || fail "creating the extension and the application role"
parked_setup
timers_setup 40
parked_start s $N 40
timers_start st
MACHINE_ARN=arn:aws:states:local:000000000000:stateMachine:sync_probe
q -v app="$E2E_APP" >/dev/null <<'SQL' || fail "creating sync_probe, its version, alias and tag, and the application role's grants"
SELECT booking.sfn_create_state_machine('sync_probe', '{"StartAt": "P", "States": {"P": {"Type": "Pass",
         "Parameters": {"doubled.$": "States.MathAdd($.x, $.x)"}, "End": true}}}', role => 'postgres');
SELECT booking.sfn_publish_state_machine_version('sync_probe');
SELECT booking.sfn_create_state_machine_alias('sync_probe', 'live',
         '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:sync_probe:1", "weight": 100}]');
SELECT booking.sfn_tag_resource('arn:aws:states:local:000000000000:stateMachine:sync_probe', '{"team": "ops"}');
SELECT booking.sfn_grant('parked', :'app', ARRAY['READ']);
SELECT booking.sfn_grant('sync_probe', :'app', ARRAY['START', 'READ']);
SELECT booking.sfn_grant_activity('chores', :'app', ARRAY['USE']);
SQL
first_due=$(q -c "SELECT least(min((input->>'due')::timestamptz), '$(timers_due st)') FROM booking.executions WHERE name ~ '^s-[0-9]+$'")
due=$(q -c "SELECT max(due_at) FROM booking.executions WHERE status = 'RUNNING' AND due_at IS NOT NULL")
pass "primary: $N executions parked on timers, one on a task token, one on an activity task, a Map's children on timers, one ended; one on a Retry back-off, a task's TimeoutSeconds, its HeartbeatSeconds, the machine's TimeoutSeconds"

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
[ "$(qs -c "SELECT now() < '$first_due'::timestamptz")" = t ] \
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

# reads, as the application role (booking_user and the grants above)
qsa() { PGUSER=$E2E_APP qs "$@"; }
got=$(qsa -c "SELECT d->>'status' FROM booking.sfn_describe_execution('s-1') d")
[ "$got" = RUNNING ] || fail "describe on the standby: '$got'"
got=$(qsa -c "SELECT count(*) FROM booking.sfn_list_executions('parked', 'RUNNING')")
[ "$got" = $N ] || fail "list on the standby: $got running parked executions, not $N"
got=$(qsa -c "SELECT string_agg(type, ',' ORDER BY id) FROM booking.sfn_get_execution_history('s-ended')")
[ "$got" = "ExecutionStarted,WaitStateEntered,WaitStateExited,TaskStateEntered,LambdaFunctionScheduled,LambdaFunctionStarted,LambdaFunctionSucceeded,TaskStateExited,SucceedStateEntered,SucceedStateExited,ExecutionSucceeded" ] \
	|| fail "history on the standby: $got"
got=$(qs -c "SELECT count(*) FROM booking.monitor_timers WHERE scheduled = $((N + 6))")
[ "$got" = 1 ] || fail "monitor_timers on the standby does not show the $((N + 6)) timers (the parked, the Map's two children, the four others)"
got=$(qsa -c "SELECT d->>'status' || ' ' || (d->'output'->>'doubled') FROM booking.sfn_start_sync('sync_probe', '{\"x\": 21}') d")
[ "$got" = "SUCCEEDED 42" ] || fail "sfn_start_sync on the standby: '$got'"
# every other reading function of the API, each with what it must answer
READS=(
	"booking.sfn_describe_state_machine('parked')->>'name'|parked"
	"booking.sfn_describe_state_machine_for_execution('s-1')->>'name'|parked"
	"(SELECT string_agg(name, ',' ORDER BY name) FROM booking.sfn_list_state_machines())|parked,sync_probe"
	"(SELECT count(*) FROM booking.sfn_list_state_machine_versions('sync_probe'))|1"
	"(SELECT count(*) FROM booking.sfn_list_state_machine_aliases('sync_probe'))|1"
	"booking.sfn_describe_state_machine_alias('$MACHINE_ARN:live')->>'name'|live"
	"(SELECT string_agg(t::text, ',') FROM booking.sfn_list_tags_for_resource('$MACHINE_ARN') t)|(team,ops)"
	"(SELECT string_agg(name, ',') FROM booking.sfn_list_activities())|chores"
	"booking.sfn_describe_activity('chores')->>'name'|chores"
	"(SELECT count(*) > 0 FROM booking.sfn_validate('{\"StartAt\": \"Nowhere\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}'))|t"
	"booking.sfn_test_state('{\"Type\": \"Pass\", \"Result\": 7, \"End\": true}')->>'output'|7"
	"(SELECT count(*) FROM booking.timer_workers())|1"
	"(SELECT booking.flush_batch() IS NOT NULL)|t"
)
for read in "${READS[@]}"; do
	got=$(qsa -c "SELECT ${read%|*}" 2>&1) || fail "on the standby, as $E2E_APP: SELECT ${read%|*}: $got"
	[ "$got" = "${read##*|}" ] || fail "on the standby, as $E2E_APP: SELECT ${read%|*} gave '$got', not '${read##*|}'"
done
pass "describe, list, history, sfn_start_sync (it stores nothing) and every other reading function answer on the standby as the application role; the monitoring views too"

# writes: every one refused with 25006, naming itself and saying why
token=$(qs -c "SELECT token FROM kept_tokens WHERE name = 's-cb'")
WRITES=(
	"sfn_start|SELECT booking.sfn_start('parked', '{}', 'on-standby')"
	"sfn_tick|SELECT booking.sfn_tick()"
	"sfn_tick|CALL booking.tick_for(1, 0.1, 10)"
	"sfn_stop_execution|SELECT booking.sfn_stop_execution('s-1')"
	"sfn_redrive_execution|SELECT booking.sfn_redrive_execution('s-ended')"
	"sfn_send_task_success|SELECT booking.sfn_send_task_success('$token', '{}')"
	"sfn_send_task_failure|SELECT booking.sfn_send_task_failure('$token', 'E')"
	"sfn_send_task_heartbeat|SELECT booking.sfn_send_task_heartbeat('$token')"
	"sfn_get_activity_task|SELECT * FROM booking.sfn_get_activity_task('chores')"
	"sfn_create_activity|SELECT booking.sfn_create_activity('x')"
	"sfn_delete_activity|SELECT booking.sfn_delete_activity('chores')"
	"sfn_create_state_machine|SELECT booking.sfn_create_state_machine('x', '{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}', role => 'postgres')"
	"sfn_update_state_machine|SELECT booking.sfn_update_state_machine('sync_probe', '{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}')"
	"sfn_delete_state_machine|SELECT booking.sfn_delete_state_machine('sync_probe')"
	"sfn_grant|SELECT booking.sfn_grant('parked', '$E2E_APP', ARRAY['START'])"
	"sfn_revoke|SELECT booking.sfn_revoke('parked', '$E2E_APP', ARRAY['READ'])"
	"sfn_grant_activity|SELECT booking.sfn_grant_activity('chores', '$E2E_APP', ARRAY['WORK'])"
	"sfn_revoke_activity|SELECT booking.sfn_revoke_activity('chores', '$E2E_APP', ARRAY['USE'])"
	"sfn_tag_resource|SELECT booking.sfn_tag_resource('$MACHINE_ARN', '{\"k\": \"v\"}')"
	"sfn_untag_resource|SELECT booking.sfn_untag_resource('$MACHINE_ARN', ARRAY['team'])"
	"sfn_publish_state_machine_version|SELECT * FROM booking.sfn_publish_state_machine_version('sync_probe')"
	"sfn_delete_state_machine_version|SELECT booking.sfn_delete_state_machine_version('$MACHINE_ARN:1')"
	"sfn_create_state_machine_alias|SELECT * FROM booking.sfn_create_state_machine_alias('sync_probe', 'other', '[{\"stateMachineVersionArn\": \"$MACHINE_ARN:1\", \"weight\": 100}]')"
	"sfn_update_state_machine_alias|SELECT booking.sfn_update_state_machine_alias('$MACHINE_ARN:live', NULL, 'new description')"
	"sfn_delete_state_machine_alias|SELECT booking.sfn_delete_state_machine_alias('$MACHINE_ARN:live')"
	"sfn_load_mock_config|SELECT booking.sfn_load_mock_config('{\"StateMachines\": {}}')"
	"purge_executions|SELECT booking.purge_executions()"
	"purge_executions|CALL booking.purge_for(1)"
)
for write in "${WRITES[@]}"; do
	out=$(qs -v VERBOSITY=verbose -c "${write#*|}" 2>&1) && fail "${write#*|} succeeded on the standby"
	echo "$out" | grep -q "ERROR:  25006: ${write%%|*}: this server is a hot standby" || fail "${write#*|} on the standby: $out"
done
# every function the API has is one of the two lists above (or a helper that
# reads nothing): one added later must be classified here
listed=" ${READS[*]} ${WRITES[*]} booking.sfn_describe_execution( booking.sfn_list_executions( booking.sfn_get_execution_history( booking.sfn_start_sync( "
unlisted=
for f in $(qs -c "SELECT DISTINCT proname FROM pg_proc
                   WHERE pronamespace = 'booking'::regnamespace AND prokind IN ('f', 'p')
                     AND (has_function_privilege('booking_user', oid, 'EXECUTE') OR proname LIKE 'purge%')
                     AND proname NOT IN ('arn_name', 'booking_backend_memory', 'check_page', 'execution_id',
                                         'has_state_machine_privilege', 'invalid_token', 'jsonata', 'next_timer',
                                         'raise_task_error', 'state_machine_id')"); do
	case $listed in *"booking.$f("*) ;; *) unlisted+=" $f" ;; esac
done
[ -z "$unlisted" ] || fail "functions not checked on the standby (add them to READS or WRITES):$unlisted"
pass "${#WRITES[@]} writes (every writing function of the API, the purge and the tick procedures): 25006, each naming itself, 'hot standby'"

# past the due time, nothing has fired
now=$(qs -c "SELECT now()")
sleep "$(qs -c "SELECT greatest(extract(epoch FROM '$due'::timestamptz - now()), 0) + 1.5")"
got=$(qs -c "SELECT count(*) FILTER (WHERE status = 'RUNNING') || ' ' || (SELECT count(*) FROM done WHERE name ~ '^s-[0-9]+$')
               FROM booking.executions WHERE name ~ '^(s-[0-9]+|st-.*)$'")
[ "$got" = "$((N + 4)) 0" ] || fail "on the standby past the due time: '$got' (running, fired), expected '$((N + 4)) 0'"
pass "past their due time nothing fired on the standby ($N parked and the 4 other timers still RUNNING, the task table empty)"

as_postgres "$PG_BIN/pg_ctl" -D "$DIR_S/data" -w promote >/dev/null || fail "pg_ctl promote"
[ "$(qs -c "SELECT pg_is_in_recovery()")" = f ] || fail "still in recovery after promotion"
# the promoted server is the primary the helpers talk to now
export PGHOST=$DIR_S PGPORT=$PORT_S
parked_finish s $N
timers_finish st 40
pass "promoted: the parked executions fired by themselves, each task once; the token and the activity task were answered; the Retry back-off, the two task timeouts and the machine's timeout went off, none early"
got=$(q -c "SELECT string_agg(DISTINCT state, ',') FROM booking.timer_workers()")
[ "$got" != standby ] || fail "the worker still says standby after promotion"
echo "standby: all checks passed"
