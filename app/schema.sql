-- app/schema.sql — the apartment booking application (the article's system) in Postgres.
--
-- Tables the workflows read and write through the DynamoDB integration, the role
-- the workflows run as, and the SQL functions the application and its GraphQL
-- front call. Loaded after CREATE EXTENSION booking, by app/load.sql (which also
-- deploys the state machines). Re-runnable: it drops and recreates the schema.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS booking_app CASCADE;
CREATE SCHEMA booking_app;
COMMENT ON SCHEMA booking_app IS 'The apartment booking application: apartments, payments, and the functions that start and pay reservations';

-- The workflows run as this role (their execution role): it may read and update
-- apartments, and nothing else, whoever starts or ticks them.
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'booking_workflow') THEN
        CREATE ROLE booking_workflow NOLOGIN;
    END IF;
END $$;

-- The SAM application's table (SamStepFunctionsTable: "a DynamoDB with a single
-- primary key of ID"). Attribute names are column names, exactly: "Id" and
-- "bookedStatus" are the ones the article's ASL reads and writes.
CREATE TABLE booking_app.apartments (
    "Id"             text PRIMARY KEY,
    name             text NOT NULL,
    city             text NOT NULL,
    address          text,
    bedrooms         integer NOT NULL DEFAULT 1 CHECK (bedrooms >= 0),
    price_per_night  numeric(10, 2) NOT NULL CHECK (price_per_night >= 0),
    currency         text NOT NULL DEFAULT 'EUR',
    -- VACANT → RESERVED → PAID (booking's workflows); the article's SAM workflow
    -- writes "Booked" and "PENDING" and looks for "Paid"
    "bookedStatus"   text NOT NULL DEFAULT 'VACANT',
    guest            text,
    "reservedUntil"  timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE booking_app.apartments IS 'Apartments; workflows update "bookedStatus", guest and "reservedUntil" through the DynamoDB integration';

CREATE FUNCTION booking_app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;
CREATE TRIGGER apartments_touch BEFORE UPDATE ON booking_app.apartments
    FOR EACH ROW EXECUTE FUNCTION booking_app.touch();

-- The article's first definition was built in the Step Functions console against a
-- table its author created there, apartment_workshop_db (key Id, attribute status).
-- Its definition names it literally, so it gets that table, as it did on AWS.
CREATE TABLE booking_app.apartment_workshop_db (
    "Id"     text PRIMARY KEY,
    status   text
);
COMMENT ON TABLE booking_app.apartment_workshop_db IS 'The table the article''s console-built workflow names literally';

CREATE TABLE booking_app.payments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "apartmentId"   text NOT NULL REFERENCES booking_app.apartments ("Id"),
    guest           text NOT NULL,
    amount          numeric(10, 2) NOT NULL CHECK (amount > 0),
    paid_at         timestamptz NOT NULL DEFAULT now(),
    execution_arn   text
);
COMMENT ON TABLE booking_app.payments IS 'Payments recorded by booking_app.record_payment';

-- Callback reservations waiting for their payment: the task token to answer.
CREATE TABLE booking_app.awaited_payments (
    "apartmentId"   text PRIMARY KEY REFERENCES booking_app.apartments ("Id"),
    guest           text NOT NULL,
    task_token      text NOT NULL,
    since           timestamptz NOT NULL DEFAULT now()
);

GRANT USAGE ON SCHEMA booking_app TO booking_workflow;
GRANT SELECT, UPDATE ON booking_app.apartments, booking_app.apartment_workshop_db TO booking_workflow;
GRANT SELECT, INSERT, UPDATE, DELETE ON booking_app.awaited_payments TO booking_workflow;

-- The callback workflow's "Await Payment" task (lambda:invoke.waitForTaskToken):
-- remembers the token for record_payment.
CREATE FUNCTION booking_app.await_payment(request jsonb) RETURNS jsonb
LANGUAGE sql SET search_path = pg_catalog AS $$
    INSERT INTO booking_app.awaited_payments ("apartmentId", guest, task_token)
    VALUES (request->>'apartmentId', request->>'guest', request->>'token')
    ON CONFLICT ("apartmentId") DO UPDATE SET guest = EXCLUDED.guest, task_token = EXCLUDED.task_token,
                                             since = now()
    RETURNING jsonb_build_object('awaiting', "apartmentId", 'since', since)
$$;
GRANT EXECUTE ON FUNCTION booking_app.await_payment(jsonb) TO booking_workflow;

-- ---- the application's functions ----
-- Starting a workflow runs as the caller (SECURITY INVOKER): booking checks that
-- the caller may START the state machine (sfn_grant), so an API role starts only
-- what it was granted. The others are SECURITY DEFINER with a pinned search_path:
-- they write the application's tables as their owner.

-- Reserves an apartment for guest: starts the reservation workflow, which holds
-- the apartment for payment_window_seconds. Returns the execution ARN. The
-- execution runs inline: when the apartment is not vacant or does not exist it
-- fails at once, and so does this call, with the workflow's error and cause
-- (Apartment.NotVacant: SQLSTATE 55000, Apartment.NotFound: P0002; anything else
-- P0001), so that no caller takes a refused reservation for a held one.
CREATE FUNCTION booking_app.reserve_apartment(apartment_id text, guest text,
                                              payment_window_seconds integer DEFAULT 60,
                                              pay_by_callback boolean DEFAULT false,
                                              execution_name text DEFAULT NULL)
RETURNS text LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog AS $$
DECLARE
    arn text;
    outcome jsonb;
BEGIN
    IF apartment_id IS NULL OR guest IS NULL OR payment_window_seconds IS NULL THEN
        RAISE EXCEPTION 'apartment_id, guest and payment_window_seconds must not be null'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF payment_window_seconds < 1 OR payment_window_seconds > 31536000 THEN
        RAISE EXCEPTION 'payment_window_seconds must be between 1 and 31536000, not %', payment_window_seconds
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    arn := booking.sfn_start(
        CASE WHEN pay_by_callback THEN 'reserve_apartment_callback' ELSE 'reserve_apartment' END,
        jsonb_build_object('apartmentId', apartment_id, 'guest', guest,
                           'paymentWindowSeconds', payment_window_seconds,
                           'reservedUntil', to_char((now() + make_interval(secs => payment_window_seconds)) AT TIME ZONE 'UTC',
                                                    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        execution_name);
    outcome := booking.sfn_describe_execution(arn);
    IF outcome->>'status' IN ('FAILED', 'TIMED_OUT', 'ABORTED') THEN
        RAISE EXCEPTION '%: %', coalesce(outcome->>'error', outcome->>'status'), coalesce(outcome->>'cause', '')
            USING ERRCODE = CASE outcome->>'error' WHEN 'Apartment.NotVacant' THEN 'object_not_in_prerequisite_state'
                                                   WHEN 'Apartment.NotFound' THEN 'no_data_found'
                                                   ELSE 'raise_exception' END,
                  DETAIL = 'The reservation was refused; nothing was reserved.';
    END IF;
    RETURN arn;
END $$;

-- Records a payment for the apartment's reservation. A callback reservation goes on
-- at once (its task token is answered in this transaction); a polling one finds the
-- apartment PAID when its window ends.
CREATE FUNCTION booking_app.record_payment(apartment_id text, amount numeric)
RETURNS booking_app.payments LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
    apt booking_app.apartments;
    awaited booking_app.awaited_payments;
    paid booking_app.payments;
BEGIN
    SELECT * INTO apt FROM booking_app.apartments a WHERE a."Id" = apartment_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'there is no apartment %', apartment_id USING ERRCODE = 'no_data_found';
    END IF;
    IF apt."bookedStatus" <> 'RESERVED' THEN
        RAISE EXCEPTION 'apartment % is %, not RESERVED: there is no reservation to pay', apartment_id, apt."bookedStatus"
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    DELETE FROM booking_app.awaited_payments w WHERE w."apartmentId" = apartment_id RETURNING * INTO awaited;
    INSERT INTO booking_app.payments ("apartmentId", guest, amount)
    VALUES (apartment_id, apt.guest, amount) RETURNING * INTO paid;
    IF awaited.task_token IS NOT NULL THEN
        PERFORM booking.sfn_send_task_success(awaited.task_token,
            jsonb_build_object('paymentId', paid.id, 'amount', paid.amount, 'paidAt', paid.paid_at));
    ELSE
        UPDATE booking_app.apartments a SET "bookedStatus" = 'PAID' WHERE a."Id" = apartment_id;
    END IF;
    RETURN paid;
END $$;

-- Apartments with their booking state: the latest reservation execution, if any.
CREATE FUNCTION booking_app.list_apartments()
RETURNS TABLE ("Id" text, name text, city text, price_per_night numeric, "bookedStatus" text,
               guest text, "reservedUntil" timestamptz, execution_arn text, execution_status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog AS $$
    SELECT a."Id", a.name, a.city, a.price_per_night, a."bookedStatus", a.guest, a."reservedUntil",
           e.arn, e.status
      FROM booking_app.apartments a
      LEFT JOIN LATERAL (
            SELECT x.arn, x.status FROM booking.executions x
              JOIN booking.state_machines m ON m.id = x.machine_id
             WHERE m.name IN ('reserve_apartment', 'reserve_apartment_callback', 'reserve_apartment_jsonata')
               AND x.parent_id IS NULL AND x.input->>'apartmentId' = a."Id"
             -- the reservation that holds it, when one does; else the latest attempt
             ORDER BY (x.input->>'guest' IS NOT DISTINCT FROM a.guest) DESC, x.start_date DESC LIMIT 1) e ON true
     ORDER BY a."Id"
$$;

-- Puts the demo back as app/seed.sql left it: every apartment VACANT with no guest
-- (the article's workflows leave 1234567 "Booked" or "paid"), no payment awaited,
-- and the reservation workflows still running stopped, so that none changes an
-- apartment afterwards. Payments and ended executions are kept. For the database
-- owner (no API role is granted it): SELECT booking_app.reset_demo();
CREATE FUNCTION booking_app.reset_demo() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
    stopped integer := 0;
    running record;
BEGIN
    FOR running IN
        SELECT e.arn FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id
         WHERE m.name IN ('apartment_console', 'booking_step_function', 'reserve_apartment',
                          'reserve_apartment_callback', 'reserve_apartment_jsonata')
           AND e.parent_id IS NULL AND e.status = 'RUNNING'
    LOOP
        PERFORM booking.sfn_stop_execution(running.arn, 'Demo.Reset', 'booking_app.reset_demo()');
        stopped := stopped + 1;
    END LOOP;
    DELETE FROM booking_app.awaited_payments;
    UPDATE booking_app.apartments SET "bookedStatus" = 'VACANT', guest = NULL, "reservedUntil" = NULL;
    UPDATE booking_app.apartment_workshop_db SET status = 'vacant';
    RETURN stopped;
END $$;
REVOKE EXECUTE ON FUNCTION booking_app.reset_demo() FROM PUBLIC;
COMMENT ON FUNCTION booking_app.reset_demo() IS
'Every apartment VACANT again, no payment awaited, running reservation workflows stopped; returns how many were stopped';

-- ---- the article's GraphQL schema, as SQL (graphql/ maps these to its names) ----

CREATE TYPE booking_app.step_function AS (id text, arn text);

-- addStepFunction(input: {id, arn}): starts an execution named id of state machine
-- arn, as the article's Lambda resolver did, with the input it hard-coded unless
-- another is given.
CREATE FUNCTION booking_app.add_step_function(id text, arn text, input jsonb DEFAULT NULL)
RETURNS booking_app.step_function LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog AS $$
BEGIN
    PERFORM booking.sfn_start(arn,
        coalesce(input, '{"details": {"accountId": "1234567", "bookedStatus": "Booked"}}'::jsonb), id);
    RETURN ROW(id, arn)::booking_app.step_function;
END $$;

-- getStepFunctions: the executions the caller may READ, as {id: execution name,
-- arn: state machine ARN}.
CREATE FUNCTION booking_app.get_step_functions()
RETURNS SETOF booking_app.step_function LANGUAGE sql STABLE SECURITY INVOKER SET search_path = pg_catalog AS $$
    SELECT e.name, m.arn FROM booking.visible_executions e JOIN booking.visible_state_machines m ON m.id = e.machine_id
     ORDER BY e.start_date, e.id
$$;
