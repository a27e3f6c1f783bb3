/*
 * definition_warn.c — PASS_RESULT_IS_STATIC, AWS's warning for a Pass Result
 * that holds paths: Result is never evaluated, so "$.x" stays that text.
 * (NO_DOLLAR, its twin for templates, is template.c's: both use
 * asl_template_looks_evaluated.)
 */
#include "definition_impl.h"

#include <stdlib.h>
#include <string.h>

#include "template.h"

static void walk_static(asl_build *b, json_object *v, const char *pointer, int depth);

/* Calls walk on each element of an array that is itself an object or array. */
static void
walk_array(asl_build *b, json_object *v, const char *pointer, int depth,
		   void (*walk) (asl_build *, json_object *, const char *, int))
{
	size_t		n = json_object_array_length(v);

	for (size_t i = 0; i < n; i++)
	{
		json_object *item = json_object_array_get_idx(v, i);
		char	   *p;

		if (!json_object_is_type(item, json_type_object) &&
			!json_object_is_type(item, json_type_array))
			continue;
		p = asl_build_pointer_index(b, pointer, i);
		if (p == NULL)
			return;
		walk(b, item, p, depth + 1);
		free(p);
	}
}

/* Walks into val at pointer/key with walk when it is an object or array. */
static void
descend(asl_build *b, json_object *val, const char *pointer, const char *key, int depth,
		void (*walk) (asl_build *, json_object *, const char *, int))
{
	char	   *p;

	if (!json_object_is_type(val, json_type_object) &&
		!json_object_is_type(val, json_type_array))
		return;
	p = asl_build_pointer(b, pointer, key);
	if (p == NULL)
		return;
	walk(b, val, p, depth + 1);
	free(p);
}

/*
 * Warns about members of a Pass Result that look like paths or intrinsic
 * calls (which Result never evaluates), then descends.
 */
static void
object_static(asl_build *b, json_object *v, const char *pointer, int depth)
{
	json_object_object_foreach(v, key, val)
	{
		if (asl_template_is_dollar_key(key, strlen(key)) ||
			(json_object_is_type(val, json_type_string) &&
			 asl_template_looks_evaluated(json_object_get_string(val))))
			asl_build_warning(b, "PASS_RESULT_IS_STATIC", pointer, key,
							  "Result is static: \"%s\" is copied as written, not evaluated; use Parameters to build a result from paths",
							  key);
		else
			descend(b, val, pointer, key, depth, walk_static);
	}
}

/* object_static over every object in v, to ASL_MAX_WALK_DEPTH. */
static void
walk_static(asl_build *b, json_object *v, const char *pointer, int depth)
{
	if (depth > ASL_MAX_WALK_DEPTH)
		return;
	if (json_object_is_type(v, json_type_array))
		walk_array(b, v, pointer, depth, walk_static);
	else if (json_object_is_type(v, json_type_object))
		object_static(b, v, pointer, depth);
}

void
asl_warn_static_result(asl_build *b, json_object *result, const char *pointer)
{
	walk_static(b, result, pointer, 0);
}
