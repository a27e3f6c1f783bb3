-- booking 1.0 → 1.1 (ALTER EXTENSION booking UPDATE TO '1.1').
-- Every change to booking--1.1.sql is made here too, in the same commit: a fresh
-- 1.1 and an upgraded 1.0 must have the same catalog (test/e2e/upgrade.sh).
\echo Use "ALTER EXTENSION booking UPDATE TO '1.1'" to load this file. \quit

-- ==== JSONata ====
CREATE FUNCTION jsonata(expression text, input jsonb DEFAULT NULL, bindings jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'booking_jsonata'
LANGUAGE C VOLATILE PARALLEL SAFE;

COMMENT ON FUNCTION jsonata(text, jsonb, jsonb) IS
'Evaluates a JSONata 2.0.6 expression against input (NULL: undefined) with bindings as $variables; undefined is NULL; an error is an ERROR whose message starts with the JSONata code and names the position.';

-- a pure computation over its arguments, run as the caller: anyone may use it
GRANT EXECUTE ON FUNCTION jsonata(text, jsonb, jsonb) TO PUBLIC;
