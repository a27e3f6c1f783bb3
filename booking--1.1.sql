-- booking 1.1: Step Functions (Amazon States Language) workflows inside PostgreSQL.
\echo Use "CREATE EXTENSION booking" to load this file. \quit

-------------------------------------------------------------------------------
-- State machines and their immutable versions
-------------------------------------------------------------------------------

CREATE TABLE state_machines (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    arn             text NOT NULL UNIQUE,
    type            text NOT NULL DEFAULT 'STANDARD' CHECK (type IN ('STANDARD', 'EXPRESS')),
    role            regrole NOT NULL,
    -- Tasks run with this search_path (the creator's), whoever ticks: see task_run.c
    search_path     text NOT NULL DEFAULT current_setting('search_path'),
    current_version integer NOT NULL DEFAULT 1,
    created         timestamptz NOT NULL DEFAULT now(),
    updated         timestamptz
);
COMMENT ON TABLE state_machines IS 'State machines (CreateStateMachine); definitions live in state_machine_versions';

CREATE TABLE state_machine_versions (
    machine_id      bigint NOT NULL REFERENCES state_machines (id) ON DELETE CASCADE,
    version         integer NOT NULL CHECK (version > 0),
    definition      jsonb NOT NULL,
    substitutions   jsonb,
    created         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (machine_id, version)
);
COMMENT ON TABLE state_machine_versions IS 'Immutable definitions (substitutions applied); executions pin the version they started with';
COMMENT ON COLUMN state_machine_versions.definition IS 'the definition as run: DefinitionSubstitutions already applied';

-- Versions never change once written: executions rely on it.
CREATE FUNCTION forbid_version_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'state machine versions are immutable; use sfn_update_state_machine to publish a new one'
        USING ERRCODE = 'object_not_in_prerequisite_state';
END $$;
CREATE TRIGGER state_machine_versions_immutable
    BEFORE UPDATE ON state_machine_versions
    FOR EACH ROW EXECUTE FUNCTION forbid_version_update();

-------------------------------------------------------------------------------
-- Definitions
-------------------------------------------------------------------------------

CREATE FUNCTION sfn_validate(definition jsonb, substitutions jsonb DEFAULT NULL)
RETURNS TABLE (severity text, code text, location text, message text)
AS 'MODULE_PATHNAME', 'sfn_validate'
LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION sfn_validate(jsonb, jsonb) IS 'ValidateStateMachineDefinition: every problem at once, each with a JSON pointer; substitutions as sfn_create_state_machine applies them';

CREATE FUNCTION sfn_create_state_machine(
    name text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role regrole DEFAULT current_user::regrole,
    type text DEFAULT 'STANDARD')
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_create_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine(text, jsonb, jsonb, regrole, text) IS 'CreateStateMachine: validates, applies ${Name} substitutions, stores version 1, returns the ARN';

CREATE FUNCTION sfn_update_state_machine(
    state_machine text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_update_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_update_state_machine(text, jsonb, jsonb) IS 'UpdateStateMachine: publishes a new immutable version, returns its version ARN';

CREATE FUNCTION sfn_delete_state_machine(state_machine text)
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_delete_state_machine'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION sfn_describe_state_machine(state_machine text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sfn_describe_state_machine'
LANGUAGE C STRICT STABLE;
COMMENT ON FUNCTION sfn_describe_state_machine(text) IS 'DescribeStateMachine''s shape; a version ARN (…:stateMachine:NAME:N) describes that version';

-- This backend's compiled-machine cache and its memory: palloc'd (all memory
-- contexts) and malloc'd (json-c and the core allocate with malloc).
CREATE FUNCTION booking_backend_memory(
    OUT cached_machines integer, OUT context_bytes bigint, OUT malloc_bytes bigint)
AS 'MODULE_PATHNAME', 'booking_backend_memory'
LANGUAGE C STRICT VOLATILE;

-- ---------------------------------------------------------------------------
-- Running a whole execution inside one call
-- ---------------------------------------------------------------------------

CREATE FUNCTION sfn_start_sync(state_machine text, input jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sfn_start_sync'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION sfn_start_sync(text, jsonb) IS
'StartSyncExecution: runs the state machine to its end inside the call (Wait states sleep) and returns DescribeExecution''s shape.';

CREATE FUNCTION sfn_test_state(definition jsonb, state_name text DEFAULT NULL,
                               input jsonb DEFAULT '{}', variables jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sfn_test_state'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION sfn_test_state(jsonb, text, jsonb, jsonb) IS
'TestState at the DEBUG inspection level: runs one state of a machine (or a single state definition) once and returns status, output or error, nextState and inspectionData.';

-------------------------------------------------------------------------------
-- Executions, their history, and the timers that wake them
-------------------------------------------------------------------------------

CREATE TABLE executions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    arn             text,                   -- NULL for children; found by (machine_id, name)
    name            text,                   -- NULL for children
    machine_id      bigint NOT NULL,        -- state_machines (id); see executions_cascade below
    version         integer NOT NULL,
    status          text NOT NULL DEFAULT 'RUNNING',    -- RUNNING SUCCEEDED FAILED TIMED_OUT ABORTED
    input           jsonb NOT NULL,
    output          jsonb,
    error           text,
    cause           text,
    -- Map/Parallel children: the execution whose state started them, the
    -- branch (or item) index, and the top-level execution they belong to
    parent_id       bigint,
    root_id         bigint,
    branch_index    integer,
    -- where it stands: the core's position (state, raw input, variables, retries)
    state           text,
    document        jsonb,
    variables       jsonb,
    attempts        jsonb,
    entered_at      timestamptz,
    phase           text NOT NULL DEFAULT 'step',       -- step end task branches queued
    pending_events  jsonb,                  -- recorded when the timer fires (WaitStateExited)
    fanout          jsonb,                  -- phase branches: {map, tolerance, max_concurrency}
    due_at          timestamptz,            -- when a tick should advance it; NULL: not on a timer
    timeout_at      timestamptz,            -- the machine's TimeoutSeconds
    start_date      timestamptz NOT NULL DEFAULT clock_timestamp(),
    stop_date       timestamptz,
    redrive_count   integer NOT NULL DEFAULT 0,
    redrive_date    timestamptz,
    event_count     integer NOT NULL DEFAULT 0
);
COMMENT ON TABLE executions IS 'Executions (StartExecution) and the Map/Parallel children they run; each row is a position of the interpreter';
-- A name is unique per state machine (AWS keeps names for 90 days; here, for as long as the row).
CREATE UNIQUE INDEX executions_machine_name ON executions (machine_id, name) WHERE parent_id IS NULL;
-- A tick costs what is due, not what exists: only running executions on a timer are indexed.
CREATE INDEX executions_due ON executions (due_at) WHERE status = 'RUNNING' AND due_at IS NOT NULL;
CREATE INDEX executions_children ON executions (parent_id, branch_index) WHERE parent_id IS NOT NULL;
-- deleting an execution deletes its children (executions_cascade) through this index
CREATE INDEX executions_root ON executions (root_id) WHERE root_id IS NOT NULL;
CREATE INDEX executions_list ON executions (machine_id, start_date DESC) WHERE parent_id IS NULL;

CREATE TABLE history (
    execution_id    bigint NOT NULL,        -- the top-level execution; see executions_cascade
    seq             bigint GENERATED ALWAYS AS IDENTITY,
    events          jsonb NOT NULL,         -- [{type, timestamp, details}, …] in the order recorded
    PRIMARY KEY (execution_id, seq)
);
COMMENT ON TABLE history IS 'History events (GetExecutionHistory), one row per advance of an execution: a row per event would cost a heap and an index insert per event; ids are numbered per execution when read';

-- Activities (CreateActivity): workers outside the database claim their tasks.
CREATE TABLE activities (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    arn             text NOT NULL UNIQUE,
    created         timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE activities IS 'Activities (CreateActivity); their pending tasks are task_tokens rows with activity_id set';

-- One row per task token issued: a .waitForTaskToken task or an activity task
-- the execution parks on. The row stays once answered (status) so that a
-- second answer says TaskDoesNotExist and a late one TaskTimedOut.
CREATE TABLE task_tokens (
    token           text PRIMARY KEY,
    execution_id    bigint NOT NULL,        -- the row that parks (a Map/Parallel child too)
    state           text NOT NULL,          -- the Task state that issued it
    status          text NOT NULL DEFAULT 'open',   -- open succeeded failed timed_out closed
    activity_id     bigint,                 -- activity tasks: the queue; NULL for waitForTaskToken
    input           jsonb,                  -- activity tasks: what sfn_get_activity_task hands out
    worker_name     text,
    claimed_at      timestamptz,            -- activity tasks: when a worker took it
    heartbeat_seconds integer,              -- NULL: no HeartbeatSeconds
    heartbeat_at    timestamptz,            -- the last sign of life (issue, claim, heartbeat)
    timeout_at      timestamptz,            -- TimeoutSeconds' deadline; NULL: none
    created         timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE task_tokens IS 'Task tokens ($$.Task.Token) of executions parked on a callback or an activity';
CREATE INDEX task_tokens_execution ON task_tokens (execution_id);
-- sfn_get_activity_task takes the oldest unclaimed task of an activity
CREATE INDEX task_tokens_queue ON task_tokens (activity_id, created)
    WHERE status = 'open' AND claimed_at IS NULL AND activity_id IS NOT NULL;

-- Executions, their children and their history are written by this extension's
-- functions only, so their integrity is kept here rather than by foreign keys
-- and CHECK constraints: those cost a query (or an expression parse) per row
-- on every start and every history event, about a quarter of a start's time.
-- Deletes still cascade, a statement at a time.
CREATE FUNCTION executions_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM gone) THEN
        RETURN NULL;            -- statement triggers fire for no rows too: the recursion ends here
    END IF;
    IF TG_TABLE_NAME = 'state_machines' THEN
        DELETE FROM booking.executions WHERE machine_id IN (SELECT id FROM gone);
    ELSE
        -- a top-level execution's descendants all share its root_id; a child's, its id as parent
        DELETE FROM booking.executions WHERE root_id IN (SELECT id FROM gone);
        DELETE FROM booking.executions WHERE parent_id IN (SELECT id FROM gone);
        DELETE FROM booking.history WHERE execution_id IN (SELECT id FROM gone);
        DELETE FROM booking.task_tokens WHERE execution_id IN (SELECT id FROM gone);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER state_machines_cascade AFTER DELETE ON state_machines
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION executions_cascade();
CREATE TRIGGER executions_cascade AFTER DELETE ON executions
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION executions_cascade();

-- Resolvers for the SQL-language API: an ARN or a name → id, or an ERROR
-- (ExecutionDoesNotExist / StateMachineDoesNotExist / InvalidArn).
CREATE FUNCTION execution_id(execution text) RETURNS bigint
AS 'MODULE_PATHNAME', 'booking_execution_id' LANGUAGE C STRICT STABLE;
CREATE FUNCTION state_machine_id(state_machine text) RETURNS bigint
AS 'MODULE_PATHNAME', 'booking_state_machine_id' LANGUAGE C STRICT STABLE;

CREATE FUNCTION sfn_start(state_machine text, input jsonb DEFAULT '{}', name text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_start'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_start(text, jsonb, text) IS
'StartExecution: creates the execution in the caller''s transaction and runs it until it ends or parks; returns the execution ARN.';

CREATE FUNCTION sfn_tick(max_executions integer DEFAULT 1000)
RETURNS integer
AS 'MODULE_PATHNAME', 'sfn_tick'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_tick(integer) IS
'Advances executions whose timer is due (FOR UPDATE SKIP LOCKED, each in its own subtransaction); returns how many.';

CREATE FUNCTION sfn_describe_execution(execution text)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sfn_describe_execution'
LANGUAGE C STABLE;

CREATE FUNCTION sfn_stop_execution(execution text, error text DEFAULT NULL, cause text DEFAULT NULL)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'sfn_stop_execution'
LANGUAGE C VOLATILE;

CREATE FUNCTION sfn_redrive_execution(execution text)
RETURNS timestamptz
AS 'MODULE_PATHNAME', 'sfn_redrive_execution'
LANGUAGE C VOLATILE;

CREATE TYPE execution_summary AS (
    execution_arn text, state_machine_arn text, name text, status text,
    start_date timestamptz, stop_date timestamptz, redrive_count integer);

CREATE FUNCTION sfn_list_executions(state_machine text DEFAULT NULL, status text DEFAULT NULL)
RETURNS SETOF execution_summary
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF status IS NOT NULL AND status NOT IN ('RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED') THEN
        RAISE EXCEPTION 'status must be RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED, not "%"', status
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT e.arn, m.arn, e.name, e.status, e.start_date, e.stop_date, e.redrive_count
      FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id
     WHERE e.parent_id IS NULL
       AND (sfn_list_executions.state_machine IS NULL
            OR e.machine_id = booking.state_machine_id(sfn_list_executions.state_machine))
       AND (sfn_list_executions.status IS NULL OR e.status = sfn_list_executions.status)
     ORDER BY e.start_date DESC, e.id DESC;
END $$;
COMMENT ON FUNCTION sfn_list_executions(text, text) IS 'ListExecutions: newest first';

CREATE FUNCTION sfn_get_execution_history(execution text)
RETURNS TABLE (id integer, type text, "timestamp" timestamptz, previous_event_id integer, details jsonb)
LANGUAGE sql STABLE AS $$
    SELECT (row_number() OVER w)::integer, e.event->>'type', (e.event->>'timestamp')::timestamptz,
           (row_number() OVER w - 1)::integer, e.event->'details'
      FROM booking.history h,
           jsonb_array_elements(h.events) WITH ORDINALITY AS e(event, n)
     WHERE h.execution_id = booking.execution_id(execution)
    WINDOW w AS (ORDER BY h.seq, e.n)
     ORDER BY h.seq, e.n
$$;
COMMENT ON FUNCTION sfn_get_execution_history(text) IS
'GetExecutionHistory: events numbered from 1 in the order they were recorded; previous_event_id is the one before (0 for the first)';

-- ---- tasks: callbacks and activities ----

CREATE FUNCTION sfn_send_task_success(task_token text, output jsonb)
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_send_task_success'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_success(text, jsonb) IS
  'SendTaskSuccess: the task of this token succeeded with output; its execution goes on in the caller''s transaction';

CREATE FUNCTION sfn_send_task_failure(task_token text, error text DEFAULT NULL, cause text DEFAULT NULL)
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_send_task_failure'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_failure(text, text, text) IS
  'SendTaskFailure: the task of this token failed with error and cause (Retry and Catch apply)';

CREATE FUNCTION sfn_send_task_heartbeat(task_token text)
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_send_task_heartbeat'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_send_task_heartbeat(text) IS
  'SendTaskHeartbeat: the task is alive; its HeartbeatSeconds start again';

CREATE FUNCTION sfn_create_activity(name text)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_create_activity'
LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION sfn_create_activity(text) IS
  'CreateActivity: returns the activity ARN; creating an existing one returns its ARN again';

CREATE FUNCTION sfn_delete_activity(activity text)
RETURNS void
AS 'MODULE_PATHNAME', 'sfn_delete_activity'
LANGUAGE C STRICT VOLATILE;

CREATE FUNCTION sfn_get_activity_task(activity text, worker_name text DEFAULT NULL)
RETURNS TABLE (task_token text, input jsonb)
AS 'MODULE_PATHNAME', 'sfn_get_activity_task'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_get_activity_task(text, text) IS
  'GetActivityTask: claims the oldest waiting task of the activity (SKIP LOCKED); no row when there is none';

-- A Lambda-style task's own function raises a named ASL error with this
-- (SQLSTATE SF001: message = Error, detail = Cause); Retry and Catch match it.
CREATE FUNCTION raise_task_error(error text, cause text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'SF001', MESSAGE = error, DETAIL = coalesce(cause, '');
END $$;
COMMENT ON FUNCTION raise_task_error(text, text) IS
  'Fails the running Task with this ASL error name and cause (SQLSTATE SF001)';

-------------------------------------------------------------------------------
-- Timers: the background workers and pg_cron (docs/scheduling.md)
-------------------------------------------------------------------------------

-- The timer workers running (booking in shared_preload_libraries): when each
-- looks at the tables next (NULL while it ticks), how often it has slept and
-- how many of those sleeps a wake-up (a commit scheduling an earlier timer)
-- ended rather than its timeout.
CREATE FUNCTION timer_workers(
    OUT pid integer, OUT slot integer, OUT database text,
    OUT sleeping_until timestamptz, OUT sleeps bigint, OUT woken bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'booking_timer_workers'
LANGUAGE C STRICT VOLATILE;
COMMENT ON FUNCTION timer_workers() IS
'The timer background workers: pid, slot, database, when each looks next (NULL: ticking), sleeps and sleeps ended by a wake-up';

-- Where the workers can't run: tick for `seconds`, committing after every
-- tick, sleeping between ticks until the earliest timer that is due but at
-- most `poll` seconds (timers created meanwhile fire within that). Debian's
-- pg_cron 1.4 schedules by the minute:
--   SELECT cron.schedule('booking-tick', '* * * * *', 'CALL booking.tick_for(59)');
-- CALL it outside a transaction block (it commits).
CREATE PROCEDURE tick_for(seconds double precision DEFAULT 59,
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
        SELECT min(due_at) INTO next_due FROM booking.executions
         WHERE status = 'RUNNING' AND due_at IS NOT NULL
           AND (advanced > 0 OR due_at > clock_timestamp());
        pause := least(poll, extract(epoch FROM stop_at - clock_timestamp()),
                       coalesce(extract(epoch FROM next_due - clock_timestamp()), poll));
        IF pause > 0 THEN
            PERFORM pg_sleep(pause);
        END IF;
    END LOOP;
END $$;
COMMENT ON PROCEDURE tick_for(double precision, double precision, integer) IS
'Ticks for this many seconds, committing after each tick and sleeping until the next timer (poll seconds at most): for pg_cron where the timer workers can''t run';

-------------------------------------------------------------------------------
-- JSONata
-------------------------------------------------------------------------------

CREATE FUNCTION jsonata(expression text, input jsonb DEFAULT NULL, bindings jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_jsonata'
LANGUAGE C VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION jsonata(text, jsonb, jsonb) IS
'Evaluates a JSONata 2.0.6 expression against input (NULL: undefined) with bindings as $variables; undefined is NULL; an error is an ERROR whose message starts with the JSONata code and names the position.';

-- a pure computation over its arguments, run as the caller: anyone may use it
GRANT EXECUTE ON FUNCTION jsonata(text, jsonb, jsonb) TO PUBLIC;
