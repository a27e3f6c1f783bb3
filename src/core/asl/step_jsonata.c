/*
 * step_jsonata.c — the states written in JSONata (Pass, Choice, Wait,
 * Succeed, Fail; the starts of Task, Parallel and Map have files of their
 * own): no paths; Output and Assign are "{% %}" values evaluated with
 * $states.input (the raw input), $states.context and the workflow
 * variables of state entry. Assign and Output both see the variables as
 * they were on entry; the new values take effect from the next state on.
 * A catcher's Output and Assign see $states.errorOutput as well.
 */
#include "step_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "events.h"
#include "jsonata_value.h"

/* The longest Wait AWS accepts, in seconds: 2^31 - 1. */
#define MAX_WAIT_SECONDS 2147483647.0

/*
 * The field an evaluation error names, as AWS's EvaluationFailed event gives
 * it in location: every cause names it ("... specified for the field
 * 'Output/result' ...", "The field 'Error' ...", "The Timestamp field ...").
 * A Map without Items whose input is no array names none: its Items. NULL
 * when the cause names no field (location is then left out).
 */
static char *
cause_field(const step_ctx *c, const char *cause)
{
	static const char *const marks[] = {"' specified for the field '", "the field '", "The field '", NULL};
	const char *p = NULL;
	const char *end;

	for (const char *const *m = marks; p == NULL && *m; m++)
		if ((p = strstr(cause, *m)) != NULL)
			p += strlen(*m);
	if (p != NULL && (end = strchr(p, '\'')) != NULL)
		return strndup(p, (size_t) (end - p));
	if (strncmp(cause, "The ", 4) == 0 && (end = strstr(cause + 4, " field ")) != NULL &&
		memchr(cause + 4, ' ', (size_t) (end - cause - 4)) == NULL)
		return strndup(cause + 4, (size_t) (end - cause - 4));
	return c->st->type == ASL_STATE_MAP ? strdup("Items") : NULL;
}

void
step_jsonata_evaluation_failed(step_ctx *c, asl_error *err)
{
	json_object *inner;
	json_object *details = NULL;
	char	   *location;

	if (err->name == NULL || strcmp(err->name, ASL_ERR_QUERY_EVAL) != 0)
		return;
	location = cause_field(c, err->cause ? err->cause : "");
	step_locate(c, err);
	if (c->env->no_events)
	{
		free(location);
		step_event_typed(c, "EvaluationFailed", NULL);
		return;
	}
	inner = json_object_new_object();
	if (inner == NULL ||
		!asl_json_add_literal(inner, "error", json_object_new_string(err->name)) ||
		!asl_json_add_literal(inner, "cause", json_object_new_string(err->cause ? err->cause : "")) ||
		(location != NULL && !asl_json_add_literal(inner, "location", json_object_new_string(location))) ||
		!asl_json_add_literal(inner, "state", json_object_new_string(c->st->name)))
	{
		json_object_put(inner);
		inner = NULL;
	}
	free(location);
	if (inner != NULL && ((details = json_object_new_object()) == NULL ||
						  !asl_json_add_literal(details, "evaluationFailedEventDetails", inner)))
	{
		json_object_put(details);
		details = NULL;
	}
	step_event_typed(c, "EvaluationFailed", details);
}

/* An error of the state's own evaluation: located as AWS words it, then Retry/Catch. */
void
step_jsonata_error(step_ctx *c, asl_error *err)
{
	step_jsonata_evaluation_failed(c, err);
	step_state_error(c, err);
}

/* Assign (may be NULL): the new variables and the values assigned. */
static bool
eval_assign(step_ctx *c, const asl_jvalue *assign, json_object *bindings,
			json_object **vars, json_object **assigned, asl_error *err)
{
	json_object *values = NULL;

	*vars = NULL;
	*assigned = NULL;
	if (assign == NULL)
	{
		*vars = json_object_get(c->pos->variables);
		return true;
	}
	if (!asl_jvalue_eval(assign, bindings, &values, err))
		return false;
	return step_assign_values(c, values, vars, assigned, err);
}

/*
 * Assign, then Output (default: dflt, else the input), then the
 * transition. An error goes to Retry and Catch.
 */
static void
finish_with(step_ctx *c, json_object *bindings, const asl_jvalue *assign, const asl_jvalue *output_v,
			json_object *dflt, asl_outcome_kind kind, const char *next)
{
	asl_error	err = {0};
	json_object *vars = NULL;
	json_object *assigned = NULL;
	json_object *output = NULL;

	if (!eval_assign(c, assign, bindings, &vars, &assigned, &err))
		goto fail;
	if (output_v != NULL)
	{
		if (!asl_jvalue_eval(output_v, bindings, &output, &err))
			goto fail;
	}
	else
		output = json_object_get(dflt ? dflt : c->pos->input);
	if (!asl_check_size(output, c->limit, c->st->name, &err))
		goto fail;
	step_transition(c, kind, next, output, vars, assigned);
	json_object_put(assigned);
	return;
fail:
	json_object_put(vars);
	json_object_put(assigned);
	json_object_put(output);
	step_jsonata_error(c, &err);
}

/* finish_with without a default output. */
static void
finish(step_ctx *c, json_object *bindings, const asl_jvalue *assign, const asl_jvalue *output_v,
	   asl_outcome_kind kind, const char *next)
{
	finish_with(c, bindings, assign, output_v, NULL, kind, next);
}

void
step_jsonata_finish(step_ctx *c, json_object *result)
{
	asl_error	err = {0};
	json_object *bindings = asl_jsonata_bindings(c->pos->variables, c->pos->input, step_context(c));
	json_object *states = NULL;

	asl_jsonata_set_cancel(c->env->cancel, c->env->cancel_arg);
	step_inspect(c, "result", result);
	if (bindings == NULL || !json_object_object_get_ex(bindings, "states", &states) ||
		!asl_json_add_literal(states, "result", json_object_get(result)))
	{
		json_object_put(bindings);
		asl_error_set(&err, ASL_ERR_RUNTIME, "out of memory");
		step_fail(c, &err);
		return;
	}
	finish_with(c, bindings, c->st->j_assign, c->st->j_output, result,
				c->st->end ? ASL_OUTCOME_END : ASL_OUTCOME_NEXT, c->st->end ? NULL : c->st->next_name);
	json_object_put(bindings);
}

/*
 * A JSONata Choice state: the first rule whose Condition is true, else
 * Default, else States.NoChoiceMatched.
 */
static void
choice(step_ctx *c, json_object *bindings)
{
	const asl_state *st = c->st;
	asl_error	err = {0};

	for (size_t i = 0; i < st->n_choices; i++)
	{
		const asl_choice_rule *r = &st->choices[i];
		json_object *v = NULL;

		if (r->condition == NULL)
			continue;
		if (!asl_jvalue_eval(r->condition, bindings, &v, &err))
		{
			step_jsonata_error(c, &err);
			return;
		}
		if (!json_object_is_type(v, json_type_boolean))
		{
			asl_jvalue_wrong_type(r->condition, "boolean", v, &err);
			json_object_put(v);
			step_jsonata_error(c, &err);
			return;
		}
		if (json_object_get_boolean(v))
		{
			json_object_put(v);
			finish(c, bindings, r->j_assign, r->j_output, ASL_OUTCOME_NEXT, r->next_name);
			return;
		}
		json_object_put(v);
	}
	if (st->default_name != NULL)
		finish(c, bindings, st->j_assign, st->j_output, ASL_OUTCOME_NEXT, st->default_name);
	else
	{
		asl_error_set(&err, ASL_ERR_NO_CHOICE_MATCHED,
					  "No Choice Rule of state '%s' matched its input, and it has no Default",
					  st->name);
		step_error(c, &err);
	}
}

/*
 * Wait: Seconds (a whole number) or Timestamp (RFC 3339), literal or
 * evaluated. A result of another JSON type is AWS's "unexpected result type".
 */
static bool
wait_due(step_ctx *c, json_object *bindings, asl_time *due, asl_error *err)
{
	const asl_state *st = c->st;
	const asl_jvalue *jv = st->j_seconds ? st->j_seconds : st->j_timestamp;
	json_object *v = NULL;
	bool		ok = false;

	if (!asl_jvalue_eval(jv, bindings, &v, err))
		return false;
	if (st->j_seconds)
	{
		double		d;

		if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
			asl_jvalue_wrong_type(jv, "number", v, err);
		else if ((d = json_object_get_double(v)) < 0 || d != floor(d))
			asl_error_set(err, ASL_ERR_QUERY_EVAL,
						  "The field 'Seconds' must be a whole number of seconds from 0 to 2147483647, not %s",
						  json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		else if (d > MAX_WAIT_SECONDS)
			asl_error_set(err, ASL_ERR_RUNTIME, "Wait state delay is too long.");
		else
		{
			*due = c->env->now + (asl_time) d * ASL_USEC_PER_SEC;
			ok = true;
		}
	}
	else if (!json_object_is_type(v, json_type_string))
		asl_jvalue_wrong_type(jv, "string", v, err);
	else if (asl_timestamp_parse(json_object_get_string(v), due))
	{
		/* as in JSONPath: AWS refuses a delay over 2^31 - 1 seconds at once */
		ok = !(*due > c->env->now && (*due - c->env->now) / ASL_USEC_PER_SEC > (asl_time) MAX_WAIT_SECONDS);
		if (!ok)
			asl_error_set(err, ASL_ERR_RUNTIME, "Wait state delay is too long.");
	}
	else
		asl_error_set(err, ASL_ERR_QUERY_EVAL,
					  "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: %s",
					  json_object_get_string(v));
	json_object_put(v);
	return ok;
}

/* Fail's Error or Cause: a string, literal or evaluated; absent: NULL. */
static bool
fail_text(const asl_jvalue *jv, json_object *bindings, char **out, asl_error *err)
{
	json_object *v = NULL;

	*out = NULL;
	if (jv == NULL)
		return true;
	if (!asl_jvalue_eval(jv, bindings, &v, err))
		return false;
	if (!json_object_is_type(v, json_type_string))
	{
		asl_jvalue_wrong_type(jv, "string", v, err);
		json_object_put(v);
		return false;
	}
	*out = strdup(json_object_get_string(v));
	json_object_put(v);
	return *out != NULL;
}

void
step_jsonata(step_ctx *c)
{
	const asl_state *st = c->st;
	asl_error	err = {0};
	json_object *bindings = asl_jsonata_bindings(c->pos->variables, c->pos->input, step_context(c));
	asl_time	due;
	char	   *error = NULL;
	char	   *cause = NULL;

	asl_jsonata_set_cancel(c->env->cancel, c->env->cancel_arg);
	if (bindings == NULL)
	{
		asl_error_set(&err, ASL_ERR_RUNTIME, "out of memory");
		step_fail(c, &err);
		return;
	}
	switch (st->type)
	{
		case ASL_STATE_PASS:
			finish(c, bindings, st->j_assign, st->j_output,
				   st->end ? ASL_OUTCOME_END : ASL_OUTCOME_NEXT, st->end ? NULL : st->next_name);
			break;
		case ASL_STATE_SUCCEED:
			finish(c, bindings, NULL, st->j_output, ASL_OUTCOME_END, NULL);
			break;
		case ASL_STATE_CHOICE:
			choice(c, bindings);
			break;
		case ASL_STATE_WAIT:
			if (!wait_due(c, bindings, &due, &err))
			{
				step_jsonata_error(c, &err);
				break;
			}
			c->out->due = due;
			c->out->after_events = json_object_new_array();
			finish(c, bindings, st->j_assign, st->j_output, ASL_OUTCOME_WAIT,
				   st->end ? NULL : st->next_name);
			break;
		case ASL_STATE_FAIL:
			if (!fail_text(st->j_error, bindings, &error, &err) ||
				!fail_text(st->j_cause, bindings, &cause, &err))
			{
				free(error);
				if (err.name == NULL)
					asl_error_set(&err, ASL_ERR_RUNTIME, "out of memory");
				else if (strcmp(err.name, ASL_ERR_QUERY_EVAL) == 0)
					step_jsonata_evaluation_failed(c, &err);
				else
					step_locate(c, &err);
				step_fail(c, &err);
				break;
			}
			err.name = error ? error : strdup("");
			err.cause = cause;
			step_fail(c, &err);
			break;
		case ASL_STATE_MAP:
			step_jsonata_map(c, bindings);
			break;
		case ASL_STATE_TASK:
			step_jsonata_task(c, bindings);
			break;
		case ASL_STATE_PARALLEL:
			step_jsonata_parallel(c, bindings);
			break;
	}
	json_object_put(bindings);
}

void
step_jsonata_catch(step_ctx *c, size_t i, asl_error *err, json_object *error_output)
{
	const asl_catcher *cat = &c->st->catchers[i];
	asl_error	e2 = {0};
	json_object *bindings = asl_jsonata_bindings(c->pos->variables, c->pos->input, step_context(c));
	json_object *states = NULL;
	json_object *vars = NULL;
	json_object *assigned = NULL;
	json_object *output = NULL;

	asl_jsonata_set_cancel(c->env->cancel, c->env->cancel_arg);
	if (bindings == NULL || !json_object_object_get_ex(bindings, "states", &states) ||
		!asl_json_add_literal(states, "errorOutput", json_object_get(error_output)))
	{
		asl_error_set(&e2, ASL_ERR_RUNTIME, "out of memory");
		goto fail;
	}

	/*
	 * the catcher's Assign replaces the state's; its Output (default: the
	 * Error Output) the state's
	 */
	if (!eval_assign(c, cat->j_assign, bindings, &vars, &assigned, &e2))
		goto fail;
	if (cat->j_output != NULL)
	{
		if (!asl_jvalue_eval(cat->j_output, bindings, &output, &e2))
			goto fail;
	}
	else
		output = json_object_get(error_output);
	if (!asl_check_size(output, c->limit, c->st->name, &e2))
		goto fail;
	step_catch_taken(c, i, err, output, vars, assigned);
	json_object_put(bindings);
	return;

fail:

	/*
	 * a catcher that fails is not caught again: the state fails with its
	 * error
	 */
	json_object_put(vars);
	json_object_put(assigned);
	json_object_put(output);
	json_object_put(bindings);
	asl_error_clear(err);
	step_jsonata_evaluation_failed(c, &e2);
	step_fail(c, &e2);
}
