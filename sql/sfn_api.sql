-- The SQL functions the Step Functions API endpoint (graphql/src/sfn) needs:
-- paging, lists, tags, published versions, aliases (weighted starts), and their
-- doors tried as ordinary roles who should not get through.
--   api_owner      owns a machine and an activity (booking_user)
--   api_stranger   booking_user, no privilege on them
--   api_reader     READ and START only
--   api_outsider   not booking_user
SET client_min_messages = warning;
\set VERBOSITY terse

CREATE ROLE api_owner;
CREATE ROLE api_stranger;
CREATE ROLE api_reader;
CREATE ROLE api_outsider;
GRANT booking_user TO api_owner, api_stranger, api_reader;

SET ROLE api_owner;
SELECT booking.sfn_create_state_machine('api_m', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 1, "End": true}}}',
                                        role_arn => 'arn:aws:iam::123456789012:role/x') AS arn;
SELECT d->>'roleArn' AS role_arn, d->>'revisionId' AS revision FROM booking.sfn_describe_state_machine('api_m') d;
-- an update without publish is a revision, not a version
SELECT booking.sfn_update_state_machine('api_m', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 2, "End": true}}}',
                                        publish => false) AS returned;
SELECT version_arn, version FROM booking.sfn_list_state_machine_versions('api_m');
SELECT version_arn FROM booking.sfn_publish_state_machine_version('api_m', revision_id => '2', description => 'two');
-- publishing again is the same version; an old revision id conflicts
SELECT version_arn FROM booking.sfn_publish_state_machine_version('api_m');
SELECT version_arn FROM booking.sfn_publish_state_machine_version('api_m', revision_id => '1');
-- versions run their own definitions; paging goes on after a version
SELECT booking.sfn_start_sync('arn:aws:states:local:000000000000:stateMachine:api_m:1')->>'output' AS v1,
       booking.sfn_start_sync('arn:aws:states:local:000000000000:stateMachine:api_m:2')->>'output' AS v2;
SELECT version FROM booking.sfn_list_state_machine_versions('api_m', max_results => 1);
SELECT version FROM booking.sfn_list_state_machine_versions('api_m', max_results => 1, after_version => 2);
SELECT version FROM booking.sfn_list_state_machine_versions('api_m', after_version => 7);
-- an alias routes by weight: 100 to version 2
SELECT alias_arn FROM booking.sfn_create_state_machine_alias('api_m', 'live',
    '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:api_m:2", "weight": 100}]');
SELECT booking.sfn_start_sync('arn:aws:states:local:000000000000:stateMachine:api_m:live')->>'output' AS via_alias;
SELECT booking.sfn_create_state_machine_alias('api_m', 'bad',
    '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:api_m:2", "weight": 60}]');
SELECT booking.sfn_delete_state_machine_version('arn:aws:states:local:000000000000:stateMachine:api_m:2');
SELECT booking.sfn_describe_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:api_m:live')->'routingConfiguration' AS routing;
-- tags
SELECT booking.sfn_tag_resource('arn:aws:states:local:000000000000:stateMachine:api_m', '{"env": "test", "team": "a"}');
SELECT * FROM booking.sfn_list_tags_for_resource('arn:aws:states:local:000000000000:stateMachine:api_m');
SELECT booking.sfn_untag_resource('arn:aws:states:local:000000000000:stateMachine:api_m', ARRAY['team']);
SELECT * FROM booking.sfn_list_tags_for_resource('arn:aws:states:local:000000000000:stateMachine:api_m');
SELECT booking.sfn_create_activity('api_act') AS activity;
SELECT booking.sfn_tag_resource('arn:aws:states:local:000000000000:activity:api_act', '{"k": "v"}');
SELECT name FROM booking.sfn_list_activities() WHERE name = 'api_act';
SELECT name FROM booking.sfn_list_state_machines(max_results => 1);
SELECT booking.sfn_list_state_machines(after_name => 'no such machine');
-- paging executions and history
SELECT booking.sfn_start('api_m', '{}', 'e1') IS NOT NULL AS e1, booking.sfn_start('api_m', '{}', 'e2') IS NOT NULL AS e2;
SELECT name FROM booking.sfn_list_executions('api_m', max_results => 1);
SELECT name FROM booking.sfn_list_executions('api_m', after_execution => 'arn:aws:states:local:000000000000:execution:api_m:e2');
SELECT id, type FROM booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:api_m:e1', max_results => 2);
SELECT id, type FROM booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:api_m:e1', max_results => 2, after_event => 2);
SELECT id, type FROM booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:api_m:e1', reverse_order => true, max_results => 2);
SELECT d->>'revisionId' AS revision, d->'definition'->'States'->'P'->>'Result' AS result
  FROM booking.sfn_describe_state_machine_for_execution('arn:aws:states:local:000000000000:execution:api_m:e1') d;
SELECT booking.sfn_grant('api_m', 'api_reader', ARRAY['READ', 'START']);
RESET ROLE;

-- ---- a stranger: sees nothing, changes nothing ----
SET ROLE api_stranger;
SELECT count(*) FROM booking.sfn_list_state_machines() WHERE name = 'api_m';
SELECT count(*) FROM booking.sfn_list_activities() WHERE name = 'api_act';
SELECT booking.sfn_describe_activity('api_act');
SELECT * FROM booking.sfn_list_tags_for_resource('arn:aws:states:local:000000000000:stateMachine:api_m');
SELECT booking.sfn_tag_resource('arn:aws:states:local:000000000000:stateMachine:api_m', '{"owned": "yes"}');
SELECT booking.sfn_tag_resource('arn:aws:states:local:000000000000:activity:api_act', '{"owned": "yes"}');
SELECT booking.sfn_untag_resource('arn:aws:states:local:000000000000:stateMachine:api_m', ARRAY['env']);
SELECT * FROM booking.sfn_publish_state_machine_version('api_m');
SELECT * FROM booking.sfn_list_state_machine_versions('api_m');
SELECT booking.sfn_delete_state_machine_version('arn:aws:states:local:000000000000:stateMachine:api_m:1');
SELECT * FROM booking.sfn_create_state_machine_alias('api_m', 'mine',
    '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:api_m:1", "weight": 100}]');
SELECT booking.sfn_describe_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:api_m:live');
SELECT booking.sfn_update_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:api_m:live', description => 'mine');
SELECT booking.sfn_delete_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:api_m:live');
SELECT * FROM booking.sfn_list_state_machine_aliases('api_m');
SELECT booking.sfn_start('arn:aws:states:local:000000000000:stateMachine:api_m:live');
SELECT booking.sfn_describe_state_machine_for_execution('arn:aws:states:local:000000000000:execution:api_m:e1');
SELECT count(*) FROM booking.sfn_list_executions(max_results => 10);
-- the owner's helpers are not the stranger's to call
SELECT booking.tag_resource_unchecked('arn:aws:states:local:000000000000:stateMachine:api_m', '{"owned": "yes"}');
SELECT booking.publish_latest(1, NULL);
SELECT booking.alias_pick_revision(1, 'live');
RESET ROLE;

-- ---- a reader: reads, starts through the alias, manages nothing ----
SET ROLE api_reader;
SELECT version FROM booking.sfn_list_state_machine_versions('api_m');
SELECT alias_arn FROM booking.sfn_list_state_machine_aliases('api_m');
SELECT * FROM booking.sfn_list_tags_for_resource('arn:aws:states:local:000000000000:stateMachine:api_m');
SELECT booking.sfn_start_sync('arn:aws:states:local:000000000000:stateMachine:api_m:live')->>'output' AS via_alias;
SELECT booking.sfn_tag_resource('arn:aws:states:local:000000000000:stateMachine:api_m', '{"r": "1"}');
SELECT booking.sfn_update_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:api_m:live', description => 'r');
SELECT * FROM booking.sfn_publish_state_machine_version('api_m');
RESET ROLE;

-- ---- without booking_user, nothing ----
SET ROLE api_outsider;
SELECT * FROM booking.sfn_list_state_machines();
SELECT * FROM booking.sfn_list_tags_for_resource('arn:aws:states:local:000000000000:stateMachine:api_m');
SELECT * FROM booking.sfn_list_state_machine_versions('api_m');
RESET ROLE;

-- ---- mocked service integrations: a test case named at start ----
SET ROLE api_owner;
SELECT booking.sfn_create_state_machine('api_mocked', '{"StartAt": "Call", "States": {
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "no_such_function"},
           "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 1}],
           "Catch": [{"ErrorEquals": ["Broken"], "ResultPath": "$.caught", "Next": "Caught"}], "End": true},
  "Caught": {"Type": "Pass", "End": true}}}') IS NOT NULL AS created;
SELECT booking.sfn_load_mock_config('{
  "StateMachines": {"api_mocked": {"TestCases": {"Ok": {"Call": "Ok"}, "Broken": {"Call": "Broken"}, "BusyOnce": {"Call": "BusyOnce"}}}},
  "MockedResponses": {"Ok": {"0": {"Return": {"Payload": 1}}},
                      "Broken": {"0": {"Throw": {"Error": "Broken", "Cause": "mocked"}}},
                      "BusyOnce": {"0": {"Throw": {"Error": "Busy"}}, "1": {"Return": {"Payload": 2}}}}}') AS loaded;
SELECT booking.sfn_start('api_mocked#Ok', '{}', 'ok') IS NOT NULL AS started;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:api_mocked:ok') d;
SELECT booking.sfn_start('api_mocked#Broken', '{}', 'broken') IS NOT NULL AS started;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:api_mocked:broken') d;
SELECT booking.sfn_start('api_mocked#BusyOnce', '{}', 'busy') IS NOT NULL AS started;
RESET ROLE;
UPDATE booking.executions SET due_at = now() WHERE name = 'busy';
SELECT booking.sfn_tick() AS ticked;
SET ROLE api_owner;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:api_mocked:busy') d;
-- without a test case, the task runs for real
SELECT booking.sfn_start('api_mocked', '{}', 'real') IS NOT NULL AS started;
SELECT d->>'status' AS status, d->>'error' AS error FROM booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:api_mocked:real') d;
SELECT booking.sfn_start('api_mocked#Nope');
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_start_sync('api_mocked#Ok') d;
SELECT booking.sfn_load_mock_config('{"StateMachines": {"api_mocked": {"TestCases": {"X": {"Call": "missing"}}}}, "MockedResponses": {}}');
SELECT booking.sfn_load_mock_config('{"StateMachines": {}, "MockedResponses": {"R": {"1": {"Return": 1, "Throw": {"Error": "E"}}}}}');
SELECT booking.sfn_grant('api_mocked', 'api_reader', ARRAY['START', 'READ']);
RESET ROLE;
-- mocks are the machine's managers' to load; a test case is started with START
SET ROLE api_stranger;
SELECT booking.sfn_load_mock_config('{"StateMachines": {"api_mocked": {"TestCases": {"Ok": {"Call": "Evil"}}}},
                                      "MockedResponses": {"Evil": {"0": {"Return": "forged"}}}}');
SELECT booking.sfn_start('api_mocked#Ok');
SELECT booking.mock_executions_cleanup();
RESET ROLE;
SET ROLE api_reader;
SELECT booking.sfn_load_mock_config('{"StateMachines": {"api_mocked": {"TestCases": {"Ok": {"Call": "Evil"}}}},
                                      "MockedResponses": {"Evil": {"0": {"Return": "forged"}}}}');
SELECT booking.sfn_start('api_mocked#Ok', '{}', 'by_reader') IS NOT NULL AS started;
SELECT booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:api_mocked:by_reader')->'output' AS output;
RESET ROLE;
SET ROLE api_owner;
SELECT booking.sfn_delete_state_machine('api_mocked');
RESET ROLE;
SELECT count(*) AS mock_rows_left FROM booking.mock_test_cases;

-- ---- the owner deletes: tags and aliases go with the machine ----
SET ROLE api_owner;
SELECT booking.sfn_delete_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:api_m:live');
SELECT booking.sfn_delete_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:api_m:live');
SELECT booking.sfn_delete_state_machine('api_m');
SELECT booking.sfn_delete_activity('api_act');
RESET ROLE;
SELECT count(*) AS tags_left FROM booking.tags;
SELECT count(*) AS aliases_left FROM booking.state_machine_aliases;
DROP ROLE api_owner, api_stranger, api_reader, api_outsider;
