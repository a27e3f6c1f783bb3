/*
 * fuzz_jsonata.c — libFuzzer target: bytes → a JSONata expression, compiled
 * and, when it compiles, evaluated against a fixed document with small
 * guard rails (depth, steps, memory).
 *
 * Whatever the text, nothing may crash or leak; a failure must carry an
 * error code; a success yields a value or undefined, never both.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "core/jsonata/jsonata.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static json_object *doc;
static json_object *bindings;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jn_error	err;
	jn_expr    *e;
	jn_options	opts = {0};
	json_object *out = NULL;
	bool		undef;

	if (doc == NULL)
	{
		doc = json_tokener_parse(
			"{\"Account\": {\"Name\": \"Firefly\", \"Order\": [{\"OrderID\": \"o1\", \"Product\": ["
			"{\"Name\": \"Hat\", \"Price\": 34.45, \"Quantity\": 2, \"Tags\": [\"a\", \"b\"]},"
			"{\"Name\": \"Cloak\", \"Price\": 107.99, \"Quantity\": 1, \"Tags\": []}]},"
			"{\"OrderID\": \"o2\", \"Product\": [{\"Name\": \"Hat\", \"Price\": 34.45, \"Quantity\": 4}]}]},"
			" \"n\": [3, 1, 2, null, true, \"x\", {\"k\": [1, [2, [3]]]}], \"s\": \"h\\u00e9llo w\\u00f6rld\", \"e\": {}}");
		bindings = json_tokener_parse("{\"v\": 7, \"list\": [1, 2, 3]}");
		if (doc == NULL || bindings == NULL)
			__builtin_trap();
	}
	e = jn_compile((const char *) data, size, &err);
	if (e == NULL)
	{
		if (err.code[0] == '\0')
			__builtin_trap();
		return 0;
	}
	opts.max_depth = 200;
	opts.max_steps = 200000;
	opts.memory_limit = 32 * 1024 * 1024;
	if (jn_evaluate(e, doc, true, bindings, &opts, &out, &undef, &err) != 0)
	{
		if (err.code[0] == '\0' || out != NULL)
			__builtin_trap();
	}
	else if (undef && out != NULL)
		__builtin_trap();
	json_object_put(out);
	jn_expr_free(e);
	return 0;
}
