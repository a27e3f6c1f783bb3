-- A start reads its machine's row from a per-backend copy (src/machine_rows.c)
-- while the tuple it came from is still current. Every change to the machine
-- must take effect at the very next start in the same session: a new
-- definition, a new execution role, a revoked grant, an alias moved, a drop
-- and a re-creation under the same name, and a change rolled back.
-- (isolation/specs/machine_rows.spec: the same from another session.)
--   mr_owner   owns the machine (booking_user)
--   mr_user    booking_user with START only
--   mr_role    another execution role, of which mr_owner is a member
SET client_min_messages = warning;
\set VERBOSITY terse

CREATE ROLE mr_owner;
CREATE ROLE mr_user;
CREATE ROLE mr_role;
GRANT booking_user TO mr_owner, mr_user;
GRANT mr_role TO mr_owner;

-- each definition says which it is and which role it runs as
CREATE FUNCTION pg_temp.def(v int) RETURNS jsonb LANGUAGE sql AS $f$
  SELECT jsonb_build_object('StartAt', 'P', 'States', jsonb_build_object('P', jsonb_build_object(
    'Type', 'Pass', 'Parameters', jsonb_build_object('v', v, 'role.$', '$$.Execution.RoleArn'), 'End', true)))
$f$;
-- what a start gives: its output, or its error
CREATE FUNCTION pg_temp.run(machine text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN booking.sfn_start_sync(machine)->>'output';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ' ' || split_part(SQLERRM, ':', 1);
END $$;
GRANT EXECUTE ON FUNCTION pg_temp.run(text) TO PUBLIC;

SET ROLE mr_owner;
SELECT booking.sfn_create_state_machine('mr_m', pg_temp.def(1)) IS NOT NULL AS created;
SELECT booking.sfn_grant('mr_m', 'mr_user', ARRAY['START']);
RESET ROLE;

-- ---- a new definition: the next start runs it ----
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS v1, pg_temp.run('mr_m') AS v1_again;
RESET ROLE;
SET ROLE mr_owner;
SELECT booking.sfn_update_state_machine('mr_m', pg_temp.def(2)) IS NOT NULL AS updated;
RESET ROLE;
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS v2;
RESET ROLE;

-- ---- a new execution role ----
SET ROLE mr_owner;
SELECT booking.sfn_update_state_machine('mr_m', pg_temp.def(2), role => 'mr_role') IS NOT NULL AS updated;
RESET ROLE;
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS as_mr_role;
RESET ROLE;

-- ---- a revoked grant refuses the next start; granted again, it runs ----
SET ROLE mr_owner;
SELECT booking.sfn_revoke('mr_m', 'mr_user', ARRAY['START']);
RESET ROLE;
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS revoked;
RESET ROLE;
SET ROLE mr_owner;
SELECT booking.sfn_grant('mr_m', 'mr_user', ARRAY['START']);
RESET ROLE;
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS granted;
RESET ROLE;
-- losing booking_user refuses too
REVOKE booking_user FROM mr_user;
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS not_booking_user;
RESET ROLE;
GRANT booking_user TO mr_user;

-- ---- an alias moved to another version ----
SET ROLE mr_owner;
SELECT alias_arn FROM booking.sfn_create_state_machine_alias('mr_m', 'live',
    '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:mr_m:1", "weight": 100}]');
RESET ROLE;
SET ROLE mr_user;
SELECT pg_temp.run('arn:aws:states:local:000000000000:stateMachine:mr_m:live') AS alias_v1;
RESET ROLE;
SET ROLE mr_owner;
SELECT booking.sfn_update_state_machine_alias('arn:aws:states:local:000000000000:stateMachine:mr_m:live',
    '[{"stateMachineVersionArn": "arn:aws:states:local:000000000000:stateMachine:mr_m:3", "weight": 100}]') IS NOT NULL AS moved;
RESET ROLE;
SET ROLE mr_user;
SELECT pg_temp.run('arn:aws:states:local:000000000000:stateMachine:mr_m:live') AS alias_v3;
RESET ROLE;

-- ---- dropped, then created again under the same name by someone else ----
SET ROLE mr_owner;
SELECT booking.sfn_delete_state_machine('mr_m');
RESET ROLE;
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS dropped;
SELECT booking.sfn_create_state_machine('mr_m', pg_temp.def(10)) IS NOT NULL AS recreated;
SELECT pg_temp.run('mr_m') AS recreated_by_mr_user;
RESET ROLE;
-- the first owner holds nothing on the new machine
SET ROLE mr_owner;
SELECT pg_temp.run('mr_m') AS old_owner;
RESET ROLE;

-- ---- within one transaction: a change is seen at once, and its rollback too ----
BEGIN;
SET LOCAL ROLE mr_user;
SELECT pg_temp.run('mr_m') AS before;
SAVEPOINT s;
SELECT booking.sfn_update_state_machine('mr_m', pg_temp.def(11)) IS NOT NULL AS updated;
SELECT pg_temp.run('mr_m') AS in_savepoint;
ROLLBACK TO SAVEPOINT s;
SELECT pg_temp.run('mr_m') AS rolled_back;
SELECT booking.sfn_delete_state_machine('mr_m');
SELECT pg_temp.run('mr_m') AS dropped_in_transaction;
ROLLBACK;
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS after_rollback;
RESET ROLE;

-- ---- within one statement: starts before and after an update in a DO block ----
CREATE TEMP TABLE seen (n serial, output text);
DO $$
BEGIN
  INSERT INTO seen (output) VALUES (pg_temp.run('mr_m'));
  PERFORM booking.sfn_update_state_machine('mr_m', pg_temp.def(12));
  INSERT INTO seen (output) VALUES (pg_temp.run('mr_m'));
  PERFORM booking.sfn_delete_state_machine('mr_m');
  INSERT INTO seen (output) VALUES (pg_temp.run('mr_m'));
END $$;
SELECT * FROM seen ORDER BY n;

-- ---- in one select list: the update's own command is seen by the start after it ----
SET ROLE mr_user;
SELECT booking.sfn_create_state_machine('mr_m', pg_temp.def(13)) IS NOT NULL AS created;
SELECT booking.sfn_start_sync('mr_m')->>'output' AS v13;
SELECT booking.sfn_update_state_machine('mr_m', pg_temp.def(14)) IS NOT NULL AS updated,
       booking.sfn_start_sync('mr_m')->>'output' AS v14;
SELECT booking.sfn_delete_state_machine('mr_m');
RESET ROLE;

-- ---- a row changed behind the API's back (a DBA's UPDATE) ----
SET ROLE mr_user;
SELECT booking.sfn_create_state_machine('mr_m', pg_temp.def(20)) IS NOT NULL AS created;
SELECT pg_temp.run('mr_m') AS v20;
RESET ROLE;
UPDATE booking.state_machines SET role = 'mr_role' WHERE name = 'mr_m';
SET ROLE mr_user;
SELECT pg_temp.run('mr_m') AS as_mr_role;
RESET ROLE;
-- a start within the UPDATE's own command (RETURNING) sees the row it wrote
UPDATE booking.state_machines SET role = 'mr_user' WHERE name = 'mr_m'
RETURNING booking.sfn_start_sync('mr_m')->>'output' AS in_the_update;
SET ROLE mr_user;
SELECT booking.sfn_delete_state_machine('mr_m');
RESET ROLE;

DROP FUNCTION pg_temp.run(text);
DROP FUNCTION pg_temp.def(int);
DROP OWNED BY mr_owner, mr_user, mr_role;
DROP ROLE mr_owner;
DROP ROLE mr_user;
DROP ROLE mr_role;
