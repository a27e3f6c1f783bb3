/*
 * strbuf.h — a growable, NUL-terminated byte buffer (malloc'd).
 *
 * Out of memory is sticky: later appends do nothing and `oom` stays set, so
 * a caller checks once at the end.
 */
#ifndef ASL_STRBUF_H
#define ASL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct asl_strbuf
{
	char	   *data;			/* NULL until the first append; the caller
								 * frees it */
	size_t		len;
	size_t		cap;
	bool		oom;
} asl_strbuf;

/* Appends n bytes of s (which need not be NUL-terminated). */
void		asl_strbuf_add(asl_strbuf *b, const char *s, size_t n);

#endif
