-- A state's runtime failure names the history id of its <Type>StateEntered
-- event ("entered at the event id #N"): durable executions (sfn_start, then
-- sfn_tick) give the cause the synchronous run (sfn_start_sync) of the same
-- machine and input gives, and N is the id GetExecutionHistory shows.

-- The cause's N, and the event GetExecutionHistory shows at that id.
CREATE FUNCTION pg_temp.entered_id(cause text) RETURNS integer LANGUAGE sql AS $$
    SELECT substring(cause FROM 'entered at the event id #([0-9]+)')::integer
$$;
CREATE FUNCTION pg_temp.entered_event(machine text, execution text) RETURNS text LANGUAGE sql AS $$
    SELECT h.type || ' ' || (h.details->'stateEnteredEventDetails'->>'name')
      FROM booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:' || machine || ':' || execution) d,
           booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:' || machine || ':' || execution) h
     WHERE h.id = pg_temp.entered_id(d->>'cause')
$$;
-- The durable execution's status and cause beside the synchronous run's.
CREATE FUNCTION pg_temp.compare(machine text, execution text, input jsonb)
RETURNS TABLE (status text, cause text, entered_event text, sync_status text, same_cause boolean)
LANGUAGE sql AS $$
    SELECT d->>'status', d->>'cause', pg_temp.entered_event(split_part(machine, '#', 1), execution),
           s->>'status', d->>'cause' = s->>'cause'
      FROM booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:'
                                          || split_part(machine, '#', 1) || ':' || execution) d,
           booking.sfn_start_sync(machine, input) s
$$;

-- A failure in the state after a Wait that parked: the Wait's time comes in a later transaction.
SELECT booking.sfn_create_state_machine('ee_wait', '{"StartAt": "First", "States": {
  "First": {"Type": "Pass", "Next": "Pause"},
  "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Broken"},
  "Broken": {"Type": "Fail", "ErrorPath": "$.error", "CausePath": "$.no_such_cause"}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('ee_wait', '{"error": "Bad"}', 'parked') IS NOT NULL AS started;
SELECT status, phase, entered_event FROM booking.executions WHERE name = 'parked';
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'parked';
SELECT booking.sfn_tick() AS advanced;
SELECT * FROM pg_temp.compare('ee_wait', 'parked', '{"error": "Bad"}');

-- A failure on a retry: the retry does not enter the state again, and its
-- back-off parks the execution (the Task's result then fails its ResultSelector).
SELECT booking.sfn_create_state_machine('ee_retry', '{"StartAt": "First", "States": {
  "First": {"Type": "Pass", "Next": "Call"},
  "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f"},
           "ResultSelector": {"v.$": "$.Payload.no_such_field"},
           "Retry": [{"ErrorEquals": ["Busy"], "IntervalSeconds": 1, "MaxAttempts": 2}], "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_load_mock_config('{
  "StateMachines": {"ee_retry": {"TestCases": {"BusyOnce": {"Call": "BusyOnce"}}}},
  "MockedResponses": {"BusyOnce": {"0": {"Throw": {"Error": "Busy", "Cause": "try again"}},
                                   "1": {"Return": {"StatusCode": 200, "Payload": {"a": 1}}}}}}') AS loaded;
SELECT booking.sfn_start('ee_retry#BusyOnce', '{}', 'retried') IS NOT NULL AS started;
SELECT status, state, entered_event FROM booking.executions WHERE name = 'retried';
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'retried';
SELECT booking.sfn_tick() AS advanced;
SELECT * FROM pg_temp.compare('ee_retry#BusyOnce', 'retried', '{}');
SELECT id, type FROM booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:ee_retry:retried');

-- A failure inside a Map iteration (the second of three): iterations write
-- into their root's history; without MaxConcurrency every MapIterationStarted
-- comes first.
SELECT booking.sfn_create_state_machine('ee_map', '{"StartAt": "First", "States": {
  "First": {"Type": "Pass", "Next": "Each"},
  "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
           "ItemProcessor": {"StartAt": "Take", "States": {
             "Take": {"Type": "Pass", "Next": "Use"},
             "Use": {"Type": "Pass", "InputPath": "$.v", "End": true}}}}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('ee_map', '{"items": [{"v": 1}, {"w": 2}, {"v": 3}]}', 'second') IS NOT NULL AS started;
SELECT * FROM pg_temp.compare('ee_map', 'second', '{"items": [{"v": 1}, {"w": 2}, {"v": 3}]}');
SELECT id, type, details->'stateEnteredEventDetails'->>'name' AS entered,
       details->'mapIterationStartedEventDetails'->>'index' AS started_index
  FROM booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:ee_map:second')
 WHERE id <= 12;
-- the first iteration, and an only one
SELECT booking.sfn_start('ee_map', '{"items": [{"w": 1}, {"v": 2}]}', 'first') IS NOT NULL AS started;
SELECT * FROM pg_temp.compare('ee_map', 'first', '{"items": [{"w": 1}, {"v": 2}]}');
SELECT booking.sfn_start('ee_map', '{"items": [{"w": 1}]}', 'only') IS NOT NULL AS started;
SELECT * FROM pg_temp.compare('ee_map', 'only', '{"items": [{"w": 1}]}');

-- MaxConcurrency 1: AWS starts each iteration as the one before ends
-- (MapIterationStarted, its events, MapIterationSucceeded, the next one's
-- MapIterationStarted), and a failure that fails the Map starts no more.
SELECT booking.sfn_create_state_machine('ee_map_one', '{"StartAt": "First", "States": {
  "First": {"Type": "Pass", "Next": "Each"},
  "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1, "End": true,
           "ItemProcessor": {"StartAt": "Take", "States": {
             "Take": {"Type": "Pass", "Next": "Use"},
             "Use": {"Type": "Pass", "InputPath": "$.v", "End": true}}}}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('ee_map_one', '{"items": [{"v": 1}, {"w": 2}, {"v": 3}]}', 'second') IS NOT NULL AS started;
SELECT * FROM pg_temp.compare('ee_map_one', 'second', '{"items": [{"v": 1}, {"w": 2}, {"v": 3}]}');
SELECT id, type, details->'stateEnteredEventDetails'->>'name' AS entered,
       coalesce(details->'mapIterationStartedEventDetails', details->'mapIterationSucceededEventDetails',
                details->'mapIterationFailedEventDetails')->>'index' AS iteration
  FROM booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:ee_map_one:second')
 WHERE type LIKE 'Map%';

-- A Parallel's second branch, and a failure after a Map whose iterations succeeded
-- (the events they wrote count before the state that follows).
SELECT booking.sfn_create_state_machine('ee_branches', '{"StartAt": "Both", "States": {
  "Both": {"Type": "Parallel", "Next": "Each", "ResultPath": null, "Branches": [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "OutputPath": "$.b", "End": true}}}]},
  "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.done", "Next": "After",
           "ItemProcessor": {"StartAt": "Take", "States": {"Take": {"Type": "Pass", "End": true}}}},
  "After": {"Type": "Pass", "InputPath": "$.missing", "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('ee_branches', '{"items": [1, 2]}', 'in-branch') IS NOT NULL AS started;
SELECT * FROM pg_temp.compare('ee_branches', 'in-branch', '{"items": [1, 2]}');
SELECT booking.sfn_start('ee_branches', '{"b": 0, "items": [1, 2]}', 'after-map') IS NOT NULL AS started;
SELECT * FROM pg_temp.compare('ee_branches', 'after-map', '{"b": 0, "items": [1, 2]}');

-- A Task answered through its token in a later transaction keeps its entry's
-- id (an activity: a synchronous run can't wait for one).
SELECT booking.sfn_create_activity('ee_worker') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('ee_token', '{"StartAt": "First", "States": {
  "First": {"Type": "Pass", "Next": "Work"},
  "Work": {"Type": "Task", "Resource": "arn:aws:states:local:000000000000:activity:ee_worker",
           "ResultSelector": {"v.$": "$.no_such_field"}, "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('ee_token', '{}', 'answered') IS NOT NULL AS started;
SELECT booking.sfn_send_task_success(t.task_token, '{"a": 1}')
  FROM booking.sfn_get_activity_task('arn:aws:states:local:000000000000:activity:ee_worker', 'w1') t;
SELECT d->>'status' AS status, d->>'cause' AS cause, pg_temp.entered_event('ee_token', 'answered') AS entered_event
  FROM booking.sfn_describe_execution('arn:aws:states:local:000000000000:execution:ee_token:answered') d;
SELECT id, type FROM booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:ee_token:answered');

-- Deleting the machines takes their executions, test cases and mocked runs.
SELECT count(booking.sfn_delete_state_machine(m)) AS deleted
  FROM unnest(ARRAY['ee_wait', 'ee_retry', 'ee_map', 'ee_map_one', 'ee_branches', 'ee_token']) m;
SELECT booking.sfn_delete_activity('ee_worker');
