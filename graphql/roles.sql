-- roles.sql — the role the GraphQL server connects as: only what the API needs.
-- Applied (idempotently) by graphql/start.sh and graphql/test/run.sh, as a
-- superuser, in the database the server serves, after the extension, the
-- application (app/load.sql) and graphql/api.sql.
--
-- Writes go through the application's functions: record_payment writes rows as
-- its owner (SECURITY DEFINER); add_step_function and reserve_apartment start
-- executions as this role, which booking lets start only the state machines
-- granted to it below (booking_user and sfn_grant: docs/security.md). It has no
-- right on booking's tables: the views it reads show what it may READ.
--
-- Roles a JWT may name (its "role" claim: the request runs SET LOCAL ROLE to it,
-- src/auth.mjs) are at the end: booking_guest, read-only.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_graphql') THEN
        CREATE ROLE booking_graphql LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
    END IF;
END $$;
COMMENT ON ROLE booking_graphql IS 'booking''s GraphQL server (graphql/): reads the exposed tables, executes the application''s functions';

DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO booking_graphql', current_database()); END $$;

GRANT USAGE ON SCHEMA booking_app, booking_api TO booking_graphql;

-- booking: a user of the API, which may start and read the application's
-- workflows, and nothing else (addStepFunction can start only these). The role
-- is NOINHERIT, so booking_user's own grants (EXECUTE on the API, SELECT on the
-- views) do not reach it: it gets those it uses directly.
GRANT booking_user TO booking_graphql;
GRANT EXECUTE ON FUNCTION booking.sfn_start(text, jsonb, text), booking.sfn_describe_execution(text) TO booking_graphql;
GRANT SELECT ON booking.visible_executions, booking.visible_state_machines TO booking_graphql;
DO $$
BEGIN
    PERFORM booking.sfn_grant(s.name, 'booking_graphql', ARRAY['START', 'READ'])
       FROM booking.state_machines s
      WHERE s.name IN ('booking_step_function', 'apartment_console', 'reserve_apartment',
                       'reserve_apartment_callback', 'reserve_apartment_jsonata');
END $$;

-- the application's tables, read-only
GRANT SELECT ON booking_app.apartments, booking_app.payments TO booking_graphql;

-- state machines and executions, read-only, through the views of api.sql (none of
-- booking's own tables)
GRANT SELECT ON booking_api.state_machines, booking_api.state_machine_versions, booking_api.executions
    TO booking_graphql;

-- the application's functions (whatever their optional parameters): the article's
-- two, reserve, pay, and the apartments' booking state
DO $$
DECLARE
    wanted text[] := ARRAY['add_step_function', 'get_step_functions', 'reserve_apartment',
                           'record_payment', 'list_apartments'];
    required text[] := ARRAY['add_step_function', 'get_step_functions', 'reserve_apartment',
                             'record_payment'];
    missing text[];
    f regprocedure;
BEGIN
    SELECT array_agg(r) INTO missing FROM unnest(required) r
     WHERE NOT EXISTS (SELECT FROM pg_proc p
                        WHERE p.pronamespace = 'booking_app'::regnamespace AND p.proname = r);
    IF missing IS NOT NULL THEN
        RAISE EXCEPTION 'booking_app lacks the functions the GraphQL API needs: %', missing;
    END IF;
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'booking_app'::regnamespace AND p.proname = ANY (wanted)
    LOOP
        -- only the roles granted here run them: PostgreSQL grants EXECUTE on a new
        -- function to PUBLIC, so any role with USAGE on booking_app (a JWT role
        -- below, booking_workflow) could otherwise reserve and pay
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO booking_graphql', f);
    END LOOP;
END $$;

-- ---- roles for JWTs ----
-- A request with a valid JWT runs as the role its "role" claim names (SET LOCAL
-- ROLE in the request's transaction; its claims as current_setting('jwt.claims.<name>', true),
-- for row-level security). SET ROLE needs the login role, booking_graphql, to be
-- a member of that role: GRANT <role> TO booking_graphql. booking_graphql is
-- NOINHERIT, so the membership lets it switch to the role without adding the
-- role's rights to its own. A token naming a role it is not a member of is
-- refused (403).
--
-- The GraphQL schema is built from booking_graphql's rights: a JWT role sees the
-- same schema, and what its rights do not cover fails with "permission denied"
-- (SQLSTATE 42501) when asked for. So give a JWT role a subset of booking_graphql's
-- rights (a right booking_graphql lacks has no field in the schema to use it).
--
-- To add a role: CREATE ROLE … NOLOGIN NOINHERIT, GRANT USAGE ON SCHEMA
-- booking_app, booking_api and the SELECT / EXECUTE it needs (from the lists
-- above), then GRANT it TO booking_graphql — here, so that start.sh and the tests
-- apply it.

-- booking_guest: browses — apartments (and their booking state), state machines
-- and executions, the article's getStepFunctions — but cannot reserve, pay, start
-- executions (addStepFunction) or read payments.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_guest') THEN
        CREATE ROLE booking_guest NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
    END IF;
END $$;
COMMENT ON ROLE booking_guest IS 'booking''s GraphQL API for a JWT with "role": "booking_guest": read-only, no reservations or payments';

GRANT USAGE ON SCHEMA booking_app, booking_api TO booking_guest;
GRANT SELECT ON booking_app.apartments TO booking_guest;
-- reads the application's workflows and their executions, starts none
GRANT booking_user TO booking_guest;
GRANT SELECT ON booking.visible_executions, booking.visible_state_machines TO booking_guest;
DO $$
BEGIN
    PERFORM booking.sfn_grant(s.name, 'booking_guest', ARRAY['READ'])
       FROM booking.state_machines s
      WHERE s.name IN ('booking_step_function', 'apartment_console', 'reserve_apartment',
                       'reserve_apartment_callback', 'reserve_apartment_jsonata');
END $$;
GRANT SELECT ON booking_api.state_machines, booking_api.state_machine_versions, booking_api.executions
    TO booking_guest;
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
              WHERE p.pronamespace = 'booking_app'::regnamespace
                AND p.proname = ANY (ARRAY['get_step_functions', 'list_apartments'])
    LOOP
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO booking_guest', f);
    END LOOP;
END $$;

-- booking_graphql may SET ROLE booking_guest (quietly when it already may)
SET client_min_messages = warning;
GRANT booking_guest TO booking_graphql;
RESET client_min_messages;

-- ---- booking_metrics: the /metrics route (src/metrics.mjs) ----
-- Its own login, apart from booking_graphql: a member of pg_monitor, which
-- reads booking's monitoring views (booking.metrics, booking.monitor_*) and
-- nothing else of booking's; no right on the application at all. INHERIT, so
-- pg_monitor's rights are its own without SET ROLE.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_metrics') THEN
        CREATE ROLE booking_metrics LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
    END IF;
END $$;
COMMENT ON ROLE booking_metrics IS 'booking''s /metrics route (graphql/): reads booking''s monitoring views through pg_monitor';
DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO booking_metrics', current_database()); END $$;
SET client_min_messages = warning;
GRANT pg_monitor TO booking_metrics;
RESET client_min_messages;
