/*
 * step_flow.c — how a state ends: its result through ResultSelector,
 * Assign, ResultPath and OutputPath to the next state, or its error through
 * Retry and Catch.
 *
 * Order (Amazon States Language spec, "Input and Output Processing with
 * JSONPath"): ResultSelector shapes the result, ResultPath places it into
 * the raw input, OutputPath filters that. Assign runs after the result is
 * known and sees the variables as they were on state entry; the new values
 * take effect from the next state on (spec, "State Machine Variables").
 * What "$" means in an Assign (spec, "Using Assign"): the result in Task,
 * Map, Parallel and Pass states (for Task, Map and Parallel the raw result,
 * before ResultSelector, as LocalStack's AWS-recorded tests show), the
 * effective input in Choice and Wait states, the Error Output in a catcher.
 */
#include "step_impl.h"

#include <stdlib.h>
#include <string.h>

#include "dataflow.h"
#include "events.h"
#include "retry.h"

bool
step_assign_values(step_ctx *c, json_object *values, json_object **vars,
				   json_object **assigned, asl_error *err)
{
	json_object *nv;

	if (!json_object_is_type(values, json_type_object))
	{
		json_object_put(values);
		asl_error_set(err, ASL_ERR_RUNTIME, "Assign must produce an object of variables");
		return false;
	}
	/* AWS: the variables one Assign sets may total at most 256 KiB */
	if (!asl_check_size(values, c->limit, c->st->name, err))
	{
		json_object_put(values);
		return false;
	}
	nv = asl_scope_enter(c->pos->variables);
	if (nv == NULL)
	{
		json_object_put(values);
		asl_error_set(err, ASL_ERR_RUNTIME, "out of memory");
		return false;
	}
	{
		json_object_object_foreach(values, key, val)
		{
			if (!asl_json_add(nv, key, json_object_get(val)))
			{
				json_object_put(nv);
				json_object_put(values);
				asl_error_set(err, ASL_ERR_RUNTIME, "out of memory");
				return false;
			}
		}
	}
	*vars = nv;
	*assigned = values;
	return true;
}

/*
 * Evaluates tpl with $ = dollar against the variables of state entry.
 * *vars: the variables after the assignment (a new object; without tpl, the
 * entry variables); *assigned: the values assigned (NULL without tpl).
 */
static bool
eval_assign(step_ctx *c, const asl_template *tpl, json_object *dollar,
			json_object **vars, json_object **assigned, asl_error *err)
{
	asl_scope	s = step_scope(c, dollar);
	json_object *values = NULL;

	*vars = NULL;
	*assigned = NULL;
	if (tpl == NULL)
	{
		*vars = json_object_get(c->pos->variables);
		return true;
	}
	if (!asl_template_eval(tpl, &s, &values, err))
		return false;
	return step_assign_values(c, values, vars, assigned, err);
}

/* Sets the outcome: kind, next, output and variables (references taken), and the exit event. */
void
step_transition(step_ctx *c, asl_outcome_kind kind, const char *next, json_object *output,
				json_object *vars, json_object *assigned)
{
	asl_outcome *out = c->out;

	out->kind = kind;
	out->next = next;
	json_object_put(out->output);
	out->output = output;
	json_object_put(out->variables);
	out->variables = vars;
	step_event(c, "StateExited",
			   c->env->no_events ? NULL : asl_event_exited_details(c->st->name, output, assigned));
}

/* NEXT, or END for a state with "End": true. */
static void
leave(step_ctx *c, json_object *output, json_object *vars, json_object *assigned)
{
	if (c->st->end || c->st->next_name == NULL)
		step_transition(c, ASL_OUTCOME_END, NULL, output, vars, assigned);
	else
		step_transition(c, ASL_OUTCOME_NEXT, c->st->next_name, output, vars, assigned);
}

void
step_finish(step_ctx *c, json_object *result, bool select, json_object *assign_input)
{
	const asl_state *st = c->st;
	asl_error	err = {0};
	asl_scope	s;
	json_object *selected = NULL;
	json_object *vars = NULL;
	json_object *assigned = NULL;
	json_object *combined = NULL;
	json_object *output = NULL;

	step_inspect(c, "result", result);
	if (select)
	{
		s = step_scope(c, result);
		if (!asl_apply_template(st->result_selector, &s, &selected, &err))
			goto fail;
		step_inspect(c, "afterResultSelector", selected);
	}
	else
		selected = json_object_get(result);
	if (!eval_assign(c, st->assign, assign_input, &vars, &assigned, &err))
		goto fail;
	if (!asl_apply_result_path(&st->result_path, c->pos->input, selected, &combined, &err))
		goto fail;
	step_inspect(c, "afterResultPath", combined);
	s = step_scope(c, combined);
	if (!asl_apply_path_filter(&st->output_path, combined, &s, &output, &err) ||
		!asl_check_result_size(&st->result_path, c->pos->input, combined, output, c->limit, st->name,
							   &err, c->env->sizes))
		goto fail;
	leave(c, output, vars, assigned);
	json_object_put(selected);
	json_object_put(combined);
	json_object_put(assigned);
	return;

fail:
	json_object_put(selected);
	json_object_put(vars);
	json_object_put(assigned);
	json_object_put(combined);
	json_object_put(output);
	step_state_error(c, &err);
}

void
step_pass_through(step_ctx *c, json_object *effective, const asl_template *tpl,
				  asl_outcome_kind kind, const char *next)
{
	asl_error	err = {0};
	asl_scope	s = step_scope(c, effective);
	json_object *vars = NULL;
	json_object *assigned = NULL;
	json_object *output = NULL;

	if (!eval_assign(c, tpl, effective, &vars, &assigned, &err) ||
		!asl_apply_path_filter(&c->st->output_path, effective, &s, &output, &err) ||
		!asl_check_output_size(output, c->limit, c->st->name, &err, c->env->sizes))
	{
		json_object_put(vars);
		json_object_put(assigned);
		json_object_put(output);
		step_state_error(c, &err);
		return;
	}
	step_transition(c, kind, next, output, vars, assigned);
	json_object_put(assigned);
}

/* ---- errors ---- */

/* Attempts made so far under retrier i (capped, 0 when unknown). */
static int64_t
attempt_at(json_object *attempts, size_t i)
{
	json_object *v;

	if (!json_object_is_type(attempts, json_type_array) || i >= json_object_array_length(attempts))
		return 0;
	v = json_object_array_get_idx(attempts, i);
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0)
		return 0;
	return json_object_get_int64(v) < INT64_C(1) << 40 ? json_object_get_int64(v) : INT64_C(1) << 40;
}

void
step_inspect_error(step_ctx *c, const char *key, int64_t index, double backoff)
{
	json_object *d;

	if (!c->env->inspect)
		return;
	d = json_object_new_object();
	asl_json_add(d, key, json_object_new_int64(index));
	if (backoff >= 0)
		asl_json_add_literal(d, "retryBackoffIntervalSeconds", json_object_new_double(backoff));
	step_inspect(c, "errorDetails", d);
	json_object_put(d);
}

/*
 * Schedules another attempt under retrier i after its delay, counting it in
 * the position's attempts.
 */
static void
retry(step_ctx *c, size_t i, int64_t attempt, asl_error *err)
{
	const asl_state *st = c->st;
	asl_outcome *out = c->out;
	double		delay = asl_retry_delay(&st->retriers[i], attempt, c->env->random);
	json_object *counts = json_object_new_array();

	for (size_t j = 0; counts != NULL && j < st->n_retriers; j++)
	{
		json_object *n = json_object_new_int64(attempt_at(c->pos->attempts, j) + (j == i));

		if (n == NULL || json_object_array_add(counts, n) != 0)
		{
			json_object_put(n);
			json_object_put(counts);
			counts = NULL;
		}
	}
	if (counts == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "out of memory");
		step_fail(c, err);
		return;
	}
	out->kind = ASL_OUTCOME_RETRY;
	out->next = st->name;
	out->attempts = counts;
	out->due = c->env->now + (asl_time) (delay * (double) ASL_USEC_PER_SEC);
	out->retry_index = (int) i;
	json_object_put(out->output);
	out->output = json_object_get(c->pos->input);
	asl_error_clear(&out->error);
	out->error = *err;
	err->name = NULL;
	err->cause = NULL;
	step_inspect_error(c, "retryIndex", (int64_t) i, delay);
}

/* The Error Output a catcher receives: {"Error": name, "Cause": cause}. */
static json_object *
error_output(const asl_error *err)
{
	json_object *o = json_object_new_object();

	if (!asl_json_add_literal(o, "Error", json_object_new_string(err->name ? err->name : "")) ||
		!asl_json_add_literal(o, "Cause", json_object_new_string(err->cause ? err->cause : "")))
	{
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * Catcher i took err: the transition to its Next with output, vars and
 * assigned (taken; assigned is released here), err moved into the outcome.
 */
void
step_catch_taken(step_ctx *c, size_t i, asl_error *err, json_object *output,
				 json_object *vars, json_object *assigned)
{
	step_inspect_error(c, "catchIndex", (int64_t) i, -1);
	step_transition(c, ASL_OUTCOME_NEXT, c->st->catchers[i].next_name, output, vars, assigned);
	c->out->catch_index = (int) i;
	asl_error_clear(&c->out->error);
	c->out->error = *err;
	err->name = NULL;
	err->cause = NULL;
	json_object_put(assigned);
}

/* Hands the error to catcher i: its ResultPath (or Assign) and transition. */
static void
catch_error(step_ctx *c, size_t i, asl_error *err)
{
	const asl_catcher *cat = &c->st->catchers[i];
	asl_error	e2 = {0};
	json_object *eo = error_output(err);
	json_object *vars = NULL;
	json_object *assigned = NULL;
	json_object *output = NULL;

	if (eo != NULL && c->st->jsonata)
	{
		step_jsonata_catch(c, i, err, eo);
		json_object_put(eo);
		return;
	}
	/* the catcher's Assign replaces the state's; its output skips OutputPath */
	if (eo == NULL)
		asl_error_set(&e2, ASL_ERR_RUNTIME, "out of memory");
	else if (eval_assign(c, cat->assign, eo, &vars, &assigned, &e2) &&
			 asl_apply_result_path(&cat->result_path, c->pos->input, eo, &output, &e2) &&
			 asl_check_size(output, c->limit, c->st->name, &e2))
	{
		step_inspect(c, "afterResultPath", output);
		step_catch_taken(c, i, err, output, vars, assigned);
		json_object_put(eo);
		return;
	}
	json_object_put(vars);
	json_object_put(assigned);
	json_object_put(output);
	json_object_put(eo);
	asl_error_clear(err);
	step_fail(c, &e2);
}

void
step_error(step_ctx *c, asl_error *err)
{
	const asl_state *st = c->st;

	if (err->name == NULL)
		err->name = strdup(ASL_ERR_RUNTIME);
	if ((st->type == ASL_STATE_PARALLEL || st->type == ASL_STATE_MAP) && !c->succeeded)
		step_event(c, "StateFailed", NULL);
	for (size_t i = 0; i < st->n_retriers; i++)
	{
		const asl_retrier *r = &st->retriers[i];
		int64_t		attempt;

		if (!asl_error_equals(r->errors, r->n_errors, err->name))
			continue;

		/*
		 * the first matching retrier decides; exhausted, it hands over to
		 * Catch
		 */
		attempt = attempt_at(c->pos->attempts, i);
		if (attempt < r->max_attempts)
		{
			retry(c, i, attempt, err);
			return;
		}
		break;
	}
	for (size_t i = 0; i < st->n_catchers; i++)
	{
		if (asl_error_equals(st->catchers[i].errors, st->catchers[i].n_errors, err->name))
		{
			catch_error(c, i, err);
			return;
		}
	}
	step_fail(c, err);
}
