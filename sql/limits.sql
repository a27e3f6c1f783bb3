-- Every size limit at its edge: the largest size is accepted, one byte more is
-- refused, and nothing is half-written. Payloads (execution input, task output,
-- a state's output inside the interpreter) are measured as AWS measures them:
-- the UTF-8 bytes of their compact JSON text, not the text jsonb prints (which
-- has a space after each ", " and ": "); the host and the interpreter agree.
SET client_min_messages = warning;

-- limits_compact(d): d's compact JSON bytes, for documents without spaces in their strings
CREATE FUNCTION public.limits_compact(d jsonb) RETURNS int LANGUAGE sql IMMUTABLE
  AS $$ SELECT octet_length(replace(d::text, ' ', '')) $$;
-- limits_doc(n): {"pad":"xx…"}, exactly n bytes of compact JSON
CREATE FUNCTION public.limits_doc(n int) RETURNS jsonb LANGUAGE sql IMMUTABLE
  AS $$ SELECT jsonb_build_object('pad', repeat('x', n - 10)) $$;
SELECT public.limits_compact(public.limits_doc(262144)) AS at_limit, public.limits_compact(public.limits_doc(262145)) AS over_limit;

-- AWS's quota: 256 KiB
SHOW booking.max_payload_size;

-- ---- execution input (StartExecution, sfn_start_sync) ----
SELECT booking.sfn_create_state_machine('limits_echo',
  '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT r->>'status' AS status, public.limits_compact(r->'output') AS output_bytes
  FROM booking.sfn_start_sync('limits_echo', public.limits_doc(262144)) AS r;
SELECT booking.sfn_start_sync('limits_echo', public.limits_doc(262145));
SELECT booking.sfn_start('limits_echo', public.limits_doc(262144), 'limits-at') IS NOT NULL AS started;
SELECT booking.sfn_start('limits_echo', public.limits_doc(262145), 'limits-over');
SELECT name, status, public.limits_compact(input) AS input_bytes
  FROM booking.executions WHERE name IN ('limits-at', 'limits-over') ORDER BY name;

-- ---- a state's output: States.DataLimitExceeded past 262,144 bytes of compact JSON ----
-- {"pad":"…"} is 10 bytes around the string; the input {"s": "…"} stays under the limit
SELECT booking.sfn_create_state_machine('limits_grow',
  '{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"pad.$": "$.s"}, "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT k AS pad_chars, 10 + k AS output_bytes, r->>'status' AS status, r->>'error' AS error
  FROM (VALUES (262134), (262135)) AS v(k),
       LATERAL booking.sfn_start_sync('limits_grow', jsonb_build_object('s', repeat('x', k))) AS r
 ORDER BY k;

-- ---- the variables one Assign sets: 262,144 bytes of compact JSON at most ----
-- {"pad":"…"} again: the object of the variables assigned, measured as a state's output is
-- (OutputPath null: the output is {}, far from its own limit)
SELECT booking.sfn_create_state_machine('limits_assign',
  '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": {"pad.$": "$.s"}, "OutputPath": null, "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT k AS pad_chars, 10 + k AS assigned_bytes, r->>'status' AS status, r->>'error' AS error
  FROM (VALUES (262134), (262135)) AS v(k),
       LATERAL booking.sfn_start_sync('limits_assign', jsonb_build_object('s', repeat('x', k))) AS r
 ORDER BY k;

-- ---- the measure: compact UTF-8 bytes, where jsonb's text is longer ----
-- limits_mixed(n): {"a":1,"b":[true,null,"ü"],"pad":"éé…"}, exactly n bytes of
-- compact JSON (é and ü are two bytes each), 7 bytes more as jsonb prints it
CREATE FUNCTION public.limits_mixed(n int) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('a', 1, 'b', jsonb_build_array(true, null, 'ü'),
                            'pad', repeat('é', (n - 37) / 2) || repeat('x', (n - 37) % 2)) $$;
SELECT n, public.limits_compact(public.limits_mixed(n)) AS compact_bytes,
       octet_length(public.limits_mixed(n)::text) AS jsonb_text_bytes
  FROM (VALUES (262144), (262145)) AS v(n) ORDER BY n;
-- the host: an execution's input
SELECT r->>'status' AS status, public.limits_compact(r->'output') AS output_bytes
  FROM booking.sfn_start_sync('limits_echo', public.limits_mixed(262144)) AS r;
SELECT booking.sfn_start_sync('limits_echo', public.limits_mixed(262145));
-- the interpreter: a state's output built from a small input, the same document
SELECT booking.sfn_create_state_machine('limits_mixed', '{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Parameters": {"a": 1, "b": [true, null, "ü"], "pad.$": "$.s"}, "End": true}}}', role => 'postgres') IS NOT NULL AS created;
SELECT n, r->>'status' AS status, r->>'error' AS error, public.limits_compact(r->'output') AS output_bytes
  FROM (VALUES (262144), (262145)) AS v(n),
       LATERAL booking.sfn_start_sync('limits_mixed', jsonb_build_object('s', public.limits_mixed(n)->'pad')) AS r
 ORDER BY n;

-- ---- a task's output (SendTaskSuccess): InvalidOutput past the limit, the task still open ----
CREATE TABLE public.limits_outbox (token text);
CREATE FUNCTION public.limits_ask(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
  INSERT INTO public.limits_outbox VALUES (p->>'token') RETURNING jsonb_build_object('queued', true) $$;
SELECT booking.sfn_create_state_machine('limits_callback', '{
  "StartAt": "Ask", "States": {
    "Ask": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
            "Parameters": {"FunctionName": "limits_ask", "Payload": {"token.$": "$$.Task.Token"}}, "End": true}}
}', role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_start('limits_callback', '{}', 'limits-task') IS NOT NULL AS started;
SELECT booking.sfn_send_task_success(token, public.limits_doc(262145)) FROM public.limits_outbox;
SELECT status, phase FROM booking.executions WHERE name = 'limits-task';
SELECT booking.sfn_send_task_success(token, public.limits_doc(262144)) FROM public.limits_outbox;
SELECT d->>'status' AS status, public.limits_compact(d->'output') AS output_bytes
  FROM booking.sfn_describe_execution('limits-task') AS d;

-- ---- an error name (256 characters) and a cause (32,768 characters), as AWS
-- bounds SendTaskFailure's and StopExecution's: characters, not bytes (é is two) ----
DELETE FROM public.limits_outbox;
SELECT booking.sfn_start('limits_callback', '{}', 'limits-task-failure') IS NOT NULL AS started;
SELECT booking.sfn_send_task_failure(token, repeat('é', 257)) FROM public.limits_outbox;
SELECT booking.sfn_send_task_failure(token, 'E', repeat('x', 32769)) FROM public.limits_outbox;
SELECT status, phase FROM booking.executions WHERE name = 'limits-task-failure';
SELECT booking.sfn_send_task_failure(token, repeat('é', 256), repeat('ü', 32768)) FROM public.limits_outbox;
SELECT status, length(error) AS error_chars, octet_length(error) AS error_bytes, length(cause) AS cause_chars
  FROM booking.executions WHERE name = 'limits-task-failure';
SELECT booking.sfn_start('limits_callback', '{}', 'limits-stop') IS NOT NULL AS started;
SELECT booking.sfn_stop_execution('limits-stop', repeat('x', 257));
SELECT booking.sfn_stop_execution('limits-stop', 'E', repeat('é', 32769));
SELECT status FROM booking.executions WHERE name = 'limits-stop';
SELECT booking.sfn_stop_execution('limits-stop', repeat('x', 256), repeat('é', 32768)) IS NOT NULL AS stopped;
SELECT status, length(error) AS error_chars, length(cause) AS cause_chars
  FROM booking.executions WHERE name = 'limits-stop';
-- GetActivityTask's workerName: 80 characters
SELECT booking.sfn_create_activity('limits_activity') IS NOT NULL AS created;
SELECT count(*) AS tasks FROM booking.sfn_get_activity_task('limits_activity', repeat('w', 80));
SELECT count(*) AS tasks FROM booking.sfn_get_activity_task('limits_activity', repeat('w', 81));
SELECT booking.sfn_delete_activity('limits_activity');

-- ---- the definition: 1 MB (1,048,576 bytes), padded with a Comment ----
-- AWS measures the definition's JSON text; booking measures it compact (no
-- white space between tokens), as it is stored and run: limits_compact_length
CREATE FUNCTION public.limits_compact_length(d jsonb) RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT length(replace(replace(d::text, '": ', '":'), ', "', ',"')) $$;
CREATE FUNCTION public.limits_definition(n int) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT d || jsonb_build_object('Comment', repeat('x', n - public.limits_compact_length(d || '{"Comment": ""}')))
    FROM (SELECT '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'::jsonb) AS s(d) $$;
SELECT public.limits_compact_length(public.limits_definition(1048576)) AS at_limit,
       public.limits_compact_length(public.limits_definition(1048577)) AS over_limit;
SELECT booking.sfn_create_state_machine('limits_big', public.limits_definition(1048576), role => 'postgres') IS NOT NULL AS created;
SELECT booking.sfn_create_state_machine('limits_bigger', public.limits_definition(1048577), role => 'postgres');
SELECT booking.sfn_update_state_machine('limits_big', public.limits_definition(1048577));
SELECT booking.sfn_validate(public.limits_definition(1048577));
SELECT m.name, v.version, public.limits_compact_length(v.definition) AS definition_bytes
  FROM booking.state_machines m JOIN booking.state_machine_versions v ON v.machine_id = m.id
 WHERE m.name IN ('limits_big', 'limits_bigger') ORDER BY m.name, v.version;

-- ---- clean up ----
SELECT booking.sfn_delete_state_machine(m)
  FROM unnest(ARRAY['limits_echo', 'limits_grow', 'limits_assign', 'limits_mixed', 'limits_callback', 'limits_big']) AS m;
DROP FUNCTION public.limits_doc(int), public.limits_mixed(int), public.limits_compact(jsonb), public.limits_ask(jsonb), public.limits_definition(int), public.limits_compact_length(jsonb);
DROP TABLE public.limits_outbox;
