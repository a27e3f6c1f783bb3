/*
 * step.c — the transition function's entry point and what every state type
 * shares: finding the state, the context object, events, inspection data.
 */
#include "step_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "dataflow.h"
#include "events.h"
#include "path.h"

asl_scope
step_scope(const step_ctx *c, json_object *input)
{
	asl_scope	s;

	s.input = input;
	s.context = c->context;
	s.variables = c->pos->variables;
	s.context_fn = (asl_context_fn) step_context;
	s.context_arg = (void *) c;
	return s;
}

json_object *
step_context(step_ctx *c)
{
	const asl_state_type t = c->st->type;
	json_object *base = c->env->context;

	if (c->context != NULL)
		return c->context;
	if (base == NULL && c->env->base_context != NULL)
		base = c->env->base_context(c->env->base_context_arg);

	/*
	 * AWS gives State.RetryCount only to the states that can retry (Task,
	 * Parallel, Map)
	 */
	c->context = asl_context_for_state(base, c->st->name, c->entered,
									   t == ASL_STATE_TASK || t == ASL_STATE_PARALLEL || t == ASL_STATE_MAP ?
									   asl_attempts_total(c->pos->attempts) : -1,
									   t == ASL_STATE_TASK ? c->env->task_token : NULL);
	return c->context;
}

void
step_event(step_ctx *c, const char *suffix, json_object *details)
{
	char		type[64];

	/*
	 * without a history, only the count matters (and a Wait's exit comes
	 * after)
	 */
	if (c->env->no_events)
	{
		if (c->out->after_events != NULL && strcmp(suffix, "StateExited") == 0)
			c->out->n_after_events++;
		else
			c->out->n_events++;
		json_object_put(details);
		return;
	}
	asl_concat(type, sizeof type, asl_state_type_name(c->st->type), suffix);
	step_event_typed(c, type, details);
}

void
step_event_typed(step_ctx *c, const char *type, json_object *details)
{
	json_object *list = c->out->events;
	size_t		len = strlen(type);

	/* a Wait leaves its state when the wait is over */
	bool		after = c->out->after_events != NULL && len >= 11 &&
	strcmp(type + len - 11, "StateExited") == 0;

	/* counted even when not built: hosts without history still number events */
	if (after)
		c->out->n_after_events++;
	else
		c->out->n_events++;
	if (c->env->no_events)
	{
		json_object_put(details);
		return;
	}
	if (after)
		list = c->out->after_events;
	if (list == NULL || !asl_events_push(list, type, details))
		json_object_put(details);
}

void
step_locate(step_ctx *c, asl_error *err)
{
	char	   *located = NULL;
	const char *cause = err->cause ? err->cause : "";
	int			n;

	if (c->env->entered_event_id > 0)
		n = asprintf(&located, "An error occurred while executing the state '%s' (entered at the event id #%lld). %s",
					 c->st->name, (long long) c->env->entered_event_id, cause);
	else
		n = asprintf(&located, "An error occurred while executing the state '%s'. %s", c->st->name, cause);
	if (n < 0)
		return;					/* out of memory: the cause stays unprefixed */
	free(err->cause);
	err->cause = located;
}

void
step_state_error(step_ctx *c, asl_error *err)
{
	if (err->name != NULL && strcmp(err->name, ASL_ERR_RUNTIME) == 0)
		step_locate(c, err);
	step_error(c, err);
}

void
step_inspect(step_ctx *c, const char *key, json_object *value)
{
	if (!c->env->inspect)
		return;
	if (c->out->inspection == NULL)
		c->out->inspection = json_object_new_object();
	if (c->out->inspection != NULL)
		json_object_object_add(c->out->inspection, key, json_object_get(value));
}

void
step_fail(step_ctx *c, asl_error *err)
{
	asl_outcome *out = c->out;

	out->kind = ASL_OUTCOME_FAIL;
	asl_error_clear(&out->error);
	out->error = *err;
	if (out->error.name == NULL)
		out->error.name = strdup(ASL_ERR_RUNTIME);
	err->name = NULL;
	err->cause = NULL;
	json_object_put(out->output);
	out->output = NULL;
}

bool
step_begin(step_ctx *c, const asl_machine *machine, const asl_position *pos,
		   const asl_env *env, asl_outcome *out, bool entering)
{
	asl_error	err = {0};
	asl_time	entered = pos->entered ? pos->entered : env->now;

	memset(out, 0, sizeof(*out));
	memset(c, 0, sizeof(*c));
	c->machine = machine;
	c->pos = pos;
	c->env = env;
	c->out = out;
	c->limit = env->max_payload ? env->max_payload : ASL_DEFAULT_MAX_PAYLOAD;
	out->kind = ASL_OUTCOME_FAIL;
	out->retry_index = -1;
	out->catch_index = -1;
	/* events are only counted when the host keeps no history */
	out->events = env->no_events ? NULL : json_object_new_array();
	out->variables = json_object_get(pos->variables);
	c->st = asl_machine_find(machine, pos->state);
	if (c->st == NULL)
	{
		asl_error_set(&err, ASL_ERR_RUNTIME, "There is no state named '%s' in the state machine",
					  pos->state ? pos->state : "(null)");
		step_fail(c, &err);
		return false;
	}
	out->state = c->st->name;
	c->entered = entered;
	if (out->events == NULL && !env->no_events)
	{
		asl_error_set(&err, ASL_ERR_RUNTIME, "out of memory");
		step_fail(c, &err);
		return false;
	}
	if (entering)
	{
		step_event(c, "StateEntered",
				   env->no_events ? NULL : asl_event_entered_details(c->st->name, pos->input));
		step_inspect(c, "input", pos->input);
	}
	return true;
}

void
step_end(step_ctx *c)
{
	json_object_put(c->context);
	c->context = NULL;
	if (c->env->inspect && c->out->kind != ASL_OUTCOME_FAIL &&
		c->out->variables != NULL && json_object_object_length(c->out->variables) > 0)
		step_inspect(c, "variables", c->out->variables);
}

bool
step_input(step_ctx *c, json_object **effective)
{
	asl_error	err = {0};
	asl_scope	s = step_scope(c, c->pos->input);

	if (!asl_apply_path_filter(&c->st->input_path, c->pos->input, &s,
							   effective, &err))
	{
		step_state_error(c, &err);
		return false;
	}
	step_inspect(c, "afterInputPath", *effective);
	return true;
}

bool
step_resolve_count(step_ctx *c, const asl_num_or_path *v, const char *field,
				   json_object *input, int64_t min, int64_t *out, asl_error *err)
{
	json_object *node = NULL;
	asl_scope	s = step_scope(c, input);
	double		d;

	*out = 0;
	if (!v->present)
		return true;
	if (v->path == NULL)
	{
		*out = (int64_t) v->value;
		return true;
	}
	if (!asl_path_select(v->path, &s, &node))
		return asl_path_not_found(v->path, &s, err);
	if (json_object_is_type(node, json_type_int))
		d = (double) json_object_get_int64(node);
	else if (json_object_is_type(node, json_type_double))
		d = json_object_get_double(node);
	else
		d = -1.0e300;			/* not a number: rejected below */
	if (!(d >= (double) min && d <= 99999999.0 && d == (double) (int64_t) d))
	{
		asl_error_set(err, ASL_ERR_RUNTIME,
					  "%sPath '%s' must select an integer from %lld to 99999999, not %s",
					  field, asl_path_text(v->path), (long long) min,
					  node ? json_object_to_json_string_ext(node, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null");
		json_object_put(node);
		return false;
	}
	json_object_put(node);
	*out = (int64_t) d;
	return true;
}

void
asl_step(const asl_machine *machine, const asl_position *pos, const asl_env *env,
		 asl_outcome *out)
{
	step_ctx	c;

	/* a retry re-runs the state without entering it again */
	if (!step_begin(&c, machine, pos, env, out, asl_attempts_total(pos->attempts) == 0))
	{
		step_end(&c);
		return;
	}
	if (c.st->jsonata)
	{
		step_jsonata(&c);
		step_end(&c);
		return;
	}
	switch (c.st->type)
	{
		case ASL_STATE_PASS:
			step_pass(&c);
			break;
		case ASL_STATE_CHOICE:
			step_choice(&c);
			break;
		case ASL_STATE_WAIT:
			step_wait(&c);
			break;
		case ASL_STATE_SUCCEED:
			step_succeed(&c);
			break;
		case ASL_STATE_FAIL:
			step_fail_state(&c);
			break;
		case ASL_STATE_TASK:
			step_task(&c);
			break;
		case ASL_STATE_PARALLEL:
			step_parallel(&c);
			break;
		case ASL_STATE_MAP:
			step_map(&c);
			break;
	}
	step_end(&c);
}

bool
step_parameters(step_ctx *c, json_object *effective, json_object **params, asl_error *err)
{
	asl_scope	s = step_scope(c, effective);

	if (!asl_apply_template(c->st->parameters, &s, params, err))
		return false;
	if (c->st->parameters != NULL)
		step_inspect(c, "afterParameters", *params);

	/*
	 * AWS: "When, after Parameters processing, the input of a state is larger
	 * than the payload size quota"
	 */
	return asl_check_size(*params, c->limit, c->st->name, err);
}
