-- booking.jsonata() converts jsonb straight to the evaluator's values and its
-- result straight back to jsonb (no json-c between), and keeps the last input
-- and bindings converted as values that its evaluations share.

-- numbers come in as doubles and go out as JavaScript prints them, as before
SELECT n FROM jsonb_array_elements(booking.jsonata('$', '[0, -0, 0.0, 1.50, 0.1, 1e-7, 1e21, 1e22, 123456789012345678, 9007199254740993, -2.5e-30, 1e-400, 1.7976931348623157e308, -12345.678e-3]')) n;
SELECT n FROM jsonb_array_elements(booking.jsonata('[0.1 + 0.2, 1 / 3, 2 * 1e20, 1e30 * 1e8, -7 / 2, $sum(a), $average(a), $power(2, 60), 5e-324]', '{"a": [1.1, 2.2, 3.3]}')) n;
SELECT booking.jsonata('$', '1e400');
SELECT booking.jsonata('$', '{"a": [1, {"b~/c": 1e400}]}');
SELECT booking.jsonata('$string($)', '123.4560000');
-- scalars, null, strings, functions in results
SELECT booking.jsonata('"é \u00e8 \ud83d\ude00"'), booking.jsonata('null'), booking.jsonata('true'),
       booking.jsonata('$uppercase'), booking.jsonata('[1, $uppercase, {"f": $lowercase}]');
-- undefined items of an array are null; undefined members are left out
SELECT booking.jsonata('[1, nothing, 3]', '{}'), booking.jsonata('{"a": 1, "b": nothing}', '{}');
-- a string jsonb cannot hold is refused; the next call runs as usual
SELECT booking.jsonata('"a" & $fromMillis(0, "[Y]") & "\u0000"');
SELECT booking.jsonata('$count(a)', '{"a": [1, 2]}') AS two;

-- nesting: documents up to 2000 levels, results up to 4000
SELECT booking.jsonata('$count($)', (repeat('[', 1999) || '1' || repeat(']', 1999))::jsonb) AS in_1999;
SELECT booking.jsonata('$count($)', (repeat('[', 2001) || '1' || repeat(']', 2001))::jsonb);
SELECT length(booking.jsonata('($f := function($v, $n){$n = 0 ? $v : $f({"a": $v}, $n - 1)}; $f(1, 3999))')::text) AS out_3999;
SELECT booking.jsonata('($f := function($v, $n){$n = 0 ? $v : $f({"a": $v}, $n - 1)}; $f(1, 4001))');
-- results are bounded when written out: a million-character string shared
-- by a thousand items is small in the evaluation, a gigabyte as jsonb
SELECT booking.jsonata('($s := $pad("", 1000000, "x"); $map([1..1000], function($i){ $s }))');
SELECT length(booking.jsonata('($s := $pad("", 1000, "x"); $map([1..1000], function($i){ $s }))')::text) AS a_megabyte;

-- evaluations share the input they are given: none of them changes it, not
-- one that fails half way, nor sorting, transforms, keep-array paths, merges
CREATE TEMP TABLE jsonata_shared (e text);
INSERT INTO jsonata_shared VALUES
  ('$'),
  ('foo[]'),
  ('foo'),
  ('$sort(list, function($a, $b){ $a.k < $b.k })'),
  ('$ ~> |list|{"k": 0, "added": true}, ["v"]|'),
  ('$merge([obj, {"x": 9}])'),
  ('list[k > 1]#$i.[$i, v]'),
  ('$error("stop")'),
  ('$reverse(list) ~> $map(function($x){ $x.k })'),
  ('list^(>k).v'),
  ('$spread(obj)'),
  ('$');
SELECT e, booking.jsonata(e, '{"foo": [1], "list": [{"k": 2, "v": "b"}, {"k": 1, "v": "a"}, {"k": 3, "v": "c"}], "obj": {"x": 1, "y": [2]}}')
  FROM jsonata_shared WHERE e <> '$error("stop")';
SELECT booking.jsonata('$error("stop")', '{"foo": [1], "list": [{"k": 2, "v": "b"}, {"k": 1, "v": "a"}, {"k": 3, "v": "c"}], "obj": {"x": 1, "y": [2]}}');
SELECT booking.jsonata('$', '{"foo": [1], "list": [{"k": 2, "v": "b"}, {"k": 1, "v": "a"}, {"k": 3, "v": "c"}], "obj": {"x": 1, "y": [2]}}') AS after_the_error;
-- the same with bindings shared, and a failing evaluation between
SELECT booking.jsonata('$v ~> |$|{"b": 2}|', NULL, '{"v": {"a": 1}}') AS transformed,
       booking.jsonata('$v.a / $v.zero', NULL, '{"v": {"a": 1}}') AS undefined_division;
SELECT booking.jsonata('$v.a & ($v ~> |$|{"a": 2}|).a & $v.a.b.c + "x"', NULL, '{"v": {"a": 1}}');
SELECT booking.jsonata('$v', NULL, '{"v": {"a": 1}}') AS bindings_after_the_error;
-- a document over 1 MB is converted for each call, not kept
SELECT booking.jsonata('$count(items) & "/" & $string($sum(items.i))', d) AS big
  FROM (SELECT jsonb_build_object('items', jsonb_agg(jsonb_build_object('i', i, 'pad', md5(i::text)))) d
          FROM generate_series(1, 30000) i) s, generate_series(1, 2);

-- as a role that may (booking_user), with the cached input and an error
CREATE ROLE jsonata_values_user;
GRANT booking_user TO jsonata_values_user;
SET ROLE jsonata_values_user;
SELECT booking.jsonata('foo[]', '{"foo": [1]}') AS keep_array, booking.jsonata('foo', '{"foo": [1]}') AS path;
SELECT booking.jsonata('$error("as a user")', '{"foo": [1]}');
SELECT booking.jsonata('$', '{"foo": [1]}') AS unchanged;
RESET ROLE;
DROP ROLE jsonata_values_user;

-- booking.jsonata_keep_documents = off: every call converts its documents
SET booking.jsonata_keep_documents = off;
SELECT n, booking.jsonata('$count(b) + a + $k', '{"a": 1, "b": [1, 2]}', '{"k": 10}') AS r FROM generate_series(1, 2) n;
RESET booking.jsonata_keep_documents;
SELECT booking.jsonata('$count(b) + a + $k', '{"a": 1, "b": [1, 2]}', '{"k": 10}') AS kept_again;

-- an interrupt that is not a cancel (here a request to log memory contexts,
-- sent to this backend just before the call) does not stop an evaluation
SELECT pg_log_backend_memory_contexts(pg_backend_pid()) AS logged,
       booking.jsonata('$count([1..200000].($ * 2))') AS counted;
