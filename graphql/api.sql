-- api.sql — what of the extension's tables the GraphQL API reads: views in schema
-- booking_api. Applied (idempotently) before roles.sql by graphql/start.sh and
-- graphql/test/run.sh, as a superuser, after the extension and the application.
--
-- Why views: PostGraphile leaves out every table and function that belongs to an
-- extension (its introspection drops them), and the executions table holds the
-- interpreter's position (document, variables, retry counters, …) that is no
-- client's business. The views show state machines, their versions and the
-- top-level executions (Map/Parallel children are internal rows), read-only.
-- They read booking's visible_* views, which show the role a request runs as
-- (booking_graphql, or a JWT's role) only the state machines it holds a
-- privilege on and the executions of those it may READ (docs/security.md). Keys and relations are declared to PostGraphile in
-- src/exposure.mjs (views have no constraints).
BEGIN;
SET LOCAL client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS booking_api;
COMMENT ON SCHEMA booking_api IS 'Read-only views of booking''s state machines and executions for the GraphQL API (graphql/api.sql)';

DROP VIEW IF EXISTS booking_api.executions, booking_api.state_machine_versions, booking_api.state_machines;

CREATE VIEW booking_api.state_machines AS
SELECT id, name, arn, type, role::text AS role, current_version, created, updated
  FROM booking.visible_state_machines;
COMMENT ON VIEW booking_api.state_machines IS 'State machines (CreateStateMachine)';
COMMENT ON COLUMN booking_api.state_machines.arn IS 'arn:aws:states:REGION:ACCOUNT:stateMachine:NAME';
COMMENT ON COLUMN booking_api.state_machines.type IS 'STANDARD or EXPRESS';
COMMENT ON COLUMN booking_api.state_machines.role IS 'The execution role: the Postgres role its tasks run as';
COMMENT ON COLUMN booking_api.state_machines.current_version IS 'The version new executions run';

CREATE VIEW booking_api.state_machine_versions AS
SELECT machine_id, version, definition, created
  FROM booking.visible_state_machine_versions;
COMMENT ON VIEW booking_api.state_machine_versions IS 'Immutable definitions of state machines, substitutions applied';

CREATE VIEW booking_api.executions AS
SELECT id, arn, name, machine_id, version, status, input, output, error, cause,
       state, start_date, stop_date, redrive_count, redrive_date
  FROM booking.visible_executions;
COMMENT ON VIEW booking_api.executions IS 'Executions (StartExecution), newest last by id';
COMMENT ON COLUMN booking_api.executions.arn IS 'arn:aws:states:REGION:ACCOUNT:execution:MACHINE:NAME';
COMMENT ON COLUMN booking_api.executions.status IS 'RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED';
COMMENT ON COLUMN booking_api.executions.state IS 'The state it is in (or stopped in)';
COMMENT ON COLUMN booking_api.executions.version IS 'The state machine version it runs';
COMMIT;
