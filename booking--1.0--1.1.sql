-- booking 1.0 → 1.1 (ALTER EXTENSION booking UPDATE TO '1.1').
-- Every change to booking--1.1.sql is made here too, in the same commit: a fresh
-- 1.1 and an upgraded 1.0 must have the same catalog (test/e2e/upgrade.sh).
\echo Use "ALTER EXTENSION booking UPDATE TO '1.1'" to load this file. \quit

-- ==== Step Functions API (issue 18): lists and paging, activities, tags, versions, aliases ====
-- The HTTP endpoint (graphql/src/sfn) translates every action to these functions.
-- Paging is by key: a function returns at most max_results rows after the row
-- whose key the caller passes back (the endpoint wraps it in an opaque nextToken);
-- a key that names no row is InvalidToken.

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

-- An activity argument (ARN or name) → its row's id; ActivityDoesNotExist or InvalidArn
CREATE FUNCTION activity_id(activity text) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
DECLARE
    n text := activity;
    found bigint;
BEGIN
    IF activity LIKE 'arn:%' THEN
        IF split_part(activity, ':', 3) <> 'states' OR split_part(activity, ':', 6) <> 'activity'
           OR split_part(activity, ':', 7) = '' OR split_part(activity, ':', 8) <> '' THEN
            RAISE EXCEPTION 'InvalidArn: "%" is not an activity ARN', activity USING ERRCODE = 'invalid_parameter_value';
        END IF;
        n := split_part(activity, ':', 7);
    END IF;
    SELECT a.id INTO found FROM booking.activities a WHERE a.name = n;
    IF found IS NULL THEN
        RAISE EXCEPTION 'ActivityDoesNotExist: activity "%" does not exist', activity USING ERRCODE = 'undefined_object';
    END IF;
    RETURN found;
END $$;

CREATE FUNCTION sfn_list_state_machines(max_results integer DEFAULT NULL, after_name text DEFAULT NULL)
RETURNS TABLE (state_machine_arn text, name text, type text, creation_date timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM booking.check_page(max_results);
    IF after_name IS NOT NULL AND NOT EXISTS (SELECT FROM booking.state_machines m WHERE m.name = after_name) THEN
        PERFORM booking.invalid_token('state machine');
    END IF;
    RETURN QUERY
    SELECT m.arn, m.name, m.type, m.created FROM booking.state_machines m
     WHERE after_name IS NULL OR m.name > after_name
     ORDER BY m.name LIMIT max_results;
END $$;
COMMENT ON FUNCTION sfn_list_state_machines(integer, text) IS 'ListStateMachines: by name, max_results at a time after after_name';

CREATE FUNCTION sfn_describe_activity(activity text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT jsonb_build_object('activityArn', a.arn, 'name', a.name, 'creationDate', a.created)
      FROM booking.activities a WHERE a.id = booking.activity_id(activity)
$$;
COMMENT ON FUNCTION sfn_describe_activity(text) IS 'DescribeActivity''s shape: activityArn, name, creationDate';

CREATE FUNCTION sfn_list_activities(max_results integer DEFAULT NULL, after_name text DEFAULT NULL)
RETURNS TABLE (activity_arn text, name text, creation_date timestamptz)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM booking.check_page(max_results);
    IF after_name IS NOT NULL AND NOT EXISTS (SELECT FROM booking.activities a WHERE a.name = after_name) THEN
        PERFORM booking.invalid_token('activity');
    END IF;
    RETURN QUERY
    SELECT a.arn, a.name, a.created FROM booking.activities a
     WHERE after_name IS NULL OR a.name > after_name
     ORDER BY a.name LIMIT max_results;
END $$;
COMMENT ON FUNCTION sfn_list_activities(integer, text) IS 'ListActivities: by name, max_results at a time after after_name';

CREATE FUNCTION sfn_describe_state_machine_for_execution(execution text) RETURNS jsonb
LANGUAGE sql STABLE AS $$
    SELECT d || jsonb_build_object('updateDate', coalesce(v.created, m.created), 'revisionId', e.version::text)
              || CASE WHEN v.published_version IS NULL THEN '{}'::jsonb
                      ELSE jsonb_build_object('stateMachineVersionArn', m.arn || ':' || v.published_version) END
      FROM booking.executions e
      JOIN booking.state_machines m ON m.id = e.machine_id
      JOIN booking.state_machine_versions v ON v.machine_id = e.machine_id AND v.version = e.version,
           LATERAL booking.sfn_describe_state_machine(m.name) AS d0,
           LATERAL (SELECT d0 || jsonb_build_object('definition', v.definition)) AS x(d)
     WHERE e.id = booking.execution_id(execution)
$$;
COMMENT ON FUNCTION sfn_describe_state_machine_for_execution(text) IS
'DescribeStateMachineForExecution: the state machine with the definition (revision) the execution runs';

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
            machine_id := booking.state_machine_id(resource);
        EXCEPTION WHEN undefined_object THEN
            RAISE EXCEPTION 'ResourceNotFound: Resource not found: "%"', resource USING ERRCODE = 'undefined_object';
        END;
    ELSE
        RAISE EXCEPTION 'InvalidArn: "%" is not a state machine or activity ARN', resource USING ERRCODE = 'invalid_parameter_value';
    END IF;
END $$;

CREATE FUNCTION sfn_tag_resource(resource text, tags jsonb) RETURNS void
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
COMMENT ON FUNCTION sfn_tag_resource(text, jsonb) IS 'TagResource: adds or replaces tags ({"key": "value", …}); at most 50 per resource';

CREATE FUNCTION sfn_untag_resource(resource text, tag_keys text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    t record;
BEGIN
    SELECT * INTO t FROM booking.tag_target(resource);
    DELETE FROM booking.tags g
     WHERE g.machine_id IS NOT DISTINCT FROM t.machine_id AND g.activity_id IS NOT DISTINCT FROM t.activity_id
       AND g.key = ANY (tag_keys);
END $$;

CREATE FUNCTION sfn_list_tags_for_resource(resource text) RETURNS TABLE (key text, value text)
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
CREATE FUNCTION sfn_publish_state_machine_version(state_machine text, revision_id text DEFAULT NULL,
                                                  description text DEFAULT NULL)
RETURNS TABLE (version_arn text, creation_date timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    m booking.state_machines;
    v booking.state_machine_versions;
BEGIN
    SELECT * INTO m FROM booking.state_machines WHERE id = booking.state_machine_id(state_machine) FOR UPDATE;
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
           SET published_version = m.last_published, published = now(), description = sfn_publish_state_machine_version.description
         WHERE machine_id = m.id AND version = m.current_version
        RETURNING * INTO v;
    END IF;
    RETURN QUERY SELECT m.arn || ':' || v.published_version, v.published;
END $$;
COMMENT ON FUNCTION sfn_publish_state_machine_version(text, text, text) IS
'PublishStateMachineVersion: publishes the latest revision (once; again returns the same version), numbered 1, 2, … never reused';

CREATE FUNCTION sfn_list_state_machine_versions(state_machine text, max_results integer DEFAULT NULL,
                                                after_version integer DEFAULT NULL)
RETURNS TABLE (version_arn text, version integer, creation_date timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    mid bigint := booking.state_machine_id(state_machine);
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
COMMENT ON FUNCTION sfn_list_state_machine_versions(text, integer, integer) IS 'ListStateMachineVersions: newest first';

-- (machine id, published version) of a version ARN; InvalidArn when it is not one
CREATE FUNCTION version_target(version_arn text, OUT machine_id bigint, OUT version integer)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF version_arn NOT LIKE 'arn:%' OR split_part(version_arn, ':', 6) <> 'stateMachine'
       OR split_part(version_arn, ':', 8) !~ '^[1-9][0-9]{0,8}$' OR split_part(version_arn, ':', 9) <> '' THEN
        RAISE EXCEPTION 'InvalidArn: "%" is not a state machine version ARN', version_arn USING ERRCODE = 'invalid_parameter_value';
    END IF;
    machine_id := booking.state_machine_id(array_to_string((string_to_array(version_arn, ':'))[1:7], ':'));
    version := split_part(version_arn, ':', 8)::integer;
END $$;

CREATE FUNCTION sfn_delete_state_machine_version(version_arn text) RETURNS void
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
COMMENT ON FUNCTION sfn_delete_state_machine_version(text) IS
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
        mid := booking.state_machine_id(array_to_string((string_to_array(alias_arn, ':'))[1:7], ':'));
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

CREATE FUNCTION sfn_create_state_machine_alias(name text, routing jsonb, description text DEFAULT NULL)
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
    PERFORM FROM booking.state_machines WHERE id = r.machine_id FOR UPDATE;
    SELECT * INTO a FROM booking.state_machine_aliases x WHERE x.machine_id = r.machine_id AND x.name = sfn_create_state_machine_alias.name;
    IF a.id IS NOT NULL THEN
        -- as AWS: the same alias again is returned; a different one conflicts
        IF a.routing = r.compact AND a.description IS NOT DISTINCT FROM sfn_create_state_machine_alias.description THEN
            RETURN QUERY SELECT booking.alias_json(a)->>'stateMachineAliasArn', a.created;
            RETURN;
        END IF;
        RAISE EXCEPTION 'ConflictException: alias "%" exists with another routing or description', name
            USING ERRCODE = 'duplicate_object';
    END IF;
    IF (SELECT count(*) FROM booking.state_machine_aliases x WHERE x.machine_id = r.machine_id) >= 100 THEN
        RAISE EXCEPTION 'ServiceQuotaExceededException: a state machine has at most 100 aliases' USING ERRCODE = 'program_limit_exceeded';
    END IF;
    INSERT INTO booking.state_machine_aliases (machine_id, name, description, routing)
    VALUES (r.machine_id, sfn_create_state_machine_alias.name, sfn_create_state_machine_alias.description, r.compact)
    RETURNING * INTO a;
    RETURN QUERY SELECT booking.alias_json(a)->>'stateMachineAliasArn', a.created;
END $$;
COMMENT ON FUNCTION sfn_create_state_machine_alias(text, jsonb, text) IS
'CreateStateMachineAlias: routing [{stateMachineVersionArn, weight}] to one or two published versions, weights adding up to 100';

CREATE FUNCTION sfn_describe_state_machine_alias(alias_arn text) RETURNS jsonb
LANGUAGE sql STABLE AS $$ SELECT booking.alias_json(booking.alias_target(alias_arn)) $$;

CREATE FUNCTION sfn_update_state_machine_alias(alias_arn text, routing jsonb DEFAULT NULL, description text DEFAULT NULL)
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
           description = coalesce(sfn_update_state_machine_alias.description, x.description),
           updated = now()
     WHERE x.id = a.id;
    RETURN now();
END $$;

CREATE FUNCTION sfn_delete_state_machine_alias(alias_arn text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM booking.state_machine_aliases WHERE id = (booking.alias_target(alias_arn)).id;
EXCEPTION WHEN undefined_object THEN
    NULL;       -- as AWS: an alias that is gone is deleted already
END $$;

CREATE FUNCTION sfn_list_state_machine_aliases(state_machine text, max_results integer DEFAULT NULL,
                                               after_name text DEFAULT NULL)
RETURNS TABLE (alias_arn text, name text, creation_date timestamptz)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    mid bigint := booking.state_machine_id(state_machine);
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

-- the revision a published version number names (NULL when none)
CREATE FUNCTION published_revision(machine_id bigint, version integer) RETURNS integer
LANGUAGE sql STABLE AS $$
    SELECT v.version FROM booking.state_machine_versions v
     WHERE v.machine_id = published_revision.machine_id AND v.published_version = published_revision.version
$$;

-- the changed signatures (new optional parameters)
DROP FUNCTION sfn_create_state_machine(text, jsonb, jsonb, regrole, text);
DROP FUNCTION sfn_update_state_machine(text, jsonb, jsonb);
DROP FUNCTION sfn_start_sync(text, jsonb);
DROP FUNCTION sfn_list_executions(text, text);
DROP FUNCTION sfn_get_execution_history(text);
CREATE FUNCTION sfn_create_state_machine(
    name text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role regrole DEFAULT current_user::regrole,
    type text DEFAULT 'STANDARD',
    role_arn text DEFAULT NULL,
    publish boolean DEFAULT true,
    version_description text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_create_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_create_state_machine(text, jsonb, jsonb, regrole, text, text, boolean, text) IS 'CreateStateMachine: validates, applies ${Name} substitutions, stores revision 1 (published as version 1 unless publish is false), returns the ARN; role_arn is shown as roleArn, as given';

CREATE FUNCTION sfn_update_state_machine(
    state_machine text,
    definition jsonb,
    substitutions jsonb DEFAULT NULL,
    role_arn text DEFAULT NULL,
    publish boolean DEFAULT true,
    version_description text DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'sfn_update_state_machine'
LANGUAGE C VOLATILE;
COMMENT ON FUNCTION sfn_update_state_machine(text, jsonb, jsonb, text, boolean, text) IS 'UpdateStateMachine: a new immutable revision (when a definition is given), published as the next version unless publish is false; returns the version ARN, or the state machine ARN when not published';

CREATE FUNCTION sfn_start_sync(state_machine text, input jsonb DEFAULT '{}', name text DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'sfn_start_sync'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION sfn_start_sync(text, jsonb, text) IS'StartSyncExecution: runs the state machine to its end inside the call (Wait states sleep) and returns DescribeExecution''s shape.';

CREATE FUNCTION sfn_list_executions(state_machine text DEFAULT NULL, status text DEFAULT NULL,
                                    max_results integer DEFAULT NULL, after_execution text DEFAULT NULL,
                                    redrive_filter text DEFAULT NULL)
RETURNS SETOF execution_summary
LANGUAGE plpgsql STABLE AS $$
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
        SELECT e.start_date, e.id INTO after_start, after_id FROM booking.executions e
         WHERE e.arn = after_execution AND e.parent_id IS NULL;
        IF after_id IS NULL THEN
            RAISE EXCEPTION 'InvalidToken: the page token names no execution' USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    RETURN QUERY
    SELECT e.arn, m.arn, e.name, e.status, e.start_date, e.stop_date, e.redrive_count
      FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id
     WHERE e.parent_id IS NULL
       AND (sfn_list_executions.state_machine IS NULL
            OR e.machine_id = booking.state_machine_id(sfn_list_executions.state_machine))
       AND (sfn_list_executions.status IS NULL OR e.status = sfn_list_executions.status)
       AND (redrive_filter IS NULL OR (e.redrive_count > 0) = (redrive_filter = 'REDRIVEN'))
       AND (after_id IS NULL OR (e.start_date, e.id) < (after_start, after_id))
     ORDER BY e.start_date DESC, e.id DESC
     LIMIT max_results;
END $$;
COMMENT ON FUNCTION sfn_list_executions(text, text, integer, text, text) IS
'ListExecutions: newest first; max_results at a time, after the execution after_execution names';

CREATE FUNCTION sfn_get_execution_history(execution text, max_results integer DEFAULT NULL,
                                          after_event integer DEFAULT NULL, reverse_order boolean DEFAULT false)
RETURNS TABLE (id integer, type text, "timestamp" timestamptz, previous_event_id integer, details jsonb)
LANGUAGE sql STABLE AS $$
    SELECT * FROM (
        SELECT (row_number() OVER w)::integer AS id, e.event->>'type', (e.event->>'timestamp')::timestamptz,
               (row_number() OVER w - 1)::integer, e.event->'details'
          FROM booking.history h,
               jsonb_array_elements(h.events) WITH ORDINALITY AS e(event, n)
         WHERE h.execution_id = booking.execution_id(execution)
        WINDOW w AS (ORDER BY h.seq, e.n)) numbered
     WHERE after_event IS NULL OR CASE WHEN reverse_order THEN numbered.id < after_event ELSE numbered.id > after_event END
     ORDER BY CASE WHEN reverse_order THEN -numbered.id ELSE numbered.id END
     LIMIT max_results
$$;
COMMENT ON FUNCTION sfn_get_execution_history(text, integer, integer, boolean) IS
'GetExecutionHistory: events numbered from 1 in the order they were recorded; previous_event_id is the one before (0 for the first); max_results at a time after event after_event, newest first when reverse_order';
