/*
 * definition_jsonata.c — a state whose QueryLanguage is JSONata: the fields
 * it accepts, the JSONPath fields it refuses (located), and its "{% %}"
 * expressions, compiled once here.
 *
 * Runs here: Pass, Choice, Wait, Succeed, Fail and Map (inline). Task and
 * Parallel written in JSONata, a catcher's Output/Assign and a Distributed
 * Map's reader/batcher/writer are reported as not supported rather than run
 * with the wrong meaning.
 */
#include "definition_impl.h"

#include <stdlib.h>
#include <string.h>

#include "choice.h"
#include "jsonata_value.h"

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

/* Assign: an object whose values may be expressions. */
static struct asl_jvalue *
compile_assign(asl_build *b, json_object *obj, const char *base)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, "Assign", &v))
		return NULL;
	if (!json_object_is_type(v, json_type_object))
	{
		asl_build_error(b, "WRONG_TYPE", base, "Assign", "Assign must be an object of variables");
		return NULL;
	}
	return compile_field(b, obj, base, "Assign", "Assign");
}

/* A JSONata choice rule: a Condition, Next, and the rule's own Output and Assign. */
static bool
read_rule(asl_build *b, json_object *rule, const char *at, asl_choice_rule *r)
{
	static const char *const rule_fields[] = {"Condition", "Next", "Output", "Assign", "Comment", NULL};
	const char *text;
	bool		next_known = true;

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
		r->condition = compile_field(b, rule, at, "Condition", "Condition");
	if (asl_read_string(b, rule, at, "Next", &text))
		r->next_name = asl_build_strdup(b, text);
	else
	{
		if (!json_object_object_get_ex(rule, "Next", NULL))
			asl_build_error(b, "MISSING_FIELD", at, NULL, "a choice rule needs Next");
		next_known = false;
	}
	r->j_output = compile_field(b, rule, at, "Output", "Output");
	r->j_assign = compile_assign(b, rule, at);
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
	st->j_seconds = compile_field(b, def, st->pointer, "Seconds", "Seconds");
	st->j_timestamp = compile_field(b, def, st->pointer, "Timestamp", "Timestamp");
}

/*
 * Reports catchers with Output or Assign, which JSONata states do not run
 * yet.
 */
static void
refuse_catcher_fields(asl_build *b, asl_state *st, json_object *def)
{
	json_object *list = asl_field(def, "Catch");

	if (!json_object_is_type(list, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(list); i++)
	{
		json_object *c = json_object_array_get_idx(list, i);

		if (json_object_object_get_ex(c, "Output", NULL) || json_object_object_get_ex(c, "Assign", NULL))
		{
			char	   *base = asl_build_pointer(b, st->pointer, "Catch");
			char	   *at = asl_build_pointer_index(b, base, i);

			asl_build_error(b, "UNSUPPORTED_FEATURE", at, NULL,
							"booking does not yet run Output or Assign in the catchers of JSONata states");
			free(base);
			free(at);
		}
	}
}

/*
 * A JSONata Map: its processor and its expression fields; a Distributed
 * Map's reader, batcher and writer are refused.
 */
static void
parse_map(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	static const char *const distributed[] = {"ItemReader", "ItemBatcher", "ResultWriter", NULL};

	asl_parse_map_processor(b, st, def);
	for (const char *const *f = distributed; *f; f++)
		if (json_object_object_get_ex(def, *f, NULL))
			asl_build_error(b, "UNSUPPORTED_FEATURE", st->pointer, *f,
							"booking does not run %s in JSONata Map states", *f);
	st->j_items = compile_field(b, def, st->pointer, "Items", "Items");
	st->j_item_selector = compile_field(b, def, st->pointer, "ItemSelector", "ItemSelector");
	st->j_max_concurrency = compile_field(b, def, st->pointer, "MaxConcurrency", "MaxConcurrency");
	st->j_tolerated_count = compile_field(b, def, st->pointer, "ToleratedFailureCount", "ToleratedFailureCount");
	st->j_tolerated_percentage = compile_field(b, def, st->pointer, "ToleratedFailurePercentage",
											   "ToleratedFailurePercentage");
	/* presence decides whether failures are tolerated at all (step_branches.c) */
	st->map.tolerated_failure_count.present = st->j_tolerated_count != NULL;
	st->map.tolerated_failure_percentage.present = st->j_tolerated_percentage != NULL;
	asl_parse_retry(b, st, def);
	refuse_catcher_fields(b, st, def);
	asl_parse_catch(b, gi, st, def);
}

void
asl_parse_jsonata_state(asl_build *b, size_t gi, asl_state *st, json_object *def)
{
	check_fields(b, gi, st, def);
	if (st->type == ASL_STATE_PARALLEL || st->type == ASL_STATE_TASK)
	{
		asl_build_error(b, "UNSUPPORTED_FEATURE", st->pointer, NULL,
						"booking does not yet run %s states written in JSONata; write this state with JSONPath",
						asl_state_type_name(st->type));
		asl_graph_set_opaque(b, gi);
		return;
	}
	if (st->type == ASL_STATE_PASS || st->type == ASL_STATE_WAIT || st->type == ASL_STATE_MAP)
		asl_parse_transition(b, gi, st, def);
	if (st->type != ASL_STATE_FAIL)
		st->j_output = compile_field(b, def, st->pointer, "Output", "Output");
	if (st->type != ASL_STATE_FAIL && st->type != ASL_STATE_SUCCEED)
		st->j_assign = compile_assign(b, def, st->pointer);
	switch (st->type)
	{
		case ASL_STATE_MAP:
			parse_map(b, gi, st, def);
			break;
		case ASL_STATE_CHOICE:
			asl_parse_choices(b, gi, st, def, read_rule);
			break;
		case ASL_STATE_WAIT:
			parse_wait(b, st, def);
			break;
		case ASL_STATE_FAIL:
			st->j_error = compile_field(b, def, st->pointer, "Error", "Error");
			st->j_cause = compile_field(b, def, st->pointer, "Cause", "Cause");
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
