/*
 * outcome.c — what a step hands back, and the small helpers around it.
 */
#include "step.h"

#include <stdlib.h>
#include <string.h>

void
asl_outcome_clear(asl_outcome *out)
{
	if (out == NULL)
		return;
	json_object_put(out->output);
	json_object_put(out->variables);
	json_object_put(out->attempts);
	asl_error_clear(&out->error);
	json_object_put(out->task.input);
	json_object_put(out->task.context);
	json_object_put(out->task.credentials);
	for (size_t i = 0; out->branches.items != NULL && i < out->branches.count; i++)
	{
		json_object_put(out->branches.items[i].input);
		json_object_put(out->branches.items[i].variables);
	}
	free(out->branches.items);
	json_object_put(out->events);
	json_object_put(out->after_events);
	json_object_put(out->inspection);
	memset(out, 0, sizeof(*out));
	out->retry_index = -1;
	out->catch_index = -1;
}

int64_t
asl_attempts_total(json_object *attempts)
{
	int64_t		total = 0;

	if (!json_object_is_type(attempts, json_type_array))
		return 0;
	for (size_t i = 0; i < json_object_array_length(attempts); i++)
	{
		json_object *v = json_object_array_get_idx(attempts, i);

		/* counts are small; ignore what is not a sane count */
		if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) > 0 &&
			json_object_get_int64(v) < INT64_C(1) << 40)
			total += json_object_get_int64(v);
	}
	return total;
}

json_object *
asl_scope_enter(json_object *outer)
{
	json_object *vars = json_object_new_object();

	if (vars == NULL || !json_object_is_type(outer, json_type_object))
		return vars;
	{
		json_object_object_foreach(outer, key, val)
		{
			if (json_object_object_add(vars, key, json_object_get(val)) != 0)
			{
				json_object_put(val);
				json_object_put(vars);
				return NULL;
			}
		}
	}
	return vars;
}
