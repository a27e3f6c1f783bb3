/*
 * base64.h — base64 decoding, standard alphabet, in two dialects.
 */
#ifndef ASL_BASE64_H
#define ASL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

typedef enum base64_status
{
	BASE64_OK,
	BASE64_LENGTH,				/* not a multiple of 4 characters */
	BASE64_CHAR,				/* a character outside the alphabet, or
								 * misplaced padding */
	BASE64_LAST					/* the last character carries bits beyond the
								 * data */
} base64_status;

/*
 * DynamoDB's dialect (RFC 4648, padded, unused bits zero). Checks s, and
 * decodes it when out is not NULL (out holds at least n / 4 * 3 bytes);
 * *len (when not NULL) is the byte count, *bad the offending character.
 */
base64_status base64_decode_strict(const char *s, size_t n, unsigned char *out, size_t *len, char *bad);

/*
 * Java's basic decoder, which AWS runs for States.Base64Decode: no
 * whitespace, padding optional but exact when present, and a final group
 * of a single character is an error. Returns the byte count, or -1 when s
 * is not base64. dst holds at least 3 * len / 4 + 1 bytes.
 */
long		base64_decode_java(const char *s, size_t len, unsigned char *dst);

#endif
