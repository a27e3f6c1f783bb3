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
       h.events,
       h.last_type
  FROM booking.executions e,
       LATERAL (SELECT count(*) AS events,
                       (SELECT type FROM booking.sfn_get_execution_history(e.name) ORDER BY id DESC LIMIT 1) AS last_type
                  FROM booking.sfn_get_execution_history(e.name)) AS h
 WHERE e.name IN ('endless-one-run', 'endless-ticked')
 ORDER BY e.name;

-- The quota at its edge, counted per event (a step records several): an
-- execution of exactly 25,000 events succeeds; one that needs 25,001 fails,
-- its 25,000th event ExecutionFailed. n turns of the loop make 4n + 8 events
-- (ExecutionStarted; Check n + 1 times and Count n times, entered and exited;
-- Last; Done; the end); Call (a Lambda task) adds 5, so n = 6247 needs 25,001.
CREATE FUNCTION public.history_echo(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT p $$;
CREATE TABLE public.history_outbox (token text);
CREATE FUNCTION public.history_ask(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  INSERT INTO public.history_outbox VALUES (p->>'token') RETURNING jsonb_build_object('queued', true) $$;
SELECT booking.sfn_create_state_machine('history_edge', '{
  "StartAt": "Check", "States": {
    "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEqualsPath": "$.n", "Next": "Last"}], "Default": "Count"},
    "Count": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)", "n.$": "$.n", "then.$": "$.then"}, "Next": "Check"},
    "Last": {"Type": "Choice", "Choices": [{"Variable": "$.then", "StringEquals": "call", "Next": "Call"},
                                           {"Variable": "$.then", "StringEquals": "ask", "Next": "Ask"}], "Default": "Done"},
    "Call": {"Type": "Task", "Resource": "arn:aws:lambda:local:000000000000:function:history_echo", "Next": "Done"},
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "history_ask", "Payload": {"token.$": "$$.Task.Token"}}, "Next": "Done"},
    "Done": {"Type": "Succeed"}}
}', role => 'postgres') IS NOT NULL AS created;
-- 10 turns: 48 and 53 events, the count the edge cases rely on
SET booking.max_steps_per_run = 100000;
SELECT booking.sfn_start('history_edge', '{"i": 0, "n": 10, "then": "done"}', 'edge-small') IS NOT NULL AS started;
SELECT booking.sfn_start('history_edge', '{"i": 0, "n": 10, "then": "call"}', 'edge-small-call') IS NOT NULL AS started;
-- exactly 25,000 events, in one run
SELECT booking.sfn_start('history_edge', '{"i": 0, "n": 6248, "then": "done"}', 'edge-25000') IS NOT NULL AS started;
-- the Ask task's step goes past the quota (its TaskScheduled is the 24,999th):
-- it fails at once, not parked on a token nobody can answer any more
SELECT booking.sfn_start('history_edge', '{"i": 0, "n": 6248, "then": "ask"}', 'edge-ask') IS NOT NULL AS started;
RESET booking.max_steps_per_run;
-- 25,001 needed, in runs of the default budget, ticked: the last run counts
-- on from what the earlier ones wrote
SELECT booking.sfn_start('history_edge', '{"i": 0, "n": 6247, "then": "call"}', 'edge-25001') IS NOT NULL AS started;
DO $$
BEGIN
  FOR i IN 1..100 LOOP
    EXIT WHEN (SELECT status FROM booking.executions WHERE name = 'edge-25001') <> 'RUNNING';
    PERFORM booking.sfn_tick();
  END LOOP;
END $$;
SELECT e.name, e.status, e.error, e.cause, h.events, h.last_types
  FROM booking.executions e,
       LATERAL (SELECT count(*) AS events,
                       (SELECT string_agg(type, ', ' ORDER BY id) FROM (SELECT id, type FROM booking.sfn_get_execution_history(e.name)
                                                                        ORDER BY id DESC LIMIT 3) l) AS last_types
                  FROM booking.sfn_get_execution_history(e.name)) AS h
 WHERE e.name LIKE 'edge-%'
 ORDER BY e.name;
-- the history's ids run 1..25,000 without a gap
SELECT min(id) AS first_id, max(id) AS last_id, count(DISTINCT id) AS ids
  FROM booking.sfn_get_execution_history('edge-25001');
-- the token of the task that went past the quota is closed with its execution
SELECT count(*) AS tokens_handed_out FROM public.history_outbox;
SELECT booking.sfn_send_task_success(token, '{}') FROM public.history_outbox;

-- Pages of a history kept in many rows (one per run): a page takes apart only the rows
-- that hold its ids; each page, at and around every row's last event, both ways, is the
-- slice of the whole listing it names
SELECT count(*) AS history_rows, sum(json_array_length(h.events)) AS events
  FROM booking.history h JOIN booking.executions e ON e.id = h.execution_id
 WHERE e.name = 'endless-ticked';
WITH whole AS MATERIALIZED (
         SELECT id, row(id, type, "timestamp", previous_event_id, details)::text AS event
           FROM booking.sfn_get_execution_history('endless-ticked')),
     edges AS (
         SELECT DISTINCT last + d AS after
           FROM (SELECT (sum(json_array_length(h.events)) OVER (ORDER BY h.seq))::int AS last
                   FROM booking.history h JOIN booking.executions e ON e.id = h.execution_id
                  WHERE e.name = 'endless-ticked') rows, unnest(ARRAY[-1, 0, 1]) d
         UNION SELECT NULL),
     pages AS (
         SELECT after, size, backwards,
                (SELECT array_agg(row(id, type, "timestamp", previous_event_id, details)::text ORDER BY n)
                   FROM booking.sfn_get_execution_history('endless-ticked', size, after, backwards)
                        WITH ORDINALITY AS p(id, type, "timestamp", previous_event_id, details, n)) AS got,
                (SELECT array_agg(event ORDER BY CASE WHEN backwards THEN -id ELSE id END)
                   FROM (SELECT id, event FROM whole
                          WHERE after IS NULL OR CASE WHEN backwards THEN id < after ELSE id > after END
                          ORDER BY CASE WHEN backwards THEN -id ELSE id END LIMIT size) w) AS want
           FROM edges, unnest(ARRAY[1, 1000]) size, unnest(ARRAY[false, true]) backwards)
SELECT count(*) AS pages, count(*) FILTER (WHERE got IS DISTINCT FROM want) AS wrong,
       count(*) FILTER (WHERE got IS NULL) AS empty
  FROM pages;

SELECT booking.sfn_delete_state_machine('history_loop');
SELECT booking.sfn_delete_state_machine('history_edge');
DROP FUNCTION public.history_echo(jsonb), public.history_ask(jsonb);
DROP TABLE public.history_outbox;
