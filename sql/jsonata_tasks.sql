-- Task and Parallel states written in JSONata, catchers with Output/Assign and
-- $states.errorOutput, and AWS's EvaluationFailed event for every state type.
SET client_min_messages = warning;
\set VERBOSITY terse

CREATE SCHEMA jt;
SET search_path = jt, public;
CREATE FUNCTION jt.quote(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('total', (p->>'nights')::int * 120, 'currency', 'EUR') $$;
CREATE FUNCTION jt.refuse(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN PERFORM booking.raise_task_error('Booking.Unavailable', 'apartment ' || (p->>'id') || ' is taken'); RETURN p; END $$;
CREATE TABLE jt.flaky_calls (n serial PRIMARY KEY);
-- fails while jt.flaky_calls holds fewer than two rows (the test adds them between attempts)
CREATE FUNCTION jt.flaky(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE k int;
BEGIN
  SELECT count(*) INTO k FROM jt.flaky_calls;
  IF k < 2 THEN
    PERFORM booking.raise_task_error('Booking.Busy', 'try again');
  END IF;
  RETURN jsonb_build_object('calls', k);
END $$;
CREATE TABLE jt.rooms (id text PRIMARY KEY, status text, price numeric);
INSERT INTO jt.rooms VALUES ('r1', 'VACANT', 80);

-- the stages TestState shows: input, afterArguments, result, variables, output
CREATE FUNCTION jt.test(state jsonb, input jsonb DEFAULT '{}', vars jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$ SELECT booking.sfn_test_state(state || '{"QueryLanguage": "JSONata"}', input => input, variables => vars) $$;

-- ---- Arguments, Output, Assign ----
-- expressions at any depth of Arguments; $states.result in Output and Assign; variables
SELECT jsonb_pretty(jt.test('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Arguments": {"FunctionName": "quote", "Payload": {"nights": "{% $states.input.n * $factor %}", "list": [1, "{% $states.input.n %}"]}},
  "Output": {"total": "{% $states.result.Payload.total %}", "was": "{% $states.input %}"},
  "Assign": {"lastTotal": "{% $states.result.Payload.total %}", "status": "{% $states.result.StatusCode %}"},
  "End": true}', '{"n": 2}', '{"factor": 3}'));
-- Arguments as one expression; no Output: the result is the output
SELECT jt.test('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote",
  "Arguments": "{% {\"nights\": $states.input.stay.nights} %}", "End": true}', '{"stay": {"nights": 4}}') -> 'output' AS whole;
-- no Arguments: the task receives the state input
SELECT jt.test('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote", "End": true}',
  '{"nights": 1}') -> 'output' AS input_passed;
-- $states.context: the context object
SELECT jt.test('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote",
  "Arguments": {"nights": "{% $length($states.context.State.Name) %}"},
  "Output": "{% $states.context.State.Name & \": \" & $string($states.result.total) %}", "End": true}') -> 'output' AS context;

-- ---- DynamoDB tasks on tables ----
SELECT jt.test('{"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
  "Arguments": {"TableName": "rooms", "Item": {"id": {"S": "{% $states.input.id %}"}, "status": {"S": "RESERVED"},
                "price": {"N": "{% $string($states.input.price) %}"}}},
  "Output": "{% $states.result %}", "End": true}', '{"id": "r2", "price": 95.5}') -> 'output' AS put;
SELECT jt.test('{"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
  "Arguments": {"TableName": "rooms", "Key": {"id": {"S": "{% $states.input.id %}"}}},
  "Output": {"status": "{% $states.result.Item.status.S %}", "price": "{% $number($states.result.Item.price.N) %}"},
  "End": true}', '{"id": "r2"}') -> 'output' AS got;
SELECT jt.test('{"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
  "Arguments": {"TableName": "rooms", "Key": {"id": {"S": "r1"}}, "UpdateExpression": "SET #s = :s",
                "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "{% $uppercase($states.input.to) %}"}},
                "ReturnValues": "ALL_NEW"},
  "Output": "{% $states.result.Attributes.status.S %}", "End": true}', '{"to": "paid"}') -> 'output' AS updated;
SELECT id, status, price FROM jt.rooms ORDER BY id;

-- ---- TimeoutSeconds and HeartbeatSeconds: literals or expressions ----
CREATE FUNCTION jt.scheduled(def jsonb, input jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE r jsonb; name text := 'jt_sched_' || md5(def::text || input::text);
BEGIN
  PERFORM booking.sfn_create_state_machine(name, jsonb_build_object('QueryLanguage', 'JSONata', 'StartAt', 'T',
    'States', jsonb_build_object('T', def || '{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote", "End": true}')), role => 'postgres');
  PERFORM booking.sfn_start(name, input, name);
  r := booking.sfn_describe_execution(name);
  RETURN jsonb_build_object('status', r->'status', 'error', r->'error', 'cause', r->'cause',
    'scheduled', (SELECT (details->'lambdaFunctionScheduledEventDetails') - 'input' - 'inputDetails' - 'resource'
                  FROM booking.sfn_get_execution_history(name) WHERE type = 'LambdaFunctionScheduled'));
END $$;
SELECT jt.scheduled('{"TimeoutSeconds": 30, "HeartbeatSeconds": 10, "Arguments": {"nights": 1}}', '{}');
SELECT jt.scheduled('{"TimeoutSeconds": "{% $states.input.t %}", "HeartbeatSeconds": "{% $states.input.t - 5 %}", "Arguments": {"nights": 1}}', '{"t": 60}');
-- not a positive whole number: States.QueryEvaluationError, before the task is scheduled
SELECT t AS timeout, r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause
  FROM (VALUES ('0'), ('-3'), ('1.5'), ('"10"'), ('100000000'), ('null')) AS x(t),
       LATERAL jt.scheduled('{"TimeoutSeconds": "{% $states.input.t %}", "Arguments": {"nights": 1}}', jsonb_build_object('t', t::jsonb)) AS r;
SELECT r->>'error' AS error, r->>'cause' AS cause
  FROM jt.scheduled('{"HeartbeatSeconds": "{% $states.input.missing %}", "Arguments": {"nights": 1}}', '{}') AS r;

-- Arguments larger than the payload quota (256 KiB): States.DataLimitExceeded, not sent to the task
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause
  FROM jt.test('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote",
    "Arguments": {"a": "{% $states.input.s %}", "b": "{% $states.input.s %}"}, "End": true}',
    jsonb_build_object('s', repeat('x', 140000))) r;

-- ---- Retry as in JSONPath, then Catch with Output/Assign and $states.errorOutput ----
SELECT booking.sfn_create_state_machine('jt_retry', '{"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
           "Arguments": {"FunctionName": "flaky", "Payload": {}},
           "Retry": [{"ErrorEquals": ["Booking.Busy"], "IntervalSeconds": 1, "MaxAttempts": 3, "BackoffRate": 1}],
           "Output": "{% $states.result.Payload %}", "End": true}}}', role => 'postgres') IS NOT NULL AS created;
-- the first attempt fails and is retried after IntervalSeconds; the retry succeeds
SELECT booking.sfn_start('jt_retry', '{}', 'jt-retry') IS NOT NULL AS started;
INSERT INTO jt.flaky_calls DEFAULT VALUES;
INSERT INTO jt.flaky_calls DEFAULT VALUES;
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'jt-retry';
SELECT booking.sfn_tick() AS advanced;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('jt-retry') d;
SELECT type FROM booking.sfn_get_execution_history('jt-retry') ORDER BY id;

SELECT booking.sfn_create_state_machine('jt_catch', '{"QueryLanguage": "JSONata", "StartAt": "Reserve", "States": {
  "Reserve": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
              "Arguments": {"FunctionName": "refuse", "Payload": {"id": "{% $states.input.id %}"}},
              "Catch": [{"ErrorEquals": ["Booking.Unavailable"],
                         "Output": {"input": "{% $states.input %}", "error": "{% $states.errorOutput %}"},
                         "Assign": {"why": "{% $states.errorOutput.Cause %}"}, "Next": "Explain"}],
              "End": true},
  "Explain": {"Type": "Pass", "Output": {"caught": "{% $states.input %}", "why": "{% $why %}"}, "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SELECT r->>'status' AS status, jsonb_pretty(r->'output') AS output FROM booking.sfn_start_sync('jt_catch', '{"id": 7}') r;
-- a catcher without Output passes the Error Output on
SELECT booking.sfn_create_state_machine('jt_catch_default', '{"QueryLanguage": "JSONata", "StartAt": "Reserve", "States": {
  "Reserve": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:refuse",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}], "End": true},
  "Done": {"Type": "Pass", "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start_sync('jt_catch_default', '{"id": 8}') -> 'output' AS output;
-- a catcher's own evaluation that fails is not caught again: the execution fails with it
SELECT booking.sfn_create_state_machine('jt_catch_fails', '{"QueryLanguage": "JSONata", "StartAt": "Reserve", "States": {
  "Reserve": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:refuse",
              "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $states.errorOutput.nothing %}", "Next": "Done"}], "End": true},
  "Done": {"Type": "Pass", "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause FROM booking.sfn_start_sync('jt_catch_fails', '{"id": 9}') r;
-- $states.errorOutput exists only in a catcher: elsewhere it is undefined
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause
  FROM jt.test('{"Type": "Pass", "Output": "{% $states.errorOutput %}", "End": true}') r;
-- an evaluation error is an error like any other: caught by States.QueryEvaluationError
SELECT r->>'status' AS status, r->'output' AS output FROM jt.test('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote",
  "Arguments": {"nights": "{% $states.input.none %}"},
  "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Output": "{% $states.errorOutput.Error %}", "Next": "X"}], "End": true}') r;

-- ---- .waitForTaskToken with $states.context.Task.Token ----
CREATE TABLE jt.outbox (token text, payload jsonb);
CREATE FUNCTION jt.request_payment(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  INSERT INTO jt.outbox VALUES (p->>'token', p) RETURNING jsonb_build_object('queued', true) $$;
SELECT booking.sfn_create_state_machine('jt_callback', '{"QueryLanguage": "JSONata", "StartAt": "Pay", "States": {
  "Pay": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Arguments": {"FunctionName": "request_payment", "Payload": {"amount": "{% $states.input.amount %}", "token": "{% $states.context.Task.Token %}"}},
          "HeartbeatSeconds": "{% 600 %}",
          "Output": {"amount": "{% $states.input.amount %}", "receipt": "{% $states.result.receipt %}"}, "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('jt_callback', '{"amount": 300}', 'jt-pay') IS NOT NULL AS started;
SELECT status, state FROM booking.executions WHERE name = 'jt-pay';
SELECT payload->>'amount' AS amount, token = payload->>'token' AS token_passed FROM jt.outbox;
SELECT booking.sfn_send_task_success(token, '{"receipt": "R-9"}') FROM jt.outbox;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('jt-pay') d;

-- ---- activities ----
SELECT booking.sfn_create_activity('jt_approve');
SELECT booking.sfn_create_state_machine('jt_activity', '{"QueryLanguage": "JSONata", "StartAt": "Approve", "States": {
  "Approve": {"Type": "Task", "Resource": "arn:aws:states:local:000000000000:activity:jt_approve",
              "Arguments": {"guest": "{% $uppercase($states.input.guest) %}"},
              "Output": "{% $merge([$states.input, {\"approved\": $states.result.ok}]) %}", "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('jt_activity', '{"guest": "Ada"}', 'jt-act') IS NOT NULL AS started;
CREATE TEMP TABLE claimed AS SELECT * FROM booking.sfn_get_activity_task('jt_approve', 'worker-a');
SELECT input FROM claimed;
SELECT booking.sfn_send_task_success(task_token, '{"ok": true}') FROM claimed;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('jt-act') d;
SELECT booking.sfn_delete_activity('jt_approve');

-- ---- Parallel: Arguments for every branch, Output and Assign with $states.result ----
SELECT booking.sfn_create_state_machine('jt_parallel', '{"StartAt": "Both", "States": {
  "Both": {"Type": "Parallel", "QueryLanguage": "JSONata",
           "Arguments": {"nights": "{% $states.input.nights %}"},
           "Branches": [
             {"StartAt": "Quote", "States": {"Quote": {"Type": "Task", "QueryLanguage": "JSONata",
                "Resource": "arn:aws:lambda:local:000000000000:function:quote", "Output": "{% $states.result.total %}", "End": true}}},
             {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "Parameters": {"n.$": "$.nights"}, "End": true}}}],
           "Output": {"total": "{% $states.result[0] %}", "echo": "{% $states.result[1] %}", "guest": "{% $states.input.guest %}"},
           "Assign": {"branches": "{% $count($states.result) %}"}, "Next": "After"},
  "After": {"Type": "Pass", "Parameters": {"out.$": "$", "branches.$": "$branches"}, "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start_sync('jt_parallel', '{"nights": 2, "guest": "Ada"}') -> 'output' AS output;
-- a branch's failure is the Parallel's, caught with $states.errorOutput
SELECT booking.sfn_create_state_machine('jt_parallel_catch', '{"QueryLanguage": "JSONata", "StartAt": "Both", "States": {
  "Both": {"Type": "Parallel", "Branches": [
             {"StartAt": "No", "States": {"No": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:refuse", "End": true}}}],
           "Catch": [{"ErrorEquals": ["States.ALL"], "Output": {"error": "{% $states.errorOutput.Error %}", "input": "{% $states.input %}"}, "Next": "Done"}],
           "End": true},
  "Done": {"Type": "Succeed"}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start_sync('jt_parallel_catch', '{"id": 3}') -> 'output' AS output;
-- a Map's catcher too: an iteration's failure is the Map's
SELECT booking.sfn_create_state_machine('jt_map_catch', '{"QueryLanguage": "JSONata", "StartAt": "Each", "States": {
  "Each": {"Type": "Map", "Items": "{% $states.input.ids %}",
           "ItemProcessor": {"StartAt": "No", "States": {"No": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:refuse",
                             "Arguments": {"id": "{% $states.input %}"}, "End": true}}},
           "Catch": [{"ErrorEquals": ["Booking.Unavailable"], "Output": "{% $states.errorOutput.Cause %}", "Assign": {"ids": "{% $states.input.ids %}"}, "Next": "Done"}],
           "End": true},
  "Done": {"Type": "Pass", "Output": {"cause": "{% $states.input %}", "ids": "{% $ids %}"}, "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start_sync('jt_map_catch', '{"ids": [4]}') -> 'output' AS output;

-- ---- EvaluationFailed: recorded before the failure, for every state type ----
CREATE FUNCTION jt.evaluation_failed(def jsonb, input jsonb DEFAULT '{}') RETURNS TABLE (type text, details jsonb)
LANGUAGE plpgsql AS $$
DECLARE name text := 'jt_eval_' || md5(def::text || input::text);
BEGIN
  PERFORM booking.sfn_create_state_machine(name, jsonb_build_object('QueryLanguage', 'JSONata', 'StartAt', 'S',
    'States', jsonb_build_object('S', def) ||
      CASE WHEN def::text LIKE '%"Next": "Next"%' THEN '{"Next": {"Type": "Succeed"}}'::jsonb ELSE '{}' END), role => 'postgres');
  PERFORM booking.sfn_start(name, input, name);
  RETURN QUERY SELECT h.type, h.details FROM booking.sfn_get_execution_history(name) h
    WHERE h.id > 2 ORDER BY h.id;
END $$;
SELECT * FROM jt.evaluation_failed('{"Type": "Pass", "Output": {"a": "{% $nope %}"}, "End": true}');
SELECT * FROM jt.evaluation_failed('{"Type": "Pass", "Assign": {"a": "{% $error(\"bad\") %}"}, "End": true}');
SELECT * FROM jt.evaluation_failed('{"Type": "Choice", "Choices": [{"Condition": "{% 1 %}", "Next": "Next"}]}');
SELECT * FROM jt.evaluation_failed('{"Type": "Wait", "Seconds": "{% -1 %}", "End": true}');
SELECT * FROM jt.evaluation_failed('{"Type": "Wait", "Timestamp": "{% \"soon\" %}", "End": true}');
SELECT * FROM jt.evaluation_failed('{"Type": "Fail", "Error": "{% 42 %}"}');
SELECT * FROM jt.evaluation_failed('{"Type": "Map", "Items": "{% {\"a\": 1} %}", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}');
SELECT * FROM jt.evaluation_failed('{"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}', '{"not": "an array"}');
SELECT * FROM jt.evaluation_failed('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "{% $nope %}"}, "End": true}');
SELECT * FROM jt.evaluation_failed('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote", "Arguments": {"nights": 1}, "Output": "{% $states.result.total.x %}", "End": true}');
SELECT * FROM jt.evaluation_failed('{"Type": "Parallel", "Arguments": "{% $states.input.none %}", "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true}');
-- caught: the event is still recorded, then the catcher goes on
SELECT * FROM jt.evaluation_failed('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote", "Arguments": "{% $states.input.none %}",
  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Next"}], "End": true}');

-- ---- validation: JSONPath fields, located ----
SELECT location, code FROM booking.sfn_validate('{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"FunctionName": "quote"},
        "InputPath": "$", "Parameters": {}, "ResultSelector": {}, "ResultPath": "$.r", "OutputPath": "$",
        "TimeoutSecondsPath": "$.t", "HeartbeatSecondsPath": "$.h",
        "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.e", "Next": "P"}], "Next": "P"},
  "P": {"Type": "Parallel", "Parameters": {}, "ResultPath": "$.x", "ResultSelector": {}, "InputPath": "$", "OutputPath": "$",
        "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}], "End": true}}}') ORDER BY location;
-- the request: an integration's required fields in Arguments, the token of a callback, literal timeouts, syntax
SELECT location, code, message FROM booking.sfn_validate('{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": {"Payload": {}}, "Next": "B"},
  "B": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Arguments": {"TableName": "rooms"}, "Next": "C"},
  "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "Arguments": {"FunctionName": "f"}, "Next": "D"},
  "D": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote", "TimeoutSeconds": 0, "HeartbeatSeconds": 1.5, "Next": "E"},
  "E": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote", "TimeoutSeconds": 5, "HeartbeatSeconds": 5, "Next": "F"},
  "F": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote", "Arguments": {"x": "{% 1 + %}"},
        "Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% ) %}", "Assign": [1], "Next": "G"}], "Next": "G"},
  "G": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Arguments": "{% $states.input %}", "Next": "H"},
  "H": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote", "Arguments": [1, 2], "End": true}}}') ORDER BY location;
-- a JSONPath state's catcher takes no Output
SELECT location, code FROM booking.sfn_validate('{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote",
        "Catch": [{"ErrorEquals": ["States.ALL"], "Output": {}, "Next": "P"}], "End": true},
  "P": {"Type": "Pass", "End": true}}}');

-- ---- a JSONata Task reaches only what the machine's role reaches ----
RESET search_path;
CREATE ROLE jt_user;
GRANT booking_user TO jt_user;
GRANT USAGE ON SCHEMA jt TO jt_user;
SET ROLE jt_user;
SELECT booking.sfn_create_state_machine('jt_reach', '{"QueryLanguage": "JSONata", "StartAt": "G", "States": {
  "G": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
        "Arguments": {"TableName": "{% $states.input.table %}", "Key": "{% $states.input.key %}"}, "End": true}}}') IS NOT NULL AS created;
SELECT t AS table_name, r->>'status' AS status, r->>'error' AS error, split_part(r->>'cause', ' (Service:', 1) AS cause
  FROM (VALUES ('pg_catalog.pg_authid', '{"oid": {"N": "10"}}'),
               ('booking.state_machines', '{"id": {"N": "1"}}'),
               ('jt.rooms', '{"id": {"S": "r1"}}')) AS x(t, k),
       LATERAL booking.sfn_start_sync('jt_reach', jsonb_build_object('table', t, 'key', k::jsonb)) AS r;
SELECT booking.sfn_create_state_machine('jt_call', '{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
  "C": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"FunctionName": "{% $states.input.f %}", "Payload": {"nights": 1}}, "End": true}}}') IS NOT NULL AS created;
SELECT f AS function_name, r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause
  FROM (VALUES ('booking.raise_task_error'), ('jt.quote')) AS x(f),
       LATERAL booking.sfn_start_sync('jt_call', jsonb_build_object('f', f)) AS r;
-- naming a role one is not a member of is refused, JSONata or not
SELECT booking.sfn_create_state_machine('jt_escalate', '{"QueryLanguage": "JSONata", "StartAt": "U", "States": {
  "U": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:updateItem",
        "Arguments": {"TableName": "pg_catalog.pg_authid", "Key": {"oid": {"N": "10"}},
          "UpdateExpression": "SET rolsuper = :t", "ExpressionAttributeValues": {":t": {"BOOL": true}}}, "End": true}}}',
  role => 'postgres');
SELECT booking.sfn_delete_state_machine('jt_reach'), booking.sfn_delete_state_machine('jt_call');
RESET ROLE;
SELECT rolsuper AS jt_user_is_superuser FROM pg_roles WHERE rolname = 'jt_user';
