/*
 * diag.c — validation diagnostics and JSON pointers.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
asl_diags_init(asl_diags *d)
{
	memset(d, 0, sizeof(*d));
}

void
asl_diags_free(asl_diags *d)
{
	for (size_t i = 0; i < d->count; i++)
	{
		free(d->items[i].location);
		free(d->items[i].message);
	}
	free(d->items);
	memset(d, 0, sizeof(*d));
}

void
asl_diag_add(asl_diags *d, asl_severity sev, const char *code,
			 const char *pointer, const char *fmt,...)
{
	va_list		ap;
	asl_diag   *item;

	if (d->count == d->capacity)
	{
		size_t		cap = d->capacity ? d->capacity * 2 : 8;
		asl_diag   *grown = realloc(d->items, cap * sizeof(asl_diag));

		if (grown == NULL)
			return;				/* out of memory: drop the diagnostic, never
								 * crash */
		d->items = grown;
		d->capacity = cap;
	}
	item = &d->items[d->count];
	item->severity = sev;
	item->code = code;
	item->location = strdup(pointer ? pointer : "");
	va_start(ap, fmt);
	if (vasprintf(&item->message, fmt, ap) < 0)
		item->message = NULL;
	va_end(ap);
	if (item->location == NULL || item->message == NULL)
	{
		free(item->location);
		free(item->message);
		return;
	}
	d->count++;
	if (sev == ASL_SEV_ERROR)
		d->errors++;
}

const char *
asl_severity_name(asl_severity sev)
{
	return sev == ASL_SEV_ERROR ? "ERROR" : "WARNING";
}

char	   *
asl_pointer_join(const char *base, const char *token)
{
	size_t		blen = strlen(base);
	size_t		extra = 0;
	char	   *out,
			   *p;

	for (const char *t = token; *t; t++)
		extra += (*t == '~' || *t == '/') ? 2 : 1;
	out = malloc(blen + 1 + extra + 1);
	if (out == NULL)
		return NULL;
	memcpy(out, base, blen);
	p = out + blen;
	*p++ = '/';
	for (const char *t = token; *t; t++)
	{
		if (*t == '~')
		{
			*p++ = '~';
			*p++ = '0';
		}
		else if (*t == '/')
		{
			*p++ = '~';
			*p++ = '1';
		}
		else
			*p++ = *t;
	}
	*p = '\0';
	return out;
}

char	   *
asl_pointer_index(const char *base, size_t index)
{
	char		num[32];

	snprintf(num, sizeof(num), "%zu", index);
	return asl_pointer_join(base, num);
}

/*
 * Drops diagnostics from index `from` on whose location is already named by
 * one before it: a placeholder reported by substitution need not be reported
 * again as an invalid Resource by the compiler.
 */
void
asl_diags_drop_repeated_locations(asl_diags *d, size_t from)
{
	size_t		kept = from;

	for (size_t i = from; i < d->count; i++)
	{
		asl_diag   *item = &d->items[i];
		bool		repeated = false;

		for (size_t j = 0; j < from && !repeated; j++)
			repeated = strcmp(d->items[j].location, item->location) == 0;
		if (repeated)
		{
			if (item->severity == ASL_SEV_ERROR)
				d->errors--;
			free(item->location);
			free(item->message);
		}
		else
			d->items[kept++] = *item;
	}
	d->count = kept;
}
