-- booking 1.0 → 1.1 (ALTER EXTENSION booking UPDATE TO '1.1').
-- Every change to booking--1.1.sql is made here too, in the same commit: a fresh
-- 1.1 and an upgraded 1.0 must have the same catalog (test/e2e/upgrade.sh).
\echo Use "ALTER EXTENSION booking UPDATE TO '1.1'" to load this file. \quit

-- ==== operations: backups, retention, monitoring, standby (issue 14) ====

-- the Citus distribution column, carried from now on (docs/scale-out.md)
-- (existing rows: empty, whatever this session's booking.shard_key; new ones: the setting)
ALTER TABLE executions ADD COLUMN shard_key text NOT NULL DEFAULT '';
ALTER TABLE executions ALTER COLUMN shard_key SET DEFAULT coalesce(current_setting('booking.shard_key', true), '');
ALTER TABLE history ADD COLUMN shard_key text NOT NULL DEFAULT '';
ALTER TABLE task_tokens ADD COLUMN shard_key text NOT NULL DEFAULT '';
COMMENT ON COLUMN executions.shard_key IS 'Citus distribution value (booking.shard_key when started): puts the execution, its children, history and tokens on the node of the application rows it works on; empty on one machine';

-- timer_workers gains what monitoring shows (state, last round, counts, last error)
DROP FUNCTION timer_workers();
CREATE FUNCTION timer_workers(
    OUT pid integer, OUT slot integer, OUT database text,
    OUT sleeping_until timestamptz, OUT sleeps bigint, OUT woken bigint,
    OUT state text, OUT last_round timestamptz, OUT rounds bigint, OUT advanced bigint,
    OUT purged bigint, OUT errors bigint, OUT last_error_at timestamptz, OUT last_error text)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'booking_timer_workers'
LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION timer_workers() IS
'The timer background workers: pid, slot, database, when each looks next (NULL: ticking), sleeps and sleeps ended by a wake-up, state, last committed round, rounds, executions advanced and purged, errors and the last one';

-------------------------------------------------------------------------------
-- Retention: ended executions (and with them their children, history and
-- task tokens) are deleted booking.execution_retention after they ended
-- (default 90 days, as AWS), in small batches: by the first timer worker of
-- each database, or by purge_for from pg_cron (docs/operations.md).
-------------------------------------------------------------------------------
-- the purge's queue: the oldest ended top-level executions first
CREATE INDEX executions_ended ON executions (stop_date)
    WHERE parent_id IS NULL AND status <> 'RUNNING';

CREATE FUNCTION purge_executions(max_executions integer DEFAULT NULL)
RETURNS integer
AS 'MODULE_PATHNAME', 'booking_purge_executions'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION purge_executions(integer) IS
'Deletes up to max_executions (default booking.retention_batch_size) top-level executions that ended more than booking.execution_retention ago, oldest first, with their children, history and tokens; rows locked elsewhere are skipped. Returns how many.';
REVOKE ALL ON FUNCTION purge_executions(integer) FROM PUBLIC;

-- For pg_cron where the timer workers can't run:
--   SELECT cron.schedule('booking-purge', '*/10 * * * *', 'CALL booking.purge_for(60)');
-- CALL it outside a transaction block (it commits after every batch).
CREATE PROCEDURE purge_for(seconds double precision DEFAULT 60, batch integer DEFAULT NULL)
LANGUAGE plpgsql AS $$
DECLARE
    stop_at timestamptz;
    purged integer;
    size integer := coalesce(batch, current_setting('booking.retention_batch_size')::integer);
BEGIN
    IF seconds IS NULL OR seconds < 0 OR seconds > 3600 THEN
        RAISE EXCEPTION 'seconds must be between 0 and 3600, not %', coalesce(seconds::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    stop_at := clock_timestamp() + make_interval(secs => seconds);
    LOOP
        purged := booking.purge_executions(size);
        COMMIT;
        EXIT WHEN purged < size OR clock_timestamp() >= stop_at;
    END LOOP;
END $$;
COMMENT ON PROCEDURE purge_for(double precision, integer) IS
'Purges ended executions past booking.execution_retention in batches, committing after each, until none is left or seconds have passed: for pg_cron';
REVOKE ALL ON PROCEDURE purge_for(double precision, integer) FROM PUBLIC;

-------------------------------------------------------------------------------
-- Monitoring (docs/operations.md): views for pg_monitor's members, and
-- metrics, the same numbers one row per sample, which the Node server serves
-- as Prometheus text on /metrics.
-------------------------------------------------------------------------------
CREATE VIEW monitor_executions AS
SELECT m.name AS state_machine, e.status,
       count(*) FILTER (WHERE e.parent_id IS NULL) AS executions,
       count(*) FILTER (WHERE e.parent_id IS NOT NULL) AS children
  FROM executions e JOIN state_machines m ON m.id = e.machine_id
 GROUP BY m.name, e.status;
COMMENT ON VIEW monitor_executions IS
'Executions (top-level) and Map/Parallel children by state machine and status';

-- Through the executions_due index: what the timers have waiting.
CREATE VIEW monitor_timers AS
SELECT count(*) AS scheduled,
       count(*) FILTER (WHERE due_at <= now()) AS due,
       min(due_at) AS next_due,
       greatest(extract(epoch FROM now() - min(due_at)), 0)::double precision AS lag_seconds
  FROM executions
 WHERE status = 'RUNNING' AND due_at IS NOT NULL;
COMMENT ON VIEW monitor_timers IS
'Running executions on a timer (scheduled), those due now (due), the earliest timer (next_due) and how late it is (lag_seconds: 0 when none is overdue)';

CREATE VIEW monitor_workers AS
SELECT w.slot, w.pid, w.database, w.state, w.sleeping_until, w.last_round,
       greatest(extract(epoch FROM now() - w.last_round), 0)::double precision AS seconds_since_round,
       w.rounds, w.advanced, w.purged, w.errors, w.last_error_at, w.last_error, w.sleeps, w.woken
  FROM timer_workers() w;
COMMENT ON VIEW monitor_workers IS
'The timer workers: state, last committed round and how long ago, counts of rounds, advanced and purged executions and errors, the last error';

CREATE VIEW monitor_storage AS
SELECT c.relname AS table_name,
       greatest(c.reltuples, 0)::bigint AS rows_estimate,
       pg_total_relation_size(c.oid) AS total_bytes
  FROM pg_class c
 WHERE c.relnamespace = 'booking'::regnamespace AND c.relkind = 'r';
COMMENT ON VIEW monitor_storage IS
'booking''s tables: estimated rows (as of the last ANALYZE) and size with indexes and TOAST (history is most of it)';

CREATE VIEW metrics AS
SELECT 'booking_executions'::text AS metric, 'gauge'::text AS type,
       'Top-level executions by state machine and status'::text AS help,
       jsonb_build_object('state_machine', state_machine, 'status', status) AS labels,
       executions::double precision AS value
  FROM monitor_executions
UNION ALL
SELECT 'booking_child_executions', 'gauge', 'Map/Parallel child executions by state machine and status',
       jsonb_build_object('state_machine', state_machine, 'status', status), children
  FROM monitor_executions WHERE children > 0
UNION ALL
SELECT 'booking_timers_scheduled', 'gauge', 'Running executions waiting on a timer', '{}', scheduled FROM monitor_timers
UNION ALL
SELECT 'booking_timers_due', 'gauge', 'Timers due now and not fired yet', '{}', due FROM monitor_timers
UNION ALL
SELECT 'booking_timer_lag_seconds', 'gauge', 'How late the oldest due timer is (0: none overdue)', '{}', lag_seconds FROM monitor_timers
UNION ALL
SELECT 'booking_worker_up', 'gauge', 'A timer worker is running (1) in this slot', jsonb_build_object('slot', slot, 'database', database, 'state', state), 1
  FROM monitor_workers
UNION ALL
SELECT 'booking_worker_seconds_since_round', 'gauge', 'Seconds since the worker''s last committed round', jsonb_build_object('slot', slot, 'database', database), seconds_since_round
  FROM monitor_workers WHERE last_round IS NOT NULL
UNION ALL
SELECT 'booking_worker_rounds_total', 'counter', 'Rounds (ticks and purge batches) the worker committed', jsonb_build_object('slot', slot, 'database', database), rounds
  FROM monitor_workers
UNION ALL
SELECT 'booking_worker_advanced_total', 'counter', 'Executions the worker advanced', jsonb_build_object('slot', slot, 'database', database), advanced
  FROM monitor_workers
UNION ALL
SELECT 'booking_worker_purged_total', 'counter', 'Ended executions the worker purged past their retention', jsonb_build_object('slot', slot, 'database', database), purged
  FROM monitor_workers
UNION ALL
SELECT 'booking_worker_errors_total', 'counter', 'Worker rounds that ended in an error', jsonb_build_object('slot', slot, 'database', database), errors
  FROM monitor_workers
UNION ALL
SELECT 'booking_table_bytes', 'gauge', 'Size of booking''s tables with indexes and TOAST', jsonb_build_object('table', table_name), total_bytes
  FROM monitor_storage
UNION ALL
SELECT 'booking_table_rows_estimate', 'gauge', 'Estimated rows of booking''s tables (last ANALYZE)', jsonb_build_object('table', table_name), rows_estimate
  FROM monitor_storage;
COMMENT ON VIEW metrics IS
'The monitoring views as Prometheus samples (metric, type, help, labels, value): graphql/ serves them on /metrics';

-- pg_monitor (PostgreSQL's role for monitoring tools) reads them; the views
-- read booking's tables with their owner's rights, so no right on the tables
-- is needed. timer_workers() runs with the caller's.
GRANT USAGE ON SCHEMA booking TO pg_monitor;
GRANT SELECT ON monitor_executions, monitor_timers, monitor_workers, monitor_storage, metrics TO pg_monitor;
GRANT EXECUTE ON FUNCTION timer_workers() TO pg_monitor;

-------------------------------------------------------------------------------
-- Backups: pg_dump dumps every row of booking's tables and the state of their
-- identity sequences (docs/operations.md). The sequences matter: a restored
-- database must not hand out an id already in use.
-------------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('state_machines', '');
SELECT pg_catalog.pg_extension_config_dump('state_machine_versions', '');
SELECT pg_catalog.pg_extension_config_dump('executions', '');
SELECT pg_catalog.pg_extension_config_dump('history', '');
SELECT pg_catalog.pg_extension_config_dump('activities', '');
SELECT pg_catalog.pg_extension_config_dump('task_tokens', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('state_machines', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('executions', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('history', 'seq'), '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('activities', 'id'), '');

-- ==== bounded work ====

-- History events counted beside a top-level execution's own row: by its
-- Map/Parallel iterations and by events written outside its advance. One row
-- per (execution, backend slot): concurrent ticks advancing sibling
-- iterations add to rows of their own and never wait for each other or for
-- the execution's row. The execution's total is its event_count plus these.
CREATE TABLE history_counts (
    root_id         bigint NOT NULL,        -- the top-level execution; see bounded_cascade
    slot            integer NOT NULL,       -- the counting backend's id
    events          integer NOT NULL,
    PRIMARY KEY (root_id, slot)
);
COMMENT ON TABLE history_counts IS 'History events of an execution counted beside its row (its iterations), one row per counting backend; added into executions.event_count when the iterations are collected';

-- A Map or Parallel state's children: counted here, so that each end is one
-- row update and the last one resumes the parent without scanning its
-- siblings; branches not created yet wait in fanout_items, a chunk per row,
-- and are created a chunk at a time as earlier children end.
CREATE TABLE fanouts (
    parent_id       bigint PRIMARY KEY,     -- the execution in the Map/Parallel state
    state           text NOT NULL,          -- that state (MapIteration events name it)
    is_map          boolean NOT NULL,
    distributed     boolean NOT NULL,       -- a Distributed Map: iterations keep histories of their own
    tolerant        boolean NOT NULL,       -- ToleratedFailure*: failures do not stop the rest
    max_concurrency integer NOT NULL,       -- 0: no limit
    total           integer NOT NULL,
    created         integer NOT NULL DEFAULT 0,     -- children with branch_index below exist
    launched        integer NOT NULL DEFAULT 0,     -- ... and below this have started
    ended           integer NOT NULL DEFAULT 0,
    aborted         boolean NOT NULL DEFAULT false  -- a failure stopped the rest
);
COMMENT ON TABLE fanouts IS 'Counters of the children of an execution in a Map or Parallel state';
CREATE TABLE fanout_items (
    parent_id       bigint NOT NULL,
    first_index     integer NOT NULL,
    branches        jsonb NOT NULL,         -- [{s: start state, i: input, v: variables}, …]
    PRIMARY KEY (parent_id, first_index)
);
COMMENT ON TABLE fanout_items IS 'Branches of a Map or Parallel state whose children are not created yet, a chunk per row';
-- An iteration of a Distributed Map counts its history events on its own, as
-- AWS's child executions do.
ALTER TABLE executions ADD COLUMN own_history boolean NOT NULL DEFAULT false;

-- history_counts, fanouts and fanout_items go with their executions
CREATE FUNCTION bounded_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM booking.history_counts WHERE root_id IN (SELECT id FROM gone);
    DELETE FROM booking.fanouts WHERE parent_id IN (SELECT id FROM gone);
    DELETE FROM booking.fanout_items WHERE parent_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
CREATE TRIGGER bounded_cascade AFTER DELETE ON executions
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION bounded_cascade();

-- ListExecutions shows why an execution failed: error and cause
ALTER TYPE execution_summary ADD ATTRIBUTE error text, ADD ATTRIBUTE cause text;
CREATE OR REPLACE FUNCTION sfn_list_executions(state_machine text DEFAULT NULL, status text DEFAULT NULL)
RETURNS SETOF execution_summary
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF status IS NOT NULL AND status NOT IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED') THEN
        RAISE EXCEPTION 'status must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED, not "%"', status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT e.arn, m.arn, e.name, e.status, e.start_date, e.stop_date, e.redrive_count, e.error, e.cause
      FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id
     WHERE e.parent_id IS NULL
       AND (sfn_list_executions.state_machine IS NULL
            OR e.machine_id = booking.state_machine_id(sfn_list_executions.state_machine))
       AND (sfn_list_executions.status IS NULL OR e.status = sfn_list_executions.status)
     ORDER BY e.start_date DESC, e.id DESC;
END $$;

-- Maps still running and history counts are state, not cache: dumped with the
-- executions they belong to (docs/operations.md, Backups)
SELECT pg_catalog.pg_extension_config_dump('history_counts', '');
SELECT pg_catalog.pg_extension_config_dump('fanouts', '');
SELECT pg_catalog.pg_extension_config_dump('fanout_items', '');

-- ==== permissions (issue 13) ====
-- Owners and privileges on state machines and activities, the visible_* views,
-- booking_user, and the API functions' own checks (docs/security.md).

-- A 1.0 machine's owner is its execution role: in 1.0 a creator had to be a
-- member of the role it named (the default was itself), so the creator and the
-- role's members keep every privilege. A superuser or BYPASSRLS execution role
-- is carried over as asked for by name (only a superuser could name one, and its
-- workflows go on running), with a WARNING naming those machines to review.
ALTER TABLE state_machines ADD COLUMN owner regrole;
UPDATE state_machines SET owner = role;
ALTER TABLE state_machines ALTER COLUMN owner SET NOT NULL;
ALTER TABLE state_machines ADD COLUMN privileged_role boolean NOT NULL DEFAULT false;
UPDATE state_machines m SET privileged_role = true
  FROM pg_catalog.pg_roles r WHERE r.oid = m.role AND (r.rolsuper OR r.rolbypassrls);
DO $$
DECLARE
    names text;
BEGIN
    SELECT string_agg(m.name || ' (' || r.rolname || ')', ', ' ORDER BY m.name) INTO names
      FROM booking.state_machines m JOIN pg_catalog.pg_roles r ON r.oid = m.role
     WHERE r.rolsuper OR r.rolbypassrls;
    IF names IS NOT NULL THEN
        RAISE WARNING 'booking: these state machines run their tasks as a superuser or BYPASSRLS role: %', names
            USING HINT = 'Review them; sfn_update_state_machine(name, definition, role => ''<role>'') names a less privileged one.';
    END IF;
END $$;

-- 1.0 activities had no owner: the extension's owner owns them, and
-- booking_user keeps using and working them as before (sfn_revoke_activity
-- narrows that).
ALTER TABLE activities ADD COLUMN owner regrole;
UPDATE activities SET owner = (SELECT c.relowner FROM pg_catalog.pg_class c
                                WHERE c.oid = 'booking.activities'::regclass);
ALTER TABLE activities ALTER COLUMN owner SET NOT NULL;

-- the default execution role is decided in C now (NULL: the caller, refused for a
-- superuser or BYPASSRLS caller)
CREATE OR REPLACE FUNCTION sfn_create_state_machine(
    name text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role regrole DEFAULT NULL,
    type text DEFAULT 'STANDARD')
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_create_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine(text, jsonb, jsonb, regrole, text) IS 'CreateStateMachine: validates, applies ${Name} substitutions, stores version 1, returns the ARN; the caller owns it; role (default: the caller, who must then be neither superuser nor BYPASSRLS) is the execution role';

DROP FUNCTION sfn_update_state_machine(text, jsonb, jsonb);
CREATE FUNCTION sfn_update_state_machine(
    state_machine text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role regrole DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_update_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_update_state_machine(text, jsonb, jsonb, regrole) IS 'UpdateStateMachine: publishes a new immutable version, returns its version ARN; role, when given, becomes the execution role';

-------------------------------------------------------------------------------
-- Permissions (docs/security.md): the tables above are the extension's alone;
-- roles read them through the visible_* views below, which show each role what
-- it may see, and change them through the API functions only, which check the
-- caller's privileges themselves.
-------------------------------------------------------------------------------

-- Privileges on a state machine granted with sfn_grant (its owner, and the
-- members of its owner, hold them all without a row here).
CREATE TABLE state_machine_grants (
    machine_id      bigint NOT NULL REFERENCES state_machines (id) ON DELETE CASCADE,
    grantee         regrole NOT NULL,
    privilege       text NOT NULL CHECK (privilege IN ('START', 'READ', 'STOP', 'ANSWER', 'MANAGE')),
    grantor         regrole NOT NULL,
    granted         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (machine_id, grantee, privilege)
);
COMMENT ON TABLE state_machine_grants IS 'Privileges on state machines (sfn_grant / sfn_revoke): START, READ (describe, list, history), STOP (stop, redrive), ANSWER (its task tokens), MANAGE (update, delete, grants)';

-- Privileges on an activity granted with sfn_grant_activity.
CREATE TABLE activity_grants (
    activity_id     bigint NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    grantee         regrole NOT NULL,
    privilege       text NOT NULL CHECK (privilege IN ('USE', 'WORK', 'MANAGE')),
    grantor         regrole NOT NULL,
    granted         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (activity_id, grantee, privilege)
);
COMMENT ON TABLE activity_grants IS 'Privileges on activities (sfn_grant_activity / sfn_revoke_activity): USE (an execution role schedules tasks on it), WORK (sfn_get_activity_task, answer its tasks), MANAGE (delete, grants)';

-- The views run with their owner's rights on the tables (the extension's), and
-- filter with pg_has_role(…, 'USAGE'), which asks about the role querying them:
-- the owner and the members of the owner hold every privilege, a grant holds
-- for the grantee and its members. security_barrier: a caller's own conditions
-- never see a row before the filter did.
CREATE VIEW visible_state_machines WITH (security_barrier) AS
SELECT m.id, m.name, m.arn, m.type, m.role, m.owner, m.current_version, m.created, m.updated,
       CASE WHEN pg_has_role(m.owner, 'USAGE') THEN ARRAY['START', 'READ', 'STOP', 'ANSWER', 'MANAGE']
            ELSE ARRAY(SELECT DISTINCT g.privilege FROM booking.state_machine_grants g
                        WHERE g.machine_id = m.id AND pg_has_role(g.grantee, 'USAGE') ORDER BY 1)
       END AS privileges
  FROM booking.state_machines m
 WHERE pg_has_role(m.owner, 'USAGE')
    OR EXISTS (SELECT FROM booking.state_machine_grants g
                WHERE g.machine_id = m.id AND pg_has_role(g.grantee, 'USAGE'));
COMMENT ON VIEW visible_state_machines IS 'The state machines the current role owns or holds a privilege on, and which privileges it holds';

CREATE VIEW visible_state_machine_versions WITH (security_barrier) AS
SELECT v.machine_id, v.version, v.definition, v.substitutions, v.created
  FROM booking.state_machine_versions v JOIN booking.state_machines m ON m.id = v.machine_id
 WHERE pg_has_role(m.owner, 'USAGE')
    OR EXISTS (SELECT FROM booking.state_machine_grants g
                WHERE g.machine_id = m.id AND g.privilege = 'READ' AND pg_has_role(g.grantee, 'USAGE'));
COMMENT ON VIEW visible_state_machine_versions IS 'Definitions of the state machines the current role may READ';

CREATE VIEW visible_executions WITH (security_barrier) AS
SELECT e.id, e.arn, e.name, e.machine_id, e.version, e.status, e.input, e.output, e.error, e.cause,
       e.state, e.due_at, e.start_date, e.stop_date, e.redrive_count, e.redrive_date
  FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id
 WHERE e.parent_id IS NULL
   AND (pg_has_role(m.owner, 'USAGE')
        OR EXISTS (SELECT FROM booking.state_machine_grants g
                    WHERE g.machine_id = m.id AND g.privilege = 'READ' AND pg_has_role(g.grantee, 'USAGE')));
COMMENT ON VIEW visible_executions IS 'Top-level executions of the state machines the current role may READ';

CREATE VIEW visible_history WITH (security_barrier) AS
SELECT h.execution_id, h.seq, h.events
  FROM booking.history h JOIN booking.executions e ON e.id = h.execution_id
  JOIN booking.state_machines m ON m.id = e.machine_id
 WHERE pg_has_role(m.owner, 'USAGE')
    OR EXISTS (SELECT FROM booking.state_machine_grants g
                WHERE g.machine_id = m.id AND g.privilege = 'READ' AND pg_has_role(g.grantee, 'USAGE'));
COMMENT ON VIEW visible_history IS 'History rows (jsonb arrays of events) of the executions the current role may READ; sfn_get_execution_history numbers them';

-- A task token is a bearer secret: only the readers of its execution see it.
CREATE VIEW visible_task_tokens WITH (security_barrier) AS
SELECT t.token, coalesce(e.root_id, e.id) AS execution_id, t.state, t.status, t.activity_id,
       t.worker_name, t.claimed_at, t.heartbeat_at, t.timeout_at, t.created
  FROM booking.task_tokens t JOIN booking.executions e ON e.id = t.execution_id
  JOIN booking.state_machines m ON m.id = e.machine_id
 WHERE pg_has_role(m.owner, 'USAGE')
    OR EXISTS (SELECT FROM booking.state_machine_grants g
                WHERE g.machine_id = m.id AND g.privilege = 'READ' AND pg_has_role(g.grantee, 'USAGE'));
COMMENT ON VIEW visible_task_tokens IS 'Task tokens of the executions the current role may READ (execution_id: the top-level execution)';

CREATE VIEW visible_activities WITH (security_barrier) AS
SELECT a.id, a.name, a.arn, a.owner, a.created,
       CASE WHEN pg_has_role(a.owner, 'USAGE') THEN ARRAY['MANAGE', 'USE', 'WORK']
            ELSE ARRAY(SELECT DISTINCT g.privilege FROM booking.activity_grants g
                        WHERE g.activity_id = a.id AND pg_has_role(g.grantee, 'USAGE') ORDER BY 1)
       END AS privileges
  FROM booking.activities a
 WHERE pg_has_role(a.owner, 'USAGE')
    OR EXISTS (SELECT FROM booking.activity_grants g
                WHERE g.activity_id = a.id AND pg_has_role(g.grantee, 'USAGE'));
COMMENT ON VIEW visible_activities IS 'The activities the current role owns or holds a privilege on, and which privileges it holds';

-- Who holds what: the grants on the state machines and activities the current
-- role can see.
CREATE VIEW visible_grants WITH (security_barrier) AS
SELECT 'state_machine'::text AS object_type, m.arn AS object_arn, g.grantee, g.privilege, g.grantor, g.granted
  FROM booking.state_machine_grants g JOIN booking.state_machines m ON m.id = g.machine_id
 WHERE pg_has_role(m.owner, 'USAGE')
    OR EXISTS (SELECT FROM booking.state_machine_grants h
                WHERE h.machine_id = m.id AND pg_has_role(h.grantee, 'USAGE'))
UNION ALL
SELECT 'activity', a.arn, g.grantee, g.privilege, g.grantor, g.granted
  FROM booking.activity_grants g JOIN booking.activities a ON a.id = g.activity_id
 WHERE pg_has_role(a.owner, 'USAGE')
    OR EXISTS (SELECT FROM booking.activity_grants h
                WHERE h.activity_id = a.id AND pg_has_role(h.grantee, 'USAGE'));
COMMENT ON VIEW visible_grants IS 'Grants (sfn_grant, sfn_grant_activity) on the state machines and activities the current role can see';

-- reading through the views, as the caller
CREATE OR REPLACE FUNCTION sfn_list_executions(state_machine text DEFAULT NULL, status text DEFAULT NULL)
RETURNS SETOF execution_summary
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF status IS NOT NULL AND status NOT IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED') THEN
        RAISE EXCEPTION 'status must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED, not "%"', status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- the views show the caller what it may READ; a machine named needs READ (42501)
    RETURN QUERY
    SELECT e.arn, m.arn, e.name, e.status, e.start_date, e.stop_date, e.redrive_count, e.error, e.cause
      FROM booking.visible_executions e JOIN booking.visible_state_machines m ON m.id = e.machine_id
     WHERE (sfn_list_executions.state_machine IS NULL
            OR e.machine_id = booking.state_machine_id(sfn_list_executions.state_machine))
       AND (sfn_list_executions.status IS NULL OR e.status = sfn_list_executions.status)
     ORDER BY e.start_date DESC, e.id DESC;
END $$;
COMMENT ON FUNCTION sfn_list_executions(text, text) IS 'ListExecutions: newest first; executions of the state machines the caller may READ';

CREATE OR REPLACE FUNCTION sfn_get_execution_history(execution text)
RETURNS TABLE (id integer, type text, "timestamp" timestamptz, previous_event_id integer, details jsonb)
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT (row_number() OVER w)::integer, e.event->>'type', (e.event->>'timestamp')::timestamptz,
           (row_number() OVER w - 1)::integer, e.event->'details'
      FROM booking.visible_history h,
           jsonb_array_elements(h.events) WITH ORDINALITY AS e(event, n)
     WHERE h.execution_id = booking.execution_id(execution)
    WINDOW w AS (ORDER BY h.seq, e.n)
     ORDER BY h.seq, e.n
$$;

-- tick_for reads the next timer through next_timer (below)
CREATE OR REPLACE PROCEDURE tick_for(seconds double precision DEFAULT 59,
                          poll double precision DEFAULT 1,
                          max_executions integer DEFAULT 1000)
LANGUAGE plpgsql AS $$
DECLARE
    stop_at timestamptz;
    advanced integer;
    next_due timestamptz;
    pause double precision;
BEGIN
    IF seconds IS NULL OR seconds < 0 OR seconds > 3600 THEN
        RAISE EXCEPTION 'seconds must be between 0 and 3600, not %', coalesce(seconds::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF poll IS NULL OR poll < 0.01 OR poll > 60 THEN
        RAISE EXCEPTION 'poll must be between 0.01 and 60 seconds, not %', coalesce(poll::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    stop_at := clock_timestamp() + make_interval(secs => seconds);
    LOOP
        advanced := booking.sfn_tick(max_executions);
        COMMIT;
        EXIT WHEN clock_timestamp() >= stop_at;
        CONTINUE WHEN advanced >= max_executions;      -- a backlog: tick again at once
        -- the earliest timer not due yet: what is due now and was not claimed
        -- is locked by another tick, which advances it
        next_due := booking.next_timer(advanced > 0);
        pause := least(poll, extract(epoch FROM stop_at - clock_timestamp()),
                       coalesce(extract(epoch FROM next_due - clock_timestamp()), poll));
        IF pause > 0 THEN
            PERFORM pg_sleep(pause);
        END IF;
    END LOOP;
END $$;

-------------------------------------------------------------------------------
-- Permissions: the functions, the role booking_user, and who may execute what
-------------------------------------------------------------------------------

CREATE FUNCTION sfn_grant(state_machine text, role regrole, privileges text[])
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_grant'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_grant(text, regrole, text[]) IS
  'Grants privileges on a state machine (START, READ, STOP, ANSWER, MANAGE, or ALL) to a role and its members; needs MANAGE';

CREATE FUNCTION sfn_revoke(state_machine text, role regrole, privileges text[])
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_revoke'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_revoke(text, regrole, text[]) IS
  'Revokes privileges on a state machine granted to a role with sfn_grant; needs MANAGE';

CREATE FUNCTION sfn_grant_activity(activity text, role regrole, privileges text[])
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_grant_activity'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_grant_activity(text, regrole, text[]) IS
  'Grants privileges on an activity (USE, WORK, MANAGE, or ALL) to a role and its members; needs MANAGE';

CREATE FUNCTION sfn_revoke_activity(activity text, role regrole, privileges text[])
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_revoke_activity'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_revoke_activity(text, regrole, text[]) IS
  'Revokes privileges on an activity granted to a role with sfn_grant_activity; needs MANAGE';

CREATE FUNCTION has_state_machine_privilege(state_machine text, privilege text)
RETURNS boolean
AS 'MODULE_PATHNAME', 'booking_has_state_machine_privilege'
LANGUAGE C STRICT STABLE;
COMMENT ON FUNCTION has_state_machine_privilege(text, text) IS
  'Whether the current role holds the privilege (START, READ, STOP, ANSWER, MANAGE) on the state machine';

-- tick_for's sleep: the earliest timer (not yet due, unless include_due).
-- It reads the executions as their owner and tells nothing but a time.
CREATE FUNCTION next_timer(include_due boolean)
RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT min(due_at) FROM booking.executions
     WHERE status = 'RUNNING' AND due_at IS NOT NULL AND (include_due OR due_at > clock_timestamp())
$$;

-- booking_user: what a DBA grants a role to let it use booking at all (create
-- state machines and activities, run its own, use what was granted to it):
--   GRANT booking_user TO app;
-- Roles are the cluster's: it is created once, for every database.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_user') THEN
        CREATE ROLE booking_user NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
        COMMENT ON ROLE booking_user IS 'Granted to the roles that may use booking (docs/security.md)';
    END IF;
END $$;

-- The schema's names are visible to all (a task's function calls
-- raise_task_error whatever its role); every object keeps its own privileges.
GRANT USAGE ON SCHEMA booking TO PUBLIC;
-- No role but the extension's owner holds anything on its tables.
REVOKE ALL ON ALL TABLES IN SCHEMA booking FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA booking FROM PUBLIC;
-- The API is booking_user's (each function checks privileges on the objects too).
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA booking FROM PUBLIC;
REVOKE EXECUTE ON ALL PROCEDURES IN SCHEMA booking FROM PUBLIC;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA booking TO booking_user;
GRANT EXECUTE ON ALL PROCEDURES IN SCHEMA booking TO booking_user;
-- whatever role a task runs as may name its error
GRANT EXECUTE ON FUNCTION raise_task_error(text, text) TO PUBLIC;
REVOKE EXECUTE ON FUNCTION forbid_version_update(), executions_cascade(), bounded_cascade() FROM booking_user;
-- the purge is the DBA's (docs/operations.md)
REVOKE EXECUTE ON FUNCTION purge_executions(integer) FROM booking_user;
REVOKE EXECUTE ON PROCEDURE purge_for(double precision, integer) FROM booking_user;
GRANT SELECT ON visible_state_machines, visible_state_machine_versions, visible_executions,
    visible_history, visible_task_tokens, visible_activities, visible_grants TO booking_user;

SELECT pg_catalog.pg_extension_config_dump('state_machine_grants', '');
SELECT pg_catalog.pg_extension_config_dump('activity_grants', '');

-- 1.0 activities: as before the upgrade, usable and workable by booking's users
INSERT INTO activity_grants (activity_id, grantee, privilege, grantor)
SELECT a.id, 'booking_user'::regrole, p, a.owner
  FROM activities a, unnest(ARRAY['USE', 'WORK']) p;

-- whatever a DBA granted on booking's tables for 1.0's sake goes: the API
-- functions are the only door now
DO $$
DECLARE
    obj record;
BEGIN
    FOR obj IN
        SELECT DISTINCT c.oid::regclass AS rel, a.grantee::regrole AS grantee
          FROM pg_catalog.pg_class c, aclexplode(c.relacl) a
         WHERE c.relnamespace = 'booking'::regnamespace AND c.relkind IN ('r', 'S', 'p')
           AND a.grantee <> 0 AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('REVOKE ALL ON %s FROM %s', obj.rel, obj.grantee);
    END LOOP;
END $$;
