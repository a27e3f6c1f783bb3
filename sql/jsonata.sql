-- booking.jsonata(expression, input, bindings): JSONata over jsonb.
SELECT booking.jsonata('Account.Order.Product[Price > 30].Name',
  '{"Account": {"Order": [{"Product": [{"Name": "Hat", "Price": 34.45}, {"Name": "Pin", "Price": 2}]},
                          {"Product": [{"Name": "Cloak", "Price": 107.99}]}]}}') AS names;

-- undefined is SQL NULL; JSON null stays JSON null; no input is undefined
SELECT booking.jsonata('missing', '{"a": 1}') IS NULL AS undefined_is_null,
       booking.jsonata('$', 'null') AS json_null,
       booking.jsonata('$') IS NULL AS no_input,
       booking.jsonata('42') AS literal;

-- bindings are $variables
SELECT booking.jsonata('$greeting & ", " & name', '{"name": "Ann"}', '{"greeting": "Hello"}') AS greeting;

-- numbers are doubles, printed as JavaScript prints them
SELECT booking.jsonata('0.1 + 0.2') AS sum, booking.jsonata('$string(1e21)') AS big,
       booking.jsonata('$formatNumber(1234.5, "#,##0.00")') AS formatted;

-- the language: lambdas, higher-order functions, grouping, sorting, transforms, regexes
SELECT booking.jsonata('($fib := function($n){$n < 2 ? $n : $fib($n - 1) + $fib($n - 2)}; [1..10].$fib($))') AS fib;
SELECT booking.jsonata('items{category: $sum(price)}',
  '{"items": [{"category": "a", "price": 1}, {"category": "b", "price": 2}, {"category": "a", "price": 3}]}') AS grouped;
SELECT booking.jsonata('items^(>price).name',
  '{"items": [{"name": "x", "price": 1}, {"name": "y", "price": 3}, {"name": "z", "price": 2}]}') AS sorted;
SELECT booking.jsonata('$ ~> |items|{"seen": true}, ["secret"]|',
  '{"items": [{"secret": 1, "id": 1}, {"secret": 2, "id": 2}]}') AS transformed;
SELECT booking.jsonata('$replace(s, /(\w+)@(\w+)/, "$2 at $1")', '{"s": "ann@example"}') AS replaced;
SELECT booking.jsonata('($f := function($n, $acc){$n = 0 ? $acc : $f($n - 1, $acc + 1)}; $f(100000, 0))') AS tail_call;
-- strings as JavaScript sees them: case mapping of every script (ß to SS, a
-- final sigma), lengths in code points as JSONata counts them
SELECT booking.jsonata('$uppercase("straße αβγ привет") & " / " & $lowercase("ΟΔΟΣ ΣΑΣ İ")') AS cases,
       booking.jsonata('$length("😀é")') AS code_points;

-- $uuid() and $random() come from OpenSSL: rows of one query (the same
-- millisecond) do not repeat each other
SELECT count(DISTINCT booking.jsonata('$uuid()')) AS uuids, count(DISTINCT booking.jsonata('$random()')) AS randoms
FROM generate_series(1, 100);

-- a query over rows: the expression is compiled once per call site
CREATE TEMP TABLE orders (id int, doc jsonb);
INSERT INTO orders SELECT i, jsonb_build_object('lines', jsonb_build_array(
  jsonb_build_object('qty', i, 'price', 10), jsonb_build_object('qty', 1, 'price', i))) FROM generate_series(1, 5) i;
SELECT id, booking.jsonata('$sum(lines.(qty * price))', doc) AS total FROM orders ORDER BY id;
SELECT count(*) AS big_orders FROM orders WHERE (booking.jsonata('$sum(lines.(qty * price)) > 30', doc))::boolean;

-- errors: the JSONata code first, then the position, with an SQLSTATE by kind
\set VERBOSITY default
SELECT booking.jsonata('1 +');
SELECT booking.jsonata('"a" + 1');
SELECT booking.jsonata('$sum("x")');
SELECT booking.jsonata('$error("stop here")');
SELECT booking.jsonata('[1..10000001]');
SELECT booking.jsonata('($f := function($n){1 + $f($n)}; $f(0))');
SELECT booking.jsonata('[1..10000000].($ * 2) ~> $count()');
SELECT booking.jsonata('$v', NULL, '[1, 2]');
SELECT booking.jsonata(NULL, '{}');
\set VERBOSITY terse
DO $$
BEGIN
  PERFORM booking.jsonata('1 +');
EXCEPTION WHEN syntax_error THEN RAISE NOTICE 'syntax_error (42601)';
END $$;
DO $$
BEGIN
  PERFORM booking.jsonata('"a" + 1');
EXCEPTION WHEN datatype_mismatch THEN RAISE NOTICE 'datatype_mismatch (42804)';
END $$;
DO $$
BEGIN
  PERFORM booking.jsonata('$error("x")');
EXCEPTION WHEN data_exception THEN RAISE NOTICE 'data_exception (22000)';
END $$;
-- one call site meeting a syntax error, then valid expressions again
DO $$
DECLARE
  e text;
  r jsonb;
BEGIN
  FOREACH e IN ARRAY ARRAY['1 +', '1 + 1', '(', '2 * 3'] LOOP
    BEGIN
      r := booking.jsonata(e);
      RAISE NOTICE '% = %', e, r;
    EXCEPTION WHEN syntax_error THEN RAISE NOTICE '% fails: %', e, SQLERRM;
    END;
  END LOOP;
END $$;
\set VERBOSITY default

-- statement_timeout stops a runaway expression
SET statement_timeout = '20ms';
SELECT booking.jsonata('($f := function($n){$n = 0 ? 0 : $f($n - 1)}; $f(100000000))');
RESET statement_timeout;
-- ... inside one regex search too: each start position of the search polls
-- for the cancel (the pattern backtracks at every 'a' of 22,000)
SET statement_timeout = '200ms';
SELECT booking.jsonata('$match($, /(a+)+x|b/)', to_jsonb(repeat('aaaaaaaaaaaaaaaaaaaaa!', 1000)));
RESET statement_timeout;

-- guard rails: every one is U1001 with SQLSTATE 54000, never a crash nor
-- gigabytes of backend memory
-- PCRE2's backtracking budget at one start position
SELECT booking.jsonata('$match($pad("", 40, "a") & "!", /(a+)+$/)');
-- the result counts against the memory limit when written out: 10^7
-- numbers of a lazy range, a value sharing its parts (2^30 strings)
SELECT booking.jsonata('[1..10000000]');
SELECT booking.jsonata('($f := function($v, $n){$n = 0 ? $v : $f({"a": $v, "b": $v}, $n - 1)}; $f("xxxxxxxxxx", 30))');
SELECT booking.jsonata('($f := function($v, $n){$n = 0 ? $v : $f({"a": $v, "b": $v}, $n - 1)}; $length($string($f("xxxxxxxxxx", 30))))');
-- builtins asked for a huge string
SELECT booking.jsonata('$pad("x", 100000000)');
SELECT booking.jsonata('$fromMillis(0, "[Y,10000000]")');
-- a value nested 100,000 deep, built in constant stack by tail recursion
SELECT booking.jsonata('($f := function($v, $n){$n = 0 ? $v : $f({"a": $v}, $n - 1)}; $f(1, 100000))');
SELECT booking.jsonata('($f := function($v, $n){$n = 0 ? $v : $f({"a": $v}, $n - 1)}; $string($f(1, 100000)))');
SELECT booking.jsonata('($f := function($v, $n){$n = 0 ? $v : $f({"a": $v}, $n - 1)}; $f(1, 100000) = $f(1, 100000))');
SELECT length(booking.jsonata('($f := function($v, $n){$n = 0 ? $v : $f({"a": $v}, $n - 1)}; $f(1, 1000))')::text);
\set VERBOSITY terse
DO $$
BEGIN
  PERFORM booking.jsonata('$match($pad("", 40, "a") & "!", /(a+)+$/)');
EXCEPTION WHEN program_limit_exceeded THEN RAISE NOTICE 'program_limit_exceeded (54000): %', SQLERRM;
END $$;
DO $$
BEGIN
  PERFORM booking.jsonata('[1..10000000]');
EXCEPTION WHEN program_limit_exceeded THEN RAISE NOTICE 'program_limit_exceeded (54000): %', SQLERRM;
END $$;
\set VERBOSITY default

-- booking_user opens it, as every door of booking (it reads nothing and runs as
-- the caller); a role without it is refused
CREATE ROLE jsonata_user;
CREATE ROLE jsonata_stranger;
GRANT booking_user TO jsonata_user;
GRANT USAGE ON SCHEMA booking TO jsonata_stranger;
SELECT has_function_privilege('public', 'booking.jsonata(text, jsonb, jsonb)', 'EXECUTE') AS public_may_execute;
SET ROLE jsonata_user;
SELECT booking.jsonata('$uppercase(who)', '{"who": "anyone"}') AS as_booking_user;
RESET ROLE;
SET ROLE jsonata_stranger;
SELECT booking.jsonata('$uppercase(who)', '{"who": "anyone"}') AS as_stranger;
RESET ROLE;
REVOKE USAGE ON SCHEMA booking FROM jsonata_stranger;
DROP ROLE jsonata_user, jsonata_stranger;

-- compiled expressions and the last input and bindings are kept for the backend:
-- each call still sees its own arguments
CREATE TEMP TABLE jsonata_rows (n int, doc jsonb, vars jsonb);
INSERT INTO jsonata_rows VALUES
  (1, '{"a": 1, "b": [1, 2]}', '{"k": 10}'),
  (2, '{"a": 1, "b": [1, 2]}', '{"k": 10}'),
  (3, '{"a": 2, "b": [3]}', '{"k": 10}'),
  (4, '{"a": 2, "b": [3]}', '{"k": 20}'),
  (5, '{"a": 1, "b": [1, 2]}', NULL),
  (6, NULL, '{"k": 30}');
SELECT n, booking.jsonata('a + $sum(b) + ($k ? $k : 0)', doc, vars) AS sum,
       booking.jsonata('$count(b)', doc, vars) AS count,
       booking.jsonata('$string(a) & "/" & $string($k)', doc, vars) AS text
  FROM jsonata_rows ORDER BY n;
-- the same expression with other inputs in one statement, and one input with other expressions
SELECT e, booking.jsonata(e, '{"x": [5, 6, 7]}') AS r
  FROM (VALUES ('$sum(x)'), ('$max(x)'), ('x[0]'), ('$sum(x)')) v(e);
-- a larger document (stored compressed) read again and changed between calls
CREATE TEMP TABLE jsonata_big (n int, doc jsonb);
INSERT INTO jsonata_big
SELECT n, jsonb_build_object('n', n, 'items', (SELECT jsonb_agg(jsonb_build_object('i', i, 'pad', repeat('x', 50))) FROM generate_series(1, 200) i))
  FROM generate_series(1, 3) n;
SELECT n, booking.jsonata('n * 1000 + $count(items) + $sum(items.i)', doc) FROM jsonata_big ORDER BY n;
SELECT n, booking.jsonata('n * 1000 + $count(items) + $sum(items.i)', doc) FROM jsonata_big ORDER BY n DESC;
-- a failed compilation is not kept; the same text fails again, a good one still runs
SELECT booking.jsonata('a +', '{"a": 1}');
SELECT booking.jsonata('a +', '{"a": 1}');
SELECT booking.jsonata('a + 1', '{"a": 1}') AS two;
-- bindings that are not an object are refused every time, also when just converted
SELECT booking.jsonata('$k', NULL, '[1]');
SELECT booking.jsonata('$k', NULL, '[1]');
-- more expressions than the cache holds, then the first again
SELECT count(DISTINCT booking.jsonata(i::text || ' + a', '{"a": 1}')) AS distinct_results
  FROM generate_series(1, 100) i;
SELECT booking.jsonata('1 + a', '{"a": 1}') AS two_again;
