/*
 * step_task.c — the Task state: its effective input and timeouts for the
 * host, and the continuation that takes the task's result or error back.
 */
#include "step_impl.h"

#include <stdlib.h>
#include <string.h>

#include "dataflow.h"

void
step_task(step_ctx *c)
{
	const asl_state *st = c->st;
	asl_outcome *out = c->out;
	asl_error	err = {0};
	json_object *eff;
	json_object *params = NULL;
	int64_t		timeout = 0;
	int64_t		heartbeat = 0;

	if (!step_input(c, &eff))
		return;
	if (!step_parameters(c, eff, &params, &err) ||
		!step_resolve_count(c, &st->timeout_seconds, "TimeoutSeconds", eff, 1, &timeout, &err) ||
		!step_resolve_count(c, &st->heartbeat_seconds, "HeartbeatSeconds", eff, 1, &heartbeat, &err))
		goto fail;
	out->kind = ASL_OUTCOME_TASK;
	out->task.resource = &st->resource;
	out->task.input = params;
	if (c->env->task_context)
		out->task.context = json_object_get(step_context(c));
	out->task.timeout_seconds = timeout;
	out->task.heartbeat_seconds = heartbeat;
	out->task.credentials = json_object_get(st->credentials);
	json_object_put(eff);
	return;

fail:
	json_object_put(params);
	json_object_put(eff);
	step_state_error(c, &err);
}

void
asl_step_task_done(const asl_machine *machine, const asl_position *pos,
				   const asl_env *env, const asl_result *result, asl_outcome *out)
{
	step_ctx	c;
	asl_error	err = {0};

	if (!step_begin(&c, machine, pos, env, out, false))
	{
		step_end(&c);
		return;
	}
	if (c.st->type != ASL_STATE_TASK)
	{
		asl_error_set(&err, ASL_ERR_RUNTIME, "state '%s' is a %s state, not a Task",
					  c.st->name, asl_state_type_name(c.st->type));
		step_fail(&c, &err);
	}
	else if (result == NULL || result->failed)
	{
		/* a failure without a name is still a task failure */
		asl_error_set(&err, result && result->error ? result->error : ASL_ERR_TASK_FAILED,
					  "%s", result && result->cause ? result->cause : "");
		if (result == NULL || result->cause == NULL)
		{
			free(err.cause);
			err.cause = NULL;
		}
		step_error(&c, &err);
	}
	/* AWS: "When the output of a connector is larger than payload size quota" */
	else if (!asl_check_size(result->output, c.limit, c.st->name, &err))
		step_error(&c, &err);
	else if (c.st->jsonata)
		step_jsonata_finish(&c, result->output);
	else
		step_finish(&c, result->output, true, result->output);
	step_end(&c);
}

void
asl_step_task_reply(const asl_machine *machine, const asl_position *pos, const asl_env *env,
					asl_task_reply *reply, asl_outcome *out)
{
	asl_result	result;

	memset(&result, 0, sizeof(result));
	result.failed = asl_error_is_set(&reply->error);
	result.output = reply->output;
	result.error = reply->error.name;
	result.cause = reply->error.cause;
	asl_step_task_done(machine, pos, env, &result, out);
	json_object_put(reply->output);
	reply->output = NULL;
	asl_error_clear(&reply->error);
}
