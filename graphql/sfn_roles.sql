-- sfn_roles.sql — the roles of the Step Functions API endpoint (graphql/src/sfn).
-- Applied (idempotently) by graphql/start.sh and graphql/test/run.sh, as a
-- superuser, in the database the endpoint serves, after the extension.
--
-- booking_sfn logs in (BOOKING_SFN_DATABASE_URL) and can do nothing by itself
-- (NOINHERIT): every request runs SET LOCAL ROLE to the role it is —
-- booking_sfn_client for requests with any credentials (the default), or the
-- role a SigV4 key pair maps to (BOOKING_SFN_KEYS). booking_sfn may switch only
-- to the roles granted to it here.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_sfn') THEN
        CREATE ROLE booking_sfn LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_sfn_client') THEN
        CREATE ROLE booking_sfn_client NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT;
    END IF;
END $$;
COMMENT ON ROLE booking_sfn IS 'booking''s Step Functions API endpoint (graphql/src/sfn): logs in, switches to the role of each request';
COMMENT ON ROLE booking_sfn_client IS 'requests to the Step Functions API endpoint with any credentials (its default role)';

DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO booking_sfn', current_database()); END $$;

-- booking_sfn_client uses booking as any application role does: through
-- booking_user (it owns what it creates, and uses what was granted to it)
GRANT booking_user TO booking_sfn_client;

-- the application's workflows (app/load.sql, when loaded): clients of the endpoint
-- may start them, read them, stop and redrive them, and answer their callbacks;
-- managing them stays their owner's
DO $$
DECLARE
    m text;
BEGIN
    FOR m IN SELECT name FROM booking.visible_state_machines
              WHERE name IN ('apartment_console', 'booking_step_function', 'reserve_apartment',
                             'reserve_apartment_callback')
    LOOP
        PERFORM booking.sfn_grant(m, 'booking_sfn_client', ARRAY['START', 'READ', 'STOP', 'ANSWER']);
    END LOOP;
END $$;

SET client_min_messages = warning;
GRANT booking_sfn_client TO booking_sfn;
RESET client_min_messages;
