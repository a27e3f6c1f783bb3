/*
 * step_states.c — the states that need nothing from the outside world:
 * Pass, Choice, Wait, Succeed and Fail.
 */
#include "step_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choice.h"
#include "dataflow.h"
#include "intrinsic.h"
#include "path.h"
#include "template.h"

/* The longest Wait AWS accepts, in seconds: 2^31 - 1 (about 68 years). */
#define MAX_WAIT_SECONDS INT64_C(2147483647)

/*
 * Pass: the result is Result when given (it wins over Parameters, as in
 * AWS), else the Parameters payload, else the effective input (spec, "Pass
 * State": "If "Result" is not provided, the output is the input").
 */
void
step_pass(step_ctx *c)
{
	const asl_state *st = c->st;
	asl_error	err = {0};
	json_object *eff;
	json_object *result = NULL;

	if (!step_input(c, &eff))
		return;
	if (st->has_result)
		result = json_object_get(st->result);
	else if (st->parameters != NULL)
	{
		asl_scope	s = step_scope(c, eff);

		if (!asl_apply_template(st->parameters, &s, &result, &err))
		{
			json_object_put(eff);
			step_state_error(c, &err);
			return;
		}
		step_inspect(c, "afterParameters", result);
	}
	else
		result = json_object_get(eff);
	step_finish(c, result, false, result);
	json_object_put(result);
	json_object_put(eff);
}

/*
 * Choice: the first rule that matches gives Next and its own Assign; with
 * none, Default and the state's Assign (spec, "Choice State": "If a Choice
 * Rule is chosen, the interpreter evaluates the Choice Rule's "Assign" field
 * ... and does not evaluate the state's top-level "Assign" field"); with no
 * Default either, States.NoChoiceMatched.
 */
void
step_choice(step_ctx *c)
{
	const asl_state *st = c->st;
	asl_error	err = {0};
	json_object *eff;
	asl_scope	s;

	if (!step_input(c, &eff))
		return;
	s = step_scope(c, eff);
	for (size_t i = 0; i < st->n_choices; i++)
	{
		const asl_choice_rule *rule = &st->choices[i];
		bool		matched = false;

		if (!asl_choice_rule_eval(rule, &s, &matched, &err))
		{
			json_object_put(eff);
			step_state_error(c, &err);
			return;
		}
		if (matched)
		{
			step_pass_through(c, eff, rule->assign, ASL_OUTCOME_NEXT, rule->next_name);
			json_object_put(eff);
			return;
		}
	}
	if (st->default_name != NULL)
		step_pass_through(c, eff, st->assign, ASL_OUTCOME_NEXT, st->default_name);
	else
	{
		asl_error_set(&err, ASL_ERR_NO_CHOICE_MATCHED,
					  "No Choice Rule of state '%s' matched its input, and it has no Default",
					  st->name);
		step_error(c, &err);
	}
	json_object_put(eff);
}

/* A JSON value as AWS quotes it after "==": a string as it is, anything else as JSON. */
static const char *
quoted_value(json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null";
}

/* SecondsPath: a whole, non-negative number of seconds (AWS reads it as a Java long). */
static bool
wait_seconds_path(step_ctx *c, json_object *eff, int64_t *seconds, asl_error *err)
{
	const asl_path *path = c->st->seconds_path;
	asl_scope	s = step_scope(c, eff);
	json_object *node = NULL;
	bool		ok = false;

	if (!asl_path_select(path, &s, &node))
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "The SecondsPath parameter does not reference an input value: %s",
					  asl_path_text(path));
		return false;
	}
	if (!json_object_is_type(node, json_type_int))
		asl_error_set(err, ASL_ERR_RUNTIME, "The SecondsPath parameter cannot be parsed as a long value: %s == %s",
					  asl_path_text(path), quoted_value(node));
	else if (json_object_get_int64(node) < 0)
		asl_error_set(err, ASL_ERR_RUNTIME, "The SecondsPath parameter references a negative value: %s == %s",
					  asl_path_text(path), quoted_value(node));
	else
	{
		*seconds = json_object_get_int64(node);
		ok = true;
	}
	json_object_put(node);
	return ok;
}

/* TimestampPath: an ISO-8601 date-time with its offset. */
static bool
wait_timestamp_path(step_ctx *c, json_object *eff, asl_time *due, asl_error *err)
{
	const asl_path *path = c->st->timestamp_path;
	asl_scope	s = step_scope(c, eff);
	json_object *node = NULL;
	bool		ok;

	if (!asl_path_select(path, &s, &node))
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "The TimestampPath parameter does not reference an input value: %s",
					  asl_path_text(path));
		return false;
	}
	ok = json_object_is_type(node, json_type_string) &&
		asl_timestamp_parse(json_object_get_string(node), due);
	if (!ok)
		asl_error_set(err, ASL_ERR_RUNTIME,
					  "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s == %s",
					  asl_path_text(path), quoted_value(node));
	json_object_put(node);
	return ok;
}

/*
 * The due time of a Wait; false with err set when its path is unusable or
 * the wait is longer than AWS waits: it refuses a delay over 2^31 - 1
 * seconds (about 68 years) at once.
 */
static bool
wait_due(step_ctx *c, json_object *eff, asl_time *due, asl_error *err)
{
	const asl_state *st = c->st;
	int64_t		seconds = 0;

	if (st->has_timestamp)
		*due = st->timestamp;
	else if (st->timestamp_path != NULL)
	{
		if (!wait_timestamp_path(c, eff, due, err))
			return false;
	}
	else
	{
		if (st->has_seconds)
			seconds = st->seconds;
		else if (st->seconds_path != NULL && !wait_seconds_path(c, eff, &seconds, err))
			return false;
		if (seconds > MAX_WAIT_SECONDS)
		{
			asl_error_set(err, ASL_ERR_RUNTIME, "Wait state delay is too long.");
			return false;
		}
		*due = c->env->now + seconds * ASL_USEC_PER_SEC;
		return true;
	}
	if (*due > c->env->now && (*due - c->env->now) / ASL_USEC_PER_SEC > MAX_WAIT_SECONDS)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "Wait state delay is too long.");
		return false;
	}
	return true;
}

/* Wait: its output is its effective input, passed on when the time comes. */
void
step_wait(step_ctx *c)
{
	const asl_state *st = c->st;
	asl_error	err = {0};
	json_object *eff;
	asl_time	due;

	if (!step_input(c, &eff))
		return;
	if (!wait_due(c, eff, &due, &err))
	{
		json_object_put(eff);
		step_state_error(c, &err);
		return;
	}
	c->out->due = due;
	c->out->after_events = json_object_new_array();
	step_pass_through(c, eff, st->assign, ASL_OUTCOME_WAIT,
					  st->end ? NULL : st->next_name);
	json_object_put(eff);
}

/* Succeed: "The output of a JSONPath Succeed State is the same as its input" (spec). */
void
step_succeed(step_ctx *c)
{
	json_object *eff;

	if (!step_input(c, &eff))
		return;
	step_pass_through(c, eff, NULL, ASL_OUTCOME_END, NULL);
	json_object_put(eff);
}

/*
 * Error or Cause of a Fail state: literal, a reference path into the input,
 * or an intrinsic function; the value must be a string (AWS, "Fail workflow
 * state": ErrorPath "must select a field that contains a string").
 */
static bool
fail_text(step_ctx *c, const char *field, const char *literal, const asl_path *path,
		  const asl_intrinsic *fn, char **out, asl_error *err)
{
	asl_scope	s = step_scope(c, c->pos->input);
	json_object *v = NULL;

	*out = NULL;
	if (literal != NULL)
	{
		*out = strdup(literal);
		return *out != NULL;
	}
	if (path != NULL)
	{
		if (!asl_path_select(path, &s, &v))
		{
			char		name[16];

			snprintf(name, sizeof name, "%sPath", field);
			return asl_field_path_not_found(path, name, &s, err);
		}
	}
	else if (fn != NULL)
	{
		if (!asl_intrinsic_eval(fn, &s, &v, err))
			return false;
	}
	else
		return true;
	if (!json_object_is_type(v, json_type_string))
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "%sPath must produce a string, not %s", field,
					  v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null");
		json_object_put(v);
		return false;
	}
	*out = strdup(json_object_get_string(v));
	json_object_put(v);
	return *out != NULL;
}

void
step_fail_state(step_ctx *c)
{
	const asl_state *st = c->st;
	asl_error	err = {0};
	char	   *error = NULL;
	char	   *cause = NULL;

	if (!fail_text(c, "Error", st->error, st->error_path, st->error_fn, &error, &err) ||
		!fail_text(c, "Cause", st->cause, st->cause_path, st->cause_fn, &cause, &err))
	{
		free(error);
		if (err.name == NULL)
			asl_error_set(&err, ASL_ERR_RUNTIME, "out of memory");
		else if (strcmp(err.name, ASL_ERR_RUNTIME) == 0)
			step_locate(c, &err);
		step_fail(c, &err);
		return;
	}
	err.name = error ? error : strdup("");
	err.cause = cause;
	step_fail(c, &err);
}
