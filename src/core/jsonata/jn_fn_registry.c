/*
 * jn_fn_registry.c — finds a built-in function by name; parses each
 * signature once, on first use.
 */
#include "jsonata/jn_fn.h"

#include <string.h>

static jn_builtin *const tables[] = {
	jn_fn_aws, jn_fn_strings, jn_fn_regex, jn_fn_numbers, jn_fn_arrays, jn_fn_objects, jn_fn_format, jn_fn_dates
};

jn_builtin *
jn_builtin_lookup(const char *name, size_t len)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (jn_builtin *b = tables[t]; b->name; b++)
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
