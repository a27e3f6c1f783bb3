-- sfn_start_sync: a whole execution inside one call, DescribeExecution's shape back.
SELECT booking.sfn_create_state_machine('sync_demo', '{
  "Comment": "Pass with Parameters and States.Format, a Wait, a Choice, Succeed or Fail",
  "StartAt": "Greet",
  "States": {
    "Greet": {"Type": "Pass", "Parameters": {"msg.$": "States.Format(''Hello, {}!'', $.who)", "n.$": "$.n"}, "Next": "Pause"},
    "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Big?"},
    "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Yes"}], "Default": "No"},
    "Yes": {"Type": "Succeed"},
    "No": {"Type": "Fail", "Error": "TooSmall", "Cause": "n is 10 or less"}
  }
}', role => 'postgres') AS arn;

-- SUCCEEDED with its output (that a Wait really waits in a synchronous run is
-- shown below: statement_timeout cancels a long one)
SELECT r - 'name' - 'executionArn' - 'startDate' - 'stopDate' AS result,
       r->>'executionArn' = 'arn:aws:states:local:000000000000:execution:sync_demo:' || (r->>'name') AS arn_has_name,
       r->>'name' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS name_is_uuid,
       (r->>'stopDate')::timestamptz >= (r->>'startDate')::timestamptz AS stopped_after_start
  FROM booking.sfn_start_sync('sync_demo', '{"who": "Ann", "n": 42}') AS r;

-- FAILED with the Fail state's error and cause, and no output
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause, r ? 'output' AS has_output
  FROM booking.sfn_start_sync('arn:aws:states:local:000000000000:stateMachine:sync_demo', '{"who": "Bo", "n": 1}') AS r;

-- A runtime error (a path that matches nothing) fails the execution with States.Runtime
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause
  FROM booking.sfn_start_sync('sync_demo', '{"who": "Cy"}') AS r;

-- Default input is {}; a version ARN runs that version
SELECT booking.sfn_update_state_machine('sync_demo', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "v2", "End": true}}}');
SELECT booking.sfn_start_sync('sync_demo')->'output' AS current_output,
       booking.sfn_start_sync('sync_demo')->>'stateMachineArn' AS current_arn,
       booking.sfn_start_sync('arn:aws:states:local:000000000000:stateMachine:sync_demo:1', '{"who": "x", "n": 11}')->>'status' AS v1_status,
       booking.sfn_start_sync('arn:aws:states:local:000000000000:stateMachine:sync_demo:1', '{"who": "x", "n": 11}')->>'stateMachineArn' AS v1_arn;

-- The context object: Execution and StateMachine as AWS fills them
SELECT booking.sfn_create_state_machine('sync_context', '{
  "StartAt": "Ctx",
  "States": {"Ctx": {"Type": "Pass", "Parameters": {
     "id.$": "$$.Execution.Id", "name.$": "$$.Execution.Name", "input.$": "$$.Execution.Input",
     "machine.$": "$$.StateMachine.Id", "machineName.$": "$$.StateMachine.Name",
     "state.$": "$$.State.Name", "entered.$": "$$.State.EnteredTime", "started.$": "$$.Execution.StartTime",
     "role.$": "$$.Execution.RoleArn"}, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT o->>'id' = r->>'executionArn' AS id_is_arn, o->>'name' = r->>'name' AS name_matches,
       o->'input' AS input, o->>'machine' AS machine, o->>'machineName' AS machine_name,
       o->>'state' AS state, o->>'role' AS role,
       o->>'started' = r->>'startDate' AS start_time_is_start_date,
       (o->>'entered')::timestamptz >= (o->>'started')::timestamptz AS entered_after_start
  FROM booking.sfn_start_sync('sync_context', '{"k": [1, 2]}') AS r, LATERAL (SELECT r->'output') AS x(o);

-- Any JSON value is an input: scalars and null too
SELECT booking.sfn_start_sync('sync_context', v)->'output'->'input' AS input_seen
  FROM (VALUES ('5'::jsonb), ('null'), ('"text"'), ('[1, 2.5]'), ('true')) AS t(v);

-- The machine's TimeoutSeconds: TIMED_OUT with States.Timeout
SELECT booking.sfn_create_state_machine('sync_timeout', '{
  "TimeoutSeconds": 1,
  "StartAt": "Long", "States": {"Long": {"Type": "Wait", "Seconds": 3600, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause,
       (r->>'stopDate')::timestamptz - (r->>'startDate')::timestamptz < interval '10 seconds' AS stopped_early
  FROM booking.sfn_start_sync('sync_timeout') AS r;

-- A long Wait is interruptible: statement_timeout cancels the call
SELECT booking.sfn_create_state_machine('sync_sleeper', '{
  "StartAt": "Long", "States": {"Long": {"Type": "Wait", "Seconds": 3600, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SET statement_timeout = '300ms';
SELECT booking.sfn_start_sync('sync_sleeper');
RESET statement_timeout;

-- An endless loop ends: the step budget fails it with States.Runtime
SELECT booking.sfn_create_state_machine('sync_loop', '{
  "StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Stop?"},
    "Stop?": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "A"},
    "Done": {"Type": "Succeed"}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause FROM booking.sfn_start_sync('sync_loop') AS r;

-- A Lambda task whose SQL function f does not exist fails with
-- Lambda.ResourceNotFoundException, which States.TaskFailed catches
SELECT booking.sfn_create_state_machine('sync_task', '{
  "StartAt": "T", "States": {
    "T": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:f", "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Caught"}], "End": true},
    "Caught": {"Type": "Pass", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT r->>'status' AS status, r->'output'->>'Error' AS caught_error FROM booking.sfn_start_sync('sync_task') AS r;

-- Documents built by booking come back in jsonb's own key order (shorter keys
-- first, then bytewise), so lookups and equality work on them: keys of mixed
-- lengths in the order a string gave them (States.StringToJson keeps it),
-- nested, empty containers, numbers; then a scalar output
SELECT booking.sfn_create_state_machine('sync_shapes', '{
  "StartAt": "Build", "States": {
    "Build": {"Type": "Pass", "Parameters": {"v.$": "States.StringToJson($.s)"}, "OutputPath": "$.v", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT jsonb_build_object('s', '{"zz": 1, "b": {"yyy": [], "a": {}, "xx": [1, 2.50, {"kk": null, "k": true}]}, "aa": "two", "c": -9223372036854775807, "ab": 1e3}') AS shapes_input \gset
SELECT r->'output' AS built,
       r->'output' = '{"aa": "two", "ab": 1e3, "b": {"a": {}, "xx": [1, 2.50, {"k": true, "kk": null}], "yyy": []}, "c": -9223372036854775807, "zz": 1}'::jsonb AS equal,
       r->'output'->'b'->'xx'->2 ? 'kk' AND r->'output'->'b'->'xx'->2->>'k' = 'true' AS found
  FROM booking.sfn_start_sync('sync_shapes', :'shapes_input') AS r;
-- the same stored by a durable start (its row's output and its history's event)
SELECT booking.sfn_start('sync_shapes', :'shapes_input') AS shapes_arn \gset
SELECT x.output AS stored,
       x.output = '{"aa": "two", "ab": 1e3, "b": {"a": {}, "xx": [1, 2.50, {"k": true, "kk": null}], "yyy": []}, "c": -9223372036854775807, "zz": 1}'::jsonb AS equal,
       x.output = (e->'details'->'executionSucceededEventDetails'->'output')::jsonb AS in_history,
       x.output->'b'->'xx'->2 ? 'kk' AND x.output->'b'->'xx'->2->>'k' = 'true' AND x.output ? 'aa' AS found
  FROM booking.executions x, booking.history h, json_array_elements(h.events) e
 WHERE x.arn = :'shapes_arn' AND h.execution_id = x.id AND e->>'type' = 'ExecutionSucceeded';
-- The history is stored as json text (booking.history.events): what needs an escape is
-- escaped, numbers keep their digits (int64's bounds and past them), keys their order;
-- read back as jsonb it is the stored output.
SELECT jsonb_build_object('s', '{"q\"k": "a\"b\\c/\n\t\u0001\u001f é 😀", "max": 9223372036854775807, "min": -9223372036854775808, "past": 12345678901234567890, "d": 1.50e300, "z": [true, false, null, -0]}') AS escapes_input \gset
SELECT booking.sfn_start('sync_shapes', :'escapes_input') AS escapes_arn \gset
SELECT e->'details'->'executionSucceededEventDetails'->'output' AS history_text,
       x.output = (e->'details'->'executionSucceededEventDetails'->'output')::jsonb AS in_history
  FROM booking.executions x, booking.history h, json_array_elements(h.events) e
 WHERE x.arn = :'escapes_arn' AND h.execution_id = x.id AND e->>'type' = 'ExecutionSucceeded';
SELECT booking.sfn_create_state_machine('sync_scalar', '{"StartAt": "S", "States": {"S": {"Type": "Pass", "Result": 2.50, "End": true}}}',
                                        role => 'postgres') IS NOT NULL AS created;
SELECT r->'output' AS scalar_output, r->'output' = '2.50'::jsonb AS equal FROM booking.sfn_start_sync('sync_scalar') AS r;

-- Bad input
\set VERBOSITY sqlstate
SELECT booking.sfn_start_sync(NULL);
SELECT booking.sfn_start_sync('no_such_machine');
SELECT booking.sfn_start_sync('arn:aws:states:local:000000000000:stateMachine:sync_demo:7');
SELECT booking.sfn_start_sync('sync_demo', jsonb_build_object('big', repeat('x', 300000)));
\set VERBOSITY default
SELECT booking.sfn_start_sync('no_such_machine');
SELECT booking.sfn_start_sync('sync_demo', jsonb_build_object('big', repeat('x', 300000)));

-- clean up: the state machines
SELECT count(*) AS deleted FROM (SELECT booking.sfn_delete_state_machine(name) FROM booking.state_machines
 WHERE name LIKE 'sync\_%') AS d;
