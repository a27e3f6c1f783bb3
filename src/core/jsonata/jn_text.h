/*
 * jn_text.h — strings as JSONata counts and transforms them.
 *
 * All strings are UTF-8 with explicit byte lengths (they may contain NUL).
 * JSONata (JavaScript) strings are UTF-16: $length and $substring count
 * code points (Array.from(str)), regular expression indexes count UTF-16
 * code units, comparisons order by UTF-16 code units. The functions
 * below take valid UTF-8 (as json-c holds it); on invalid UTF-8 they
 * count each bad byte as one character and never read out of bounds.
 * Results are malloc'd, NUL terminated (caller frees); *out_len gets the
 * byte length. Out of memory: NULL, and err (when the function has one)
 * gets code "D0000".
 */
#ifndef JN_TEXT_H
#define JN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "jsonata/jn_liberr.h"

/* true when s[0..len) is well-formed UTF-8 (no surrogates, no overlongs). */
bool		jn_text_utf8_valid(const char *s, size_t len);

/* $length: the number of code points. */
size_t		jn_text_length(const char *s, size_t len);

/* The number of UTF-16 code units (JavaScript's str.length). */
size_t		jn_text_utf16_length(const char *s, size_t len);

/* UTF-16 code units in s[0..byte_off): a byte offset as JavaScript's index. */
size_t		jn_text_utf16_index(const char *s, size_t byte_off);

/*
 * The byte offset of UTF-16 index idx16 (clamped to len; an index inside a
 * surrogate pair maps to the start of that code point).
 */
size_t		jn_text_byte_offset16(const char *s, size_t len, size_t idx16);

/* The byte offset of code point number cp (clamped to len). */
size_t		jn_text_byte_offset(const char *s, size_t len, size_t cp);

/*
 * $substring(str, start[, length]) with JSONata's rules (code points;
 * negative start counts from the end; length <= 0 gives ""; fractions as
 * JavaScript's Array.prototype.slice truncates them). The result is a
 * slice of s: *off and *n (bytes). has_length false means no length.
 */
void		jn_text_substring(const char *s, size_t len, double start, bool has_length,
							  double length, size_t *off, size_t *n);

/*
 * JavaScript's str.indexOf(needle, from): the byte offset of the first
 * occurrence at or after byte offset from, or -1. (For $contains,
 * $substringBefore/After and $replace/$split with a string pattern: since
 * UTF-8 is self-synchronizing, a byte search finds what JavaScript finds.)
 * An empty needle is found at from.
 */
long		jn_text_find(const char *s, size_t len, const char *needle, size_t nlen, size_t from);

/*
 * Orders two strings as JavaScript's < does (by UTF-16 code units): <0,
 * 0, >0. Differs from byte order only between U+E000–U+FFFF and astral
 * characters.
 */
int			jn_text_compare(const char *a, size_t alen, const char *b, size_t blen);

/*
 * $pad(str, width[, char]): pads to |width| code points, on the right when
 * width > 0, on the left when < 0, with chars repeated and cut (code
 * points); chars NULL or empty means " ". width is truncated toward zero.
 * A result longer than max_bytes fails (NULL, err code "RangeError",
 * message "Invalid string length", as JavaScript throws): the caller
 * passes its string size limit.
 */
char	   *jn_text_pad(const char *s, size_t len, double width, const char *chars, size_t clen,
						size_t max_bytes, size_t *out_len, jn_liberr *err);

/*
 * $uppercase / $lowercase as JavaScript's toUpperCase / toLowerCase: full
 * Unicode mappings (\u00df to "SS", a ligature to its letters), and a
 * capital sigma lowercased to a final sigma at the end of a word. Returns a
 * malloc'd string (NULL when out of memory).
 */
char	   *jn_text_case(const char *s, size_t len, bool upper, size_t *out_len);

/*
 * $trim: runs of space, tab, CR, LF become one space; a leading and a
 * trailing space are removed.
 */
char	   *jn_text_trim(const char *s, size_t len, size_t *out_len);

/* Which of JavaScript's URI functions jn_text_uri runs. */
typedef enum jn_uri_op
{
	JN_ENCODE_URL,				/* $encodeUrl: encodeURI */
	JN_ENCODE_URL_COMPONENT,	/* $encodeUrlComponent: encodeURIComponent */
	JN_DECODE_URL,				/* $decodeUrl: decodeURI */
	JN_DECODE_URL_COMPONENT		/* $decodeUrlComponent: decodeURIComponent */
} jn_uri_op;

/*
 * Runs op on s. Encoding percent-encodes the UTF-8 bytes of every
 * character outside JavaScript's unescaped set (encodeURI also keeps
 * ;/?:@&=+$,#). Decoding reads %XX sequences as UTF-8 (decodeURI keeps
 * the escapes of ;/?:@&=+$,# as they are). Malformed input (a bad %
 * escape, escapes that are not well-formed UTF-8, invalid UTF-8 input to
 * encode) fails with D3140, message "Malformed URL passed to
 * $decodeUrl(): <value>" naming the function.
 */
char	   *jn_text_uri(jn_uri_op op, const char *s, size_t len, size_t *out_len, jn_liberr *err);

/*
 * $base64encode as JSONata does it (Node's Buffer.from(str, 'binary')):
 * each UTF-16 code unit of the string contributes its low byte, so ASCII
 * and Latin-1 text encode as their bytes (é → 0xE9) and wider characters
 * are truncated. Standard alphabet, padded.
 */
char	   *jn_text_base64_encode(const char *s, size_t len, size_t *out_len);

/*
 * $base64decode as JSONata does it (Buffer.from(str, 'base64') then
 * 'binary'): lenient (characters outside the alphabet are skipped, the
 * URL-safe "-_" accepted, decoding stops at "="), each decoded byte
 * becoming the code point U+0000–U+00FF (returned as UTF-8).
 */
char	   *jn_text_base64_decode(const char *s, size_t len, size_t *out_len);

#endif
