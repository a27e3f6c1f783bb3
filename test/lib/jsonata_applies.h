/*
 * jsonata_applies.h — which cases of the JSONata suite apply to booking's
 * core: not those that need JSONata 2.1 operators (?? and ?:) or $eval, nor
 * those that count a JavaScript evaluator's frames. Shared by the suite's
 * unit tests (test_jsonata_suite.c, test_jsonata_shared.c).
 */
#ifndef BOOKING_JSONATA_APPLIES_H
#define BOOKING_JSONATA_APPLIES_H

#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

static bool
applies(json_object *c)
{
	json_object *g,
			   *k;
	const char *group,
			   *name;

	json_object_object_get_ex(c, "group", &g);
	json_object_object_get_ex(c, "case", &k);
	group = json_object_get_string(g);
	name = json_object_get_string(k);
	if (strcmp(group, "coalescing-operator") == 0 || strcmp(group, "default-operator") == 0 ||
		strcmp(group, "function-eval") == 0)
		return false;
	if (strcmp(group, "tail-recursion") == 0 &&
		(strcmp(name, "case002") == 0 || strcmp(name, "case005") == 0 || strcmp(name, "case006") == 0))
		return false;
	return true;
}

#endif
