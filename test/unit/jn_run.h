/*
 * jn_run.h — the JSONata unit tests' one-call evaluation: expr compiled and
 * evaluated against input text (NULL: undefined) and bindings text; the
 * result as JSON text, "undefined", "compile CODE@POS" or "error CODE" (the
 * error itself in last_error).
 */
#ifndef BOOKING_JN_RUN_H
#define BOOKING_JN_RUN_H

#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonata/jsonata.h"

static char result_text[65536];
static jn_error last_error;		/* the last run's error */

static const char *
run_opts(const char *expr, const char *input, const char *bindings, const jn_options *opts)
{
	jn_error	err;
	jn_expr    *e = jn_compile(expr, strlen(expr), &err);
	json_object *in = input ? json_tokener_parse(input) : NULL;
	json_object *b = bindings ? json_tokener_parse(bindings) : NULL;
	json_object *out = NULL;
	bool		undef;

	if (e == NULL)
		snprintf(result_text, sizeof result_text, "compile %s@%d", err.code, err.position);
	else if (jn_evaluate(e, in, input != NULL, b, opts, &out, &undef, &err) != 0)
	{
		snprintf(result_text, sizeof result_text, "error %s", err.code);
		last_error = err;
	}
	else if (undef)
		snprintf(result_text, sizeof result_text, "undefined");
	else
		snprintf(result_text, sizeof result_text, "%s", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	json_object_put(in);
	json_object_put(b);
	jn_expr_free(e);
	return result_text;
}

static const char *
run(const char *expr, const char *input)
{
	return run_opts(expr, input, NULL, NULL);
}

#endif
