/*
 * definition_errors.c — Retry and Catch: retriers, catchers and the error
 * names they match.
 */
#include "definition_impl.h"

#include "jsonata_value.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every predefined error name (AWS, "Error names"); other States.* names are typos. */
static const char *const states_errors[] = {
	"States.ALL",
	"States.BranchFailed",
	"States.DataLimitExceeded",
	"States.ExceedToleratedFailureThreshold",
	"States.HeartbeatTimeout",
	"States.Http.Socket",
	"States.IntrinsicFailure",
	"States.ItemReaderFailed",
	"States.NoChoiceMatched",
	"States.ParameterPathFailure",
	"States.Permissions",
	"States.QueryEvaluationError",
	"States.ResultPathMatchFailure",
	"States.ResultWriterFailed",
	"States.Runtime",
	"States.TaskFailed",
	"States.Timeout",
	NULL
};

static const char *const retrier_fields[] = {
	"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
	"MaxDelaySeconds", "JitterStrategy", "Comment", NULL
};

static const char *const catcher_fields[] = {
	"ErrorEquals", "Next", "ResultPath", "Comment", "Assign", NULL
};

/* ResultPath is listed to be reported once, as JSONPath only (below). */
static const char *const catcher_fields_jsonata[] = {
	"ErrorEquals", "Next", "ResultPath", "Comment", "Output", "Assign", NULL
};

/* Whether name is one of the States.* error names ASL defines. */
static bool
known_states_error(const char *name)
{
	for (const char *const *e = states_errors; *e; e++)
		if (strcmp(*e, name) == 0)
			return true;
	return false;
}

/*
 * ErrorEquals of entry i (of n entries) of Retry or Catch. States.ALL must be
 * alone in its list and appear only in the last entry.
 */
static void
read_error_equals(asl_build *b, json_object *entry, const char *base,
				  const char *what, size_t i, size_t n,
				  char ***out, size_t *n_out)
{
	json_object *list = asl_field(entry, "ErrorEquals");
	char	   *lbase;
	size_t		len;

	*out = NULL;
	*n_out = 0;
	if (!json_object_object_get_ex(entry, "ErrorEquals", NULL))
	{
		asl_build_error(b, "MISSING_FIELD", base, NULL, "a %s needs ErrorEquals", what);
		return;
	}
	if (!json_object_is_type(list, json_type_array))
	{
		asl_build_error(b, "WRONG_TYPE", base, "ErrorEquals",
						"ErrorEquals must be an array of error names");
		return;
	}
	len = json_object_array_length(list);
	if (len == 0)
	{
		asl_build_error(b, "INVALID_VALUE", base, "ErrorEquals",
						"ErrorEquals must name at least one error");
		return;
	}
	lbase = asl_build_pointer(b, base, "ErrorEquals");
	*out = calloc(len, sizeof(char *));
	if (lbase == NULL || *out == NULL)
	{
		b->oom = true;
		free(lbase);
		return;
	}
	for (size_t j = 0; j < len; j++)
	{
		json_object *e = json_object_array_get_idx(list, j);
		char	   *at;
		const char *name;
		bool		dup = false;

		if (!json_object_is_type(e, json_type_string))
		{
			at = asl_build_pointer_index(b, lbase, j);
			asl_build_error(b, "WRONG_TYPE", at, NULL, "an error name must be a string");
			free(at);
			continue;
		}
		name = json_object_get_string(e);
		at = asl_build_pointer_index(b, lbase, j);
		for (size_t k = 0; k < *n_out; k++)
			if (strcmp((*out)[k], name) == 0)
				dup = true;
		if (name[0] == '\0')
			asl_build_error(b, "INVALID_VALUE", at, NULL, "an error name must not be empty");
		else if (dup)
			asl_build_error(b, "INVALID_VALUE", at, NULL,
							"\"%s\" appears more than once in ErrorEquals", name);
		else if (strncmp(name, "States.", 7) == 0 && !known_states_error(name))
			asl_build_error(b, "INVALID_VALUE", at, NULL,
							"\"%s\" is not a predefined error: names starting with \"States.\" are reserved", name);
		else if (strcmp(name, "States.ALL") == 0 && len > 1)
			asl_build_error(b, "STATES_ALL_NOT_LAST", at, NULL,
							"States.ALL must be the only error in its ErrorEquals");
		else if (strcmp(name, "States.ALL") == 0 && i + 1 < n)
			asl_build_error(b, "STATES_ALL_NOT_LAST", at, NULL,
							"States.ALL may appear only in the last %s", what);
		if (!dup && name[0] != '\0')
		{
			(*out)[*n_out] = asl_build_strdup(b, name);
			if ((*out)[*n_out] != NULL)
				(*n_out)++;
		}
		free(at);
	}
	free(lbase);
}

/*
 * Parses retrier i of n (entry at base) into r, with AWS's defaults:
 * IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0.
 */
static void
parse_retrier(asl_build *b, json_object *entry, const char *base, size_t i, size_t n,
			  asl_retrier *r)
{
	int64_t		iv;
	const char *jitter;
	double		backoff;

	r->interval_seconds = 1;
	r->max_attempts = 3;
	r->backoff_rate = 2.0;
	asl_check_keys(b, entry, base, "a retrier", retrier_fields);
	read_error_equals(b, entry, base, "retrier", i, n, &r->errors, &r->n_errors);
	if (asl_read_int(b, entry, base, "IntervalSeconds", 1, ASL_MAX_COUNT, &iv))
		r->interval_seconds = (double) iv;
	if (asl_read_int(b, entry, base, "MaxAttempts", 0, ASL_MAX_COUNT, &iv))
		r->max_attempts = (int) iv;
	if (asl_read_number(b, entry, base, "BackoffRate", 1.0, DBL_MAX, &backoff))
		r->backoff_rate = backoff;
	/* AWS: MaxDelaySeconds is below one year plus a day (31622401) */
	if (asl_read_int(b, entry, base, "MaxDelaySeconds", 1, 31622400, &iv))
		r->max_delay_seconds = (double) iv;
	if (asl_read_string(b, entry, base, "JitterStrategy", &jitter))
	{
		if (strcmp(jitter, "FULL") == 0)
			r->jitter_full = true;
		else if (strcmp(jitter, "NONE") != 0)
			asl_build_error(b, "INVALID_VALUE", base, "JitterStrategy",
							"JitterStrategy must be \"FULL\" or \"NONE\", not \"%s\"", jitter);
	}
	asl_read_string(b, entry, base, "Comment", &jitter);
}

/* The array under field, or NULL (reported when it is not an array). */
static json_object *
read_array(asl_build *b, json_object *def, const char *base, const char *field)
{
	json_object *list = asl_field(def, field);

	if (!json_object_object_get_ex(def, field, NULL))
		return NULL;
	if (!json_object_is_type(list, json_type_array))
	{
		asl_build_error(b, "WRONG_TYPE", base, field, "%s must be an array", field);
		return NULL;
	}
	return list;
}

void
asl_parse_retry(asl_build *b, asl_state *st, json_object *def)
{
	json_object *list = read_array(b, def, st->pointer, "Retry");
	char	   *lbase;
	size_t		n;

	if (list == NULL || (n = json_object_array_length(list)) == 0)
		return;
	lbase = asl_build_pointer(b, st->pointer, "Retry");
	st->retriers = calloc(n, sizeof(asl_retrier));
	if (lbase == NULL || st->retriers == NULL)
	{
		b->oom = true;
		free(lbase);
		return;
	}
	st->n_retriers = n;
	for (size_t i = 0; i < n; i++)
	{
		json_object *entry = json_object_array_get_idx(list, i);
		char	   *at = asl_build_pointer_index(b, lbase, i);

		if (!json_object_is_type(entry, json_type_object))
			asl_build_error(b, "WRONG_TYPE", at, NULL, "a retrier must be an object");
		else
			parse_retrier(b, entry, at, i, n, &st->retriers[i]);
		free(at);
	}
	free(lbase);
}

/*
 * Catcher i's Output and Assign in a JSONata state ("{% %}" values, with
 * $states.errorOutput); causes name them under the catcher's index, as AWS
 * does: "Catch[1]/Output".
 */
static void
parse_jsonata_catcher(asl_build *b, json_object *entry, const char *base, size_t i,
					  asl_catcher *c)
{
	json_object *v;
	char	   *at;
	char		field[48];

	if (json_object_object_get_ex(entry, "ResultPath", NULL))
		asl_build_error(b, "INVALID_FIELD", base, "ResultPath",
						"the field \"ResultPath\" is JSONPath only; a catcher of a JSONata state uses Output and Assign with {%% %%} expressions");
	if (json_object_object_get_ex(entry, "Output", &v))
	{
		at = asl_build_pointer(b, base, "Output");
		if (at != NULL)
		{
			snprintf(field, sizeof field, "Catch[%zu]/Output", i);
			c->j_output = asl_jvalue_compile(v, field, at, b->diags);
		}
		free(at);
	}
	if (json_object_object_get_ex(entry, "Assign", &v))
	{
		if (!json_object_is_type(v, json_type_object))
		{
			asl_build_error(b, "WRONG_TYPE", base, "Assign", "Assign must be an object of variables");
			return;
		}
		at = asl_build_pointer(b, base, "Assign");
		if (at != NULL)
		{
			snprintf(field, sizeof field, "Catch[%zu]/Assign", i);
			c->j_assign = asl_jvalue_compile(v, field, at, b->diags);
		}
		free(at);
	}
}

/*
 * Parses catcher i of n (entry at base) into c: ErrorEquals, Next, and
 * ResultPath and Assign, or in a JSONata state Output and Assign.
 */
static void
parse_catcher(asl_build *b, size_t gi, json_object *entry, const char *base,
			  size_t i, size_t n, asl_catcher *c, bool jsonata)
{
	const char *next;

	asl_check_keys(b, entry, base, "a catcher", jsonata ? catcher_fields_jsonata : catcher_fields);
	read_error_equals(b, entry, base, "catcher", i, n, &c->errors, &c->n_errors);
	if (!json_object_object_get_ex(entry, "Next", NULL))
	{
		asl_build_error(b, "MISSING_FIELD", base, NULL, "a catcher needs Next");
		asl_graph_set_opaque(b, gi);
	}
	else if (asl_read_string(b, entry, base, "Next", &next))
		c->next_name = asl_build_strdup(b, next);
	else
		asl_graph_set_opaque(b, gi);
	asl_read_string(b, entry, base, "Comment", &next);
	if (jsonata)
	{
		parse_jsonata_catcher(b, entry, base, i, c);
		return;
	}
	asl_read_result_path(b, entry, base, "ResultPath", &c->result_path);
	if (json_object_object_get_ex(entry, "Assign", NULL))
		c->assign = asl_read_assign(b, entry, base, "Assign");
}

void
asl_parse_catch(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	json_object *list = read_array(b, def, st->pointer, "Catch");
	char	   *lbase;
	size_t		n;

	if (list == NULL)
	{
		if (json_object_object_get_ex(def, "Catch", NULL))
			asl_graph_set_opaque(b, gi);
		return;
	}
	n = json_object_array_length(list);
	if (n == 0)
		return;
	lbase = asl_build_pointer(b, st->pointer, "Catch");
	st->catchers = calloc(n, sizeof(asl_catcher));
	if (lbase == NULL || st->catchers == NULL)
	{
		b->oom = true;
		free(lbase);
		return;
	}
	st->n_catchers = n;
	for (size_t i = 0; i < n; i++)
	{
		json_object *entry = json_object_array_get_idx(list, i);
		char	   *at = asl_build_pointer_index(b, lbase, i);

		if (!json_object_is_type(entry, json_type_object))
		{
			asl_build_error(b, "WRONG_TYPE", at, NULL, "a catcher must be an object");
			asl_graph_set_opaque(b, gi);
		}
		else
			parse_catcher(b, gi, entry, at, i, n, &st->catchers[i], st->jsonata);
		free(at);
	}
	free(lbase);
}

static void
free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

void
asl_retriers_free(asl_retrier *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free_names(r[i].errors, r[i].n_errors);
	free(r);
}

void
asl_catchers_free(asl_catcher *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
	{
		free_names(c[i].errors, c[i].n_errors);
		free(c[i].next_name);
		asl_opt_path_release(&c[i].result_path);
		asl_drop_template(c[i].assign);
		asl_jvalue_free(c[i].j_output);
		asl_jvalue_free(c[i].j_assign);
	}
	free(c);
}
