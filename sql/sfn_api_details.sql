-- The Step Functions API's finer points (issue 18): RedriveExecution's client
-- token, starts through a version or alias and the lists of them, logging,
-- tracing and encryption settings, validation as EXPRESS, TestState's mock,
-- context and state configuration, a mocked test case run synchronously; and
-- their doors tried as roles who should not get through.
--   det_owner      owns the machines (booking_user)
--   det_stranger   booking_user, no privilege on them
--   det_reader     READ and START only
--   det_outsider   not booking_user
SET client_min_messages = warning;
\set VERBOSITY terse

CREATE ROLE det_owner;
CREATE ROLE det_stranger;
CREATE ROLE det_reader;
CREATE ROLE det_outsider;
GRANT booking_user TO det_owner, det_stranger, det_reader;

-- ---- RedriveExecution: the same client token is the same redrive ----
\set f1 'arn:aws:states:local:000000000000:execution:det_fail:f1'
SET ROLE det_owner;
SELECT booking.sfn_create_state_machine('det_fail', '{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E"}}}') IS NOT NULL AS created;
SELECT booking.sfn_start('det_fail', '{}', 'f1') IS NOT NULL AS started;
SELECT booking.sfn_redrive_execution(:'f1', 'token-1') AS first_date \gset
SELECT d->>'redriveCount' AS redrives FROM booking.sfn_describe_execution(:'f1') d;
-- again with the token: that redrive's date, no second redrive
SELECT booking.sfn_redrive_execution(:'f1', 'token-1') = :'first_date' AS same_date;
SELECT d->>'redriveCount' AS redrives FROM booking.sfn_describe_execution(:'f1') d;
-- another token redrives again
SELECT booking.sfn_redrive_execution(:'f1', 'token-2') IS NOT NULL AS redriven;
SELECT d->>'redriveCount' AS redrives FROM booking.sfn_describe_execution(:'f1') d;
RESET ROLE;
-- past the 15 minutes, the token is forgotten: a new redrive
UPDATE booking.redrive_tokens SET redrive_date = redrive_date - interval '16 minutes' WHERE client_token = 'token-1';
SET ROLE det_owner;
SELECT booking.sfn_redrive_execution(:'f1', 'token-1') IS NOT NULL AS redriven;
SELECT d->>'redriveCount' AS redrives FROM booking.sfn_describe_execution(:'f1') d;
-- tokens are the model's: 1 to 64 printable characters
SELECT booking.sfn_redrive_execution(:'f1', '');
SELECT booking.sfn_redrive_execution(:'f1', 'has space');
SELECT booking.sfn_redrive_execution(:'f1', repeat('x', 65));
-- only the last 10 tokens are kept
SELECT count(booking.sfn_redrive_execution(:'f1', 'many-' || i)) FROM generate_series(1, 12) i;
RESET ROLE;
SELECT count(*) AS tokens_kept, min(client_token) AS oldest_kept FROM booking.redrive_tokens;

-- ---- starts through a version or alias: described and listed by it ----
SET ROLE det_owner;
SELECT booking.sfn_create_state_machine('det_v', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}}') IS NOT NULL AS created;
SELECT booking.sfn_update_state_machine('det_v', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": true}}}') AS v2;
SELECT alias_arn FROM booking.sfn_create_state_machine_alias('det_v', 'prod',
    '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:det_v:1", "weight": 100}]');
SELECT booking.sfn_start('det_v', '{}', 'plain') IS NOT NULL AS plain,
       booking.sfn_start('arn:aws:states:local:000000000000:stateMachine:det_v:2', '{}', 'by_v2') IS NOT NULL AS by_v2,
       booking.sfn_start('arn:aws:states:local:000000000000:stateMachine:det_v:prod', '{}', 'by_prod') IS NOT NULL AS by_prod;
SELECT d->>'name' AS name, d->'output' AS output, d->>'stateMachineVersionArn' AS version_arn, d->>'stateMachineAliasArn' AS alias_arn
  FROM unnest(ARRAY['plain', 'by_v2', 'by_prod']) n, booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:det_v:' || n) d;
SELECT name, state_machine_version_arn, state_machine_alias_arn FROM booking.sfn_list_executions('det_v') ORDER BY name;
SELECT name FROM booking.sfn_list_executions('arn:aws:states:local:000000000000:stateMachine:det_v:1');
SELECT name FROM booking.sfn_list_executions('arn:aws:states:local:000000000000:stateMachine:det_v:2');
SELECT name FROM booking.sfn_list_executions('arn:aws:states:local:000000000000:stateMachine:det_v:prod');
SELECT name FROM booking.sfn_list_executions('arn:aws:states:local:000000000000:stateMachine:det_v:nope');
SELECT booking.sfn_grant('det_v', 'det_reader', ARRAY['READ', 'START']);
RESET ROLE;

-- ---- logging, tracing and encryption: checked, kept, shown ----
SET ROLE det_owner;
SELECT d->'loggingConfiguration' AS logging, d->'tracingConfiguration' AS tracing, d->'encryptionConfiguration' AS encryption
  FROM booking.sfn_describe_state_machine('det_v') d;
SELECT booking.sfn_create_state_machine('det_logged', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}',
    logging_configuration => '{"level": "ERROR", "includeExecutionData": true,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/states/det:*"}}]}',
    tracing_configuration => '{"enabled": true}',
    encryption_configuration => '{"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "alias/det"}') IS NOT NULL AS created;
SELECT d->'loggingConfiguration' AS logging, d->'tracingConfiguration' AS tracing, d->'encryptionConfiguration' AS encryption
  FROM booking.sfn_describe_state_machine('det_logged') d;
-- creating it again: the same settings are the same machine; others conflict
SELECT booking.sfn_create_state_machine('det_logged', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}',
    logging_configuration => '{"level": "ERROR", "includeExecutionData": true,
        "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/states/det:*"}}]}',
    tracing_configuration => '{"enabled": true}',
    encryption_configuration => '{"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "alias/det"}') IS NOT NULL AS same;
SELECT booking.sfn_create_state_machine('det_logged', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}',
    tracing_configuration => '{"enabled": false}');
-- an update replaces what it names and keeps the rest
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, logging_configuration => '{"level": "OFF"}') IS NOT NULL AS updated;
SELECT d->'loggingConfiguration' AS logging, d->'tracingConfiguration' AS tracing FROM booking.sfn_describe_state_machine('det_logged') d;
SELECT d->'tracingConfiguration' AS tracing FROM booking.sfn_describe_state_machine_for_execution('arn:aws:states:local:000000000000:execution:det_v:plain') d;
-- what AWS refuses
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, logging_configuration => '{"level": "ALL"}');
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, logging_configuration => '{"level": "LOUD"}');
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false,
    logging_configuration => '{"level": "ALL", "destinations": [{"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:us-east-1:1:log-group:x"}}]}');
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, logging_configuration => '{"verbose": true}');
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, tracing_configuration => '{"enabled": "yes"}');
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, encryption_configuration => '{"type": "AWS_OWNED_KEY", "kmsKeyId": "k"}');
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, encryption_configuration => '{"type": "CUSTOMER_MANAGED_KMS_KEY"}');
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false,
    encryption_configuration => '{"type": "CUSTOMER_MANAGED_KMS_KEY", "kmsKeyId": "k", "kmsDataKeyReusePeriodSeconds": 30}');
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, encryption_configuration => '{"kmsKeyId": "k"}');
RESET ROLE;

-- ---- validation as EXPRESS ----
SET ROLE det_stranger;
SELECT * FROM booking.sfn_validate('{"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken", "Parameters": {"FunctionName": "f", "Payload": {"t.$": "$$.Task.Token"}}, "Next": "B"},
  "B": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "Next": "C"},
  "C": {"Type": "Parallel", "Branches": [{"StartAt": "D", "States": {"D": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}}}], "End": true}}}',
  type => 'EXPRESS') ORDER BY location;
SELECT count(*) AS standard_problems FROM booking.sfn_validate('{"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "End": true}}}', type => 'STANDARD');
SELECT * FROM booking.sfn_validate('{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}', type => 'FAST');
RESET ROLE;
SET ROLE det_owner;
SELECT booking.sfn_create_state_machine('det_express', '{"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "End": true}}}', type => 'EXPRESS');
SELECT booking.sfn_create_state_machine('det_express', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}', type => 'EXPRESS') IS NOT NULL AS created;
SELECT booking.sfn_update_state_machine('det_express', '{"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:work", "End": true}}}');
RESET ROLE;

-- ---- TestState: a mocked Task, its Retry and Catch ----
SET ROLE det_stranger;
-- a mocked result runs through ResultSelector and ResultPath; INFO shows no inspection data
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
    "ResultSelector": {"v.$": "$.Payload.v"}, "ResultPath": "$.r", "Next": "After"}', input => '{"in": 1}',
    mock => '{"result": {"StatusCode": 200, "Payload": {"v": 7}}}', inspection_level => 'INFO');
SELECT r->'inspectionData'->'result' AS result, r->'inspectionData'->'afterResultSelector' AS selected
  FROM booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
    "ResultSelector": {"v.$": "$.Payload.v"}, "End": true}', mock => '{"result": {"StatusCode": 200, "Payload": {"v": 7}}}') r;
-- a mocked error: retried (RETRIABLE, with the retrier and its backoff), then with the retries used up, caught
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
    "Retry": [{"ErrorEquals": ["Other"], "MaxAttempts": 1}, {"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 3}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handler"}], "End": true}',
    mock => '{"errorOutput": {"error": "Busy", "cause": "try later"}}', state_configuration => '{"retrierRetryCount": 1}');
SELECT r->>'status' AS status, r->>'nextState' AS next, r->'output' AS output, r->'inspectionData'->'errorDetails' AS details
  FROM booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
    "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 3, "MaxAttempts": 3}],
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Handler"}], "End": true}',
    mock => '{"errorOutput": {"error": "Busy", "cause": "try later"}}', state_configuration => '{"retrierRetryCount": 3}') r;
-- the context given is the state's $$, and its Task.Token the token
SELECT r->'output' AS output FROM booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}},
    "ResultSelector": {"execution.$": "$$.Execution.Name", "token.$": "$$.Task.Token"}, "End": true}',
    mock => '{"result": {"ok": true}}', context => '{"Execution": {"Name": "from-context"}, "Task": {"Token": "tok-1"}}') r;
-- fieldValidationMode: STRICT wants what Lambda always returns, PRESENT only right fields, NONE anything
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"result": {"Payload": 1}}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"result": {"Payload": 1}, "fieldValidationMode": "PRESENT"}')->'output' AS output;
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"result": {"Payload": 1, "Extra": 2}, "fieldValidationMode": "PRESENT"}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem", "Parameters": {"TableName": "t", "Key": {}}, "End": true}',
    mock => '{"result": {"Item": "not a map"}}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"result": "anything", "fieldValidationMode": "NONE"}')->'output' AS output;
-- ---- TestState: mocked Map and Parallel ----
SELECT r->>'status' AS status, r->'output' AS output FROM booking.sfn_test_state('{"Type": "Parallel", "Branches": [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}],
    "End": true}', mock => '{"result": [1, 2]}') r;
SELECT booking.sfn_test_state('{"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}], "End": true}',
    mock => '{"result": [1, 2]}');
SELECT r->>'status' AS status, r->>'error' AS error, r->>'nextState' AS next FROM booking.sfn_test_state('{"StartAt": "P", "States": {
    "P": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}],
          "Catch": [{"ErrorEquals": ["Boom"], "Next": "H"}], "End": true}, "H": {"Type": "Pass", "End": true}}}',
    mock => '{"errorOutput": {"error": "Boom"}}', state_configuration => '{"errorCausedByState": "A"}') r;
SELECT booking.sfn_test_state('{"StartAt": "P", "States": {
    "P": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}], "Next": "H"},
    "H": {"Type": "Pass", "End": true}}}', mock => '{"errorOutput": {"error": "Boom"}}', state_configuration => '{"errorCausedByState": "H"}');
-- a Map's failed iterations against its tolerance
SELECT r->>'status' AS status, r->>'error' AS error, r->'output' AS output FROM booking.sfn_test_state('{"Type": "Map", "ItemsPath": "$.items",
    "ToleratedFailureCount": 1, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}',
    input => '{"items": [1, 2, 3]}', mock => '{"result": ["a", "b"]}', state_configuration => '{"mapIterationFailureCount": 1}') r;
SELECT r->>'status' AS status, r->>'error' AS error FROM booking.sfn_test_state('{"Type": "Map", "ItemsPath": "$.items",
    "ToleratedFailureCount": 1, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}',
    input => '{"items": [1, 2, 3]}', mock => '{"errorOutput": {"error": "Item.Failed"}}', state_configuration => '{"mapIterationFailureCount": 2}') r;
SELECT booking.sfn_test_state('{"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}',
    input => '{"items": [1]}', mock => '{"errorOutput": {"error": "E"}}', state_configuration => '{"mapIterationFailureCount": 2}');
SELECT booking.sfn_test_state('{"Type": "Map", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}',
    input => '[1]');
SELECT booking.sfn_test_state('{"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}',
    input => '{"items": [1]}', mock => '{"result": [1]}', state_configuration => '{"mapItemReaderData": "[1]"}');
-- a Map with an ItemReader: mapItemReaderData is what it read, as its ReaderConfig says
\set reader_map '{"Type": "Map", "ToleratedFailurePercentage": 50, "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV"}, "Parameters": {"Bucket": "b", "Key": "k"}}, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "I", "States": {"I": {"Type": "Pass", "End": true}}}, "End": true}'
SELECT r->>'status' AS status, r->>'error' AS error FROM booking.sfn_test_state(:'reader_map', mock => '{"errorOutput": {"error": "E"}}',
    state_configuration => '{"mapItemReaderData": "id,name\n1,a\n2,b\n3,c\n4,d\n", "mapIterationFailureCount": 2}') r;
SELECT r->>'status' AS status, r->>'error' AS error FROM booking.sfn_test_state(:'reader_map', mock => '{"errorOutput": {"error": "E"}}',
    state_configuration => '{"mapItemReaderData": "id,name\n1,a\n2,b\n3,c\n", "mapIterationFailureCount": 2}') r;
SELECT r->>'status' AS status, r->'output' AS output FROM booking.sfn_test_state(:'reader_map', mock => '{"result": [{"id": "1"}]}') r;
SELECT booking.sfn_test_state(replace(:'reader_map', '"CSV"', '"JSON"')::jsonb, mock => '{"errorOutput": {"error": "E"}}',
    state_configuration => '{"mapItemReaderData": "id,name\n1,a\n", "mapIterationFailureCount": 1}');
SELECT r->>'status' AS status FROM booking.sfn_test_state(replace(:'reader_map', '"CSV"', '"JSON"')::jsonb, mock => '{"errorOutput": {"error": "E"}}',
    state_configuration => '{"mapItemReaderData": "[1, 2, 3, 4]", "mapIterationFailureCount": 2}') r;
SELECT booking.sfn_test_state(:'reader_map', mock => '{"errorOutput": {"error": "E"}}', state_configuration => '{"mapIterationFailureCount": 1}');
-- ---- TestState: what it refuses ----
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "f", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:eu-west-1:123456789012:activity:a", "End": true}');
SELECT booking.sfn_test_state('{"Type": "Pass", "End": true}', mock => '{"result": 1}');
SELECT booking.sfn_test_state('{"Type": "Pass", "End": true}', context => '{"Execution": {}}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"result": {"StatusCode": 200}, "errorOutput": {"error": "E"}}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"errorOutput": {"cause": "no error"}}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"result": {"StatusCode": 200}, "fieldValidationMode": "LOOSE"}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"errorOutput": {"error": "E"}}', state_configuration => '{"retrierRetryCount": 1}');
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"}, "End": true}',
    mock => '{"errorOutput": {"error": "E"}}', state_configuration => '{"retries": 1}');
SELECT booking.sfn_test_state('{"Type": "Pass", "End": true}', inspection_level => 'VERBOSE');
RESET ROLE;

-- ---- StartSyncExecution of a mocked test case ----
SET ROLE det_owner;
SELECT booking.sfn_create_state_machine('det_mocked', '{"StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "no_such_function"},
           "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 1}],
           "Catch": [{"ErrorEquals": ["Broken"], "ResultPath": "$.caught", "Next": "Caught"}], "End": true},
  "Caught": {"Type": "Pass", "End": true}}}', type => 'EXPRESS') IS NOT NULL AS created;
SELECT booking.sfn_load_mock_config('{
  "StateMachines": {"det_mocked": {"TestCases": {"Ok": {"Call": "Ok"}, "Broken": {"Call": "Broken"}, "BusyOnce": {"Call": "BusyOnce"}}}},
  "MockedResponses": {"Ok": {"0": {"Return": {"Payload": 1}}},
                      "Broken": {"0": {"Throw": {"Error": "Broken", "Cause": "mocked"}}},
                      "BusyOnce": {"0": {"Throw": {"Error": "Busy"}}, "1": {"Return": {"Payload": 2}}}}}') AS loaded;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_start_sync('det_mocked#Ok') d;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_start_sync('det_mocked#Broken') d;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_start_sync('det_mocked#BusyOnce', '{}', 'busy-sync') d;
SELECT d->>'status' AS status, d->>'error' AS error FROM booking.sfn_start_sync('det_mocked') d;
SELECT booking.sfn_start_sync('det_mocked#Nope');
SELECT booking.sfn_grant('det_mocked', 'det_reader', ARRAY['START', 'READ']);
RESET ROLE;
SELECT count(*) AS mock_runs_left FROM booking.mock_executions;

-- ---- the doors: strangers and outsiders do not get through ----
SET ROLE det_stranger;
SELECT booking.sfn_redrive_execution(:'f1', 'stranger');
SELECT booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:det_v:by_prod');
SELECT name FROM booking.sfn_list_executions('arn:aws:states:local:000000000000:stateMachine:det_v:prod');
SELECT count(*) FROM booking.visible_execution_origins;
SELECT count(*) FROM booking.execution_origins;
SELECT count(*) FROM booking.redrive_tokens;
SELECT booking.sfn_update_state_machine('det_logged', NULL, publish => false, tracing_configuration => '{"enabled": false}');
SELECT booking.sfn_start_sync('det_mocked#Ok');
SELECT booking.machine_settings(NULL, '{"level": "OFF"}', NULL, NULL);
SELECT booking.api_rows_cleanup();
RESET ROLE;
SET ROLE det_reader;
-- READ and START: sees the origins and starts the test case; no redrive (STOP), no settings (MANAGE)
SELECT name, state_machine_alias_arn FROM booking.sfn_list_executions('arn:aws:states:local:000000000000:stateMachine:det_v:prod');
SELECT count(*) AS origins_seen FROM booking.visible_execution_origins;
SELECT d->>'status' AS status FROM booking.sfn_start_sync('det_mocked#Ok') d;
SELECT booking.sfn_redrive_execution('arn:aws:states:local:000000000000:execution:det_v:plain', 'reader');
SELECT booking.sfn_update_state_machine('det_v', NULL, publish => false, tracing_configuration => '{"enabled": true}');
RESET ROLE;
SET ROLE det_outsider;
SELECT booking.sfn_test_state('{"Type": "Pass", "End": true}', mock => '{"result": 1}');
SELECT * FROM booking.sfn_validate('{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}', type => 'EXPRESS');
SELECT booking.sfn_redrive_execution(:'f1', 'outsider');
SELECT * FROM booking.sfn_list_executions('det_v');
SELECT count(*) FROM booking.visible_execution_origins;
RESET ROLE;

-- ---- deleting: origins and tokens go with their executions ----
SET ROLE det_owner;
SELECT booking.sfn_delete_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:det_v:prod');
SELECT booking.sfn_delete_state_machine(m) FROM unnest(ARRAY['det_fail', 'det_v', 'det_logged', 'det_express', 'det_mocked']) m;
RESET ROLE;
SELECT (SELECT count(*) FROM booking.execution_origins) AS origins_left, (SELECT count(*) FROM booking.redrive_tokens) AS tokens_left;
DROP ROLE det_owner, det_stranger, det_reader, det_outsider;
