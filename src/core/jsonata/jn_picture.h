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
#include <stdint.h>

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
	const char *grouping_separator; /* "grouping-separator" "," */
	const char *exponent_separator; /* "exponent-separator" "e" */
	const char *infinity;		/* "infinity"           "Infinity" (a string) */
	const char *nan;			/* "NaN"                "NaN" (a string) */
	const char *minus_sign;		/* "minus-sign"         "-" */
	const char *percent;		/* "percent"            "%" */
	const char *per_mille;		/* "per-mille"          "‰" (U+2030) */
	const char *zero_digit;		/* "zero-digit"         "0" (first of ten
								 * consecutive digits) */
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
 * Errors (JSONata's codes, from F&O 4.7.3): D3080 more than one pattern
 * separator; D3081 more than one decimal separator; D3082 more than one
 * percent; D3083 more than one per-mille; D3084 both percent and
 * per-mille; D3085 no digit in the mantissa; D3086 a passive character
 * between active ones (or no active character at all); D3087 a grouping
 * separator next to the decimal separator; D3088 a grouping separator at
 * the end of the integer part; D3089 adjacent grouping separators; D3090
 * a mandatory digit before an optional one in the integer part; D3091 an
 * optional digit before a mandatory one in the fraction; D3092 an exponent
 * with percent or per-mille; D3093 an exponent that is not all digits.
 */
char	   *jn_format_number(double value, const char *picture, size_t picture_len,
							 const jn_decimal_format *fmt, size_t *out_len, jn_liberr *err);

/*
 * $formatInteger(value, picture): value is first floored to an integer.
 * Pictures: a decimal digit pattern ("0", "000", "#,##0", "١٢٣" and the
 * other Unicode decimal digit families JSONata knows), "w" "W" "Ww"
 * (English words), "i" "I" (roman), "a" "A" (letters); after a final ";"
 * the modifier "o" asks for an ordinal ("1st", "first"). Errors: D3130 (a
 * picture with no digit that is none of the named formats), D3131 (digits
 * from different decimal families).
 */
char	   *jn_format_integer(double value, const char *picture, size_t picture_len,
							  size_t *out_len, jn_liberr *err);

/*
 * $parseInteger(string, picture): the inverse of jn_format_integer.
 * Like JSONata, it does not check that the string matches the picture: it
 * reads what it can (a decimal picture strips the grouping separators and
 * ordinal suffix, then reads as parseInt, so junk gives NaN).
 * Returns 1 and sets *out (possibly NaN: JSONata always returns a number
 * here, NaN for what it cannot read), -1 on error (D3130, D3131 from the
 * picture; "RangeError" where JavaScript throws one: a digit family's
 * offset taking a character below U+0000).
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

/*
 * The analysed form of an integer picture, shared with jn_datetime (its
 * integer-valued components are formatted and parsed with it). Most
 * callers need only the functions above.
 */
typedef enum jn_int_primary
{
	JN_INT_DECIMAL, JN_INT_LETTERS, JN_INT_ROMAN, JN_INT_WORDS, JN_INT_SEQUENCE
} jn_int_primary;

typedef enum jn_int_case
{
	JN_CASE_LOWER, JN_CASE_UPPER, JN_CASE_TITLE
} jn_int_case;

typedef struct jn_intsep
{
	int			position;		/* digits to its right */
	uint32_t	ch;				/* the separator (a code point) */
} jn_intsep;

typedef struct jn_intfmt
{
	jn_int_primary primary;
	jn_int_case tcase;
	bool		ordinal;
	uint32_t	zero;			/* decimal: the family's zero */
	int			mandatory;		/* decimal: mandatory digits (a width may
								 * raise it) */
	int			optional;		/* decimal: '#' signs */
	bool		regular;		/* decimal: one separator repeated every
								 * seps[0].position digits */
	int			nseps;
	jn_intsep  *seps;			/* malloc'd, left to right; jn_intfmt_release
								 * frees it */
	int			parse_width;	/* decimal: exact digit count when parsing, 0
								 * = any */
	const char *token;			/* sequence: the picture, for D3130 (points
								 * into it) */
	size_t		token_len;
} jn_intfmt;

/* Analyses picture ("0", "#,##0;o", "w", …) into *f; false with D3131 on error. */
bool		jn_intfmt_analyse(const char *picture, size_t len, jn_intfmt *f, jn_liberr *err);
void		jn_intfmt_release(jn_intfmt *f);

/* Formats the integer value with f (malloc'd result); D3130 for a sequence picture. */
char	   *jn_intfmt_format(double value, const jn_intfmt *f, size_t *out_len, jn_liberr *err);

/* Reads s with f as jn_parse_integer does; 1 (and *out), or -1 (D3130). */
int			jn_intfmt_parse(const jn_intfmt *f, const char *s, size_t len, double *out, jn_liberr *err);

/*
 * The regular expression (JavaScript syntax, no capturing groups) that
 * matches what f formats, as JSONata builds it for $toMillis; malloc'd.
 * D3130 for a sequence picture.
 */
char	   *jn_intfmt_regex(const jn_intfmt *f, jn_liberr *err);

#endif
