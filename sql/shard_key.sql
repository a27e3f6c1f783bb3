-- booking.shard_key (docs/scale-out.md): every row that belongs to an
-- execution carries the shard key it was started with — the execution, its
-- Map children, its history, its task tokens, the version or alias it was
-- started through, its mock test case, its redrive client tokens — also when
-- the rows are written later, by a tick or a redrive in a session whose
-- setting differs. Without the setting, the key is empty.
CREATE ROLE shard_owner;
GRANT booking_user TO shard_owner;
CREATE FUNCTION keep(payload jsonb) RETURNS jsonb LANGUAGE sql AS 'SELECT ''{}''::jsonb';
SET ROLE shard_owner;
SELECT booking.sfn_create_state_machine('shard_m', '{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "ItemsPath": "$.items",
           "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}},
           "Next": "Ask"},
  "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
          "Parameters": {"FunctionName": "keep", "Payload": {"t.$": "$$.Task.Token"}}, "Next": "Fail"},
  "Fail": {"Type": "Fail", "Error": "Done"}}}') IS NOT NULL AS created;
SELECT alias_arn IS NOT NULL AS alias FROM booking.sfn_create_state_machine_alias('shard_m', 'live',
    '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:shard_m:1", "weight": 100}]');
SELECT booking.sfn_load_mock_config('{"StateMachines": {"shard_m": {"TestCases": {"Quiet": {"Ask": "Quiet"}}}},
  "MockedResponses": {"Quiet": {"0": {"Return": {}}}}}') AS loaded;

-- three starts, each with its own key: through the alias, a version, a test case
BEGIN;
SET LOCAL booking.shard_key = 'apt-1';
SELECT booking.sfn_start('arn:aws:states:local:000000000000:stateMachine:shard_m:live', '{"items": [1, 2]}', 'a') IS NOT NULL AS started;
COMMIT;
BEGIN;
SET LOCAL booking.shard_key = 'apt-2';
SELECT booking.sfn_start('arn:aws:states:local:000000000000:stateMachine:shard_m:1', '{"items": [1]}', 'b') IS NOT NULL AS started;
COMMIT;
BEGIN;
SET LOCAL booking.shard_key = 'apt-3';
SELECT booking.sfn_start('shard_m#Quiet', '{"items": []}', 'c') IS NOT NULL AS started;
COMMIT;
SELECT booking.sfn_start('shard_m', '{"items": []}', 'unkeyed') IS NOT NULL AS started;

-- the Map children, their history and the tokens are written by ticks in
-- this session, whose setting is another key
RESET ROLE;
-- the Map children exist until their parent collects them: each has its parent's key
SELECT p.name, count(*) AS children, count(*) FILTER (WHERE c.shard_key <> p.shard_key) AS other_key
  FROM booking.executions c JOIN booking.executions p ON p.id = c.parent_id GROUP BY p.name ORDER BY p.name;
UPDATE booking.executions SET due_at = now() WHERE parent_id IS NOT NULL;
SET booking.shard_key = 'elsewhere';
SELECT count(*) > 0 AS ticked FROM (SELECT booking.sfn_tick() FROM generate_series(1, 5)) t;
SELECT count(booking.sfn_send_task_success(t.token, '{}')) AS answered
  FROM booking.task_tokens t JOIN booking.executions e ON e.id = t.execution_id WHERE e.name = 'b';
-- b failed: redriven (with a client token) in this session
SELECT booking.sfn_redrive_execution('arn:aws:states:local:000000000000:execution:shard_m:b', 'again') IS NOT NULL AS redriven;
RESET booking.shard_key;

-- every row of each execution, by table: rows, and rows with a key other than the execution's
SELECT e.name, e.shard_key,
       (SELECT count(*) > 0 FROM booking.history h WHERE h.execution_id = e.id) AS has_history,
       (SELECT count(*) FILTER (WHERE h.shard_key <> e.shard_key) FROM booking.history h WHERE h.execution_id = e.id) AS history_other,
       (SELECT count(*) || '/' || count(*) FILTER (WHERE t.shard_key <> e.shard_key) FROM booking.task_tokens t WHERE t.execution_id = e.id) AS tokens,
       (SELECT count(*) || '/' || count(*) FILTER (WHERE o.shard_key <> e.shard_key) FROM booking.execution_origins o
         WHERE o.machine_id = e.machine_id AND o.execution_name = e.name) AS origins,
       (SELECT count(*) || '/' || count(*) FILTER (WHERE x.shard_key <> e.shard_key) FROM booking.mock_executions x
         WHERE x.machine_id = e.machine_id AND x.execution_name = e.name) AS mocks,
       (SELECT count(*) || '/' || count(*) FILTER (WHERE r.shard_key <> e.shard_key) FROM booking.redrive_tokens r WHERE r.execution_id = e.id) AS redrives
  FROM booking.executions e WHERE e.parent_id IS NULL ORDER BY e.name;

SELECT booking.sfn_delete_state_machine('shard_m');
DROP FUNCTION keep(jsonb);
DROP ROLE shard_owner;
