-- The apartment booking application (app/): every path of the article's two
-- definitions, run as AWS runs them, and of booking's own two workflows.
-- Payment windows are not waited out: a test makes the timer due and ticks.
\set ECHO none
\set QUIET on
-- the state_machines suite deployed the article's machines its own way: start afresh
SELECT count(booking.sfn_delete_state_machine(name)) FROM booking.state_machines
 WHERE name IN ('apartment_console', 'booking_step_function', 'reserve_apartment', 'reserve_apartment_callback',
                'reserve_apartment_jsonata') \gset
\i app/load.sql
\set QUIET off
\set ON_ERROR_STOP off
\set ECHO all
SET client_min_messages = warning;

-- makes an execution's timer due now and ticks it
CREATE FUNCTION pg_temp.fire(execution text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    UPDATE booking.executions SET due_at = clock_timestamp() - interval '1 millisecond'
     WHERE id = booking.execution_id(execution) AND status = 'RUNNING';
    PERFORM booking.sfn_tick();
    RETURN (SELECT status FROM booking.executions WHERE id = booking.execution_id(execution));
END $$;
CREATE FUNCTION pg_temp.outcome(execution text) RETURNS TABLE (status text, error text, cause text, output jsonb)
LANGUAGE sql AS $$
    SELECT d->>'status', d->>'error', d->>'cause', d->'output' FROM booking.sfn_describe_execution(execution) d $$;
CREATE FUNCTION pg_temp.states(execution text) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(details #>> '{stateEnteredEventDetails,name}', ' → ' ORDER BY id)
      FROM booking.sfn_get_execution_history(execution) WHERE type LIKE '%StateEntered' $$;

SELECT name, role, search_path FROM booking.state_machines
 WHERE name IN ('apartment_console', 'booking_step_function', 'reserve_apartment', 'reserve_apartment_callback',
                'reserve_apartment_jsonata') ORDER BY name;

-- ==== the article's console definition (apartment_console) ====
-- paid: the status is "paid" when the Wait ends, for the one apartment its Choice names
SELECT booking.sfn_start('apartment_console', '{"input": {"apartmentId": "1234567", "status": "paid"}}', 'console-paid') IS NOT NULL AS started;
SELECT "Id", status FROM booking_app.apartment_workshop_db;
SELECT pg_temp.fire('console-paid');
SELECT * FROM pg_temp.outcome('console-paid');
SELECT pg_temp.states('console-paid');
-- unpaid: any other status, and the apartment is reverted to "vacant"
SELECT booking.sfn_start('apartment_console', '{"input": {"apartmentId": "1234567", "status": "booked"}}', 'console-unpaid') IS NOT NULL AS started;
SELECT "Id", status FROM booking_app.apartment_workshop_db;
SELECT pg_temp.fire('console-unpaid');
SELECT status, output FROM pg_temp.outcome('console-unpaid');
SELECT pg_temp.states('console-unpaid');
SELECT "Id", status FROM booking_app.apartment_workshop_db;
-- a missing apartment: attribute_exists(Id) fails; States.TaskFailed catches
-- DynamoDB.ConditionalCheckFailedException, as on AWS
SELECT booking.sfn_start('apartment_console', '{"input": {"apartmentId": "404", "status": "paid"}}', 'console-missing') IS NOT NULL AS started;
SELECT status, error, cause, output FROM pg_temp.outcome('console-missing');
SELECT count(*) AS rows FROM booking_app.apartment_workshop_db;    -- no item was created
-- where the definition is wrong: its Choice and its revert name apartment 1234567
-- literally, so another apartment marked "paid" is judged unpaid, and 1234567 is
-- the one reverted
INSERT INTO booking_app.apartment_workshop_db VALUES ('7654321', 'vacant');
UPDATE booking_app.apartment_workshop_db SET status = 'paid' WHERE "Id" = '1234567';
SELECT booking.sfn_start('apartment_console', '{"input": {"apartmentId": "7654321", "status": "paid"}}', 'console-other') IS NOT NULL AS started;
SELECT pg_temp.fire('console-other');
SELECT pg_temp.states('console-other');
SELECT "Id", status FROM booking_app.apartment_workshop_db ORDER BY "Id";

-- ==== the article's SAM definition (booking_step_function) ====
-- the input its Lambda resolver sent
SELECT booking_app.add_step_function('sam-1', 'arn:aws:states:local:000000000000:stateMachine:booking_step_function');
SELECT "Id", "bookedStatus" FROM booking_app.apartments WHERE "Id" = '1234567';
-- where the definition is wrong: "Get Booking Status" asks for key "id", the table's
-- key is "Id"; DynamoDB refuses such a key (ValidationException), its Catch sends
-- every execution to the Fail state, which names no error
SELECT pg_temp.fire('sam-1');
SELECT * FROM pg_temp.outcome('sam-1');
SELECT pg_temp.states('sam-1');
SELECT details -> 'taskFailedEventDetails' ->> 'error' AS error,
       regexp_replace(details -> 'taskFailedEventDetails' ->> 'cause', 'Request ID: [A-Z0-9]{52};', 'Request ID: <request id>;') AS cause
  FROM booking.sfn_get_execution_history('sam-1') WHERE type = 'TaskFailed';
-- a missing account: the condition fails, the same Fail state
SELECT booking_app.add_step_function('sam-missing', 'booking_step_function',
                                     '{"details": {"accountId": "404", "bookedStatus": "Booked"}}');
SELECT * FROM pg_temp.outcome('sam-missing');
SELECT * FROM booking_app.get_step_functions() WHERE id LIKE 'sam-%';

-- ==== booking's own workflow: reserve, wait for the payment window, paid or released ====
SELECT booking_app.reserve_apartment('lisbon-alfama-2', 'Ada', 60, execution_name => 'own-paid') IS NOT NULL AS started;
SELECT "Id", "bookedStatus", guest, "reservedUntil" > now() AS held FROM booking_app.apartments WHERE "Id" = 'lisbon-alfama-2';
SELECT "apartmentId", guest, amount FROM booking_app.record_payment('lisbon-alfama-2', 240);
SELECT pg_temp.fire('own-paid');
SELECT * FROM pg_temp.outcome('own-paid');
SELECT "Id", "bookedStatus", guest FROM booking_app.apartments WHERE "Id" = 'lisbon-alfama-2';
-- unpaid: released when the window ends
SELECT booking_app.reserve_apartment('porto-ribeira-1', 'Grace', 60, execution_name => 'own-unpaid') IS NOT NULL AS started;
SELECT pg_temp.fire('own-unpaid');
SELECT * FROM pg_temp.outcome('own-unpaid');
SELECT pg_temp.states('own-unpaid');
SELECT "Id", "bookedStatus", guest, "reservedUntil" FROM booking_app.apartments WHERE "Id" = 'porto-ribeira-1';
-- not vacant: the call fails with the workflow's error, the apartment untouched
SELECT booking_app.reserve_apartment('lisbon-alfama-2', 'Eve', 60, execution_name => 'own-taken') IS NOT NULL AS started;
SELECT count(*) AS recorded FROM booking.executions WHERE name = 'own-taken';
SELECT "Id", "bookedStatus", guest FROM booking_app.apartments WHERE "Id" = 'lisbon-alfama-2';
-- no such apartment; each refusal has its SQLSTATE
CREATE FUNCTION pg_temp.refusal(statement text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE statement;
    RETURN 'not refused';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ' ' || SQLERRM;
END $$;
SELECT pg_temp.refusal($$SELECT booking_app.reserve_apartment('nowhere-0', 'Linus', 60, execution_name => 'own-missing')$$);
SELECT pg_temp.refusal($$SELECT booking_app.reserve_apartment('lisbon-alfama-2', 'Eve')$$);
SELECT count(*) AS recorded FROM booking.executions WHERE name = 'own-missing';
-- payments that can't be
SELECT booking_app.record_payment('nowhere-0', 10);
SELECT booking_app.record_payment('porto-ribeira-1', 10);
SELECT booking_app.reserve_apartment('porto-ribeira-1', 'Grace', 0);
SELECT booking_app.reserve_apartment(NULL, 'Grace');

-- ==== paid by callback: the payment resumes the workflow at once ====
SELECT booking_app.reserve_apartment('berlin-mitte-3', 'Alan', 3600, true, 'cb-paid') IS NOT NULL AS started;
SELECT status, phase, state FROM booking.executions WHERE name = 'cb-paid';
SELECT "apartmentId", guest FROM booking_app.awaited_payments;
SELECT "apartmentId", amount FROM booking_app.record_payment('berlin-mitte-3', 480);
SELECT status, output - 'payment' AS output, output -> 'payment' ? 'paymentId' AS has_payment FROM pg_temp.outcome('cb-paid');
SELECT "Id", "bookedStatus", guest FROM booking_app.apartments WHERE "Id" = 'berlin-mitte-3';
-- not paid in time: its TimeoutSeconds release the apartment
SELECT booking_app.reserve_apartment('porto-ribeira-1', 'Grace', 3600, true, 'cb-timeout') IS NOT NULL AS started;
UPDATE booking.task_tokens SET timeout_at = clock_timestamp() WHERE execution_id = booking.execution_id('cb-timeout');
SELECT pg_temp.fire('cb-timeout');
SELECT * FROM pg_temp.outcome('cb-timeout');
SELECT pg_temp.states('cb-timeout');
SELECT "Id", "bookedStatus", guest FROM booking_app.apartments WHERE "Id" = 'porto-ribeira-1';
SELECT booking_app.record_payment('porto-ribeira-1', 75);     -- too late: nothing to pay

-- the listing
SELECT "Id", "bookedStatus", guest, execution_status FROM booking_app.list_apartments();

-- the demo put back as seeded: every apartment VACANT (1234567 too, which the
-- article's workflows leave "Booked"), running reservations stopped
SELECT booking_app.reserve_apartment('porto-ribeira-1', 'Grace', 3600, execution_name => 'before-reset') IS NOT NULL AS started;
SELECT booking_app.reset_demo() AS stopped;
SELECT "Id", "bookedStatus", guest, "reservedUntil" FROM booking_app.apartments ORDER BY "Id";
SELECT "Id", status FROM booking_app.apartment_workshop_db ORDER BY "Id";
SELECT status, error FROM booking.executions WHERE name = 'before-reset';
SELECT count(*) AS awaited FROM booking_app.awaited_payments;

-- ==== the same workflow written in JSONata (reserve_apartment_jsonata): every path ====
-- started with the input reserve_apartment gives the JSONPath one
CREATE FUNCTION pg_temp.reserve_jsonata(apartment text, guest text, execution text) RETURNS text LANGUAGE sql AS $$
    SELECT booking.sfn_start('reserve_apartment_jsonata',
        jsonb_build_object('apartmentId', apartment, 'guest', guest, 'paymentWindowSeconds', 60,
                           'reservedUntil', to_char((now() + interval '60 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')),
        execution) $$;
-- paid within the window: kept
SELECT pg_temp.reserve_jsonata('lisbon-alfama-2', 'Ada', 'jsonata-paid') IS NOT NULL AS started;
SELECT "Id", "bookedStatus", guest, "reservedUntil" > now() AS held FROM booking_app.apartments WHERE "Id" = 'lisbon-alfama-2';
SELECT "apartmentId", guest, amount FROM booking_app.record_payment('lisbon-alfama-2', 240);
SELECT pg_temp.fire('jsonata-paid');
SELECT * FROM pg_temp.outcome('jsonata-paid');
SELECT pg_temp.states('jsonata-paid');
SELECT "Id", "bookedStatus", guest FROM booking_app.apartments WHERE "Id" = 'lisbon-alfama-2';
-- not paid: released when the window ends
SELECT pg_temp.reserve_jsonata('porto-ribeira-1', 'Grace', 'jsonata-unpaid') IS NOT NULL AS started;
SELECT pg_temp.fire('jsonata-unpaid');
SELECT * FROM pg_temp.outcome('jsonata-unpaid');
SELECT pg_temp.states('jsonata-unpaid');
SELECT "Id", "bookedStatus", guest, "reservedUntil" FROM booking_app.apartments WHERE "Id" = 'porto-ribeira-1';
-- not vacant, and no such apartment: the JSONPath workflow's errors and causes
SELECT pg_temp.reserve_jsonata('lisbon-alfama-2', 'Eve', 'jsonata-taken') IS NOT NULL AS started;
SELECT * FROM pg_temp.outcome('jsonata-taken');
SELECT pg_temp.reserve_jsonata('nowhere-0', 'Linus', 'jsonata-missing') IS NOT NULL AS started;
SELECT * FROM pg_temp.outcome('jsonata-missing');
SELECT pg_temp.states('jsonata-missing');
SELECT "Id", "bookedStatus", guest FROM booking_app.apartments WHERE "Id" = 'lisbon-alfama-2';
SELECT booking_app.reset_demo() AS stopped;

-- clean up: the application and its state machines
SELECT count(*) AS deleted FROM (SELECT booking.sfn_delete_state_machine(name) FROM booking.state_machines
 WHERE name IN ('apartment_console', 'booking_step_function', 'reserve_apartment', 'reserve_apartment_callback',
                'reserve_apartment_jsonata')) AS d;
SET client_min_messages = warning;
DROP SCHEMA booking_app CASCADE;
DROP OWNED BY booking_workflow;
DROP ROLE booking_workflow;
