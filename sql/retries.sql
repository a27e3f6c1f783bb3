-- Retry through SQL: each attempt's delay is IntervalSeconds × BackoffRate^(n-1),
-- capped by MaxDelaySeconds, seen as the execution's timer (due_at) against the
-- time its task failed. No real waiting: each timer is made due, then ticked.
SET client_min_messages = warning;

CREATE FUNCTION public.retries_flaky(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN PERFORM booking.raise_task_error('Booking.Flaky', 'try again'); RETURN p; END $$;
SELECT booking.sfn_create_state_machine('retries_backoff', '{
  "StartAt": "Call", "States": {
    "Call": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:retries_flaky",
             "Retry": [{"ErrorEquals": ["Booking.Flaky"], "IntervalSeconds": 2, "BackoffRate": 3,
                        "MaxAttempts": 4, "MaxDelaySeconds": 20}],
             "End": true}}
}', role => 'postgres') IS NOT NULL AS created;

-- the delay before the next attempt: the timer against the last LambdaFunctionFailed event
CREATE VIEW public.retries_next AS
SELECT e.status, e.phase,
       (SELECT count(*) FROM booking.sfn_get_execution_history(e.name) WHERE type = 'LambdaFunctionFailed') AS failures,
       round(extract(epoch FROM e.due_at - (SELECT max("timestamp") FROM booking.sfn_get_execution_history(e.name)
                                                WHERE type = 'LambdaFunctionFailed'))::numeric, 0) AS delay_seconds
  FROM booking.executions e WHERE e.name = 'flaky';

-- the first attempt fails at once: the first retry waits IntervalSeconds
SELECT booking.sfn_start('retries_backoff', '{}', 'flaky') IS NOT NULL AS started;
SELECT * FROM public.retries_next;
-- the timer made due, one tick runs one execution: the second retry waits 2 × 3
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'flaky';
SELECT booking.sfn_tick() AS advanced;
SELECT * FROM public.retries_next;
-- the third waits 2 × 3²
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'flaky';
SELECT booking.sfn_tick() AS advanced;
SELECT * FROM public.retries_next;
-- the fourth would wait 2 × 3³ = 54: MaxDelaySeconds caps it at 20
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'flaky';
SELECT booking.sfn_tick() AS advanced;
SELECT * FROM public.retries_next;
-- MaxAttempts spent: the fifth failure fails the execution
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name = 'flaky';
SELECT booking.sfn_tick() AS advanced;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause
  FROM booking.sfn_describe_execution('flaky') AS d;
SELECT count(*) FILTER (WHERE type = 'LambdaFunctionScheduled') AS attempts,
       count(*) FILTER (WHERE type = 'LambdaFunctionFailed') AS failures
  FROM booking.sfn_get_execution_history('flaky');
-- nothing is due any more
SELECT booking.sfn_tick() AS advanced;

-- clean up
DROP VIEW public.retries_next;
SELECT booking.sfn_delete_state_machine('retries_backoff');
DROP FUNCTION public.retries_flaky(jsonb);
