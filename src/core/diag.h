/*
 * diag.h — validation diagnostics: every problem in a definition at once.
 *
 * Each diagnostic carries a severity, a stable code (see docs/validation.md),
 * an RFC 6901 JSON pointer into the definition and a message.
 */
#ifndef ASL_DIAG_H
#define ASL_DIAG_H

#include <stddef.h>

typedef enum asl_severity
{
	ASL_SEV_ERROR,
	ASL_SEV_WARNING
} asl_severity;

typedef struct asl_diag
{
	asl_severity severity;
	const char *code;			/* static string, e.g. "UNKNOWN_FIELD" */
	char	   *location;		/* malloc'd JSON pointer, "" for the root */
	char	   *message;		/* malloc'd */
} asl_diag;

typedef struct asl_diags
{
	asl_diag   *items;
	size_t		count;
	size_t		capacity;
	size_t		errors;			/* how many of items are ASL_SEV_ERROR */
} asl_diags;

void		asl_diags_init(asl_diags *d);
void		asl_diags_free(asl_diags *d);
void		asl_diag_add(asl_diags *d, asl_severity sev, const char *code,
						 const char *pointer, const char *fmt,...)
			__attribute__((format(printf, 5, 6)));
const char *asl_severity_name(asl_severity sev);

/* Drops diagnostics from index `from` on whose location an earlier one names. */
void		asl_diags_drop_repeated_locations(asl_diags *d, size_t from);

/*
 * JSON pointers (RFC 6901): returns a malloc'd "base/token" with '~' and '/'
 * in token escaped as "~0" and "~1". asl_pointer_index appends a number.
 */
char	   *asl_pointer_join(const char *base, const char *token);
char	   *asl_pointer_index(const char *base, size_t index);

#endif
