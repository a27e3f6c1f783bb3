/*
 * error.c — ASL runtime errors as values.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
asl_error_set(asl_error *err, const char *name, const char *fmt,...)
{
	va_list		ap;
	char	   *cause = NULL;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	if (vasprintf(&cause, fmt, ap) < 0)
		cause = NULL;
	va_end(ap);
	asl_error_clear(err);
	err->name = strdup(name);
	err->cause = cause;
	return -1;
}

void
asl_error_clear(asl_error *err)
{
	if (err == NULL)
		return;
	free(err->name);
	free(err->cause);
	err->name = NULL;
	err->cause = NULL;
}

bool
asl_error_is_set(const asl_error *err)
{
	return err != NULL && err->name != NULL;
}
