-- Timers without a tick: the settings, the background workers, and
-- booking.tick_for, the procedure pg_cron calls where the workers can't run
-- (docs/scheduling.md).
SELECT name, setting, unit, context
  FROM pg_settings
 WHERE name IN ('booking.database', 'booking.workers', 'booking.worker_batch_size', 'booking.worker_max_sleep')
 ORDER BY name;

-- The test cluster preloads booking with the defaults: one worker, serving
-- database postgres, shown in pg_stat_activity as "booking timer"
SELECT backend_type, datname FROM pg_stat_activity WHERE backend_type = 'booking timer';
SELECT slot, database, sleeps >= woken AS counts FROM booking.timer_workers();

-- Which databases and how many workers take a restart; the rest a reload
SET booking.workers = 2;
SET booking.database = 'contrib_regression';
SET booking.worker_max_sleep = '10s';

-- No worker serves this database: tick_for fires its timers
SELECT booking.sfn_create_state_machine('sched_timestamp', '{
  "StartAt": "Hold",
  "States": {"Hold": {"Type": "Wait", "TimestampPath": "$.due", "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('sched_seconds', '{
  "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "Seconds": 1, "Next": "Done"},
    "Done": {"Type": "Pass", "Result": "expired", "End": true}
  }
}', role => 'postgres') IS NOT NULL AS created;
SELECT count(booking.sfn_start('sched_timestamp',
         jsonb_build_object('due', to_char((clock_timestamp() + interval '200 ms') AT TIME ZONE 'UTC',
                                           'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')),
         'sched-' || i)) AS started
  FROM generate_series(1, 5) i;
SELECT booking.sfn_start('sched_seconds', '{}', 'sched-seconds') IS NOT NULL AS started;
SELECT status, count(*) FROM booking.executions WHERE name LIKE 'sched-%' GROUP BY 1;

-- no real waiting: the timers made due, then tick_for(0), a single tick, fires
-- them all (tick_for sleeping between ticks runs for real in test/e2e/cron.sh)
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name LIKE 'sched-%' AND status = 'RUNNING';
CALL booking.tick_for(0);
SELECT name, status, output ? 'due' AS output_is_input, CASE name WHEN 'sched-seconds' THEN output END AS output
  FROM booking.executions WHERE name LIKE 'sched-%' ORDER BY name;

-- 0 seconds: one tick
CALL booking.tick_for(0);

-- it commits, so not inside a transaction block
BEGIN;
CALL booking.tick_for(1);
ROLLBACK;

-- arguments
CALL booking.tick_for(-1);
CALL booking.tick_for(3601);
CALL booking.tick_for(10, 0);
CALL booking.tick_for(NULL);

-- A parked Wait keeps the event it records when it fires: its plain WaitStateExited as the
-- string "WaitStateExited", built again from the row's state and document when it fires
-- (src/advance.c, pending_kept); a Wait that assigns variables keeps its event whole; and a
-- row that kept the whole event (as version 1.0 kept every one) fires the same
SELECT booking.sfn_create_state_machine('sched_exit', '{"StartAt": "Hold", "States": {
  "Hold": {"Type": "Wait", "Seconds": 60, "OutputPath": "$.keep", "Next": "Done"},
  "Done": {"Type": "Pass", "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('sched_exit_assign', '{"QueryLanguage": "JSONata", "StartAt": "Hold",
  "States": {
    "Hold": {"Type": "Wait", "Seconds": 60, "Assign": {"n": "{% $states.input.n %}"},
             "Output": {"m": "{% $states.input.n + 1 %}"}, "Next": "Done"},
    "Done": {"Type": "Pass", "Output": {"n": "{% $n %}", "m": "{% $states.input.m %}"}, "End": true}}}',
  role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('sched_exit', '{"keep": {"a": [1, "x\"y"]}, "drop": true}', 'sched-exit-plain') IS NOT NULL AS started;
SELECT booking.sfn_start('sched_exit', '{"keep": {"a": [1, "x\"y"]}, "drop": true}', 'sched-exit-old') IS NOT NULL AS started;
SELECT booking.sfn_start('sched_exit_assign', '{"n": 1}', 'sched-exit-assign') IS NOT NULL AS started;
SELECT name, state, phase, pending_events, document FROM booking.executions WHERE name LIKE 'sched-exit-%' ORDER BY name;
UPDATE booking.executions
   SET pending_events = '[{"type": "WaitStateExited", "details": {"stateExitedEventDetails": {"name": "Hold",
        "output": {"a": [1, "x\"y"]}, "outputDetails": {"truncated": false}}}}]'
 WHERE name = 'sched-exit-old';
UPDATE booking.executions SET due_at = clock_timestamp() WHERE name LIKE 'sched-exit-%';
SELECT booking.sfn_tick(10) AS advanced;
SELECT e.name, h.id, h.type, h.previous_event_id, h.details
  FROM booking.executions e, booking.sfn_get_execution_history(e.arn) h
 WHERE e.name LIKE 'sched-exit-%' AND h.type IN ('WaitStateExited', 'ExecutionSucceeded') ORDER BY 1, 2;
SELECT name, status, output, pending_events FROM booking.executions WHERE name LIKE 'sched-exit-%' ORDER BY name;

-- clean up: the state machines (their executions go with them)
SELECT count(*) AS deleted FROM (SELECT booking.sfn_delete_state_machine(name) FROM booking.state_machines
 WHERE name LIKE 'sched\_%') AS d;
