/*
 * fuzz_expression.c — libFuzzer target: bytes → text → asl_path_compile (both
 * flavors) and asl_intrinsic_compile.
 *
 * Whatever the text, compiling must neither crash nor leak, a failure must
 * come with a message, and what compiles is evaluated against a small fixed
 * scope: a path selects (or not), an intrinsic call returns a value or an
 * error with a name and a cause, never both.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "core/asl/intrinsic.h"
#include "core/asl/path.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static asl_scope scope;

/* The documents every run reads; built once, never changed. */
static void
build_scope(void)
{
	if (scope.input != NULL)
		return;
	scope.input = json_tokener_parse(
		"{\"name\": \"Arnav\", \"template\": \"Hello, {}!\", \"a\": [1, 2, 3, 3, \"x\", null, {\"k\": 1}],"
		" \"n\": 5, \"f\": -1.5, \"t\": true, \"z\": null, \"s\": \"a,b.c\", \"b64\": \"RGF0YQ==\","
		" \"json\": \"{\\\"x\\\": [1, 2]}\", \"o\": {\"p\": {\"q\": [{\"r\": 1}, {\"r\": 2}]}, \"u\": \"v\"},"
		" \"books\": [{\"title\": \"A\", \"price\": 8}, {\"title\": \"B\", \"price\": 20}]}");
	scope.context = json_tokener_parse(
		"{\"Execution\": {\"Id\": \"arn:x\", \"Name\": \"ex\", \"Input\": {\"n\": 1}},"
		" \"State\": {\"Name\": \"S\", \"RetryCount\": 0}, \"Map\": {\"Item\": {\"Index\": 2, \"Value\": [1]}}}");
	scope.variables = json_tokener_parse("{\"v\": 3, \"list\": [3, 1, 3], \"obj\": {\"k\": \"w\"}, \"nil\": null}");
	if (scope.input == NULL || scope.context == NULL || scope.variables == NULL)
		__builtin_trap();
}

static void
try_path(const char *text, asl_path_flavor flavor)
{
	char	   *error = NULL;
	asl_path   *path = asl_path_compile(text, flavor, &error);
	json_object *out = NULL;

	if (path == NULL)
	{
		if (error == NULL)
			__builtin_trap();
		free(error);
		return;
	}
	if (error != NULL)
		__builtin_trap();
	if (flavor == ASL_PATH_REFERENCE && !asl_path_is_definite(path))
		__builtin_trap();
	if (!asl_path_select(path, &scope, &out) && out != NULL)
		__builtin_trap();
	json_object_put(out);
	asl_path_free(path);
}

static void
try_intrinsic(const char *text)
{
	char	   *error = NULL;
	asl_intrinsic *fn = asl_intrinsic_compile(text, &error);
	json_object *out = NULL;
	asl_error	err = {0};

	if (fn == NULL)
	{
		if (error == NULL)
			__builtin_trap();
		free(error);
		return;
	}
	if (error != NULL || !asl_intrinsic_is_call(text + strspn(text, " \t\r\n")))
		__builtin_trap();
	if (asl_intrinsic_eval(fn, &scope, &out, &err))
	{
		if (asl_error_is_set(&err))
			__builtin_trap();
		/* the result must serialise */
		if (json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN) == NULL)
			__builtin_trap();
	}
	else if (out != NULL || err.name == NULL || err.cause == NULL)
		__builtin_trap();
	json_object_put(out);
	asl_error_clear(&err);
	asl_intrinsic_free(fn);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text;

	if (size > 4096)
		return 0;				/* longer texts find nothing new, only take time */
	build_scope();
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	try_path(text, ASL_PATH_QUERY);
	try_path(text, ASL_PATH_REFERENCE);
	try_intrinsic(text);
	free(text);
	return 0;
}
