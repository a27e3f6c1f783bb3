-- The permission model (docs/security.md), tried as an attacker would: every
-- attack here runs as an ordinary role created below, never as a superuser.
--   sec_alice, sec_bob   application roles (booking_user), strangers to each other
--   sec_outsider         a role without booking_user
--   sec_app, sec_worker  README's "application role that starts one workflow" and
--                        "worker role that answers tokens"
SET client_min_messages = warning;
\set VERBOSITY terse

CREATE ROLE sec_alice;
CREATE ROLE sec_bob;
CREATE ROLE sec_outsider;
GRANT booking_user TO sec_alice, sec_bob;
CREATE SCHEMA sec_alice AUTHORIZATION sec_alice;
CREATE SCHEMA sec_bob AUTHORIZATION sec_bob;

-- ---- booking's tables are the extension's: nobody else reads or writes them ----
SET ROLE sec_alice;
SELECT count(*) FROM booking.state_machines;
INSERT INTO booking.state_machines (name, arn, role, owner) VALUES ('x', 'x', 'postgres', 'postgres');
UPDATE booking.state_machines SET role = 'postgres';
SELECT count(*) FROM booking.task_tokens;
DELETE FROM booking.executions;
INSERT INTO booking.state_machine_grants VALUES (1, 'sec_alice', 'MANAGE', 'sec_alice');
-- the views are what a role reads
SELECT count(*) AS machines FROM booking.visible_state_machines;
RESET ROLE;

-- ---- without booking_user the API refuses (42501) ----
SET ROLE sec_outsider;
SELECT booking.sfn_create_state_machine('outsider', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}');
SELECT count(*) FROM booking.visible_executions;
RESET ROLE;
-- EXECUTE granted directly is still not booking_user
GRANT EXECUTE ON FUNCTION booking.sfn_validate(jsonb, jsonb, text) TO sec_outsider;
SET ROLE sec_outsider;
SELECT count(*) FROM booking.sfn_validate('{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}');
RESET ROLE;
REVOKE EXECUTE ON FUNCTION booking.sfn_validate(jsonb, jsonb, text) FROM sec_outsider;
-- flush_batch (a tick's kept saves, docs/scheduling.md) is a door like the others
SET ROLE sec_outsider;
SELECT booking.flush_batch();
RESET ROLE;
GRANT EXECUTE ON FUNCTION booking.flush_batch() TO sec_outsider;
SET ROLE sec_outsider;
SELECT booking.flush_batch();
RESET ROLE;
REVOKE EXECUTE ON FUNCTION booking.flush_batch() FROM sec_outsider;
-- a member may (outside a tick's batch it has nothing to write)
SET ROLE sec_alice;
SELECT booking.flush_batch();
RESET ROLE;
-- kept_saves (the batch's write reads the executions it keeps from it) is the owner's
-- alone, and reads nothing outside that write: not for a member, not granted, not for a
-- superuser (a task's code calling it would see other executions' documents)
SET ROLE sec_alice;
SELECT count(*) FROM booking.kept_saves();
RESET ROLE;
GRANT EXECUTE ON FUNCTION booking.kept_saves() TO sec_alice;
SET ROLE sec_alice;
SELECT count(*) FROM booking.kept_saves();
RESET ROLE;
REVOKE EXECUTE ON FUNCTION booking.kept_saves() FROM sec_alice;
SELECT count(*) FROM booking.kept_saves();

-- ---- the attack of issue 13: a task as superuser that updates pg_authid ----
SET ROLE sec_alice;
-- naming a role one is not a member of is refused
SELECT booking.sfn_create_state_machine('escalate', '{"StartAt": "U", "States": {"U": {"Type": "Task",
  "Resource": "arn:aws:states:::dynamodb:updateItem",
  "Parameters": {"TableName": "pg_catalog.pg_authid", "Key": {"oid": {"N": "10"}},
    "UpdateExpression": "SET rolsuper = :t", "ExpressionAttributeValues": {":t": {"BOOL": true}}}, "End": true}}}',
  role => 'postgres');
-- as its own role, the catalog is out of reach whatever the name says
SELECT booking.sfn_create_state_machine('reach', '{"StartAt": "U", "States": {"U": {"Type": "Task",
  "Resource": "arn:aws:states:::dynamodb:getItem",
  "Parameters": {"TableName.$": "$.table", "Key.$": "$.key"}, "End": true}}}');
-- (the cause without the SDK's suffix, whose request id is random)
SELECT t AS table_name, r->>'status' AS status, r->>'error' AS error, split_part(r->>'cause', ' (Service:', 1) AS cause
  FROM (VALUES ('pg_catalog.pg_authid', '{"oid": {"N": "10"}}'),
               ('pg_authid', '{"oid": {"N": "10"}}'),
               ('pg_toast.pg_toast_1260', '{"chunk_id": {"N": "1"}}'),
               ('information_schema.sql_features', '{"feature_id": {"S": "B011"}}'),
               ('booking.state_machines', '{"id": {"N": "1"}}'),
               ('booking.task_tokens', '{"token": {"S": "x"}}')) AS x(t, k),
       LATERAL booking.sfn_start_sync('reach', jsonb_build_object('table', t, 'key', k::jsonb)) AS r;
-- Lambda: a function resolved into pg_catalog or booking is out of reach too
SELECT booking.sfn_create_state_machine('call', '{"StartAt": "C", "States": {"C": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName.$": "$.f", "Payload": {}}, "End": true}}}');
SELECT f AS function_name, r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause
  FROM (VALUES ('jsonb_strip_nulls'), ('pg_catalog.jsonb_strip_nulls'), ('booking.raise_task_error')) AS x(f),
       LATERAL booking.sfn_start_sync('call', jsonb_build_object('f', f)) AS r;
-- a machine whose search_path leads into booking and information_schema, and names
-- quoted, in capitals or with spaces: judged on what they resolve to, or not found
SET search_path = booking, information_schema;
SELECT booking.sfn_create_state_machine('reach_path', '{"StartAt": "U", "States": {"U": {"Type": "Task",
  "Resource": "arn:aws:states:::dynamodb:getItem",
  "Parameters": {"TableName.$": "$.table", "Key.$": "$.key"}, "End": true}}}') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('call_path', '{"StartAt": "C", "States": {"C": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName.$": "$.f", "Payload": {}}, "End": true}}}')
       IS NOT NULL AS created;
RESET search_path;
SELECT t AS table_name, r->>'status' AS status, r->>'error' AS error, split_part(r->>'cause', ' (Service:', 1) AS cause
  FROM (VALUES ('state_machines', '{"id": {"N": "1"}}'),
               ('sql_features', '{"feature_id": {"S": "B011"}}'),
               ('"pg_catalog"."pg_authid"', '{"oid": {"N": "10"}}'),
               ('PG_CATALOG.PG_AUTHID', '{"oid": {"N": "10"}}'),
               (' pg_catalog.pg_authid', '{"oid": {"N": "10"}}'),
               ('pg_temp.pg_authid', '{"oid": {"N": "10"}}')) AS x(t, k),
       LATERAL booking.sfn_start_sync('reach_path', jsonb_build_object('table', t, 'key', k::jsonb)) AS r;
SELECT f AS function_name, r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause
  FROM (VALUES ('sfn_load_mock_config'), ('arn:aws:lambda:us-east-1:123456789012:function:sfn_load_mock_config'),
               ('PG_CATALOG.jsonb_strip_nulls'), ('jsonb_strip_nulls:$LATEST')) AS x(f),
       LATERAL booking.sfn_start_sync('call_path', jsonb_build_object('f', f)) AS r;
RESET ROLE;
SELECT rolsuper AS alice_is_superuser FROM pg_roles WHERE rolname = 'sec_alice';

-- ---- a superuser must name a superuser execution role ----
SELECT booking.sfn_create_state_machine('admin_task', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}');
SELECT booking.sfn_create_state_machine('admin_task', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}',
                                        role => 'postgres') AS named;
SELECT role, owner, privileged_role FROM booking.state_machines WHERE name = 'admin_task';
-- a role made superuser after its machine was created: its tasks are refused
CREATE ROLE sec_later;
GRANT booking_user TO sec_later;
GRANT USAGE ON SCHEMA sec_alice TO sec_later;
CREATE FUNCTION sec_alice.echo(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT p $$;
ALTER FUNCTION sec_alice.echo(jsonb) OWNER TO sec_alice;
SET ROLE sec_later;
SELECT booking.sfn_create_state_machine('later', '{"StartAt": "E", "States": {"E": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "sec_alice.echo", "Payload.$": "$"},
  "OutputPath": "$.Payload", "End": true}}}') IS NOT NULL AS created;
-- and a durable one, parked before the change, whose task a tick runs (the
-- tick reads privileged_role with the execution's row)
SELECT booking.sfn_create_state_machine('later_durable', '{"StartAt": "H", "States": {
  "H": {"Type": "Wait", "Seconds": 3600, "Next": "E"},
  "E": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "sec_alice.echo", "Payload.$": "$"}, "End": true}}}')
  IS NOT NULL AS created;
SELECT booking.sfn_start('later_durable', '{"x": 1}', 'sec-parked') IS NOT NULL AS started;
RESET ROLE;
ALTER ROLE sec_later SUPERUSER;
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause
  FROM booking.sfn_start_sync('later', '{"x": 1}') r;
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'sec-parked';
SELECT booking.sfn_tick() AS advanced;
SELECT status, error, cause FROM booking.executions WHERE name = 'sec-parked';
-- named by a member, it runs
SELECT booking.sfn_update_state_machine('later', booking.sfn_describe_state_machine('later')->'definition',
                                        role => 'sec_later') IS NOT NULL AS renamed;
SELECT r->>'status' AS status, r->'output' AS output FROM booking.sfn_start_sync('later', '{"x": 1}') r;
ALTER ROLE sec_later NOSUPERUSER;

-- ---- a task leaves no setting behind in the session that ran it ----
-- alice's function, run by a superuser's sfn_start_sync (or the timer worker),
-- tries to plant her schema first on the search_path (her now() would then run
-- as the superuser) and to change booking's settings for the executions after
SET ROLE sec_alice;
CREATE FUNCTION sec_alice.plant(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  SELECT jsonb_build_object('search_path', set_config('search_path', 'sec_alice, pg_catalog', false),
                            'account', set_config('booking.account_id', '999999999999', false),
                            'history', set_config('booking.history_level', 'none', false),
                            'timeout', set_config('statement_timeout', '1', false)) $$;
SELECT booking.sfn_create_state_machine('plant', '{"StartAt": "C", "States": {"C": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "sec_alice.plant", "Payload": {}},
  "OutputPath": "$.Payload", "End": true}}}') IS NOT NULL AS created;
RESET ROLE;
SELECT r->>'status' AS status, r->'output'->>'search_path' AS set_inside FROM booking.sfn_start_sync('plant') r;
SELECT current_setting('search_path') AS search_path, current_setting('booking.account_id') AS account,
       current_setting('booking.history_level') AS history_level, current_setting('statement_timeout') AS timeout;

-- ---- MANAGE is not the execution role: a grantee can't make its tasks do something else ----
SET ROLE sec_alice;
CREATE TABLE sec_alice.secrets (id text PRIMARY KEY, secret text);
INSERT INTO sec_alice.secrets VALUES ('1', 'alice''s secret');
SELECT booking.sfn_create_state_machine('managed', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}')
       IS NOT NULL AS created;
SELECT booking.sfn_grant('managed', 'sec_bob', ARRAY['MANAGE', 'START']);
RESET ROLE;
SET ROLE sec_bob;
-- a definition that would read alice's table as alice: refused, the machine unchanged
SELECT booking.sfn_update_state_machine('managed', '{"StartAt": "G", "States": {"G": {"Type": "Task",
  "Resource": "arn:aws:states:::dynamodb:getItem",
  "Parameters": {"TableName": "sec_alice.secrets", "Key": {"id": {"S": "1"}}}, "End": true}}}');
SELECT r->>'status' AS status, r->'output' AS output FROM booking.sfn_start_sync('managed', '{"x": 1}') r;
-- with bob's own role named, it runs as bob, who can't read the table
SELECT booking.sfn_update_state_machine('managed', '{"StartAt": "G", "States": {"G": {"Type": "Task",
  "Resource": "arn:aws:states:::dynamodb:getItem",
  "Parameters": {"TableName": "sec_alice.secrets", "Key": {"id": {"S": "1"}}}, "End": true}}}',
  role => 'sec_bob') IS NOT NULL AS updated;
SELECT r->>'status' AS status, r->>'error' AS error FROM booking.sfn_start_sync('managed') r;
-- settings that run nothing stay MANAGE's
SELECT booking.sfn_update_state_machine('managed', NULL, publish => false,
                                        logging_configuration => '{"level": "OFF"}') IS NOT NULL AS logging;
RESET ROLE;
SELECT booking.sfn_delete_state_machine('managed');

-- ---- a task can't leave work that runs later as someone else ----
SET ROLE sec_alice;
CREATE TABLE sec_alice.items (id text PRIMARY KEY, note text);
CREATE FUNCTION sec_alice.at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE NOTICE 'ran as %', current_user; RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER later AFTER INSERT ON sec_alice.items DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION sec_alice.at_commit();
SELECT booking.sfn_create_state_machine('deferred', '{"StartAt": "P", "States": {"P": {"Type": "Task",
  "Resource": "arn:aws:states:::dynamodb:putItem",
  "Parameters": {"TableName": "sec_alice.items", "Item": {"id": {"S": "1"}}}, "End": true}}}') IS NOT NULL AS created;
RESET ROLE;
GRANT booking_user TO sec_bob;
SELECT booking.sfn_grant('deferred', 'sec_bob', ARRAY['START']);
SET ROLE sec_bob;
SELECT r->>'status' AS status, r->>'error' AS error, r->>'cause' AS cause FROM booking.sfn_start_sync('deferred') r;
RESET ROLE;

-- ---- other roles' executions, inputs and task tokens stay theirs ----
SET ROLE sec_alice;
CREATE FUNCTION sec_alice.keep(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT '{}'::jsonb $$;
SELECT booking.sfn_create_state_machine('pay', '{"StartAt": "Wait", "States": {"Wait": {"Type": "Task",
  "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
  "Parameters": {"FunctionName": "sec_alice.keep", "Payload": {"token.$": "$$.Task.Token"}},
  "ResultPath": "$.payment", "End": true}}}') IS NOT NULL AS created;
SELECT booking.sfn_start('pay', '{"card": "4111 1111 1111 1111"}', 'alice-1') AS arn;
SELECT name, status, input FROM booking.visible_executions;
SELECT count(*) AS alice_sees_her_token FROM booking.visible_task_tokens;
RESET ROLE;
SELECT token AS alice_token FROM booking.task_tokens t JOIN booking.executions e ON e.id = t.execution_id
 WHERE e.name = 'alice-1' \gset
SET ROLE sec_bob;
SELECT count(*) AS bob_sees_executions FROM booking.visible_executions;
SELECT count(*) AS bob_sees_tokens FROM booking.visible_task_tokens;
SELECT count(*) AS bob_sees_history FROM booking.visible_history;
SELECT count(*) AS bob_lists FROM booking.sfn_list_executions();
SELECT booking.sfn_describe_execution('alice-1');
SELECT * FROM booking.sfn_get_execution_history('alice-1');
SELECT * FROM booking.sfn_list_executions('pay');
SELECT booking.sfn_describe_state_machine('pay');
SELECT booking.sfn_start('pay', '{}');
SELECT booking.sfn_stop_execution('alice-1');
SELECT booking.sfn_update_state_machine('pay', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}');
SELECT booking.sfn_delete_state_machine('pay');
SELECT booking.sfn_grant('pay', 'sec_bob', ARRAY['ALL']);
-- a token leaked to bob is still not his to answer: the payment is not marked paid
SELECT booking.sfn_send_task_success(:'alice_token', '{"paid": true}');
SELECT booking.sfn_send_task_heartbeat(:'alice_token');
SELECT booking.has_state_machine_privilege('pay', 'ANSWER') AS bob_may_answer;
RESET ROLE;
SELECT status FROM booking.executions WHERE name = 'alice-1';

-- ---- privileges, one at a time ----
SET ROLE sec_alice;
SELECT booking.sfn_grant('pay', 'sec_bob', ARRAY['read']);
SELECT booking.sfn_grant('pay', 'sec_bob', ARRAY['FLY']);
SELECT object_arn, grantee, privilege, grantor FROM booking.visible_grants;
RESET ROLE;
SET ROLE sec_bob;
SELECT name, privileges FROM booking.visible_state_machines;
SELECT booking.sfn_describe_execution('alice-1')->>'status' AS bob_reads;
SELECT count(*) AS bob_sees_tokens FROM booking.visible_task_tokens;
SELECT booking.sfn_start('pay', '{}');
SELECT booking.sfn_send_task_success(:'alice_token', '{"paid": true}');
RESET ROLE;
SET ROLE sec_alice;
SELECT booking.sfn_grant('pay', 'sec_bob', ARRAY['ANSWER', 'STOP', 'START']);
SELECT booking.sfn_revoke('pay', 'sec_bob', ARRAY['READ']);
RESET ROLE;
SET ROLE sec_bob;
SELECT count(*) AS bob_sees_tokens FROM booking.visible_task_tokens;
SELECT booking.sfn_send_task_success(:'alice_token', '{"paid": true}');
SELECT booking.sfn_start('pay', '{}', 'bob-1') AS bob_started;
SELECT booking.sfn_stop_execution('bob-1') IS NOT NULL AS bob_stopped;
SELECT booking.sfn_describe_execution('bob-1');
RESET ROLE;
SELECT name, status, output->'payment' AS payment FROM booking.executions WHERE name IN ('alice-1', 'bob-1') ORDER BY name;

-- ---- activities: their owner, WORK and USE ----
SET ROLE sec_alice;
SELECT booking.sfn_create_activity('sec_review') AS activity_arn;
SELECT booking.sfn_create_state_machine('reviewed', '{"StartAt": "R", "States": {"R": {"Type": "Task",
  "Resource": "arn:aws:states:local:000000000000:activity:sec_review", "End": true}}}') IS NOT NULL AS created;
RESET ROLE;
SET ROLE sec_bob;
-- bob's machine can't schedule work on alice's activity
SELECT booking.sfn_create_state_machine('bob_review', '{"StartAt": "R", "States": {"R": {"Type": "Task",
  "Resource": "arn:aws:states:local:000000000000:activity:sec_review", "End": true}}}') IS NOT NULL AS created;
SELECT booking.sfn_start('bob_review', '{}', 'bob-review-1') IS NOT NULL AS started;
SELECT (booking.sfn_describe_execution('bob-review-1'))->>'status' AS status,
       (booking.sfn_describe_execution('bob-review-1'))->>'error' AS error;
SELECT * FROM booking.sfn_get_activity_task('sec_review');
SELECT booking.sfn_delete_activity('sec_review');
RESET ROLE;
SET ROLE sec_alice;
SELECT booking.sfn_start('reviewed', '{"doc": 1}', 'review-1') IS NOT NULL AS started;
SELECT booking.sfn_grant_activity('sec_review', 'sec_bob', ARRAY['WORK']);
RESET ROLE;
SET ROLE sec_bob;
SELECT input FROM booking.sfn_get_activity_task('sec_review') \gset
SELECT :'input' AS bob_got_work;
RESET ROLE;

-- ---- README: an application role that starts one workflow ----
CREATE ROLE sec_app LOGIN;
GRANT booking_user TO sec_app;
SET ROLE sec_alice;
SELECT booking.sfn_grant('pay', 'sec_app', ARRAY['START']);
RESET ROLE;
SET ROLE sec_app;
SELECT booking.sfn_start('pay', '{"card": "x"}', 'app-1') IS NOT NULL AS app_started;
SELECT booking.sfn_describe_execution('app-1');
SELECT booking.sfn_start('deferred', '{}');
RESET ROLE;

-- ---- README: a worker role that answers tokens ----
CREATE ROLE sec_worker LOGIN;
GRANT booking_user TO sec_worker;
SET ROLE sec_alice;
SELECT booking.sfn_grant('pay', 'sec_worker', ARRAY['READ', 'ANSWER']);
RESET ROLE;
SET ROLE sec_worker;
SELECT token AS app_token FROM booking.visible_task_tokens t JOIN booking.visible_executions e ON e.id = t.execution_id
 WHERE e.name = 'app-1' AND t.status = 'open' \gset
SELECT booking.sfn_send_task_success(:'app_token', '{"paid": true}');
SELECT booking.sfn_describe_execution('app-1')->>'status' AS app_status;
RESET ROLE;

-- ---- README's statements, exactly, on the booking application ----
\set ECHO none
\set QUIET on
\i app/load.sql
\set ON_ERROR_STOP off
\set ECHO all
SET client_min_messages = warning;
CREATE ROLE shop LOGIN;
GRANT booking_user TO shop;
SELECT booking.sfn_grant('reserve_apartment_callback', 'shop', ARRAY['START', 'READ']);
CREATE ROLE payments_worker LOGIN;
GRANT booking_user TO payments_worker;
SELECT booking.sfn_grant('reserve_apartment_callback', 'payments_worker', ARRAY['READ', 'ANSWER']);
SET ROLE shop;
SELECT booking.sfn_start('reserve_apartment_callback', '{"apartmentId": "porto-ribeira-1", "guest": "Shop",
  "paymentWindowSeconds": 600, "reservedUntil": "2030-01-01T00:00:00Z"}', 'readme-1') AS shop_started;
SELECT booking.sfn_start('reserve_apartment', '{}');
RESET ROLE;
SET ROLE payments_worker;
SELECT t.token AS readme_token FROM booking.visible_task_tokens t JOIN booking.visible_executions e ON e.id = t.execution_id
 WHERE e.name = 'readme-1' AND t.status = 'open' \gset
SELECT booking.sfn_send_task_success(:'readme_token', '{"paymentId": 0, "amount": 75}');
SELECT booking.sfn_describe_execution('readme-1')->>'status' AS readme_status;
RESET ROLE;
SELECT "bookedStatus", guest FROM booking_app.apartments WHERE "Id" = 'porto-ribeira-1';
DROP ROLE shop, payments_worker;
SELECT count(*) AS deleted FROM (SELECT booking.sfn_delete_state_machine(name) FROM booking.state_machines
 WHERE name IN ('apartment_console', 'booking_step_function', 'reserve_apartment', 'reserve_apartment_callback',
                'reserve_apartment_jsonata')) AS d;
DROP SCHEMA booking_app CASCADE;
DROP OWNED BY booking_workflow;
DROP ROLE booking_workflow;

-- ---- cleanup ----
SELECT booking.sfn_delete_state_machine(name) FROM booking.state_machines
 WHERE name IN ('reach', 'call', 'admin_task', 'later', 'later_durable', 'deferred', 'pay', 'reviewed', 'bob_review', 'plant',
                'reach_path', 'call_path') ORDER BY name;
SELECT booking.sfn_delete_activity('sec_review');
DROP SCHEMA sec_alice, sec_bob CASCADE;
DROP ROLE sec_alice, sec_bob, sec_outsider, sec_later, sec_app, sec_worker;
