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

/* AWS's cause for a value of the wrong type: "... returned an unexpected result type. ..." */
static void
wrong_type(const asl_jvalue *jv, const char *field, const char *expected, json_object *v, asl_error *err)
{
	const char *text = asl_jvalue_text(jv);
	const char *shown = v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null";

	if (text != NULL)
		asl_error_set(err, ASL_ERR_QUERY_EVAL,
					  "The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for value: %s",
					  text, field, expected, asl_jsonata_type_name(v), shown);
	else
		asl_error_set(err, ASL_ERR_QUERY_EVAL,
					  "The field '%s' must be of type '%s', but was '%s' for value: %s",
					  field, expected, asl_jsonata_type_name(v), shown);
}

/* A number field: absent -> dflt; otherwise a number within [min, max] (whole when integer). */
static bool
number(const asl_jvalue *jv, const char *field, json_object *bindings, bool integer,
	   double min, double max, double dflt, double *out, asl_error *err)
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
		wrong_type(jv, field, "number", v, err);
		json_object_put(v);
		return false;
	}
	d = json_object_get_double(v);
	json_object_put(v);
	if (!(d >= min && d <= max) || (integer && d != floor(d)))
	{
		asl_error_set(err, ASL_ERR_QUERY_EVAL, "The field '%s' must be %s from %g to %g, not %g",
					  field, integer ? "an integer" : "a number", min, max, d);
		return false;
	}
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

	if (!number(c->st->j_tolerated_count, "ToleratedFailureCount", bindings, true, 0, 99999999, -1,
				&count, err) ||
		!number(c->st->j_tolerated_percentage, "ToleratedFailurePercentage", bindings, false, 0, 100, -1,
				&percentage, err))
		return false;
	b->tolerance = c->st->j_tolerated_count != NULL || c->st->j_tolerated_percentage != NULL;
	b->tolerated_count = (int64_t) count;
	b->tolerated_percentage = percentage;
	return true;
}

bool
step_jsonata_tolerance(step_ctx *c, asl_branches *b, asl_error *err)
{
	json_object *bindings = asl_jsonata_bindings(c->pos->variables, c->pos->input, c->context);
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
	ictx = asl_context_with_item(c->context, (int64_t) i, item);
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
			wrong_type(c->st->j_items, "Items", "array", items, &err);
		else
			asl_error_set(&err, ASL_ERR_QUERY_EVAL, "Map state input must be an array but was: %s",
						  items ? json_object_to_json_string_ext(items, JSON_C_TO_STRING_PLAIN) : "null");
		goto fail;
	}
	if (!number(c->st->j_max_concurrency, "MaxConcurrency", bindings, true, 0, 99999999, 0, &mc, &err))
		goto fail;
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
