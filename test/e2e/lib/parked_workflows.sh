# test/e2e/lib/parked_workflows.sh — workflows left in every state a database
# can hold them in (parked on a timer, waiting for a task token, ended), for
# the tests that move a database under them (backup.sh, upgrade.sh,
# standby.sh). Sourced after own_cluster_test.sh; uses q, wait_for, fail.
#
#   parked_setup            the tables, the functions, the activity chores and
#                           three state machines: parked (Wait until $.due, a
#                           Task that records the execution's name under a
#                           unique key, Succeed), callback (a .waitForTaskToken
#                           task whose function keeps the token, Succeed) and
#                           chore (a task of activity chores, Succeed)
#   parked_start P N S      N executions P-1…P-N of parked due in S seconds, the
#                           callback execution P-cb (its token kept), the
#                           activity task P-act, and P-ended, ended already
#   parked_finish P N       waits until P-1…P-N have SUCCEEDED on their own (the
#                           workers fire them, none before its time, each ran
#                           its task once), answers P-cb's token, claims and
#                           answers P-act's activity task; checks both SUCCEEDED
#                           with the answer
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
}');
SELECT booking.sfn_create_state_machine('callback', '{
  "StartAt": "Ask",
  "States": {
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "keep_token",
                           "Payload": {"name.$": "$$.Execution.Name", "token.$": "$$.Task.Token"}},
            "ResultPath": "$.answer", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}');
SELECT booking.sfn_create_activity('chores');
SELECT booking.sfn_create_state_machine('chore', '{
  "StartAt": "Work",
  "States": {
    "Work": {"Type": "Task", "Resource": "arn:aws:states:local:000000000000:activity:chores",
             "ResultPath": "$.answer", "Next": "Done"},
    "Done": {"Type": "Succeed"}
  }
}');
SQL
}

parked_start() {
	local p=$1 n=$2 s=$3
	q -v p="$p" -v n="$n" -v s="$s" >/dev/null <<'SQL' || fail "$p: starting the executions"
SELECT count(booking.sfn_start('parked', jsonb_build_object('due', due_in(:s)), :'p' || '-' || i))
  FROM generate_series(1, :n) i;
SELECT booking.sfn_start('callback', '{}', :'p' || '-cb');
SELECT booking.sfn_start('chore', jsonb_build_object('chore', :'p'), :'p' || '-act');
SELECT booking.sfn_start('parked', jsonb_build_object('due', due_in(0)), :'p' || '-ended');
SQL
	wait_for "$p: $p-ended ends" "SELECT count(*) = 1 FROM booking.executions WHERE name = '$p-ended' AND status = 'SUCCEEDED'"
	[ "$(q -c "SELECT count(*) FROM booking.executions WHERE name LIKE '$p-%' AND status = 'RUNNING'")" = $((n + 2)) ] \
		|| fail "$p: expected $((n + 2)) running executions"
}

parked_finish() {
	local p=$1 n=$2 got
	wait_for "$p: the $n parked executions succeed" \
		"SELECT count(*) = $n FROM booking.executions WHERE name ~ '^$p-[0-9]+\$' AND status = 'SUCCEEDED'" 60
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
