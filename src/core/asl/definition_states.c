/*
 * definition_states.c — one state: which fields each type accepts, the fields
 * every type shares, and the small types (Pass, Choice, Wait, Succeed, Fail,
 * Parallel). Task and Map have files of their own.
 */
#include "definition_impl.h"

#include <stdlib.h>
#include <string.h>

#include "choice.h"

#define TASK		(1u << ASL_STATE_TASK)
#define PASS		(1u << ASL_STATE_PASS)
#define CHOICE		(1u << ASL_STATE_CHOICE)
#define WAIT		(1u << ASL_STATE_WAIT)
#define SUCCEED		(1u << ASL_STATE_SUCCEED)
#define FAIL		(1u << ASL_STATE_FAIL)
#define PARALLEL	(1u << ASL_STATE_PARALLEL)
#define MAP			(1u << ASL_STATE_MAP)
#define ANY			(TASK | PASS | CHOICE | WAIT | SUCCEED | FAIL | PARALLEL | MAP)
#define FLOWS		(TASK | PASS | WAIT | PARALLEL | MAP)	/* Next or End */
#define WORKS		(TASK | PARALLEL | MAP) /* Retry, Catch, ResultSelector */

/* The JSONPath fields of each state type, as the ASL spec and AWS docs list them. */
static const struct
{
	const char *name;
	unsigned	types;
}			state_fields[] = {
	{"Type", ANY},
	{"Comment", ANY},
	{"QueryLanguage", ANY},
	{"InputPath", ANY & ~FAIL},
	{"OutputPath", ANY & ~FAIL},
	{"Next", FLOWS},
	{"End", FLOWS},
	{"Parameters", TASK | PASS | PARALLEL | MAP},
	{"ResultSelector", WORKS},
	{"ResultPath", TASK | PASS | PARALLEL | MAP},
	{"Result", PASS},
	{"Assign", ANY & ~(SUCCEED | FAIL)},
	{"Retry", WORKS},
	{"Catch", WORKS},
	{"Resource", TASK},
	{"TimeoutSeconds", TASK},
	{"TimeoutSecondsPath", TASK},
	{"HeartbeatSeconds", TASK},
	{"HeartbeatSecondsPath", TASK},
	{"Credentials", TASK},
	{"Choices", CHOICE},
	{"Default", CHOICE},
	{"Seconds", WAIT},
	{"Timestamp", WAIT},
	{"SecondsPath", WAIT},
	{"TimestampPath", WAIT},
	{"Error", FAIL},
	{"ErrorPath", FAIL},
	{"Cause", FAIL},
	{"CausePath", FAIL},
	{"Branches", PARALLEL},
	{"ItemsPath", MAP},
	{"ItemSelector", MAP},
	{"ItemProcessor", MAP},
	{"Iterator", MAP},
	{"MaxConcurrency", MAP},
	{"MaxConcurrencyPath", MAP},
	{"ItemReader", MAP},
	{"ItemBatcher", MAP},
	{"ResultWriter", MAP},
	{"ToleratedFailureCount", MAP},
	{"ToleratedFailureCountPath", MAP},
	{"ToleratedFailurePercentage", MAP},
	{"ToleratedFailurePercentagePath", MAP},
	{"Label", MAP},
};

/* Fields of JSONata states only: named so the message can say why. */
static const char *const jsonata_fields[] = {"Arguments", "Output", "Items", NULL};

static const char *const type_names[] = {
	[ASL_STATE_TASK] = "Task",
	[ASL_STATE_PASS] = "Pass",
	[ASL_STATE_CHOICE] = "Choice",
	[ASL_STATE_WAIT] = "Wait",
	[ASL_STATE_SUCCEED] = "Succeed",
	[ASL_STATE_FAIL] = "Fail",
	[ASL_STATE_PARALLEL] = "Parallel",
	[ASL_STATE_MAP] = "Map",
};

const char *
asl_state_type_name(asl_state_type type)
{
	if ((unsigned) type < sizeof(type_names) / sizeof(type_names[0]))
		return type_names[type];
	return "Unknown";
}

/* -1 when field is no state field at all. */
static int
field_types(const char *field)
{
	for (size_t i = 0; i < sizeof(state_fields) / sizeof(state_fields[0]); i++)
		if (strcmp(state_fields[i].name, field) == 0)
			return (int) state_fields[i].types;
	return -1;
}

/* Whether a state of type takes field. */
static bool
accepts(asl_state_type type, const char *field)
{
	int			types = field_types(field);

	return types >= 0 && ((unsigned) types & (1u << type)) != 0;
}

static bool
has(json_object *obj, const char *field)
{
	return json_object_object_get_ex(obj, field, NULL);
}

/* Fields that carry transitions: misplaced, they leave the graph's edges unknown. */
static bool
is_transition_field(const char *field)
{
	return strcmp(field, "Next") == 0 || strcmp(field, "End") == 0 ||
		strcmp(field, "Default") == 0 || strcmp(field, "Choices") == 0 ||
		strcmp(field, "Catch") == 0;
}

/*
 * Reports each field a JSONPath state of its type does not take (saying
 * when it belongs to JSONata states); a wrong transition field makes the
 * graph opaque.
 */
static void
check_fields(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	json_object_object_foreach(def, key, val)
	{
		int			types = field_types(key);
		bool		jsonata = false;

		(void) val;
		if (types >= 0 && ((unsigned) types & (1u << st->type)))
			continue;
		if (is_transition_field(key))
			asl_graph_set_opaque(b, gi);
		for (const char *const *j = jsonata_fields; *j; j++)
			if (strcmp(*j, key) == 0)
				jsonata = true;
		if (jsonata)
			asl_build_error(b, "UNKNOWN_FIELD", st->pointer, key,
							"\"%s\" is a field of JSONata states; booking runs JSONPath definitions only", key);
		else if (types >= 0)
			asl_build_error(b, "UNKNOWN_FIELD", st->pointer, key,
							"a %s state does not accept the field \"%s\"",
							asl_state_type_name(st->type), key);
		else
			asl_build_error(b, "UNKNOWN_FIELD", st->pointer, key,
							"unknown field \"%s\" in a %s state", key,
							asl_state_type_name(st->type));
	}
}

/* Reads the state's Type; false (reported) when missing or unknown. */
static bool
read_type(asl_build *b, asl_state *st, json_object *def)
{
	const char *type;

	if (!has(def, "Type"))
	{
		asl_build_error(b, "MISSING_FIELD", st->pointer, NULL, "state \"%s\" needs a Type", st->name);
		return false;
	}
	if (!asl_read_string(b, def, st->pointer, "Type", &type))
		return false;
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (strcmp(type_names[i], type) == 0)
		{
			st->type = (asl_state_type) i;
			return true;
		}
	asl_build_error(b, "INVALID_VALUE", st->pointer, "Type",
					"unknown state type \"%s\" (Task, Pass, Choice, Wait, Succeed, Fail, Parallel or Map)", type);
	return false;
}

/*
 * The state's language: its own QueryLanguage, else the machine's. A
 * JSONPath machine may hold JSONata states, not the other way round.
 * False when QueryLanguage is unusable (reported).
 */
static bool
read_query_language(asl_build *b, asl_state *st, json_object *def)
{
	const char *ql;

	st->jsonata = b->jsonata;
	if (!has(def, "QueryLanguage"))
		return true;
	if (!asl_read_string(b, def, st->pointer, "QueryLanguage", &ql))
		return false;
	if (strcmp(ql, "JSONata") == 0)
		st->jsonata = true;
	else if (strcmp(ql, "JSONPath") == 0)
	{
		if (b->jsonata)
		{
			asl_build_error(b, "INVALID_VALUE", st->pointer, "QueryLanguage",
							"a state of a JSONata state machine cannot use JSONPath (QueryLanguage is JSONata at the top level)");
			return false;
		}
		st->jsonata = false;
	}
	else
	{
		asl_build_error(b, "INVALID_VALUE", st->pointer, "QueryLanguage",
						"QueryLanguage must be \"JSONPath\" or \"JSONata\", not \"%s\"", ql);
		return false;
	}
	return true;
}

void
asl_parse_transition(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	bool		has_end = has(def, "End");
	bool		has_next = has(def, "Next");
	bool		end_ok = true;
	const char *next;

	if (has_end && !asl_read_bool(b, def, st->pointer, "End", &st->end))
		end_ok = false;
	if (has_next)
	{
		if (asl_read_string(b, def, st->pointer, "Next", &next))
			st->next_name = asl_build_strdup(b, next);
		else
			end_ok = false;
	}
	if (!end_ok)
		asl_graph_set_opaque(b, gi);
	else if (st->end && has_next)
		asl_build_error(b, "NEXT_AND_END", st->pointer, NULL,
						"a state has either Next or \"End\": true, not both");
	else if (!st->end && !has_next)
	{
		asl_build_error(b, "MISSING_NEXT_OR_END", st->pointer, NULL,
						"a %s state needs Next or \"End\": true",
						asl_state_type_name(st->type));
		asl_graph_set_opaque(b, gi);
	}
}

/* The fields several types share, each where the type accepts it. */
static void
parse_common(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	const char *comment;

	asl_read_string(b, def, st->pointer, "Comment", &comment);
	if (accepts(st->type, "InputPath"))
	{
		asl_read_opt_path(b, def, st->pointer, "InputPath", ASL_PATH_QUERY, &st->input_path);
		asl_read_opt_path(b, def, st->pointer, "OutputPath", ASL_PATH_QUERY, &st->output_path);
	}
	if (accepts(st->type, "Next"))
		asl_parse_transition(b, gi, st, def);
	/* Map's Parameters is its ItemSelector: definition_map.c reads it */
	if (st->type != ASL_STATE_MAP && accepts(st->type, "Parameters") && has(def, "Parameters"))
		st->parameters = asl_read_template(b, def, st->pointer, "Parameters");
	if (accepts(st->type, "ResultSelector") && has(def, "ResultSelector"))
		st->result_selector = asl_read_template(b, def, st->pointer, "ResultSelector");
	if (accepts(st->type, "ResultPath"))
		asl_read_result_path(b, def, st->pointer, "ResultPath", &st->result_path);
	if (accepts(st->type, "Assign") && has(def, "Assign"))
		st->assign = asl_read_assign(b, def, st->pointer, "Assign");
	if (accepts(st->type, "Retry"))
	{
		asl_parse_retry(b, st, def);
		asl_parse_catch(b, gi, st, def);
	}
}

/*
 * A Pass state's Result, kept as given (warning when it looks like it meant
 * paths).
 */
static void
parse_pass(asl_build *b, asl_state *st, json_object *def)
{
	json_object *result;
	char	   *where;

	/* Result and Parameters may both be given: Result wins, as in AWS */
	if (!json_object_object_get_ex(def, "Result", &result))
		return;
	st->has_result = true;
	st->result = json_object_get(result);
	where = asl_build_pointer(b, st->pointer, "Result");
	if (where != NULL)
		asl_warn_static_result(b, result, where);
	free(where);
}

/* A JSONPath choice rule: comparisons, And/Or/Not, Next (choice.c). */
static bool
read_choice_rule(asl_build *b, json_object *rule, const char *at, size_t index, asl_choice_rule *out)
{
	(void) index;
	return asl_choice_rule_compile(rule, at, true, out, b->diags) || out->next_name != NULL;
}

/*
 * A Wait state: exactly one of Seconds, Timestamp, SecondsPath or
 * TimestampPath.
 */
static void
parse_wait(asl_build *b, asl_state *st, json_object *def)
{
	static const char *const forms[] = {"Seconds", "Timestamp", "SecondsPath", "TimestampPath"};
	int			given = 0;
	int64_t		seconds;
	const char *ts;

	for (int i = 0; i < 4; i++)
		given += has(def, forms[i]);
	if (given == 0)
		asl_build_error(b, "MISSING_FIELD", st->pointer, NULL,
						"a Wait state needs one of Seconds, Timestamp, SecondsPath or TimestampPath");
	else if (given > 1)
		asl_build_error(b, "MUTUALLY_EXCLUSIVE_FIELDS", st->pointer, NULL,
						"a Wait state takes exactly one of Seconds, Timestamp, SecondsPath or TimestampPath");
	if (asl_read_int(b, def, st->pointer, "Seconds", 0, ASL_MAX_COUNT, &seconds))
	{
		st->has_seconds = true;
		st->seconds = seconds;
	}
	if (asl_read_string(b, def, st->pointer, "Timestamp", &ts))
	{
		if (asl_timestamp_parse(ts, &st->timestamp))
			st->has_timestamp = true;
		else
			asl_build_error(b, "INVALID_TIMESTAMP", st->pointer, "Timestamp",
							"\"%s\" is not an RFC 3339 timestamp such as 2024-03-14T01:59:00Z%s", ts,
							ts[0] == '$' ? " (to read the time from the input, use TimestampPath)" : "");
	}
	asl_read_path(b, def, st->pointer, "SecondsPath", ASL_PATH_REFERENCE, &st->seconds_path);
	asl_read_path(b, def, st->pointer, "TimestampPath", ASL_PATH_REFERENCE, &st->timestamp_path);
}

/* ErrorPath / CausePath: a reference path or an intrinsic function. */
static void
read_path_or_intrinsic(asl_build *b, asl_state *st, json_object *def, const char *field,
					   asl_path **path, asl_intrinsic **fn)
{
	const char *text;
	char	   *error = NULL;

	if (!asl_read_string(b, def, st->pointer, field, &text))
		return;
	if (asl_intrinsic_is_call(text))
	{
		*fn = asl_intrinsic_compile(text, &error);
		if (*fn == NULL)
			asl_build_error(b, "INVALID_INTRINSIC", st->pointer, field,
							"%s is not a valid intrinsic function call: %s", field,
							error ? error : "cannot compile");
		free(error);
	}
	else
		asl_read_path(b, def, st->pointer, field, ASL_PATH_REFERENCE, path);
}

/* Error / Cause: a literal string; a path here is taken literally. */
static char *
read_literal(asl_build *b, asl_state *st, json_object *def, const char *field)
{
	const char *text;

	if (!asl_read_string(b, def, st->pointer, field, &text))
		return NULL;
	if (text[0] == '$')
		asl_build_warning(b, "NO_PATH", st->pointer, field,
						  "%s looks like a path but is used as literal text; use %sPath to read it from the input",
						  field, field);
	return asl_build_strdup(b, text);
}

/* A Fail state: Error or ErrorPath, Cause or CausePath. */
static void
parse_fail(asl_build *b, asl_state *st, json_object *def)
{
	if (asl_exclusive(b, def, st->pointer, "Error", "ErrorPath"))
	{
		st->error = read_literal(b, st, def, "Error");
		read_path_or_intrinsic(b, st, def, "ErrorPath", &st->error_path, &st->error_fn);
	}
	if (asl_exclusive(b, def, st->pointer, "Cause", "CausePath"))
	{
		st->cause = read_literal(b, st, def, "Cause");
		read_path_or_intrinsic(b, st, def, "CausePath", &st->cause_path, &st->cause_fn);
	}
}

/* A Parallel state's Branches, each a graph of its own (JSONata states too). */
void
asl_parse_parallel(asl_build *b, asl_state *st, json_object *def)
{
	json_object *list = asl_field(def, "Branches");
	char	   *lbase;
	size_t		n;

	if (!has(def, "Branches"))
	{
		asl_build_error(b, "MISSING_FIELD", st->pointer, NULL, "a Parallel state needs Branches");
		return;
	}
	if (!json_object_is_type(list, json_type_array))
	{
		asl_build_error(b, "WRONG_TYPE", st->pointer, "Branches", "Branches must be an array");
		return;
	}
	n = json_object_array_length(list);
	if (n == 0)
	{
		asl_build_error(b, "INVALID_VALUE", st->pointer, "Branches",
						"Branches must hold at least one branch");
		return;
	}
	lbase = asl_build_pointer(b, st->pointer, "Branches");
	st->branches = calloc(n, sizeof(asl_graph *));
	if (lbase == NULL || st->branches == NULL)
	{
		b->oom = true;
		free(lbase);
		return;
	}
	st->n_branches = n;
	for (size_t i = 0; i < n; i++)
	{
		char	   *at = asl_build_pointer_index(b, lbase, i);

		if (at == NULL)
			break;
		st->branches[i] = asl_parse_graph(b, json_object_array_get_idx(list, i), at, st, NULL);
		free(at);
	}
	free(lbase);
}

asl_state  *
asl_parse_state(asl_build *b, size_t gi, const char *name, json_object *def,
				const char *pointer)
{
	asl_state  *st = calloc(1, sizeof(asl_state));

	if (st == NULL)
	{
		b->oom = true;
		return NULL;
	}
	st->name = asl_build_strdup(b, name);
	st->pointer = asl_build_strdup(b, pointer);
	st->graph = b->graphs[gi];
	if (st->name == NULL || st->pointer == NULL)
		return st;
	/* a state we cannot classify gets one diagnostic, and hides its edges */
	if (!json_object_is_type(def, json_type_object))
	{
		asl_build_error(b, "WRONG_TYPE", pointer, NULL, "state \"%s\" must be an object", name);
		asl_graph_set_opaque(b, gi);
		return st;
	}
	if (!read_type(b, st, def) || !read_query_language(b, st, def))
	{
		asl_graph_set_opaque(b, gi);
		return st;
	}
	if (st->jsonata)
	{
		asl_parse_jsonata_state(b, gi, st, def);
		return st;
	}
	check_fields(b, gi, st, def);
	parse_common(b, gi, st, def);
	switch (st->type)
	{
		case ASL_STATE_TASK:
			asl_parse_task(b, st, def);
			break;
		case ASL_STATE_PASS:
			parse_pass(b, st, def);
			break;
		case ASL_STATE_CHOICE:
			asl_parse_choices(b, gi, st, def, read_choice_rule);
			break;
		case ASL_STATE_WAIT:
			parse_wait(b, st, def);
			break;
		case ASL_STATE_SUCCEED:
			break;
		case ASL_STATE_FAIL:
			parse_fail(b, st, def);
			break;
		case ASL_STATE_PARALLEL:
			asl_parse_parallel(b, st, def);
			break;
		case ASL_STATE_MAP:
			asl_parse_map(b, st, def);
			break;
	}
	return st;
}

void
asl_state_free(asl_state *st)
{
	if (st == NULL)
		return;
	free(st->name);
	free(st->pointer);
	free(st->next_name);
	asl_opt_path_release(&st->input_path);
	asl_opt_path_release(&st->output_path);
	asl_opt_path_release(&st->result_path);
	asl_drop_template(st->parameters);
	asl_drop_template(st->result_selector);
	json_object_put(st->result);
	asl_drop_template(st->assign);
	asl_retriers_free(st->retriers, st->n_retriers);
	asl_catchers_free(st->catchers, st->n_catchers);
	asl_resource_release(&st->resource);
	asl_jsonata_state_release(st);
	asl_drop_path(st->timeout_seconds.path);
	asl_drop_path(st->heartbeat_seconds.path);
	json_object_put(st->credentials);
	for (size_t i = 0; i < st->n_choices; i++)
		asl_choice_rule_release(&st->choices[i]);
	free(st->choices);
	free(st->default_name);
	asl_drop_path(st->seconds_path);
	asl_drop_path(st->timestamp_path);
	free(st->error);
	asl_drop_path(st->error_path);
	asl_drop_intrinsic(st->error_fn);
	free(st->cause);
	asl_drop_path(st->cause_path);
	asl_drop_intrinsic(st->cause_fn);
	for (size_t i = 0; i < st->n_branches; i++)
		asl_graph_free(st->branches[i]);
	free(st->branches);
	asl_map_config_release(&st->map);
	free(st);
}
