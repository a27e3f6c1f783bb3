/*
 * unit_diags.h — what the unit tests ask of a compiler's diagnostics: whether
 * one with a code stands at a JSON pointer, and all of them printed when a
 * check fails. Shared by the tests of choice rules, definitions,
 * substitutions and templates.
 */
#ifndef BOOKING_UNIT_DIAGS_H
#define BOOKING_UNIT_DIAGS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"

/* Whether d holds a diagnostic of severity sev with code at pointer. */
static inline bool
has_diag_of(const asl_diags *d, asl_severity sev, const char *code, const char *pointer)
{
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].severity == sev && strcmp(d->items[i].code, code) == 0 &&
			strcmp(d->items[i].location, pointer) == 0)
			return true;
	return false;
}

/* Whether d holds a diagnostic of any severity with code at pointer. */
static inline bool
has_diag(const asl_diags *d, const char *code, const char *pointer)
{
	for (size_t i = 0; i < d->count; i++)
		if (strcmp(d->items[i].code, code) == 0 && strcmp(d->items[i].location, pointer) == 0)
			return true;
	return false;
}

/* Prints every diagnostic of d to stderr, to explain a failed check. */
static inline void
dump_diags(const asl_diags *d)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(stderr, "    got %s %s at \"%s\": %s\n", asl_severity_name(d->items[i].severity),
				d->items[i].code, d->items[i].location, d->items[i].message);
}

#endif							/* BOOKING_UNIT_DIAGS_H */
