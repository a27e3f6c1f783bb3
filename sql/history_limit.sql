-- AWS: "Maximum execution history size: 25,000 events". An execution whose
-- history reaches the quota fails; its history never holds more than 25,000
-- events, the last of them ExecutionFailed. Both ways an execution runs: in one
-- run (a budget large enough) and in runs of booking.max_steps_per_run, ticked.
SET client_min_messages = warning;

SELECT booking.sfn_create_state_machine('history_loop', '{
  "StartAt": "Count", "States": {
    "Count": {"Type": "Pass", "Next": "Again?"},
    "Again?": {"Type": "Choice", "Choices": [{"Variable": "$.stop", "IsPresent": true, "Next": "Done"}], "Default": "Count"},
    "Done": {"Type": "Succeed"}}
}', role => 'postgres') IS NOT NULL AS created;

-- one run: the whole loop in sfn_start
SET booking.max_steps_per_run = 100000;
SELECT booking.sfn_start('history_loop', '{}', 'endless-one-run') IS NOT NULL AS started;
RESET booking.max_steps_per_run;

-- runs of the default budget: each yields with its timer due now; ticked until it ends
SELECT booking.sfn_start('history_loop', '{}', 'endless-ticked') IS NOT NULL AS started;
DO $$
BEGIN
  FOR i IN 1..100 LOOP
    EXIT WHEN (SELECT status FROM booking.executions WHERE name = 'endless-ticked') <> 'RUNNING';
    PERFORM booking.sfn_tick();
  END LOOP;
END $$;

SELECT e.name, e.status,
       h.events <= 25000 AS within_quota,
       h.events > 24990 AS ran_to_the_quota,
       h.last_type
  FROM booking.executions e,
       LATERAL (SELECT count(*) AS events,
                       (SELECT type FROM booking.sfn_get_execution_history(e.name) ORDER BY id DESC LIMIT 1) AS last_type
                  FROM booking.sfn_get_execution_history(e.name)) AS h
 WHERE e.name IN ('endless-one-run', 'endless-ticked')
 ORDER BY e.name;

SELECT booking.sfn_delete_state_machine('history_loop');
