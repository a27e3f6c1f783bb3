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

# The timers besides a Wait that a database holds (docs/scheduling.md), each
# an execution's due_at that must fire at its time wherever the rows go:
#
#   timers_setup            four state machines: retrying (a Task whose first
#                           call fails, retried after IntervalSeconds S),
#                           deadline (a .waitForTaskToken task with
#                           TimeoutSeconds S), heartbeat (the same with
#                           HeartbeatSeconds S) and limited (the machine's
#                           TimeoutSeconds S, a Wait far longer); S is the
#                           argument
#   timers_start P          one execution of each, P-retrying, P-deadline,
#                           P-heartbeat, P-limited, with timers due S seconds on
#                           (the first call of P-retrying fails at once)
#   timers_due P            the earliest of their due times
#   timers_finish P S       waits until the four have ended by themselves and
#                           checks each ended as its timer says (SUCCEEDED on
#                           the retry, FAILED States.Timeout, FAILED
#                           States.HeartbeatTimeout, TIMED_OUT) and not before
#                           its time
timers_setup() {
	q -v s="$1" >/dev/null <<'SQL' || fail "creating the timers' state machines"
CREATE SEQUENCE flaky_calls;
CREATE FUNCTION flaky(payload jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    -- a sequence: its count survives the failed call's rollback (and the dump)
    IF nextval('flaky_calls') = 1 THEN
        PERFORM booking.raise_task_error('Flaky', 'the first call fails');
    END IF;
    RETURN '{"second": true}';
END $$;
SELECT booking.sfn_create_state_machine('retrying', format('{
  "StartAt": "Try",
  "States": {"Try": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:flaky",
                     "Retry": [{"ErrorEquals": ["Flaky"], "IntervalSeconds": %s, "MaxAttempts": 1}], "End": true}}
}', :'s')::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine('deadline', format('{
  "StartAt": "Ask",
  "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "TimeoutSeconds": %s,
                     "Parameters": {"FunctionName": "keep_token",
                                    "Payload": {"name.$": "$$.Execution.Name", "token.$": "$$.Task.Token"}},
                     "End": true}}
}', :'s')::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine('heartbeat', format('{
  "StartAt": "Ask",
  "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                     "HeartbeatSeconds": %s, "TimeoutSeconds": %s,
                     "Parameters": {"FunctionName": "keep_token",
                                    "Payload": {"name.$": "$$.Execution.Name", "token.$": "$$.Task.Token"}},
                     "End": true}}
}', :'s', 100 * :s)::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine('limited', format('{
  "TimeoutSeconds": %s,
  "StartAt": "Hold",
  "States": {"Hold": {"Type": "Wait", "Seconds": %s, "End": true}}
}', :'s', 100 * :s)::jsonb, role => 'postgres');
SQL
}

timers_start() {
	local p=$1 m
	for m in retrying deadline heartbeat limited; do
		q -c "SELECT booking.sfn_start('$m', '{}', '$p-$m')" >/dev/null || fail "$p: starting $p-$m"
	done
	[ "$(q -c "SELECT count(*) FROM booking.executions
	             WHERE name IN ('$p-retrying', '$p-deadline', '$p-heartbeat', '$p-limited')
	               AND status = 'RUNNING' AND due_at > now()")" = 4 ] \
		|| fail "$p: the four executions are not all running on a timer"
}

timers_due() {
	q -c "SELECT min(due_at) FROM booking.executions WHERE name IN ('$1-retrying', '$1-deadline', '$1-heartbeat', '$1-limited')"
}

timers_finish() {
	local p=$1 s=$2 got
	wait_for "$p: the four timers' executions end" \
		"SELECT count(*) = 4 FROM booking.executions
		  WHERE name IN ('$p-retrying', '$p-deadline', '$p-heartbeat', '$p-limited') AND status <> 'RUNNING'" 60
	got=$(q -v p="$p" -v s="$s" <<'SQL'
SELECT string_agg(e.name || ' ' || e.status || ' ' || coalesce(e.error, '-') || ' ' || (x.fired >= x.since + :s * interval '1 second'),
                  ', ' ORDER BY e.name)
  FROM booking.executions e
  CROSS JOIN LATERAL (
         -- since: when the timer was set; fired: when it went off
         SELECT CASE e.name
                  WHEN :'p' || '-retrying' THEN (SELECT max(timestamp) FROM booking.sfn_get_execution_history(e.arn) WHERE type = 'LambdaFunctionFailed')
                  WHEN :'p' || '-heartbeat' THEN (SELECT heartbeat_at FROM booking.task_tokens WHERE execution_id = e.id)
                  WHEN :'p' || '-deadline' THEN (SELECT created FROM booking.task_tokens WHERE execution_id = e.id)
                  ELSE e.start_date END AS since,
                CASE e.name
                  WHEN :'p' || '-retrying' THEN (SELECT max(timestamp) FROM booking.sfn_get_execution_history(e.arn) WHERE type = 'LambdaFunctionStarted')
                  ELSE e.stop_date END AS fired) x
 WHERE e.name IN (:'p' || '-retrying', :'p' || '-deadline', :'p' || '-heartbeat', :'p' || '-limited')
SQL
)
	[ "$got" = "$p-deadline FAILED States.Timeout true, $p-heartbeat FAILED States.HeartbeatTimeout true, $p-limited TIMED_OUT States.Timeout true, $p-retrying SUCCEEDED - true" ] \
		|| fail "$p: the timers' executions ended as '$got'"
	got=$(q -c "SELECT string_agg(type, ',' ORDER BY id) FROM booking.sfn_get_execution_history('$p-retrying') WHERE type LIKE 'LambdaFunction%'")
	[ "$got" = "LambdaFunctionScheduled,LambdaFunctionStarted,LambdaFunctionFailed,LambdaFunctionScheduled,LambdaFunctionStarted,LambdaFunctionSucceeded" ] \
		|| fail "$p: the retried task's history is $got"
}
