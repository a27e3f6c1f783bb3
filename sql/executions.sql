-- Durable executions: sfn_start runs inline in the caller's transaction until
-- the execution ends or parks; sfn_tick advances what is due.
SELECT booking.sfn_create_state_machine('exec_wait', '{
  "StartAt": "Greet",
  "States": {
    "Greet": {"Type": "Pass", "Parameters": {"msg.$": "States.Format(''Hello, {}'', $.who)", "n.$": "$.n"}, "Next": "Pause"},
    "Pause": {"Type": "Wait", "SecondsPath": "$.n", "Next": "Big?"},
    "Big?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Yes"}], "Default": "No"},
    "Yes": {"Type": "Succeed"},
    "No": {"Type": "Fail", "Error": "Zero", "Cause": "n is 0"}
  }
}', role => 'postgres') IS NOT NULL AS created;

-- Without a wait, the execution ends inside sfn_start
SELECT booking.sfn_start('exec_wait', '{"who": "Ann", "n": 0}', 'no-wait');
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause, d->>'stateMachineVersionArn' AS version_arn,
       d->>'redriveStatus' AS redrive_status
  FROM booking.sfn_describe_execution('no-wait') AS d;

-- A Wait parks it: RUNNING, on a timer at the Choice that follows
SELECT booking.sfn_start('exec_wait', '{"who": "Bo", "n": 1}', 'waits');
SELECT status, state, phase, due_at > clock_timestamp() AS due_later FROM booking.executions WHERE name = 'waits';
SELECT round(extract(epoch FROM due_at - start_date)) AS wait_seconds FROM booking.executions WHERE name = 'waits';
SELECT booking.sfn_tick() AS advanced_before_due;
-- no real waiting: the timer is made due, then ticked
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'waits';
SELECT booking.sfn_tick() AS advanced_when_due;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('waits') AS d;

-- The history, as GetExecutionHistory numbers it
SELECT id, type, previous_event_id, details->'stateEnteredEventDetails'->>'name' AS entered
  FROM booking.sfn_get_execution_history('arn:aws:states:local:000000000000:execution:exec_wait:waits');

-- Names: same name and input while running → the same execution; otherwise ExecutionAlreadyExists
SELECT booking.sfn_start('exec_wait', '{"who": "Cy", "n": 60}', 'dup') AS first,
       booking.sfn_start('exec_wait', '{"who": "Cy", "n": 60}', 'dup') AS again;
SELECT booking.sfn_start('exec_wait', '{"who": "Cy", "n": 61}', 'dup');
SELECT booking.sfn_start('exec_wait', '{"who": "Ann", "n": 0}', 'no-wait');
SELECT booking.sfn_start('exec_wait', '{}', 'bad name');

-- A rolled-back caller leaves no trace
BEGIN;
SELECT booking.sfn_start('exec_wait', '{"who": "Dee", "n": 0}', 'rolled-back') IS NOT NULL AS started;
ROLLBACK;
SELECT count(*) AS rolled_back_rows FROM booking.executions WHERE name = 'rolled-back';

-- Stop: ABORTED, with its error and cause; stopping again changes nothing
SELECT booking.sfn_stop_execution('dup', 'Operator', 'stopped by a test') IS NOT NULL AS stopped;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause
  FROM booking.sfn_describe_execution('dup') AS d;
SELECT booking.sfn_stop_execution('dup') IS NOT NULL AS stopped_again;
SELECT type FROM booking.sfn_get_execution_history('dup') ORDER BY id DESC LIMIT 1;

-- Redrive: a FAILED execution runs again from the state that failed, with the
-- input that state had (here: the Choice fails until $$.Execution.RedriveCount is 1)
SELECT booking.sfn_create_state_machine('exec_redrive', '{
  "StartAt": "Prepare",
  "States": {
    "Prepare": {"Type": "Pass", "Result": "prepared", "ResultPath": "$.step", "Next": "Check"},
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$$.Execution.RedriveCount", "NumericEquals": 1, "Next": "Done"}]},
    "Done": {"Type": "Pass", "Parameters": {"step.$": "$.step", "redrives.$": "$$.Execution.RedriveCount"}, "End": true}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('exec_redrive', '{}', 'r1') IS NOT NULL AS started;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'redriveStatus' AS redrive_status
  FROM booking.sfn_describe_execution('r1') AS d;
SELECT booking.sfn_redrive_execution('r1') IS NOT NULL AS redriven;
SELECT d->>'status' AS status, d->'output' AS output, d->>'redriveCount' AS redrive_count,
       d->>'redriveDate' IS NOT NULL AS has_redrive_date
  FROM booking.sfn_describe_execution('r1') AS d;
SELECT type FROM booking.sfn_get_execution_history('r1') ORDER BY id;
-- a Fail state fails again when redriven
SELECT booking.sfn_redrive_execution('no-wait') IS NOT NULL AS redriven;
SELECT d->>'status' AS status, d->>'redriveCount' AS redrive_count FROM booking.sfn_describe_execution('no-wait') AS d;
SELECT booking.sfn_redrive_execution('waits');    -- SUCCEEDED: not redrivable

-- Parallel and Map: branches that park become children that ticks advance;
-- the parent resumes when the last one ends, results in order
SELECT booking.sfn_create_state_machine('exec_fanout', '{
  "StartAt": "P",
  "States": {
    "P": {"Type": "Parallel", "Next": "M", "Branches": [
      {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 1, "Next": "A"}, "A": {"Type": "Pass", "Result": "a", "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}}]},
    "M": {"Type": "Map", "MaxConcurrency": 1, "ItemProcessor": {"StartAt": "I", "States": {
      "I": {"Type": "Pass", "Parameters": {"v.$": "States.Format(''item {}'', $)"}, "End": true}}}, "End": true}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('exec_fanout', '{}', 'f1') IS NOT NULL AS started;
SELECT branch_index, status, state FROM booking.executions
 WHERE parent_id = (SELECT id FROM booking.executions WHERE name = 'f1') ORDER BY branch_index;
UPDATE booking.executions SET due_at = clock_timestamp()
 WHERE parent_id = (SELECT id FROM booking.executions WHERE name = 'f1') AND status = 'RUNNING';
SELECT booking.sfn_tick() AS advanced;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('f1') AS d;
SELECT count(*) AS children_left FROM booking.executions WHERE root_id = (SELECT id FROM booking.executions WHERE name = 'f1');
SELECT type FROM booking.sfn_get_execution_history('f1') WHERE type LIKE 'Map%' OR type LIKE 'Parallel%' ORDER BY id;

-- A failing branch fails the Parallel with its error and stops the others
SELECT booking.sfn_create_state_machine('exec_branch_fails', '{
  "StartAt": "P",
  "States": {
    "P": {"Type": "Parallel", "End": true, "Branches": [
      {"StartAt": "Long", "States": {"Long": {"Type": "Wait", "Seconds": 3600, "End": true}}},
      {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "Boom", "Cause": "branch 1"}}}]}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('exec_branch_fails', '{}', 'bf') IS NOT NULL AS started;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause FROM booking.sfn_describe_execution('bf') AS d;
SELECT count(*) AS running_children FROM booking.executions
 WHERE root_id = (SELECT id FROM booking.executions WHERE name = 'bf') AND status = 'RUNNING';

-- An endless loop yields: the step budget parks it due now, and each tick goes on
SELECT booking.sfn_create_state_machine('exec_loop', '{
  "StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Stop?"},
    "Stop?": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "A"},
    "Done": {"Type": "Succeed"}}
}', role => 'postgres') IS NOT NULL AS created;
SET booking.max_steps_per_run = 50;
SELECT booking.sfn_start('exec_loop', '{}', 'loop') IS NOT NULL AS started;
SELECT status, due_at <= clock_timestamp() AS due_now FROM booking.executions WHERE name = 'loop';
SELECT booking.sfn_tick() AS advanced;
SELECT (SELECT count(*) FROM booking.sfn_get_execution_history('loop')) > 50 AS kept_going;
SELECT booking.sfn_stop_execution('loop') IS NOT NULL AS stopped;
RESET booking.max_steps_per_run;

-- The machine's TimeoutSeconds: a tick after the deadline ends it TIMED_OUT
SELECT booking.sfn_create_state_machine('exec_timeout', '{
  "TimeoutSeconds": 1, "StartAt": "Long", "States": {"Long": {"Type": "Wait", "Seconds": 3600, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('exec_timeout', '{}', 't1') IS NOT NULL AS started;
SELECT due_at - start_date <= interval '1 second' AS woken_at_deadline FROM booking.executions WHERE name = 't1';
SELECT booking.sfn_tick() AS advanced_before_deadline;
-- the deadline made now, then ticked
UPDATE booking.executions SET timeout_at = clock_timestamp(), due_at = clock_timestamp() WHERE name = 't1';
SELECT booking.sfn_tick() AS advanced;
SELECT d->>'status' AS status, d->>'error' AS error FROM booking.sfn_describe_execution('t1') AS d;

-- History level: errors keeps only the Execution* and failure events
SET booking.history_level = 'errors';
SELECT booking.sfn_start('exec_wait', '{"who": "Eve", "n": 0}', 'quiet') IS NOT NULL AS started;
SELECT type FROM booking.sfn_get_execution_history('quiet') ORDER BY id;
RESET booking.history_level;

-- Listing: newest first, filtered by machine and status
SELECT name, status FROM booking.sfn_list_executions('exec_wait') ORDER BY name;
SELECT name FROM booking.sfn_list_executions(status => 'ABORTED') ORDER BY name;
SELECT * FROM booking.sfn_list_executions(status => 'DONE');

-- A tick claims and reads its due executions in one statement; a row that an
-- earlier execution of the same tick changed is read again. Here the first
-- one's task stops the second, which must stay ABORTED: advanced from the row
-- as claimed, it would run on to its end over the stop.
CREATE FUNCTION stop_other(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('stopped', booking.sfn_stop_execution(p->>'other', 'Stopped', 'by the tick') IS NOT NULL)
$$;
SELECT booking.sfn_create_state_machine('exec_stopper', '{
  "StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Stop"},
    "Stop": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:stop_other", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('exec_stopper', '{"other": "stopped-by-tick"}', 'stops-in-tick') IS NOT NULL AS started,
       booking.sfn_start('exec_wait', '{"who": "Eve", "n": 3600}', 'stopped-by-tick') IS NOT NULL AS started_too;
UPDATE booking.executions SET due_at = clock_timestamp() - interval '2 seconds' WHERE name = 'stops-in-tick';
UPDATE booking.executions SET due_at = clock_timestamp() - interval '1 second' WHERE name = 'stopped-by-tick';
SELECT booking.sfn_tick() AS advanced;
SELECT name, status, error, cause FROM booking.executions
 WHERE name IN ('stops-in-tick', 'stopped-by-tick') ORDER BY name;
SELECT type FROM booking.sfn_get_execution_history('stopped-by-tick') ORDER BY id DESC LIMIT 1;

-- An ERROR inside one execution's advance (not in its task: a task's errors
-- are its own) fails that execution only (States.Runtime, the message as
-- cause). A tick advances a batch at once, then, when one raises, the batch
-- again, one subtransaction per execution: the others end as if nothing had
-- happened, their tasks' work kept once.
CREATE TABLE tick_notes (who text);
CREATE FUNCTION note_it(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  INSERT INTO tick_notes VALUES (p->>'who') RETURNING jsonb_build_object('noted', who)
$$;
SELECT booking.sfn_create_state_machine('exec_noter', '{
  "StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Note"},
    "Note": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:note_it", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT count(booking.sfn_start('exec_noter', jsonb_build_object('who', n), n)) AS started
  FROM unnest(ARRAY['noted-1', 'broken', 'noted-3']) AS n;
UPDATE booking.executions SET due_at = clock_timestamp() - interval '3 seconds' WHERE name = 'noted-1';
UPDATE booking.executions SET due_at = clock_timestamp() - interval '2 seconds', state = 'Nowhere' WHERE name = 'broken';
UPDATE booking.executions SET due_at = clock_timestamp() - interval '1 second' WHERE name = 'noted-3';
SET client_min_messages = error;  -- the WARNING names the execution's id
SELECT booking.sfn_tick() AS advanced;
RESET client_min_messages;
SELECT name, status, error, regexp_replace(cause, '[0-9]+', 'N') AS cause FROM booking.executions
 WHERE name IN ('noted-1', 'broken', 'noted-3') ORDER BY name;
SELECT who, count(*) FROM tick_notes GROUP BY who ORDER BY who;
SELECT type FROM booking.sfn_get_execution_history('broken') ORDER BY id DESC LIMIT 1;

-- Errors
SELECT booking.sfn_describe_execution('nope');
SELECT booking.sfn_describe_execution('arn:aws:states:local:000000000000:stateMachine:exec_wait');
SELECT booking.sfn_start('nope');
SELECT booking.sfn_start(NULL);
SELECT booking.sfn_tick(0);

-- Deleting a state machine deletes its executions, their children and their history
SELECT booking.sfn_create_state_machine('exec_cascade', '{
  "StartAt": "M", "States": {
    "M": {"Type": "Map", "ItemProcessor": {"StartAt": "Hold", "States": {
      "Hold": {"Type": "Wait", "Seconds": 3600, "End": true}}}, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('exec_cascade', '[1, 2, 3]', 'c1') IS NOT NULL AS started;
CREATE TEMP TABLE cascade_ids AS
  SELECT e.id FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id
   WHERE m.name = 'exec_cascade';
SELECT count(*) AS executions_with_children FROM cascade_ids;
SELECT count(*) > 0 AS has_history FROM booking.history WHERE execution_id IN (SELECT id FROM cascade_ids);
SELECT booking.sfn_delete_state_machine('exec_cascade');
SELECT count(*) AS executions_left FROM booking.executions WHERE id IN (SELECT id FROM cascade_ids);
SELECT count(*) AS history_left FROM booking.history WHERE execution_id IN (SELECT id FROM cascade_ids);
DROP TABLE cascade_ids;

-- clean up: deleting the machines deletes their executions
SELECT booking.sfn_delete_state_machine(m)
  FROM unnest(ARRAY['exec_wait', 'exec_redrive', 'exec_fanout', 'exec_branch_fails', 'exec_loop', 'exec_timeout',
                    'exec_stopper', 'exec_noter']) AS m;
DROP FUNCTION stop_other(jsonb);
DROP FUNCTION note_it(jsonb);
DROP TABLE tick_notes;
