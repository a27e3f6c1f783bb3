/*
 * context.c — building the context object ($$).
 *
 * A state's $$ is a new top-level object whose members are shared by
 * reference with the execution-level base: nothing in the core changes a
 * context object after building it, so sharing is safe and a step costs a
 * handful of allocations, not a copy of Execution.Input.
 */
#include "context.h"

#include <stdbool.h>
#include <string.h>

/* Adds key: value, taking value's reference; false (value put) when out of memory. */
static bool
add(json_object *obj, const char *key, json_object *value)
{
	if (json_object_object_add(obj, key, value) != 0)
	{
		json_object_put(value);
		return false;
	}
	return true;
}

/* Adds a new integer; false when out of memory. */
static bool
add_int(json_object *obj, const char *key, int64_t value)
{
	json_object *n = json_object_new_int64(value);

	return n != NULL && add(obj, key, n);
}

/* Adds key: value to obj unless value is NULL. */
static bool
add_string(json_object *obj, const char *key, const char *value)
{
	json_object *s;

	if (value == NULL)
		return true;
	s = json_object_new_string(value);
	return s != NULL && add(obj, key, s);
}

/* Adds key: t as an ISO 8601 timestamp string. */
static bool
add_time(json_object *obj, const char *key, asl_time t)
{
	char		buf[32];

	asl_timestamp_format(t, buf);
	return add_string(obj, key, buf);
}

json_object *
asl_context_base(const asl_execution_info *info)
{
	json_object *ctx = json_object_new_object();
	json_object *exec = json_object_new_object();
	json_object *sm = json_object_new_object();
	bool		ok = ctx != NULL && exec != NULL && sm != NULL;

	if (ok && info != NULL)
	{
		ok = add_string(exec, "Id", info->id) &&
			add(exec, "Input", json_object_get(info->input)) &&
			add_string(exec, "Name", info->name) &&
			add_string(exec, "RoleArn", info->role_arn) &&
			add_time(exec, "StartTime", info->start_time) &&
			add_int(exec, "RedriveCount", info->redrive_count) &&
			add_string(sm, "Id", info->state_machine_id) &&
			add_string(sm, "Name", info->state_machine_name);
	}
	if (ok && add(ctx, "Execution", exec))
	{
		exec = NULL;
		if (add(ctx, "StateMachine", sm))
			return ctx;
		sm = NULL;
	}
	json_object_put(exec);
	json_object_put(sm);
	json_object_put(ctx);
	return NULL;
}

/* A new object holding src's members (shared), except the one named skip. */
static json_object *
shallow_copy(json_object *src, const char *skip)
{
	json_object *dst = json_object_new_object();

	if (dst == NULL || !json_object_is_type(src, json_type_object))
		return dst;
	{
		json_object_object_foreach(src, key, val)
		{
			if (skip != NULL && strcmp(key, skip) == 0)
				continue;
			if (!add(dst, key, json_object_get(val)))
			{
				json_object_put(dst);
				return NULL;
			}
		}
	}
	return dst;
}

json_object *
asl_context_for_state(json_object *base, const char *state, asl_time entered,
					  int64_t retry_count, const char *token)
{
	json_object *ctx = shallow_copy(base, "State");
	json_object *st = json_object_new_object();

	if (ctx == NULL || st == NULL ||
		!add_time(st, "EnteredTime", entered) ||
		!add_string(st, "Name", state) ||
		(retry_count >= 0 && !add_int(st, "RetryCount", retry_count)))
		goto fail;
	if (!add(ctx, "State", st))
	{
		st = NULL;
		goto fail;
	}
	st = NULL;
	if (token != NULL)
	{
		json_object *task = json_object_new_object();

		if (task == NULL || !add_string(task, "Token", token) || !add(ctx, "Task", task))
		{
			json_object_put(ctx);
			return NULL;
		}
	}
	return ctx;

fail:
	json_object_put(st);
	json_object_put(ctx);
	return NULL;
}

json_object *
asl_context_with_item(json_object *ctx, int64_t index, json_object *value)
{
	json_object *copy = shallow_copy(ctx, "Map");
	json_object *map = json_object_new_object();
	json_object *item = json_object_new_object();

	if (copy == NULL || map == NULL || item == NULL ||
		!add_int(item, "Index", index) ||
		!add(item, "Value", json_object_get(value)))
		goto fail;
	if (!add(map, "Item", item))
	{
		item = NULL;
		goto fail;
	}
	item = NULL;
	if (!add(copy, "Map", map))
	{
		json_object_put(copy);
		return NULL;
	}
	return copy;

fail:
	json_object_put(item);
	json_object_put(map);
	json_object_put(copy);
	return NULL;
}
