/*
 * definition_task.c — the Task state: Resource, timeouts, Credentials, and
 * the request fields each integration cannot run without.
 */
#include "definition_impl.h"

#include "jsonata_value.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const credentials_fields[] = {"RoleArn", "RoleArn.$", NULL};
static const char *const credentials_fields_jsonata[] = {"RoleArn", NULL};

/* A field given either literally or as "field.$". */
static bool
has_param(json_object *params, const char *field)
{
	char		dollar[64];

	snprintf(dollar, sizeof(dollar), "%s.$", field);
	return json_object_object_get_ex(params, field, NULL) ||
		json_object_object_get_ex(params, dollar, NULL);
}

static bool passes_task_token(json_object *v, int depth);

static bool
object_passes_task_token(json_object *v, int depth)
{
	json_object_object_foreach(v, key, val)
	{
		size_t		len = strlen(key);

		if (len >= 2 && strcmp(key + len - 2, ".$") == 0 &&
			json_object_is_type(val, json_type_string) &&
			strstr(json_object_get_string(val), "$$.Task.Token") != NULL)
			return true;
		if (passes_task_token(val, depth + 1))
			return true;
	}
	return false;
}

/* True when a ".$" value somewhere in v reads $$.Task.Token. */
static bool
passes_task_token(json_object *v, int depth)
{
	if (depth > ASL_MAX_WALK_DEPTH)
		return false;
	if (json_object_is_type(v, json_type_array))
	{
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (passes_task_token(json_object_array_get_idx(v, i), depth + 1))
				return true;
		return false;
	}
	return json_object_is_type(v, json_type_object) && object_passes_task_token(v, depth);
}

/* True when an expression somewhere in v (a JSONata Arguments) reads $states.context.Task.Token. */
static bool
expr_passes_task_token(json_object *v, int depth)
{
	if (depth > ASL_MAX_WALK_DEPTH)
		return false;
	if (json_object_is_type(v, json_type_string))
		return asl_jsonata_is_expr(json_object_get_string(v)) &&
			strstr(json_object_get_string(v), "Task.Token") != NULL;
	if (json_object_is_type(v, json_type_array))
	{
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if (expr_passes_task_token(json_object_array_get_idx(v, i), depth + 1))
				return true;
		return false;
	}
	if (json_object_is_type(v, json_type_object))
	{
		json_object_object_foreach(v, key, val)
		{
			(void) key;
			if (expr_passes_task_token(val, depth + 1))
				return true;
		}
	}
	return false;
}

static void
require_param(asl_build *b, asl_state *st, json_object *params, const char *field,
			  const char *why)
{
	const char *holder = st->jsonata ? "Arguments" : "Parameters";

	if (params == NULL)
		asl_build_error(b, "MISSING_FIELD", st->pointer, NULL,
						"this Task needs %s with %s (%s)", holder, field, why);
	else if (!has_param(params, field))
		asl_build_error(b, "MISSING_FIELD", st->pointer, holder,
						"%s needs %s (%s)", holder, field, why);
}

/*
 * The request fields without which the integration cannot run at all, in
 * Parameters (JSONPath) or Arguments (JSONata). An Arguments written as one
 * expression is known only at run time.
 */
static void
check_request(asl_build *b, asl_state *st, json_object *def)
{
	const char *holder = st->jsonata ? "Arguments" : "Parameters";
	json_object *params = asl_field(def, holder);
	const asl_resource *res = &st->resource;

	if (!json_object_is_type(params, json_type_object))
	{
		if (json_object_object_get_ex(def, holder, NULL))
			return;				/* WRONG_TYPE, or one JSONata expression */
		params = NULL;
	}
	if (res->kind == ASL_RES_DYNAMODB)
	{
		require_param(b, st, params, "TableName", "the table to act on");
		if (strcmp(res->action, "putItem") == 0)
			require_param(b, st, params, "Item", "the item to write");
		else
			require_param(b, st, params, "Key", "the primary key of the item");
	}
	else if (res->kind == ASL_RES_LAMBDA_INVOKE)
		require_param(b, st, params, "FunctionName", "the function to invoke");
	if (res->pattern != ASL_PATTERN_WAIT_FOR_TOKEN)
		return;
	if (st->jsonata && (params == NULL || !expr_passes_task_token(params, 0)))
		asl_build_error(b, "MISSING_FIELD", st->pointer, params ? "Arguments" : NULL,
						"a .waitForTaskToken Task must pass its token: put \"{%% $states.context.Task.Token %%}\" in Arguments");
	else if (!st->jsonata && (params == NULL || !passes_task_token(params, 0)))
		asl_build_error(b, "MISSING_FIELD", st->pointer, params ? "Parameters" : NULL,
						"a .waitForTaskToken Task must pass its token: put \"$$.Task.Token\" in a \".$\" field of Parameters");
}

static void
read_resource(asl_build *b, asl_state *st, json_object *def)
{
	const char *arn;
	const char *code;
	const char *why;

	if (!json_object_object_get_ex(def, "Resource", NULL))
	{
		asl_build_error(b, "MISSING_FIELD", st->pointer, NULL, "a Task state needs a Resource");
		return;
	}
	if (!asl_read_string(b, def, st->pointer, "Resource", &arn))
		return;
	if (!asl_resource_parse(arn, &st->resource, &code, &why))
	{
		if (strcmp(why, "out of memory") == 0)
			b->oom = true;
		asl_build_error(b, code, st->pointer, "Resource", "Resource \"%s\" %s: %s", arn,
						strcmp(code, "UNSUPPORTED_RESOURCE") == 0 ? "is not supported" : "is not valid",
						why);
		return;
	}
	check_request(b, st, def);
}

static void
read_credentials(asl_build *b, asl_state *st, json_object *def)
{
	json_object *cred;
	char	   *where;
	asl_template *tpl;

	if (!asl_read_object(b, def, st->pointer, "Credentials", &cred))
		return;
	where = asl_build_pointer(b, st->pointer, "Credentials");
	if (where == NULL)
		return;
	if (st->jsonata)
	{
		/* JSONata: RoleArn, literal or "{% %}"; kept as given for the host */
		asl_check_keys(b, cred, where, "Credentials", credentials_fields_jsonata);
		if (!json_object_object_get_ex(cred, "RoleArn", NULL))
			asl_build_error(b, "MISSING_FIELD", where, NULL, "Credentials needs RoleArn");
		st->credentials = json_object_get(cred);
		free(where);
		return;
	}
	asl_check_keys(b, cred, where, "Credentials", credentials_fields);
	if (!json_object_object_get_ex(cred, "RoleArn", NULL) &&
		!json_object_object_get_ex(cred, "RoleArn.$", NULL))
		asl_build_error(b, "MISSING_FIELD", where, NULL, "Credentials needs RoleArn (or RoleArn.$)");
	/* compiled to check its paths; kept as given for the host */
	tpl = asl_template_compile(cred, where, b->diags);
	asl_drop_template(tpl);
	st->credentials = json_object_get(cred);
	free(where);
}

/* TimeoutSeconds / HeartbeatSeconds of a JSONata Task: a literal is checked here. */
static bool
read_jsonata_seconds(asl_build *b, asl_state *st, json_object *def, const char *field, double *lit)
{
	json_object *v;

	*lit = 0;
	if (!json_object_object_get_ex(def, field, &v))
		return false;
	if (json_object_is_type(v, json_type_string) && asl_jsonata_is_expr(json_object_get_string(v)))
		return false;
	{
		int64_t		iv;

		if (asl_read_int(b, def, st->pointer, field, 1, ASL_MAX_COUNT, &iv))
		{
			*lit = (double) iv;
			return true;
		}
	}
	return false;
}

/*
 * A Task written in JSONata: Resource and the request's fields in Arguments;
 * TimeoutSeconds and HeartbeatSeconds are literals (checked here) or
 * expressions (compiled by the caller, checked at run time).
 */
void
asl_parse_task_jsonata(asl_build *b, asl_state *st, json_object *def)
{
	double		timeout,
				heartbeat;
	bool		t,
				h;

	read_resource(b, st, def);
	t = read_jsonata_seconds(b, st, def, "TimeoutSeconds", &timeout);
	h = read_jsonata_seconds(b, st, def, "HeartbeatSeconds", &heartbeat);
	if (t && h && heartbeat >= timeout)
		asl_build_error(b, "INVALID_VALUE", st->pointer, "HeartbeatSeconds",
						"HeartbeatSeconds (%.0f) must be smaller than TimeoutSeconds (%.0f)",
						heartbeat, timeout);
	read_credentials(b, st, def);
}

void
asl_parse_task(asl_build *b, asl_state *st, json_object *def)
{
	read_resource(b, st, def);
	asl_read_num_or_path(b, def, st->pointer, "TimeoutSeconds", "TimeoutSecondsPath",
						 1, (double) ASL_MAX_COUNT, true, &st->timeout_seconds);
	asl_read_num_or_path(b, def, st->pointer, "HeartbeatSeconds", "HeartbeatSecondsPath",
						 1, (double) ASL_MAX_COUNT, true, &st->heartbeat_seconds);
	/* a heartbeat interval must fit inside the timeout to ever be useful */
	if (st->timeout_seconds.present && !st->timeout_seconds.path &&
		st->heartbeat_seconds.present && !st->heartbeat_seconds.path &&
		st->heartbeat_seconds.value >= st->timeout_seconds.value)
		asl_build_error(b, "INVALID_VALUE", st->pointer, "HeartbeatSeconds",
						"HeartbeatSeconds (%.0f) must be smaller than TimeoutSeconds (%.0f)",
						st->heartbeat_seconds.value, st->timeout_seconds.value);
	read_credentials(b, st, def);
}
