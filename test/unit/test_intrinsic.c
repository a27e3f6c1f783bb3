/*
 * test_intrinsic.c — intrinsic functions: parsing, compile-time checks and
 * every States.* function, with the AWS developer guide's examples.
 */
#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "core/asl/intrinsic.h"
#include "unit.h"

#define INPUT \
	"{\"name\": \"Arnav\", \"template\": \"Hello, my name is {}.\"," \
	" \"inputArray\": [1, 2, 3, 4, 5, 6, 7, 8, 9], \"index\": 5," \
	" \"dup\": [1, 2, 3, 3, 3, 3, 3, 3, 4]," \
	" \"json1\": {\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2}, \"json2\": {\"a\": {\"a3\": 1, \"a4\": 2}, \"c\": 3}," \
	" \"s\": \"h\\u00e9llo\", \"n\": 1.5, \"i\": 42, \"t\": true, \"z\": null, \"str\": \"abc\"," \
	" \"escaped\": \"{\\\"foo\\\": \\\"bar\\\"}\", \"tpl\": \"a \\\\{} {}\"," \
	" \"books\": [{\"title\": \"A\", \"price\": 8}, {\"title\": \"B\", \"price\": 20}]," \
	" \"arn\": \"arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.3\"," \
	" \"odd, (key)\": \"weird\", \"base64\": \"RGF0YSB0byBlbmNvZGU=\", \"empty\": [], \"obj\": {\"k\": [1]}," \
	" \"big\": 3000000000, \"half\": 2.5, \"neg_half\": -1.5, \"two\": 2.0, \"splitter\": \".+,=\"," \
	" \"words\": \"This.is+a,test=string\", \"mixed\": [1, \"1\", 1.0, null, null, {\"x\": [1, {\"y\": 2}]}, {\"x\": [1, {\"y\": 2}]}, [1], [1], true]}"

static json_object *input_doc;
static json_object *context_doc;
static json_object *vars_doc;
static asl_scope scope;

static char last_name[64];
static char last_cause[4096];

typedef enum result
{
	R_OK,
	R_RUNTIME,					/* States.Runtime */
	R_FAILURE,					/* States.IntrinsicFailure */
	R_OTHER_ERROR,
	R_COMPILE					/* rejected by asl_intrinsic_compile */
} result;

/* Compiles and evaluates text against scope; keeps the error in last_*. */
static result
run(const char *text, json_object **out)
{
	char	   *error = NULL;
	asl_intrinsic *fn = asl_intrinsic_compile(text, &error);
	asl_error	err = {0};
	result		r;

	*out = NULL;
	last_name[0] = '\0';
	last_cause[0] = '\0';
	if (fn == NULL)
	{
		snprintf(last_cause, sizeof last_cause, "%s", error ? error : "(no message)");
		free(error);
		return R_COMPILE;
	}
	if (asl_intrinsic_eval(fn, &scope, out, &err))
		r = R_OK;
	else
	{
		snprintf(last_name, sizeof last_name, "%s", err.name ? err.name : "");
		snprintf(last_cause, sizeof last_cause, "%s", err.cause ? err.cause : "");
		r = strcmp(last_name, "States.Runtime") == 0 ? R_RUNTIME :
			strcmp(last_name, "States.IntrinsicFailure") == 0 ? R_FAILURE : R_OTHER_ERROR;
		if (*out != NULL)
			r = R_OTHER_ERROR;	/* a failure must leave no result */
	}
	asl_error_clear(&err);
	asl_intrinsic_free(fn);
	return r;
}

static const char *
plain(json_object *v)
{
	return v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null";
}

/* Evaluates and compares with expected JSON text ("null" is json null). */
static bool
eval_is(const char *text, const char *expected, char **got)
{
	json_object *out = NULL;
	json_object *want;
	result		r = run(text, &out);
	bool		ok;

	if (r != R_OK)
	{
		if (asprintf(got, "error %s: %s", last_name[0] ? last_name : "(compile)", last_cause) < 0)
			*got = NULL;
		return false;
	}
	*got = strdup(plain(out));
	want = json_tokener_parse(expected);
	ok = json_object_equal(out, want) &&
		(want != NULL || strcmp(expected, "null") == 0);
	json_object_put(want);
	json_object_put(out);
	return ok;
}

#define EXPECT(text, expected) \
	do { \
		char *got_ = NULL; \
		bool ok_ = eval_is((text), (expected), &got_); \
		CHECK_MSG(ok_, "%s: expected %s, got %s", (text), (expected), got_ ? got_ : "?"); \
		free(got_); \
	} while (0)

/* Evaluation fails with the error kind, and the cause contains fragment. */
#define EXPECT_ERR(text, kind, fragment) \
	do { \
		json_object *out_ = NULL; \
		result r_ = run((text), &out_); \
		CHECK_MSG(r_ == (kind) && strstr(last_cause, (fragment)) != NULL, \
				  "%s: expected error %d with \"%s\", got %d: %s %s %s", (text), (int) (kind), \
				  (fragment), (int) r_, last_name, last_cause, r_ == R_OK ? plain(out_) : ""); \
		json_object_put(out_); \
	} while (0)

#define EXPECT_FAIL(text, fragment) EXPECT_ERR(text, R_FAILURE, fragment)
#define EXPECT_RUNTIME(text, fragment) EXPECT_ERR(text, R_RUNTIME, fragment)
#define EXPECT_REJECT(text, fragment) EXPECT_ERR(text, R_COMPILE, fragment)

/* ---- syntax ---- */

static void
test_is_call(void)
{
	CHECK(asl_intrinsic_is_call("States.Format('x')"));
	CHECK(asl_intrinsic_is_call("States.Anything"));
	CHECK(!asl_intrinsic_is_call("$.a"));
	CHECK(!asl_intrinsic_is_call("states.Format('x')"));
	CHECK(!asl_intrinsic_is_call(" States.Array()"));
	CHECK(!asl_intrinsic_is_call(""));
	CHECK(!asl_intrinsic_is_call(NULL));
}

static void
test_syntax(void)
{
	char	   *error = NULL;

	/* spacing between and around arguments, and none at all */
	EXPECT("States.Array(1,2)", "[1, 2]");
	EXPECT("States.Array( 1 ,\t2\n, 3 )", "[1, 2, 3]");
	EXPECT("States.Array ( )", "[]");
	EXPECT("States.Array()  ", "[]");
	/* literals */
	EXPECT("States.Array(0, -1, 2.5, -0.25, 1e3, 2E-2, 12345678901234)",
		   "[0, -1, 2.5, -0.25, 1000.0, 0.02, 12345678901234]");
	EXPECT("States.Array(true, false, null)", "[true, false, null]");
	EXPECT("States.Array(99999999999999999999)", "[1e20]");
	EXPECT("States.Array('', 'plain', 'with space', 'x,y)z')", "[\"\", \"plain\", \"with space\", \"x,y)z\"]");
	/* escapes: \' \{ \} \\ give the character; others stay as written */
	EXPECT("States.Array('it\\'s', '\\{\\}', 'back\\\\slash', 'keep\\n')",
		   "[\"it's\", \"{}\", \"back\\\\slash\", \"keep\\\\n\"]");
	EXPECT("States.Array('caf\xc3\xa9 \xe2\x9c\x93')", "[\"caf\\u00e9 \\u2713\"]");
	/* paths: dot names end at ',', ')' or space; brackets may hold them */
	EXPECT("States.Array($.i,$.str)", "[42, \"abc\"]");
	EXPECT("States.Array($['odd, (key)'], $[\"str\"])", "[\"weird\", \"abc\"]");
	EXPECT("States.Array($.books[?(@.price > 10)].title)", "[[\"B\"]]");
	EXPECT("States.Array($.books[?(@.title == 'A' || @.title == 'B)')].price)", "[[8]]");
	EXPECT("States.Array($.books[*].price, $.inputArray[0:2])", "[[8, 20], [1, 2]]");
	EXPECT("States.Array($..price)", "[[8, 20]]");
	EXPECT("States.Array($)", "[" INPUT "]");
	/* context object and variables */
	EXPECT("States.Array($$.Execution.Name, $$.State.Name)", "[\"ex1\", \"S\"]");
	EXPECT("States.Array($who, $limit, $list[0])", "[\"Ann\", 10, 3]");
	/* a json null reached by a path is a value, not a miss */
	EXPECT("States.Array($.z)", "[null]");
	EXPECT("States.JsonToString($.z)", "\"null\"");

	/* the compiled form can be evaluated many times */
	{
		asl_intrinsic *fn = asl_intrinsic_compile("States.MathAdd($.i, 1)", &error);
		int			good = 0;

		CHECK(fn != NULL && error == NULL);
		for (int k = 0; k < 50; k++)
		{
			json_object *out = NULL;
			asl_error	err = {0};

			if (asl_intrinsic_eval(fn, &scope, &out, &err) && json_object_get_int(out) == 43)
				good++;
			json_object_put(out);
			asl_error_clear(&err);
		}
		CHECK_INT(good, 50);
		asl_intrinsic_free(fn);
	}
	/* error may be NULL; asl_intrinsic_free(NULL) is a no-op */
	CHECK(asl_intrinsic_compile("States.Nope()", NULL) == NULL);
	asl_intrinsic_free(NULL);
	CHECK(asl_intrinsic_compile(NULL, &error) == NULL && error != NULL);
	free(error);
}

static void
test_syntax_errors(void)
{
	EXPECT_REJECT("States.Nope(1)", "unknown intrinsic function 'States.Nope' at offset 0");
	EXPECT_REJECT("States.format('x')", "unknown intrinsic function 'States.format'");
	EXPECT_REJECT("States.Array(States.Bogus())", "unknown intrinsic function 'States.Bogus' at offset 13");
	EXPECT_REJECT("States.", "expected a function name after 'States.' at offset 7");
	EXPECT_REJECT("States.(1)", "expected a function name");
	EXPECT_REJECT("States.Array", "unexpected end of text, expected '(' after the function name at offset 12");
	EXPECT_REJECT("States.Array.x()", "unexpected '.', expected '('");
	EXPECT_REJECT("Format('x')", "expected an intrinsic function call");
	EXPECT_REJECT("", "expected an intrinsic function call");
	/* unbalanced parentheses and quotes */
	EXPECT_REJECT("States.Format('{}', $.name", "unexpected end of text, expected ',' or ')' after an argument at offset 26");
	EXPECT_REJECT("States.Format('{}'", "unexpected end of text, expected ',' or ')' after the first argument at offset 18");
	EXPECT_REJECT("States.Array(", "unexpected end of text, expected an argument");
	EXPECT_REJECT("States.Array(1))", "unexpected ')', expected the end of the text after the call at offset 15");
	EXPECT_REJECT("States.Format('abc)", "unterminated string literal at offset 14");
	EXPECT_REJECT("States.Format('abc\\')", "unterminated string literal at offset 14");
	EXPECT_REJECT("States.Array(1 2)", "unexpected '2', expected ',' or ')' after the first argument at offset 15");
	EXPECT_REJECT("States.Array(1,)", "unexpected ')', expected an argument");
	EXPECT_REJECT("States.Array(,1)", "unexpected ',', expected an argument");
	EXPECT_REJECT("States.Array(1) x", "unexpected 'x', expected the end of the text after the call at offset 16");
	EXPECT_REJECT("States.Array(\"x\")", "unexpected '\"'");
	EXPECT_REJECT("States.Array(\x01)", "unexpected byte 0x01");
	/* bad literals */
	EXPECT_REJECT("States.Array(nul)", "unexpected 'nul', expected an argument");
	EXPECT_REJECT("States.Array(True)", "unexpected 'True'");
	EXPECT_REJECT("States.Array(States)", "unexpected 'States'");
	EXPECT_REJECT("States.Array(1.)", "expected a digit after '.' at offset 15");
	EXPECT_REJECT("States.Array(-)", "unexpected ')', expected a digit at offset 14");
	EXPECT_REJECT("States.Array(1e)", "expected a digit in the exponent");
	EXPECT_REJECT("States.Array(01)", "unexpected '1', expected ',' or ')'");
	EXPECT_REJECT("States.Array(.5)", "unexpected '.'");
	EXPECT_REJECT("States.Array(1e999)", "number out of range at offset 13");
	EXPECT_REJECT("States.Array(1x)", "unexpected 'x'");
	/* path arguments are compiled, with the path's own message */
	EXPECT_REJECT("States.Array($.a[)", "invalid path argument at offset 13: invalid JSONPath '$.a[)'");
	EXPECT_REJECT("States.Array($.a..)", "invalid path argument at offset 13");
	EXPECT_REJECT("States.Array($['a)", "invalid path argument at offset 13");
	/* nesting: ten levels are fine, eleven are not */
	{
		char		text[512];
		size_t		len = 0;

		for (int depth = 1; depth <= 11; depth++)
		{
			len = 0;
			for (int k = 0; k < depth; k++)
				len += (size_t) sprintf(text + len, "States.Array(");
			for (int k = 0; k < depth; k++)
				text[len++] = ')';
			text[len] = '\0';
			if (depth == 10)
				EXPECT(text, "[[[[[[[[[[]]]]]]]]]]");
		}
		EXPECT_REJECT(text, "intrinsic function calls nested more than 10 deep at offset 130");
	}
}

static void
test_compile_checks(void)
{
	/* argument counts */
	EXPECT_REJECT("States.Format()", "States.Format takes at least 1 argument, not 0 at offset 0");
	EXPECT_REJECT("States.StringToJson()", "States.StringToJson takes 1 argument, not 0");
	EXPECT_REJECT("States.JsonToString($.a, $.b)", "States.JsonToString takes 1 argument, not 2");
	EXPECT_REJECT("States.ArrayPartition($.inputArray)", "States.ArrayPartition takes 2 arguments, not 1");
	EXPECT_REJECT("States.ArrayContains($.inputArray)", "takes 2 arguments, not 1");
	EXPECT_REJECT("States.ArrayRange(1, 2)", "States.ArrayRange takes 3 arguments, not 2");
	EXPECT_REJECT("States.ArrayGetItem($.inputArray, 1, 2)", "takes 2 arguments, not 3");
	EXPECT_REJECT("States.ArrayLength()", "States.ArrayLength takes 1 argument, not 0");
	EXPECT_REJECT("States.ArrayUnique($.a, $.b)", "takes 1 argument, not 2");
	EXPECT_REJECT("States.Base64Encode()", "takes 1 argument, not 0");
	EXPECT_REJECT("States.Base64Decode('a', 'b')", "takes 1 argument, not 2");
	EXPECT_REJECT("States.Hash('x')", "States.Hash takes 2 arguments, not 1");
	EXPECT_REJECT("States.JsonMerge($.json1, $.json2)", "States.JsonMerge takes 3 arguments, not 2");
	EXPECT_REJECT("States.MathRandom(1)", "States.MathRandom takes 2 to 3 arguments, not 1");
	EXPECT_REJECT("States.MathRandom(1, 2, 3, 4)", "takes 2 to 3 arguments, not 4");
	EXPECT_REJECT("States.MathAdd(1)", "States.MathAdd takes 2 arguments, not 1");
	EXPECT_REJECT("States.StringSplit('a')", "takes 2 arguments, not 1");
	EXPECT_REJECT("States.UUID(1)", "States.UUID takes 0 arguments, not 1");
	EXPECT_REJECT("States.Array(States.MathAdd(1))", "States.MathAdd takes 2 arguments, not 1 at offset 13");
	/* literal argument types */
	EXPECT_REJECT("States.Format(1, 2)", "argument 1 of States.Format must be a string, not a number literal at offset 14");
	EXPECT_REJECT("States.Format(null)", "must be a string, not null");
	EXPECT_REJECT("States.MathAdd('1', 2)", "argument 1 of States.MathAdd must be a number, not a string literal");
	EXPECT_REJECT("States.MathAdd(1, true)", "argument 2 of States.MathAdd must be a number, not true");
	EXPECT_REJECT("States.ArrayLength('abc')", "argument 1 of States.ArrayLength must be an array");
	EXPECT_REJECT("States.ArrayGetItem($.inputArray, '1')", "argument 2 of States.ArrayGetItem must be a number");
	EXPECT_REJECT("States.ArrayRange(1, 'x', 1)", "argument 2 of States.ArrayRange must be a number");
	EXPECT_REJECT("States.JsonMerge($.json1, $.json2, 'false')", "argument 3 of States.JsonMerge must be a boolean");
	EXPECT_REJECT("States.JsonMerge($.json1, 1, false)", "argument 2 of States.JsonMerge must be an object");
	EXPECT_REJECT("States.Hash($.str, 256)", "argument 2 of States.Hash must be a string, not a number literal");
	EXPECT_REJECT("States.StringSplit(1, ',')", "argument 1 of States.StringSplit must be a string");
	EXPECT_REJECT("States.Base64Encode(false)", "must be a string, not false");
	EXPECT_REJECT("States.MathRandom(1, 10, 'seed')", "argument 3 of States.MathRandom must be a number");
	/* paths and calls are checked when they run, not now */
	EXPECT_FAIL("States.MathAdd($.str, 1)", "States.MathAdd: argument 1 (value) must be an integer, got the string \"abc\"");
	EXPECT_FAIL("States.ArrayLength(States.Format('x')) ", "States.ArrayLength: argument 1 (array) must be an array, got the string \"x\"");
	EXPECT_FAIL("States.ArrayLength(States.JsonToString($.inputArray))", "States.ArrayLength: argument 1 (array) must be an array, got the string \"[1,2,3,4,5,6,7,8,9]\"");
}

/* ---- functions ---- */

static void
test_format(void)
{
	/* AWS developer guide: States.Format */
	EXPECT("States.Format('Hello, my name is {}.', $.name)", "\"Hello, my name is Arnav.\"");
	EXPECT("States.Format($.template, $.name)", "\"Hello, my name is Arnav.\"");
	/* spec: numbers, booleans and null by their natural representation */
	EXPECT("States.Format('Your name is {}, we are in the year {}', $.name, 2020)",
		   "\"Your name is Arnav, we are in the year 2020\"");
	EXPECT("States.Format('{}|{}|{}|{}|{}', $.t, $.n, $.z, -7, false)", "\"true|1.5|null|-7|false\"");
	EXPECT("States.Format('{} is {}', $.s, $.big)", "\"h\\u00e9llo is 3000000000\"");
	/* escapes: \' in the literal, \{ \} literal braces, \\ a backslash */
	EXPECT("States.Format('Welcome to {} {}\\'s playlist.', $.name, $.str)", "\"Welcome to Arnav abc's playlist.\"");
	EXPECT("States.Format('\\{{}\\}', $.str)", "\"{abc}\"");
	EXPECT("States.Format('\\{\\}{}', 1)", "\"{}1\"");
	EXPECT("States.Format('a\\\\{}', 1)", "\"a\\\\1\"");
	EXPECT("States.Format('{ } {x} }{')", "\"{ } {x} }{\"");
	EXPECT("States.Format('no placeholders')", "\"no placeholders\"");
	EXPECT("States.Format('')", "\"\"");
	EXPECT("States.Format('{}{}{}', 'a', 'b', 'c')", "\"abc\"");
	/* a template from a path follows the same escape rules */
	EXPECT("States.Format($.tpl, 'x')", "\"a {} x\"");
	/* values may themselves be calls; a value's braces are not placeholders */
	EXPECT("States.Format('[{}]', States.Format('{}', '{}'))", "\"[{}]\"");
	EXPECT("States.Format('{}', States.JsonToString($.json1))", "\"{\\\"a\\\":{\\\"a1\\\":1,\\\"a2\\\":2},\\\"b\\\":2}\"");
	/* placeholders and values must pair up */
	EXPECT_FAIL("States.Format('{} and {}', 1)", "States.Format: the template has 2 {} placeholders but 1 value follows it");
	EXPECT_FAIL("States.Format('{}', 1, 2)", "the template has 1 {} placeholder but 2 values follow it");
	EXPECT_FAIL("States.Format('none', 1)", "the template has 0 {} placeholders but 1 value follows it");
	EXPECT_FAIL("States.Format('\\{}', 1)", "the template has 0 {} placeholders");
	/* objects and arrays print as Java prints them (AWS-recorded test_format_2, test_context_json_path) */
	EXPECT("States.Format('{}', $.json1)", "\"{a={a1=1, a2=2}, b=2}\"");
	EXPECT("States.Format('{}', $.inputArray)", "\"[1, 2, 3, 4, 5, 6, 7, 8, 9]\"");
	EXPECT("States.Format('x{}y', States.StringToJson('{\"k\": [\"s\", null, true, 1.5, {}]}'))",
		   "\"x{k=[s, null, true, 1.5, {}]}y\"");
	/* a template from a path must be a string */
	EXPECT_FAIL("States.Format($.i)", "States.Format: argument 1 (template) must be a string, got the number 42");
	EXPECT_FAIL("States.Format($.z)", "argument 1 (template) must be a string, got null");
}

static void
test_json_functions(void)
{
	/* States.StringToJson */
	EXPECT("States.StringToJson($.escaped)", "{\"foo\": \"bar\"}");
	EXPECT("States.StringToJson('[1, {\"a\": null}]')", "[1, {\"a\": null}]");
	EXPECT("States.StringToJson(' 42 ')", "42");
	EXPECT("States.StringToJson('\"text\"')", "\"text\"");
	EXPECT("States.StringToJson('null')", "null");
	EXPECT("States.StringToJson('-1.5e2')", "-150.0");
	EXPECT_FAIL("States.StringToJson('{\"a\": 1} x')", "States.StringToJson: argument 1 (text) must be a string holding JSON text");
	/* an empty or blank text is null (AWS) */
	EXPECT("States.StringToJson('')", "null");
	EXPECT("States.StringToJson(' ')", "null");
	EXPECT_FAIL("States.StringToJson('[1,]')", "JSON text");
	EXPECT_FAIL("States.StringToJson('NaN')", "JSON text");
	EXPECT_FAIL("States.StringToJson('[Infinity]')", "JSON text");
	EXPECT_FAIL("States.StringToJson('\\'a\\'')", "JSON text");
	EXPECT_FAIL("States.StringToJson('\"a\tb\"')", "JSON text");
	EXPECT_FAIL("States.StringToJson($.inputArray)", "argument 1 (text) must be a string, got the array");
	/* States.JsonToString: compact, slashes and non-ASCII as they are */
	EXPECT("States.JsonToString($.json1)", "\"{\\\"a\\\":{\\\"a1\\\":1,\\\"a2\\\":2},\\\"b\\\":2}\"");
	EXPECT("States.JsonToString($.inputArray)", "\"[1,2,3,4,5,6,7,8,9]\"");
	EXPECT("States.JsonToString($.s)", "\"\\\"h\\u00e9llo\\\"\"");
	EXPECT("States.JsonToString('a/b')", "\"\\\"a/b\\\"\"");
	EXPECT("States.JsonToString(1.5)", "\"1.5\"");
	EXPECT("States.JsonToString(null)", "\"null\"");
	EXPECT("States.StringToJson(States.JsonToString($.books))", "[{\"title\": \"A\", \"price\": 8}, {\"title\": \"B\", \"price\": 20}]");
	/* States.JsonMerge: shallow, the second object wins, member order kept */
	EXPECT("States.JsonMerge($.json1, $.json2, false)", "{\"a\": {\"a3\": 1, \"a4\": 2}, \"b\": 2, \"c\": 3}");
	EXPECT("States.JsonToString(States.JsonMerge($.json1, $.json2, false))",
		   "\"{\\\"a\\\":{\\\"a3\\\":1,\\\"a4\\\":2},\\\"b\\\":2,\\\"c\\\":3}\"");
	EXPECT("States.JsonMerge($.json2, $.json1, false)", "{\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2, \"c\": 3}");
	EXPECT("States.JsonMerge(States.StringToJson('{}'), $.json1, false)", "{\"a\": {\"a1\": 1, \"a2\": 2}, \"b\": 2}");
	EXPECT_FAIL("States.JsonMerge($.json1, $.json2, true)", "States.JsonMerge: argument 3 (deep merge flag) must be false");
	EXPECT_FAIL("States.JsonMerge($.json1, $.inputArray, false)", "argument 2 (second object) must be an object, got the array");
	EXPECT_FAIL("States.JsonMerge($.z, $.json2, false)", "argument 1 (first object) must be an object, got null");
	EXPECT_FAIL("States.JsonMerge($.json1, $.json2, $.i)", "argument 3 (deep merge flag) must be a boolean");
}

static void
test_arrays(void)
{
	/* States.Array */
	EXPECT("States.Array('Foo', 2020, $.json2.c, null)", "[\"Foo\", 2020, 3, null]");
	EXPECT("States.Array()", "[]");
	EXPECT("States.Array(States.Array(1), $.empty)", "[[1], []]");
	/* States.ArrayPartition */
	EXPECT("States.ArrayPartition($.inputArray,4)", "[[1, 2, 3, 4], [5, 6, 7, 8], [9]]");
	EXPECT("States.ArrayPartition($.inputArray, 3)", "[[1, 2, 3], [4, 5, 6], [7, 8, 9]]");
	EXPECT("States.ArrayPartition($.inputArray, 20)", "[[1, 2, 3, 4, 5, 6, 7, 8, 9]]");
	EXPECT("States.ArrayPartition($.empty, 2)", "[]");
	EXPECT("States.ArrayPartition($.inputArray, 4.4)", "[[1, 2, 3, 4], [5, 6, 7, 8], [9]]");
	EXPECT_FAIL("States.ArrayPartition($.inputArray, 0)", "States.ArrayPartition: argument 2 (chunk size) must be a positive integer, got the number 0");
	EXPECT_FAIL("States.ArrayPartition($.inputArray, -2)", "must be a positive integer");
	EXPECT_FAIL("States.ArrayPartition($.str, 2)", "argument 1 (array) must be an array, got the string \"abc\"");
	/* States.ArrayContains: deep equality */
	EXPECT("States.ArrayContains($.inputArray, $.index)", "true");
	EXPECT("States.ArrayContains($.inputArray, 42)", "false");
	EXPECT("States.ArrayContains($.books, States.StringToJson('{\"price\": 20, \"title\": \"B\"}'))", "true");
	EXPECT("States.ArrayContains($.books, States.StringToJson('{\"price\": 20}'))", "false");
	EXPECT("States.ArrayContains($.mixed, null)", "true");
	EXPECT("States.ArrayContains($.mixed, '1')", "true");
	EXPECT("States.ArrayContains($.inputArray, '1')", "false");
	EXPECT("States.ArrayContains($.empty, 1)", "false");
	EXPECT_FAIL("States.ArrayContains($.json1, 1)", "States.ArrayContains: argument 1 (array) must be an array, got the object");
	/* States.ArrayRange: last included; AWS caps the result at 1000 items */
	EXPECT("States.ArrayRange(1, 9, 2)", "[1, 3, 5, 7, 9]");
	EXPECT("States.ArrayRange(1, 10, 2)", "[1, 3, 5, 7, 9]");
	EXPECT("States.ArrayRange(10, 1, -3)", "[10, 7, 4, 1]");
	EXPECT("States.ArrayRange(5, 5, 1)", "[5]");
	EXPECT("States.ArrayRange(5, 1, 1)", "[]");
	EXPECT("States.ArrayRange(-2, 2, 2)", "[-2, 0, 2]");
	EXPECT("States.ArrayRange(0.6, 2.4, 1)", "[1, 2]");
	EXPECT("States.ArrayLength(States.ArrayRange(1, 1000, 1))", "1000");
	EXPECT("States.ArrayLength(States.ArrayRange(0, 1998, 2))", "1000");
	EXPECT_FAIL("States.ArrayRange(1, 1001, 1)", "States.ArrayRange: the range would have 1001 items; at most 1000 are allowed");
	EXPECT_FAIL("States.ArrayRange(0, 9007199254740992, 1)", "at most 1000");
	EXPECT_FAIL("States.ArrayRange(1, 9, 0)", "argument 3 (step) must be a non-zero integer, got the number 0");
	EXPECT_FAIL("States.ArrayRange(1, 9, 0.4)", "argument 3 (step) must be an integer, got the number 0.4");
	EXPECT_FAIL("States.ArrayRange(1, 9, 1.5)", "argument 3 (step) must be an integer, got the number 1.5");
	EXPECT("States.ArrayRange(1, 9, 2.0)", "[1, 3, 5, 7, 9]");
	EXPECT_FAIL("States.ArrayRange($.str, 9, 1)", "argument 1 (first) must be an integer, got the string \"abc\"");
	EXPECT_FAIL("States.ArrayRange(1, 1e300, 1)", "argument 2 (last) must be an integer between -2^53 and 2^53");
	/* States.ArrayGetItem */
	EXPECT("States.ArrayGetItem($.inputArray, $.index)", "6");
	EXPECT("States.ArrayGetItem($.inputArray, 0)", "1");
	EXPECT("States.ArrayGetItem($.inputArray, 8)", "9");
	EXPECT("States.ArrayGetItem($.books, 1)", "{\"title\": \"B\", \"price\": 20}");
	EXPECT("States.ArrayGetItem($.mixed, 3)", "null");
	EXPECT("States.ArrayGetItem($.inputArray, $.two)", "3");
	EXPECT_FAIL("States.ArrayGetItem($.inputArray, 9)", "States.ArrayGetItem: argument 2 (index) is 9, out of range for an array of 9 items");
	EXPECT_FAIL("States.ArrayGetItem($.inputArray, -1)", "argument 2 (index) is -1, out of range");
	EXPECT_FAIL("States.ArrayGetItem($.empty, 0)", "out of range for an array of 0 items");
	EXPECT_FAIL("States.ArrayGetItem($.inputArray, 1.5)", "argument 2 (index) must be an integer, got the number 1.5");
	EXPECT_FAIL("States.ArrayGetItem($.inputArray, $.str)", "argument 2 (index) must be an integer");
	EXPECT_FAIL("States.ArrayGetItem($.str, 0)", "argument 1 (array) must be an array");
	/* States.ArrayLength */
	EXPECT("States.ArrayLength($.inputArray)", "9");
	EXPECT("States.ArrayLength($.empty)", "0");
	EXPECT("States.ArrayLength($.books[*].title)", "2");
	EXPECT("States.ArrayLength($.books[?(@.price > 100)])", "0");
	EXPECT_FAIL("States.ArrayLength($.z)", "States.ArrayLength: argument 1 (array) must be an array, got null");
	/* States.ArrayUnique: first occurrences, in order, deep equality */
	EXPECT("States.ArrayUnique($.dup)", "[1, 2, 3, 4]");
	EXPECT("States.ArrayUnique($.mixed)", "[1, \"1\", 1.0, null, {\"x\": [1, {\"y\": 2}]}, [1], true]");
	EXPECT("States.ArrayUnique($.empty)", "[]");
	EXPECT("States.ArrayUnique(States.Array(3, 1, 3, 2, 1))", "[3, 1, 2]");
	EXPECT("States.ArrayUnique(States.StringToJson('[{\"a\": 1, \"b\": 2}, {\"b\": 2, \"a\": 1}, -0.0, 0.0]'))",
		   "[{\"a\": 1, \"b\": 2}, -0.0]");
	EXPECT_FAIL("States.ArrayUnique($.json1)", "States.ArrayUnique: argument 1 (array) must be an array");
}

static void
test_array_unique_large(void)
{
	/* many items stay fast (hashing, not pairwise comparison) */
	json_object *big = json_object_new_array();
	json_object *out = NULL;
	asl_scope	s = {.input = big};
	asl_intrinsic *fn = asl_intrinsic_compile("States.ArrayUnique($)", NULL);
	asl_error	err = {0};
	bool		ordered = true;

	for (int i = 0; i < 60000; i++)
		json_object_array_add(big, json_object_new_int((i * 7919) % 5000));
	CHECK(fn != NULL && asl_intrinsic_eval(fn, &s, &out, &err));
	CHECK_INT(json_object_array_length(out), 5000);
	for (int i = 0; i < 5000 && out != NULL; i++)
		if (json_object_get_int(json_object_array_get_idx(out, (size_t) i)) != (i * 7919) % 5000)
			ordered = false;
	CHECK(ordered);
	json_object_put(out);
	asl_intrinsic_free(fn);
	json_object_put(big);
}

static void
test_encoding(void)
{
	/* AWS developer guide examples */
	EXPECT("States.Base64Encode('Data to encode')", "\"RGF0YSB0byBlbmNvZGU=\"");
	EXPECT("States.Base64Decode($.base64)", "\"Data to encode\"");
	EXPECT("States.Base64Encode('')", "\"\"");
	EXPECT("States.Base64Encode('a')", "\"YQ==\"");
	EXPECT("States.Base64Encode('ab')", "\"YWI=\"");
	EXPECT("States.Base64Encode('h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93 \xf0\x9f\x98\x80')",
		   "\"aMOpbGxvIHfDtnJsZCDinJMg8J+YgA==\"");
	EXPECT("States.Base64Decode('aMOpbGxvIHfDtnJsZCDinJMg8J+YgA==')",
		   "\"h\\u00e9llo w\\u00f6rld \\u2713 \\ud83d\\ude00\"");
	EXPECT("States.Base64Decode(States.Base64Encode($.s))", "\"h\\u00e9llo\"");
	EXPECT("States.Base64Decode('')", "\"\"");
	EXPECT("States.Base64Decode('YQ')", "\"a\"");
	EXPECT("States.Base64Decode('YWI')", "\"ab\"");
	/* decoded bytes that are not UTF-8 become U+FFFD, as Java decodes them */
	EXPECT("States.Base64Decode('/w==')", "\"\\ufffd\"");
	EXPECT("States.Base64Decode('wyg=')", "\"\\ufffd(\"");
	EXPECT("States.Base64Decode('4oI=')", "\"\\ufffd\"");
	EXPECT("States.Base64Decode('7aCA')", "\"\\ufffd\\ufffd\\ufffd\"");
	EXPECT("States.Base64Decode('RGF0YSB0byBlbmNvZGU')", "\"Data to encode\"");
	EXPECT_FAIL("States.Base64Decode('Y')", "States.Base64Decode: argument 1 (base64 text) must be valid base64, got the string \"Y\"");
	EXPECT_FAIL("States.Base64Decode('YQ=')", "must be valid base64");
	/* U+0000 can't be stored (text): the intrinsic fails, catchably, wherever it runs */
	EXPECT_FAIL("States.Base64Decode('YQBi')", "argument 1 (base64 text) must be base64 of text without NUL bytes");
	EXPECT_FAIL("States.Base64Decode('AA==')", "without NUL bytes");
	EXPECT_FAIL("States.StringToJson('\"a\\u0000b\"')", "must be a string holding JSON text");
	EXPECT_FAIL("States.StringToJson('[\"\\u0000\"]')", "must be a string holding JSON text");
	EXPECT_FAIL("States.Base64Decode('YQ===')", "must be valid base64");
	EXPECT_FAIL("States.Base64Decode('YWI==')", "must be valid base64");
	EXPECT_FAIL("States.Base64Decode('=YWI')", "must be valid base64");
	EXPECT_FAIL("States.Base64Decode('YQ==YQ==')", "must be valid base64");
	EXPECT_FAIL("States.Base64Decode('YW I=')", "must be valid base64");
	EXPECT_FAIL("States.Base64Decode('YW-_')", "must be valid base64");
	EXPECT_FAIL("States.Base64Encode($.i)", "States.Base64Encode: argument 1 (text) must be a string, got the number 42");
	EXPECT_FAIL("States.Base64Decode($.z)", "must be a string, got null");
}

/* Sets input_doc.key to a string of count copies of unit. */
static void
put_repeated(const char *key, const char *unit, int count)
{
	size_t		n = strlen(unit);
	char	   *s = malloc(n * (size_t) count + 1);

	for (int i = 0; i < count; i++)
		memcpy(s + n * (size_t) i, unit, n);
	s[n * (size_t) count] = '\0';
	json_object_object_add(input_doc, key, json_object_new_string(s));
	free(s);
}

static void
test_limits(void)
{
	/* AWS: at most 10000 characters, counted as Java does (UTF-16) */
	put_repeated("s10000", "a", 10000);
	put_repeated("s10001", "a", 10001);
	put_repeated("e5000", "\xf0\x9f\x98\x80", 5000);
	put_repeated("e5001", "\xf0\x9f\x98\x80", 5001);
	put_repeated("b10000", "QUJD", 2500);
	EXPECT("States.ArrayLength(States.StringSplit(States.Base64Encode($.s10000), '='))", "1");
	EXPECT_FAIL("States.Base64Encode($.s10001)", "States.Base64Encode: argument 1 (text) has 10001 characters; at most 10000 are allowed");
	EXPECT("States.Hash($.s10000, 'MD5')", "\"0d0c9c4db6953fee9e03f528cafd7d3e\"");
	EXPECT_FAIL("States.Hash($.s10001, 'MD5')", "States.Hash: argument 1 (data) has 10001 characters");
	EXPECT("States.ArrayLength(States.Array(States.Base64Encode($.e5000)))", "1");
	EXPECT_FAIL("States.Base64Encode($.e5001)", "has 10002 characters");
	EXPECT("States.JsonToString(States.ArrayLength(States.StringSplit(States.Base64Decode($.b10000), 'X')))", "\"1\"");
	EXPECT_FAIL("States.Base64Decode(States.Format('{}=', $.b10000))", "has 10001 characters");
}

static void
test_hash(void)
{
	EXPECT("States.Hash('input data', 'MD5')", "\"812f45842bc6d66ee14572ce20db8e86\"");
	EXPECT("States.Hash('input data', 'SHA-1')", "\"aaff4a450a104cd177d28d18d74485e8cae074b7\"");
	EXPECT("States.Hash('input data', 'SHA-256')", "\"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3\"");
	EXPECT("States.Hash('input data', 'SHA-384')",
		   "\"d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562\"");
	EXPECT("States.Hash('input data', 'SHA-512')",
		   "\"6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4\"");
	EXPECT("States.Hash($.s, 'SHA-256')", "\"3c48591d8d098a4538f5e013dfcf406e948eac4d3277b10bf614e295d6068179\"");
	EXPECT("States.Hash('', 'MD5')", "\"d41d8cd98f00b204e9800998ecf8427e\"");
	EXPECT_FAIL("States.Hash('x', 'SHA-3')", "States.Hash: argument 2 (algorithm) must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got the string \"SHA-3\"");
	EXPECT_FAIL("States.Hash('x', 'sha-256')", "argument 2 (algorithm) must be one of");
	EXPECT_FAIL("States.Hash('x', $.z)", "argument 2 (algorithm) must be a string, got null");
	EXPECT_FAIL("States.Hash($.json1, 'MD5')", "argument 1 (data) must be a string, got the object");
}

static void
test_math(void)
{
	json_object *out = NULL;
	bool		in_range = true;

	/* States.MathAdd */
	EXPECT("States.MathAdd(111, -1)", "110");
	EXPECT("States.MathAdd($.i, $.i)", "84");
	EXPECT("States.MathAdd(-2147483648, 2147483647)", "-1");
	EXPECT("States.MathAdd(2147483647, 1)", "2147483648");
	/* AWS rounds non-integers to the nearest integer, halves up (Java) */
	EXPECT("States.MathAdd($.half, 0)", "3");
	EXPECT("States.MathAdd($.neg_half, 0)", "-1");
	EXPECT("States.MathAdd(1.4, 1.6)", "3");
	EXPECT("States.MathAdd($.two, 1)", "3");
	EXPECT_FAIL("States.MathAdd(2147483648, 1)", "States.MathAdd: argument 1 (value) must be an integer between -2147483648 and 2147483647, got the number 2147483648");
	EXPECT_FAIL("States.MathAdd(1, $.big)", "argument 2 (step) must be an integer between -2147483648 and 2147483647");
	EXPECT_FAIL("States.MathAdd(1, $.z)", "argument 2 (step) must be an integer, got null");
	EXPECT_FAIL("States.MathAdd($.t, 1)", "argument 1 (value) must be an integer, got the boolean true");
	/* States.MathRandom: start inclusive, end exclusive */
	EXPECT("States.MathRandom(5, 6)", "5");
	EXPECT("States.MathRandom(-3, -2)", "-3");
	for (int k = 0; k < 300 && in_range; k++)
	{
		int64_t		v;

		if (run("States.MathRandom(1, 4)", &out) != R_OK || !json_object_is_type(out, json_type_int))
			in_range = false;
		else
		{
			v = json_object_get_int64(out);
			in_range = v >= 1 && v < 4;
		}
		json_object_put(out);
	}
	CHECK(in_range);
	{
		/* a seed makes the draw repeatable */
		json_object *a = NULL,
				   *b = NULL,
				   *c = NULL;

		CHECK(run("States.MathRandom(1, 1000000, 42)", &a) == R_OK);
		CHECK(run("States.MathRandom(1, 1000000, 42)", &b) == R_OK);
		CHECK(run("States.MathRandom(1, 1000000, 43)", &c) == R_OK);
		CHECK(json_object_equal(a, b));
		CHECK(json_object_get_int64(a) >= 1 && json_object_get_int64(a) < 1000000);
		CHECK(json_object_get_int64(c) >= 1 && json_object_get_int64(c) < 1000000);
		json_object_put(a);
		json_object_put(b);
		json_object_put(c);
	}
	EXPECT("States.MathRandom(0.6, 1.6)", "1");
	EXPECT("States.MathRandom(-9007199254740992, -9007199254740991)", "-9007199254740992");
	EXPECT_FAIL("States.MathRandom(5, 5)", "States.MathRandom: argument 2 (end) must be greater than argument 1 (start), got 5 and 5");
	EXPECT_FAIL("States.MathRandom(9, 1)", "must be greater than");
	EXPECT_FAIL("States.MathRandom($.str, 10)", "argument 1 (start) must be an integer, got the string \"abc\"");
	EXPECT_FAIL("States.MathRandom(1, 10, $.str)", "argument 3 (seed) must be an integer");
}

static void
test_strings_and_uuid(void)
{
	json_object *a = NULL,
			   *b = NULL;

	/* States.StringSplit: any delimiter character, empty pieces dropped */
	EXPECT("States.StringSplit('1,2,3,4,5', ',')", "[\"1\", \"2\", \"3\", \"4\", \"5\"]");
	EXPECT("States.StringSplit($.words, $.splitter)", "[\"This\", \"is\", \"a\", \"test\", \"string\"]");
	EXPECT("States.StringSplit(',,a,,b,', ',')", "[\"a\", \"b\"]");
	EXPECT("States.StringSplit('', ',')", "[]");
	EXPECT("States.StringSplit(',,,', ',')", "[]");
	EXPECT("States.StringSplit('abc', '')", "[\"abc\"]");
	EXPECT("States.StringSplit('abc', 'x')", "[\"abc\"]");
	EXPECT("States.StringSplit('a b\tc', ' \t')", "[\"a\", \"b\", \"c\"]");
	EXPECT("States.StringSplit('x\xc3\xa9y\xc3\xa9z\xc3\xa8w', '\xc3\xa9')", "[\"x\", \"y\", \"z\\u00e8w\"]");
	EXPECT("States.StringSplit('a\\'b', '\\'')", "[\"a\", \"b\"]");
	EXPECT_FAIL("States.StringSplit($.i, ',')", "States.StringSplit: argument 1 (text) must be a string, got the number 42");
	EXPECT_FAIL("States.StringSplit('a', $.inputArray)", "argument 2 (delimiters) must be a string");
	/* AWS guide: nested calls pick a version out of an ARN */
	EXPECT("States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.arn, '/'), 2), '.'), 0), "
		   "States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.arn, '/'), 2), '.'), 1))",
		   "\"1.0\"");
	/* States.UUID: version 4, lowercase */
	CHECK(run("States.UUID()", &a) == R_OK && run("States.UUID()", &b) == R_OK);
	CHECK(json_object_is_type(a, json_type_string) && json_object_get_string_len(a) == 36);
	if (json_object_is_type(a, json_type_string) && json_object_get_string_len(a) == 36)
	{
		const char *u = json_object_get_string(a);
		bool		shape = true;

		for (int i = 0; i < 36; i++)
			if (i == 8 || i == 13 || i == 18 || i == 23 ? u[i] != '-' : strchr("0123456789abcdef", u[i]) == NULL)
				shape = false;
		CHECK(shape);
		CHECK(u[14] == '4');
		CHECK(strchr("89ab", u[19]) != NULL);
	}
	CHECK(!json_object_equal(a, b));
	json_object_put(a);
	json_object_put(b);
	EXPECT("States.ArrayLength(States.StringSplit(States.UUID(), '-'))", "5");
}

static void
test_path_errors(void)
{
	EXPECT_RUNTIME("States.Format('{}', $.missing)",
				   "The JsonPath argument '$.missing' of States.Format could not be found in the input '{\"name\":\"Arnav\"");
	EXPECT_RUNTIME("States.Array($.inputArray[20])", "'$.inputArray[20]' of States.Array could not be found");
	EXPECT_RUNTIME("States.Array($$.Nope)", "could not be found in the context object '{\"Execution\"");
	EXPECT_RUNTIME("States.Array($nobody)", "The JsonPath argument '$nobody' of States.Array could not be found in the variable '$nobody'");
	EXPECT_RUNTIME("States.Array($who.x)", "could not be found in the variable '$who'");
	/* an error inside a nested call ends the whole evaluation */
	EXPECT_RUNTIME("States.Format('{}', States.ArrayLength($.nope))", "of States.ArrayLength could not be found");
	EXPECT_FAIL("States.Array(1, States.ArrayGetItem($.empty, 0))",
				"States.ArrayGetItem: argument 2 (index) is 0");
	/* the first failing argument decides, left to right */
	EXPECT_RUNTIME("States.Array($.missing, States.ArrayGetItem($.empty, 0))", "$.missing");
	/* an indefinite path that matches nothing passes [] */
	EXPECT("States.Array($.books[?(@.price > 100)])", "[[]]");
	/* without a context object, a $$ path matches nothing */
	{
		asl_scope	bare = {.input = input_doc};
		asl_intrinsic *fn = asl_intrinsic_compile("States.Array($$.Execution)", NULL);
		json_object *out = NULL;
		asl_error	err = {0};

		CHECK(fn != NULL && !asl_intrinsic_eval(fn, &bare, &out, &err) && out == NULL);
		CHECK_STR(err.name, "States.Runtime");
		asl_error_clear(&err);
		asl_intrinsic_free(fn);
	}
	/* long documents are quoted up to a bound */
	put_repeated("long", "x", 5000);
	EXPECT_RUNTIME("States.Array($.missing)", "...'");
	CHECK(strlen(last_cause) < 1300);
	json_object_object_del(input_doc, "long");
}

/* Results are fresh: changing one does not change a later evaluation. */
static void
test_fresh_results(void)
{
	asl_intrinsic *fn = asl_intrinsic_compile("States.Array('x', 1, true)", NULL);
	json_object *a = NULL,
			   *b = NULL;
	asl_error	err = {0};

	CHECK(fn != NULL && asl_intrinsic_eval(fn, &scope, &a, &err));
	json_object_set_string(json_object_array_get_idx(a, 0), "changed");
	json_object_set_int(json_object_array_get_idx(a, 1), 7);
	CHECK(asl_intrinsic_eval(fn, &scope, &b, &err));
	CHECK_JSON(b, "[\"x\", 1, true]");
	json_object_put(a);
	json_object_put(b);
	asl_intrinsic_free(fn);
}

/* Random texts never crash: compile, and evaluate what compiles. */
static void
test_random_texts(void)
{
	static const char *const pieces[] = {
		"States.", "Format", "Array", "ArrayRange", "StringSplit", "JsonMerge", "MathAdd", "Hash",
		"Base64Decode", "ArrayUnique", "StringToJson", "(", ")", ",", " ", "'", "\\", "{}", "\\{",
		"$", "$.", "$$.", "$who", "[", "]", "*", "?(@.price > 1)", "inputArray", "books", "1", "-2",
		"0.5", "true", "null", "'a'", "'{}'", "'MD5'", "States.Array(", "States.MathAdd(1, ",
	};
	uint32_t	seed = 12345;
	int			unexplained = 0;

	for (int i = 0; i < 20000; i++)
	{
		char		buf[256];
		size_t		len = 0;
		int			n;
		char	   *error = NULL;
		asl_intrinsic *fn;

		seed = seed * 1103515245u + 12345u;
		n = 1 + (int) ((seed >> 16) % 14);
		memcpy(buf, "States.", 7);
		len = 7;
		for (int j = 0; j < n; j++)
		{
			const char *p;
			size_t		plen;

			seed = seed * 1103515245u + 12345u;
			p = pieces[(seed >> 16) % (sizeof(pieces) / sizeof(pieces[0]))];
			plen = strlen(p);
			if (len + plen >= sizeof buf)
				break;
			memcpy(buf + len, p, plen);
			len += plen;
		}
		buf[len] = '\0';
		fn = asl_intrinsic_compile(buf, &error);
		if (fn != NULL)
		{
			json_object *out = NULL;
			asl_error	err = {0};

			if (asl_intrinsic_eval(fn, &scope, &out, &err))
				json_object_put(out);
			else if (err.name == NULL || err.cause == NULL)
				unexplained++;
			asl_error_clear(&err);
			asl_intrinsic_free(fn);
		}
		else if (error == NULL)
			unexplained++;		/* a failure must always explain itself */
		free(error);
	}
	CHECK_INT(unexplained, 0);
}

UNIT_MAIN("test_intrinsic", {
	input_doc = json_tokener_parse(INPUT);
	context_doc = json_tokener_parse("{\"Execution\": {\"Name\": \"ex1\"}, \"State\": {\"Name\": \"S\"}}");
	vars_doc = json_tokener_parse("{\"limit\": 10, \"who\": \"Ann\", \"list\": [3, 1, 3]}");
	CHECK(input_doc != NULL && context_doc != NULL && vars_doc != NULL);
	scope.input = input_doc;
	scope.context = context_doc;
	scope.variables = vars_doc;
	test_is_call();
	test_syntax();
	test_syntax_errors();
	test_compile_checks();
	test_format();
	test_json_functions();
	test_arrays();
	test_array_unique_large();
	test_encoding();
	test_limits();
	test_hash();
	test_math();
	test_strings_and_uuid();
	test_path_errors();
	test_fresh_results();
	test_random_texts();
	json_object_put(input_doc);
	json_object_put(context_doc);
	json_object_put(vars_doc);
})
