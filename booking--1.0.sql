-- booking 1.0: Step Functions (Amazon States Language) workflows inside PostgreSQL.
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
