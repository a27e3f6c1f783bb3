/*
 * fuzz_ddb_expression.c — libFuzzer target: bytes → text → DynamoDB
 * ConditionExpression, UpdateExpression and ProjectionExpression.
 *
 * Whatever the text, parsing must neither crash nor leak, and a failure must
 * come with a message (a success never has one). What parses is run against
 * a small item with every type, and against no item: a condition is true or
 * false, an update either succeeds (the item stays an item of checked
 * values, unless it nests too deeply) or fails with a message, a
 * projection cuts the item into a valid item.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/ddb/ddb_expr.h"
#include "core/ddb/ddb_value.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_object *names;
static json_object *values;
static json_object *item;

static void
build(void)
{
	if (item != NULL)
		return;
	item = json_tokener_parse(
		"{\"Id\": {\"S\": \"1234567\"}, \"status\": {\"S\": \"paid\"}, \"n\": {\"N\": \"5\"}, \"f\": {\"N\": \"-1.5\"},"
		" \"b\": {\"B\": \"AQID\"}, \"t\": {\"BOOL\": true}, \"z\": {\"NULL\": true},"
		" \"ss\": {\"SS\": [\"a\", \"b\"]}, \"ns\": {\"NS\": [\"1\", \"2\"]}, \"bs\": {\"BS\": [\"AA==\"]},"
		" \"l\": {\"L\": [{\"S\": \"x\"}, {\"N\": \"1\"}, {\"M\": {\"k\": {\"S\": \"v\"}}}, {\"L\": []}]},"
		" \"m\": {\"M\": {\"k\": {\"M\": {\"d\": {\"N\": \"7\"}}}, \"s\": {\"S\": \"hello\"}, \"e\": {\"M\": {}}}}}");
	names = json_tokener_parse("{\"#s\": \"status\", \"#a\": \"a.b\", \"#m\": \"m\", \"#l\": \"l\", \"#k\": \"k\"}");
	values = json_tokener_parse(
		"{\":s\": {\"S\": \"paid\"}, \":n\": {\"N\": \"5\"}, \":big\": {\"N\": \"9.9E125\"}, \":tiny\": {\"N\": \"1E-130\"},"
		" \":b\": {\"B\": \"AQ==\"}, \":t\": {\"BOOL\": false}, \":z\": {\"NULL\": true}, \":ty\": {\"S\": \"SS\"},"
		" \":ss\": {\"SS\": [\"a\", \"c\"]}, \":ns\": {\"NS\": [\"2\", \"3\"]}, \":bs\": {\"BS\": [\"AQ==\"]},"
		" \":l\": {\"L\": [{\"S\": \"y\"}]}, \":m\": {\"M\": {\"k\": {\"S\": \"v\"}}}, \":e\": {\"S\": \"\"}}");
	if (item == NULL || names == NULL || values == NULL)
		__builtin_trap();
}

/* A parse's outcome: exactly one of a result and a message. */
static void
check_outcome(const void *parsed, char *msg)
{
	if ((parsed == NULL) == (msg == NULL))
		__builtin_trap();
	free(msg);
}

/* The item must still be a valid item (or only too deeply nested). */
static void
check_item(json_object *it)
{
	char	   *msg = NULL;
	char	   *where = NULL;
	json_object *checked = ddb_item_check(it, &msg, &where);

	if (checked == NULL && (msg == NULL || strncmp(msg, "Nesting Levels", 14) != 0))
		__builtin_trap();
	if (json_object_to_json_string_ext(it, JSON_C_TO_STRING_PLAIN) == NULL)
		__builtin_trap();
	json_object_put(checked);
	free(msg);
	free(where);
}

static void
try_condition(const char *text)
{
	ddb_placeholders ph;
	char	   *msg = NULL;
	ddb_condition *c;

	ddb_placeholders_init(&ph, names, values);
	c = ddb_condition_parse(text, &ph, &msg);
	if (c != NULL)
	{
		char	   *unused = ddb_placeholders_unused(&ph);

		/* the item has every attribute an absent item lacks: no crash either way */
		(void) ddb_condition_eval(c, item);
		(void) ddb_condition_eval(c, NULL);
		free(unused);
	}
	ddb_placeholders_release(&ph);
	check_outcome(c, msg);
	ddb_condition_free(c);
}

static void
try_update(const char *text)
{
	ddb_placeholders ph;
	char	   *msg = NULL;
	ddb_update *u;

	ddb_placeholders_init(&ph, names, values);
	u = ddb_update_parse(text, &ph, &msg);
	ddb_placeholders_release(&ph);
	check_outcome(u, msg);
	if (u != NULL)
	{
		json_object *copies[2] = {NULL, json_object_new_object()};
		int			i;

		if (json_object_deep_copy(item, &copies[0], NULL) != 0 || copies[1] == NULL)
			__builtin_trap();
		for (i = 0; i < 2; i++)
		{
			char	   *why = NULL;

			if (ddb_update_apply(u, copies[i], &why))
			{
				if (why != NULL)
					__builtin_trap();
				check_item(copies[i]);
			}
			else if (why == NULL)
				__builtin_trap();
			free(why);
			json_object_put(copies[i]);
		}
		ddb_update_free(u);
	}
}

static void
try_projection(const char *text)
{
	ddb_placeholders ph;
	char	   *msg = NULL;
	ddb_projection *p;

	ddb_placeholders_init(&ph, names, NULL);
	p = ddb_projection_parse(text, &ph, &msg);
	ddb_placeholders_release(&ph);
	check_outcome(p, msg);
	if (p != NULL)
	{
		json_object *out = ddb_projection_apply(p, item);

		if (out == NULL)
			__builtin_trap();
		check_item(out);
		json_object_put(out);
		ddb_projection_free(p);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text;

	if (size > 5000)
		return 0;				/* past the 4 KB limit nothing new happens */
	build();
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	try_condition(text);
	try_update(text);
	try_projection(text);
	free(text);
	return 0;
}
