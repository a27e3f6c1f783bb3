/*
 * definition_choices.c — a Choice state's Default and Choices array, read the
 * same way whatever the state's query language; each rule goes to that
 * language's own reader (definition_states.c for JSONPath comparisons,
 * definition_jsonata.c for JSONata Conditions).
 */
#include "definition_impl.h"

#include <stdlib.h>

void
asl_parse_choices(asl_build *b, size_t gi, asl_state *st, json_object *def,
				  asl_rule_reader read_rule)
{
	json_object *list = asl_field(def, "Choices");
	const char *dflt;
	char	   *lbase;
	size_t		n;

	if (json_object_object_get_ex(def, "Default", NULL))
	{
		if (asl_read_string(b, def, st->pointer, "Default", &dflt))
			st->default_name = asl_build_strdup(b, dflt);
		else
			asl_graph_set_opaque(b, gi);
	}
	if (!json_object_object_get_ex(def, "Choices", NULL))
	{
		asl_build_error(b, "MISSING_FIELD", st->pointer, NULL, "a Choice state needs Choices");
		asl_graph_set_opaque(b, gi);
		return;
	}
	if (!json_object_is_type(list, json_type_array))
	{
		asl_build_error(b, "WRONG_TYPE", st->pointer, "Choices", "Choices must be an array of rules");
		asl_graph_set_opaque(b, gi);
		return;
	}
	n = json_object_array_length(list);
	if (n == 0)
	{
		asl_build_error(b, "INVALID_VALUE", st->pointer, "Choices", "Choices must hold at least one rule");
		asl_graph_set_opaque(b, gi);
		return;
	}
	lbase = asl_build_pointer(b, st->pointer, "Choices");
	st->choices = calloc(n, sizeof(asl_choice_rule));
	if (lbase == NULL || st->choices == NULL)
	{
		b->oom = true;
		free(lbase);
		return;
	}
	st->n_choices = n;
	for (size_t i = 0; i < n; i++)
	{
		json_object *rule = json_object_array_get_idx(list, i);
		char	   *at = asl_build_pointer_index(b, lbase, i);

		if (at == NULL)
			break;
		if (!json_object_is_type(rule, json_type_object))
		{
			asl_build_error(b, "WRONG_TYPE", at, NULL, "a choice rule must be an object");
			asl_graph_set_opaque(b, gi);
		}
		else if (!read_rule(b, rule, at, i, &st->choices[i]))
			asl_graph_set_opaque(b, gi);
		free(at);
	}
	free(lbase);
}
