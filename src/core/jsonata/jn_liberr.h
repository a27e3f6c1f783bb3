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
#include <stddef.h>
#include <stdio.h>

typedef struct jn_liberr
{
	const char *code;			/* "D3130", … ; static storage */
	char		message[200];
} jn_liberr;

/* Fills e with code and a printf-style message (truncated to fit). */
static inline void jn_liberr_set(jn_liberr *e, const char *code, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

static inline void
jn_liberr_set(jn_liberr *e, const char *code, const char *fmt,...)
{
	va_list		ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

/*
 * Writes s[0..len) as JSON.stringify writes a string (quotes, escapes) into
 * dst (cap bytes, NUL terminated), for the {{value}} of JSONata's message
 * templates. A long string is cut at a character boundary to fit.
 */
static inline void
jn_liberr_json_quote(char *dst, size_t cap, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t		k = 0,
				i;

	if (cap < 3)
	{
		if (cap)
			dst[0] = '\0';
		return;
	}
	dst[k++] = '"';
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc[7];
		size_t		n = 0,
					j;

		if (c == '"' || c == '\\')
		{
			esc[n++] = '\\';
			esc[n++] = (char) c;
		}
		else if (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f')
		{
			esc[n++] = '\\';
			esc[n++] = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : c == '\b' ? 'b' : 'f';
		}
		else if (c < 0x20)
		{
			esc[n++] = '\\';
			esc[n++] = 'u';
			esc[n++] = '0';
			esc[n++] = '0';
			esc[n++] = hex[c >> 4];
			esc[n++] = hex[c & 15];
		}
		else
		{
			/* a whole UTF-8 sequence at once, so a cut never splits it */
			esc[n++] = (char) c;
			while (i + 1 < len && n < 4 && ((unsigned char) s[i + 1] & 0xC0) == 0x80)
				esc[n++] = s[++i];
		}
		if (k + n + 2 > cap)
			break;
		for (j = 0; j < n; j++)
			dst[k++] = esc[j];
	}
	dst[k++] = '"';
	dst[k] = '\0';
}

#endif
