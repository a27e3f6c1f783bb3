# test/e2e/lib/parked_workflows.sh — workflows left in every state a database
# can hold them in (parked on a timer, waiting for a task token, ended), for
# the tests that move a database under them (backup.sh, upgrade.sh,
# standby.sh). Sourced after own_cluster_test.sh; uses q, wait_for, fail.
#
#   parked_setup            the tables, the functions, the activity chores and
#                           four state machines: parked (Wait until $.due, a
#                           Task that records the execution's name under a
#                           unique key, Succeed), callback (a .waitForTaskToken
#                           task whose function keeps the token, Succeed),
#                           chore (a task of activity chores, Succeed) and fan
#                           (a Map whose two iterations wait until their $.due)
#   parked_start P N S      N executions P-1…P-N of parked due in S seconds, the
#                           callback execution P-cb (its token kept), the
#                           activity task P-act, P-map (two child executions
#                           due in S seconds) and P-ended, ended already; all
#                           with shard key P where the library knows the setting
#   parked_shard_keys P C   checks that P's executions, their children (C of
#                           them), history rows and task tokens all carry shard
#                           key P
#   parked_finish P N       waits until P-1…P-N and P-map have SUCCEEDED on their
#                           own (the workers fire them, none before its time,
#                           each ran its task once), answers P-cb's token,
#                           claims and answers P-act's activity task; checks
#                           both SUCCEEDED with the answer
parked_setup() {
	q >/dev/null <<'SQL' || fail "creating the workflows' tables, functions and state machines"
CREATE TABLE done (name text PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION record_done(payload jsonb) RETURNS jsonb LANGUAGE sql AS $$
    INSERT INTO done (name) VALUES (payload->>'name') RETURNING jsonb_build_object('recorded', name) $$;
CREATE TABLE kept_tokens (name text PRIMARY KEY, token text NOT NULL);
CREATE FUNCTION keep_token(payload jsonb) RETURNS jsonb LANGUAGE sql AS $$
    INSERT INTO kept_tokens VALUES (payload->>'name', payload->>'token') RETURNING jsonb_build_object('kept', true) $$;
SELECT booking.sfn_create_state_machine('parked', '{
  "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "TimestampPath": "$.due", "Next": "Record"},
    "Record": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:record_done",
               "Parameters": {"name.$": "$$.Execution.Name"}, "ResultPath": "$.recorded", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}', role => 'postgres');
SELECT booking.sfn_create_state_machine('callback', '{
  "StartAt": "Ask",
  "States": {
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "keep_token",
                           "Payload": {"name.$": "$$.Execution.Name", "token.$": "$$.Task.Token"}},
            "ResultPath": "$.answer", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}', role => 'postgres');
SELECT booking.sfn_create_state_machine('fan', '{
  "StartAt": "Each",
  "States": {
    "Each": {"Type": "Map", "ItemsPath": "$.items",
             "ItemProcessor": {"StartAt": "Hold",
                               "States": {"Hold": {"Type": "Wait", "TimestampPath": "$.due", "End": true}}},
             "End": true}
  }
}', role => 'postgres');
SELECT booking.sfn_create_activity('chores');
SELECT booking.sfn_create_state_machine('chore', '{
  "StartAt": "Work",
  "States": {
    "Work": {"Type": "Task", "Resource": "arn:aws:states:local:000000000000:activity:chores",
             "ResultPath": "$.answer", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}', role => 'postgres');
SQL
}

parked_start() {
	local p=$1 n=$2 s=$3
	q -v p="$p" -v n="$n" -v s="$s" >/dev/null <<'SQL' || fail "$p: starting the executions"
SELECT set_config('booking.shard_key', :'p', false) FROM pg_settings WHERE name = 'booking.shard_key';
SELECT count(booking.sfn_start('parked', jsonb_build_object('due', due_in(:s)), :'p' || '-' || i))
  FROM generate_series(1, :n) i;
SELECT booking.sfn_start('callback', '{}', :'p' || '-cb');
SELECT booking.sfn_start('chore', jsonb_build_object('chore', :'p'), :'p' || '-act');
SELECT booking.sfn_start('fan', jsonb_build_object('items', jsonb_build_array(
         jsonb_build_object('due', due_in(:s)), jsonb_build_object('due', due_in(:s)))), :'p' || '-map');
SELECT booking.sfn_start('parked', jsonb_build_object('due', due_in(0)), :'p' || '-ended');
SQL
	wait_for "$p: $p-ended ends" "SELECT count(*) = 1 FROM booking.executions WHERE name = '$p-ended' AND status = 'SUCCEEDED'"
	[ "$(q -c "SELECT count(*) FROM booking.executions WHERE name LIKE '$p-%' AND status = 'RUNNING'")" = $((n + 3)) ] \
		|| fail "$p: expected $((n + 3)) running executions"
}

parked_shard_keys() {
	local p=$1 c=$2 got
	got=$(q -v p="$p" <<'SQL'
WITH mine AS (SELECT e.id FROM booking.executions e
               WHERE e.name LIKE :'p' || '-%'
                  OR e.root_id IN (SELECT id FROM booking.executions WHERE name LIKE :'p' || '-%'))
SELECT (SELECT count(*) FILTER (WHERE shard_key <> :'p') || '/' || count(*) || ' ' ||
               count(*) FILTER (WHERE parent_id IS NOT NULL) FROM booking.executions WHERE id IN (SELECT id FROM mine))
       || ' ' || (SELECT count(*) FILTER (WHERE shard_key <> :'p') || '/' || count(*) FROM booking.history
                   WHERE execution_id IN (SELECT id FROM mine))
       || ' ' || (SELECT count(*) FILTER (WHERE shard_key <> :'p') || '/' || count(*) FROM booking.task_tokens
                   WHERE execution_id IN (SELECT id FROM mine))
SQL
)
	read -r execs children history tokens <<<"$got"
	[ "${execs%%/*}" = 0 ] && [ "${history%%/*}" = 0 ] && [ "${tokens%%/*}" = 0 ] && [ "$children" = "$c" ] \
		&& [ "${history#*/}" -gt 0 ] && [ "${tokens#*/}" = 2 ] \
		|| fail "$p: rows without shard key $p (wrong/all): executions $execs ($children children), history $history, tokens $tokens"
}

parked_finish() {
	local p=$1 n=$2 got
	wait_for "$p: the $n parked executions succeed" \
		"SELECT count(*) = $n FROM booking.executions WHERE name ~ '^$p-[0-9]+\$' AND status = 'SUCCEEDED'" 60
	wait_for "$p: the Map execution succeeds" \
		"SELECT count(*) = 1 FROM booking.executions WHERE name = '$p-map' AND status = 'SUCCEEDED'" 60
	got=$(q -c "SELECT count(*) FROM done d JOIN booking.executions e ON e.name = d.name
	             WHERE d.name ~ '^$p-[0-9]+\$' AND d.at >= (e.input->>'due')::timestamptz")
	[ "$got" = "$n" ] || fail "$p: the task recorded $got of $n executions at or after their due time"
	q -c "SELECT booking.sfn_send_task_success(token, '{\"answered\": \"$p\"}') FROM kept_tokens WHERE name = '$p-cb'" >/dev/null \
		|| fail "$p: answering the kept token"
	got=$(q -c "SELECT d->>'status' || ' ' || (d->'output'->'answer'->>'answered') FROM booking.sfn_describe_execution('$p-cb') d")
	[ "$got" = "SUCCEEDED $p" ] || fail "$p: the callback execution is '$got' after its token was answered"
	got=$(q -c "SELECT booking.sfn_send_task_success(task_token, jsonb_build_object('answered', input->>'chore'))
	              FROM booking.sfn_get_activity_task('chores', 'e2e')" | wc -l)
	[ "$got" = 1 ] || fail "$p: sfn_get_activity_task handed out $got tasks, not 1"
	got=$(q -c "SELECT d->>'status' || ' ' || (d->'output'->'answer'->>'answered') FROM booking.sfn_describe_execution('$p-act') d")
	[ "$got" = "SUCCEEDED $p" ] || fail "$p: the activity execution is '$got' after its task was answered"
}
