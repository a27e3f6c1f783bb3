-- JSONata state machines as AWS Step Functions runs them: the failures of
-- expressions (States.QueryEvaluationError and AWS's cause for each kind of
-- result), the validation of JSONata fields, variables' timing, Map's fields
-- and AWS's own functions. Each case names where AWS says or shows it:
--   [rec]  a case of the AWS-recorded corpus (../shared/conformance), or the
--          sibling of one (the same test with another parameter);
--   [doc]  the AWS Step Functions Developer Guide: "Transforming data with
--          JSONata", "Passing data between states with variables", the Map,
--          Wait, Fail and Choice state pages;
--   [jp]   what booking's JSONPath states already do in AWS's words, where
--          the check is the same in both languages.
SET client_min_messages = warning;

-- Runs a definition once; the result without the volatile fields.
CREATE FUNCTION pg_temp.run(def jsonb, input jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
    r jsonb;
BEGIN
    PERFORM booking.sfn_create_state_machine('jc', def, role => 'postgres');
    r := booking.sfn_start_sync('jc', input);
    PERFORM booking.sfn_delete_state_machine('jc');
    RETURN jsonb_strip_nulls(jsonb_build_object('status', r->'status', 'output', r->'output',
                                                'error', r->'error', 'cause', r->'cause'));
END $$;

-- A JSONata Pass state whose Output is the expression.
CREATE FUNCTION pg_temp.out(expr text, input jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $$
    SELECT pg_temp.run(jsonb_build_object('QueryLanguage', 'JSONata', 'StartAt', 'S', 'States',
        jsonb_build_object('S', jsonb_build_object('Type', 'Pass', 'Output', '{% ' || expr || ' %}', 'End', true))),
        input)
$$;

-- A one-state JSONata machine.
CREATE FUNCTION pg_temp.one(state jsonb, input jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $$
    SELECT pg_temp.run(jsonb_build_object('QueryLanguage', 'JSONata', 'StartAt', 'S',
                                          'States', jsonb_build_object('S', state)), input)
$$;

-- A JSONata Map over Items with a Pass processor, plus the given fields.
CREATE FUNCTION pg_temp.map(fields jsonb, input jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql AS $$
    SELECT pg_temp.one(jsonb_build_object('Type', 'Map', 'End', true, 'ItemProcessor',
        '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'::jsonb) || fields, input)
$$;

-- sfn_validate's errors, one a row.
CREATE FUNCTION pg_temp.errors(def jsonb) RETURNS TABLE(code text, location text)
LANGUAGE sql AS $$
    SELECT code, location FROM booking.sfn_validate(def) WHERE severity = 'ERROR' ORDER BY location, code
$$;

------------------------------------------------------------------------------
-- 1. What an expression returns that JSON cannot hold
------------------------------------------------------------------------------
-- [rec] test_map_state_items_eval_jsonata_fail[function]: a function is
-- "returned an unsupported result type."; the same at any depth of the
-- result, and for a regular expression (a function in JSONata)
SELECT pg_temp.out('function($x){$x}');
SELECT pg_temp.out('{"a": [1, $sum]}');
SELECT pg_temp.out('/ab+/');
-- a number JSON cannot write is a string, as AWS writes it: [1/0] is
-- ["Infinity"], {'k': 1/0} is {"k": "Infinity"} (measured in floci-io/floci#2783)
SELECT pg_temp.out('1/0');
SELECT pg_temp.out('[1/0, {"n": -1/0}]');
-- AWS's bounds: "threw an error during evaluation: <message>", no JSONata code
-- (floci-io/floci#2737); the memory bound is booking's own (256 MB)
SELECT pg_temp.out('($f := function($n){1 + $f($n + 1)}; $f(0))');
-- AWS's depth bound is 100: a sum of 100 terms evaluates, of 101 fails
SELECT pg_temp.out(repeat('1 + ', 99) || '1');
SELECT pg_temp.out(repeat('1 + ', 100) || '1')->>'cause' LIKE '%Stack overflow error%' AS depth_101_fails;
-- a lambda used, not returned, is fine
SELECT pg_temp.out('($f := function($x){$x * 2}; $f(21))');

-- [rec] test_undefined_reference[...]: nothing returned is "returned nothing
-- (undefined)", located at the field (Output, Output/result, Assign/result);
-- an empty sequence is nothing too
SELECT pg_temp.out('$doesNotExist');
SELECT pg_temp.one('{"Type": "Pass", "Output": {"result": "{% $states.input.a[b > 5] %}"}, "End": true}',
                   '{"a": [{"b": 1}]}');
SELECT pg_temp.one('{"Type": "Pass", "Assign": {"result": "{% $doesNotExist %}"}, "End": true}');
-- the field is named as AWS names it: "/key" for a member, "[i]" for an item,
-- "Choices[i]/" for a Choice rule's own fields
SELECT pg_temp.one('{"Type": "Pass", "Output": {"a": [1, {"b": ["{% $nothing %}"]}]}, "End": true}');
SELECT pg_temp.run('{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [{"Condition": "{% false %}", "Next": "E"},
                                        {"Condition": "{% true %}", "Next": "E", "Assign": {"v": "{% $nothing %}"}}],
          "Default": "E"},
    "E": {"Type": "Succeed"}}}');
-- inside a constructed value, undefined members and items are left out (JSONata)
SELECT pg_temp.out('{"a": $nothing, "b": [1, $nothing, 2]}');

-- [doc] an error during evaluation names its JSONata code; [rec] test_math_random_seeded
SELECT pg_temp.out('$states.input.s + 1', '{"s": "x"}');
SELECT pg_temp.out('$notAFunction(1)');

------------------------------------------------------------------------------
-- 2. A result of the wrong JSON type: "returned an unexpected result type"
------------------------------------------------------------------------------
-- [rec] test_map_state_items_eval_jsonata_fail[...] and ..._variable_sampling
SELECT pg_temp.map('{"Items": "{% true %}"}');
SELECT pg_temp.map('{"Items": "{% $states.input.v %}"}', '{"v": "text"}');
-- the value printed as JSON without escaping "/" (as AWS prints it)
SELECT pg_temp.map('{"Items": "{% $states.input.v %}"}', '{"v": {"url": "a/b"}}');
-- [rec] test_map_state_items_input_types[...]: no Items, and the input is not an array
SELECT pg_temp.map('{}', 'null');
SELECT pg_temp.map('{}', '{"foo": "bar"}');
-- the same wording for Condition (boolean), Fail Error/Cause (string), Wait
-- Seconds (number) and Timestamp (string) [doc: each field's type]
SELECT pg_temp.run('{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
    "C": {"Type": "Choice", "Choices": [{"Condition": "{% $states.input.n %}", "Next": "E"}], "Default": "E"},
    "E": {"Type": "Succeed"}}}', '{"n": 1}');
SELECT pg_temp.one('{"Type": "Fail", "Error": "{% $states.input.code %}", "Cause": "c"}', '{"code": 42}');
SELECT pg_temp.one('{"Type": "Fail", "Error": "E", "Cause": "{% $states.input %}"}', '{"a": 1}');
SELECT pg_temp.one('{"Type": "Fail", "Error": "{% $states.input.e %}", "Cause": "{% $states.input.c %}"}',
                   '{"e": "Custom.Error", "c": "because"}');
SELECT pg_temp.one('{"Type": "Wait", "Seconds": "{% $states.input.s %}", "End": true}', '{"s": "1"}');
SELECT pg_temp.one('{"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": true}', '{"t": 1}');

------------------------------------------------------------------------------
-- 3. Wait
------------------------------------------------------------------------------
-- [rec] test_wait_timestamp_jsonata[NO_Z, NO_T, INVALID_DATE, INVALID_ISO]
SELECT pg_temp.one('{"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": true}',
                   '{"t": "2016-12-05T21:29:29"}');
SELECT pg_temp.one('{"Type": "Wait", "Timestamp": "{% $states.input.t %}", "End": true}',
                   '{"t": "2016-13-05T21:29:29Z"}');
-- a Timestamp in the past does not wait [doc]
SELECT pg_temp.one('{"Type": "Wait", "Timestamp": "{% $states.input.t %}", "Output": "{% $states.input.t %}", "End": true}',
                   '{"t": "2016-12-05T21:29:29Z"}');
-- [jp] a delay over 2^31 - 1 seconds fails at once (test_timestamp_too_far_in_future_boundary)
SELECT pg_temp.one('{"Type": "Wait", "Seconds": "{% 2147483648 %}", "End": true}');
SELECT pg_temp.one('{"Type": "Wait", "Timestamp": "{% \"2200-01-01T00:00:00Z\" %}", "End": true}');
SELECT pg_temp.one('{"Type": "Wait", "Seconds": "{% -1 %}", "End": true}');
-- [rec] test_wait_seconds_jsonata
SELECT pg_temp.one('{"Type": "Wait", "Seconds": "{% $states.input.s %}", "End": true}', '{"s": 0}');

------------------------------------------------------------------------------
-- 4. Variables: Assign and Output see the values of state entry [doc]
------------------------------------------------------------------------------
SELECT pg_temp.run('{"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    "A": {"Type": "Pass", "Assign": {"x": 1}, "Next": "B"},
    "B": {"Type": "Pass", "Assign": {"x": "{% $x + 1 %}", "y": "{% $x %}"},
          "Output": {"x": "{% $x %}"}, "Next": "C"},
    "C": {"Type": "Pass", "Output": {"x": "{% $x %}", "y": "{% $y %}"}, "End": true}}}');
-- a Choice rule's Assign and Output replace the state's when it matches [rec test_assign_in_choice]
SELECT pg_temp.run('{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
    "C": {"Type": "Choice", "Assign": {"v": "default"}, "Output": "{% ''state'' %}",
          "Choices": [{"Condition": "{% $states.input.go %}", "Next": "E",
                       "Assign": {"v": "rule"}, "Output": "{% ''rule'' %}"}], "Default": "E"},
    "E": {"Type": "Pass", "Output": {"v": "{% $v %}", "in": "{% $states.input %}"}, "End": true}}}',
    '{"go": true}');
-- $states.input and $ are the raw input; $states.context is the context object [doc]
SELECT pg_temp.out('[$states.input.a, $.a, $states.context.State.Name]', '{"a": 5}');
-- expressions at any depth of a value; other strings are literal [doc]
SELECT pg_temp.one('{"Type": "Pass", "Output": {"a": [{"b": "{% 1 + 1 %}"}, "$.notPath", "{ not % one", "50% {%"]}, "End": true}');

------------------------------------------------------------------------------
-- 5. Validation: located errors [doc]
------------------------------------------------------------------------------
-- "{% %}" must be the whole string, no spaces outside: a string that opens or
-- closes an expression improperly is an error, not a literal; one padded with
-- whitespace on both sides (" {% 5 %} ") opens none and is a literal
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass",
    "Output": {"a": "{% 1 %} ", "b": [" {% 2 %}"], "c": "{% 3", "d": "x {% 4 %}", "ok": "100 %}% literal", "pad": " {% 5 %} "},
    "End": true}}}');
-- Assign: variable names; $states is reserved
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass",
    "Assign": {"states": 1, "a-b": 2, "_ok": 3}, "End": true}}}');
-- JSONPath fields in a JSONata state
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass",
    "InputPath": "$.a", "Parameters": {}, "ResultPath": "$.r", "End": true}}}');
-- literal values of the wrong type or out of range
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "W", "States": {
    "W": {"Type": "Wait", "Seconds": -1, "Next": "T"},
    "T": {"Type": "Wait", "Timestamp": "2016-12-05 21:29:29Z", "Next": "M"},
    "M": {"Type": "Map", "Items": "$.a", "MaxConcurrency": 1.5, "ToleratedFailurePercentage": 101,
          "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "Next": "F"},
    "F": {"Type": "Fail", "Error": 1, "Cause": {"a": "b"}}}}');
-- a field referred to at the top level: AWS refuses "Reference to 'phone' at the
-- top level is not supported." (floci-io/floci#2670); names relative to a
-- context (a later step, a predicate, a lambda) are fine
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass",
    "Output": {"bad": "{% $count(phone) %}",
               "ok": "{% $states.input.items[price > 5].(qty * price) %}"}, "End": true}}}');
-- a syntax error, located
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass",
    "Output": {"deep": ["{% 1 + %}"]}, "End": true}}}');

------------------------------------------------------------------------------
-- 6. Map [doc: Map state in JSONata; rec: test_base_map, test_map_state_item_selector]
------------------------------------------------------------------------------
SELECT pg_temp.map('{"Items": "{% $states.input.list %}",
    "ItemSelector": {"value": "{% $states.context.Map.Item.Value %}", "index": "{% $states.context.Map.Item.Index %}",
                     "outer": "{% $states.input.tag %}"}}', '{"list": ["a", "b"], "tag": "t"}');
SELECT pg_temp.map('{"Items": [1, "{% 1 + 1 %}"], "MaxConcurrency": "{% $states.input.mc %}",
    "ToleratedFailureCount": "{% 0 %}", "ToleratedFailurePercentage": "{% 100 %}",
    "Output": {"n": "{% $count($states.result) %}"}}', '{"mc": 1}');
-- [jp] bad values, in the words of the JSONPath Map (test_max_concurrency_path)
SELECT pg_temp.map('{"Items": [1], "MaxConcurrency": "{% -1 %}"}');
SELECT pg_temp.map('{"Items": [1], "MaxConcurrency": "{% 1.5 %}"}');
SELECT pg_temp.map('{"Items": [1], "MaxConcurrency": "{% \"2\" %}"}');
SELECT pg_temp.map('{"Items": [1], "ToleratedFailureCount": "{% -1 %}"}');
SELECT pg_temp.map('{"Items": [1], "ToleratedFailurePercentage": "{% 100.5 %}"}');
-- ItemReader, ItemBatcher and ResultWriter in JSONata's form: Arguments, numbers
-- literal or {% %}; JSONPath's Parameters and *Path refused; Distributed only
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                   "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "k"},
                   "ReaderConfig": {"InputType": "JSON", "MaxItems": "{% $states.input.max %}"}},
    "ItemBatcher": {"MaxItemsPerBatch": "{% 2 %}", "MaxInputBytesPerBatch": 1024,
                    "BatchInput": {"tag": "{% $states.input.tag %}"}},
    "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "b", "Prefix": "p"}},
    "End": true}}}');
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket": "b"},
                   "ReaderConfig": {"MaxItemsPath": "$.max"}},
    "ItemBatcher": {"MaxItemsPerBatchPath": "$.n", "BatchInput": {"x": "{% $states.input. %}"}},
    "End": true}}}');
SELECT * FROM pg_temp.errors('{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "ItemBatcher": {"MaxItemsPerBatch": 2}, "End": true}}}');
-- booking reads no S3 and batches nothing: refused at run time as in JSONPath
SELECT pg_temp.map('{"Items": [1, 2, 3], "ItemBatcher": {"MaxItemsPerBatch": "{% 2 %}"},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}');

------------------------------------------------------------------------------
-- 7. AWS's functions [doc: "JSONata functions provided by Step Functions"; rec: test_array_jsonata,
--    test_json_manipulation_jsonata, test_math_operations_jsonata]
------------------------------------------------------------------------------
SELECT pg_temp.out('[$partition([1,2,3,4,5], 2), $partition([1], 4)]');
SELECT pg_temp.out('$range(0, 10, 2)');
-- a single number is not wrapped in an array (a JSONata sequence of one)
SELECT pg_temp.out('$range(1, 1, 1)');
SELECT pg_temp.out('$range(5, 1, -2)');
-- AWS truncates the arguments towards zero (measured in floci-io/floci#2676)
SELECT pg_temp.out('$range(-1.7, 2, 1)');
-- $hash: lowercase hex, checked against PostgreSQL's own digests
SELECT (pg_temp.out('$hash("input data", "MD5")')->>'output') = md5('input data') AS md5,
       (pg_temp.out('$hash("input data", "SHA-256")')->>'output') = encode(sha256('input data'), 'hex') AS sha256,
       (pg_temp.out('$hash("input data", "SHA-384")')->>'output') = encode(sha384('input data'), 'hex') AS sha384,
       (pg_temp.out('$hash("input data", "SHA-512")')->>'output') = encode(sha512('input data'), 'hex') AS sha512,
       length(pg_temp.out('$hash("input data", "SHA-1")')->>'output') AS sha1_length;
SELECT pg_temp.out('$hash("x", "SHA-3")')->>'error' AS unknown_algorithm;
-- $random(seed) is java.util.Random(seed).nextDouble(): 42 gives 0.7275636800328681 on AWS
-- (measured in floci-io/floci#2662), 0 gives Java's 0.730967787376657
SELECT pg_temp.out('[$random(42), $random(0)]');
-- $random: in [0, 1); the same seed gives the same number
SELECT (r->'output'->>0)::float8 >= 0 AND (r->'output'->>0)::float8 < 1 AS in_range,
       r->'output'->0 = r->'output'->1 AS seeded_repeats
  FROM pg_temp.out('[$random(7), $random(7)]') AS r;
-- $uuid: version 4
SELECT pg_temp.out('$uuid()')->>'output' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS v4;
-- $parse: any JSON text; invalid text is an evaluation error
SELECT pg_temp.out('[$parse("{\"a\": [1, 2]}"), $parse("[true]"), $parse("\"s\""), $parse("3.5")]');
SELECT pg_temp.out('$parse("{bad")')->>'error' AS invalid_json;
-- $eval is not provided [doc]
SELECT pg_temp.out('$eval("1 + 1")')->>'error' AS no_eval;
