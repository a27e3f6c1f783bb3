/*
 * step_jsonata_map.c — the start of a Map state written in JSONata: Items
 * (default: the input) must be an array; each item's input is the item, or
 * ItemSelector evaluated with $states.context.Map.Item.{Index, Value};
 * MaxConcurrency and the tolerated failures are numbers, literal or
 * evaluated. Its end is step_jsonata_finish (Output/Assign on $states.result).
 */
#include "step_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "dataflow.h"
#include "jsonata_value.h"

/*
 * A number field: absent -> dflt. Another JSON type, or a fraction where a
 * whole number is due, is AWS's "unexpected result type"; the range is
 * checked by the caller with JSONPath's wording (the same check in AWS).
 */
static bool
number(const asl_jvalue *jv, json_object *bindings, bool integer, double dflt, double *out,
	   asl_error *err)
{
	json_object *v = NULL;
	double		d;

	*out = dflt;
	if (jv == NULL)
		return true;
	if (!asl_jvalue_eval(jv, bindings, &v, err))
		return false;
	if (!json_object_is_type(v, json_type_int) && !json_object_is_type(v, json_type_double))
	{
		asl_jvalue_wrong_type(jv, integer ? "integer" : "number", v, err);
		json_object_put(v);
		return false;
	}
	d = json_object_get_double(v);
	if (integer && d != floor(d))
	{
		asl_jvalue_wrong_type(jv, "integer", v, err);
		json_object_put(v);
		return false;
	}
	json_object_put(v);
	*out = d;
	return true;
}

/*
 * The Map's ToleratedFailureCount and ToleratedFailurePercentage, evaluated
 * into b.
 */
static bool
tolerance(step_ctx *c, json_object *bindings, asl_branches *b, asl_error *err)
{
	double		count,
				percentage;

	if (!number(c->st->j_tolerated_count, bindings, true, -1, &count, err) ||
		!number(c->st->j_tolerated_percentage, bindings, false, -1, &percentage, err))
		return false;
	if (c->st->j_tolerated_count != NULL && count < 0)
		return asl_error_set(err, ASL_ERR_RUNTIME, "ToleratedFailureCount cannot be negative."), false;
	if (c->st->j_tolerated_percentage != NULL && !(percentage >= 0 && percentage <= 100))
		return asl_error_set(err, ASL_ERR_RUNTIME, "ToleratedFailurePercentage must be between 0 and 100."), false;
	b->tolerance = c->st->j_tolerated_count != NULL || c->st->j_tolerated_percentage != NULL;
	b->tolerated_count = (int64_t) count;
	b->tolerated_percentage = percentage;
	return true;
}

bool
step_jsonata_tolerance(step_ctx *c, asl_branches *b, asl_error *err)
{
	json_object *bindings = asl_jsonata_bindings(c->pos->variables, c->pos->input, step_context(c));
	bool		ok;

	asl_jsonata_set_cancel(c->env->cancel, c->env->cancel_arg);
	if (bindings == NULL)
		return asl_error_set(err, ASL_ERR_RUNTIME, "out of memory"), false;
	b->tolerated_count = -1;
	b->tolerated_percentage = -1;
	ok = tolerance(c, bindings, b, err);
	json_object_put(bindings);
	return ok;
}

/* Item i's input: the item, or ItemSelector with $states.context.Map.Item. */
static bool
item_input(step_ctx *c, size_t i, json_object *item, json_object **input, asl_error *err)
{
	json_object *ictx;
	json_object *bindings;
	bool		ok;

	if (c->st->j_item_selector == NULL)
	{
		*input = json_object_get(item);
		return true;
	}
	ictx = asl_context_with_item(step_context(c), (int64_t) i, item);
	bindings = ictx ? asl_jsonata_bindings(c->pos->variables, c->pos->input, ictx) : NULL;
	json_object_put(ictx);
	if (bindings == NULL)
		return asl_error_set(err, ASL_ERR_RUNTIME, "out of memory"), false;
	ok = asl_jvalue_eval(c->st->j_item_selector, bindings, input, err) &&
		asl_check_size(*input, c->limit, c->st->name, err);
	json_object_put(bindings);
	return ok;
}

void
step_jsonata_map(step_ctx *c, json_object *bindings)
{
	asl_branches *b = &c->out->branches;
	asl_error	err = {0};
	json_object *items = NULL;
	double		mc;
	size_t		n;

	if (!step_map_sources_supported(c, &err))
		goto fail;
	if (c->st->j_items != NULL)
	{
		if (!asl_jvalue_eval(c->st->j_items, bindings, &items, &err))
			goto fail;
	}
	else
		items = json_object_get(c->pos->input);
	if (!json_object_is_type(items, json_type_array))
	{
		if (c->st->j_items != NULL)
			asl_jvalue_wrong_type(c->st->j_items, "array", items, &err);
		else
			asl_error_set(&err, ASL_ERR_QUERY_EVAL, "Map state input must be an array but was: %s",
						  items ? json_object_to_json_string_ext(items, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null");
		goto fail;
	}
	if (!number(c->st->j_max_concurrency, bindings, true, 0, &mc, &err))
		goto fail;
	if (mc < 0)
	{
		asl_error_set(&err, ASL_ERR_RUNTIME, "Expected non-negative integer for MaxConcurrency, got '%lld' instead.",
					  (long long) mc);
		goto fail;
	}
	n = json_object_array_length(items);
	if (!step_alloc_branches(c, n, &err) || !tolerance(c, bindings, b, &err))
		goto fail;
	b->max_concurrency = (int64_t) mc;
	for (size_t i = 0; i < n; i++)
	{
		json_object *input = NULL;

		if (!item_input(c, i, json_object_array_get_idx(items, i), &input, &err) ||
			!step_set_branch(c, i, c->st->map.processor, input, &err))
		{
			json_object_put(input);
			goto fail;
		}
	}
	step_start_branches(c, true);
	json_object_put(items);
	return;

fail:
	step_drop_branches(b);
	json_object_put(items);
	step_jsonata_error(c, &err);
}
