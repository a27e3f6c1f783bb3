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
