/*
 * test_jsonata.c — the JSONata core's interface: compile errors with codes
 * and positions, evaluation against inputs and bindings, undefined versus
 * null, a compiled expression evaluated many times, and the guard rails
 * (depth, step budget, cancel callback, memory limit, host clock).
 */
#include <string.h>

#include <json-c/json.h>

#include "jsonata/jsonata.h"
#include "unit.h"

#include "jn_run.h"

static char long_subject[1000 * 22 + 3];	/* a JSON string */

/* run's result copied, for comparing two runs */
static char copied[4096];

static const char *
run_copy(const char *expr)
{
	snprintf(copied, sizeof copied, "%s", run(expr, NULL));
	return copied;
}

static int	cancel_calls;

static bool
cancel_after_three(void *arg)
{
	(void) arg;
	return ++cancel_calls >= 3;
}

static double
fixed_clock(void *arg)
{
	(void) arg;
	return 1500000000000.0;
}

static void
test_syntax_errors(void)
{
	CHECK_STR(run("1 +", NULL), "compile S0207@3");
	CHECK_STR(run("\"abc", NULL), "compile S0101@4");
	CHECK_STR(run("$x := ", NULL), "compile S0207@6");
	CHECK_STR(run("1 ]", NULL), "compile S0201@3");
	CHECK_STR(run("(1; 2", NULL), "compile S0203@5");
	CHECK_STR(run("1 := 2", NULL), "compile S0212@1");
	CHECK_STR(run("/* never closed", NULL), "compile S0106@0");
	CHECK_STR(run("a.1", NULL), "compile S0213@3");
	/* a signature's error at the '<' token's end plus its offset: the y */
	CHECK_STR(run("function($x)<x-y>{$x}", NULL), "compile S0401@16");
	/* JSONata's path node has no position: unknown */
	CHECK_STR(run("%.a", NULL), "compile S0217@-1");

	/*
	 * a long chain of operators nests the tree as deep as a long nesting of
	 * parentheses (the rewrite recursed 100,000 deep and crashed): S0200
	 * past 2000 levels; a long flat list is fine
	 */
	{
		static char big[600000];
		size_t		k = 0;

		for (int i = 0; i < 100000; i++)
			k += (size_t) snprintf(big + k, sizeof big - k, "a.");
		snprintf(big + k, sizeof big - k, "b");
		CHECK(strncmp(run(big, NULL), "compile S0200@", 14) == 0);
		k = 0;
		for (int i = 0; i < 100000; i++)
			k += (size_t) snprintf(big + k, sizeof big - k, "1+");
		snprintf(big + k, sizeof big - k, "1");
		CHECK(strncmp(run(big, NULL), "compile S0200@", 14) == 0);
		k = 0;
		for (int i = 0; i < 1000; i++)
			k += (size_t) snprintf(big + k, sizeof big - k, "1+");
		snprintf(big + k, sizeof big - k, "1");
		CHECK_STR(run(big, NULL), "1001");
		/* 20,000 string literals: each takes its own length (it took the rest of the text) */
		k = (size_t) snprintf(big, sizeof big, "$count($keys({");
		for (int i = 0; i < 20000; i++)
			k += (size_t) snprintf(big + k, sizeof big - k, "%s\"k%d\": \"v\"", i ? ", " : "", i);
		snprintf(big + k, sizeof big - k, "}))");
		CHECK_STR(run(big, NULL), "20000");
	}
}

/* evaluation errors: JSONata's position (just past the token, in UTF-16 units) and message */
static const char *
error_of(const char *expr)
{
	jn_error	err;
	jn_expr    *e = jn_compile(expr, strlen(expr), &err);
	json_object *out = NULL;
	bool		undef;

	if (e && jn_evaluate(e, NULL, false, NULL, NULL, &out, &undef, &err) == 0)
		snprintf(result_text, sizeof result_text, "no error");
	else
		snprintf(result_text, sizeof result_text, "%s@%d: %s", err.code, err.position, err.message);
	json_object_put(out);
	jn_expr_free(e);
	return result_text;
}

static void
test_error_messages(void)
{
	/* as npm jsonata 2.2.2 reports them */
	CHECK_STR(error_of("1 + null"), "T2002@3: The right side of the \"+\" operator must evaluate to a number");
	CHECK_STR(error_of("'\xf0\x9f\x98\x80\xc3\xa9' + 1"), "T2001@7: The left side of the \"+\" operator must evaluate to a number");
	CHECK_STR(error_of("$string(1, 2, 3)"), "T0410@8: Argument 2 of function \"string\" does not match function signature");
	CHECK_STR(error_of("$average([\"1\"])"), "T0412@9: Argument 1 of function \"average\" must be an array of \"numbers\"");
	CHECK_STR(error_of("sum(1)"), "T1005@4: Attempted to invoke a non-function. Did you mean $sum?");
	CHECK_STR(error_of("\"32\" < 42"), "T2009@6: The values \"32\" and 42 either side of operator \"<\" must be of the same data type");
	CHECK_STR(error_of("$number(\"33 1/2\")"), "D3030@8: Unable to cast value to a number: \"33 1/2\"");
	CHECK_STR(error_of("@ bar"), "S0211@1: The symbol \"@\" cannot be used as a unary operator");
	CHECK_STR(error_of("$replace(\"foo\", \"o, \"rr\")"), "S0202@24: Expected \")\", got \"rr\\\"\"");
	CHECK_STR(error_of("$power(-2, 0.5)"), "D3061@7: The power function has resulted in a value that cannot be represented as a JSON number: base=-2, exponent=0.5");
	CHECK_STR(error_of("{} ~> |$|5|"), "T2011@10: The insert/update clause of the transform expression must evaluate to an object: 5");
	CHECK_STR(error_of("`open"), "S0105@5: Quoted property name must be terminated with a backquote (`)");

	/*
	 * Where JSONata moves an error: to the and/or operator from its right
	 * side (named by the operator); to the site where a function was last
	 * called from inside its body or a callback (a tail call: its procedure's
	 * end; ~> with a function value: nowhere); a signature's to its '<' plus
	 * the offset in the signature run together; a path's S0217 nowhere.
	 */
	CHECK_STR(error_of("false or $number(\"x\")"), "D3030@8: Unable to cast value to a number: \"x\"");
	CHECK_STR(error_of("true and \"a\" + 1"), "T2001@8: The left side of the \"and\" operator must evaluate to a number");
	CHECK_STR(error_of("false or \"a\" < 1"), "T2009@8: The values \"a\" and 1 either side of operator \"or\" must be of the same data type");
	CHECK_STR(error_of("( $B := function(){''}; $A := function(){2 + $B()}; $A() )"), "T2002@55: The right side of the \"+\" operator must evaluate to a number");
	CHECK_STR(error_of("( $A := function(){$min(2, 3)}; $A() )"), "T0410@23: Argument 2 of function \"min\" does not match function signature");
	CHECK_STR(error_of("($f := function($s, $x)<sn:s> { $x > 0 ? $f([$s, $s], $x-1) : $s};  $f('a', 2)  )"), "T0410@43: Argument 1 of function \"f\" does not match function signature");
	CHECK_STR(error_of("( $f := function($x){[$string($x, 1, 2)]}; $f(1) )"), "T0410@46: Argument 2 of function \"string\" does not match function signature");
	CHECK_STR(error_of("$map([1], function($v){$v + \"a\"})"), "T2002@5: The right side of the \"+\" operator must evaluate to a number");
	CHECK_STR(error_of("( $f := function($x){[$x + \"a\"]}; [1] ~> $f )"), "T2001@26: The left side of the \"+\" operator must evaluate to a number");
	CHECK_STR(error_of("$replace(\"abracadabra\", /.*?/, \"$1\")"), "D1004@9: Regular expression matches zero length string");
	CHECK_STR(error_of("($string)(1,2)"), "T0410@10: Argument 2 of function undefined does not match function signature");
	CHECK_STR(error_of("[$string][0](1,2)"), "T0410@13: Argument 2 of function \"[\" does not match function signature");
	CHECK_STR(error_of("\xce\xbb($arg)<n<n>>{$arg}(5)"), "S0401@10: Type parameters can only be applied to functions and arrays");
	CHECK_STR(error_of("function($arg)< s - n < n > >{$arg}(5)"), "S0401@19: Type parameters can only be applied to functions and arrays");
	CHECK_STR(error_of("\xce\xbb($arr)<(sa<n>)>>{$arr}([[1]])"), "S0402@9: Choice groups containing parameterized types are not supported");
	CHECK_STR(error_of("library.loans.%.%.%"), "S0217@-1: The object representing the 'parent' cannot be derived from this expression");
}

static void
test_paths_and_sequences(void)
{
	const char *doc = "{\"a\": [{\"b\": 1}, {\"b\": [2, 3]}, {\"c\": 4}], \"s\": \"x\"}";

	CHECK_STR(run("a.b", doc), "[1,2,3]");
	CHECK_STR(run("a[0].b", doc), "1");
	CHECK_STR(run("a[0].b[]", doc), "[1]");
	CHECK_STR(run("a[-1]", doc), "{\"c\":4}");
	CHECK_STR(run("a[c > 1].c", doc), "4");
	CHECK_STR(run("a[b > 1].b", doc), "error T2010");
	CHECK_STR(run("a.nothing", doc), "undefined");
	CHECK_STR(run("**.b", doc), "[1,2,3]");
	CHECK_STR(run("a#$i[$i > 0].($i)", doc), "[1,2]");
	CHECK_STR(run("a.b.%.c", "{\"a\": {\"b\": 1, \"c\": 5}}"), "5");
	CHECK_STR(run("[3, 1, 2]^($)", NULL), "[1,2,3]");
	CHECK_STR(run("a{ $string(b): $count(b) }", "{\"a\": [{\"b\": 1}, {\"b\": 1}, {\"b\": 2}]}"), "{\"1\":2,\"2\":1}");
	CHECK_STR(run("$", "[1, 2]"), "[1,2]");
	CHECK_STR(run("$[0]", "[1, 2]"), "1");
	CHECK_STR(run("$", "null"), "null");
	CHECK_STR(run("$", NULL), "undefined");
}

static void
test_operators_and_functions(void)
{
	CHECK_STR(run("1 + 2 * 3", NULL), "7");
	CHECK_STR(run("0.1 + 0.2", NULL), "0.30000000000000004");
	CHECK_STR(run("\"a\" & 1.5 & true", NULL), "\"a1.5true\"");
	CHECK_STR(run("2 in [1, 2]", NULL), "true");
	CHECK_STR(run("1 < \"a\"", NULL), "error T2009");
	CHECK_STR(run("\"a\" + 1", NULL), "error T2001");
	CHECK_STR(run("($x := 5; $x * 2)", NULL), "10");
	CHECK_STR(run("$x := 5; $x * 2", NULL), "compile S0201@8");
	CHECK_STR(run("($f := function($a, $b){$a + $b}; $f(1, 2))", NULL), "3");
	CHECK_STR(run("($add3 := $sum([?, 3]) ; 1)", NULL), "compile S0211@17");
	CHECK_STR(run("($first := $substring(?, 0, 1); $first(\"hello\"))", NULL), "\"h\"");
	CHECK_STR(run("[1, 2, 3] ~> $map(function($v){$v * 10})", NULL), "[10,20,30]");
	CHECK_STR(run("$reduce([1, 2, 3, 4], function($a, $b){$a + $b})", NULL), "10");
	CHECK_STR(run("$sort([3, 1, 2], function($a, $b){$a < $b})", NULL), "[3,2,1]");
	CHECK_STR(run("$ ~> |a|{\"x\": 1}, [\"y\"]|", "{\"a\": {\"y\": 2}}"), "{\"a\":{\"x\":1}}");
	CHECK_STR(run("$replace(\"abcabc\", /b(c)/, \"[$1]\")", NULL), "\"a[c]a[c]\"");
	CHECK_STR(run("$match(\"\", /x*/)", NULL), "{\"match\":\"\",\"index\":0,\"groups\":[]}");
	CHECK_STR(run("$match(\"ab\", /x*/)", NULL), "error D1004");
	CHECK_STR(run("$split(\"a1b\", /\\d*/)", NULL), "error D1004");
	CHECK_STR(run("$length(\"h\xc3\xa9llo\")", NULL), "5");
	CHECK_STR(run("$string(1e21)", NULL), "\"1e+21\"");
	CHECK_STR(run("$sum(\"a\")", NULL), "error T0412");
	CHECK_STR(run("$formatNumber(1234.5, \"#,##0.00\")", NULL), "\"1,234.50\"");
	CHECK_STR(run("$error(\"boom\")", NULL), "error D3137");
	CHECK_STR(run("$nothing()", NULL), "error T1006");
	CHECK_STR(run("sum(1)", "{}"), "error T1005");
	CHECK_STR(run_opts("$v * 2", NULL, "{\"v\": 21}", NULL), "42");
}

static void
test_compile_once(void)
{
	jn_error	err;
	jn_expr    *e = jn_compile("items[price > 5].name", 21, &err);

	CHECK(e != NULL);
	for (int i = 0; e && i < 3; i++)
	{
		char		doc[200];
		json_object *in,
				   *out = NULL;
		bool		undef;

		snprintf(doc, sizeof doc, "{\"items\": [{\"name\": \"a\", \"price\": %d}, {\"name\": \"b\", \"price\": 10}]}", 4 + i);
		in = json_tokener_parse(doc);
		CHECK_INT(jn_evaluate(e, in, true, NULL, NULL, &out, &undef, &err), 0);
		CHECK_STR(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN), i < 2 ? "\"b\"" : "[\"a\",\"b\"]");
		json_object_put(out);
		json_object_put(in);
	}
	jn_expr_free(e);
}

static void
test_guard_rails(void)
{
	jn_options	opts = {0};

	/* a runaway non-tail recursion stops at the depth limit */
	CHECK_STR(run("($f := function($n){1 + $f($n + 1)}; $f(0))", NULL), "error U1001");
	/* a tail call runs in constant C stack */
	CHECK_STR(run("($f := function($n){$n = 0 ? \"done\" : $f($n - 1)}; $f(100000))", NULL), "\"done\"");
	/* a step budget */
	opts.max_steps = 10000;
	CHECK_STR(run_opts("($f := function($n){$n = 0 ? 0 : $f($n - 1)}; $f(1000000))", NULL, NULL, &opts), "error U1001");
	/* the cancel callback is polled and stops the evaluation */
	memset(&opts, 0, sizeof opts);
	opts.cancel = cancel_after_three;
	CHECK_STR(run_opts("($f := function($n){$n = 0 ? 0 : $f($n - 1)}; $f(1000000))", NULL, NULL, &opts), "error U1001");
	CHECK_INT(cancel_calls, 3);

	/*
	 * one regex search that backtracks at length at every start position of
	 * a long subject (each under PCRE2's budget): the search itself polls
	 * the callback, and a step budget counts its start positions
	 */
	for (int i = 0; i < 1000 * 22; i++)
		long_subject[i + 1] = (i % 22 == 21) ? '!' : 'a';
	long_subject[0] = long_subject[1000 * 22 + 1] = '"';
	long_subject[1000 * 22 + 2] = '\0';
	cancel_calls = 0;
	CHECK_STR(run_opts("$match($, /(a+)+x|b/)", long_subject, NULL, &opts), "error U1001");
	CHECK_INT(cancel_calls, 3);
	CHECK_INT(last_error.limit, JN_LIMIT_CANCEL);
	memset(&opts, 0, sizeof opts);
	opts.max_steps = 5000;
	CHECK_STR(run_opts("$contains($, /(a+)+x|b/)", long_subject, NULL, &opts), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_STEPS);
	/* a pattern over PCRE2's backtracking budget at one position: U1001 too */
	CHECK_STR(run("$match($pad(\"\", 40, \"a\") & \"!\", /(a+)+$/)", NULL), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_STEPS);
	/* reported where $match was called, as an error escaping any call is */
	CHECK_INT(last_error.position, 7);
	/* memory: a large range is counted lazily, materialised only within the limit */
	CHECK_STR(run("[1..10000000] ~> $count()", NULL), "10000000");
	memset(&opts, 0, sizeof opts);
	opts.memory_limit = 8 * 1024 * 1024;
	CHECK_STR(run_opts("[1..10000000].($ + 1) ~> $count()", NULL, NULL, &opts), "error U1001");
	CHECK_STR(run_opts("$reduce([1..100000], function($a, $b){$a & \"xxxxxxxxxx\"})", NULL, NULL, &opts), "error U1001");
	CHECK_STR(run("[1..10000001]", NULL), "error D2014");

	/*
	 * the result written out counts against the memory limit: a lazy range
	 * of 10^7 numbers, and a value sharing its sub-values (2^30 strings
	 * in a small arena), are U1001 rather than gigabytes of json-c
	 */
	/* (with a 4 MB limit: a test without the bound must not take gigabytes) */
	memset(&opts, 0, sizeof opts);
	opts.memory_limit = 4 * 1024 * 1024;
	CHECK_STR(run_opts("[1..1000000]", NULL, NULL, &opts), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_MEMORY);
	CHECK_STR(run_opts("[1..3]", NULL, NULL, &opts), "[1,2,3]");
	CHECK_STR(run_opts("($f := function($v, $n){$n = 0 ? $v : $f({\"a\": $v, \"b\": $v}, $n - 1)}; $f(\"xxxxxxxxxx\", 16))", NULL, NULL, &opts), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_MEMORY);
	/* and as text: $string of it */
	CHECK_STR(run("($f := function($v, $n){$n = 0 ? $v : $f({\"a\": $v, \"b\": $v}, $n - 1)}; $length($string($f(\"xxxxxxxxxx\", 30))))", NULL), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_MEMORY);
	/* a builtin asked for a huge string: U1001 (memory), not a made-up code */
	CHECK_STR(run("$pad(\"x\", 100000000)", NULL), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_MEMORY);
	CHECK_STR(run("$fromMillis(0, \"[Y,10000000]\")", NULL), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_MEMORY);
	/* comparing two such values polls the host (it takes 2^30 steps) */
	cancel_calls = 0;
	memset(&opts, 0, sizeof opts);
	opts.cancel = cancel_after_three;
	CHECK_STR(run_opts("($f := function($v, $n){$n = 0 ? $v : $f({\"a\": $v, \"b\": $v}, $n - 1)}; $f(1, 30) = $f(1, 30))", NULL, NULL, &opts), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_CANCEL);
	cancel_calls = 0;
	CHECK_STR(run_opts("$count([1..100000] ~> $distinct())", NULL, NULL, &opts), "error U1001");
	CHECK_INT(last_error.limit, JN_LIMIT_CANCEL);

	/*
	 * a value nested deeper than any C stack, built by tail recursion in
	 * constant stack: every walk over it stops at JN_MAX_NESTING
	 */
	{
		static const char *const walks[] = {
			"$d", "$string($d)", "$d = $e", "$d != $e", "[$d, $e] ~> $distinct()", "$d.**",
			"$d ~> |a|{\"b\": 1}|", NULL
		};

		for (int i = 0; walks[i]; i++)
		{
			char		expr[400];

			snprintf(expr, sizeof expr,
					 "($f := function($v, $n){$n = 0 ? $v : $f({\"a\": $v}, $n - 1)}; $d := $f(1, 100000); $e := $f(1, 100000); %s)",
					 walks[i]);
			CHECK_STR(run(expr, NULL), "error U1001");
			CHECK_INT(last_error.limit, JN_LIMIT_DEPTH);
		}
		memset(&opts, 0, sizeof opts);
		opts.json_only = true;
		CHECK_STR(run_opts("($f := function($v, $n){$n = 0 ? $v : $f({\"a\": $v}, $n - 1)}; $f(1, 100000))", NULL, NULL, &opts), "error U1001");
		CHECK_INT(last_error.limit, JN_LIMIT_DEPTH);
		/* within the bound, the same value is written out */
		CHECK_STR(run("($f := function($v, $n){$n = 0 ? $v : $f({\"a\": $v}, $n - 1)}; $f(1, 3) = $f(1, 3))", NULL), "true");
		CHECK_STR(run("($f := function($v, $n){$n = 0 ? $v : $f({\"a\": $v}, $n - 1)}; $count($f(1, 3999).**))", NULL), "4000");
	}
	/*
	 * random numbers and UUIDs come from OpenSSL: two evaluations in the
	 * same millisecond differ (they repeated each other, seeded by the clock)
	 */
	{
		char		first[80];

		snprintf(first, sizeof first, "%s", run("[$uuid(), $random()]", NULL));
		CHECK(strncmp(first, "[\"", 2) == 0);
		CHECK(strcmp(run("[$uuid(), $random()]", NULL), first) != 0);
		CHECK(strcmp(run("$shuffle([1..20])", NULL), run_copy("$shuffle([1..20])")) != 0);
	}
	/* the host's clock */
	memset(&opts, 0, sizeof opts);
	opts.clock = fixed_clock;
	CHECK_STR(run_opts("$millis()", NULL, NULL, &opts), "1500000000000");
}

/* json_only (state machines): a function is JN_ERR_NOT_JSON rather than "", Infinity a string */
static void
test_json_only(void)
{
	jn_options	opts = {0};

	/* by default, as the JSONata suite expects: a function prints as "" */
	CHECK_STR(run("function($x){$x}", NULL), "\"\"");
	opts.json_only = true;
	CHECK_STR(run_opts("function($x){$x}", NULL, NULL, &opts), "error " JN_ERR_NOT_JSON);
	CHECK_STR(run_opts("$sum", NULL, NULL, &opts), "error " JN_ERR_NOT_JSON);
	CHECK_STR(run_opts("/a/", NULL, NULL, &opts), "error " JN_ERR_NOT_JSON);
	/* at any depth */
	CHECK_STR(run_opts("{\"a\": [1, {\"f\": $sum}]}", NULL, NULL, &opts), "error " JN_ERR_NOT_JSON);
	/* a number JSON cannot write is a string, as Jackson writes it (null by default) */
	CHECK_STR(run("[1/0]", NULL), "[null]");
	CHECK_STR(run_opts("1/0", NULL, NULL, &opts), "\"Infinity\"");
	CHECK_STR(run_opts("[1, -1/0, {\"k\": 1/0}]", NULL, NULL, &opts), "[1,\"-Infinity\",{\"k\":\"Infinity\"}]");
	/* everything else is unchanged: values, null, undefined, ranges, a function applied */
	CHECK_STR(run_opts("{\"a\": [1, null, \"s\", true]}", NULL, NULL, &opts), "{\"a\":[1,null,\"s\",true]}");
	CHECK_STR(run_opts("nothing", "{}", NULL, &opts), "undefined");
	CHECK_STR(run_opts("[1..3]", NULL, NULL, &opts), "[1,2,3]");
	CHECK_STR(run_opts("$sum([1, 2])", NULL, NULL, &opts), "3");
	/* which guard rail stopped an evaluation */
	{
		jn_error	err;
		jn_expr    *e = jn_compile("($f := function($n){1 + $f($n + 1)}; $f(0))", strlen("($f := function($n){1 + $f($n + 1)}; $f(0))"), &err);
		json_object *out = NULL;
		bool		undef;

		CHECK(e != NULL);
		CHECK_INT(jn_evaluate(e, NULL, false, NULL, NULL, &out, &undef, &err), -1);
		CHECK_INT(err.limit, JN_LIMIT_DEPTH);
		jn_expr_free(e);
		memset(&opts, 0, sizeof opts);
		opts.memory_limit = 1024 * 1024;
		e = jn_compile("[1..1000000].($ + 1)", strlen("[1..1000000].($ + 1)"), &err);
		CHECK_INT(jn_evaluate(e, NULL, false, NULL, &opts, &out, &undef, &err), -1);
		CHECK_INT(err.limit, JN_LIMIT_MEMORY);
		jn_expr_free(e);
		e = jn_compile("$x.y", strlen("$x.y"), &err);
		CHECK_INT(jn_evaluate(e, NULL, false, NULL, NULL, &out, &undef, &err), 0);
		CHECK_INT(err.limit, JN_LIMIT_NONE);
		jn_expr_free(e);
	}
}

/* AWS's $random(seed) is java.util.Random(seed).nextDouble() */
static void
test_random_seeded(void)
{
	CHECK_STR(run("$random(42)", NULL), "0.7275636800328681");
	CHECK_STR(run("$random(0)", NULL), "0.730967787376657");
	/* the seed as a Java long: truncated */
	CHECK_STR(run("$random(42.9)", NULL), "0.7275636800328681");
	CHECK_STR(run("$random() < 1 and $random() >= 0", NULL), "true");
}

/* the name of a top-level field reference, or "" */
static const char *
top_level(const char *expr)
{
	jn_error	err;
	jn_expr    *e = jn_compile(expr, strlen(expr), &err);
	const char *name;
	size_t		len;
	int			pos;

	result_text[0] = '\0';
	if (e != NULL && jn_expr_top_level_name(e, &name, &len, &pos))
		snprintf(result_text, sizeof result_text, "%.*s@%d", (int) len, name, pos);
	jn_expr_free(e);
	return result_text;
}

static void
test_top_level_names(void)
{
	CHECK_STR(top_level("phone"), "phone@0");
	CHECK_STR(top_level("Account.Order[0]"), "Account@0");
	CHECK_STR(top_level("$count(phone)"), "phone@7");
	CHECK_STR(top_level("{\"a\": [1, -x]}"), "x@11");
	CHECK_STR(top_level("$states.input.a ? b : 1"), "b@18");
	/* relative to a context: fine */
	CHECK_STR(top_level("$states.input.items[price > 5].(qty * price)"), "");
	CHECK_STR(top_level("$map($states.input, function($i){ $i.a + b })"), "");
	CHECK_STR(top_level("$states.input^(price){name: price}"), "");
	CHECK_STR(top_level("$.a"), "");
	CHECK_STR(top_level("[1, 2][$ > 1]"), "");
	CHECK_STR(top_level("($x := $states.input; $x.a)"), "");
}

UNIT_MAIN("test_jsonata", {
	test_syntax_errors();
	test_error_messages();
	test_paths_and_sequences();
	test_operators_and_functions();
	test_compile_once();
	test_guard_rails();
	test_json_only();
	test_random_seeded();
	test_top_level_names();
})
