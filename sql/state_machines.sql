-- State machines: create (with SAM substitutions), update (immutable versions),
-- describe, delete, and the errors on the way.
\set console `cat statemachine/article_console.asl.json`
\set sam `cat statemachine/booking_step_function.asl.json`
\set sam_subs `cat statemachine/substitutions.json`

SELECT booking.sfn_create_state_machine('apartment_console', :'console'::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine('booking_step_function', :'sam'::jsonb, :'sam_subs'::jsonb, role => 'postgres');

-- The stored definition has the substitutions applied (SAM's DefinitionSubstitutions).
SELECT v.definition #>> '{States,Change Apartment Status,Resource}' AS resource,
       v.definition #>> '{States,Change Apartment Status,Parameters,TableName}' AS table_name,
       v.substitutions IS NOT NULL AS kept_substitutions
  FROM booking.state_machine_versions v JOIN booking.state_machines m ON m.id = v.machine_id
 WHERE m.name = 'booking_step_function';

-- Creating the same machine again returns it (as AWS); a different one conflicts.
SELECT booking.sfn_create_state_machine('apartment_console', :'console'::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine('apartment_console', '{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}', role => 'postgres');

-- An invalid definition: SQLSTATE 22023, every problem in DETAIL, nothing stored.
\set VERBOSITY default
SELECT booking.sfn_create_state_machine('broken', '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Succeed", "Next": "A"}}}', role => 'postgres');
SELECT count(*) AS broken_rows FROM booking.state_machines WHERE name = 'broken';
\set VERBOSITY sqlstate
SELECT booking.sfn_create_state_machine('broken', '{"StartAt": "A"}', role => 'postgres');
\set VERBOSITY default

-- A placeholder left unsubstituted is an error
SELECT booking.sfn_create_state_machine('unsubstituted', :'sam'::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine('unsubstituted', :'sam'::jsonb, '{"DDBTable": "t"}', role => 'postgres');

-- Names follow AWS's rule
SELECT booking.sfn_create_state_machine('has space', :'console'::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine('a:b', :'console'::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine(repeat('x', 81), :'console'::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine(NULL, :'console'::jsonb, role => 'postgres');
SELECT booking.sfn_create_state_machine('typed', :'console'::jsonb, type => 'EXPRESSO', role => 'postgres');

-- Describe: DescribeStateMachine's shape, dates as ISO 8601 UTC.
SELECT d - 'creationDate' - 'versionCreationDate' - 'definition' AS described,
       d->>'creationDate' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' AS iso_date,
       d->'definition' = :'console'::jsonb AS same_definition
  FROM booking.sfn_describe_state_machine('apartment_console') AS d;
-- by ARN, including one pasted from another region and account
SELECT booking.sfn_describe_state_machine('arn:aws:states:local:000000000000:stateMachine:apartment_console')->>'name';
SELECT booking.sfn_describe_state_machine('arn:aws:states:eu-west-1:123456789012:stateMachine:apartment_console')->>'name';
SELECT booking.sfn_describe_state_machine('nope');
SELECT booking.sfn_describe_state_machine('arn:aws:lambda:local:000000000000:function:nope');
SELECT booking.sfn_describe_state_machine('arn:aws:states:local:000000000000:stateMachine:apartment_console:alias');

-- Update: a new immutable version; the old one is still there as it was.
SELECT booking.sfn_update_state_machine('apartment_console',
    jsonb_set(:'console'::jsonb, '{States,Wait,Seconds}', '30'));
SELECT m.current_version, v.version, v.definition #> '{States,Wait,Seconds}' AS wait_seconds
  FROM booking.state_machines m JOIN booking.state_machine_versions v ON v.machine_id = m.id
 WHERE m.name = 'apartment_console' ORDER BY v.version;
SELECT booking.sfn_describe_state_machine('arn:aws:states:local:000000000000:stateMachine:apartment_console:1')
       #> '{definition,States,Wait,Seconds}' AS v1_wait,
       booking.sfn_describe_state_machine('apartment_console') #> '{definition,States,Wait,Seconds}' AS current_wait;
SELECT booking.sfn_describe_state_machine('arn:aws:states:local:000000000000:stateMachine:apartment_console:9');
UPDATE booking.state_machine_versions SET definition = '{}' WHERE version = 1;
-- an invalid update publishes nothing
SELECT booking.sfn_update_state_machine('apartment_console', '{"StartAt": "Nope", "States": {}}');
SELECT current_version FROM booking.state_machines WHERE name = 'apartment_console';
-- without substitutions, an update reuses the current version's (as a SAM redeploy)
SELECT booking.sfn_update_state_machine('booking_step_function', jsonb_set(:'sam'::jsonb, '{States,Wait,Seconds}', '5'));
SELECT definition #>> '{States,Get Booking Status,Resource}' AS resource
  FROM booking.state_machine_versions v JOIN booking.state_machines m ON m.id = v.machine_id
 WHERE m.name = 'booking_step_function' AND v.version = 2;

-- Execution roles: naming a role needs membership in it; left out, it is the
-- creator (booking_user is all an application role needs: docs/security.md).
CREATE ROLE booking_app LOGIN;
CREATE ROLE booking_other;
GRANT booking_user TO booking_app;
SET ROLE booking_app;
SELECT booking.sfn_create_state_machine('app_machine', :'console'::jsonb, role => 'booking_other');
SELECT booking.sfn_create_state_machine('app_machine', :'console'::jsonb) IS NOT NULL AS created;
RESET ROLE;
SELECT name, role FROM booking.state_machines WHERE name = 'app_machine';

-- Delete; as AWS's DeleteStateMachine, deleting again (or a name never
-- created) succeeds and changes nothing; a version ARN is refused
SELECT booking.sfn_delete_state_machine('app_machine');
SELECT count(*) AS left_behind FROM booking.state_machines WHERE name = 'app_machine';
SELECT booking.sfn_delete_state_machine('app_machine');
SELECT booking.sfn_delete_state_machine('arn:aws:states:local:000000000000:stateMachine:never_created');
SELECT count(*) AS machines FROM booking.state_machines;
SELECT booking.sfn_delete_state_machine('arn:aws:states:local:000000000000:stateMachine:app_machine:1');
SELECT count(*) FROM booking.state_machine_versions v
 WHERE NOT EXISTS (SELECT 1 FROM booking.state_machines m WHERE m.id = v.machine_id);
DROP ROLE booking_app;
DROP ROLE booking_other;

-- A rolled-back creation leaves nothing
BEGIN;
SELECT booking.sfn_create_state_machine('rolled_back', :'console'::jsonb, role => 'postgres') IS NOT NULL AS created;
ROLLBACK;
SELECT count(*) FROM booking.state_machines WHERE name = 'rolled_back';

-- clean up: what this suite created
SELECT count(*) AS deleted FROM (SELECT booking.sfn_delete_state_machine(name) FROM booking.state_machines
 WHERE name IN ('apartment_console', 'booking_step_function', 'typed', 'unsubstituted', 'broken')) AS d;
SELECT count(*) AS machines_left FROM booking.state_machines;
