/*
 * jn_liberr.h — the error value of JSONata's support library (jn_numfmt,
 * jn_picture, jn_datetime, jn_regex, jn_text).
 *
 * A function that can fail takes a jn_liberr * (never NULL) and, on failure,
 * sets code to JSONata's error code (a static string such as "D3130") and
 * message to a readable sentence (JSONata's own wording where it has one).
 * On success the struct is left untouched. Nothing here is global: the
 * library is thread-safe.
 */
#ifndef JN_LIBERR_H
#define JN_LIBERR_H

#include <stdarg.h>
#include <stdio.h>

typedef struct jn_liberr
{
	const char *code;			/* "D3130", … ; static storage */
	char		message[200];
} jn_liberr;

/* Fills e with code and a printf-style message (truncated to fit). */
static inline void jn_liberr_set(jn_liberr *e, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static inline void
jn_liberr_set(jn_liberr *e, const char *code, const char *fmt, ...)
{
	va_list		ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

#endif
