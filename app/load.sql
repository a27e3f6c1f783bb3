-- app/load.sql — the booking application: schema, sample apartments, and the state
-- machines, deployed as SAM deployed them. Run from the repository root:
--   psql -v ON_ERROR_STOP=1 -f app/load.sql
-- Re-runnable: the application schema is recreated; unchanged state machines are
-- returned as they are, changed ones get a new version.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS booking;
\ir schema.sql
\ir seed.sql

-- Tasks resolve table and function names with the search_path of whoever creates
-- the machine, pinned: the application's schema.
SET search_path = booking_app, public;

-- the article's first definition, as written in the Step Functions console
\set definition `cat statemachine/article_console.asl.json`
SELECT booking.sfn_create_state_machine('apartment_console', :'definition'::jsonb,
                                        role => 'booking_workflow') AS arn \gset
\echo deployed :arn

-- the article's SAM definition, with DefinitionSubstitutions as template.yaml supplied
-- them (DDBTable: the application's table, as !Ref SamStepFunctionsTable gave its name)
\set definition `cat statemachine/booking_step_function.asl.json`
\set substitutions `cat statemachine/substitutions.json`
SELECT booking.sfn_create_state_machine('booking_step_function', :'definition'::jsonb, :'substitutions'::jsonb,
                                        role => 'booking_workflow') AS arn \gset
\echo deployed :arn

-- booking's own workflows: polling after the payment window, and paid by callback
\set definition `cat statemachine/reserve_apartment.asl.json`
SELECT booking.sfn_create_state_machine('reserve_apartment', :'definition'::jsonb,
                                        role => 'booking_workflow') AS arn \gset
\echo deployed :arn
\set definition `cat statemachine/reserve_apartment_callback.asl.json`
SELECT booking.sfn_create_state_machine('reserve_apartment_callback', :'definition'::jsonb,
                                        role => 'booking_workflow') AS arn \gset
\echo deployed :arn
-- the first of them written in JSONata: the same behaviour, with Arguments, Output and variables
\set definition `cat statemachine/reserve_apartment_jsonata.asl.json`
SELECT booking.sfn_create_state_machine('reserve_apartment_jsonata', :'definition'::jsonb,
                                        role => 'booking_workflow') AS arn \gset
\echo deployed :arn
RESET search_path;
