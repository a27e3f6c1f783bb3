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
    root_id         bigint NOT NULL,        -- the top-level execution; see history_counts_cascade
    slot            integer NOT NULL,       -- the counting backend's id
    events          integer NOT NULL,
    PRIMARY KEY (root_id, slot)
);
COMMENT ON TABLE history_counts IS 'History events of an execution counted beside its row (its iterations), one row per counting backend; added into executions.event_count when the iterations are collected';
CREATE FUNCTION history_counts_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM booking.history_counts WHERE root_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
CREATE TRIGGER history_counts_cascade AFTER DELETE ON executions
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION history_counts_cascade();
