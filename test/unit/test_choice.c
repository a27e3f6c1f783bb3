/*
 * test_choice.c — Choice rules: every operator against matching, failing and
 * mistyped values, the ...Path variants, And/Or/Not, StringMatches escapes,
 * timestamps with offsets, missing variables, and compile diagnostics with
 * their exact codes and pointers.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/asl/choice.h"
#include "unit.h"
#include "unit_diags.h"

#define RULE_PTR "/States/Choose/Choices/0"

enum
{
	NO = 0,
	YES = 1,
	ERR = -1,					/* States.Runtime */
	BAD = -2					/* did not compile */
};

static const char *context_text =
"{\"Execution\": {\"Name\": \"ex1\", \"StartTime\": \"2024-05-01T10:00:00Z\"},"
" \"State\": {\"Name\": \"Choose\"}}";
static const char *variables_text = "{\"limit\": 10, \"who\": {\"name\": \"ann\"}, \"flag\": true}";

static char last_cause[512];

/* json_tokener_parse stops at 32 levels; the depth tests need more. */
static json_object *
parse(const char *text)
{
	json_tokener *tok = json_tokener_new_ex(1000);
	json_object *v = json_tokener_parse_ex(tok, text, (int) strlen(text));

	json_tokener_free(tok);
	return v;
}

/*
 * Compiles rule_text as a nested rule and evaluates it against input_text:
 * YES, NO, ERR (States.Runtime, cause kept in last_cause) or BAD.
 */
static int
eval_text(const char *rule_text, const char *input_text)
{
	json_object *rule = parse(rule_text);
	json_object *input = json_tokener_parse(input_text);
	json_object *context = json_tokener_parse(context_text);
	json_object *variables = json_tokener_parse(variables_text);
	asl_scope	scope = {.input = input, .context = context, .variables = variables};
	asl_choice_rule r;
	asl_diags	d;
	asl_error	err = {NULL, NULL};
	bool		matched = false;
	int			result;

	last_cause[0] = '\0';
	asl_diags_init(&d);
	if (rule == NULL || !asl_choice_rule_compile(rule, "/r", false, &r, &d))
	{
		for (size_t i = 0; i < d.count; i++)
			fprintf(stderr, "  %s at %s: %s\n", d.items[i].code, d.items[i].location, d.items[i].message);
		result = BAD;
		if (rule != NULL)
			asl_choice_rule_release(&r);
	}
	else
	{
		if (asl_choice_rule_eval(&r, &scope, &matched, &err))
			result = matched ? YES : NO;
		else
		{
			result = err.name && strcmp(err.name, "States.Runtime") == 0 ? ERR : BAD;
			snprintf(last_cause, sizeof(last_cause), "%s", err.cause ? err.cause : "");
		}
		asl_choice_rule_release(&r);
	}
	asl_error_clear(&err);
	asl_diags_free(&d);
	json_object_put(rule);
	json_object_put(input);
	json_object_put(context);
	json_object_put(variables);
	return result;
}

typedef struct eval_case
{
	const char *rule;
	const char *input;
	int			expect;
} eval_case;

static void
run_cases(const char *group, const eval_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		int			got = eval_text(cases[i].rule, cases[i].input);

		CHECK_MSG(got == cases[i].expect, "%s #%zu: %s on %s: expected %d, got %d (%s)",
				  group, i, cases[i].rule, cases[i].input, cases[i].expect, got, last_cause);
	}
}

#define RUN(group, cases) run_cases(group, cases, sizeof(cases) / sizeof(cases[0]))

static const eval_case string_cases[] = {
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}", "{\"s\": \"paid\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}", "{\"s\": \"Paid\"}", NO},
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}", "{\"s\": \"paid \"}", NO},
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"1\"}", "{\"s\": 1}", NO},
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"null\"}", "{\"s\": null}", NO},
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"true\"}", "{\"s\": true}", NO},
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"\"}", "{\"s\": \"\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"a\"}", "{\"s\": [\"a\"]}", NO},
	{"{\"Variable\": \"$.s\", \"StringLessThan\": \"abd\"}", "{\"s\": \"abc\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringLessThan\": \"abc\"}", "{\"s\": \"abd\"}", NO},
	{"{\"Variable\": \"$.s\", \"StringLessThan\": \"abc\"}", "{\"s\": \"abc\"}", NO},
	{"{\"Variable\": \"$.s\", \"StringLessThan\": \"abc\"}", "{\"s\": \"ab\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringLessThan\": \"b\"}", "{\"s\": \"B\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringLessThan\": \"9\"}", "{\"s\": 1}", NO},
	{"{\"Variable\": \"$.s\", \"StringGreaterThan\": \"abc\"}", "{\"s\": \"abd\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringGreaterThan\": \"abc\"}", "{\"s\": \"abc\"}", NO},
	{"{\"Variable\": \"$.s\", \"StringGreaterThan\": \"abc\"}", "{\"s\": \"abcd\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringGreaterThan\": \"a\"}", "{\"s\": false}", NO},
	{"{\"Variable\": \"$.s\", \"StringLessThanEquals\": \"abc\"}", "{\"s\": \"abc\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringLessThanEquals\": \"abc\"}", "{\"s\": \"abb\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringLessThanEquals\": \"abc\"}", "{\"s\": \"abd\"}", NO},
	{"{\"Variable\": \"$.s\", \"StringLessThanEquals\": \"abc\"}", "{\"s\": {}}", NO},
	{"{\"Variable\": \"$.s\", \"StringGreaterThanEquals\": \"abc\"}", "{\"s\": \"abc\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringGreaterThanEquals\": \"abc\"}", "{\"s\": \"abd\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringGreaterThanEquals\": \"abc\"}", "{\"s\": \"abb\"}", NO},
	{"{\"Variable\": \"$.s\", \"StringGreaterThanEquals\": \"abc\"}", "{\"s\": null}", NO},
	/* code point order: U+00E9 > 'z'; U+1F600 > U+FFFF (UTF-16 order would say less) */
	{"{\"Variable\": \"$.s\", \"StringGreaterThan\": \"z\"}", "{\"s\": \"\\u00e9\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringGreaterThan\": \"\\uffff\"}", "{\"s\": \"\\ud83d\\ude00\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringLessThan\": \"\\ud83d\\ude00\"}", "{\"s\": \"\\uffff\"}", YES},
	/* an embedded NUL is a character like any other */
	{"{\"Variable\": \"$.s\", \"StringGreaterThan\": \"a\"}", "{\"s\": \"a\\u0000b\"}", YES},
	{"{\"Variable\": \"$.s\", \"StringEquals\": \"a\"}", "{\"s\": \"a\\u0000b\"}", NO},
};

static const eval_case string_path_cases[] = {
	{"{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$.b\"}", "{\"a\": \"x\", \"b\": \"x\"}", YES},
	{"{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$.b\"}", "{\"a\": \"x\", \"b\": \"y\"}", NO},
	{"{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$.b\"}", "{\"a\": \"1\", \"b\": 1}", NO},
	{"{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$.b\"}", "{\"a\": \"x\"}", ERR},
	{"{\"Variable\": \"$.a\", \"StringLessThanPath\": \"$.b\"}", "{\"a\": \"a\", \"b\": \"b\"}", YES},
	{"{\"Variable\": \"$.a\", \"StringLessThanPath\": \"$.b\"}", "{\"a\": \"b\", \"b\": \"a\"}", NO},
	{"{\"Variable\": \"$.a\", \"StringGreaterThanPath\": \"$.b\"}", "{\"a\": \"b\", \"b\": \"a\"}", YES},
	{"{\"Variable\": \"$.a\", \"StringGreaterThanPath\": \"$.b\"}", "{\"a\": \"a\", \"b\": \"a\"}", NO},
	{"{\"Variable\": \"$.a\", \"StringLessThanEqualsPath\": \"$.b\"}", "{\"a\": \"a\", \"b\": \"a\"}", YES},
	{"{\"Variable\": \"$.a\", \"StringLessThanEqualsPath\": \"$.b\"}", "{\"a\": \"b\", \"b\": \"a\"}", NO},
	{"{\"Variable\": \"$.a\", \"StringGreaterThanEqualsPath\": \"$.b\"}", "{\"a\": \"a\", \"b\": \"a\"}", YES},
	{"{\"Variable\": \"$.a\", \"StringGreaterThanEqualsPath\": \"$.b\"}", "{\"a\": \"a\", \"b\": \"b\"}", NO},
	{"{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$$.Execution.Name\"}", "{\"a\": \"ex1\"}", YES},
	{"{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$who.name\"}", "{\"a\": \"ann\"}", YES},
	{"{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$nobody\"}", "{\"a\": \"ann\"}", ERR},
	{"{\"Variable\": \"$.a\", \"StringEqualsPath\": \"$.b\"}", "{\"a\": \"x\", \"b\": null}", NO},
};

static const eval_case numeric_cases[] = {
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 5}", "{\"n\": 5}", YES},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 5}", "{\"n\": 5.0}", YES},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 5.0}", "{\"n\": 5}", YES},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 5}", "{\"n\": 6}", NO},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 5}", "{\"n\": \"5\"}", NO},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 0}", "{\"n\": false}", NO},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 0}", "{\"n\": null}", NO},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": -2.5}", "{\"n\": -2.5}", YES},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 9007199254740992}", "{\"n\": 9007199254740993}", NO},
	{"{\"Variable\": \"$.n\", \"NumericEquals\": 9223372036854775807}", "{\"n\": 9223372036854775807}", YES},
	{"{\"Variable\": \"$.n\", \"NumericLessThan\": 10}", "{\"n\": 9}", YES},
	{"{\"Variable\": \"$.n\", \"NumericLessThan\": 10}", "{\"n\": 9.999}", YES},
	{"{\"Variable\": \"$.n\", \"NumericLessThan\": 10}", "{\"n\": 10}", NO},
	{"{\"Variable\": \"$.n\", \"NumericLessThan\": 10}", "{\"n\": 11}", NO},
	{"{\"Variable\": \"$.n\", \"NumericLessThan\": 0}", "{\"n\": -1}", YES},
	{"{\"Variable\": \"$.n\", \"NumericLessThan\": 10}", "{\"n\": \"9\"}", NO},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThan\": 10}", "{\"n\": 11}", YES},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThan\": 10}", "{\"n\": 10}", NO},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThan\": 10.5}", "{\"n\": 10.6}", YES},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThan\": 10}", "{\"n\": [11]}", NO},
	{"{\"Variable\": \"$.n\", \"NumericLessThanEquals\": 10}", "{\"n\": 10}", YES},
	{"{\"Variable\": \"$.n\", \"NumericLessThanEquals\": 10}", "{\"n\": 10.0001}", NO},
	{"{\"Variable\": \"$.n\", \"NumericLessThanEquals\": 10}", "{\"n\": -10}", YES},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 100}", "{\"n\": 100}", YES},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 100}", "{\"n\": 99}", NO},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 100}", "{\"n\": 1e3}", YES},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 100}", "{\"n\": true}", NO},
	{"{\"Variable\": \"$.n\", \"NumericEqualsPath\": \"$.m\"}", "{\"n\": 3, \"m\": 3.0}", YES},
	{"{\"Variable\": \"$.n\", \"NumericEqualsPath\": \"$.m\"}", "{\"n\": 3, \"m\": \"3\"}", NO},
	{"{\"Variable\": \"$.n\", \"NumericEqualsPath\": \"$.m\"}", "{\"n\": 3}", ERR},
	{"{\"Variable\": \"$.n\", \"NumericLessThanPath\": \"$limit\"}", "{\"n\": 9}", YES},
	{"{\"Variable\": \"$.n\", \"NumericLessThanPath\": \"$limit\"}", "{\"n\": 10}", NO},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThanPath\": \"$.m\"}", "{\"n\": 4, \"m\": 3}", YES},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThanPath\": \"$.m\"}", "{\"n\": 3, \"m\": 3}", NO},
	{"{\"Variable\": \"$.n\", \"NumericLessThanEqualsPath\": \"$.m\"}", "{\"n\": 3, \"m\": 3}", YES},
	{"{\"Variable\": \"$.n\", \"NumericLessThanEqualsPath\": \"$.m\"}", "{\"n\": 4, \"m\": 3}", NO},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThanEqualsPath\": \"$.m\"}", "{\"n\": 3, \"m\": 3}", YES},
	{"{\"Variable\": \"$.n\", \"NumericGreaterThanEqualsPath\": \"$.m\"}", "{\"n\": 2, \"m\": 3}", NO},
	{"{\"Variable\": \"$.a[1]\", \"NumericEquals\": 20}", "{\"a\": [10, 20, 30]}", YES},
};

static const eval_case boolean_cases[] = {
	{"{\"Variable\": \"$.b\", \"BooleanEquals\": true}", "{\"b\": true}", YES},
	{"{\"Variable\": \"$.b\", \"BooleanEquals\": true}", "{\"b\": false}", NO},
	{"{\"Variable\": \"$.b\", \"BooleanEquals\": false}", "{\"b\": false}", YES},
	{"{\"Variable\": \"$.b\", \"BooleanEquals\": true}", "{\"b\": \"true\"}", NO},
	{"{\"Variable\": \"$.b\", \"BooleanEquals\": true}", "{\"b\": 1}", NO},
	{"{\"Variable\": \"$.b\", \"BooleanEquals\": false}", "{\"b\": null}", NO},
	{"{\"Variable\": \"$.b\", \"BooleanEquals\": false}", "{\"b\": 0}", NO},
	{"{\"Variable\": \"$.b\", \"BooleanEqualsPath\": \"$.c\"}", "{\"b\": true, \"c\": true}", YES},
	{"{\"Variable\": \"$.b\", \"BooleanEqualsPath\": \"$.c\"}", "{\"b\": true, \"c\": false}", NO},
	{"{\"Variable\": \"$.b\", \"BooleanEqualsPath\": \"$.c\"}", "{\"b\": true, \"c\": \"true\"}", NO},
	{"{\"Variable\": \"$.b\", \"BooleanEqualsPath\": \"$.c\"}", "{\"b\": true}", ERR},
	{"{\"Variable\": \"$.b\", \"BooleanEqualsPath\": \"$flag\"}", "{\"b\": true}", YES},
};

static const eval_case timestamp_cases[] = {
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T00:00:00Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T01:00:00+01:00\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2023-12-31T19:30:00-04:30\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T00:00:00.000Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T00:00:00.001Z\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T00:00:00+01:00\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T00:00:00\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"yesterday\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{\"t\": 1704067200}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampLessThan\": \"2030-01-01T00:00:00Z\"}", "{\"t\": \"2029-12-31T23:59:59.999Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampLessThan\": \"2030-01-01T00:00:00Z\"}", "{\"t\": \"2030-01-01T00:00:00Z\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampLessThan\": \"2030-01-01T00:00:00Z\"}", "{\"t\": \"2030-01-01T00:30:00+01:00\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampLessThan\": \"2030-01-01T00:00:00Z\"}", "{\"t\": \"not a time\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThan\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T00:00:00.5Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThan\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T00:00:00Z\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThan\": \"2024-01-01T00:00:00Z\"}", "{\"t\": \"2024-01-01T00:59:00+01:00\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampLessThanEquals\": \"2024-06-01T12:00:00Z\"}", "{\"t\": \"2024-06-01T12:00:00Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampLessThanEquals\": \"2024-06-01T12:00:00Z\"}", "{\"t\": \"2024-06-01T12:00:01Z\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampLessThanEquals\": \"2024-06-01T12:00:00Z\"}", "{\"t\": \"2024-06-01T08:00:00-04:00\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThanEquals\": \"2024-06-01T12:00:00Z\"}", "{\"t\": \"2024-06-01T12:00:00Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThanEquals\": \"2024-06-01T12:00:00Z\"}", "{\"t\": \"2024-06-01T11:59:59Z\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThanEquals\": \"2024-06-01T12:00:00Z\"}", "{\"t\": true}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampEqualsPath\": \"$.u\"}", "{\"t\": \"2024-01-01T00:00:00Z\", \"u\": \"2024-01-01T02:00:00+02:00\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampEqualsPath\": \"$.u\"}", "{\"t\": \"2024-01-01T00:00:00Z\", \"u\": \"soon\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampEqualsPath\": \"$.u\"}", "{\"t\": \"2024-01-01T00:00:00Z\"}", ERR},
	{"{\"Variable\": \"$.t\", \"TimestampLessThanPath\": \"$$.Execution.StartTime\"}", "{\"t\": \"2024-04-30T10:00:00Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampLessThanPath\": \"$$.Execution.StartTime\"}", "{\"t\": \"2024-05-01T10:00:00Z\"}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThanPath\": \"$.u\"}", "{\"t\": \"2024-01-02T00:00:00Z\", \"u\": \"2024-01-01T00:00:00Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThanPath\": \"$.u\"}", "{\"t\": \"2024-01-01T00:00:00Z\", \"u\": 5}", NO},
	{"{\"Variable\": \"$.t\", \"TimestampLessThanEqualsPath\": \"$.u\"}", "{\"t\": \"2024-01-01T00:00:00Z\", \"u\": \"2024-01-01T00:00:00Z\"}", YES},
	{"{\"Variable\": \"$.t\", \"TimestampGreaterThanEqualsPath\": \"$.u\"}", "{\"t\": \"2023-01-01T00:00:00Z\", \"u\": \"2024-01-01T00:00:00Z\"}", NO},
};

static const eval_case test_cases[] = {
	{"{\"Variable\": \"$.v\", \"IsNull\": true}", "{\"v\": null}", YES},
	{"{\"Variable\": \"$.v\", \"IsNull\": true}", "{\"v\": \"null\"}", NO},
	{"{\"Variable\": \"$.v\", \"IsNull\": false}", "{\"v\": 0}", YES},
	{"{\"Variable\": \"$.v\", \"IsNull\": false}", "{\"v\": null}", NO},
	{"{\"Variable\": \"$.v\", \"IsNull\": true}", "{}", ERR},
	{"{\"Variable\": \"$.v\", \"IsPresent\": true}", "{\"v\": null}", YES},
	{"{\"Variable\": \"$.v\", \"IsPresent\": true}", "{\"v\": 1}", YES},
	{"{\"Variable\": \"$.v\", \"IsPresent\": true}", "{}", NO},
	{"{\"Variable\": \"$.v\", \"IsPresent\": false}", "{}", YES},
	{"{\"Variable\": \"$.v\", \"IsPresent\": false}", "{\"v\": false}", NO},
	{"{\"Variable\": \"$.v.w.x\", \"IsPresent\": true}", "{\"v\": 3}", NO},
	{"{\"Variable\": \"$.a[5]\", \"IsPresent\": true}", "{\"a\": [1]}", NO},
	{"{\"Variable\": \"$nobody\", \"IsPresent\": true}", "{}", NO},
	{"{\"Variable\": \"$who\", \"IsPresent\": true}", "{}", YES},
	{"{\"Variable\": \"$$.Execution.Name\", \"IsPresent\": true}", "{}", YES},
	{"{\"Variable\": \"$.v\", \"IsNumeric\": true}", "{\"v\": 1}", YES},
	{"{\"Variable\": \"$.v\", \"IsNumeric\": true}", "{\"v\": 1.5}", YES},
	{"{\"Variable\": \"$.v\", \"IsNumeric\": true}", "{\"v\": \"1\"}", NO},
	{"{\"Variable\": \"$.v\", \"IsNumeric\": false}", "{\"v\": \"1\"}", YES},
	{"{\"Variable\": \"$.v\", \"IsNumeric\": true}", "{}", ERR},
	{"{\"Variable\": \"$.v\", \"IsString\": true}", "{\"v\": \"\"}", YES},
	{"{\"Variable\": \"$.v\", \"IsString\": true}", "{\"v\": null}", NO},
	{"{\"Variable\": \"$.v\", \"IsString\": false}", "{\"v\": {}}", YES},
	{"{\"Variable\": \"$.v\", \"IsBoolean\": true}", "{\"v\": false}", YES},
	{"{\"Variable\": \"$.v\", \"IsBoolean\": true}", "{\"v\": \"false\"}", NO},
	{"{\"Variable\": \"$.v\", \"IsBoolean\": false}", "{\"v\": 0}", YES},
	{"{\"Variable\": \"$.v\", \"IsTimestamp\": true}", "{\"v\": \"2024-01-01T00:00:00Z\"}", YES},
	{"{\"Variable\": \"$.v\", \"IsTimestamp\": true}", "{\"v\": \"2024-01-01T00:00:00.123456+05:30\"}", YES},
	{"{\"Variable\": \"$.v\", \"IsTimestamp\": true}", "{\"v\": \"2024-01-01 00:00:00Z\"}", NO},
	{"{\"Variable\": \"$.v\", \"IsTimestamp\": true}", "{\"v\": \"2024-02-30T00:00:00Z\"}", NO},
	{"{\"Variable\": \"$.v\", \"IsTimestamp\": true}", "{\"v\": 1704067200}", NO},
	{"{\"Variable\": \"$.v\", \"IsTimestamp\": false}", "{\"v\": \"later\"}", YES},
};

/* Comparisons on a missing Variable fail the execution; IsPresent never does. */
static const eval_case missing_cases[] = {
	{"{\"Variable\": \"$.missing\", \"StringEquals\": \"a\"}", "{}", ERR},
	{"{\"Variable\": \"$.missing\", \"StringMatches\": \"*\"}", "{}", ERR},
	{"{\"Variable\": \"$.missing\", \"NumericEquals\": 1}", "{}", ERR},
	{"{\"Variable\": \"$.missing\", \"BooleanEquals\": true}", "{}", ERR},
	{"{\"Variable\": \"$.missing\", \"TimestampEquals\": \"2024-01-01T00:00:00Z\"}", "{}", ERR},
	{"{\"Variable\": \"$.missing\", \"StringEqualsPath\": \"$.a\"}", "{\"a\": \"x\"}", ERR},
	{"{\"Variable\": \"$.a.b\", \"StringEquals\": \"x\"}", "{\"a\": \"x\"}", ERR},
	{"{\"Variable\": \"$.missing\", \"IsString\": false}", "{}", ERR},
};

static const eval_case logic_cases[] = {
	{"{\"And\": [{\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}, {\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 100}]}",
	"{\"s\": \"paid\", \"n\": 100}", YES},
	{"{\"And\": [{\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}, {\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 100}]}",
	"{\"s\": \"paid\", \"n\": 99}", NO},
	{"{\"And\": [{\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}, {\"Variable\": \"$.n\", \"NumericGreaterThanEquals\": 100}]}",
	"{\"s\": \"due\", \"n\": 100}", NO},
	/* And stops at the first false rule: the later missing path is never read */
	{"{\"And\": [{\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}, {\"Variable\": \"$.missing\", \"NumericEquals\": 1}]}",
	"{\"s\": \"due\"}", NO},
	{"{\"And\": [{\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}, {\"Variable\": \"$.missing\", \"NumericEquals\": 1}]}",
	"{\"s\": \"paid\"}", ERR},
	{"{\"And\": [{\"Variable\": \"$.s\", \"IsPresent\": true}]}", "{\"s\": 1}", YES},
	{"{\"Or\": [{\"Variable\": \"$.s\", \"StringEquals\": \"pending\"}, {\"Not\": {\"Variable\": \"$.s\", \"IsPresent\": true}}]}",
	"{\"s\": \"pending\"}", YES},
	{"{\"Or\": [{\"Variable\": \"$.s\", \"StringEquals\": \"pending\"}, {\"Not\": {\"Variable\": \"$.s\", \"IsPresent\": true}}]}",
	"{\"s\": \"paid\"}", NO},
	{"{\"Or\": [{\"Variable\": \"$.s\", \"IsPresent\": false}, {\"Variable\": \"$.s\", \"StringEquals\": \"pending\"}]}",
	"{}", YES},
	/* Or stops at the first true rule */
	{"{\"Or\": [{\"Variable\": \"$.s\", \"IsPresent\": false}, {\"Variable\": \"$.s\", \"StringEquals\": \"pending\"}]}",
	"{\"s\": 1}", NO},
	{"{\"Or\": [{\"Variable\": \"$.n\", \"NumericEquals\": 1}, {\"Variable\": \"$.missing\", \"NumericEquals\": 1}]}",
	"{\"n\": 1}", YES},
	{"{\"Or\": [{\"Variable\": \"$.n\", \"NumericEquals\": 1}, {\"Variable\": \"$.missing\", \"NumericEquals\": 1}]}",
	"{\"n\": 2}", ERR},
	{"{\"Not\": {\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}}", "{\"s\": \"paid\"}", NO},
	{"{\"Not\": {\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}}", "{\"s\": \"due\"}", YES},
	{"{\"Not\": {\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}}", "{\"s\": 5}", YES},
	{"{\"Not\": {\"Variable\": \"$.s\", \"StringEquals\": \"paid\"}}", "{}", ERR},
	{"{\"Not\": {\"Not\": {\"Variable\": \"$.b\", \"BooleanEquals\": true}}}", "{\"b\": true}", YES},
	{"{\"And\": [{\"Or\": [{\"Variable\": \"$.a\", \"NumericLessThan\": 0}, {\"Variable\": \"$.a\", \"NumericGreaterThan\": 10}]},"
	" {\"Not\": {\"And\": [{\"Variable\": \"$.s\", \"StringMatches\": \"x*\"}, {\"Variable\": \"$.b\", \"BooleanEquals\": true}]}}]}",
	"{\"a\": 11, \"s\": \"xy\", \"b\": false}", YES},
	{"{\"And\": [{\"Or\": [{\"Variable\": \"$.a\", \"NumericLessThan\": 0}, {\"Variable\": \"$.a\", \"NumericGreaterThan\": 10}]},"
	" {\"Not\": {\"And\": [{\"Variable\": \"$.s\", \"StringMatches\": \"x*\"}, {\"Variable\": \"$.b\", \"BooleanEquals\": true}]}}]}",
	"{\"a\": 11, \"s\": \"xy\", \"b\": true}", NO},
	{"{\"And\": [{\"Or\": [{\"Variable\": \"$.a\", \"NumericLessThan\": 0}, {\"Variable\": \"$.a\", \"NumericGreaterThan\": 10}]},"
	" {\"Not\": {\"And\": [{\"Variable\": \"$.s\", \"StringMatches\": \"x*\"}, {\"Variable\": \"$.b\", \"BooleanEquals\": true}]}}]}",
	"{\"a\": 5, \"s\": \"q\", \"b\": true}", NO},
	/* the article's rule */
	{"{\"And\": [{\"Variable\": \"$.getItem.Item.status.S\", \"StringEquals\": \"paid\"},"
	" {\"Variable\": \"$.getItem.Item.Id.S\", \"StringEquals\": \"1234567\"}]}",
	"{\"getItem\": {\"Item\": {\"Id\": {\"S\": \"1234567\"}, \"status\": {\"S\": \"paid\"}}}}", YES},
	{"{\"And\": [{\"Variable\": \"$.getItem.Item.status.S\", \"StringEquals\": \"paid\"},"
	" {\"Variable\": \"$.getItem.Item.Id.S\", \"StringEquals\": \"1234567\"}]}",
	"{\"getItem\": {\"Item\": {\"Id\": {\"S\": \"1234567\"}, \"status\": {\"S\": \"reserved\"}}}}", NO},
	/* variables and the context object as Variable */
	{"{\"Variable\": \"$limit\", \"NumericEquals\": 10}", "{}", YES},
	{"{\"Variable\": \"$who.name\", \"StringEquals\": \"ann\"}", "{}", YES},
	{"{\"Variable\": \"$$.State.Name\", \"StringEquals\": \"Choose\"}", "{}", YES},
	{"{\"Variable\": \"$\", \"IsString\": true}", "\"whole\"", YES},
	{"{\"Variable\": \"$\", \"NumericEquals\": 3}", "3", YES},
};

/* StringMatches: pattern and text as C strings, built without JSON escaping. */
static int
matches(const char *pattern, const char *text)
{
	json_object *rule = json_object_new_object();
	json_object *input = json_object_new_object();
	char	   *r,
			   *i;
	int			got;

	json_object_object_add(rule, "Variable", json_object_new_string("$.s"));
	json_object_object_add(rule, "StringMatches", json_object_new_string(pattern));
	json_object_object_add(input, "s", json_object_new_string(text));
	r = strdup(json_object_to_json_string(rule));
	i = strdup(json_object_to_json_string(input));
	got = eval_text(r, i);
	free(r);
	free(i);
	json_object_put(rule);
	json_object_put(input);
	return got;
}

static void
test_string_matches(void)
{
	static const struct
	{
		const char *pattern;
		const char *text;
		int			expect;
	}			cases[] = {
		{"apt-*", "apt-12", YES},
		{"apt-*", "apt-", YES},
		{"apt-*", "flat-12", NO},
		{"*.log", "server.log", YES},
		{"*.log", "server.log.gz", NO},
		{"*.log", ".log", YES},
		{"log-*.txt", "log-2024-01-01.txt", YES},
		{"a*b*c", "aXXbYYc", YES},
		{"a*b*c", "abc", YES},
		{"a*b*c", "acb", NO},
		{"a*b*c", "abcabc", YES},
		{"*", "", YES},
		{"*", "anything at all", YES},
		{"**", "x", YES},
		{"", "", YES},
		{"", "x", NO},
		{"abc", "abc", YES},
		{"abc", "abcd", NO},
		{"abc", "ab", NO},
		{"a*", "b", NO},
		{"*a", "bbb", NO},
		{"*ab", "aab", YES},
		{"a\\*b", "a*b", YES},	/* \* is a literal asterisk */
		{"a\\*b", "aXb", NO},
		{"a\\*b", "a*Xb", NO},
		{"\\**", "*star", YES},
		{"\\**", "star", NO},
		{"a\\\\b", "a\\b", YES},	/* \\ is one backslash */
		{"a\\\\*", "a\\xyz", YES},
		{"a\\\\*", "axyz", NO},
		{"a\\b", "a\\b", YES},	/* any other backslash stands for itself */
		{"end\\", "end\\", YES},
		{"caf\xc3\xa9*", "caf\xc3\xa9 au lait", YES},
		{"*\xc3\xa9", "caf\xc3\xa9", YES},
		{"*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NO},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		int			got = matches(cases[i].pattern, cases[i].text);

		CHECK_MSG(got == cases[i].expect, "StringMatches \"%s\" on \"%s\": expected %d, got %d",
				  cases[i].pattern, cases[i].text, cases[i].expect, got);
	}
	CHECK_INT(eval_text("{\"Variable\": \"$.s\", \"StringMatches\": \"*\"}", "{\"s\": 1}"), NO);
	CHECK_INT(eval_text("{\"Variable\": \"$.s\", \"StringMatches\": \"*\"}", "{\"s\": null}"), NO);
}

static void
test_runtime_cause(void)
{
	CHECK_INT(eval_text("{\"Variable\": \"$.missing\", \"StringEquals\": \"a\"}", "{}"), ERR);
	CHECK_STR(last_cause, "Invalid path '$.missing': The choice state's condition path references an invalid value.");
	CHECK_INT(eval_text("{\"Variable\": \"$.a\", \"NumericEqualsPath\": \"$.limit\"}", "{\"a\": 1}"), ERR);
	CHECK_STR(last_cause, "Invalid path '$.limit': The choice state's condition path references an invalid value.");
}

/* ---- compilation ---- */

/*
 * Compiles rule_text at RULE_PTR; expects failure, exactly n_errors errors,
 * and one with code at pointer.
 */
static void
expect_error(int line, const char *rule_text, bool top, const char *code, const char *pointer,
			 size_t n_errors)
{
	json_object *rule = parse(rule_text);
	asl_choice_rule r;
	asl_diags	d;
	bool		ok;

	asl_diags_init(&d);
	ok = asl_choice_rule_compile(rule, RULE_PTR, top, &r, &d);
	CHECK_MSG(!ok, "line %d: %s compiled", line, rule_text);
	CHECK_MSG(has_diag(&d, code, pointer) && d.errors == n_errors,
			  "line %d: %s: expected %zu error(s) with %s at \"%s\"", line, rule_text, n_errors, code, pointer);
	if (!has_diag(&d, code, pointer) || d.errors != n_errors)
		dump_diags(&d);
	asl_choice_rule_release(&r);
	asl_diags_free(&d);
	json_object_put(rule);
}

#define EXPECT_ERROR(rule, top, code, ptr) expect_error(__LINE__, rule, top, code, ptr, 1)
#define EXPECT_ERRORS(rule, top, code, ptr, n) expect_error(__LINE__, rule, top, code, ptr, n)

static void
test_compile_errors(void)
{
	/* UNKNOWN_FIELD */
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringEquals\": \"a\", \"Foo\": 1, \"Next\": \"N\"}", true,
				 "UNKNOWN_FIELD", RULE_PTR "/Foo");
	EXPECT_ERRORS("{\"Variable\": \"$.x\", \"StringMatchesPath\": \"$.p\", \"Next\": \"N\"}", true,
				  "UNKNOWN_FIELD", RULE_PTR "/StringMatchesPath", 2);	/* and no operator */
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"stringEquals\": \"a\", \"StringEquals\": \"a\", \"Next\": \"N\"}", true,
				 "UNKNOWN_FIELD", RULE_PTR "/stringEquals");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringEquals\": \"a\", \"End\": true, \"Next\": \"N\"}", true,
				 "UNKNOWN_FIELD", RULE_PTR "/End");
	/* Next and Assign belong to top-level rules only */
	EXPECT_ERROR("{\"And\": [{\"Variable\": \"$.a\", \"IsPresent\": true},"
				 " {\"Variable\": \"$.b\", \"IsPresent\": true, \"Next\": \"N\"}], \"Next\": \"N\"}", true,
				 "UNKNOWN_FIELD", RULE_PTR "/And/1/Next");
	EXPECT_ERROR("{\"Not\": {\"Variable\": \"$.a\", \"IsPresent\": true, \"Assign\": {\"x\": 1}}, \"Next\": \"N\"}", true,
				 "UNKNOWN_FIELD", RULE_PTR "/Not/Assign");
	EXPECT_ERROR("{\"Variable\": \"$.a\", \"IsPresent\": true, \"Next\": \"N\"}", false,
				 "UNKNOWN_FIELD", RULE_PTR "/Next");
	/* Variable has no place on And/Or/Not */
	EXPECT_ERROR("{\"Variable\": \"$.a\", \"Not\": {\"Variable\": \"$.a\", \"IsPresent\": true}, \"Next\": \"N\"}", true,
				 "UNKNOWN_FIELD", RULE_PTR "/Variable");

	/* WRONG_TYPE, at the field */
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"NumericEquals\": \"5\", \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/NumericEquals");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"NumericLessThan\": true, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/NumericLessThan");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"BooleanEquals\": \"true\", \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/BooleanEquals");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"BooleanEquals\": 1, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/BooleanEquals");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringEquals\": 5, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/StringEquals");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringMatches\": null, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/StringMatches");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"TimestampEquals\": 1704067200, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/TimestampEquals");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsNull\": \"yes\", \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/IsNull");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsPresent\": 1, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/IsPresent");
	EXPECT_ERROR("{\"Variable\": 5, \"IsPresent\": true, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/Variable");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringEqualsPath\": 5, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/StringEqualsPath");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsPresent\": true, \"Next\": 5}", true,
				 "WRONG_TYPE", RULE_PTR "/Next");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsPresent\": true, \"Comment\": [], \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/Comment");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsPresent\": true, \"Assign\": [], \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/Assign");
	EXPECT_ERROR("{\"And\": {\"Variable\": \"$.x\", \"IsPresent\": true}, \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/And");
	EXPECT_ERROR("{\"Not\": [{\"Variable\": \"$.x\", \"IsPresent\": true}], \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/Not");
	EXPECT_ERROR("{\"Or\": [{\"Variable\": \"$.x\", \"IsPresent\": true}, 1], \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/Or/1");
	/* the pointer reaches into nested rules */
	EXPECT_ERROR("{\"And\": [{\"Variable\": \"$.a\", \"NumericEquals\": 1},"
				 " {\"Variable\": \"$.b\", \"NumericEquals\": \"one\"}], \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/And/1/NumericEquals");
	EXPECT_ERROR("{\"Or\": [{\"Not\": {\"And\": [{\"Variable\": \"$.a\", \"BooleanEquals\": \"no\"}]}}], \"Next\": \"N\"}", true,
				 "WRONG_TYPE", RULE_PTR "/Or/0/Not/And/0/BooleanEquals");

	/* INVALID_VALUE */
	EXPECT_ERROR("{\"And\": [], \"Next\": \"N\"}", true, "INVALID_VALUE", RULE_PTR "/And");
	EXPECT_ERROR("{\"Or\": [], \"Next\": \"N\"}", true, "INVALID_VALUE", RULE_PTR "/Or");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsPresent\": true, \"Assign\": {\"1bad\": 1}, \"Next\": \"N\"}", true,
				 "INVALID_VALUE", RULE_PTR "/Assign/1bad");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsPresent\": true, \"Assign\": {\"a-b.$\": \"$.x\"}, \"Next\": \"N\"}", true,
				 "INVALID_VALUE", RULE_PTR "/Assign/a-b.$");

	/* MISSING_FIELD, at the rule */
	EXPECT_ERROR("{\"StringEquals\": \"a\", \"Next\": \"N\"}", true, "MISSING_FIELD", RULE_PTR);
	EXPECT_ERROR("{\"IsPresent\": true}", false, "MISSING_FIELD", RULE_PTR);
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringEquals\": \"a\"}", true, "MISSING_FIELD", RULE_PTR);
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"Next\": \"N\"}", true, "MISSING_FIELD", RULE_PTR);
	EXPECT_ERROR("{\"Next\": \"N\", \"Comment\": \"nothing\"}", true, "MISSING_FIELD", RULE_PTR);
	EXPECT_ERROR("{}", false, "MISSING_FIELD", RULE_PTR);
	EXPECT_ERRORS("{}", true, "MISSING_FIELD", RULE_PTR, 2);	/* no operator, no Next */
	EXPECT_ERROR("{\"Not\": {\"Variable\": \"$.x\"}, \"Next\": \"N\"}", true, "MISSING_FIELD", RULE_PTR "/Not");

	/* MUTUALLY_EXCLUSIVE_FIELDS, at the rule, once */
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringEquals\": \"a\", \"NumericEquals\": 1, \"Next\": \"N\"}", true,
				 "MUTUALLY_EXCLUSIVE_FIELDS", RULE_PTR);
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringEquals\": \"a\", \"StringEqualsPath\": \"$.y\", \"IsNull\": true, \"Next\": \"N\"}", true,
				 "MUTUALLY_EXCLUSIVE_FIELDS", RULE_PTR);
	EXPECT_ERROR("{\"And\": [{\"Variable\": \"$.x\", \"IsPresent\": true}],"
				 " \"Or\": [{\"Variable\": \"$.x\", \"IsPresent\": true}], \"Next\": \"N\"}", true,
				 "MUTUALLY_EXCLUSIVE_FIELDS", RULE_PTR);
	EXPECT_ERROR("{\"Or\": [{\"Variable\": \"$.x\", \"IsNull\": true, \"IsString\": true}], \"Next\": \"N\"}", true,
				 "MUTUALLY_EXCLUSIVE_FIELDS", RULE_PTR "/Or/0");

	/* paths */
	EXPECT_ERROR("{\"Variable\": \"$.a[*]\", \"IsPresent\": true, \"Next\": \"N\"}", true,
				 "INVALID_REFERENCE_PATH", RULE_PTR "/Variable");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"StringEqualsPath\": \"$.a[*]\", \"Next\": \"N\"}", true,
				 "INVALID_REFERENCE_PATH", RULE_PTR "/StringEqualsPath");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"NumericLessThanPath\": \"$..n\", \"Next\": \"N\"}", true,
				 "INVALID_REFERENCE_PATH", RULE_PTR "/NumericLessThanPath");
	EXPECT_ERROR("{\"Variable\": \"x\", \"IsPresent\": true, \"Next\": \"N\"}", true,
				 "INVALID_JSON_PATH", RULE_PTR "/Variable");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"TimestampEqualsPath\": \"2024-01-01T00:00:00Z\", \"Next\": \"N\"}", true,
				 "INVALID_JSON_PATH", RULE_PTR "/TimestampEqualsPath");

	/* INVALID_TIMESTAMP */
	EXPECT_ERROR("{\"Variable\": \"$.t\", \"TimestampEquals\": \"2024-01-01\", \"Next\": \"N\"}", true,
				 "INVALID_TIMESTAMP", RULE_PTR "/TimestampEquals");
	EXPECT_ERROR("{\"Variable\": \"$.t\", \"TimestampLessThan\": \"2024-01-01T00:00:00\", \"Next\": \"N\"}", true,
				 "INVALID_TIMESTAMP", RULE_PTR "/TimestampLessThan");
	EXPECT_ERROR("{\"Variable\": \"$.t\", \"TimestampGreaterThanEquals\": \"2024-01-01t00:00:00z\", \"Next\": \"N\"}", true,
				 "INVALID_TIMESTAMP", RULE_PTR "/TimestampGreaterThanEquals");
	EXPECT_ERROR("{\"And\": [{\"Variable\": \"$.t\", \"TimestampGreaterThan\": \"tomorrow\"}], \"Next\": \"N\"}", true,
				 "INVALID_TIMESTAMP", RULE_PTR "/And/0/TimestampGreaterThan");

	/* Assign's template is compiled with the rule */
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsPresent\": true, \"Assign\": {\"v.$\": \"$.a[\"}, \"Next\": \"N\"}", true,
				 "INVALID_JSON_PATH", RULE_PTR "/Assign/v.$");
	EXPECT_ERROR("{\"Variable\": \"$.x\", \"IsPresent\": true, \"Assign\": {\"v.$\": \"States.Nope(1)\"}, \"Next\": \"N\"}", true,
				 "INVALID_INTRINSIC", RULE_PTR "/Assign/v.$");

	/* not an object */
	EXPECT_ERROR("[1]", true, "WRONG_TYPE", RULE_PTR);

	/* every problem at once */
	EXPECT_ERRORS("{\"Variable\": \"$.a[*]\", \"NumericEquals\": \"x\", \"Bogus\": 1}", true,
				  "UNKNOWN_FIELD", RULE_PTR "/Bogus", 4);
	EXPECT_ERRORS("{\"And\": [{\"Variable\": \"$.a\", \"Next\": \"N\"}, {\"StringEquals\": 1}]}", true,
				  "MISSING_FIELD", RULE_PTR "/And/1", 5);
}

static void
test_depth_limit(void)
{
	char	   *text = malloc(16 * 100 + 128);
	char	   *p = text;
	char		ptr[2048];
	int			depth = 70;

	for (int i = 0; i < depth; i++)
		p += sprintf(p, "{\"Not\": ");
	p += sprintf(p, "{\"Variable\": \"$.x\", \"IsPresent\": true}");
	for (int i = 0; i < depth; i++)
		p += sprintf(p, "}");
	p = ptr + sprintf(ptr, "%s", RULE_PTR);
	for (int i = 0; i < 65; i++)
		p += sprintf(p, "/Not");
	expect_error(__LINE__, text, false, "UNSUPPORTED_FEATURE", ptr, 1);
	free(text);

	/* 64 levels are fine */
	text = malloc(16 * 100 + 128);
	p = text;
	for (int i = 0; i < 64; i++)
		p += sprintf(p, "{\"Not\": ");
	p += sprintf(p, "{\"Variable\": \"$.x\", \"IsPresent\": true}");
	for (int i = 0; i < 64; i++)
		p += sprintf(p, "}");
	CHECK_INT(eval_text(text, "{\"x\": 1}"), YES);	/* an even number of Nots */
	free(text);
}

static void
test_compiled_shape(void)
{
	json_object *rule = json_tokener_parse(
										   "{\"Variable\": \"$.t\", \"TimestampLessThanEquals\": \"2024-01-01T01:00:00+01:00\","
										   " \"Next\": \"Later\", \"Comment\": \"c\", \"Assign\": {\"seen\": true, \"when.$\": \"$.t\"}}");
	json_object *input = json_tokener_parse("{\"t\": \"2023-06-01T00:00:00Z\"}");
	json_object *out = NULL;
	asl_scope	scope = {.input = input, .context = NULL, .variables = NULL};
	asl_error	err = {NULL, NULL};
	asl_choice_rule r;
	asl_diags	d;
	bool		m = false;

	asl_diags_init(&d);
	CHECK(asl_choice_rule_compile(rule, RULE_PTR, true, &r, &d));
	CHECK_INT(d.count, 0);
	CHECK_INT(r.kind, ASL_RULE_COMPARE);
	CHECK_INT(r.value_type, ASL_VT_TIMESTAMP);
	CHECK_INT(r.relation, ASL_REL_LE);
	CHECK(r.operand_time == 1704067200 * ASL_USEC_PER_SEC);
	CHECK_STR(r.next_name, "Later");
	CHECK(r.assign != NULL);
	CHECK(asl_choice_rule_eval(&r, &scope, &m, &err) && m);
	CHECK(r.assign != NULL && asl_template_eval(r.assign, &scope, &out, &err));
	CHECK_JSON(out, "{\"seen\": true, \"when\": \"2023-06-01T00:00:00Z\"}");
	json_object_put(out);
	asl_choice_rule_release(&r);
	CHECK(r.next_name == NULL && r.assign == NULL);
	asl_choice_rule_release(&r);	/* twice is harmless */
	json_object_put(rule);

	/* a rule whose Next was read still reports it when something else is wrong */
	rule = json_tokener_parse("{\"Variable\": \"$.x\", \"Bogus\": 1, \"IsPresent\": true, \"Next\": \"There\"}");
	CHECK(!asl_choice_rule_compile(rule, RULE_PTR, true, &r, &d));
	CHECK_STR(r.next_name, "There");
	asl_choice_rule_release(&r);
	json_object_put(rule);

	/* a path-like Assign value without .$ warns */
	asl_diags_free(&d);
	asl_diags_init(&d);
	rule = json_tokener_parse("{\"Variable\": \"$.x\", \"IsPresent\": true, \"Assign\": {\"v\": \"$.x\"}, \"Next\": \"N\"}");
	CHECK(asl_choice_rule_compile(rule, RULE_PTR, true, &r, &d));
	CHECK(d.count == 1 && d.errors == 0 && has_diag(&d, "NO_DOLLAR", RULE_PTR "/Assign/v"));
	asl_choice_rule_release(&r);
	json_object_put(rule);
	asl_diags_free(&d);
	json_object_put(input);
}

UNIT_MAIN("choice", {
	RUN("string", string_cases);
	RUN("string path", string_path_cases);
	RUN("numeric", numeric_cases);
	RUN("boolean", boolean_cases);
	RUN("timestamp", timestamp_cases);
	RUN("type test", test_cases);
	RUN("missing", missing_cases);
	RUN("logic", logic_cases);
	test_string_matches();
	test_runtime_cause();
	test_compile_errors();
	test_depth_limit();
	test_compiled_shape();
})
