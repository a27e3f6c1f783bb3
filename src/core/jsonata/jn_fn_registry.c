/*
 * jn_fn_registry.c — finds a built-in function by name; parses each
 * signature once, on first use.
 */
#include "jsonata/jn_fn.h"

#include <stdint.h>
#include <string.h>

jn_builtin *const jn_builtin_tables[] = {
	jn_fn_aws, jn_fn_strings, jn_fn_regex, jn_fn_numbers, jn_fn_arrays, jn_fn_objects, jn_fn_format, jn_fn_dates,
	NULL
};

/*
 * Names to builtins, built on the first lookup: every call of a builtin
 * looks its name up (a binding may shadow it), and a walk over all the
 * tables comparing names cost more than many a whole evaluation. Open
 * addressing; the first table naming a function wins, as in the walk.
 */
#define BUILTIN_SLOTS 1024
static jn_builtin *builtin_slot[BUILTIN_SLOTS];
static size_t builtin_len[BUILTIN_SLOTS];
static bool builtin_hashed;

static void
builtin_hash(void)
{
	for (jn_builtin *const *t = jn_builtin_tables; *t; t++)
		for (jn_builtin *b = *t; b->name; b++)
		{
			size_t		len = strlen(b->name);
			size_t		h = jn_hash_name(b->name, len) & (BUILTIN_SLOTS - 1);

			while (builtin_slot[h] &&
				   !(builtin_len[h] == len && memcmp(builtin_slot[h]->name, b->name, len) == 0))
				h = (h + 1) & (BUILTIN_SLOTS - 1);
			if (builtin_slot[h] == NULL)
			{
				builtin_slot[h] = b;
				builtin_len[h] = len;
			}
		}
	builtin_hashed = true;
}

jn_builtin *
jn_builtin_lookup(const char *name, size_t len)
{
	size_t		h;
	jn_builtin *b;

	if (!builtin_hashed)
		builtin_hash();
	for (h = jn_hash_name(name, len) & (BUILTIN_SLOTS - 1); (b = builtin_slot[h]) != NULL; h = (h + 1) & (BUILTIN_SLOTS - 1))
		if (builtin_len[h] == len && memcmp(b->name, name, len) == 0)
		{
			if (!b->sig_parsed)
			{
				size_t		at;

				if (jn_sig_parse(b->signature, strlen(b->signature), &b->sig, &at) != NULL)
					return NULL;
				b->sig_parsed = true;
			}
			return b;
		}
	return NULL;
}
