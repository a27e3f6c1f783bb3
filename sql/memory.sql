-- json-c values the host holds are owned by memory contexts: an ERROR in the
-- middle of a creation leaks nothing. Thousands of failing creations (each
-- one parses, substitutes and compiles before it fails) must leave the
-- backend's malloc'd and palloc'd memory where it was.
CREATE FUNCTION pg_temp.fail_creations(n int) RETURNS int LANGUAGE plpgsql AS $$
DECLARE
    failures int := 0;
BEGIN
    FOR i IN 1..n LOOP
        BEGIN
            PERFORM booking.sfn_create_state_machine('leaky', jsonb_build_object(
                'StartAt', 'A',
                'States', jsonb_build_object(
                    'A', jsonb_build_object('Type', 'Pass', 'Parameters', jsonb_build_object('x.$', '$.a', 'n', i), 'Next', 'B'),
                    'B', jsonb_build_object('Type', 'Task', 'Resource', '${Missing}', 'End', true),
                    'C', jsonb_build_object('Type', 'Wait', 'Seconds', -1, 'End', true))), role => 'postgres');
        EXCEPTION WHEN invalid_parameter_value THEN
            failures := failures + 1;
        END;
    END LOOP;
    RETURN failures;
END $$;

SELECT pg_temp.fail_creations(300);	-- warm up caches and allocator arenas
SELECT malloc_bytes AS malloc_before, context_bytes AS context_before FROM booking.booking_backend_memory() \gset
SELECT pg_temp.fail_creations(5000);
SELECT malloc_bytes - :malloc_before < 262144 AS malloc_flat,
       context_bytes - :context_before < 262144 AS context_flat
  FROM booking.booking_backend_memory();
-- and sfn_validate, which returns the problems instead of raising them
SELECT malloc_bytes AS malloc_before FROM booking.booking_backend_memory() \gset
SELECT count(*) FROM generate_series(1, 3000) i,
       LATERAL booking.sfn_validate(jsonb_build_object('StartAt', 'Nowhere', 'States', jsonb_build_object('A', i))) v;
SELECT malloc_bytes - :malloc_before < 262144 AS validate_flat FROM booking.booking_backend_memory();
-- and durable executions: thousands of short ones (Map children included)
-- started and run in one backend leave its memory where it was
SELECT booking.sfn_create_state_machine('memory_short', '{
  "StartAt": "Fan",
  "States": {"Fan": {"Type": "Map", "ItemsPath": "$.items", "End": true,
    "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": true}}}}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT count(*) FROM generate_series(1, 300) i
 WHERE booking.sfn_start('memory_short', jsonb_build_object('items', jsonb_build_array(i, i + 1))) IS NOT NULL;
SELECT malloc_bytes AS malloc_before, context_bytes AS context_before FROM booking.booking_backend_memory() \gset
SELECT count(*) FROM generate_series(1, 3000) i
 WHERE booking.sfn_start('memory_short', jsonb_build_object('items', jsonb_build_array(i, i + 1))) IS NOT NULL;
SELECT malloc_bytes - :malloc_before < 262144 AS executions_malloc_flat,
       context_bytes - :context_before < 262144 AS executions_context_flat
  FROM booking.booking_backend_memory();
SELECT status, count(*) FROM booking.executions e JOIN booking.state_machines m ON m.id = e.machine_id
 WHERE m.name = 'memory_short' GROUP BY status;

-- clean up: the state machines (their executions go with them)
SELECT count(*) AS deleted FROM (SELECT booking.sfn_delete_state_machine(name) FROM booking.state_machines
 WHERE name IN ('leaky', 'memory_short')) AS d;
