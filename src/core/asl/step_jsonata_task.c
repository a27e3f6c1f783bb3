/*
 * step_jsonata_task.c — the starts of Task and Parallel states written in
 * JSONata. Arguments (default: the state input) is what the task receives,
 * or what every branch starts with; a Task's TimeoutSeconds and
 * HeartbeatSeconds are literals or expressions that must give a whole
 * number from 1 to 99999999. The end of both is step_jsonata_finish
 * (Output and Assign with $states.result).
 */
#include "step_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "jsonata_value.h"

/* The longest timeout or heartbeat AWS accepts, in seconds. */
#define MAX_TASK_SECONDS 99999999.0

/* Arguments evaluated (default: the input), held to the payload quota. */
static bool
arguments(step_ctx *c, json_object *bindings, json_object **args, asl_error *err)
{
	*args = NULL;
	if (c->st->j_arguments == NULL)
		*args = json_object_get(c->pos->input);
	else if (!asl_jvalue_eval(c->st->j_arguments, bindings, args, err))
		return false;
	step_inspect(c, "afterArguments", *args);

	/*
	 * AWS: "When, after Parameters processing, the input of a state is larger
	 * than the payload size quota"
	 */
	return asl_check_size(*args, c->limit, c->st->name, err);
}

/* TimeoutSeconds / HeartbeatSeconds: absent -> 0; else a whole number from 1 to 99999999. */
static bool
seconds(const asl_jvalue *jv, const char *field, json_object *bindings, int64_t *out, asl_error *err)
{
	json_object *v = NULL;
	const char *text = asl_jvalue_text(jv);
	double		d = -1;
	bool		number;

	*out = 0;
	if (jv == NULL)
		return true;
	if (!asl_jvalue_eval(jv, bindings, &v, err))
		return false;
	number = json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
	if (number)
		d = json_object_get_double(v);
	if (number && d >= 1 && d <= MAX_TASK_SECONDS && d == floor(d))
	{
		*out = (int64_t) d;
		json_object_put(v);
		return true;
	}
	if (!number || d != floor(d))
		asl_error_set(err, ASL_ERR_QUERY_EVAL,
					  "The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected 'integer', but was '%s' for value: %s",
					  text ? text : "", field, asl_jsonata_type_name(v),
					  v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null");
	else
		asl_error_set(err, ASL_ERR_QUERY_EVAL,
					  "The JSONata expression '%s' specified for the field '%s' must return a positive integer from 1 to 99999999, but returned %s",
					  text ? text : "", field, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
	json_object_put(v);
	return false;
}

void
step_jsonata_task(step_ctx *c, json_object *bindings)
{
	const asl_state *st = c->st;
	asl_outcome *out = c->out;
	asl_error	err = {0};
	json_object *args = NULL;
	int64_t		timeout = 0;
	int64_t		heartbeat = 0;

	if (!arguments(c, bindings, &args, &err) ||
		!seconds(st->j_timeout, "TimeoutSeconds", bindings, &timeout, &err) ||
		!seconds(st->j_heartbeat, "HeartbeatSeconds", bindings, &heartbeat, &err))
	{
		json_object_put(args);
		step_jsonata_error(c, &err);
		return;
	}
	out->kind = ASL_OUTCOME_TASK;
	out->task.resource = &st->resource;
	out->task.input = args;
	if (c->env->task_context)
		out->task.context = json_object_get(step_context(c));
	out->task.timeout_seconds = timeout;
	out->task.heartbeat_seconds = heartbeat;
	out->task.credentials = json_object_get(st->credentials);
}

void
step_jsonata_parallel(step_ctx *c, json_object *bindings)
{
	const asl_state *st = c->st;
	asl_error	err = {0};
	json_object *args = NULL;

	if (!arguments(c, bindings, &args, &err) ||
		!step_alloc_branches(c, st->n_branches, &err))
		goto fail;
	for (size_t i = 0; i < st->n_branches; i++)
		if (!step_set_branch(c, i, st->branches[i], json_object_get(args), &err))
			goto fail;
	step_start_branches(c, false);
	json_object_put(args);
	return;

fail:
	step_drop_branches(&c->out->branches);
	json_object_put(args);
	step_jsonata_error(c, &err);
}
