-- The conformance suite: every case in test/conformance/*.json (definition,
-- input, expected status and output or error), drawn from the ASL
-- specification and AWS's documentation, each naming the rule it checks and
-- its source. Each case runs as a state machine through sfn_start_sync; the
-- same corpus runs in the core's unit tests (test/unit/test_conformance.c).
\set choice `cat test/conformance/choice.json`
\set context `cat test/conformance/context.json`
\set data_limits `cat test/conformance/data_limits.json`
\set intrinsics `cat test/conformance/intrinsics.json`
\set map `cat test/conformance/map.json`
\set parallel `cat test/conformance/parallel.json`
\set parameters `cat test/conformance/parameters.json`
\set pass `cat test/conformance/pass.json`
\set paths `cat test/conformance/paths.json`
\set result_selector `cat test/conformance/result_selector.json`
\set retry_catch `cat test/conformance/retry_catch.json`
\set runtime_errors `cat test/conformance/runtime_errors.json`
\set succeed_fail `cat test/conformance/succeed_fail.json`
\set variables `cat test/conformance/variables.json`
\set wait `cat test/conformance/wait.json`

CREATE TEMP TABLE conformance_case AS
SELECT f.file, e.ord::int AS ord, e.c AS spec
  FROM (VALUES ('choice', :'choice'::jsonb), ('context', :'context'), ('data_limits', :'data_limits'),
               ('intrinsics', :'intrinsics'), ('map', :'map'), ('parallel', :'parallel'),
               ('parameters', :'parameters'), ('pass', :'pass'), ('paths', :'paths'),
               ('result_selector', :'result_selector'), ('retry_catch', :'retry_catch'),
               ('runtime_errors', :'runtime_errors'), ('succeed_fail', :'succeed_fail'),
               ('variables', :'variables'), ('wait', :'wait')) AS f(file, cases),
       jsonb_array_elements(f.cases) WITH ORDINALITY AS e(c, ord);

-- Runs one case; returns NULL when it behaves as expected, else what differed.
CREATE FUNCTION pg_temp.run_case(file text, ord int, spec jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    machine text := format('conformance_%s_%s', file, ord);
    expect jsonb := spec->'expect';
    got jsonb;
BEGIN
    PERFORM booking.sfn_create_state_machine(machine, spec->'definition', role => 'postgres');
    got := booking.sfn_start_sync(machine, spec->'input');
    PERFORM booking.sfn_delete_state_machine(machine);
    IF got->>'status' IS DISTINCT FROM expect->>'status' THEN
        RETURN format('status %s (error %s: %s), expected %s',
                      got->>'status', got->>'error', got->>'cause', expect->>'status');
    END IF;
    IF expect ? 'output' AND got->'output' IS DISTINCT FROM expect->'output' THEN
        RETURN format('output %s, expected %s', got->'output', expect->'output');
    END IF;
    IF expect ? 'error' AND got->>'error' IS DISTINCT FROM expect->>'error' THEN
        RETURN format('error %s (%s), expected %s', got->>'error', got->>'cause', expect->>'error');
    END IF;
    IF expect ? 'cause_contains' AND strpos(coalesce(got->>'cause', ''), expect->>'cause_contains') = 0 THEN
        RETURN format('cause %s, expected it to contain %s', got->>'cause', expect->>'cause_contains');
    END IF;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RETURN format('ERROR %s: %s', SQLSTATE, SQLERRM);
END $$;

CREATE TEMP TABLE conformance_result AS
SELECT file, ord, spec->>'rule' AS rule, pg_temp.run_case(file, ord, spec) AS problem
  FROM conformance_case ORDER BY file, ord;

-- every case, with its rule: "ok" or what went wrong
SELECT file, ord, rule, coalesce('FAILED: ' || problem, 'ok') AS result
  FROM conformance_result ORDER BY file, ord;

SELECT count(*) AS cases, count(*) FILTER (WHERE problem IS NULL) AS passed,
       count(DISTINCT file) AS files
  FROM conformance_result;

-- every case names its source in the ASL specification or AWS's documentation
SELECT count(*) AS cases_without_source FROM conformance_case
 WHERE coalesce(spec->>'source', '') !~ '(states-language\.net|AWS Step Functions|Amazon States Language)';
