/*
 * step_states.c — the states that need nothing from the outside world:
 * Pass, Choice, Wait, Succeed and Fail.
 */
#include "step_impl.h"

#include <stdlib.h>
#include <string.h>

#include "choice.h"
#include "dataflow.h"
#include "intrinsic.h"
#include "path.h"

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
			step_error(c, &err);
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
			step_error(c, &err);
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

/* The due time of a Wait; false with err set when its path is unusable. */
static bool
wait_due(step_ctx *c, json_object *eff, asl_time *due, asl_error *err)
{
	const asl_state *st = c->st;

	if (st->has_seconds)
		*due = c->env->now + st->seconds * ASL_USEC_PER_SEC;
	else if (st->has_timestamp)
		*due = st->timestamp;
	else if (st->seconds_path != NULL)
	{
		asl_num_or_path v = {.present = true, .path = st->seconds_path};
		int64_t		seconds;

		/* spec: SecondsPath "MUST select a field whose value is a non-negative integer" */
		if (!step_resolve_count(c, &v, "Seconds", eff, 0, &seconds, err))
			return false;
		*due = c->env->now + seconds * ASL_USEC_PER_SEC;
	}
	else if (st->timestamp_path != NULL)
	{
		asl_scope	s = step_scope(c, eff);
		json_object *node = NULL;
		bool		ok;

		if (!asl_path_select(st->timestamp_path, &s, &node))
		{
			asl_error_set(err, ASL_ERR_RUNTIME, "Invalid path '%s' : No results for path: %s (TimestampPath)",
						  asl_path_text(st->timestamp_path), asl_path_text(st->timestamp_path));
			return false;
		}
		ok = json_object_is_type(node, json_type_string) &&
			asl_timestamp_parse(json_object_get_string(node), due);
		if (!ok)
			asl_error_set(err, ASL_ERR_RUNTIME,
						  "TimestampPath '%s' must select an RFC 3339 timestamp such as 2016-03-14T01:59:00Z, not %s",
						  asl_path_text(st->timestamp_path),
						  node ? json_object_to_json_string_ext(node, JSON_C_TO_STRING_PLAIN) : "null");
		json_object_put(node);
		return ok;
	}
	else
		*due = c->env->now;
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
		step_error(c, &err);
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
			asl_error_set(err, ASL_ERR_RUNTIME, "Invalid path '%s' : No results for path: %s (%sPath)",
						  asl_path_text(path), asl_path_text(path), field);
			return false;
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
					  v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null");
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
		step_fail(c, &err);
		return;
	}
	err.name = error ? error : strdup("");
	err.cause = cause;
	step_fail(c, &err);
}
