-- booking 1.0 → 1.1 (ALTER EXTENSION booking UPDATE TO '1.1').
-- Every change to booking--1.1.sql is made here too, in the same commit: a fresh
-- 1.1 and an upgraded 1.0 must have the same catalog (test/e2e/upgrade.sh).
\echo Use "ALTER EXTENSION booking UPDATE TO '1.1'" to load this file. \quit

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
