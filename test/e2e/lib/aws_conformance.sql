-- test/e2e/lib/aws_conformance.sql — the comparison of booking with executions that
-- real AWS recorded (../shared/conformance/aws-recorded.jsonl; its README says how
-- to compare). Loaded by test/e2e/aws_conformance.sh into a private cluster; the
-- corpus lines are in aws_conf.corpus(line); CALL aws_conf.run_one(n) runs case n.
--
-- Each case: its DynamoDB setup tables are created (empty) in a schema of the
-- case's own, a state machine is created with the recorded definition (pinned to
-- that schema), the recorded input runs through booking.sfn_start_sync, and the
-- result is compared with the recorded one:
--   * status, and then output (SUCCEEDED) or error and cause (FAILED), exactly;
--     numbers compare by value and object keys in any order (jsonb equality);
--   * at the case's volatile paths the recorded value is a placeholder the
--     snapshot library wrote ("date", "<uuid:1>", "<ArnPart_0idx>", ...): the
--     value booking gives must be there and fit the placeholder (placeholder_regex);
--     a placeholder standing for a whole object (the SdkHttpMetadata blocks of
--     DynamoDB responses, which booking does not produce) is left out.
-- A case whose definition booking refuses, or whose run raises an ERROR, differs.
CREATE SCHEMA aws_conf;

CREATE TABLE aws_conf.corpus (n serial PRIMARY KEY, line text NOT NULL);

CREATE TABLE aws_conf.results (
	n          int PRIMARY KEY,
	name       text NOT NULL,
	ql         text NOT NULL,
	family     text NOT NULL,
	agrees     boolean NOT NULL,
	reason     text,
	expected   jsonb,
	got        jsonb
);

-- A regular expression matching the strings a recorded value with placeholders
-- stands for. Everything outside the placeholders matches literally.
CREATE FUNCTION aws_conf.placeholder_regex(recorded text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	-- the placeholders of the snapshot library, and what each stood for
	iso constant text := '[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(Z|[+-][0-9:]+)?';
	rx text;
BEGIN
	IF recorded IN ('date') THEN
		RETURN '^' || iso || '$';
	END IF;
	IF recorded IN ('timestamp', 'RandomNumberGenerated', 'start-time', 'entered-time') THEN
		RETURN '^.*$';
	END IF;
	-- escape the literal text, then open the placeholders
	rx := regexp_replace(recorded, '([.^$*+?()\[\]{}|\\])', '\\\1', 'g');
	rx := regexp_replace(rx, '<(ArnPart|ExecArnPart)_[0-9]+idx>', '[^:]+', 'g');
	rx := regexp_replace(rx, '<uuid:[0-9]+>',
		'[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}', 'g');
	rx := regexp_replace(rx, '<json-input:[0-9]+>', '.*', 'g');
	rx := regexp_replace(rx, '<request_id>', '.*', 'g');
	rx := regexp_replace(rx, '<(partition|region)>', '[a-z0-9-]+', 'g');
	rx := replace(rx, '111111111111', '[0-9]{12}');
	rx := replace(rx, 'snf_role_arn', '.+');
	RETURN '^' || rx || '$';
END $$;

-- Does a value booking gave fit a recorded value with placeholders?
CREATE FUNCTION aws_conf.fits(recorded jsonb, got jsonb) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
	IF got IS NULL THEN
		RETURN false;
	END IF;
	IF jsonb_typeof(recorded) <> 'string' THEN
		RETURN recorded = got;
	END IF;
	IF recorded #>> '{}' = 'RandomNumberGenerated' THEN
		RETURN jsonb_typeof(got) = 'number';
	END IF;
	RETURN jsonb_typeof(got) = 'string'
		AND (got #>> '{}') ~ aws_conf.placeholder_regex(recorded #>> '{}');
END $$;

-- '$.a.b[0]' -> {a,b,0}
CREATE FUNCTION aws_conf.path_array(path text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT coalesce(array_agg(coalesce(m[1], m[2]) ORDER BY o), '{}')
	  FROM regexp_matches(substr(path, 2), '\.([^.\[]+)|\[([0-9]+)\]', 'g') WITH ORDINALITY AS x(m, o)
$$;

-- NULL when got agrees with the recorded result, else what differs.
CREATE FUNCTION aws_conf.difference(expect jsonb, got jsonb, volatile_paths jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	p text;
	pa text[];
	e jsonb;
	a jsonb;
	field text;
BEGIN
	IF got ? 'refused' THEN
		RETURN 'refused: ' || (got ->> 'refused');
	END IF;
	IF got ? 'sql_error' THEN
		RETURN 'ERROR: ' || (got ->> 'sql_error');
	END IF;
	IF expect ->> 'status' IS DISTINCT FROM got ->> 'status' THEN
		RETURN 'status ' || coalesce(got ->> 'status', 'none') || ', AWS ' || (expect ->> 'status');
	END IF;
	IF expect ->> 'status' = 'SUCCEEDED' THEN
		e := expect -> 'output';
		a := got -> 'output';
		FOR p IN SELECT jsonb_array_elements_text(coalesce(volatile_paths, '[]'))
		LOOP
			CONTINUE WHEN p NOT LIKE '$%';
			pa := aws_conf.path_array(p);
			IF jsonb_typeof(e #> pa) NOT IN ('object', 'array')
			   AND NOT aws_conf.fits(e #> pa, a #> pa) THEN
				RETURN format('output at %s: %s does not fit AWS''s %s', p,
					coalesce((a #> pa)::text, 'nothing'), e #> pa);
			END IF;
			e := e #- pa;
			a := a #- pa;
		END LOOP;
		IF e IS DISTINCT FROM a THEN
			RETURN 'output differs';
		END IF;
		RETURN NULL;
	END IF;
	FOREACH field IN ARRAY ARRAY['error', 'cause']
	LOOP
		IF coalesce(volatile_paths, '[]') ? field AND expect ? field THEN
			IF NOT aws_conf.fits(expect -> field, got -> field) THEN
				RETURN field || ' does not fit AWS''s';
			END IF;
		ELSIF (expect -> field) IS DISTINCT FROM (got -> field) THEN
			RETURN field || ' differs';
		END IF;
	END LOOP;
	RETURN NULL;
END $$;

-- The input to run: a case whose input was computed from "now" when it was
-- recorded ("input.F was now+N days when recorded") gets it computed again.
CREATE FUNCTION aws_conf.case_input(c jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	m text[];
BEGIN
	m := regexp_match(c ->> 'time_dependent', 'input\.([A-Za-z0-9_]+) was now\+([0-9]+) days');
	IF m IS NULL THEN
		RETURN c -> 'input';
	END IF;
	RETURN jsonb_set(c -> 'input', ARRAY[m[1]], to_jsonb(to_char(
		(now() AT TIME ZONE 'UTC') + make_interval(days => m[2]::int),
		'YYYY-MM-DD"T"HH24:MI:SS".000Z"')));
END $$;

-- Runs one case and returns what booking gave: sfn_start_sync's result, or
-- {"refused": message} when booking refuses the definition, or {"sql_error": message}.
CREATE FUNCTION aws_conf.run_case(n int, c jsonb) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
	schema_name text := 'aws_case_' || n;
	machine text := 'aws_case_' || n;
	t jsonb;
	got jsonb;
	old_path text := current_setting('search_path');
BEGIN
	EXECUTE format('CREATE SCHEMA %I', schema_name);
	-- DynamoDB is schemaless; these cases write the attributes id, data and S
	FOR t IN SELECT jsonb_array_elements(coalesce(c #> '{setup,tables}', '[]'))
	LOOP
		EXECUTE format('CREATE TABLE %I.%I (id text PRIMARY KEY, data text, "S" text)',
			schema_name, t ->> 'TableName');
	END LOOP;
	-- the machine's tasks find tables through its creator's search_path
	PERFORM set_config('search_path', quote_ident(schema_name), true);
	BEGIN
		PERFORM booking.sfn_create_state_machine(machine, c -> 'definition', role => 'postgres');
	EXCEPTION WHEN OTHERS THEN
		PERFORM set_config('search_path', old_path, true);
		EXECUTE format('DROP SCHEMA %I CASCADE', schema_name);
		RETURN jsonb_build_object('refused', SQLERRM);
	END;
	PERFORM set_config('search_path', old_path, true);
	BEGIN
		got := booking.sfn_start_sync(machine, aws_conf.case_input(c));
	EXCEPTION WHEN OTHERS THEN
		got := jsonb_build_object('sql_error', SQLERRM);
	END;
	PERFORM booking.sfn_delete_state_machine(machine);
	EXECUTE format('DROP SCHEMA %I CASCADE', schema_name);
	RETURN got;
END $$;

-- Runs case n and records its result.
CREATE PROCEDURE aws_conf.run_one(n int)
LANGUAGE plpgsql AS $$
DECLARE
	c jsonb := (SELECT line::jsonb FROM aws_conf.corpus WHERE corpus.n = run_one.n);
	got jsonb := aws_conf.run_case(n, c);
	diff text := aws_conf.difference(c -> 'expect', got, c -> 'volatile_paths');
BEGIN
	INSERT INTO aws_conf.results
	VALUES (n, c ->> 'name', c ->> 'query_language', c ->> 'family', diff IS NULL, diff,
			c -> 'expect', got);
END $$;

-- The cases that have no result (their statement was cancelled) differ.
CREATE PROCEDURE aws_conf.record_missing(why text)
LANGUAGE sql AS $$
	INSERT INTO aws_conf.results
	SELECT n, c ->> 'name', c ->> 'query_language', c ->> 'family', false, why, c -> 'expect', NULL
	  FROM (SELECT n, line::jsonb AS c FROM aws_conf.corpus) x
	 WHERE n NOT IN (SELECT n FROM aws_conf.results)
$$;
