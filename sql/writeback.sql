-- A tick's batch keeps its executions' saves and writes them at its end, in one
-- statement (docs/scheduling.md). Nothing booking runs may read such a row
-- stale: a task's code calling booking, and booking's own statements, write
-- what is kept first. Each pair below is one batch: an execution that ends
-- first, then one whose task acts on it.
CREATE TABLE wb_seen (how text, what text);
-- reads the other execution through one of booking's functions only
CREATE FUNCTION wb_look(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE seen text;
BEGIN
    IF p->>'how' = 'describe' THEN
        seen := booking.sfn_describe_execution(p->>'other')->>'status';
    ELSIF p->>'how' = 'history' THEN
        SELECT string_agg(type, ' ' ORDER BY id) INTO seen FROM booking.sfn_get_execution_history(p->>'other');
    ELSE
        SELECT string_agg(status, ' ') INTO seen FROM booking.sfn_list_executions() WHERE name LIKE 'wb-a%';
    END IF;
    INSERT INTO wb_seen VALUES (p->>'how', seen);
    IF p->>'fail' = 'yes' THEN
        RAISE EXCEPTION 'saw %', seen;
    END IF;
    RETURN jsonb_build_object('saw', seen);
END $$;
SELECT booking.sfn_create_state_machine('wb_done', '{
  "StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Done"},
    "Done": {"Type": "Pass", "Result": "done", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('wb_reader', '{
  "StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Look"},
    "Look": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:wb_look", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;

-- due in this order: first, then second (earliest first in a batch)
CREATE FUNCTION wb_due(first text, second text) RETURNS void LANGUAGE sql AS $$
  UPDATE booking.executions SET due_at = clock_timestamp() - interval '2 seconds' WHERE name = first;
  UPDATE booking.executions SET due_at = clock_timestamp() - interval '1 second' WHERE name = second;
$$;

-- DescribeExecution, GetExecutionHistory and ListExecutions from a task see
-- the execution its batch ended before it
SELECT count(booking.sfn_start('wb_done', '{}', n)) AS started FROM unnest(ARRAY['wb-a1', 'wb-a2', 'wb-a3']) AS n;
SELECT booking.sfn_start('wb_reader', '{"how": "describe", "other": "wb-a1"}', 'wb-r1') IS NOT NULL AS started,
       booking.sfn_start('wb_reader', '{"how": "history", "other": "wb-a2"}', 'wb-r2') IS NOT NULL AS started_too,
       booking.sfn_start('wb_reader', '{"how": "list", "other": "wb-a3"}', 'wb-r3') IS NOT NULL AS started_three;
-- (the list shows the three: the others are still parked)
SELECT wb_due('wb-a1', 'wb-r1');
SELECT booking.sfn_tick() AS advanced;
SELECT wb_due('wb-a2', 'wb-r2');
SELECT booking.sfn_tick() AS advanced;
SELECT wb_due('wb-a3', 'wb-r3');
SELECT booking.sfn_tick() AS advanced;
SELECT how, what FROM wb_seen ORDER BY how;
SELECT name, status, output FROM booking.executions WHERE name LIKE 'wb-%' ORDER BY name;

-- A task that read (which wrote the batch's kept saves) and then failed: its
-- subtransaction rolls back what it wrote, and the batch's end writes it again
TRUNCATE wb_seen;
SELECT booking.sfn_start('wb_done', '{}', 'wb-c') IS NOT NULL AS started,
       booking.sfn_start('wb_reader', '{"how": "describe", "other": "wb-c", "fail": "yes"}', 'wb-d') IS NOT NULL AS started_too;
SELECT wb_due('wb-c', 'wb-d');
SELECT booking.sfn_tick() AS advanced;
SELECT name, status, output, error, cause FROM booking.executions WHERE name IN ('wb-c', 'wb-d') ORDER BY name;
SELECT id, type FROM booking.sfn_get_execution_history('wb-c') ORDER BY id;
SELECT count(*) AS seen_rows_kept FROM wb_seen;

-- A task that deletes (directly, as a superuser's code may) an execution its
-- batch ended: the batch goes on, and the deleted one leaves no history behind
CREATE FUNCTION wb_delete(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE n int;
BEGIN
    DELETE FROM booking.executions WHERE name = p->>'other';
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN jsonb_build_object('deleted', n);
END $$;
SELECT booking.sfn_create_state_machine('wb_deleter', '{
  "StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Delete"},
    "Delete": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:wb_delete", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('wb_done', '{}', 'wb-e') IS NOT NULL AS started,
       booking.sfn_start('wb_deleter', '{"other": "wb-e"}', 'wb-f') IS NOT NULL AS started_too;
CREATE TEMP TABLE wb_gone AS SELECT id FROM booking.executions WHERE name = 'wb-e';
SELECT wb_due('wb-e', 'wb-f');
SELECT booking.sfn_tick() AS advanced;
SELECT name, status, output FROM booking.executions WHERE name IN ('wb-e', 'wb-f') ORDER BY name;
SELECT count(*) AS history_of_deleted FROM booking.history WHERE execution_id IN (SELECT id FROM wb_gone);

-- Map iterations ending in a batch, and their parent due in the same batch:
-- the last one's end resumes the parent (which reads the children's rows),
-- and the parent's claimed row, changed meanwhile, is read again. The batch
-- goes through at once: a sequence (not rolled back) counts the tasks' runs
CREATE SEQUENCE wb_runs;
CREATE FUNCTION wb_twice(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('wb_runs');
    RETURN jsonb_build_object('v', p::int * 2);
END $$;
SELECT booking.sfn_create_state_machine('wb_map', '{
  "StartAt": "M", "States": {
    "M": {"Type": "Map", "ItemProcessor": {"StartAt": "Hold", "States": {
      "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Twice"},
      "Twice": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:wb_twice", "End": true}}}, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('wb_map', '[1, 2, 3]', 'wb-m') IS NOT NULL AS started;
UPDATE booking.executions SET due_at = clock_timestamp() - interval '2 seconds'
 WHERE parent_id = (SELECT id FROM booking.executions WHERE name = 'wb-m');
UPDATE booking.executions SET due_at = clock_timestamp() - interval '1 second' WHERE name = 'wb-m';
SELECT booking.sfn_tick() AS advanced;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('wb-m') AS d;
SELECT type, count(*) FROM booking.sfn_get_execution_history('wb-m') GROUP BY type ORDER BY type;
SELECT last_value AS task_runs FROM wb_runs;

-- An ERROR in the batch's write itself: the batch is rolled back and run
-- again an execution at a time, where it fails that execution only; the
-- others' tasks count once
CREATE TABLE wb_notes (who text);
CREATE FUNCTION wb_note(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  INSERT INTO wb_notes VALUES (p->>'who') RETURNING jsonb_build_object('noted', who)
$$;
SELECT booking.sfn_create_state_machine('wb_noter', '{
  "StartAt": "Hold", "States": {
    "Hold": {"Type": "Wait", "Seconds": 3600, "Next": "Note"},
    "Note": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:wb_note", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
CREATE FUNCTION wb_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.name = 'wb-broken' AND NEW.status = 'SUCCEEDED' THEN
        RAISE EXCEPTION 'wb-broken may not succeed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER wb_refuse BEFORE UPDATE ON booking.executions FOR EACH ROW EXECUTE FUNCTION wb_refuse();
SELECT count(booking.sfn_start('wb_noter', jsonb_build_object('who', n), n)) AS started
  FROM unnest(ARRAY['wb-n1', 'wb-n3']) AS n;
SELECT booking.sfn_start('wb_done', '{}', 'wb-broken') IS NOT NULL AS started;
UPDATE booking.executions SET due_at = clock_timestamp() - interval '3 seconds' WHERE name = 'wb-n1';
SELECT wb_due('wb-broken', 'wb-n3');
SET client_min_messages = error;  -- the WARNING names the execution's id
SELECT booking.sfn_tick() AS advanced;
RESET client_min_messages;
DROP TRIGGER wb_refuse ON booking.executions;
SELECT name, status, error, cause FROM booking.executions
 WHERE name IN ('wb-n1', 'wb-broken', 'wb-n3') ORDER BY name;
SELECT who, count(*) FROM wb_notes GROUP BY who ORDER BY who;

-- clean up
SELECT booking.sfn_delete_state_machine(m)
  FROM unnest(ARRAY['wb_done', 'wb_reader', 'wb_deleter', 'wb_map', 'wb_noter']) AS m;
DROP FUNCTION wb_look(jsonb);
DROP FUNCTION wb_delete(jsonb);
DROP FUNCTION wb_note(jsonb);
DROP FUNCTION wb_twice(jsonb);
DROP SEQUENCE wb_runs;
DROP FUNCTION wb_due(text, text);
DROP FUNCTION wb_refuse();
DROP TABLE wb_seen;
DROP TABLE wb_notes;
