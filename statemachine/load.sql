-- load.sql — the application's state machines, deployed as SAM deployed them.
-- Run from the repository root (psql reads the definitions with backticks).
-- Idempotent: creating an unchanged state machine again returns it.
CREATE EXTENSION IF NOT EXISTS booking;

-- The article's first definition, as written in the Step Functions console.
\set console_definition `cat statemachine/article_console.asl.json`
SELECT booking.sfn_create_state_machine('apartment_console', :'console_definition'::jsonb) AS arn \gset
\echo created :arn

-- The article's SAM definition with its DefinitionSubstitutions
-- (DDBUpdateItem, DDBGetItem, DDBTable), as template.yaml supplied them.
\set sam_definition `cat statemachine/booking_step_function.asl.json`
\set sam_substitutions `cat statemachine/substitutions.json`
SELECT booking.sfn_create_state_machine('booking_step_function', :'sam_definition'::jsonb,
                                        :'sam_substitutions'::jsonb) AS arn \gset
\echo created :arn
