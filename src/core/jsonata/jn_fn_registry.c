/*
 * jn_fn_registry.c — finds a built-in function by name; parses each
 * signature once, on first use.
 */
#include "jsonata/jn_fn.h"

#include <string.h>

jn_builtin *const jn_builtin_tables[] = {
	jn_fn_aws, jn_fn_strings, jn_fn_regex, jn_fn_numbers, jn_fn_arrays, jn_fn_objects, jn_fn_format, jn_fn_dates,
	NULL
};

jn_builtin *
jn_builtin_lookup(const char *name, size_t len)
{
	for (jn_builtin *const *t = jn_builtin_tables; *t; t++)
		for (jn_builtin *b = *t; b->name; b++)
			if (strlen(b->name) == len && memcmp(b->name, name, len) == 0)
			{
				if (!b->sig_parsed)
				{
					if (jn_sig_parse(b->signature, strlen(b->signature), &b->sig) != NULL)
						return NULL;
					b->sig_parsed = true;
				}
				return b;
			}
	return NULL;
}
