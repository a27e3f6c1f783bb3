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
-- json, not jsonb: written at every step, read seldom (no jsonb to build)
ALTER TABLE history ALTER COLUMN events TYPE json USING events::json;
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
COMMENT ON VIEW visible_history IS 'History rows (json arrays of events) of the executions the current role may READ; sfn_get_execution_history numbers them';

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
           (row_number() OVER w - 1)::integer, (e.event->'details')::jsonb
      FROM booking.visible_history h,
           json_array_elements(h.events) WITH ORDINALITY AS e(event, n)
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

-- ==== Step Functions API (issue 18): lists and paging, activities, tags, versions, aliases ====
-- The HTTP endpoint (graphql/src/sfn) translates every action to these functions.
-- Paging is by key: a function returns at most max_results rows after the row
-- whose key the caller passes back (the endpoint wraps it in an opaque nextToken);
-- a key that names no row is InvalidToken.
--
-- Permissions: the lists read the visible_* views (what the caller may see);
-- every other function here is a C door (src/api_checked.c) that checks the
-- caller's privilege on the object its first argument names, then runs the
-- *_unchecked function of the same name as the tables' owner. Those are the
-- owner's alone (no EXECUTE for booking_user).

-- the role ARN a caller gave (CreateStateMachine's roleArn), echoed as given;
-- NULL: the execution role's name is shown
ALTER TABLE state_machines ADD COLUMN role_arn text;
-- published versions are numbered per machine and never reused
ALTER TABLE state_machines ADD COLUMN last_published integer NOT NULL DEFAULT 0;
-- A revision (a row here, pinned by executions) becomes a published version on
-- request (PublishStateMachineVersion, publish on create or update)
ALTER TABLE state_machine_versions ADD COLUMN published_version integer;
ALTER TABLE state_machine_versions ADD COLUMN published timestamptz;
ALTER TABLE state_machine_versions ADD COLUMN description text;
-- every version 1.0 made was published (an update published at once)
CREATE OR REPLACE FUNCTION forbid_version_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
UPDATE state_machine_versions SET published_version = version, published = created;
UPDATE state_machines SET last_published = current_version;
CREATE UNIQUE INDEX state_machine_versions_published
    ON state_machine_versions (machine_id, published_version) WHERE published_version IS NOT NULL;

-- A revision's definition never changes; publishing it (once) and deleting the
-- published version (DeleteStateMachineVersion) are the changes allowed.
CREATE OR REPLACE FUNCTION forbid_version_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.machine_id = OLD.machine_id AND NEW.version = OLD.version
       AND NEW.definition = OLD.definition AND NEW.substitutions IS NOT DISTINCT FROM OLD.substitutions
       AND NEW.created = OLD.created
       AND (OLD.published_version IS NULL OR NEW.published_version IS NULL) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'state machine versions are immutable; use sfn_update_state_machine to publish a new one'
        USING ERRCODE = 'object_not_in_prerequisite_state';
END $$;

CREATE TABLE state_machine_aliases (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    machine_id      bigint NOT NULL REFERENCES state_machines (id) ON DELETE CASCADE,
    name            text NOT NULL,
    description     text,
    -- [{"version": N, "weight": W}]: one or two published versions, weights adding up to 100
    routing         jsonb NOT NULL,
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz,
    UNIQUE (machine_id, name)
);
COMMENT ON TABLE state_machine_aliases IS 'State machine aliases: a start through one picks a published version by weight';

CREATE TABLE tags (
    machine_id      bigint REFERENCES state_machines (id) ON DELETE CASCADE,
    activity_id     bigint REFERENCES activities (id) ON DELETE CASCADE,
    key             text NOT NULL,
    value           text NOT NULL,
    CHECK ((machine_id IS NULL) <> (activity_id IS NULL))
);
COMMENT ON TABLE tags IS 'Tags (TagResource) on state machines and activities';
CREATE UNIQUE INDEX tags_machine ON tags (machine_id, key) WHERE machine_id IS NOT NULL;
CREATE UNIQUE INDEX tags_activity ON tags (activity_id, key) WHERE activity_id IS NOT NULL;

-- GetActivityTask long-polls: a scheduled activity task NOTIFYs its activity's
-- name at commit, and waiting pollers look again.
CREATE FUNCTION notify_activity_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('booking_activity', a.name) FROM booking.activities a WHERE a.id = NEW.activity_id;
    RETURN NULL;
END $$;
CREATE TRIGGER task_tokens_activity_notify AFTER INSERT ON task_tokens
    FOR EACH ROW WHEN (NEW.activity_id IS NOT NULL) EXECUTE FUNCTION notify_activity_task();

CREATE FUNCTION check_page(max_results integer) RETURNS integer LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF max_results IS NOT NULL AND (max_results < 1 OR max_results > 1001) THEN
        RAISE EXCEPTION 'ValidationException: max_results must be between 1 and 1000, not %', max_results
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN max_results;
END $$;

CREATE FUNCTION invalid_token(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'InvalidToken: the page token names no %', what USING ERRCODE = 'invalid_parameter_value';
END $$;

-- The name an ARN of kind (stateMachine, activity) carries, or ref itself when it is
-- a bare name; InvalidArn when it is not one. qualified: a state machine ARN may
-- end with :VERSION or :ALIAS.
CREATE FUNCTION arn_name(ref text, kind text, qualified boolean) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF ref NOT LIKE 'arn:%' THEN
        RETURN ref;
    END IF;
    IF split_part(ref, ':', 3) <> 'states' OR split_part(ref, ':', 6) <> kind OR split_part(ref, ':', 7) = ''
       OR split_part(ref, ':', CASE WHEN qualified THEN 9 ELSE 8 END) <> '' THEN
        RAISE EXCEPTION 'InvalidArn: "%" is not %', ref,
            CASE kind WHEN 'activity' THEN 'an activity ARN' ELSE 'a state machine ARN' END
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN split_part(ref, ':', 7);
END $$;

-- An activity argument (ARN or name) → its row's id; ActivityDoesNotExist or InvalidArn
CREATE FUNCTION activity_id(activity text) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    found bigint;
BEGIN
    SELECT a.id INTO found FROM booking.activities a WHERE a.name = booking.arn_name(activity, 'activity', false);
    IF found IS NULL THEN
        RAISE EXCEPTION 'ActivityDoesNotExist: activity "%" does not exist', activity USING ERRCODE = 'undefined_object';
    END IF;
    RETURN found;
END $$;

CREATE FUNCTION sfn_list_state_machines(max_results integer DEFAULT NULL, after_name text DEFAULT NULL)
RETURNS TABLE (state_machine_arn text, name text, type text, creation_date timestamptz)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM booking.check_page(max_results);
    IF after_name IS NOT NULL AND NOT EXISTS (SELECT FROM booking.visible_state_machines m WHERE m.name = after_name) THEN
        PERFORM booking.invalid_token('state machine');
    END IF;
    RETURN QUERY
    SELECT m.arn, m.name, m.type, m.created FROM booking.visible_state_machines m
     WHERE after_name IS NULL OR m.name > after_name
     ORDER BY m.name LIMIT max_results;
END $$;
COMMENT ON FUNCTION sfn_list_state_machines(integer, text) IS 'ListStateMachines: the state machines the caller can see, by name, max_results at a time after after_name';

CREATE FUNCTION sfn_describe_activity(activity text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    found jsonb;
BEGIN
    -- an activity the caller holds no privilege on is one it cannot see
    SELECT jsonb_build_object('activityArn', a.arn, 'name', a.name, 'creationDate', a.created) INTO found
      FROM booking.visible_activities a WHERE a.name = booking.arn_name(activity, 'activity', false);
    IF found IS NULL THEN
        RAISE EXCEPTION 'ActivityDoesNotExist: activity "%" does not exist', activity USING ERRCODE = 'undefined_object';
    END IF;
    RETURN found;
END $$;
COMMENT ON FUNCTION sfn_describe_activity(text) IS 'DescribeActivity''s shape: activityArn, name, creationDate';

CREATE FUNCTION sfn_list_activities(max_results integer DEFAULT NULL, after_name text DEFAULT NULL)
RETURNS TABLE (activity_arn text, name text, creation_date timestamptz)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM booking.check_page(max_results);
    IF after_name IS NOT NULL AND NOT EXISTS (SELECT FROM booking.visible_activities a WHERE a.name = after_name) THEN
        PERFORM booking.invalid_token('activity');
    END IF;
    RETURN QUERY
    SELECT a.arn, a.name, a.created FROM booking.visible_activities a
     WHERE after_name IS NULL OR a.name > after_name
     ORDER BY a.name LIMIT max_results;
END $$;
COMMENT ON FUNCTION sfn_list_activities(integer, text) IS 'ListActivities: the activities the caller can see, by name, max_results at a time after after_name';

CREATE FUNCTION sfn_describe_state_machine_for_execution(execution text) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT (booking.sfn_describe_state_machine(m.name) - 'version' - 'versionCreationDate' - 'stateMachineVersionArn')
           || jsonb_build_object('definition', v.definition, 'updateDate', v.created, 'revisionId', e.version::text)
      FROM booking.visible_executions e
      JOIN booking.visible_state_machines m ON m.id = e.machine_id
      JOIN booking.visible_state_machine_versions v ON v.machine_id = e.machine_id AND v.version = e.version
     WHERE e.id = booking.execution_id(execution)
$$;
COMMENT ON FUNCTION sfn_describe_state_machine_for_execution(text) IS
'DescribeStateMachineForExecution: the state machine with the definition (revision) the execution runs; needs READ';

-- A state machine argument (ARN, version or alias ARN, or name) → its id, read
-- from the table (the *_unchecked functions run as the owner, behind a door)
CREATE FUNCTION machine_row_id(state_machine text) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    found bigint;
BEGIN
    SELECT m.id INTO found FROM booking.state_machines m WHERE m.name = booking.arn_name(state_machine, 'stateMachine', true);
    IF found IS NULL THEN
        RAISE EXCEPTION 'StateMachineDoesNotExist: state machine "%" does not exist', state_machine USING ERRCODE = 'undefined_object';
    END IF;
    RETURN found;
END $$;

-- ---- tags ----

-- A taggable resource (a state machine or activity ARN) → (machine_id, activity_id)
CREATE FUNCTION tag_target(resource text, OUT machine_id bigint, OUT activity_id bigint)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF resource NOT LIKE 'arn:%' THEN
        RAISE EXCEPTION 'InvalidArn: "%" is not a state machine or activity ARN', resource USING ERRCODE = 'invalid_parameter_value';
    ELSIF split_part(resource, ':', 6) = 'activity' THEN
        BEGIN
            activity_id := booking.activity_id(resource);
        EXCEPTION WHEN undefined_object THEN
            RAISE EXCEPTION 'ResourceNotFound: Resource not found: "%"', resource USING ERRCODE = 'undefined_object';
        END;
    ELSIF split_part(resource, ':', 6) = 'stateMachine' AND split_part(resource, ':', 8) = '' THEN
        BEGIN
            machine_id := booking.machine_row_id(resource);
        EXCEPTION WHEN undefined_object THEN
            RAISE EXCEPTION 'ResourceNotFound: Resource not found: "%"', resource USING ERRCODE = 'undefined_object';
        END;
    ELSE
        RAISE EXCEPTION 'InvalidArn: "%" is not a state machine or activity ARN', resource USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

CREATE FUNCTION tag_resource_unchecked(resource text, tags jsonb) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    k text;
BEGIN
    SELECT * INTO t FROM booking.tag_target(resource);
    IF tags IS NULL OR jsonb_typeof(tags) <> 'object' THEN
        RAISE EXCEPTION 'ValidationException: tags must be a JSON object of key: value' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR k IN SELECT jsonb_object_keys(tags) LOOP
        IF length(k) < 1 OR length(k) > 128 OR jsonb_typeof(tags -> k) <> 'string' OR length(tags ->> k) > 256 THEN
            RAISE EXCEPTION 'ValidationException: tag "%": keys are 1 to 128 characters, values strings of at most 256', k
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END LOOP;
    INSERT INTO booking.tags AS g (machine_id, activity_id, key, value)
    SELECT t.machine_id, t.activity_id, e.key, e.value FROM jsonb_each_text(tags) e
    ON CONFLICT (machine_id, key) WHERE machine_id IS NOT NULL DO UPDATE SET value = EXCLUDED.value;
    -- (an activity's conflicts are handled by the second index through this update)
    IF (SELECT count(*) FROM booking.tags g
         WHERE g.machine_id IS NOT DISTINCT FROM t.machine_id AND g.activity_id IS NOT DISTINCT FROM t.activity_id) > 50 THEN
        RAISE EXCEPTION 'TooManyTags: a resource has at most 50 tags' USING ERRCODE = 'program_limit_exceeded';
    END IF;
END $$;
COMMENT ON FUNCTION tag_resource_unchecked(text, jsonb) IS 'TagResource: adds or replaces tags ({"key": "value", …}); at most 50 per resource';

CREATE FUNCTION untag_resource_unchecked(resource text, tag_keys text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    SELECT * INTO t FROM booking.tag_target(resource);
    DELETE FROM booking.tags g
     WHERE g.machine_id IS NOT DISTINCT FROM t.machine_id AND g.activity_id IS NOT DISTINCT FROM t.activity_id
       AND g.key = ANY (tag_keys);
END $$;

CREATE FUNCTION list_tags_for_resource_unchecked(resource text) RETURNS TABLE (key text, value text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    t record;
BEGIN
    SELECT * INTO t FROM booking.tag_target(resource);
    RETURN QUERY SELECT g.key, g.value FROM booking.tags g
     WHERE g.machine_id IS NOT DISTINCT FROM t.machine_id AND g.activity_id IS NOT DISTINCT FROM t.activity_id
     ORDER BY g.key;
END $$;

-- ---- versions ----

-- the published version N of a machine (name or ARN with or without :N) → its revision
CREATE FUNCTION publish_state_machine_version_unchecked(state_machine text, revision_id text DEFAULT NULL,
                                                  description text DEFAULT NULL)
RETURNS TABLE (version_arn text, creation_date timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    m booking.state_machines;
    v booking.state_machine_versions;
BEGIN
    SELECT * INTO m FROM booking.state_machines WHERE id = booking.machine_row_id(state_machine) FOR UPDATE;
    IF split_part(state_machine, ':', 8) <> '' THEN
        RAISE EXCEPTION 'ValidationException: publish from the state machine''s ARN, not a version or alias ARN'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF revision_id IS NOT NULL AND revision_id <> m.current_version::text THEN
        RAISE EXCEPTION 'ConflictException: revision % is not the state machine''s latest revision (%)', revision_id, m.current_version
            USING ERRCODE = 'serialization_failure';
    END IF;
    SELECT * INTO v FROM booking.state_machine_versions WHERE machine_id = m.id AND version = m.current_version;
    IF v.published_version IS NULL THEN
        IF (SELECT count(*) FROM booking.state_machine_versions WHERE machine_id = m.id AND published_version IS NOT NULL) >= 1000 THEN
            RAISE EXCEPTION 'ServiceQuotaExceededException: a state machine has at most 1000 published versions'
                USING ERRCODE = 'program_limit_exceeded';
        END IF;
        UPDATE booking.state_machines SET last_published = last_published + 1 WHERE id = m.id
            RETURNING last_published INTO m.last_published;
        UPDATE booking.state_machine_versions
           SET published_version = m.last_published, published = now(), description = publish_state_machine_version_unchecked.description
         WHERE machine_id = m.id AND version = m.current_version
        RETURNING * INTO v;
    END IF;
    RETURN QUERY SELECT m.arn || ':' || v.published_version, v.published;
END $$;
COMMENT ON FUNCTION publish_state_machine_version_unchecked(text, text, text) IS
'PublishStateMachineVersion: publishes the latest revision (once; again returns the same version), numbered 1, 2, … never reused';

CREATE FUNCTION list_state_machine_versions_unchecked(state_machine text, max_results integer DEFAULT NULL,
                                                after_version integer DEFAULT NULL)
RETURNS TABLE (version_arn text, version integer, creation_date timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    mid bigint := booking.machine_row_id(state_machine);
BEGIN
    PERFORM booking.check_page(max_results);
    IF after_version IS NOT NULL AND NOT EXISTS (
        SELECT FROM booking.state_machine_versions v WHERE v.machine_id = mid AND v.published_version = after_version) THEN
        PERFORM booking.invalid_token('version');
    END IF;
    RETURN QUERY
    SELECT m.arn || ':' || v.published_version, v.published_version, v.published
      FROM booking.state_machine_versions v JOIN booking.state_machines m ON m.id = v.machine_id
     WHERE v.machine_id = mid AND v.published_version IS NOT NULL
       AND (after_version IS NULL OR v.published_version < after_version)
     ORDER BY v.published_version DESC LIMIT max_results;
END $$;
COMMENT ON FUNCTION list_state_machine_versions_unchecked(text, integer, integer) IS 'ListStateMachineVersions: newest first';

-- (machine id, published version) of a version ARN; InvalidArn when it is not one
CREATE FUNCTION version_target(version_arn text, OUT machine_id bigint, OUT version integer)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF version_arn NOT LIKE 'arn:%' OR split_part(version_arn, ':', 6) <> 'stateMachine'
       OR split_part(version_arn, ':', 8) !~ '^[1-9][0-9]{0,8}$' OR split_part(version_arn, ':', 9) <> '' THEN
        RAISE EXCEPTION 'InvalidArn: "%" is not a state machine version ARN', version_arn USING ERRCODE = 'invalid_parameter_value';
    END IF;
    machine_id := booking.machine_row_id(array_to_string((string_to_array(version_arn, ':'))[1:7], ':'));
    version := split_part(version_arn, ':', 8)::integer;
END $$;

CREATE FUNCTION delete_state_machine_version_unchecked(version_arn text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    alias text;
BEGIN
    BEGIN
        SELECT * INTO t FROM booking.version_target(version_arn);
    EXCEPTION WHEN undefined_object THEN
        RETURN;     -- as AWS: a version that is gone is deleted already
    END;
    SELECT a.name INTO alias FROM booking.state_machine_aliases a
     WHERE a.machine_id = t.machine_id
       AND EXISTS (SELECT FROM jsonb_array_elements(a.routing) r WHERE (r->>'version')::integer = t.version)
     LIMIT 1;
    IF alias IS NOT NULL THEN
        RAISE EXCEPTION 'ConflictException: version % is routed to by alias "%"; update or delete the alias first', t.version, alias
            USING ERRCODE = 'dependent_objects_still_exist';
    END IF;
    -- the revision stays: executions that ran it keep it
    UPDATE booking.state_machine_versions SET published_version = NULL
     WHERE machine_id = t.machine_id AND published_version = t.version;
END $$;
COMMENT ON FUNCTION delete_state_machine_version_unchecked(text) IS
'DeleteStateMachineVersion: the version is no longer published (its number is not reused); executions that run it go on';

-- ---- aliases ----

-- [{stateMachineVersionArn, weight}] of one machine → (machine id, [{version, weight}])
CREATE FUNCTION alias_routing(routing jsonb, OUT machine_id bigint, OUT compact jsonb)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r jsonb;
    t record;
    total integer := 0;
BEGIN
    IF routing IS NULL OR jsonb_typeof(routing) <> 'array' OR jsonb_array_length(routing) NOT IN (1, 2) THEN
        RAISE EXCEPTION 'ValidationException: routingConfiguration routes to one or two versions'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    compact := '[]';
    FOR r IN SELECT * FROM jsonb_array_elements(routing) LOOP
        IF jsonb_typeof(r->'weight') <> 'number' OR (r->>'weight')::numeric NOT BETWEEN 0 AND 100
           OR (r->>'weight')::numeric <> trunc((r->>'weight')::numeric) OR jsonb_typeof(r->'stateMachineVersionArn') <> 'string' THEN
            RAISE EXCEPTION 'ValidationException: each route is {stateMachineVersionArn, weight 0 to 100}'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        BEGIN
            SELECT * INTO t FROM booking.version_target(r->>'stateMachineVersionArn');
        EXCEPTION WHEN undefined_object THEN
            RAISE EXCEPTION 'ResourceNotFound: "%" does not exist', r->>'stateMachineVersionArn' USING ERRCODE = 'undefined_object';
        END;
        IF NOT EXISTS (SELECT FROM booking.state_machine_versions v WHERE v.machine_id = t.machine_id AND v.published_version = t.version) THEN
            RAISE EXCEPTION 'ResourceNotFound: version "%" does not exist', r->>'stateMachineVersionArn' USING ERRCODE = 'undefined_object';
        END IF;
        IF machine_id IS NOT NULL AND machine_id <> t.machine_id THEN
            RAISE EXCEPTION 'ValidationException: an alias routes to versions of one state machine' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF compact @> jsonb_build_array(jsonb_build_object('version', t.version)) THEN
            RAISE EXCEPTION 'ValidationException: an alias routes to a version once' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        machine_id := t.machine_id;
        total := total + (r->>'weight')::integer;
        compact := compact || jsonb_build_array(jsonb_build_object('version', t.version, 'weight', (r->>'weight')::integer));
    END LOOP;
    IF total <> 100 THEN
        RAISE EXCEPTION 'ValidationException: routing weights add up to %, not 100', total USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

-- an alias ARN (…:stateMachine:NAME:ALIAS) → the alias row
CREATE FUNCTION alias_target(alias_arn text) RETURNS booking.state_machine_aliases
LANGUAGE plpgsql STABLE AS $$
DECLARE
    a booking.state_machine_aliases;
    mid bigint;
BEGIN
    IF alias_arn NOT LIKE 'arn:%' OR split_part(alias_arn, ':', 6) <> 'stateMachine'
       OR split_part(alias_arn, ':', 8) !~ '^[A-Za-z_][A-Za-z0-9_-]{0,79}$' OR split_part(alias_arn, ':', 9) <> '' THEN
        RAISE EXCEPTION 'InvalidArn: "%" is not a state machine alias ARN', alias_arn USING ERRCODE = 'invalid_parameter_value';
    END IF;
    BEGIN
        mid := booking.machine_row_id(array_to_string((string_to_array(alias_arn, ':'))[1:7], ':'));
    EXCEPTION WHEN undefined_object THEN
        RAISE EXCEPTION 'ResourceNotFound: alias "%" does not exist', alias_arn USING ERRCODE = 'undefined_object';
    END;
    SELECT * INTO a FROM booking.state_machine_aliases x WHERE x.machine_id = mid AND x.name = split_part(alias_arn, ':', 8);
    IF a.id IS NULL THEN
        RAISE EXCEPTION 'ResourceNotFound: alias "%" does not exist', alias_arn USING ERRCODE = 'undefined_object';
    END IF;
    RETURN a;
END $$;

CREATE FUNCTION alias_json(a booking.state_machine_aliases) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_strip_nulls(jsonb_build_object(
        'stateMachineAliasArn', m.arn || ':' || a.name, 'name', a.name, 'description', a.description,
        'routingConfiguration', (SELECT jsonb_agg(jsonb_build_object('stateMachineVersionArn', m.arn || ':' || (r->>'version'),
                                                                     'weight', (r->>'weight')::integer) ORDER BY n)
                                   FROM jsonb_array_elements(a.routing) WITH ORDINALITY AS x(r, n)),
        'creationDate', a.created, 'updateDate', coalesce(a.updated, a.created)))
      FROM booking.state_machines m WHERE m.id = a.machine_id
$$;

CREATE FUNCTION create_state_machine_alias_unchecked(state_machine text, name text, routing jsonb,
                                                     description text DEFAULT NULL)
RETURNS TABLE (alias_arn text, creation_date timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
    a booking.state_machine_aliases;
BEGIN
    IF name IS NULL OR name !~ '^[A-Za-z_][A-Za-z0-9_-]{0,79}$' OR name ~ '^[0-9]+$' THEN
        RAISE EXCEPTION 'InvalidName: alias name "%" must be 1 to 80 letters, digits, - or _, and not a number', name
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO r FROM booking.alias_routing(routing);
    IF r.machine_id <> booking.machine_row_id(state_machine) THEN
        RAISE EXCEPTION 'ValidationException: an alias routes to versions of its own state machine' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM FROM booking.state_machines WHERE id = r.machine_id FOR UPDATE;
    SELECT * INTO a FROM booking.state_machine_aliases x WHERE x.machine_id = r.machine_id AND x.name = create_state_machine_alias_unchecked.name;
    IF a.id IS NOT NULL THEN
        -- as AWS: the same alias again is returned; a different one conflicts
        IF a.routing = r.compact AND a.description IS NOT DISTINCT FROM create_state_machine_alias_unchecked.description THEN
            RETURN QUERY SELECT booking.alias_json(a)->>'stateMachineAliasArn', a.created;
            RETURN;
        END IF;
        RAISE EXCEPTION 'ConflictException: alias "%" exists with another routing or description', create_state_machine_alias_unchecked.name
            USING ERRCODE = 'duplicate_object';
    END IF;
    IF (SELECT count(*) FROM booking.state_machine_aliases x WHERE x.machine_id = r.machine_id) >= 100 THEN
        RAISE EXCEPTION 'ServiceQuotaExceededException: a state machine has at most 100 aliases' USING ERRCODE = 'program_limit_exceeded';
    END IF;
    INSERT INTO booking.state_machine_aliases (machine_id, name, description, routing)
    VALUES (r.machine_id, create_state_machine_alias_unchecked.name, create_state_machine_alias_unchecked.description, r.compact)
    RETURNING * INTO a;
    RETURN QUERY SELECT booking.alias_json(a)->>'stateMachineAliasArn', a.created;
END $$;
COMMENT ON FUNCTION create_state_machine_alias_unchecked(text, text, jsonb, text) IS
'CreateStateMachineAlias: routing [{stateMachineVersionArn, weight}] to one or two published versions, weights adding up to 100';

CREATE FUNCTION describe_state_machine_alias_unchecked(alias_arn text) RETURNS jsonb
LANGUAGE sql STABLE AS $$ SELECT booking.alias_json(booking.alias_target(alias_arn)) $$;

CREATE FUNCTION update_state_machine_alias_unchecked(alias_arn text, routing jsonb DEFAULT NULL, description text DEFAULT NULL)
RETURNS timestamptz
LANGUAGE plpgsql AS $$
DECLARE
    a booking.state_machine_aliases := booking.alias_target(alias_arn);
    r record;
BEGIN
    IF routing IS NOT NULL THEN
        SELECT * INTO r FROM booking.alias_routing(routing);
        IF r.machine_id <> a.machine_id THEN
            RAISE EXCEPTION 'ValidationException: an alias routes to versions of its own state machine' USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    UPDATE booking.state_machine_aliases x
       SET routing = coalesce(r.compact, x.routing),
           description = coalesce(update_state_machine_alias_unchecked.description, x.description),
           updated = now()
     WHERE x.id = a.id;
    RETURN now();
END $$;

CREATE FUNCTION delete_state_machine_alias_unchecked(alias_arn text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM booking.state_machine_aliases WHERE id = (booking.alias_target(alias_arn)).id;
EXCEPTION WHEN undefined_object THEN
    NULL;       -- as AWS: an alias that is gone is deleted already
END $$;

CREATE FUNCTION list_state_machine_aliases_unchecked(state_machine text, max_results integer DEFAULT NULL,
                                               after_name text DEFAULT NULL)
RETURNS TABLE (alias_arn text, name text, creation_date timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    mid bigint := booking.machine_row_id(state_machine);
BEGIN
    PERFORM booking.check_page(max_results);
    IF after_name IS NOT NULL AND NOT EXISTS (SELECT FROM booking.state_machine_aliases a WHERE a.machine_id = mid AND a.name = after_name) THEN
        PERFORM booking.invalid_token('alias');
    END IF;
    RETURN QUERY
    SELECT m.arn || ':' || a.name, a.name, a.created
      FROM booking.state_machine_aliases a JOIN booking.state_machines m ON m.id = a.machine_id
     WHERE a.machine_id = mid AND (after_name IS NULL OR a.name > after_name)
     ORDER BY a.name LIMIT max_results;
END $$;

-- A start through an alias: the revision of a version picked by weight (random() in [0, 100))
CREATE FUNCTION alias_pick_revision(machine_id bigint, alias_name text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    routing jsonb;
    pick double precision := random() * 100;
    r jsonb;
    chosen integer;
    revision integer;
BEGIN
    SELECT a.routing INTO routing FROM booking.state_machine_aliases a
     WHERE a.machine_id = alias_pick_revision.machine_id AND a.name = alias_name;
    IF routing IS NULL THEN
        RAISE EXCEPTION 'StateMachineDoesNotExist: state machine alias "%" does not exist', alias_name USING ERRCODE = 'undefined_object';
    END IF;
    FOR r IN SELECT * FROM jsonb_array_elements(routing) LOOP
        chosen := (r->>'version')::integer;
        pick := pick - (r->>'weight')::integer;
        EXIT WHEN pick < 0;
    END LOOP;
    SELECT v.version INTO revision FROM booking.state_machine_versions v
     WHERE v.machine_id = alias_pick_revision.machine_id AND v.published_version = chosen;
    RETURN revision;
END $$;

-- create and update publish (C, as the owner, the caller's MANAGE checked): → the version ARN
CREATE FUNCTION publish_latest(machine_id bigint, description text) RETURNS text
LANGUAGE sql AS $$
    SELECT version_arn FROM booking.publish_state_machine_version_unchecked(
        (SELECT m.name FROM booking.state_machines m WHERE m.id = publish_latest.machine_id), NULL, description)
$$;

-- the revision a published version number names (NULL when none)
CREATE FUNCTION published_revision(machine_id bigint, version integer) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT v.version FROM booking.state_machine_versions v
     WHERE v.machine_id = published_revision.machine_id AND v.published_version = published_revision.version
$$;

-- changed signatures (new optional parameters): the functions are made again
DROP FUNCTION sfn_create_state_machine(text, jsonb, jsonb, regrole, text);
DROP FUNCTION sfn_update_state_machine(text, jsonb, jsonb, regrole);
DROP FUNCTION sfn_start_sync(text, jsonb);
DROP FUNCTION sfn_list_executions(text, text);
DROP FUNCTION sfn_get_execution_history(text);
CREATE FUNCTION sfn_create_state_machine(
    name text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role regrole DEFAULT NULL,
    type text DEFAULT 'STANDARD',
    role_arn text DEFAULT NULL,
    publish boolean DEFAULT true,
    version_description text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_create_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine(text, jsonb, jsonb, regrole, text, text, boolean, text) IS 'CreateStateMachine: validates, applies ${Name} substitutions, stores revision 1 (published as version 1 unless publish is false), returns the ARN; the caller owns it; role (default: the caller, who must then be neither superuser nor BYPASSRLS) is the execution role; role_arn is shown as roleArn, as given';

CREATE FUNCTION sfn_update_state_machine(
    state_machine text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role regrole DEFAULT NULL,
    role_arn text DEFAULT NULL,
    publish boolean DEFAULT true,
    version_description text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_update_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_update_state_machine(text, jsonb, jsonb, regrole, text, boolean, text) IS 'UpdateStateMachine: a new immutable revision (when a definition is given), published as the next version unless publish is false; returns the version ARN, or the state machine ARN when not published; role, when given, becomes the execution role; role_arn is shown as roleArn';

CREATE FUNCTION sfn_start_sync(state_machine text, input jsonb DEFAULT '{}', name text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sfn_start_sync'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION sfn_start_sync(text, jsonb, text) IS'StartSyncExecution: runs the state machine to its end inside the call (Wait states sleep) and returns DescribeExecution''s shape.';

CREATE FUNCTION sfn_list_executions(state_machine text DEFAULT NULL, status text DEFAULT NULL,
                                    max_results integer DEFAULT NULL, after_execution text DEFAULT NULL,
                                    redrive_filter text DEFAULT NULL)
RETURNS SETOF execution_summary
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    after_start timestamptz;
    after_id bigint;
BEGIN
    IF status IS NOT NULL AND status NOT IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED') THEN
        RAISE EXCEPTION 'status must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED, not "%"', status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF redrive_filter IS NOT NULL AND redrive_filter NOT IN ('REDRIVEN', 'NOT_REDRIVEN') THEN
        RAISE EXCEPTION 'redrive_filter must be REDRIVEN or NOT_REDRIVEN, not "%"', redrive_filter
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF max_results IS NOT NULL AND (max_results < 1 OR max_results > 1001) THEN
        RAISE EXCEPTION 'max_results must be between 1 and 1000, not %', max_results
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF after_execution IS NOT NULL THEN
        -- the page goes on after this execution (newest first)
        SELECT e.start_date, e.id INTO after_start, after_id FROM booking.visible_executions e
         WHERE e.arn = after_execution;
        IF after_id IS NULL THEN
            RAISE EXCEPTION 'InvalidToken: the page token names no execution' USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    -- the views show the caller what it may READ; a machine named needs READ (42501)
    RETURN QUERY
    SELECT e.arn, m.arn, e.name, e.status, e.start_date, e.stop_date, e.redrive_count, e.error, e.cause
      FROM booking.visible_executions e JOIN booking.visible_state_machines m ON m.id = e.machine_id
     WHERE (sfn_list_executions.state_machine IS NULL
            OR e.machine_id = booking.state_machine_id(sfn_list_executions.state_machine))
       AND (sfn_list_executions.status IS NULL OR e.status = sfn_list_executions.status)
       AND (redrive_filter IS NULL OR (e.redrive_count > 0) = (redrive_filter = 'REDRIVEN'))
       AND (after_id IS NULL OR (e.start_date, e.id) < (after_start, after_id))
     ORDER BY e.start_date DESC, e.id DESC
     LIMIT max_results;
END $$;
COMMENT ON FUNCTION sfn_list_executions(text, text, integer, text, text) IS
'ListExecutions: newest first; executions of the state machines the caller may READ; max_results at a time, after the execution after_execution names';

-- Writes the saves a tick's batch keeps for its end (docs/scheduling.md): the
-- API functions written in SQL call it first, so that a task's code reading
-- through them sees its batch's earlier executions as they ended.
CREATE FUNCTION flush_batch() RETURNS void
AS 'MODULE_PATHNAME', 'booking_flush_batch' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION flush_batch() IS 'Writes the executions a tick''s batch has advanced and keeps for its end (nothing outside a batch); the API functions written in SQL call it first';

CREATE FUNCTION sfn_get_execution_history(execution text, max_results integer DEFAULT NULL,
                                          after_event integer DEFAULT NULL, reverse_order boolean DEFAULT false)
RETURNS TABLE (id integer, type text, "timestamp" timestamptz, previous_event_id integer, details jsonb)
LANGUAGE sql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
    -- a statement of its own: the next one's snapshot sees what it wrote
    SELECT booking.flush_batch();
    -- each history row's events counted (json_array_length parses without building), so a
    -- page takes apart only the rows that hold its ids, (lo, hi]: paging through a long
    -- history is not quadratic (OFFSET 0: each row counted once, not once per use of n)
    WITH counted AS (
        SELECT h.seq, h.events, l.n, sum(l.n) OVER (ORDER BY h.seq) - l.n AS before, sum(l.n) OVER () AS total
          FROM booking.visible_history h, LATERAL (SELECT json_array_length(h.events) AS n OFFSET 0) l
         WHERE h.execution_id = booking.execution_id(execution)),
    page AS (
        SELECT c.*, CASE WHEN reverse_order THEN b.hi - max_results ELSE coalesce(after_event, 0) END AS lo, b.hi
          FROM counted c,
               LATERAL (SELECT CASE WHEN reverse_order THEN least(coalesce(after_event - 1, c.total), c.total)
                                    ELSE coalesce(after_event, 0) + max_results END AS hi) b)
    SELECT * FROM (
        SELECT (p.before + e.n)::integer AS id, c.event->>'type', (c.event->>'timestamp')::timestamptz,
               (p.before + e.n - 1)::integer, c.event->'details'
          FROM page p,
               json_array_elements(p.events) WITH ORDINALITY AS e(event, n),
               -- each event parsed once (OFFSET 0: not flattened into three casts)
               LATERAL (SELECT e.event::jsonb AS event OFFSET 0) c
         WHERE (p.hi IS NULL OR p.before < p.hi) AND (p.lo IS NULL OR p.before + p.n > p.lo)) numbered
     WHERE after_event IS NULL OR CASE WHEN reverse_order THEN numbered.id < after_event ELSE numbered.id > after_event END
     ORDER BY CASE WHEN reverse_order THEN -numbered.id ELSE numbered.id END
     LIMIT max_results
$$;
COMMENT ON FUNCTION sfn_get_execution_history(text, integer, integer, boolean) IS
'GetExecutionHistory: events numbered from 1 in the order they were recorded; previous_event_id is the one before (0 for the first); max_results at a time after event after_event, newest first when reverse_order';
REVOKE EXECUTE ON FUNCTION
    sfn_create_state_machine(text, jsonb, jsonb, regrole, text, text, boolean, text),
    sfn_update_state_machine(text, jsonb, jsonb, regrole, text, boolean, text),
    sfn_start_sync(text, jsonb, text), sfn_list_executions(text, text, integer, text, text),
    sfn_get_execution_history(text, integer, integer, boolean), flush_batch()
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    sfn_create_state_machine(text, jsonb, jsonb, regrole, text, text, boolean, text),
    sfn_update_state_machine(text, jsonb, jsonb, regrole, text, boolean, text),
    sfn_start_sync(text, jsonb, text), sfn_list_executions(text, text, integer, text, text),
    sfn_get_execution_history(text, integer, integer, boolean), flush_batch()
TO booking_user;

-- The doors (src/api_checked.c): the caller's privilege on the object the first
-- argument names, then the *_unchecked function as the tables' owner.
CREATE FUNCTION sfn_tag_resource(resource text, tags jsonb) RETURNS void
AS 'MODULE_PATHNAME', 'sfn_tag_resource' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_tag_resource(text, jsonb) IS 'TagResource: adds or replaces tags ({"key": "value", …}, at most 50) on a state machine or activity; needs MANAGE';
CREATE FUNCTION sfn_untag_resource(resource text, tag_keys text[]) RETURNS void
AS 'MODULE_PATHNAME', 'sfn_untag_resource' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_untag_resource(text, text[]) IS 'UntagResource: removes these tag keys; needs MANAGE';
CREATE FUNCTION sfn_list_tags_for_resource(resource text) RETURNS TABLE (key text, value text)
AS 'MODULE_PATHNAME', 'sfn_list_tags_for_resource' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_list_tags_for_resource(text) IS 'ListTagsForResource: by key; needs READ (a state machine) or any privilege (an activity)';
CREATE FUNCTION sfn_publish_state_machine_version(state_machine text, revision_id text DEFAULT NULL,
                                                  description text DEFAULT NULL)
RETURNS TABLE (version_arn text, creation_date timestamptz)
AS 'MODULE_PATHNAME', 'sfn_publish_state_machine_version' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_publish_state_machine_version(text, text, text) IS
'PublishStateMachineVersion: publishes the latest revision (once; again returns the same version), numbered 1, 2, … never reused; revision_id, when given, must be the latest (ConflictException); needs MANAGE';
CREATE FUNCTION sfn_list_state_machine_versions(state_machine text, max_results integer DEFAULT NULL,
                                                after_version integer DEFAULT NULL)
RETURNS TABLE (version_arn text, version integer, creation_date timestamptz)
AS 'MODULE_PATHNAME', 'sfn_list_state_machine_versions' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_list_state_machine_versions(text, integer, integer) IS 'ListStateMachineVersions: newest first, max_results at a time after after_version; needs READ';
CREATE FUNCTION sfn_delete_state_machine_version(version_arn text) RETURNS void
AS 'MODULE_PATHNAME', 'sfn_delete_state_machine_version' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_delete_state_machine_version(text) IS
'DeleteStateMachineVersion: the version is no longer published (its number is not reused); executions that run it go on; ConflictException while an alias routes to it; needs MANAGE';
CREATE FUNCTION sfn_create_state_machine_alias(state_machine text, name text, routing jsonb, description text DEFAULT NULL)
RETURNS TABLE (alias_arn text, creation_date timestamptz)
AS 'MODULE_PATHNAME', 'sfn_create_state_machine_alias' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine_alias(text, text, jsonb, text) IS
'CreateStateMachineAlias: routing [{stateMachineVersionArn, weight}] to one or two published versions of the machine, weights adding up to 100; a start through the alias ARN picks a version by weight; needs MANAGE';
CREATE FUNCTION sfn_describe_state_machine_alias(alias_arn text) RETURNS jsonb
AS 'MODULE_PATHNAME', 'sfn_describe_state_machine_alias' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_describe_state_machine_alias(text) IS 'DescribeStateMachineAlias''s shape; needs READ';
CREATE FUNCTION sfn_update_state_machine_alias(alias_arn text, routing jsonb DEFAULT NULL, description text DEFAULT NULL)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'sfn_update_state_machine_alias' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_update_state_machine_alias(text, jsonb, text) IS 'UpdateStateMachineAlias: new routing and/or description; needs MANAGE';
CREATE FUNCTION sfn_delete_state_machine_alias(alias_arn text) RETURNS void
AS 'MODULE_PATHNAME', 'sfn_delete_state_machine_alias' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_delete_state_machine_alias(text) IS 'DeleteStateMachineAlias (one already gone is deleted already); needs MANAGE';
CREATE FUNCTION sfn_list_state_machine_aliases(state_machine text, max_results integer DEFAULT NULL,
                                               after_name text DEFAULT NULL)
RETURNS TABLE (alias_arn text, name text, creation_date timestamptz)
AS 'MODULE_PATHNAME', 'sfn_list_state_machine_aliases' LANGUAGE C STABLE;
COMMENT ON FUNCTION sfn_list_state_machine_aliases(text, integer, text) IS 'ListStateMachineAliases: by name, max_results at a time after after_name; needs READ';

-- who may execute what: the API is booking_user's; the rest is the owner's
REVOKE EXECUTE ON FUNCTION
    notify_activity_task(), check_page(integer), invalid_token(text), arn_name(text, text, boolean),
    activity_id(text), machine_row_id(text),
    tag_target(text), tag_resource_unchecked(text, jsonb), untag_resource_unchecked(text, text[]),
    list_tags_for_resource_unchecked(text), publish_state_machine_version_unchecked(text, text, text),
    list_state_machine_versions_unchecked(text, integer, integer), version_target(text),
    delete_state_machine_version_unchecked(text), alias_routing(jsonb), alias_target(text),
    alias_json(booking.state_machine_aliases), create_state_machine_alias_unchecked(text, text, jsonb, text),
    describe_state_machine_alias_unchecked(text), update_state_machine_alias_unchecked(text, jsonb, text),
    delete_state_machine_alias_unchecked(text), list_state_machine_aliases_unchecked(text, integer, text),
    alias_pick_revision(bigint, text), publish_latest(bigint, text), published_revision(bigint, integer)
FROM PUBLIC;
-- the lists read the views as the caller, and check_page and invalid_token are theirs
GRANT EXECUTE ON FUNCTION check_page(integer), invalid_token(text), arn_name(text, text, boolean) TO booking_user;
REVOKE EXECUTE ON FUNCTION
    sfn_list_state_machines(integer, text), sfn_describe_activity(text), sfn_list_activities(integer, text),
    sfn_describe_state_machine_for_execution(text), sfn_tag_resource(text, jsonb), sfn_untag_resource(text, text[]),
    sfn_list_tags_for_resource(text), sfn_publish_state_machine_version(text, text, text),
    sfn_list_state_machine_versions(text, integer, integer), sfn_delete_state_machine_version(text),
    sfn_create_state_machine_alias(text, text, jsonb, text), sfn_describe_state_machine_alias(text),
    sfn_update_state_machine_alias(text, jsonb, text), sfn_delete_state_machine_alias(text),
    sfn_list_state_machine_aliases(text, integer, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    sfn_list_state_machines(integer, text), sfn_describe_activity(text), sfn_list_activities(integer, text),
    sfn_describe_state_machine_for_execution(text), sfn_tag_resource(text, jsonb), sfn_untag_resource(text, text[]),
    sfn_list_tags_for_resource(text), sfn_publish_state_machine_version(text, text, text),
    sfn_list_state_machine_versions(text, integer, integer), sfn_delete_state_machine_version(text),
    sfn_create_state_machine_alias(text, text, jsonb, text), sfn_describe_state_machine_alias(text),
    sfn_update_state_machine_alias(text, jsonb, text), sfn_delete_state_machine_alias(text),
    sfn_list_state_machine_aliases(text, integer, text)
TO booking_user;
SELECT pg_catalog.pg_extension_config_dump('state_machine_aliases', '');
SELECT pg_catalog.pg_extension_config_dump(pg_catalog.pg_get_serial_sequence('state_machine_aliases', 'id'), '');
SELECT pg_catalog.pg_extension_config_dump('tags', '');

-- ---- mocked service integrations (Step Functions Local's MockConfigFile; docs/mocks.md) ----
-- sfn_load_mock_config keeps each test case of a configuration; sfn_start of
-- '<state machine>#<TestCase>' runs one, its Task states answered by the
-- mocked responses instead of running (src/mock_config.c).
CREATE TABLE mock_test_cases (
    machine_id      bigint NOT NULL REFERENCES state_machines (id) ON DELETE CASCADE,
    test_case       text NOT NULL,
    -- {"<state>": {"0": {"Return": …}, "1-2": {"Throw": {"Error": …, "Cause": …}}}}
    states          jsonb NOT NULL,
    loaded          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (machine_id, test_case)
);
COMMENT ON TABLE mock_test_cases IS 'Test cases of mock configurations (sfn_load_mock_config): the states each mocks and their responses';

CREATE TABLE mock_executions (
    machine_id      bigint NOT NULL REFERENCES state_machines (id) ON DELETE CASCADE,
    execution_name  text NOT NULL,
    test_case       text NOT NULL,
    calls           jsonb NOT NULL DEFAULT '{}',    -- {"<state>": the last invocation's index}
    -- its execution's (docs/scale-out.md): registered by the start, as the execution's row
    shard_key       text NOT NULL DEFAULT coalesce(current_setting('booking.shard_key', true), ''),
    PRIMARY KEY (machine_id, execution_name)
);
COMMENT ON TABLE mock_executions IS 'Executions started with a test case (sfn_start(''<machine>#<TestCase>'')), and how often each mocked state was invoked';

CREATE FUNCTION mock_executions_cleanup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM booking.mock_executions x USING gone
     WHERE gone.parent_id IS NULL AND x.machine_id = gone.machine_id AND x.execution_name = gone.name;
    RETURN NULL;
END $$;
CREATE TRIGGER executions_mock_cleanup AFTER DELETE ON executions
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION mock_executions_cleanup();

CREATE FUNCTION sfn_load_mock_config(config jsonb) RETURNS integer
AS 'MODULE_PATHNAME', 'sfn_load_mock_config' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_load_mock_config(jsonb) IS
'Loads a mock configuration in Step Functions Local''s MockConfigFile format (StateMachines → TestCases → state → response; MockedResponses with Return/Throw by invocation index); returns the test cases loaded; needs MANAGE on each state machine it names';

REVOKE EXECUTE ON FUNCTION mock_executions_cleanup(), sfn_load_mock_config(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sfn_load_mock_config(jsonb) TO booking_user;
SELECT pg_catalog.pg_extension_config_dump('mock_test_cases', '');
SELECT pg_catalog.pg_extension_config_dump('mock_executions', '');

-- ==== JSONata ====
CREATE FUNCTION jsonata(expression text, input jsonb DEFAULT NULL, bindings jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_jsonata'
LANGUAGE C VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION jsonata(text, jsonb, jsonb) IS
'Evaluates a JSONata 2.0.6 expression against input (NULL: undefined) with bindings as $variables; undefined is NULL; an error is an ERROR whose message starts with the JSONata code and names the position.';

-- a pure function of its arguments, yet a door of booking like the others: what
-- booking_user opens (docs/security.md)
REVOKE EXECUTE ON FUNCTION jsonata(text, jsonb, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jsonata(text, jsonb, jsonb) TO booking_user;

-- ==== Step Functions API, part 2 (issue 18): redrive tokens, starts through a
-- version or alias, logging/tracing/encryption settings, validation by type,
-- TestState's mocks, context and state configuration ====
-- This block ends booking--1.1.sql and booking--1.0--1.1.sql word for word, so
-- a fresh install and an upgrade build the same catalog (test/e2e/upgrade.sh).

-- RedriveExecution's clientToken, as AWS keeps it: a token used to redrive an
-- execution answers again with that redrive (no second one) for 15 minutes;
-- the last 10 tokens of an execution are kept (src/api_executions.c).
CREATE TABLE redrive_tokens (
    execution_id    bigint NOT NULL,        -- a top-level execution; see api_rows_cleanup
    client_token    text NOT NULL,
    redrive_date    timestamptz NOT NULL,   -- what the redrive answered
    shard_key       text NOT NULL DEFAULT '',   -- its execution's (docs/scale-out.md)
    PRIMARY KEY (execution_id, client_token)
);
COMMENT ON TABLE redrive_tokens IS 'RedriveExecution client tokens: the same token within 15 minutes is the same redrive';

-- How an execution was started when not through the state machine's own ARN:
-- through a version ARN (…:N) or an alias ARN (…:ALIAS, with the version the
-- alias picked). DescribeExecution shows them; ListExecutions of a version or
-- alias ARN lists these.
CREATE TABLE execution_origins (
    machine_id      bigint NOT NULL REFERENCES state_machines (id) ON DELETE CASCADE,
    execution_name  text NOT NULL,
    published_version integer NOT NULL,
    alias           text,                   -- NULL: started through the version ARN
    -- its execution's (docs/scale-out.md): recorded by the start, as the execution's row
    shard_key       text NOT NULL DEFAULT coalesce(current_setting('booking.shard_key', true), ''),
    PRIMARY KEY (machine_id, execution_name)
);
COMMENT ON TABLE execution_origins IS 'Executions started through a version or alias ARN: which (stateMachineVersionArn, stateMachineAliasArn)';
CREATE INDEX execution_origins_version ON execution_origins (machine_id, published_version);
CREATE INDEX execution_origins_alias ON execution_origins (machine_id, alias) WHERE alias IS NOT NULL;

CREATE VIEW visible_execution_origins WITH (security_barrier) AS
SELECT o.machine_id, o.execution_name, o.published_version, o.alias
  FROM booking.execution_origins o
  JOIN booking.state_machines m ON m.id = o.machine_id
 WHERE pg_has_role(m.owner, 'USAGE')
    OR EXISTS (SELECT FROM booking.state_machine_grants g
                WHERE g.machine_id = m.id AND g.privilege = 'READ' AND pg_has_role(g.grantee, 'USAGE'));
COMMENT ON VIEW visible_execution_origins IS 'The origins of the executions the current role may READ';

-- deleted executions take their tokens and origins along
CREATE FUNCTION api_rows_cleanup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM booking.redrive_tokens t USING gone WHERE t.execution_id = gone.id;
    DELETE FROM booking.execution_origins o USING gone
     WHERE gone.parent_id IS NULL AND o.machine_id = gone.machine_id AND o.execution_name = gone.name;
    RETURN NULL;
END $$;
CREATE TRIGGER executions_api_rows_cleanup AFTER DELETE ON executions
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION api_rows_cleanup();

-- CreateStateMachine's loggingConfiguration, tracingConfiguration and
-- encryptionConfiguration, as given (validated): booking sends no logs to
-- CloudWatch, no traces to X-Ray and calls no KMS; tools that set them get
-- them back (docs/sfn-api.md). NULL: AWS's defaults.
ALTER TABLE state_machines ADD COLUMN settings jsonb;

-- current's settings with those given replaced (NULL: kept), each checked as
-- AWS checks it; InvalidLoggingConfiguration, InvalidTracingConfiguration,
-- InvalidEncryptionConfiguration otherwise
CREATE FUNCTION machine_settings(current jsonb, logging jsonb, tracing jsonb, encryption jsonb)
RETURNS jsonb LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    k text;
    d jsonb;
    lvl text;
    result jsonb := coalesce(current, '{}');
BEGIN
    IF logging IS NOT NULL THEN
        IF jsonb_typeof(logging) <> 'object' THEN
            RAISE EXCEPTION 'InvalidLoggingConfiguration: loggingConfiguration must be an object' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        FOR k IN SELECT jsonb_object_keys(logging) LOOP
            IF k NOT IN ('level', 'includeExecutionData', 'destinations') THEN
                RAISE EXCEPTION 'InvalidLoggingConfiguration: loggingConfiguration has no member "%"', k USING ERRCODE = 'invalid_parameter_value';
            END IF;
        END LOOP;
        lvl := coalesce(logging->>'level', 'OFF');
        IF jsonb_typeof(coalesce(logging->'level', '"OFF"')) <> 'string' OR lvl NOT IN ('ALL', 'ERROR', 'FATAL', 'OFF') THEN
            RAISE EXCEPTION 'InvalidLoggingConfiguration: level must be ALL, ERROR, FATAL or OFF' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF jsonb_typeof(coalesce(logging->'includeExecutionData', 'false')) <> 'boolean' THEN
            RAISE EXCEPTION 'InvalidLoggingConfiguration: includeExecutionData must be a boolean' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        d := coalesce(logging->'destinations', '[]');
        IF jsonb_typeof(d) <> 'array' OR jsonb_array_length(d) > 1 THEN
            RAISE EXCEPTION 'InvalidLoggingConfiguration: destinations is a list of at most one log destination' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF lvl <> 'OFF' AND jsonb_array_length(d) = 0 THEN
            RAISE EXCEPTION 'InvalidLoggingConfiguration: a level other than OFF needs exactly one log destination' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF jsonb_array_length(d) = 1 AND (jsonb_typeof(d->0) <> 'object'
               OR jsonb_typeof(d->0->'cloudWatchLogsLogGroup') IS DISTINCT FROM 'object'
               OR (d->0) - 'cloudWatchLogsLogGroup' <> '{}'
               OR (d->0->'cloudWatchLogsLogGroup') - 'logGroupArn' <> '{}'
               OR jsonb_typeof(d->0->'cloudWatchLogsLogGroup'->'logGroupArn') IS DISTINCT FROM 'string'
               OR length(d->0->'cloudWatchLogsLogGroup'->>'logGroupArn') > 256
               OR d->0->'cloudWatchLogsLogGroup'->>'logGroupArn' !~ '^arn:[a-z-]+:logs:[a-z0-9-]*:[0-9]*:log-group:[A-Za-z0-9_./#-]+:\*$') THEN
            RAISE EXCEPTION 'InvalidLoggingConfiguration: a log destination is {"cloudWatchLogsLogGroup": {"logGroupArn": "arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*"}}'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        result := result || jsonb_build_object('loggingConfiguration',
            jsonb_build_object('level', lvl, 'includeExecutionData', coalesce(logging->'includeExecutionData', 'false'))
            || CASE WHEN jsonb_array_length(d) > 0 THEN jsonb_build_object('destinations', d) ELSE '{}' END);
    END IF;
    IF tracing IS NOT NULL THEN
        IF jsonb_typeof(tracing) <> 'object' OR tracing - 'enabled' <> '{}'
           OR jsonb_typeof(coalesce(tracing->'enabled', 'false')) <> 'boolean' THEN
            RAISE EXCEPTION 'InvalidTracingConfiguration: tracingConfiguration is {"enabled": true|false}' USING ERRCODE = 'invalid_parameter_value';
        END IF;
        result := result || jsonb_build_object('tracingConfiguration',
            jsonb_build_object('enabled', coalesce(tracing->'enabled', 'false')));
    END IF;
    IF encryption IS NOT NULL THEN
        IF jsonb_typeof(encryption) <> 'object' OR encryption - 'type' - 'kmsKeyId' - 'kmsDataKeyReusePeriodSeconds' <> '{}' THEN
            RAISE EXCEPTION 'InvalidEncryptionConfiguration: encryptionConfiguration has type, kmsKeyId and kmsDataKeyReusePeriodSeconds'
                USING ERRCODE = 'invalid_parameter_value';
        ELSIF encryption->>'type' IS NULL OR encryption->>'type' NOT IN ('AWS_OWNED_KEY', 'CUSTOMER_MANAGED_KMS_KEY') THEN
            RAISE EXCEPTION 'InvalidEncryptionConfiguration: type must be AWS_OWNED_KEY or CUSTOMER_MANAGED_KMS_KEY' USING ERRCODE = 'invalid_parameter_value';
        ELSIF encryption->>'type' = 'AWS_OWNED_KEY' AND (encryption ? 'kmsKeyId' OR encryption ? 'kmsDataKeyReusePeriodSeconds') THEN
            RAISE EXCEPTION 'InvalidEncryptionConfiguration: kmsKeyId and kmsDataKeyReusePeriodSeconds go with CUSTOMER_MANAGED_KMS_KEY only'
                USING ERRCODE = 'invalid_parameter_value';
        ELSIF encryption->>'type' = 'CUSTOMER_MANAGED_KMS_KEY' AND (jsonb_typeof(encryption->'kmsKeyId') IS DISTINCT FROM 'string'
               OR length(encryption->>'kmsKeyId') NOT BETWEEN 1 AND 2048) THEN
            RAISE EXCEPTION 'InvalidEncryptionConfiguration: CUSTOMER_MANAGED_KMS_KEY needs a kmsKeyId (1 to 2048 characters)'
                USING ERRCODE = 'invalid_parameter_value';
        ELSIF encryption ? 'kmsDataKeyReusePeriodSeconds' AND (jsonb_typeof(encryption->'kmsDataKeyReusePeriodSeconds') <> 'number'
               OR (encryption->>'kmsDataKeyReusePeriodSeconds')::numeric NOT BETWEEN 60 AND 900
               OR (encryption->>'kmsDataKeyReusePeriodSeconds')::numeric % 1 <> 0) THEN
            RAISE EXCEPTION 'InvalidEncryptionConfiguration: kmsDataKeyReusePeriodSeconds must be an integer from 60 to 900'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        result := result || jsonb_build_object('encryptionConfiguration',
            encryption || CASE WHEN encryption->>'type' = 'CUSTOMER_MANAGED_KMS_KEY' AND NOT encryption ? 'kmsDataKeyReusePeriodSeconds'
                               THEN '{"kmsDataKeyReusePeriodSeconds": 300}'::jsonb ELSE '{}' END);
    END IF;
    RETURN result;
END $$;
COMMENT ON FUNCTION machine_settings(jsonb, jsonb, jsonb, jsonb) IS
'A state machine''s settings ({loggingConfiguration, tracingConfiguration, encryptionConfiguration}) with those given replaced, each checked as AWS checks it';

-- the settings shown: what was given, else AWS's defaults
CREATE FUNCTION machine_settings_shown(settings jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT '{"loggingConfiguration": {"level": "OFF", "includeExecutionData": false},
             "tracingConfiguration": {"enabled": false},
             "encryptionConfiguration": {"type": "AWS_OWNED_KEY"}}'::jsonb || coalesce(settings, '{}')
$$;

-- changed signatures (new optional parameters): the functions are made again
DROP FUNCTION sfn_create_state_machine(text, jsonb, jsonb, regrole, text, text, boolean, text);
DROP FUNCTION sfn_update_state_machine(text, jsonb, jsonb, regrole, text, boolean, text);
DROP FUNCTION sfn_validate(jsonb, jsonb);
DROP FUNCTION sfn_test_state(jsonb, text, jsonb, jsonb);
DROP FUNCTION sfn_redrive_execution(text);

CREATE FUNCTION sfn_create_state_machine(
    name text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role regrole DEFAULT NULL,
    type text DEFAULT 'STANDARD',
    role_arn text DEFAULT NULL,
    publish boolean DEFAULT true,
    version_description text DEFAULT NULL,
    logging_configuration jsonb DEFAULT NULL,
    tracing_configuration jsonb DEFAULT NULL,
    encryption_configuration jsonb DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_create_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine(text, jsonb, jsonb, regrole, text, text, boolean, text, jsonb, jsonb, jsonb) IS 'CreateStateMachine: validates (as its type: an EXPRESS machine runs no .sync, .waitForTaskToken or activity task), applies ${Name} substitutions, stores revision 1 (published as version 1 unless publish is false), returns the ARN; the caller owns it; role (default: the caller, who must then be neither superuser nor BYPASSRLS) is the execution role; role_arn is shown as roleArn, as given; logging, tracing and encryption configurations are checked, kept and shown as given';

CREATE FUNCTION sfn_update_state_machine(
    state_machine text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role regrole DEFAULT NULL,
    role_arn text DEFAULT NULL,
    publish boolean DEFAULT true,
    version_description text DEFAULT NULL,
    logging_configuration jsonb DEFAULT NULL,
    tracing_configuration jsonb DEFAULT NULL,
    encryption_configuration jsonb DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_update_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_update_state_machine(text, jsonb, jsonb, regrole, text, boolean, text, jsonb, jsonb, jsonb) IS 'UpdateStateMachine: a new immutable revision (when a definition is given), published as the next version unless publish is false; returns the version ARN, or the state machine ARN when not published; role, when given, becomes the execution role; role_arn is shown as roleArn; a configuration given replaces the one kept';

CREATE FUNCTION sfn_validate(definition jsonb, substitutions jsonb DEFAULT NULL, type text DEFAULT 'STANDARD')
RETURNS TABLE (severity text, code text, location text, message text)
AS 'MODULE_PATHNAME', 'sfn_validate'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION sfn_validate(jsonb, jsonb, text) IS 'ValidateStateMachineDefinition: every problem at once, each with a JSON pointer; substitutions as sfn_create_state_machine applies them; type EXPRESS also refuses .sync, .waitForTaskToken and activity tasks';

CREATE FUNCTION sfn_test_state(definition jsonb, state_name text DEFAULT NULL,
                               input jsonb DEFAULT '{}', variables jsonb DEFAULT NULL,
                               mock jsonb DEFAULT NULL, context jsonb DEFAULT NULL,
                               state_configuration jsonb DEFAULT NULL,
                               inspection_level text DEFAULT 'DEBUG', reveal_secrets boolean DEFAULT false)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sfn_test_state'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_test_state(jsonb, text, jsonb, jsonb, jsonb, jsonb, jsonb, text, boolean) IS
'TestState: runs one state of a machine (or a single state definition) once and returns status, output or error, nextState and (DEBUG, TRACE) inspectionData; mock ({result} or {errorOutput: {error, cause}}, fieldValidationMode) answers a Task, Map or Parallel state instead of running it; context is its $$; state_configuration sets retrierRetryCount, errorCausedByState, mapIterationFailureCount, mapItemReaderData';

CREATE FUNCTION sfn_redrive_execution(execution text, client_token text DEFAULT NULL)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'sfn_redrive_execution'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_redrive_execution(text, text) IS
'RedriveExecution: runs a FAILED, TIMED_OUT or ABORTED execution again from the state that failed; returns the redrive date; the same client_token within 15 minutes returns that redrive''s date and redrives nothing (the last 10 tokens of an execution are kept); needs STOP';

-- a listing gains the version and alias a start went through
ALTER TYPE execution_summary ADD ATTRIBUTE state_machine_version_arn text;
ALTER TYPE execution_summary ADD ATTRIBUTE state_machine_alias_arn text;

CREATE OR REPLACE FUNCTION sfn_list_executions(state_machine text DEFAULT NULL, status text DEFAULT NULL,
                                    max_results integer DEFAULT NULL, after_execution text DEFAULT NULL,
                                    redrive_filter text DEFAULT NULL)
RETURNS SETOF execution_summary
LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    after_start timestamptz;
    after_id bigint;
    -- a version ARN (…:N) or alias ARN (…:ALIAS) lists the starts through it
    qualifier text := CASE WHEN state_machine LIKE 'arn:%' THEN split_part(state_machine, ':', 8) ELSE '' END;
    by_version integer;
    by_alias text;
BEGIN
    IF status IS NOT NULL AND status NOT IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED') THEN
        RAISE EXCEPTION 'status must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED, not "%"', status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF redrive_filter IS NOT NULL AND redrive_filter NOT IN ('REDRIVEN', 'NOT_REDRIVEN') THEN
        RAISE EXCEPTION 'redrive_filter must be REDRIVEN or NOT_REDRIVEN, not "%"', redrive_filter
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF max_results IS NOT NULL AND (max_results < 1 OR max_results > 1001) THEN
        RAISE EXCEPTION 'max_results must be between 1 and 1000, not %', max_results
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF qualifier ~ '^[0-9]+$' THEN
        by_version := qualifier::integer;
    ELSIF qualifier <> '' THEN
        by_alias := qualifier;
    END IF;
    IF after_execution IS NOT NULL THEN
        -- the page goes on after this execution (newest first)
        SELECT e.start_date, e.id INTO after_start, after_id FROM booking.visible_executions e
         WHERE e.arn = after_execution;
        IF after_id IS NULL THEN
            RAISE EXCEPTION 'InvalidToken: the page token names no execution' USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    -- a tick's batch's saves first (the next statement sees them: VOLATILE)
    PERFORM booking.flush_batch();
    -- the views show the caller what it may READ; a machine named needs READ (42501)
    RETURN QUERY
    SELECT e.arn, m.arn, e.name, e.status, e.start_date, e.stop_date, e.redrive_count, e.error, e.cause,
           m.arn || ':' || o.published_version, m.arn || ':' || o.alias
      FROM booking.visible_executions e JOIN booking.visible_state_machines m ON m.id = e.machine_id
      LEFT JOIN booking.visible_execution_origins o ON o.machine_id = e.machine_id AND o.execution_name = e.name
     WHERE (sfn_list_executions.state_machine IS NULL
            OR e.machine_id = booking.state_machine_id(sfn_list_executions.state_machine))
       AND (by_version IS NULL OR o.published_version = by_version)
       AND (by_alias IS NULL OR o.alias = by_alias)
       AND (sfn_list_executions.status IS NULL OR e.status = sfn_list_executions.status)
       AND (redrive_filter IS NULL OR (e.redrive_count > 0) = (redrive_filter = 'REDRIVEN'))
       AND (after_id IS NULL OR (e.start_date, e.id) < (after_start, after_id))
     ORDER BY e.start_date DESC, e.id DESC
     LIMIT max_results;
END $$;
COMMENT ON FUNCTION sfn_list_executions(text, text, integer, text, text) IS
'ListExecutions: newest first; executions of the state machines the caller may READ (of a version or alias ARN: those started through it, an alias''s starts counting for the version it picked); max_results at a time, after the execution after_execution names';

REVOKE EXECUTE ON FUNCTION api_rows_cleanup(), machine_settings(jsonb, jsonb, jsonb, jsonb),
    machine_settings_shown(jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION
    sfn_create_state_machine(text, jsonb, jsonb, regrole, text, text, boolean, text, jsonb, jsonb, jsonb),
    sfn_update_state_machine(text, jsonb, jsonb, regrole, text, boolean, text, jsonb, jsonb, jsonb),
    sfn_validate(jsonb, jsonb, text),
    sfn_test_state(jsonb, text, jsonb, jsonb, jsonb, jsonb, jsonb, text, boolean),
    sfn_redrive_execution(text, text)
FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    sfn_create_state_machine(text, jsonb, jsonb, regrole, text, text, boolean, text, jsonb, jsonb, jsonb),
    sfn_update_state_machine(text, jsonb, jsonb, regrole, text, boolean, text, jsonb, jsonb, jsonb),
    sfn_validate(jsonb, jsonb, text),
    sfn_test_state(jsonb, text, jsonb, jsonb, jsonb, jsonb, jsonb, text, boolean),
    sfn_redrive_execution(text, text)
TO booking_user;
GRANT SELECT ON visible_execution_origins TO booking_user;
SELECT pg_catalog.pg_extension_config_dump('redrive_tokens', '');
SELECT pg_catalog.pg_extension_config_dump('execution_origins', '');

-- The history id of the <Type>StateEntered event of the state an execution
-- stands in (kept across transactions: a runtime failure's cause names it).
ALTER TABLE executions ADD COLUMN entered_event integer;
COMMENT ON COLUMN executions.entered_event IS 'History id (GetExecutionHistory) of the <Type>StateEntered event of the state''s current entry; NULL: not known';

-- ==== performance (issue 20) ====
-- the indexes on what an execution's row versions share, filled half as their pages split
-- to the right (a new version's entry lands beside the old one): see booking--1.1.sql;
-- pages split from now on follow it, existing ones are left as they are (REINDEX to repack)
ALTER INDEX executions_pkey SET (fillfactor = 50);
ALTER INDEX executions_machine_name SET (fillfactor = 50);
ALTER INDEX executions_list SET (fillfactor = 50);

-- A tick's batch writes the executions it advanced in one statement (src/store_writeback.c),
-- reading them from this function: booking's own write only (it raises otherwise), the
-- owner's only. Where the statement passed 22 arrays to unnest(), each unnested into a
-- tuplestore of its own (bench/README.md, "seventh pass").
CREATE FUNCTION kept_saves()
RETURNS TABLE (id bigint, status text, output jsonb, error text, cause text, state text,
               document jsonb, variables jsonb, attempts jsonb, entered_at timestamptz,
               phase text, pending_events jsonb, due_at timestamptz, stop_date timestamptz,
               event_count integer, timeout_at timestamptz, fanout jsonb, redrive_count integer,
               redrive_date timestamptz, entered_event integer, history_id bigint, events json,
               ord bigint)
AS 'MODULE_PATHNAME', 'booking_kept_saves' LANGUAGE C VOLATILE ROWS 64;
COMMENT ON FUNCTION kept_saves() IS 'The executions a tick''s batch advanced and keeps for its end, read by the batch''s own write of them and by nothing else';
REVOKE ALL ON FUNCTION kept_saves() FROM PUBLIC;
