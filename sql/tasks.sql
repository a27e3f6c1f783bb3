-- Tasks that call SQL functions (Lambda-style), callbacks (.waitForTaskToken),
-- activities, task timeouts and heartbeats, and the execution role.
SET client_min_messages = warning;

-- ---- Lambda-style tasks call NAME(jsonb) → jsonb ----
CREATE FUNCTION public.quote_stay(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('total', (p->>'nights')::int * 120, 'currency', 'EUR') $$;
CREATE FUNCTION public.divide_by_zero(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN PERFORM 1 / 0; RETURN p; END $$;
CREATE FUNCTION public.refuse(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN PERFORM booking.raise_task_error('Booking.Unavailable', 'apartment ' || (p->>'id') || ' is taken'); RETURN p; END $$;
CREATE FUNCTION public.returns_null(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT NULL::jsonb $$;
CREATE FUNCTION public.not_jsonb(p jsonb) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;
CREATE FUNCTION public."Mixed-Case"(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '"exact name"'::jsonb $$;

-- the function ARN: the result is the output
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:quote_stay", "End": true}',
  input => '{"nights": 3}') -> 'output' AS output;
-- lambda:invoke: Lambda's response shape; no Payload passes {}
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "quote_stay", "Payload": {"nights": 2}}, "OutputPath": "$.Payload", "End": true}') -> 'output' AS payload;
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:quote_stay:PROD", "Payload": {"nights": 1}}, "End": true}') -> 'output' AS full_response;
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "public.returns_null"}, "End": true}') -> 'output' AS null_payload;
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "quote_stay", "InvocationType": "Event", "Payload": {"nights": 1}}, "End": true}') -> 'output' AS event;
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"FunctionName": "Mixed-Case"}, "OutputPath": "$.Payload", "End": true}') -> 'output' AS exact_name;

-- errors: a named error, an SQL error, no such function, a function of the wrong shape
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause FROM (VALUES
  ('refuse'), ('divide_by_zero'), ('nowhere'), ('not_jsonb'), ('mixed-case')) AS f(name),
  LATERAL booking.sfn_test_state(format('{"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:%s", "End": true}', name)::jsonb,
                                 input => '{"id": 7}') AS r;
-- lambda:invoke without FunctionName never runs: the definition is refused (an ERROR, not a task failure)
SELECT booking.sfn_test_state('{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
  "Parameters": {"Payload": {}}, "End": true}');
-- a task's SQL error rolls back that task's effects only; Retry and Catch see its name
CREATE TABLE public.task_log (n serial PRIMARY KEY, note text);
CREATE FUNCTION public.log_then_fail(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.task_log (note) VALUES (p->>'note');
  IF (p->>'fail')::boolean THEN PERFORM booking.raise_task_error('Booking.Rejected', 'as asked'); END IF;
  RETURN jsonb_build_object('logged', p->>'note');
END $$;
SELECT booking.sfn_create_state_machine('task_catch', '{
  "StartAt": "Log", "States": {
    "Log": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:log_then_fail",
            "Retry": [{"ErrorEquals": ["PostgreSQL.22012"], "MaxAttempts": 2}],
            "Catch": [{"ErrorEquals": ["Booking.Rejected"], "ResultPath": "$.error", "Next": "Recover"}], "End": true},
    "Recover": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:log_then_fail",
                "Parameters": {"note": "recovered", "fail": false}, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('task_catch', '{"note": "first", "fail": true}', 'caught') IS NOT NULL AS started;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('caught') d;
SELECT note FROM public.task_log ORDER BY n;     -- "first" was rolled back with its task
SELECT type FROM booking.sfn_get_execution_history('caught') ORDER BY id;

-- ---- .waitForTaskToken: the execution parks until sfn_send_task_* ----
CREATE TABLE public.outbox (token text, payload jsonb);
CREATE FUNCTION public.request_payment(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  INSERT INTO public.outbox VALUES (p->>'token', p) RETURNING jsonb_build_object('queued', true) $$;
SELECT booking.sfn_create_state_machine('task_callback', '{
  "StartAt": "Pay", "States": {
    "Pay": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "request_payment", "Payload": {"amount.$": "$.amount", "token.$": "$$.Task.Token"}},
            "ResultPath": "$.payment",
            "Catch": [{"ErrorEquals": ["Payment.Declined"], "ResultPath": "$.declined", "Next": "Declined"}], "Next": "Paid"},
    "Paid": {"Type": "Succeed"},
    "Declined": {"Type": "Fail", "Error": "Booking.Unpaid"}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('task_callback', '{"amount": 300}', 'pay-ok') IS NOT NULL AS started;
SELECT status, phase, state, due_at IS NULL AS no_timer FROM booking.executions WHERE name = 'pay-ok';
SELECT payload->>'amount' AS amount, token = payload->>'token' AS token_passed FROM public.outbox;
SELECT booking.sfn_send_task_heartbeat(token) FROM public.outbox;     -- no HeartbeatSeconds: harmless
SELECT booking.sfn_send_task_success(token, '{"receipt": "R-1"}') FROM public.outbox;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('pay-ok') d;
SELECT type, details #- '{taskScheduledEventDetails,parameters,Payload,token}' AS details_but_token
  FROM booking.sfn_get_execution_history('pay-ok') WHERE type LIKE 'Task%' ORDER BY id;
-- a token works once
SELECT booking.sfn_send_task_success(token, '{}') FROM public.outbox;
SELECT booking.sfn_send_task_failure(token) FROM public.outbox;
DELETE FROM public.outbox;
-- failure: Catch by the error the caller names
SELECT booking.sfn_start('task_callback', '{"amount": 10}', 'pay-declined') IS NOT NULL AS started;
SELECT booking.sfn_send_task_failure(token, 'Payment.Declined', 'card expired') FROM public.outbox;
SELECT d->>'status' AS status, d->>'error' AS error FROM booking.sfn_describe_execution('pay-declined') d;
SELECT (SELECT details FROM booking.sfn_get_execution_history('pay-declined') WHERE type = 'TaskFailed') AS task_failed;
DELETE FROM public.outbox;
-- an answer in a transaction that rolls back leaves the execution waiting
SELECT booking.sfn_start('task_callback', '{"amount": 20}', 'pay-rollback') IS NOT NULL AS started;
BEGIN;
SELECT booking.sfn_send_task_success(token, '{"receipt": "R-2"}') FROM public.outbox;
ROLLBACK;
SELECT status, phase FROM booking.executions WHERE name = 'pay-rollback';
-- a stopped execution's token answers TaskDoesNotExist; ending closes its token
SELECT booking.sfn_stop_execution('pay-rollback') IS NOT NULL AS stopped;
SELECT t.status FROM booking.task_tokens t JOIN public.outbox o USING (token);
SELECT booking.sfn_send_task_success(token, '{}') FROM public.outbox;
-- the execution decides, not only the token's row: one left open (as by a
-- fault) is still refused once its execution has ended or moved on
UPDATE booking.task_tokens SET status = 'open' WHERE token IN (SELECT token FROM public.outbox);
SELECT booking.sfn_send_task_success(token, '{}') FROM public.outbox;
SELECT booking.sfn_send_task_failure(token, 'Late', 'too late') FROM public.outbox;
SELECT d->>'status' AS status FROM booking.sfn_describe_execution('pay-rollback') d;
DELETE FROM public.outbox;
-- a token of a state the execution has left, while it waits in the next one
SELECT booking.sfn_create_state_machine('task_two_asks', '{
  "StartAt": "Ask", "States": {
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "request_payment", "Payload": {"step": 1, "token.$": "$$.Task.Token"}},
            "ResultPath": "$.first", "Next": "Ask again"},
    "Ask again": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "request_payment", "Payload": {"step": 2, "token.$": "$$.Task.Token"}},
            "ResultPath": "$.second", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('task_two_asks', '{}', 'two-asks') IS NOT NULL AS started;
SELECT booking.sfn_send_task_success(token, '{"answer": 1}') FROM public.outbox WHERE payload->>'step' = '1';
SELECT status, state, phase FROM booking.executions WHERE name = 'two-asks';
UPDATE booking.task_tokens SET status = 'open' WHERE token IN (SELECT token FROM public.outbox WHERE payload->>'step' = '1');
SELECT booking.sfn_send_task_success(token, '{"answer": "late"}') FROM public.outbox WHERE payload->>'step' = '1';
SELECT booking.sfn_send_task_success(token, '{"answer": 2}') FROM public.outbox WHERE payload->>'step' = '2';
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('two-asks') d;
SELECT booking.sfn_delete_state_machine('task_two_asks');
DELETE FROM public.outbox;
-- tokens that were never issued
SELECT booking.sfn_send_task_success('not-a-token', '{}');
SELECT booking.sfn_send_task_success('bk1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '{}');
SELECT booking.sfn_send_task_success(NULL, '{}');
-- a synchronous run can't wait
SELECT d->>'status' AS status, d->>'error' AS error FROM booking.sfn_start_sync('task_callback', '{"amount": 1}') d;
DELETE FROM public.outbox;

-- ---- TimeoutSeconds and HeartbeatSeconds fire through the execution's timer ----
SELECT booking.sfn_create_state_machine('task_timeout', '{
  "StartAt": "Wait for it", "States": {
    "Wait for it": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {"FunctionName": "request_payment", "Payload": {"token.$": "$$.Task.Token"}},
      "TimeoutSecondsPath": "$.timeout", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('task_deadlines', '{
  "StartAt": "Wait for it", "States": {
    "Wait for it": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
      "Parameters": {"FunctionName": "request_payment", "Payload": {"token.$": "$$.Task.Token"}},
      "TimeoutSecondsPath": "$.timeout", "HeartbeatSecondsPath": "$.heartbeat", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('task_timeout', '{"timeout": 1}', 'times-out') IS NOT NULL AS started;
SELECT due_at IS NOT NULL AND due_at <= clock_timestamp() + interval '1 second' AS timer_set
  FROM booking.executions WHERE name = 'times-out';
SELECT booking.sfn_tick() AS advanced_before_deadline;
-- no real waiting: the task's deadline made now, its timer due, then ticked
UPDATE booking.task_tokens SET timeout_at = clock_timestamp() WHERE execution_id = booking.execution_id('times-out');
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'times-out';
SELECT booking.sfn_tick() AS advanced;
SELECT d->>'status' AS status, d->>'error' AS error FROM booking.sfn_describe_execution('times-out') d;
SELECT booking.sfn_send_task_success(token, '{}') FROM public.outbox;   -- TaskTimedOut
DELETE FROM public.outbox;
SELECT booking.sfn_start('task_deadlines', '{"timeout": 60, "heartbeat": 1}', 'no-heartbeat') IS NOT NULL AS started;
-- the last heartbeat made 2 seconds old (past HeartbeatSeconds), then a heartbeat:
-- it moves the deadline on, so the timer, fired now, finds the task still alive
UPDATE booking.task_tokens SET heartbeat_at = clock_timestamp() - interval '2 seconds'
 WHERE execution_id = booking.execution_id('no-heartbeat');
SELECT booking.sfn_send_task_heartbeat(token) FROM public.outbox;
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'no-heartbeat';
SELECT booking.sfn_tick() AS advanced;
SELECT status, phase, due_at > clock_timestamp() AS due_later FROM booking.executions WHERE name = 'no-heartbeat';
-- no heartbeat since: the deadline made past, then ticked
UPDATE booking.task_tokens SET heartbeat_at = clock_timestamp() - interval '2 seconds'
 WHERE execution_id = booking.execution_id('no-heartbeat');
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'no-heartbeat';
SELECT booking.sfn_tick() AS advanced;
SELECT d->>'status' AS status, d->>'error' AS error FROM booking.sfn_describe_execution('no-heartbeat') d;
SELECT type, details FROM booking.sfn_get_execution_history('no-heartbeat') WHERE type = 'TaskTimedOut';
DELETE FROM public.outbox;

-- ---- Activities ----
SELECT booking.sfn_create_activity('approve_booking');
SELECT booking.sfn_create_activity('approve_booking');      -- idempotent
SELECT booking.sfn_create_activity('bad name');
SELECT booking.sfn_create_state_machine('task_activity', '{
  "StartAt": "Approve", "States": {
    "Approve": {"Type": "Task", "Resource": "arn:aws:states:local:000000000000:activity:approve_booking",
                "ResultPath": "$.approval", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT * FROM booking.sfn_get_activity_task('approve_booking');          -- no work: no row
SELECT booking.sfn_start('task_activity', '{"guest": "Ada"}', 'act-1') IS NOT NULL AS started;
SELECT booking.sfn_start('task_activity', '{"guest": "Grace"}', 'act-2') IS NOT NULL AS started;
CREATE TEMP TABLE claimed AS SELECT * FROM booking.sfn_get_activity_task('approve_booking', 'worker-a');
SELECT input FROM claimed;                                                 -- the oldest first
SELECT input FROM booking.sfn_get_activity_task('arn:aws:states:local:000000000000:activity:approve_booking', 'worker-b');
SELECT count(*) AS left_over FROM booking.sfn_get_activity_task('approve_booking');
SELECT booking.sfn_send_task_success(task_token, '{"approved": true}') FROM claimed;
SELECT d->>'status' AS status, d->'output' AS output FROM booking.sfn_describe_execution('act-1') d;
SELECT type, details FROM booking.sfn_get_execution_history('act-1') WHERE type LIKE 'Activity%' ORDER BY id;
SELECT booking.sfn_stop_execution('act-2') IS NOT NULL AS stopped;
SELECT * FROM booking.sfn_get_activity_task('no_such_activity');
-- an activity that does not exist fails the task (catchable)
SELECT booking.sfn_create_state_machine('task_no_activity', '{
  "StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:local:000000000000:activity:missing", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('task_no_activity', '{}', 'no-act') IS NOT NULL AS started;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause FROM booking.sfn_describe_execution('no-act') d;
SELECT booking.sfn_delete_activity('approve_booking');
SELECT booking.sfn_delete_activity('approve_booking');      -- idempotent

-- ---- Tasks run as the state machine's role, with its search_path ----
DROP ROLE IF EXISTS booking_task_role;
CREATE ROLE booking_task_role NOLOGIN;
CREATE SCHEMA task_app;
CREATE TABLE task_app.rooms (id int PRIMARY KEY, status text NOT NULL, owner text NOT NULL);
INSERT INTO task_app.rooms VALUES (1, 'VACANT', 'booking_task_role'), (2, 'VACANT', 'someone_else');
ALTER TABLE task_app.rooms ENABLE ROW LEVEL SECURITY;
CREATE POLICY rooms_of_owner ON task_app.rooms USING (owner = current_user);
GRANT USAGE ON SCHEMA task_app TO booking_task_role;
GRANT SELECT ON task_app.rooms TO booking_task_role;
CREATE FUNCTION task_app.reserve(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  UPDATE task_app.rooms SET status = 'RESERVED' WHERE id = (p->>'id')::int
  RETURNING jsonb_build_object('id', id, 'by', current_user::text) $$;
CREATE FUNCTION task_app.whoami(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('user', current_user::text, 'search_path', current_setting('search_path')) $$;
SET search_path = task_app, public;     -- the creator's search_path is the machine's
SELECT booking.sfn_create_state_machine('task_roles', '{
  "StartAt": "Who", "States": {
    "Who": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:whoami", "ResultPath": "$.who", "Next": "Reserve"},
    "Reserve": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:reserve", "ResultPath": "$.reserved",
                "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refused"}], "End": true},
    "Refused": {"Type": "Pass", "End": true}}
}', role => 'booking_task_role') IS NOT NULL AS created;
RESET search_path;
-- a superuser starts it: the tasks still run as booking_task_role, which can't UPDATE
SELECT booking.sfn_start('task_roles', '{"id": 1}', 'role-denied') IS NOT NULL AS started;
SELECT output FROM booking.executions WHERE name = 'role-denied';
-- the same when a superuser's tick runs the task after a Wait
SET search_path = task_app, public;
SELECT booking.sfn_create_state_machine('task_roles_later', '{
  "StartAt": "Later", "States": {
    "Later": {"Type": "Wait", "Seconds": 3600, "Next": "Reserve"},
    "Reserve": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:reserve",
                "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.error", "Next": "Refused"}], "End": true},
    "Refused": {"Type": "Pass", "End": true}}
}', role => 'booking_task_role') IS NOT NULL AS created;
RESET search_path;
SELECT booking.sfn_start('task_roles_later', '{"id": 1}', 'role-denied-tick') IS NOT NULL AS started;
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'role-denied-tick';
SELECT current_user AS ticking_as, booking.sfn_tick() AS advanced;
SELECT status, output -> 'error' AS error FROM booking.executions WHERE name = 'role-denied-tick';
SELECT booking.sfn_delete_state_machine('task_roles_later');
GRANT UPDATE ON task_app.rooms TO booking_task_role;
-- row-level security: the role sees only its own rooms
SELECT booking.sfn_start('task_roles', '{"id": 2}', 'role-rls') IS NOT NULL AS started;
SELECT output -> 'reserved' AS reserved FROM booking.executions WHERE name = 'role-rls';
SELECT booking.sfn_start('task_roles', '{"id": 1}', 'role-ok') IS NOT NULL AS started;
SELECT output -> 'reserved' AS reserved FROM booking.executions WHERE name = 'role-ok';
SELECT id, status FROM task_app.rooms ORDER BY id;
-- a caller's temp table can't shadow the task's table: pg_temp comes last in the pinned path
CREATE FUNCTION task_app.room_count(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN RETURN to_jsonb((SELECT count(*) FROM rooms)); END $$;
SET search_path = task_app, public;
SELECT booking.sfn_create_state_machine('task_shadow', '{
  "StartAt": "Count", "States": {"Count": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:room_count", "End": true}}
}', role => 'booking_task_role') IS NOT NULL AS created;
RESET search_path;
CREATE TEMP TABLE rooms AS SELECT g AS id FROM generate_series(1, 50) g;
GRANT SELECT ON rooms TO booking_task_role;
SELECT d->>'status' AS status, d->'output' AS rooms_counted FROM booking.sfn_start_sync('task_shadow') d;
DROP TABLE pg_temp.rooms;
SELECT booking.sfn_delete_state_machine('task_shadow');
SELECT current_user = 'postgres' AS caller_unchanged, current_setting('search_path') AS caller_search_path;

-- ---- A task's function is resolved once per backend, per role and search_path, and
-- resolved again when the catalogs change (function_cache.c): each call below runs in
-- this backend, after the same name was resolved by the one before it ----
CREATE SCHEMA task_first;               -- before task_app on the machines' path
GRANT USAGE ON SCHEMA task_first TO booking_task_role;
CREATE FUNCTION task_app.which(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '"task_app"'::jsonb $$;
SET search_path = task_first, task_app, public;
SELECT booking.sfn_create_state_machine('task_which', '{"StartAt": "W", "States": {
  "W": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:which", "End": true}}}',
  role => 'booking_task_role') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('task_which_super', '{"StartAt": "W", "States": {
  "W": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:which", "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SET search_path = task_app, public;     -- the same role, another path
SELECT booking.sfn_create_state_machine('task_which_app', '{"StartAt": "W", "States": {
  "W": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:which", "End": true}}}',
  role => 'booking_task_role') IS NOT NULL AS created;
RESET search_path;
SELECT d->>'status' AS status, d->'output' AS resolved FROM booking.sfn_start_sync('task_which') d;
-- a function created earlier on the path takes the name over
CREATE FUNCTION task_first.which(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '"task_first"'::jsonb $$;
SELECT d->>'status' AS status, d->'output' AS resolved FROM booking.sfn_start_sync('task_which') d;
SELECT d->>'status' AS status, d->'output' AS resolved FROM booking.sfn_start_sync('task_which_app') d;
-- USAGE revoked: task_first leaves the role's path, not the superuser's; each keeps its own
REVOKE USAGE ON SCHEMA task_first FROM booking_task_role;
SELECT d->>'status' AS status, d->'output' AS resolved FROM booking.sfn_start_sync('task_which') d;
SELECT d->>'status' AS status, d->'output' AS resolved FROM booking.sfn_start_sync('task_which_super') d;
SELECT d->>'status' AS status, d->'output' AS resolved FROM booking.sfn_start_sync('task_which') d;
-- EXECUTE is checked at every call, resolved or not
REVOKE EXECUTE ON FUNCTION task_app.which(jsonb) FROM PUBLIC;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause FROM booking.sfn_start_sync('task_which') d;
GRANT EXECUTE ON FUNCTION task_app.which(jsonb) TO PUBLIC;
-- dropped: not found (no call of a function that is gone); renamed in: found
DROP FUNCTION task_app.which(jsonb);
SELECT d->>'status' AS status, d->>'error' AS error FROM booking.sfn_start_sync('task_which') d;
CREATE FUNCTION task_app.renamed(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '"renamed"'::jsonb $$;
ALTER FUNCTION task_app.renamed(jsonb) RENAME TO which;
SELECT d->>'status' AS status, d->'output' AS resolved FROM booking.sfn_start_sync('task_which') d;
-- a schema renamed away: the name resolves further down the path
ALTER SCHEMA task_first RENAME TO task_first_gone;
SELECT d->>'status' AS status, d->'output' AS resolved FROM booking.sfn_start_sync('task_which_super') d;
SELECT booking.sfn_delete_state_machine('task_which');
SELECT booking.sfn_delete_state_machine('task_which_super');
SELECT booking.sfn_delete_state_machine('task_which_app');
DROP SCHEMA task_first_gone CASCADE;
DROP FUNCTION task_app.which(jsonb);

-- A tick keeps its transaction's subtransaction ids fewer than PGPROC's cache of them (64):
-- past it, every snapshot in the cluster looks recent ids up in pg_subtrans, and at 64 the
-- primary logs them (an ASSIGNMENT record), which overflows the hot standbys' snapshots.
-- Each task that writes takes one and the batch's subtransaction one, so of 100 due
-- executions a tick advances 62 and leaves the rest due; the ids it took are counted by
-- pg_subtrans's page accesses (one each), and no ASSIGNMENT is in the WAL.
CREATE EXTENSION IF NOT EXISTS pg_walinspect;
CREATE TABLE public.task_touches (n int);
CREATE FUNCTION public.touch(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN INSERT INTO public.task_touches VALUES ((p->>'n')::int); RETURN p; END $$;
-- n writing subtransactions in the caller's transaction (as PL/pgSQL EXCEPTION blocks take)
CREATE FUNCTION public.take_subxids(n int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  FOR i IN 1..n LOOP
    BEGIN INSERT INTO public.task_touches VALUES (-i); EXCEPTION WHEN others THEN NULL; END;
  END LOOP;
END $$;
SELECT booking.sfn_create_state_machine('task_subxids', '{"StartAt": "Hold", "States": {
  "Hold": {"Type": "Wait", "Seconds": 60, "Next": "Touch"},
  "Touch": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:touch", "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SELECT count(booking.sfn_start('task_subxids', jsonb_build_object('n', g))) AS started FROM generate_series(1, 100) g;
UPDATE booking.executions SET due_at = clock_timestamp()
 WHERE machine_id = (SELECT id FROM booking.state_machines WHERE name = 'task_subxids');
-- what is looked for can be seen: a loop of 70 writing subtransactions logs one ASSIGNMENT
SELECT pg_current_wal_insert_lsn() AS wal_before \gset
SELECT public.take_subxids(70);
SELECT count(*) FILTER (WHERE record_type = 'ASSIGNMENT') AS assignments_logged
  FROM pg_get_wal_records_info(:'wal_before', pg_current_wal_flush_lsn()) WHERE resource_manager = 'Transaction';
DELETE FROM public.task_touches;
SELECT pg_stat_force_next_flush();
SELECT blks_hit AS subtrans_before, pg_current_wal_insert_lsn() AS wal_before FROM pg_stat_slru WHERE name = 'Subtrans' \gset
SELECT booking.sfn_tick(100) AS advanced;
SELECT pg_stat_force_next_flush();
SELECT blks_hit - :subtrans_before AS subxids_taken FROM pg_stat_slru WHERE name = 'Subtrans';
SELECT count(*) FILTER (WHERE record_type = 'ASSIGNMENT') AS assignments_logged,
       count(*) FILTER (WHERE record_type = 'COMMIT') > 0 AS committed
  FROM pg_get_wal_records_info(:'wal_before', pg_current_wal_flush_lsn()) WHERE resource_manager = 'Transaction';
-- in a transaction whose cache has overflowed already, a tick still advances one
BEGIN;
SELECT public.take_subxids(70);
SELECT booking.sfn_tick(100) AS advanced_when_overflowed;
ROLLBACK;
SELECT booking.sfn_tick(100) AS advanced;
SELECT count(*) AS touched, count(DISTINCT n) AS distinct_touched, min(n), max(n) FROM public.task_touches;
SELECT status, count(*) FROM booking.executions
 WHERE machine_id = (SELECT id FROM booking.state_machines WHERE name = 'task_subxids') GROUP BY status;
-- a Map's iterations run inline in their parent's advance stop there too: the rest are due
TRUNCATE public.task_touches;
SELECT booking.sfn_create_state_machine('task_subxids_map', '{"StartAt": "Hold", "States": {
  "Hold": {"Type": "Wait", "Seconds": 60, "Next": "Each"},
  "Each": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {"StartAt": "Touch", "States": {
    "Touch": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:touch", "End": true}}},
    "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('task_subxids_map', jsonb_build_object('items',
  (SELECT jsonb_agg(jsonb_build_object('n', g)) FROM generate_series(1, 100) g)), 'map-subxids') IS NOT NULL AS started;
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'map-subxids';
SELECT pg_stat_force_next_flush();
SELECT blks_hit AS subtrans_before FROM pg_stat_slru WHERE name = 'Subtrans' \gset
SELECT booking.sfn_tick(100) AS advanced;
SELECT pg_stat_force_next_flush();
SELECT blks_hit - :subtrans_before AS subxids_taken FROM pg_stat_slru WHERE name = 'Subtrans';
SELECT count(*) AS touched_in_the_first_tick FROM public.task_touches;
SELECT booking.sfn_tick(100) AS advanced;
SELECT count(*) AS touched, count(DISTINCT n) AS distinct_touched FROM public.task_touches;
SELECT status, jsonb_array_length(output) AS results FROM booking.executions WHERE name = 'map-subxids';
-- A caller's own transaction stays under the cache as well: of 100 executions started in one
-- statement, whose first state is a task that writes, those that fit run it at once and the
-- rest wait at it, due now, for a tick (a timer worker's, once the caller has committed)
TRUNCATE public.task_touches;
SELECT booking.sfn_create_state_machine('task_subxids_start', '{"StartAt": "Touch", "States": {
  "Touch": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:touch", "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SELECT pg_stat_force_next_flush();
SELECT blks_hit AS subtrans_before, pg_current_wal_insert_lsn() AS wal_before FROM pg_stat_slru WHERE name = 'Subtrans' \gset
SELECT count(booking.sfn_start('task_subxids_start', jsonb_build_object('n', g))) AS started FROM generate_series(1, 100) g;
SELECT pg_stat_force_next_flush();
SELECT blks_hit - :subtrans_before AS subxids_taken FROM pg_stat_slru WHERE name = 'Subtrans';
SELECT count(*) FILTER (WHERE record_type = 'ASSIGNMENT') AS assignments_logged,
       count(*) FILTER (WHERE record_type = 'COMMIT') > 0 AS committed
  FROM pg_get_wal_records_info(:'wal_before', pg_current_wal_flush_lsn()) WHERE resource_manager = 'Transaction';
SELECT count(*) AS touched_at_start, min(n), max(n) FROM public.task_touches;
SELECT status, state, due_at <= clock_timestamp() AS due_now, count(*) FROM booking.executions
 WHERE machine_id = (SELECT id FROM booking.state_machines WHERE name = 'task_subxids_start')
 GROUP BY 1, 2, 3 ORDER BY 1;
SELECT booking.sfn_tick(100) AS advanced;
SELECT count(*) AS touched, count(DISTINCT n) AS distinct_touched FROM public.task_touches;
SELECT status, count(*) FROM booking.executions
 WHERE machine_id = (SELECT id FROM booking.state_machines WHERE name = 'task_subxids_start') GROUP BY status;
-- the history of one that waited: its task ran once, in the tick
SELECT string_agg(h.type, ' ' ORDER BY h.id) AS events
  FROM booking.executions x, booking.sfn_get_execution_history(x.arn) h
 WHERE x.machine_id = (SELECT id FROM booking.state_machines WHERE name = 'task_subxids_start')
   AND x.input->>'n' = '100';
-- a transaction whose cache has overflowed already (its own savepoints) has nothing left to
-- keep: its starts run on
BEGIN;
SELECT public.take_subxids(70);
SELECT count(booking.sfn_start('task_subxids_start', jsonb_build_object('n', 1000 + g))) AS started FROM generate_series(1, 5) g;
SELECT count(*) AS touched_when_overflowed FROM public.task_touches WHERE n > 1000;
ROLLBACK;
SELECT booking.sfn_delete_state_machine('task_subxids_start');
SELECT booking.sfn_delete_state_machine('task_subxids_map');
SELECT booking.sfn_delete_state_machine('task_subxids');
DROP FUNCTION public.touch(jsonb), public.take_subxids(int);
DROP TABLE public.task_touches;
DROP EXTENSION pg_walinspect;

-- cleanup of what is cluster-wide
SELECT booking.sfn_delete_state_machine('task_roles');
DROP SCHEMA task_app CASCADE;
DROP ROLE booking_task_role;

SELECT count(*) AS deleted FROM (SELECT booking.sfn_delete_state_machine(name) FROM booking.state_machines
 WHERE name LIKE 'task\_%') AS d;
DROP FUNCTION public.quote_stay(jsonb), public.divide_by_zero(jsonb), public.refuse(jsonb), public.returns_null(jsonb),
  public.not_jsonb(jsonb), public."Mixed-Case"(jsonb), public.log_then_fail(jsonb), public.request_payment(jsonb);
DROP TABLE public.task_log, public.outbox;
