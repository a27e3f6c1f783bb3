/*
 * definition_jsonata.c — a state whose QueryLanguage is JSONata: the fields
 * it accepts, the JSONPath fields it refuses (located), and its "{% %}"
 * expressions, compiled once here.
 *
 * Every state type runs in JSONata; a catcher takes Output and Assign (with
 * $states.errorOutput) instead of ResultPath. A Distributed Map's
 * reader/batcher/writer are validated here and refused when a run reaches
 * them (step_branches.c), as in JSONPath.
 */
#include "definition_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "choice.h"
#include "jsonata_value.h"
#include "names.h"
#include "timestamp.h"

#define T(x)		(1u << ASL_STATE_##x)
#define ANY			(T(TASK) | T(PASS) | T(CHOICE) | T(WAIT) | T(SUCCEED) | T(FAIL) | T(PARALLEL) | T(MAP))
#define FLOWS		(T(TASK) | T(PASS) | T(WAIT) | T(PARALLEL) | T(MAP))

static const struct
{
	const char *name;
	unsigned	types;
}			jsonata_fields[] = {
	{"Type", ANY},
	{"Comment", ANY},
	{"QueryLanguage", ANY},
	{"Next", FLOWS},
	{"End", FLOWS},
	{"Output", ANY & ~T(FAIL)},
	{"Assign", ANY & ~(T(SUCCEED) | T(FAIL))},
	{"Arguments", T(TASK) | T(PARALLEL)},
	{"Retry", T(TASK) | T(PARALLEL) | T(MAP)},
	{"Catch", T(TASK) | T(PARALLEL) | T(MAP)},
	{"Resource", T(TASK)},
	{"TimeoutSeconds", T(TASK)},
	{"HeartbeatSeconds", T(TASK)},
	{"Credentials", T(TASK)},
	{"Choices", T(CHOICE)},
	{"Default", T(CHOICE)},
	{"Seconds", T(WAIT)},
	{"Timestamp", T(WAIT)},
	{"Error", T(FAIL)},
	{"Cause", T(FAIL)},
	{"Branches", T(PARALLEL)},
	{"Items", T(MAP)},
	{"ItemSelector", T(MAP)},
	{"ItemProcessor", T(MAP)},
	{"Iterator", T(MAP)},
	{"MaxConcurrency", T(MAP)},
	{"ItemReader", T(MAP)},
	{"ItemBatcher", T(MAP)},
	{"ResultWriter", T(MAP)},
	{"ToleratedFailureCount", T(MAP)},
	{"ToleratedFailurePercentage", T(MAP)},
	{"Label", T(MAP)},
};

/* Fields of JSONPath only; in a JSONata state they are errors that say so. */
static const char *const jsonpath_only[] = {
	"InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Result",
	"TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
	"ErrorPath", "CausePath", "ItemsPath", "MaxConcurrencyPath",
	"ToleratedFailureCountPath", "ToleratedFailurePercentagePath", NULL
};

/* Whether s is in the NULL-ended list. */
static bool
listed(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/*
 * Reports each field a JSONata state of its type does not take, naming
 * JSONPath-only fields as such; marks the graph opaque when a transition
 * field is wrong.
 */
static void
check_fields(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	json_object_object_foreach(def, key, val)
	{
		bool		known = false;

		(void) val;
		for (size_t i = 0; i < sizeof jsonata_fields / sizeof jsonata_fields[0]; i++)
			if (strcmp(jsonata_fields[i].name, key) == 0)
			{
				known = true;
				if (jsonata_fields[i].types & (1u << st->type))
					goto next;
			}
		if (strcmp(key, "Next") == 0 || strcmp(key, "End") == 0 || strcmp(key, "Catch") == 0)
			asl_graph_set_opaque(b, gi);
		if (listed(jsonpath_only, key))
			asl_build_error(b, "INVALID_FIELD", st->pointer, key,
							"the field \"%s\" is JSONPath only; a JSONata state uses Arguments, Output and Assign with {%% %%} expressions", key);
		else if (known)
			asl_build_error(b, "UNKNOWN_FIELD", st->pointer, key,
							"a %s state does not accept the field \"%s\"", asl_state_type_name(st->type), key);
		else
			asl_build_error(b, "UNKNOWN_FIELD", st->pointer, key,
							"unknown field \"%s\" in a %s state", key, asl_state_type_name(st->type));
next:	;
	}
}

/* Compiles obj[field] when present (field relative to base; name as AWS quotes it). */
static struct asl_jvalue *
compile_field(asl_build *b, json_object *obj, const char *base, const char *field, const char *name)
{
	json_object *v;
	char	   *at;
	struct asl_jvalue *jv;

	if (!json_object_object_get_ex(obj, field, &v))
		return NULL;
	at = asl_build_pointer(b, base, field);
	if (at == NULL)
		return NULL;
	jv = asl_jvalue_compile(v, name, at, b->diags);
	free(at);
	return jv;
}

/* What a field's literal value (one that is not an expression) must be. */
typedef enum
{
	LIT_ANY,
	LIT_STRING,
	LIT_BOOLEAN,
	LIT_ARRAY,
	LIT_TIMESTAMP,
	LIT_INTEGER,				/* within [min, max] */
	LIT_NUMBER					/* within [min, max] */
} literal_kind;

/*
 * Compiles obj[field] as compile_field does, and checks it when it is
 * written literally: AWS validates a literal Seconds, MaxConcurrency, Error,
 * ... with the definition; only an expression's result waits for the run.
 */
static struct asl_jvalue *
compile_typed_as(asl_build *b, json_object *obj, const char *base, const char *field,
				 const char *name, literal_kind kind, double min, double max)
{
	json_object *v;
	asl_time	t;

	if (!json_object_object_get_ex(obj, field, &v))
		return NULL;
	if (!(json_object_is_type(v, json_type_string) && asl_jsonata_is_expr(json_object_get_string(v))))
	{
		switch (kind)
		{
			case LIT_ANY:
				break;
			case LIT_STRING:
				if (!json_object_is_type(v, json_type_string))
					asl_build_error(b, "WRONG_TYPE", base, field,
									"%s must be a string or a {%% %%} expression", field);
				break;
			case LIT_BOOLEAN:
				if (!json_object_is_type(v, json_type_boolean))
					asl_build_error(b, "WRONG_TYPE", base, field,
									"%s must be a boolean or a {%% %%} expression", field);
				break;
			case LIT_ARRAY:
				if (!json_object_is_type(v, json_type_array))
					asl_build_error(b, "WRONG_TYPE", base, field,
									"%s must be an array or a {%% %%} expression", field);
				break;
			case LIT_TIMESTAMP:
				if (!json_object_is_type(v, json_type_string) ||
					!asl_timestamp_parse(json_object_get_string(v), &t))
					asl_build_error(b, "INVALID_VALUE", base, field,
									"%s must be an ISO-8601 timestamp (2016-03-14T01:59:00Z) or a {%% %%} expression",
									field);
				break;
			case LIT_INTEGER:
				{
					int64_t		i;

					if (!asl_read_int(b, obj, base, field, (int64_t) min, (int64_t) max, &i))
						return NULL;
				}
				break;
			case LIT_NUMBER:
				{
					double		d;

					if (!asl_read_number(b, obj, base, field, min, max, &d))
						return NULL;
				}
				break;
		}
	}
	return compile_field(b, obj, base, field, name);
}

/* compile_typed_as with the field named in causes as it is in the definition */
static struct asl_jvalue *
compile_typed(asl_build *b, json_object *obj, const char *base, const char *field,
			  literal_kind kind, double min, double max)
{
	return compile_typed_as(b, obj, base, field, field, kind, min, max);
}

/*
 * Assign: an object whose keys are variable names (not "states", which is
 * $states, reserved) and whose values may be expressions.
 */
static struct asl_jvalue *
compile_assign(asl_build *b, json_object *obj, const char *base, const char *name)
{
	json_object *v;
	char	   *where;
	bool		ok = true;

	if (!json_object_object_get_ex(obj, "Assign", &v))
		return NULL;
	if (!json_object_is_type(v, json_type_object))
	{
		asl_build_error(b, "WRONG_TYPE", base, "Assign", "Assign must be an object of variables");
		return NULL;
	}
	if ((where = asl_build_pointer(b, base, "Assign")) == NULL)
		return NULL;
	{
		json_object_object_foreach(v, key, val)
		{
			(void) val;
			if (strcmp(key, "states") == 0)
			{
				asl_build_error(b, "INVALID_VALUE", where, key,
								"\"states\" is reserved: $states is the state's input, result and context");
				ok = false;
			}
			else if (!asl_variable_name_valid(key, strlen(key)))
			{
				asl_build_error(b, "INVALID_VALUE", where, key,
								"\"%s\" is not a valid variable name (a letter or _, then letters, digits or _, at most 80 characters)",
								key);
				ok = false;
			}
		}
	}
	free(where);
	return ok ? compile_field(b, obj, base, "Assign", name) : NULL;
}

/* A JSONata choice rule: a Condition, Next, and the rule's own Output and Assign. */
static bool
read_rule(asl_build *b, json_object *rule, const char *at, size_t index, asl_choice_rule *r)
{
	static const char *const rule_fields[] = {"Condition", "Next", "Output", "Assign", "Comment", NULL};
	const char *text;
	bool		next_known = true;

	/* a rule's fields as AWS names them in causes: "Choices[0]/Condition" */
	struct
	{
		char		condition[48],
					output[48],
					assign[48];
	}			names;

	snprintf(names.condition, sizeof names.condition, "Choices[%zu]/Condition", index);
	snprintf(names.output, sizeof names.output, "Choices[%zu]/Output", index);
	snprintf(names.assign, sizeof names.assign, "Choices[%zu]/Assign", index);

	/* evaluated as a Condition rule: kind and variable stay unused */
	r->kind = ASL_RULE_TEST;
	{
		json_object_object_foreach(rule, key, val)
		{
			(void) val;
			if (!listed(rule_fields, key))
				asl_build_error(b, "INVALID_FIELD", at, key,
								"a choice rule of a JSONata state takes Condition, Next, Output and Assign, not \"%s\"%s",
								key, strcmp(key, "Variable") == 0 || strcmp(key, "And") == 0 ||
								strcmp(key, "Or") == 0 || strcmp(key, "Not") == 0 ||
								strstr(key, "Equals") || strstr(key, "Than") || strncmp(key, "Is", 2) == 0 ?
								" (JSONPath comparison operators are not available: write a Condition)" : "");
		}
	}
	if (!json_object_object_get_ex(rule, "Condition", NULL))
		asl_build_error(b, "MISSING_FIELD", at, NULL, "a choice rule of a JSONata state needs a Condition");
	else
		r->condition = compile_typed_as(b, rule, at, "Condition", names.condition, LIT_BOOLEAN, 0, 0);
	if (asl_read_string(b, rule, at, "Next", &text))
		r->next_name = asl_build_strdup(b, text);
	else
	{
		if (!json_object_object_get_ex(rule, "Next", NULL))
			asl_build_error(b, "MISSING_FIELD", at, NULL, "a choice rule needs Next");
		next_known = false;
	}
	r->j_output = compile_field(b, rule, at, "Output", names.output);
	r->j_assign = compile_assign(b, rule, at, names.assign);
	return next_known;
}

/*
 * A JSONata Wait: exactly one of Seconds or Timestamp, either may be an
 * expression.
 */
static void
parse_wait(asl_build *b, asl_state *st, json_object *def)
{
	bool		s = json_object_object_get_ex(def, "Seconds", NULL);
	bool		t = json_object_object_get_ex(def, "Timestamp", NULL);

	if (s == t)
		asl_build_error(b, s ? "MUTUALLY_EXCLUSIVE_FIELDS" : "MISSING_FIELD", st->pointer, NULL,
						"a Wait state takes exactly one of Seconds or Timestamp");
	/* AWS: Seconds from 0 to 99999999; Timestamp RFC 3339 */
	st->j_seconds = compile_typed(b, def, st->pointer, "Seconds", LIT_INTEGER, 0, 99999999);
	st->j_timestamp = compile_typed(b, def, st->pointer, "Timestamp", LIT_TIMESTAMP, 0, 0);
}

/*
 * A JSONata Map: its processor and its expression fields; a Distributed
 * Map's reader, batcher and writer are refused.
 */
static void
parse_map(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	asl_parse_map_processor(b, st, def);

	/*
	 * as in JSONPath: validated and kept; the run refuses them
	 * (step_map_sources_supported)
	 */
	asl_parse_map_sources(b, st, def, true);
	st->j_items = compile_typed(b, def, st->pointer, "Items", LIT_ARRAY, 0, 0);
	st->j_item_selector = compile_field(b, def, st->pointer, "ItemSelector", "ItemSelector");
	st->j_max_concurrency = compile_typed(b, def, st->pointer, "MaxConcurrency", LIT_INTEGER, 0,
										  (double) ASL_MAX_COUNT);
	st->j_tolerated_count = compile_typed(b, def, st->pointer, "ToleratedFailureCount", LIT_INTEGER, 0,
										  (double) ASL_MAX_COUNT);
	st->j_tolerated_percentage = compile_typed(b, def, st->pointer, "ToleratedFailurePercentage",
											   LIT_NUMBER, 0, 100);

	/*
	 * presence decides whether failures are tolerated at all
	 * (step_branches.c)
	 */
	st->map.tolerated_failure_count.present = st->j_tolerated_count != NULL;
	st->map.tolerated_failure_percentage.present = st->j_tolerated_percentage != NULL;
	asl_parse_retry(b, st, def);
	asl_parse_catch(b, gi, st, def);
}

/* Arguments: an object (expressions inside) or one "{% %}" expression. */
static struct asl_jvalue *
compile_arguments(asl_build *b, asl_state *st, json_object *def)
{
	json_object *v;

	if (!json_object_object_get_ex(def, "Arguments", &v))
		return NULL;
	if (!json_object_is_type(v, json_type_object) &&
		!(json_object_is_type(v, json_type_string) && asl_jsonata_is_expr(json_object_get_string(v))))
	{
		asl_build_error(b, "WRONG_TYPE", st->pointer, "Arguments",
						"Arguments must be an object or a JSONata expression \"{%% ... %%}\"");
		return NULL;
	}
	return compile_field(b, def, st->pointer, "Arguments", "Arguments");
}

/* Task: Resource and the request (definition_task.c), Arguments, the timeouts. */
static void
parse_task(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	asl_parse_task_jsonata(b, st, def);
	st->j_arguments = compile_arguments(b, st, def);
	st->j_timeout = compile_field(b, def, st->pointer, "TimeoutSeconds", "TimeoutSeconds");
	st->j_heartbeat = compile_field(b, def, st->pointer, "HeartbeatSeconds", "HeartbeatSeconds");
	asl_parse_retry(b, st, def);
	asl_parse_catch(b, gi, st, def);
}

/* Parallel: its Branches (each in its own language), Arguments for all of them. */
static void
parse_parallel(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	asl_parse_parallel(b, st, def);
	st->j_arguments = compile_arguments(b, st, def);
	asl_parse_retry(b, st, def);
	asl_parse_catch(b, gi, st, def);
}

void
asl_parse_jsonata_state(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	check_fields(b, gi, st, def);
	if (st->type == ASL_STATE_PASS || st->type == ASL_STATE_WAIT || st->type == ASL_STATE_MAP ||
		st->type == ASL_STATE_TASK || st->type == ASL_STATE_PARALLEL)
		asl_parse_transition(b, gi, st, def);
	if (st->type != ASL_STATE_FAIL)
		st->j_output = compile_field(b, def, st->pointer, "Output", "Output");
	if (st->type != ASL_STATE_FAIL && st->type != ASL_STATE_SUCCEED)
		st->j_assign = compile_assign(b, def, st->pointer, "Assign");
	switch (st->type)
	{
		case ASL_STATE_MAP:
			parse_map(b, gi, st, def);
			break;
		case ASL_STATE_TASK:
			parse_task(b, gi, st, def);
			break;
		case ASL_STATE_PARALLEL:
			parse_parallel(b, gi, st, def);
			break;
		case ASL_STATE_CHOICE:
			asl_parse_choices(b, gi, st, def, read_rule);
			break;
		case ASL_STATE_WAIT:
			parse_wait(b, st, def);
			break;
		case ASL_STATE_FAIL:
			st->j_error = compile_typed(b, def, st->pointer, "Error", LIT_STRING, 0, 0);
			st->j_cause = compile_typed(b, def, st->pointer, "Cause", LIT_STRING, 0, 0);
			break;
		default:
			break;
	}
}

void
asl_jsonata_state_release(asl_state *st)
{
	asl_jvalue_free(st->j_arguments);
	asl_jvalue_free(st->j_output);
	asl_jvalue_free(st->j_assign);
	asl_jvalue_free(st->j_seconds);
	asl_jvalue_free(st->j_timestamp);
	asl_jvalue_free(st->j_error);
	asl_jvalue_free(st->j_cause);
	asl_jvalue_free(st->j_timeout);
	asl_jvalue_free(st->j_heartbeat);
	asl_jvalue_free(st->j_items);
	asl_jvalue_free(st->j_item_selector);
	asl_jvalue_free(st->j_max_concurrency);
	asl_jvalue_free(st->j_tolerated_count);
	asl_jvalue_free(st->j_tolerated_percentage);
	for (size_t i = 0; i < st->n_choices; i++)
	{
		asl_jvalue_free(st->choices[i].condition);
		asl_jvalue_free(st->choices[i].j_output);
		asl_jvalue_free(st->choices[i].j_assign);
	}
}
