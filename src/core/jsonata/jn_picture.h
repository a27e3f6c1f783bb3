/*
 * jn_picture.h — JSONata's number pictures: $formatNumber (XPath F&O 3.1
 * fn:format-number), $formatInteger / $parseInteger (fn:format-integer and
 * its inverse), $formatBase.
 *
 * Strings are UTF-8. Results are malloc'd, NUL terminated (the caller
 * frees them); *out_len, when not NULL, receives the byte length. On
 * failure a function returns NULL (or false) and fills err; out of memory
 * is reported as code "D0000" with message "out of memory".
 */
#ifndef JN_PICTURE_H
#define JN_PICTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "jsonata/jn_liberr.h"

/*
 * The decimal format of $formatNumber's third argument. Each member is a
 * NUL-terminated UTF-8 string; for the single-character properties only
 * the first character counts (as JSONata takes charAt(0)). Start from
 * jn_decimal_format_default() and replace the members the options object
 * names (its keys are the strings in the comments).
 */
typedef struct jn_decimal_format
{
	const char *decimal_separator;	/* "decimal-separator"  "." */
	const char *grouping_separator;	/* "grouping-separator" "," */
	const char *exponent_separator;	/* "exponent-separator" "e" */
	const char *infinity;		/* "infinity"           "Infinity" (a string) */
	const char *nan;			/* "NaN"                "NaN" (a string) */
	const char *minus_sign;		/* "minus-sign"         "-" */
	const char *percent;		/* "percent"            "%" */
	const char *per_mille;		/* "per-mille"          "‰" (U+2030) */
	const char *zero_digit;		/* "zero-digit"         "0" (first of ten consecutive digits) */
	const char *digit;			/* "digit"              "#" */
	const char *pattern_separator;	/* "pattern-separator"  ";" */
} jn_decimal_format;

/* JSONata's defaults (the strings above; static storage). */
void		jn_decimal_format_default(jn_decimal_format *fmt);

/*
 * Sets the member named by an options key ("decimal-separator", …) to
 * value (not copied: it must outlive the format). Returns false when the
 * key is not one of the eleven (JSONata ignores such keys; so may the
 * caller).
 */
bool		jn_decimal_format_set(jn_decimal_format *fmt, const char *key, const char *value);

/*
 * $formatNumber(value, picture, options). fmt NULL means the defaults.
 * Errors: D3080 (more than one pattern separator), D3081 (several decimal
 * separators), D3082 (several percent/per-mille), D3083 (percent and
 * per-mille), D3084 (no digit), D3085 (passive character between active
 * ones), D3086 (grouping separator next to the decimal separator), D3087
 * (grouping separator at the end of the integer part), D3088 (grouping
 * separators adjacent), D3089 (optional digit after a mandatory one in the
 * integer part), D3090 (mandatory digit after an optional one in the
 * fraction), D3091/D3092/D3093 (exponent part problems) — JSONata's codes.
 */
char	   *jn_format_number(double value, const char *picture, size_t picture_len,
							 const jn_decimal_format *fmt, size_t *out_len, jn_liberr *err);

/*
 * $formatInteger(value, picture): value is first rounded half to even to
 * an integer (JSONata's round). Pictures: a decimal digit pattern
 * ("0", "000", "#,##0", "①", other Unicode decimal digit families),
 * "w" "W" "Ww" (English words), "i" "I" (roman), "a" "A" (letters),
 * each with an optional ";" modifier "o" (ordinal) or "c" (cardinal),
 * "t" ignored. Errors: D3130 (unsupported format such as "#" alone or an
 * unsupported primary token — JSONata falls back to "0" for unknown
 * tokens; see the .c), D3131 (digits from different decimal groups).
 */
char	   *jn_format_integer(double value, const char *picture, size_t picture_len,
							  size_t *out_len, jn_liberr *err);

/*
 * $parseInteger(string, picture): the inverse of jn_format_integer.
 * Returns 1 and sets *out when the string was read, 0 when JSONata's
 * result is undefined (e.g. a word or letter sequence it cannot read;
 * *out untouched), -1 on error (D3130, D3131 from the picture).
 */
int			jn_parse_integer(const char *s, size_t len, const char *picture, size_t picture_len,
							 double *out, jn_liberr *err);

/*
 * $formatBase(value, radix): value rounded half to even to an integer,
 * radix (a number, 10 when the caller has none) rounded likewise; then
 * JavaScript's toString(radix): lower-case digits, "-" for negatives. A
 * radix outside 2..36 fails with D3100. Writes into buf (JN_RADIX_BUFSZ
 * bytes, NUL terminated); returns the length or -1.
 */
#define JN_RADIX_BUFSZ 1100
int			jn_format_base(double value, double radix, char *buf, jn_liberr *err);

#endif
