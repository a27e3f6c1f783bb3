/*
 * step_branches.c — Parallel and Map: starting their branches or
 * iterations, and the continuation that collects their results.
 *
 * Parallel (spec, "Parallel State"): every branch gets the same effective
 * input (InputPath, then Parameters); the result is the array of branch
 * outputs in branch order; a branch that fails fails the state with the
 * branch's own error. Map (spec, "Map State"): ItemsPath (default "$")
 * selects an array in the effective input; each item's input is the item,
 * or ItemSelector evaluated with $ the effective input and
 * $$.Map.Item.{Index, Value}; the result is the array of iteration outputs
 * in item order. An iteration that fails fails the state with its error,
 * unless ToleratedFailureCount/Percentage is given: then failures are
 * counted and States.ExceedToleratedFailureThreshold is raised only above
 * the threshold (failed items leave their Error Output in the result).
 * Branches and iterations start with their own copy of the variables: they
 * read the outer ones, and what they assign stays inside.
 */
#include "step_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "context.h"
#include "dataflow.h"
#include "events.h"
#include "path.h"

bool
step_alloc_branches(step_ctx *c, size_t n, asl_error *err)
{
	asl_branches *b = &c->out->branches;

	b->items = calloc(n ? n : 1, sizeof(asl_branch));
	if (b->items == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "out of memory starting %zu branches", n);
		return false;
	}
	b->count = n;
	b->tolerated_count = -1;
	b->tolerated_percentage = -1;
	return true;
}

/* Sets items[i]: its start state, input (reference taken) and a fresh scope. */
bool
step_set_branch(step_ctx *c, size_t i, const asl_graph *g, json_object *input, asl_error *err)
{
	asl_branch *br = &c->out->branches.items[i];

	br->start = g && g->start ? g->start->name : NULL;
	br->input = input;
	br->variables = asl_scope_enter(c->pos->variables);
	if (br->start == NULL || br->variables == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "cannot start branch %zu of state '%s'", i, c->st->name);
		return false;
	}
	return true;
}

void
step_start_branches(step_ctx *c, bool is_map)
{
	c->out->kind = ASL_OUTCOME_BRANCHES;
	c->out->branches.is_map = is_map;
	if (is_map)
		step_event(c, "StateStarted", c->env->no_events ? NULL : asl_event_map_started_details(c->out->branches.count));
	else
		step_event(c, "StateStarted", NULL);
}

/* Frees what branches hold, for a step that fails after filling some. */
void
step_drop_branches(asl_branches *b)
{
	for (size_t i = 0; b->items != NULL && i < b->count; i++)
	{
		json_object_put(b->items[i].input);
		json_object_put(b->items[i].variables);
	}
	free(b->items);
	memset(b, 0, sizeof(*b));
}

void
step_parallel(step_ctx *c)
{
	const asl_state *st = c->st;
	asl_error	err = {0};
	json_object *eff;
	json_object *params = NULL;

	if (!step_input(c, &eff))
		return;
	if (!step_parameters(c, eff, &params, &err) ||
		!step_alloc_branches(c, st->n_branches, &err))
		goto fail;
	for (size_t i = 0; i < st->n_branches; i++)
		if (!step_set_branch(c, i, st->branches[i], json_object_get(params), &err))
			goto fail;
	step_start_branches(c, false);
	json_object_put(params);
	json_object_put(eff);
	return;

fail:
	step_drop_branches(&c->out->branches);
	json_object_put(params);
	json_object_put(eff);
	step_state_error(c, &err);
}

/* A Java int: a JSON integer, a whole double, or a string of decimal digits (a sign allowed). */
static bool
java_int(json_object *v, double *out)
{
	if (json_object_is_type(v, json_type_int))
		*out = (double) json_object_get_int64(v);
	else if (json_object_is_type(v, json_type_double))
	{
		*out = json_object_get_double(v);
		if (*out != (double) (int64_t) *out)
			return false;
	}
	else if (json_object_is_type(v, json_type_string))
	{
		const char *s = json_object_get_string(v);
		const char *p = s + (*s == '+' || *s == '-');

		if (*p < '0' || *p > '9' || strspn(p, "0123456789") != strlen(p) || strlen(p) > 11)
			return false;
		*out = strtod(s, NULL);
	}
	else
		return false;
	return *out >= INT32_MIN && *out <= INT32_MAX;
}

/* A Java float: a JSON number, or a string that is a finite decimal number. */
static bool
java_float(json_object *v, double *out)
{
	if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
		*out = json_object_get_double(v);
	else if (json_object_is_type(v, json_type_string))
	{
		const char *s = json_object_get_string(v);
		char	   *end;

		if (*s == '\0' || strspn(s, "0123456789+-.eE") != strlen(s))
			return false;
		*out = strtod(s, &end);
		if (*end != '\0')
			return false;
	}
	else
		return false;
	return isfinite(*out);
}

/*
 * A Map's number given literally or through a path (MaxConcurrencyPath,
 * ToleratedFailureCountPath, ToleratedFailurePercentagePath), read as AWS
 * reads it (a numeric string too) with AWS's cause when it is not a number:
 * 'The <Field>Path field refers to value "<v>" which is not a valid <kind>:
 * <path>'. Absent: *out = dflt.
 */
static bool
map_number(step_ctx *c, json_object *eff, const asl_num_or_path *v, const char *field,
		   bool integer, double dflt, double *out, asl_error *err)
{
	asl_scope	s = step_scope(c, eff);
	json_object *node = NULL;
	bool		ok;

	*out = dflt;
	if (!v->present)
		return true;
	if (v->path == NULL)
	{
		*out = v->value;
		return true;
	}
	if (!asl_path_select(v->path, &s, &node))
		return asl_path_not_found(v->path, &s, err);
	ok = integer ? java_int(node, out) : java_float(node, out);
	if (!ok)
		asl_error_set(err, ASL_ERR_RUNTIME,
					  "The %sPath field refers to value \"%s\" which is not a valid %s: %s",
					  field,
					  json_object_is_type(node, json_type_string) ? json_object_get_string(node) :
					  node ? json_object_to_json_string_ext(node, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null",
					  integer ? "integer" : "float", asl_path_text(v->path));
	json_object_put(node);
	return ok;
}

/* The tolerance settings of the Map, resolved against its effective input. */
static bool
resolve_tolerance(step_ctx *c, json_object *eff, asl_branches *b, asl_error *err)
{
	const asl_map_config *map = &c->st->map;
	double		count;
	double		percentage;

	b->tolerance = map->tolerated_failure_count.present || map->tolerated_failure_percentage.present;
	if (!map_number(c, eff, &map->tolerated_failure_count, "ToleratedFailureCount", true, -1, &count, err) ||
		!map_number(c, eff, &map->tolerated_failure_percentage, "ToleratedFailurePercentage", false, -1,
					&percentage, err))
		return false;
	if (map->tolerated_failure_count.present && count < 0)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "ToleratedFailureCount cannot be negative.");
		return false;
	}
	if (map->tolerated_failure_percentage.present && !(percentage >= 0 && percentage <= 100))
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "ToleratedFailurePercentage must be between 0 and 100.");
		return false;
	}
	b->tolerated_count = (int64_t) count;
	b->tolerated_percentage = percentage;
	return true;
}

/* MaxConcurrency(Path): a whole number, 0 (no limit) or more. */
static bool
resolve_max_concurrency(step_ctx *c, json_object *eff, int64_t *out, asl_error *err)
{
	double		mc;

	*out = 0;
	if (!map_number(c, eff, &c->st->map.max_concurrency, "MaxConcurrency", true, 0, &mc, err))
		return false;
	if (mc < 0)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "Expected non-negative integer for MaxConcurrency, got '%lld' instead.",
					  (long long) mc);
		return false;
	}
	*out = (int64_t) mc;
	return true;
}

/* ItemsPath: the array to iterate over (a new reference). */
static bool
select_items(step_ctx *c, json_object *eff, json_object **items, asl_error *err)
{
	const asl_opt_path *p = &c->st->map.items_path;
	asl_scope	s = step_scope(c, eff);

	*items = NULL;
	if (!p->present || p->path == NULL)
		*items = json_object_get(eff);
	else if (!asl_path_select(p->path, &s, items))
		return asl_path_not_found(p->path, &s, err);
	if (!json_object_is_type(*items, json_type_array))
	{
		asl_error_set(err, ASL_ERR_RUNTIME,
					  "ItemsPath '%s' must select a JSON array, not %s",
					  p->path ? asl_path_text(p->path) : "$",
					  *items ? json_object_to_json_string_ext(*items, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) : "null");
		json_object_put(*items);
		*items = NULL;
		return false;
	}
	return true;
}

/* Item i's input: the item, or ItemSelector with $$.Map.Item. */
static bool
item_input(step_ctx *c, json_object *eff, size_t i, json_object *item,
		   json_object **input, asl_error *err)
{
	json_object *ictx;
	asl_scope	s;
	bool		ok;

	if (c->st->map.item_selector == NULL)
	{
		*input = json_object_get(item);
		return true;
	}
	ictx = asl_context_with_item(step_context(c), (int64_t) i, item);
	if (ictx == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "out of memory");
		return false;
	}
	s = step_scope(c, eff);
	s.context = ictx;
	ok = asl_template_eval(c->st->map.item_selector, &s, input, err);
	json_object_put(ictx);
	return ok && asl_check_size(*input, c->limit, c->st->name, err);
}

/* Distributed-map features booking does not run: an error, not a wrong result. */
bool
step_map_sources_supported(step_ctx *c, asl_error *err)
{
	const asl_map_config *map = &c->st->map;

	if (map->item_reader != NULL)
		asl_error_set(err, ASL_ERR_ITEM_READER_FAILED,
					  "ItemReader is not supported: booking iterates over arrays in the state input (ItemsPath)");
	else if (map->item_batcher != NULL)
		asl_error_set(err, ASL_ERR_RUNTIME, "ItemBatcher is not supported by booking");
	else if (map->result_writer != NULL)
		asl_error_set(err, ASL_ERR_RESULT_WRITER_FAILED,
					  "ResultWriter is not supported: booking returns Map results in the state output");
	else
		return true;
	return false;
}

void
step_map(step_ctx *c)
{
	asl_branches *b = &c->out->branches;
	asl_error	err = {0};
	json_object *eff;
	json_object *items = NULL;
	size_t		n;
	int64_t		mc;

	if (!step_input(c, &eff))
		return;
	if (!step_map_sources_supported(c, &err) ||
		!select_items(c, eff, &items, &err) ||
		!resolve_max_concurrency(c, eff, &mc, &err))
		goto fail;
	n = json_object_array_length(items);
	if (!step_alloc_branches(c, n, &err) || !resolve_tolerance(c, eff, b, &err))
		goto fail;
	b->max_concurrency = mc;
	for (size_t i = 0; i < n; i++)
	{
		json_object *input = NULL;

		if (!item_input(c, eff, i, json_object_array_get_idx(items, i), &input, &err) ||
			!step_set_branch(c, i, c->st->map.processor, input, &err))
		{
			json_object_put(input);
			goto fail;
		}
	}
	step_start_branches(c, true);
	json_object_put(items);
	json_object_put(eff);
	return;

fail:
	step_drop_branches(b);
	json_object_put(items);
	json_object_put(eff);
	step_state_error(c, &err);
}

/* ---- the continuation ---- */

/* Fails the state with a branch's or iteration's error and cause. */
static void
fail_with(step_ctx *c, const asl_result *r)
{
	asl_error	err = {0};

	err.name = strdup(r->error ? r->error : "");
	err.cause = r->cause ? strdup(r->cause) : NULL;
	step_error(c, &err);
}

/*
 * Ends the state successfully with results as its result, through
 * ResultSelector and ResultPath (or JSONata's Output).
 */
static void
succeed_with(step_ctx *c, json_object *results)
{
	step_event(c, "StateSucceeded", NULL);
	c->succeeded = true;
	if (c->st->jsonata)
		step_jsonata_finish(c, results);
	else
		step_finish(c, results, true, results);
}

/* The Error Output of a failed iteration, kept in a tolerant Map's result. */
static json_object *
failed_item(const asl_result *r)
{
	json_object *o = json_object_new_object();

	if (!asl_json_add_literal(o, "Error", json_object_new_string(r->error ? r->error : "")) ||
		!asl_json_add_literal(o, "Cause", json_object_new_string(r->cause ? r->cause : "")))
	{
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * The array of results; failed items (tolerated) stand as their error
 * objects.
 */
static json_object *
collect(const asl_result *results, size_t n, asl_error *err)
{
	json_object *arr = json_object_new_array_ext((int) (n ? n : 1));

	for (size_t i = 0; arr != NULL && i < n; i++)
	{
		json_object *v = results[i].failed ? failed_item(&results[i]) :
		json_object_get(results[i].output);

		if ((results[i].failed && v == NULL) || json_object_array_add(arr, v) != 0)
		{
			json_object_put(v);
			json_object_put(arr);
			arr = NULL;
		}
	}
	if (arr == NULL)
		asl_error_set(err, ASL_ERR_RUNTIME, "out of memory");
	return arr;
}

/* Ends the state successfully with the results, in order, as its result. */
static void
succeed_with_results(step_ctx *c, const asl_result *results, size_t n)
{
	asl_error	err = {0};
	json_object *arr = collect(results, n, &err);

	if (arr == NULL)
	{
		step_fail(c, &err);
		return;
	}
	succeed_with(c, arr);
	json_object_put(arr);
}

/*
 * Ends a Parallel state: the first failed branch fails it, else the
 * branches' outputs in order are its result.
 */
static void
parallel_done(step_ctx *c, const asl_result *results, size_t n)
{
	asl_error	err = {0};

	for (size_t i = 0; i < n; i++)
		if (results[i].failed)
		{
			fail_with(c, &results[i]);
			return;
		}
	if (n != c->st->n_branches)
	{
		asl_error_set(&err, ASL_ERR_RUNTIME, "Parallel state '%s' has %zu branches, %zu results came back",
					  c->st->name, c->st->n_branches, n);
		step_fail(c, &err);
		return;
	}
	succeed_with_results(c, results, n);
}

/* True when failures of n items go beyond what the Map tolerates. */
static bool
exceeds(const asl_branches *b, size_t failures, size_t n)
{
	if (failures == 0)
		return false;
	if (b->tolerated_count >= 0 && (int64_t) failures > b->tolerated_count)
		return true;
	if (b->tolerated_percentage >= 0 && (double) failures * 100.0 > b->tolerated_percentage * (double) n)
		return true;
	return false;
}

/*
 * Ends a Map state: failures beyond the tolerated count or percentage fail
 * it, else the iterations' outputs are its result.
 */
static void
map_done(step_ctx *c, const asl_result *results, size_t n)
{
	const asl_map_config *map = &c->st->map;
	asl_branches tol = {0};
	asl_error	err = {0};
	size_t		failures = 0;
	const asl_result *first = NULL;

	for (size_t i = 0; i < n; i++)
		if (results[i].failed)
		{
			failures++;
			if (first == NULL)
				first = &results[i];
		}
	if (first != NULL && !map->tolerated_failure_count.present &&
		!map->tolerated_failure_percentage.present)
	{
		fail_with(c, first);
		return;
	}
	if (first != NULL)
	{
		json_object *eff = NULL;
		asl_scope	s = step_scope(c, c->pos->input);

		/* the thresholds are read from the effective input, as at the start */
		if (c->st->jsonata ? !step_jsonata_tolerance(c, &tol, &err) :
			(!asl_apply_path_filter(&c->st->input_path, c->pos->input, &s, &eff, &err) ||
			 !resolve_tolerance(c, eff, &tol, &err)))
		{
			json_object_put(eff);
			if (c->st->jsonata)
				step_jsonata_error(c, &err);
			else
				step_state_error(c, &err);
			return;
		}
		json_object_put(eff);
		if (exceeds(&tol, failures, n))
		{
			asl_error_set(&err, ASL_ERR_EXCEED_TOLERATED, "The specified tolerated failure threshold was exceeded");
			step_error(c, &err);
			return;
		}
	}
	succeed_with_results(c, results, n);
}

void
asl_step_branches_done(const asl_machine *machine, const asl_position *pos,
					   const asl_env *env, const asl_result *results, size_t n,
					   asl_outcome *out)
{
	step_ctx	c;
	asl_error	err = {0};

	if (!step_begin(&c, machine, pos, env, out, false))
	{
		step_end(&c);
		return;
	}
	if (results == NULL && n > 0)
		n = 0;
	if (c.st->type == ASL_STATE_PARALLEL)
		parallel_done(&c, results, n);
	else if (c.st->type == ASL_STATE_MAP)
		map_done(&c, results, n);
	else
	{
		asl_error_set(&err, ASL_ERR_RUNTIME, "state '%s' is a %s state: it has no branches",
					  c.st->name, asl_state_type_name(c.st->type));
		step_fail(&c, &err);
	}
	step_end(&c);
}
