/*
 * base64.c — decoding base64 in the two dialects the product must
 * reproduce: DynamoDB's strict one (B values) and Java's basic decoder
 * (States.Base64Decode). They share the alphabet, not the rules.
 */
#include "base64.h"

#include <stdint.h>

/* The value of a character of the standard alphabet, or -1. */
static int
base64_digit(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

base64_status
base64_decode_strict(const char *s, size_t n, unsigned char *out, size_t *len, char *bad)
{
	size_t		pad = 0;
	size_t		i,
				w = 0;
	unsigned long acc = 0;
	int			bits = 0;

	if (n % 4 != 0)
		return BASE64_LENGTH;
	for (i = 0; i < n; i++)
	{
		if (s[i] == '=')
		{
			/* padding only at the very end, at most two */
			if (i + 2 < n || (i + 1 < n && s[i + 1] != '='))
			{
				*bad = '=';
				return BASE64_CHAR;
			}
			pad++;
		}
		else if (base64_digit(s[i]) < 0)
		{
			*bad = s[i];
			return BASE64_CHAR;
		}
	}
	for (i = 0; i < n - pad; i++)
	{
		acc = (acc << 6) | (unsigned long) base64_digit(s[i]);
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			if (out)
				out[w] = (unsigned char) ((acc >> bits) & 0xff);
			w++;
		}
	}
	/* the bits the last character carries beyond the data must be zero */
	if (bits > 0 && (acc & ((1UL << bits) - 1)) != 0)
		return BASE64_LAST;
	if (len)
		*len = w;
	return BASE64_OK;
}

long
base64_decode_java(const char *s, size_t len, unsigned char *dst)
{
	size_t		n = 0;
	size_t		group = 0;		/* characters in the current group of four */
	uint32_t	bits = 0;
	size_t		i;

	for (i = 0; i < len && s[i] != '='; i++)
	{
		int			d = base64_digit(s[i]);

		if (d < 0)
			return -1;
		bits = (bits << 6) | (uint32_t) d;
		if (++group == 4)
		{
			dst[n++] = (unsigned char) (bits >> 16);
			dst[n++] = (unsigned char) (bits >> 8);
			dst[n++] = (unsigned char) bits;
			group = 0;
			bits = 0;
		}
	}
	if (group == 1)
		return -1;
	if (i < len)
	{
		/* padding: exactly what completes the group, then the end */
		size_t		pad = 4 - group;

		if (group == 0 || len - i != pad || (pad == 2 && s[i + 1] != '='))
			return -1;
	}
	if (group == 2)
		dst[n++] = (unsigned char) (bits >> 4);
	else if (group == 3)
	{
		dst[n++] = (unsigned char) (bits >> 10);
		dst[n++] = (unsigned char) (bits >> 2);
	}
	return (long) n;
}
