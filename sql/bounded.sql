-- Bounded work: the history limit, a tick's time budget, Maps completed in
-- O(N) across transactions, and AWS's limits on definitions and documents.
SET booking.notify = off;

-- ==== the history limit: 25,000 events, then States.Runtime ====
SELECT booking.sfn_create_state_machine('bounded_loop', '{
  "StartAt": "Again",
  "States": {
    "Again": {"Type": "Pass", "Next": "Done?"},
    "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.done", "IsPresent": true, "Next": "Done"}], "Default": "Again"},
    "Done": {"Type": "Succeed"}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('bounded_loop', '{}', 'runaway') IS NOT NULL AS started;
-- each run yields after booking.max_steps_per_run transitions; ticks go on until the limit
SELECT count(*) FILTER (WHERE t > 0) > 0 AS ticked FROM (SELECT booking.sfn_tick() AS t FROM generate_series(1, 40)) ticks;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause
  FROM booking.sfn_describe_execution('runaway') AS d;
SELECT count(*) AS events, max(id) AS last_id,
       (array_agg(type ORDER BY id DESC))[1] AS last_type
  FROM booking.sfn_get_execution_history('runaway');
SELECT booking.sfn_tick() AS nothing_left;

-- Map iterations count in their execution's history, as AWS counts them
SELECT booking.sfn_create_state_machine('bounded_map_loop', '{
  "StartAt": "Each",
  "States": {
    "Each": {"Type": "Map", "ItemsPath": "$.items", "End": true,
      "ItemProcessor": {"StartAt": "Again", "States": {
        "Again": {"Type": "Pass", "Next": "Done?"},
        "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.done", "IsPresent": true, "Next": "Done"}], "Default": "Again"},
        "Done": {"Type": "Succeed"}}}}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('bounded_map_loop', '{"items": [{}, {}, {}]}', 'runaway-map') IS NOT NULL AS started;
SELECT count(*) FILTER (WHERE t > 0) > 0 AS ticked FROM (SELECT booking.sfn_tick() AS t FROM generate_series(1, 60)) ticks;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause
  FROM booking.sfn_describe_execution('runaway-map') AS d;
-- the step that reaches 24,999 events ends; then the iteration's and the Map's failures
SELECT count(*) BETWEEN 25000 AND 25010 AS about_25000,
       count(*) FILTER (WHERE type = 'PassStateEntered') > 3 * 2000 AS iterations_counted
  FROM booking.sfn_get_execution_history('runaway-map');
SELECT count(*) AS counters_left FROM booking.history_counts;
SELECT count(*) AS children_left FROM booking.executions
 WHERE root_id = booking.execution_id('runaway-map') AND status = 'RUNNING';

-- ==== sfn_tick: NULL is refused; a tick stops when its time is spent ====
SELECT booking.sfn_tick(NULL);
SELECT booking.sfn_create_state_machine('bounded_wait', '{
  "StartAt": "Nap", "States": {"Nap": {"Type": "Wait", "SecondsPath": "$.s", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT count(booking.sfn_start('bounded_wait', '{"s": 3600}', 'nap-' || i)) AS started FROM generate_series(1, 300) i;
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name LIKE 'nap-%';
SET booking.tick_time_budget = '1ms';
SELECT booking.sfn_tick(1000) < 300 AS stopped_early;
RESET booking.tick_time_budget;
SELECT booking.sfn_tick(1000) > 0 AS rest_advanced;
SELECT status, count(*) FROM booking.executions WHERE name LIKE 'nap-%' GROUP BY status;
-- one run yields when its time is spent, however many transitions it may make
SET booking.max_steps_per_run = 10000000;
SET booking.tick_time_budget = '20ms';
SELECT booking.sfn_start('bounded_loop', '{}', 'yields') IS NOT NULL AS started;
SELECT status, phase, due_at IS NOT NULL AS due, event_count < 20000 AS stopped_early
  FROM booking.executions WHERE name = 'yields';
SELECT booking.sfn_stop_execution('yields') IS NOT NULL AS stopped;
RESET booking.max_steps_per_run;
RESET booking.tick_time_budget;

-- while an execution waits, it shows the Wait; its error and cause are listed
SELECT booking.sfn_start('bounded_wait', '{"s": 3600}', 'napping') IS NOT NULL AS started;
SELECT state, phase FROM booking.executions WHERE name = 'napping';
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'napping';
SELECT booking.sfn_tick() AS advanced;
SELECT status, state FROM booking.executions WHERE name = 'napping';
SELECT name, status, error, cause FROM booking.sfn_list_executions('bounded_loop') ORDER BY name;

-- ==== one task's call runs at most booking.task_time_limit or its TimeoutSeconds ====
CREATE TABLE public.bounded_slept (id text PRIMARY KEY);
CREATE FUNCTION public.bounded_sleep(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.bounded_slept VALUES (p->>'id');
  PERFORM pg_sleep((p->>'s')::float8);
  RETURN p;
END $$;
SELECT booking.sfn_create_state_machine('bounded_sleep', '{"StartAt": "S", "States": {
  "S": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "public.bounded_sleep", "Payload.$": "$"}, "OutputPath": "$.Payload",
        "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}], "End": true},
  "Late": {"Type": "Pass", "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('bounded_sleep_timeout', '{"StartAt": "S", "States": {
  "S": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 1,
        "Parameters": {"FunctionName": "public.bounded_sleep", "Payload.$": "$"}, "End": true}}}', role => 'postgres')
       IS NOT NULL AS created;
SET booking.task_time_limit = '100ms';
-- an hour's sleep is cancelled, caught; its insert rolled back
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_start_sync('bounded_sleep', '{"id": "long", "s": 3600}') AS d;
-- a quick call is not
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_start_sync('bounded_sleep', '{"id": "quick", "s": 0}') AS d;
-- ticked, the same
SELECT booking.sfn_create_state_machine('bounded_sleep_later', '{"StartAt": "W", "States": {
  "W": {"Type": "Wait", "Seconds": 3600, "Next": "S"},
  "S": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "public.bounded_sleep", "Payload.$": "$"}, "End": true}}}', role => 'postgres')
       IS NOT NULL AS created;
SELECT booking.sfn_start('bounded_sleep_later', '{"id": "ticked", "s": 3600}', 'sleep-ticked') IS NOT NULL AS started;
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'sleep-ticked';
SELECT booking.sfn_tick() AS advanced;
SELECT status, error, cause FROM booking.executions WHERE name = 'sleep-ticked';
RESET booking.task_time_limit;
-- the task's TimeoutSeconds, when it comes first
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause
  FROM booking.sfn_start_sync('bounded_sleep_timeout', '{"id": "timeout", "s": 3600}') AS d;
-- the session goes on, uncancelled; only the quick call's row is left
SELECT id FROM public.bounded_slept ORDER BY id;

-- ==== Maps: children created a chunk at a time, counted, not scanned ====
SELECT booking.sfn_create_state_machine('bounded_fan', '{
  "StartAt": "Each",
  "States": {
    "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 700,
      "ItemProcessor": {"StartAt": "Double", "States": {
        "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "OutputPath": "$.v", "End": true}}},
      "ResultSelector": {"n.$": "States.ArrayLength($)", "last.$": "$[2499]", "first.$": "$[0]"},
      "End": true}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('bounded_fan', jsonb_build_object('items', (SELECT jsonb_agg(i) FROM generate_series(1, 2500) i)), 'fan')
       IS NOT NULL AS started;
SELECT f.total, f.created <= 2000 AS created_in_chunks, f.launched - f.ended <= 700 AS within_concurrency
  FROM booking.fanouts f WHERE f.parent_id = booking.execution_id('fan');
SELECT count(*) FILTER (WHERE t > 0) > 0 AS ticked FROM (SELECT booking.sfn_tick() AS t FROM generate_series(1, 40)) ticks;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('fan') AS d;
SELECT (SELECT count(*) FROM booking.fanouts) AS fanouts, (SELECT count(*) FROM booking.fanout_items) AS items,
       (SELECT count(*) FROM booking.executions WHERE root_id = booking.execution_id('fan')) AS children;
-- a failure stops the rest, the chunks not created yet included
SELECT booking.sfn_create_state_machine('bounded_fan_fail', '{
  "StartAt": "Each",
  "States": {
    "Each": {"Type": "Map", "ItemsPath": "$.items",
      "ItemProcessor": {"StartAt": "Bad?", "States": {
        "Bad?": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1500, "Next": "Bad"}], "Default": "Fine"},
        "Bad": {"Type": "Fail", "Error": "Item.Bad", "Cause": "item 1500"},
        "Fine": {"Type": "Succeed"}}},
      "End": true}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('bounded_fan_fail', jsonb_build_object('items', (SELECT jsonb_agg(i) FROM generate_series(1, 3000) i)), 'fan-fail')
       IS NOT NULL AS started;
SELECT count(*) FILTER (WHERE t > 0) > 0 AS ticked FROM (SELECT booking.sfn_tick() AS t FROM generate_series(1, 40)) ticks;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause FROM booking.sfn_describe_execution('fan-fail') AS d;
SELECT (SELECT count(*) FROM booking.fanouts) AS fanouts, (SELECT count(*) FROM booking.fanout_items) AS items;
-- Maps in Maps
SELECT booking.sfn_create_state_machine('bounded_nested', '{
  "StartAt": "Rows",
  "States": {
    "Rows": {"Type": "Map", "ItemsPath": "$.rows", "End": true,
      "ItemProcessor": {"StartAt": "Cells", "States": {
        "Cells": {"Type": "Map", "ItemsPath": "$", "End": true,
          "ItemProcessor": {"StartAt": "Cell", "States": {"Cell": {"Type": "Pass", "End": true}}},
          "ResultSelector": {"n.$": "States.ArrayLength($)"}}}}}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('bounded_nested',
         jsonb_build_object('rows', (SELECT jsonb_agg((SELECT jsonb_agg(c) FROM generate_series(1, 30) c)) FROM generate_series(1, 40))),
         'nested') IS NOT NULL AS started;
SELECT count(*) FILTER (WHERE t > 0) >= 0 AS ticked FROM (SELECT booking.sfn_tick() AS t FROM generate_series(1, 20)) ticks;
SELECT d->>'status' AS status, jsonb_array_length(d->'output') AS rows, d->'output'->0 AS first_row
  FROM booking.sfn_describe_execution('nested') AS d;

-- ==== 30,000 named starts in one statement ====
SELECT booking.sfn_create_state_machine('bounded_quick', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}', role => 'postgres')
       IS NOT NULL AS created;
SELECT count(booking.sfn_start('bounded_quick', '{}', 'quick-' || i)) AS started FROM generate_series(1, 30000) i;
-- a name used is still refused
SELECT booking.sfn_start('bounded_quick', '{}', 'quick-17');

-- ==== limits on definitions and documents ====
-- 1 MB of definition
SELECT code, location FROM booking.sfn_validate(jsonb_build_object('StartAt', 'P', 'States',
         jsonb_build_object('P', jsonb_build_object('Type', 'Pass', 'End', true, 'Result', repeat('x', 1048576)))));
SELECT booking.sfn_create_state_machine('bounded_big', jsonb_build_object('StartAt', 'P', 'States',
         jsonb_build_object('P', jsonb_build_object('Type', 'Pass', 'End', true, 'Result', repeat('x', 1048576)))), role => 'postgres');
SELECT booking.sfn_create_state_machine('bounded_huge', jsonb_build_object('StartAt', 'P', 'States',
         jsonb_build_object('P', jsonb_build_object('Type', 'Pass', 'End', true, 'Result', repeat('x', 5000000)))), role => 'postgres');
SELECT booking.sfn_create_state_machine('bounded_fits', jsonb_build_object('StartAt', 'P', 'States',
         jsonb_build_object('P', jsonb_build_object('Type', 'Pass', 'End', true, 'Result', repeat('x', 1000000)))), role => 'postgres')
       IS NOT NULL AS created;
-- numbers a double can't hold, where they stand
SELECT booking.sfn_create_state_machine('bounded_num', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a/b": [0, 1e400]}, "End": true}}}', role => 'postgres');
SELECT booking.sfn_start('bounded_quick', '{"a": [1, {"b~c": -1e400}]}');
SELECT booking.sfn_start_sync('bounded_quick', '1e999');
-- what a double holds (rounding to 0 below its range) passes through with its digits
SELECT d->'output' = d->'input' AS kept FROM booking.sfn_start_sync('bounded_quick', '{"tiny": 1e-400, "big": 1e308}') AS d;
-- States.ArrayRange's step is an integer
SELECT booking.sfn_test_state('{"Type": "Pass", "Parameters": {"r.$": "States.ArrayRange(1, 5, 1.5)"}, "End": true}', NULL, '{}')
       - 'inspectionData' AS result;
SELECT booking.sfn_test_state('{"Type": "Pass", "Parameters": {"r.$": "States.ArrayRange(1, 5.0, 2)"}, "End": true}', NULL, '{}')
       -> 'output' AS output;
-- a NUL byte from States.Base64Decode: the same catchable error in every path
SELECT booking.sfn_create_state_machine('bounded_nul', '{
  "StartAt": "Try",
  "States": {
    "Try": {"Type": "Parallel", "End": true,
      "Branches": [{"StartAt": "Decode", "States": {"Decode": {"Type": "Pass", "Parameters": {"t.$": "States.Base64Decode($.b64)"}, "End": true}}}],
      "Catch": [{"ErrorEquals": ["States.IntrinsicFailure"], "ResultPath": "$.caught", "Next": "Caught"}]},
    "Caught": {"Type": "Pass", "OutputPath": "$.caught.Error", "End": true}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('bounded_nul', '{"b64": "YQBi"}', 'nul') IS NOT NULL AS started;
SELECT status, output FROM booking.executions WHERE name = 'nul';
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_start_sync('bounded_nul', '{"b64": "YQBi"}') AS d;
SELECT r->>'status' AS status, r->>'error' AS error
  FROM booking.sfn_test_state('{"Type": "Pass", "Parameters": {"t.$": "States.Base64Decode($.b64)"}, "End": true}', NULL, '{"b64": "YQBi"}') AS r;
SELECT r->>'status' AS status, r->>'error' AS error
  FROM booking.sfn_test_state('{"Type": "Pass", "Parameters": {"t.$": "States.StringToJson($.j)"}, "End": true}', NULL,
                              '{"j": "\"a\\u0000b\""}') AS r;

-- clean up
SELECT booking.sfn_delete_state_machine(m) FROM unnest(ARRAY['bounded_loop', 'bounded_map_loop', 'bounded_wait', 'bounded_fan',
       'bounded_fan_fail', 'bounded_nested', 'bounded_quick', 'bounded_fits', 'bounded_nul',
       'bounded_sleep', 'bounded_sleep_timeout', 'bounded_sleep_later']) m;
DROP FUNCTION public.bounded_sleep(jsonb);
DROP TABLE public.bounded_slept;
SELECT (SELECT count(*) FROM booking.executions e
          WHERE NOT EXISTS (SELECT FROM booking.state_machines m WHERE m.id = e.machine_id)) AS orphans,
       (SELECT count(*) FROM booking.history_counts) AS counters,
       (SELECT count(*) FROM booking.fanouts) AS fanouts, (SELECT count(*) FROM booking.fanout_items) AS items;
