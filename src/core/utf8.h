/*
 * utf8.h — UTF-8 encoding and stepping, shared by the core's languages
 * (JSONPath string escapes, intrinsic functions, DynamoDB expressions,
 * JSONata).
 */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H

#include <stddef.h>

/* Longest UTF-8 encoding of one code point, in bytes. */
#define UTF8_MAX_BYTES 4

/*
 * Writes code point cp (at most 0x10FFFF; the caller has checked) at dst as
 * UTF-8 and returns how many bytes it wrote (1 to UTF8_MAX_BYTES). Surrogate
 * halves are encoded as given: joining a pair is the caller's business.
 */
size_t		utf8_encode(char *dst, unsigned cp);

/*
 * Bytes of the character starting at s, of which avail (> 0) bytes may be
 * read: the length its lead byte announces when that many bytes are there
 * and all but the first are continuation bytes; otherwise 1, so a stray or
 * truncated byte is a character of its own and stepping always advances
 * without reading past avail.
 */
size_t		utf8_char_len(const char *s, size_t avail);

#endif							/* CORE_UTF8_H */
