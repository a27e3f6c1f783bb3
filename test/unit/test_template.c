/*
 * test_template.c — payload templates: literals, ".$" paths and intrinsic
 * calls at any depth (arrays of objects too), the context object and
 * variables, indefinite paths, fresh output, and compile and run-time errors.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/asl/template.h"
#include "unit.h"
#include "unit_diags.h"

#define TPL_PTR "/States/T/Parameters"

enum
{
	OK = 1,
	ERR = -1,					/* evaluation failed; name and cause kept */
	BAD = -2					/* did not compile */
};

static const char *context_text =
"{\"Execution\": {\"Id\": \"arn:aws:states:local:000000000000:execution:m:ex1\", \"Name\": \"ex1\"},"
" \"State\": {\"Name\": \"T\"}, \"Task\": {\"Token\": \"tok-1\"}}";
static const char *variables_text = "{\"limit\": 10, \"who\": {\"name\": \"ann\"}}";

static char last_name[64];
static char last_cause[2048];

static json_object *
parse(const char *text)
{
	json_tokener *tok = json_tokener_new_ex(2000);
	json_object *v = json_tokener_parse_ex(tok, text, (int) strlen(text));

	json_tokener_free(tok);
	return v;
}

/* Compiles and evaluates; *out is a new reference on OK. */
static int
run(const char *tpl_text, const char *input_text, json_object **out)
{
	json_object *tpl = parse(tpl_text);
	json_object *input = parse(input_text);
	json_object *context = parse(context_text);
	json_object *variables = parse(variables_text);
	asl_scope	scope = {.input = input, .context = context, .variables = variables};
	asl_error	err = {NULL, NULL};
	asl_template *t;
	asl_diags	d;
	int			result;

	*out = NULL;
	last_name[0] = last_cause[0] = '\0';
	asl_diags_init(&d);
	t = asl_template_compile(tpl, TPL_PTR, &d);
	if (t == NULL)
	{
		dump_diags(&d);
		result = BAD;
	}
	else if (asl_template_eval(t, &scope, out, &err))
		result = OK;
	else
	{
		result = ERR;
		snprintf(last_name, sizeof(last_name), "%s", err.name ? err.name : "");
		snprintf(last_cause, sizeof(last_cause), "%s", err.cause ? err.cause : "");
	}
	asl_template_free(t);
	asl_error_clear(&err);
	asl_diags_free(&d);
	json_object_put(tpl);
	json_object_put(input);
	json_object_put(context);
	json_object_put(variables);
	return result;
}

/* Evaluates and compares the output with expected JSON. */
static void
expect_out(int line, const char *tpl, const char *input, const char *expected)
{
	json_object *out;
	int			got = run(tpl, input, &out);
	json_object *e = parse(expected);

	CHECK_MSG(got == OK && json_object_equal(out, e), "line %d: %s on %s: expected %s, got %s (%s)",
			  line, tpl, input, expected, got == OK ? json_object_to_json_string(out) : "failure", last_cause);
	json_object_put(out);
	json_object_put(e);
}

#define EXPECT_OUT(tpl, input, expected) expect_out(__LINE__, tpl, input, expected)

static void
test_literals(void)
{
	EXPECT_OUT("{\"a\": 1, \"b\": [1, 2, {\"c\": \"x\"}], \"d\": null, \"e\": true}", "{}",
			   "{\"a\": 1, \"b\": [1, 2, {\"c\": \"x\"}], \"d\": null, \"e\": true}");
	EXPECT_OUT("{}", "{\"a\": 1}", "{}");
	EXPECT_OUT("[]", "{}", "[]");
	EXPECT_OUT("\"just text\"", "{}", "\"just text\"");
	EXPECT_OUT("42", "{}", "42");
	EXPECT_OUT("{\"price\": \"$5\", \"note\": \"$ signs\", \"fn\": \"States.Format\"}", "{}",
			   "{\"price\": \"$5\", \"note\": \"$ signs\", \"fn\": \"States.Format\"}");
	EXPECT_OUT("{\"caf\\u00e9\": \"\\u00fcber \\ud83d\\ude00\"}", "{}", "{\"caf\\u00e9\": \"\\u00fcber \\ud83d\\ude00\"}");
	/* a JSON null template evaluates to JSON null */
	{
		json_object *out = (json_object *) 1;

		CHECK_INT(run("null", "{}", &out), OK);
		CHECK(out == NULL);
	}
}

static void
test_paths(void)
{
	EXPECT_OUT("{\"id.$\": \"$.id\"}", "{\"id\": 7}", "{\"id\": 7}");
	EXPECT_OUT("{\"id.$\": \"$.id\", \"kind\": \"booking\"}", "{\"id\": \"b-1\"}", "{\"id\": \"b-1\", \"kind\": \"booking\"}");
	EXPECT_OUT("{\"all.$\": \"$\"}", "{\"a\": [1, 2]}", "{\"all\": {\"a\": [1, 2]}}");
	EXPECT_OUT("{\"v.$\": \"$.n\"}", "{\"n\": null}", "{\"v\": null}");
	EXPECT_OUT("{\"v.$\": \"$.o\"}", "{\"o\": {\"p\": [true, {\"q\": 1.5}]}}", "{\"v\": {\"p\": [true, {\"q\": 1.5}]}}");
	EXPECT_OUT("{\"second.$\": \"$.a[1]\"}", "{\"a\": [\"x\", \"y\"]}", "{\"second\": \"y\"}");
	EXPECT_OUT("{\"odd key.$\": \"$['odd key']\"}", "{\"odd key\": 3}", "{\"odd key\": 3}");
	/* the article's DynamoDB Key */
	EXPECT_OUT("{\"TableName\": \"apartment_workshop_db\", \"Key\": {\"Id\": {\"S.$\": \"$.details.accountId\"}},"
			   " \"ExpressionAttributeValues\": {\":bookedStatus\": {\"S.$\": \"$.details.bookedStatus\"}}}",
			   "{\"details\": {\"accountId\": \"1234567\", \"bookedStatus\": \"BOOKED\"}}",
			   "{\"TableName\": \"apartment_workshop_db\", \"Key\": {\"Id\": {\"S\": \"1234567\"}},"
			   " \"ExpressionAttributeValues\": {\":bookedStatus\": {\"S\": \"BOOKED\"}}}");
	/* deep nesting of objects */
	EXPECT_OUT("{\"a\": {\"b\": {\"c\": {\"d.$\": \"$.x\", \"e\": 1}}, \"f\": 2}}", "{\"x\": \"deep\"}",
			   "{\"a\": {\"b\": {\"c\": {\"d\": \"deep\", \"e\": 1}}, \"f\": 2}}");
	/* objects inside arrays are templates too, at any depth */
	EXPECT_OUT("{\"items\": [{\"n.$\": \"$.a\"}, {\"n\": 2}, \"lit\", [\"x\", {\"m.$\": \"$.b\"}]]}",
			   "{\"a\": 1, \"b\": \"bee\"}",
			   "{\"items\": [{\"n\": 1}, {\"n\": 2}, \"lit\", [\"x\", {\"m\": \"bee\"}]]}");
	EXPECT_OUT("[{\"a.$\": \"$.x\"}, 3]", "{\"x\": 9}", "[{\"a\": 9}, 3]");
	/* ".$" alone makes the empty key */
	EXPECT_OUT("{\".$\": \"$.x\"}", "{\"x\": 1}", "{\"\": 1}");
}

static void
test_context_and_variables(void)
{
	EXPECT_OUT("{\"name.$\": \"$$.Execution.Name\"}", "{}", "{\"name\": \"ex1\"}");
	EXPECT_OUT("{\"token.$\": \"$$.Task.Token\", \"input.$\": \"$\"}", "{\"a\": 1}",
			   "{\"token\": \"tok-1\", \"input\": {\"a\": 1}}");
	EXPECT_OUT("{\"ctx.$\": \"$$.State\"}", "{}", "{\"ctx\": {\"Name\": \"T\"}}");
	EXPECT_OUT("{\"max.$\": \"$limit\"}", "{}", "{\"max\": 10}");
	EXPECT_OUT("{\"n.$\": \"$who.name\", \"w.$\": \"$who\"}", "{}", "{\"n\": \"ann\", \"w\": {\"name\": \"ann\"}}");
}

static void
test_indefinite(void)
{
	EXPECT_OUT("{\"ids.$\": \"$.items[*].id\"}", "{\"items\": [{\"id\": 1}, {\"id\": 2}, {\"x\": 3}]}",
			   "{\"ids\": [1, 2]}");
	EXPECT_OUT("{\"ids.$\": \"$.items[*]\"}", "{\"items\": []}", "{\"ids\": []}");
	EXPECT_OUT("{\"one.$\": \"$.items[*].id\"}", "{\"items\": [{\"id\": \"only\"}]}", "{\"one\": [\"only\"]}");
	EXPECT_OUT("{\"vals.$\": \"$.o.*\"}", "{\"o\": {\"a\": 1, \"b\": 2}}", "{\"vals\": [1, 2]}");
}

static void
test_intrinsics(void)
{
	EXPECT_OUT("{\"msg.$\": \"States.Format('Hello {}', $.name)\"}", "{\"name\": \"Ann\"}",
			   "{\"msg\": \"Hello Ann\"}");
	EXPECT_OUT("{\"arr.$\": \"States.Array($.a, $.b)\"}", "{\"a\": 1, \"b\": {\"c\": 2}}",
			   "{\"arr\": [1, {\"c\": 2}]}");
	EXPECT_OUT("{\"p\": [{\"m.$\": \"States.Format('{}-{}', $$.Execution.Name, $limit)\"}]}", "{}",
			   "{\"p\": [{\"m\": \"ex1-10\"}]}");
	{
		json_object *out = NULL;

		CHECK_INT(run("{\"msg.$\": \"States.Format('Hello {}', $.missing)\"}", "{}", &out), ERR);
		CHECK(out == NULL && last_name[0] != '\0');
	}
}

static void
test_runtime_errors(void)
{
	json_object *out = NULL;

	CHECK_INT(run("{\"x.$\": \"$.missing\"}", "{\"a\": 1}", &out), ERR);
	CHECK(out == NULL);
	CHECK_STR(last_name, "States.Runtime");
	CHECK_STR(last_cause, "The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{\"a\":1}'");
	CHECK_INT(run("{\"deep\": [{\"y.$\": \"$.a.b\"}]}", "{\"a\": 1}", &out), ERR);
	CHECK_STR(last_cause, "The JSONPath '$.a.b' specified for the field 'y.$' could not be found in the input '{\"a\":1}'");
	CHECK_INT(run("{\"c.$\": \"$$.Nope\"}", "{}", &out), ERR);
	CHECK_STR(last_name, "States.Runtime");
	/* AWS quotes the state's input for a $$ path too */
	CHECK_STR(last_cause, "The JSONPath '$$.Nope' specified for the field 'c.$' could not be found in the input '{}'");
	CHECK_INT(run("{\"v.$\": \"$nobody\"}", "{}", &out), ERR);
	CHECK_STR(last_cause, "The JSONPath '$nobody' specified for the field 'v.$' could not be found in the variable '$nobody'");
	CHECK_INT(run("{\"v.$\": \"$.a[3]\"}", "{\"a\": [1]}", &out), ERR);

	/* long inputs are quoted up to a bound, ending in "..." */
	{
		char	   *big = malloc(5000);
		char	   *p = big;

		p += sprintf(p, "{\"s\": \"");
		for (int i = 0; i < 4000; i++)
			*p++ = 'x';
		sprintf(p, "\"}");
		CHECK_INT(run("{\"x.$\": \"$.missing\"}", big, &out), ERR);
		CHECK(strlen(last_cause) < 1300);
		CHECK(strcmp(last_cause + strlen(last_cause) - 4, "...'") == 0);
		free(big);
	}
}

/* The output shares no object or array with the template or the input. */
static void
test_fresh_output(void)
{
	json_object *tpl = parse("{\"lit\": {\"deep\": [1, 2]}, \"arr\": [1], \"o.$\": \"$.obj\", \"s.$\": \"$.s\","
							 " \"list.$\": \"$.items[*]\", \"fn.$\": \"States.Array($.obj)\"}");
	json_object *input = parse("{\"obj\": {\"k\": [1]}, \"s\": \"str\", \"items\": [{\"i\": 1}]}");
	json_object *tpl_copy = NULL;
	json_object *input_copy = NULL;
	json_object *out1 = NULL,
			   *out2 = NULL,
			   *o;
	asl_scope	scope = {.input = input, .context = NULL, .variables = NULL};
	asl_error	err = {NULL, NULL};
	asl_diags	d;
	asl_template *t;

	json_object_deep_copy(tpl, &tpl_copy, NULL);
	json_object_deep_copy(input, &input_copy, NULL);
	asl_diags_init(&d);
	t = asl_template_compile(tpl, TPL_PTR, &d);
	CHECK(t != NULL);
	CHECK(asl_template_eval(t, &scope, &out1, &err));
	CHECK(asl_template_eval(t, &scope, &out2, &err));
	CHECK(json_object_equal(out1, out2));
	/* vandalise the first output everywhere */
	json_object_array_add(json_object_object_get(json_object_object_get(out1, "lit"), "deep"), json_object_new_int(3));
	json_object_array_add(json_object_object_get(out1, "arr"), json_object_new_int(2));
	json_object_object_add(json_object_object_get(out1, "o"), "added", json_object_new_int(1));
	json_object_object_add(json_object_array_get_idx(json_object_object_get(out1, "list"), 0), "added", NULL);
	o = json_object_array_get_idx(json_object_object_get(out1, "fn"), 0);
	json_object_object_add(o, "added", NULL);
	json_object_object_add(out1, "new", json_object_new_string("n"));
	/* template, input and the other output are untouched */
	CHECK(json_object_equal(tpl, tpl_copy));
	CHECK(json_object_equal(input, input_copy));
	CHECK_JSON(out2, "{\"lit\": {\"deep\": [1, 2]}, \"arr\": [1], \"o\": {\"k\": [1]}, \"s\": \"str\","
			   " \"list\": [{\"i\": 1}], \"fn\": [{\"k\": [1]}]}");
	CHECK(json_object_object_get(out1, "lit") != json_object_object_get(out2, "lit"));
	json_object_put(out1);
	json_object_put(out2);
	/* the template outlives its source JSON (it holds references) */
	json_object_put(tpl);
	CHECK(asl_template_eval(t, &scope, &out1, &err));
	CHECK_JSON(json_object_object_get(out1, "lit"), "{\"deep\": [1, 2]}");
	json_object_put(out1);
	asl_template_free(t);
	asl_template_free(NULL);
	asl_diags_free(&d);
	json_object_put(tpl_copy);
	json_object_put(input_copy);
	json_object_put(input);
}

/* Keys keep the template's order. */
static void
test_order(void)
{
	json_object *out;

	CHECK_INT(run("{\"b\": 1, \"a.$\": \"$.x\", \"c\": [2]}", "{\"x\": 0}", &out), OK);
	CHECK_STR(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN), "{\"b\":1,\"a\":0,\"c\":[2]}");
	json_object_put(out);
}

/* ---- compilation ---- */

/* Expects compilation to fail with n errors, one of them code at pointer. */
static void
expect_error(int line, const char *tpl_text, const char *code, const char *pointer, size_t n)
{
	json_object *tpl = parse(tpl_text);
	asl_diags	d;
	asl_template *t;

	asl_diags_init(&d);
	t = asl_template_compile(tpl, TPL_PTR, &d);
	CHECK_MSG(t == NULL, "line %d: %s compiled", line, tpl_text);
	CHECK_MSG(has_diag_of(&d, ASL_SEV_ERROR, code, pointer) && d.errors == n,
			  "line %d: %s: expected %zu error(s), with %s at \"%s\"", line, tpl_text, n, code, pointer);
	if (!has_diag_of(&d, ASL_SEV_ERROR, code, pointer) || d.errors != n)
		dump_diags(&d);
	asl_template_free(t);
	asl_diags_free(&d);
	json_object_put(tpl);
}

#define EXPECT_ERROR(tpl, code, ptr) expect_error(__LINE__, tpl, code, ptr, 1)
#define EXPECT_ERRORS(tpl, code, ptr, n) expect_error(__LINE__, tpl, code, ptr, n)

static void
test_compile_errors(void)
{
	EXPECT_ERROR("{\"x.$\": 5}", "WRONG_TYPE", TPL_PTR "/x.$");
	EXPECT_ERROR("{\"x.$\": null}", "WRONG_TYPE", TPL_PTR "/x.$");
	EXPECT_ERROR("{\"x.$\": {\"y\": \"$.a\"}}", "WRONG_TYPE", TPL_PTR "/x.$");
	EXPECT_ERROR("{\"a\": [{\"b\": {\"c.$\": 7}}]}", "WRONG_TYPE", TPL_PTR "/a/0/b/c.$");
	EXPECT_ERROR("{\"x.$\": \"$.a[\"}", "INVALID_JSON_PATH", TPL_PTR "/x.$");
	EXPECT_ERROR("{\"x.$\": \"nope\"}", "INVALID_JSON_PATH", TPL_PTR "/x.$");
	EXPECT_ERROR("{\"x.$\": \"\"}", "INVALID_JSON_PATH", TPL_PTR "/x.$");
	EXPECT_ERROR("{\"list\": [1, {\"x.$\": \"a.b\"}]}", "INVALID_JSON_PATH", TPL_PTR "/list/1/x.$");
	EXPECT_ERROR("{\"x.$\": \"States.Bogus($.a)\"}", "INVALID_INTRINSIC", TPL_PTR "/x.$");
	EXPECT_ERROR("{\"x.$\": \"States.Format('{}', $.a\"}", "INVALID_INTRINSIC", TPL_PTR "/x.$");
	/* "x" and "x.$" would both make "x" */
	EXPECT_ERROR("{\"x\": 1, \"x.$\": \"$.a\"}", "MUTUALLY_EXCLUSIVE_FIELDS", TPL_PTR);
	EXPECT_ERROR("{\"o\": {\"x.$\": \"$.a\", \"x\": 1}}", "MUTUALLY_EXCLUSIVE_FIELDS", TPL_PTR "/o");
	/* pointers escape '/' and '~' */
	EXPECT_ERROR("{\"a/b\": {\"c~d.$\": 1}}", "WRONG_TYPE", TPL_PTR "/a~1b/c~0d.$");
	/* every problem at once */
	EXPECT_ERRORS("{\"a.$\": 1, \"b.$\": \"$.[\", \"c\": [{\"d.$\": \"States.Nope()\"}]}",
				  "INVALID_INTRINSIC", TPL_PTR "/c/0/d.$", 3);
}

static void
test_depth_limit(void)
{
	char	   *text = malloc(300 * 2 + 64);
	char	   *p = text;
	json_object *tpl;
	asl_diags	d;
	asl_template *t;

	for (int i = 0; i < 300; i++)
		*p++ = '[';
	for (int i = 0; i < 300; i++)
		*p++ = ']';
	*p = '\0';
	tpl = parse(text);
	CHECK(tpl != NULL);
	asl_diags_init(&d);
	t = asl_template_compile(tpl, TPL_PTR, &d);
	CHECK(t == NULL);
	CHECK(d.errors == 1 && strcmp(d.items[0].code, "UNSUPPORTED_FEATURE") == 0);
	asl_template_free(t);
	asl_diags_free(&d);
	json_object_put(tpl);
	free(text);

	/* 200 levels are fine */
	text = malloc(200 * 2 + 64);
	p = text;
	for (int i = 0; i < 200; i++)
		*p++ = '[';
	for (int i = 0; i < 200; i++)
		*p++ = ']';
	*p = '\0';
	{
		json_object *out;

		CHECK_INT(run(text, "{}", &out), OK);
		json_object_put(out);
	}
	free(text);
}

static void
test_no_dollar(void)
{
	static const struct
	{
		const char *tpl;
		const char *pointer;	/* NULL: no warning */
	}			cases[] = {
		{"{\"id\": \"$.id\"}", TPL_PTR "/id"},
		{"{\"ctx\": \"$$.Execution.Id\"}", TPL_PTR "/ctx"},
		{"{\"ctx\": \"$$\"}", TPL_PTR "/ctx"},
		{"{\"first\": \"$[0]\"}", TPL_PTR "/first"},
		{"{\"when\": \"States.Format('{}', $.t)\"}", TPL_PTR "/when"},
		{"{\"Payload\": {\"id\": \"$.id\"}}", TPL_PTR "/Payload/id"},
		{"{\"list\": [{\"id\": \"$.id\"}]}", TPL_PTR "/list/0/id"},
		{"{\"price\": \"$5\"}", NULL},
		{"{\"dollar\": \"$\"}", NULL},
		{"{\"fn\": \"States.Format\"}", NULL},
		{"{\"id.$\": \"$.id\"}", NULL},
		{"{\"list\": [\"$.id\"]}", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		json_object *tpl = parse(cases[i].tpl);
		asl_diags	d;
		asl_template *t;

		asl_diags_init(&d);
		t = asl_template_compile(tpl, TPL_PTR, &d);
		CHECK_MSG(t != NULL && d.errors == 0, "%s did not compile", cases[i].tpl);
		if (cases[i].pointer)
			CHECK_MSG(d.count == 1 && has_diag_of(&d, ASL_SEV_WARNING, "NO_DOLLAR", cases[i].pointer),
					  "%s: expected NO_DOLLAR at %s", cases[i].tpl, cases[i].pointer);
		else
			CHECK_MSG(d.count == 0, "%s: expected no warning", cases[i].tpl);
		if ((cases[i].pointer != NULL) != (d.count == 1))
			dump_diags(&d);
		asl_template_free(t);
		asl_diags_free(&d);
		json_object_put(tpl);
	}

	/* the literal text is passed through */
	EXPECT_OUT("{\"id\": \"$.id\"}", "{\"id\": 1}", "{\"id\": \"$.id\"}");

	/* one warning per field, even when the definition compiler warned already */
	{
		json_object *tpl = parse("{\"id\": \"$.id\"}");
		asl_diags	d;
		asl_template *t;

		asl_diags_init(&d);
		asl_diag_add(&d, ASL_SEV_WARNING, "NO_DOLLAR", TPL_PTR "/id", "already");
		t = asl_template_compile(tpl, TPL_PTR, &d);
		CHECK(t != NULL);
		CHECK_INT(d.count, 1);
		asl_template_free(t);
		asl_diags_free(&d);
		json_object_put(tpl);
	}
}

UNIT_MAIN("template", {
	test_literals();
	test_paths();
	test_context_and_variables();
	test_indefinite();
	test_intrinsics();
	test_runtime_errors();
	test_fresh_output();
	test_order();
	test_compile_errors();
	test_depth_limit();
	test_no_dollar();
})
