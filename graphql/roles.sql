-- roles.sql — the role the GraphQL server connects as: only what the API needs.
-- Applied (idempotently) by graphql/start.sh and graphql/test/run.sh, as a
-- superuser, in the database the server serves, after the extension, the
-- application (app/load.sql) and graphql/api.sql.
--
-- Writes go through the application's functions (SECURITY DEFINER: they start
-- executions and write rows as their owner); this role itself can only read
-- the exposed tables and views and execute those functions. It has no right on
-- the extension's schema booking at all.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_graphql') THEN
        CREATE ROLE booking_graphql LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
    END IF;
END $$;
COMMENT ON ROLE booking_graphql IS 'booking''s GraphQL server (graphql/): reads the exposed tables, executes the application''s functions';

DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO booking_graphql', current_database()); END $$;

GRANT USAGE ON SCHEMA booking_app, booking_api TO booking_graphql;

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
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO booking_graphql', f);
    END LOOP;
END $$;
