/*
 * jn_datetime.h — $fromMillis and $toMillis: instants as milliseconds since
 * 1970-01-01T00:00:00Z (the proleptic Gregorian calendar, no leap seconds,
 * as JavaScript's Date), formatted and parsed with XPath F&O 3.1
 * format-dateTime picture strings as JSONata implements them.
 *
 * Strings are UTF-8 with explicit lengths. Results are malloc'd, NUL
 * terminated (caller frees); *out_len, when not NULL, gets the byte length.
 */
#ifndef JN_DATETIME_H
#define JN_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonata/jn_liberr.h"

/* JavaScript's Date range: ±8.64e15 ms. */
#define JN_MILLIS_MAX INT64_C(8640000000000000)

/*
 * $fromMillis(millis, picture, timezone). millis is the JSONata number
 * (fractions are truncated toward zero, as new Date(millis) does).
 * picture NULL: JSONata's ISO 8601 picture
 * "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]", so
 * "2018-01-01T00:00:00.000Z" in UTC and "2018-01-01T05:30:00.000+05:30"
 * with a timezone. Otherwise the picture's components [Y0001] [M01] [MNn]
 * [D01] [d] [F] [FNn] [W] [w] [X] [x] [xNn] [H01] [h] [m01] [s01] [f001]
 * [P] [Z01:01] [z] [C] [E] … with presentation and width modifiers.
 * timezone NULL means UTC; otherwise "±HHMM" (JSONata: parseInt, hours =
 * floor(n/100), minutes = n % 100).
 * Errors: D3132 (unknown component), D3133 (name modifier on a numeric
 * component), D3134 (timezone integer format with more than four digits),
 * D3135 (no closing ']'), D3130/D3131 (bad integer presentation), and
 * code "TypeError" for the one picture JavaScript's JSONata crashes on
 * (fractional seconds with a name modifier, [fN]), code "RangeError" for a
 * width modifier beyond 10^6 (JavaScript fails padding to it). A
 * millis that is not finite or outside ±JN_MILLIS_MAX fails with code
 * "RangeError", message "Invalid time value": JavaScript throws that
 * (not a JSONata error) from Date; the caller decides how to report it.
 */
char	   *jn_from_millis(double millis, const char *picture, size_t picture_len,
						   const char *timezone, size_t timezone_len,
						   size_t *out_len, jn_liberr *err);

/*
 * $toMillis(timestamp, picture).
 * picture NULL: the timestamp must match JSONata's ISO 8601 pattern
 * (otherwise D3110), and is read as JavaScript's Date.parse reads it (a
 * time without an offset is UTC here); an impossible date gives NaN.
 * With a picture: the timestamp is read according to it (JSONata's
 * parseDateTime, case-insensitive); a timestamp that does not match, or a
 * picture without any component, gives undefined. Components the picture
 * lacks are taken from now_ms (the evaluation's $now(), in ms) when they
 * are more significant than the ones given, and are zero (one for month
 * and day) when less significant.
 * Returns 1 and sets *out (which may be NaN), 0 for undefined, -1 on
 * error: D3110, D3136 (a gap in the components, or a week-based date,
 * which JSONata cannot parse), and the picture errors of jn_from_millis.
 */
int			jn_to_millis(const char *timestamp, size_t len, const char *picture, size_t picture_len,
						 double now_ms, double *out, jn_liberr *err);

#endif
