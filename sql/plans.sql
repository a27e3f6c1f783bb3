-- The due-time queries (the tick's claim, the timer's next-due lookups) keep
-- to the executions_due index whatever the statistics say, from the first
-- burst after an install. A fresh database, so the table is new and empty.
SELECT current_database() AS suite_db \gset
CREATE DATABASE booking_plans;
\c booking_plans
SET client_min_messages = warning;
CREATE EXTENSION booking CASCADE;
RESET client_min_messages;
-- no ANALYZE behind the test's back; the table vacuumed while empty, as
-- autovacuum does after an install or a bulk delete: it "has no pages"
ALTER TABLE booking.executions SET (autovacuum_enabled = false);
VACUUM ANALYZE booking.executions;
SELECT relpages, reltuples FROM pg_class WHERE oid = 'booking.executions'::regclass;

-- this backend's claim plan is made now, on the empty table
SELECT booking.sfn_tick(10);
-- and its start's plans (the execution's insert, the history insert that
-- reads the execution's row by id) at its first start, on the empty table
SELECT booking.sfn_create_state_machine('plans_pass', '{
  "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('plans_pass', '{}', 'plans-first') IS NOT NULL AS started;

-- a burst: 50,000 running executions due in an hour, 50,000 finished ones
-- (rows written directly: how they were started is not what this suite is about)
SELECT booking.sfn_create_state_machine('plans_hold', '{
  "StartAt": "Hold",
  "States": {"Hold": {"Type": "Wait", "Seconds": 3600, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
INSERT INTO booking.executions (machine_id, version, input, status, due_at)
SELECT m.id, 1, '{}', CASE WHEN g % 2 = 0 THEN 'RUNNING' ELSE 'SUCCEEDED' END,
       now() + interval '1 hour'
  FROM booking.state_machines m, generate_series(1, 100000) g
 WHERE m.name = 'plans_hold';

-- the tick claims through the index: no sequential scan of executions
-- (the xact counters hold what is not flushed yet: flush before counting)
SELECT pg_stat_force_next_flush();
BEGIN;
SELECT booking.sfn_tick(10) AS advanced;
SELECT seq_scan AS executions_seq_scans
  FROM pg_stat_xact_user_tables WHERE relid = 'booking.executions'::regclass;
SELECT pg_stat_get_xact_numscans('booking.executions_due'::regclass) > 0 AS due_index_used;
COMMIT;

-- Every kept plan is planned with sequential scans off (src/spi_plans.c): the
-- start's plans, made on the empty table, still find the row by its key. (The
-- history insert's was a sequential scan of executions, so each start read the
-- whole table, until an ANALYZE happened to replan it.)
SELECT pg_stat_force_next_flush();
BEGIN;
SELECT booking.sfn_start('plans_pass', '{}', 'plans-second') IS NOT NULL AS started;
SELECT seq_scan AS executions_seq_scans
  FROM pg_stat_xact_user_tables WHERE relid = 'booking.executions'::regclass;
COMMIT;

-- The plans under the settings the C code uses for these statements
-- (booking_due_plan_settings_push): generic plans, as kept by the backends.
SET plan_cache_mode = force_generic_plan;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SET enable_sort = off;
-- (the claim reads the whole row with its machine's; the columns that matter
-- to the plan are kept here)
PREPARE claim(timestamptz, int, timestamptz) AS
  SELECT e.id, m.name, e.due_at, e.tableoid, e.ctid
    FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id
   WHERE e.status = 'RUNNING' AND e.due_at <= $1 AND e.due_at >= $3
   ORDER BY e.due_at LIMIT $2 FOR UPDATE OF e SKIP LOCKED;
PREPARE next_due AS
  SELECT min(due_at) FROM booking.executions
   WHERE status = 'RUNNING' AND due_at IS NOT NULL;
PREPARE next_due_after(timestamptz) AS
  SELECT min(due_at) FROM booking.executions
   WHERE status = 'RUNNING' AND due_at IS NOT NULL AND due_at > $1;
EXPLAIN (COSTS OFF) EXECUTE claim(now(), 100, '-infinity');
EXPLAIN (COSTS OFF) EXECUTE next_due;
EXPLAIN (COSTS OFF) EXECUTE next_due_after(now());
-- statistics that make every row look due change nothing
ANALYZE booking.executions;
UPDATE booking.executions SET due_at = now() - interval '1 hour';
ANALYZE booking.executions;
EXPLAIN (COSTS OFF) EXECUTE claim(now(), 100, '-infinity');
EXPLAIN (COSTS OFF) EXECUTE next_due;
DEALLOCATE ALL;

\c :suite_db
DROP DATABASE booking_plans;
