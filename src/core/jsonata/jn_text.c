/*
 * jn_text.c — JSONata's string functions that depend on how JavaScript
 * counts, encodes and orders characters, for UTF-8 strings.
 */
#include "jsonata/jn_text.h"
#include "jsonata/jn_case_tables.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "utf8.h"

/*
 * Decodes the code point at s[0..len) (len > 0) into *cp; returns its byte
 * length. A malformed sequence yields U+FFFD for its first byte alone.
 */
static size_t
decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t	c = s[0],
				min;
	size_t		n,
				i;

	if (c < 0x80)
	{
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, c &= 0x07, min = 0x10000;
	else
		goto bad;
	if (len < n)
		goto bad;
	for (i = 1; i < n; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return n;
bad:
	*cp = 0xFFFD;
	return 1;
}

bool
jn_text_utf8_valid(const char *s, size_t len)
{
	size_t		i = 0;

	while (i < len)
	{
		uint32_t	c;
		size_t		n = decode((const unsigned char *) s + i, len - i, &c);

		if (c == 0xFFFD && n == 1 && (unsigned char) s[i] >= 0x80)
			return false;
		i += n;
	}
	return true;
}

size_t
jn_text_length(const char *s, size_t len)
{
	size_t		i = 0,
				count = 0;

	while (i < len)
	{
		uint32_t	c;

		i += decode((const unsigned char *) s + i, len - i, &c);
		count++;
	}
	return count;
}

size_t
jn_text_utf16_length(const char *s, size_t len)
{
	return jn_text_utf16_index(s, len);
}

size_t
jn_text_utf16_index(const char *s, size_t byte_off)
{
	size_t		i = 0,
				units = 0;

	while (i < byte_off)
	{
		uint32_t	c;

		i += decode((const unsigned char *) s + i, byte_off - i, &c);
		units += c >= 0x10000 ? 2 : 1;
	}
	return units;
}

size_t
jn_text_byte_offset16(const char *s, size_t len, size_t idx16)
{
	size_t		i = 0,
				units = 0;

	while (i < len)
	{
		uint32_t	c;
		size_t		n = decode((const unsigned char *) s + i, len - i, &c);
		size_t		w = c >= 0x10000 ? 2 : 1;

		if (units + w > idx16)
			break;
		units += w;
		i += n;
	}
	return i;
}

size_t
jn_text_byte_offset(const char *s, size_t len, size_t cp)
{
	size_t		i = 0,
				count = 0;

	while (i < len && count < cp)
	{
		uint32_t	c;

		i += decode((const unsigned char *) s + i, len - i, &c);
		count++;
	}
	return i;
}

/* Array.prototype.slice's relative index: truncate, count negatives from the end, clamp. */
static double
slice_index(double rel, double n)
{
	if (isnan(rel))
		rel = 0;
	rel = trunc(rel);
	if (rel < 0)
		return fmax(n + rel, 0);
	return fmin(rel, n);
}

void
jn_text_substring(const char *s, size_t len, double start, bool has_length,
				  double length, size_t *off, size_t *n)
{
	double		count = (double) jn_text_length(s, len);
	double		from,
				to;
	size_t		b0,
				b1;

	if (count + start < 0)
		start = 0;
	if (has_length)
	{
		if (length <= 0)
		{
			*off = 0;
			*n = 0;
			return;
		}
		to = start >= 0 ? start + length : count + start + length;
		to = slice_index(to, count);
	}
	else
		to = count;
	from = slice_index(start, count);
	if (to <= from)
	{
		*off = 0;
		*n = 0;
		return;
	}
	b0 = jn_text_byte_offset(s, len, (size_t) from);
	b1 = b0 + jn_text_byte_offset(s + b0, len - b0, (size_t) (to - from));
	*off = b0;
	*n = b1 - b0;
}

long
jn_text_find(const char *s, size_t len, const char *needle, size_t nlen, size_t from)
{
	const char *p;

	if (from > len)
		return nlen == 0 ? (long) len : -1;
	if (nlen == 0)
		return (long) from;
	p = memmem(s + from, len - from, needle, nlen);
	return p ? (long) (p - s) : -1;
}

/* Walks a string as UTF-16 code units. */
typedef struct u16_walk
{
	const unsigned char *s;
	size_t		len;
	size_t		i;
	int			low;			/* a pending low surrogate, or -1 */
} u16_walk;

/*
 * The next UTF-16 code unit of the walk (surrogate pairs for code points
 * above the BMP), or -1 at the end.
 */
static int
u16_next(u16_walk *w)
{
	uint32_t	c;

	if (w->low >= 0)
	{
		int			u = w->low;

		w->low = -1;
		return u;
	}
	if (w->i >= w->len)
		return -1;
	w->i += decode(w->s + w->i, w->len - w->i, &c);
	if (c >= 0x10000)
	{
		c -= 0x10000;
		w->low = 0xDC00 + (int) (c & 0x3FF);
		return 0xD800 + (int) (c >> 10);
	}
	return (int) c;
}

int
jn_text_compare(const char *a, size_t alen, const char *b, size_t blen)
{
	u16_walk	wa = {(const unsigned char *) a, alen, 0, -1};
	u16_walk	wb = {(const unsigned char *) b, blen, 0, -1};

	for (;;)
	{
		int			ua = u16_next(&wa);
		int			ub = u16_next(&wb);

		if (ua != ub)
			return ua < ub ? -1 : 1;
		if (ua < 0)
			return 0;
	}
}

static void
set_oom(jn_liberr *err)
{
	if (err)
		jn_liberr_set(err, "D0000", "out of memory");
}

char	   *
jn_text_pad(const char *s, size_t len, double width, const char *chars, size_t clen,
			size_t max_bytes, size_t *out_len, jn_liberr *err)
{
	double		target = trunc(fabs(width));
	double		have = (double) jn_text_length(s, len);
	size_t		padcount,
				padbytes = 0,
				i,
				ci;
	char	   *out,
			   *p;

	if (isnan(width))
		target = 0;
	if (chars == NULL || clen == 0)
		chars = " ", clen = 1;
	if (target <= have)
		padcount = 0;
	else
	{
		double		need = target - have;

		/* each pad character takes at least one byte */
		if (need + (double) len > (double) max_bytes)
		{
			jn_liberr_set(err, "RangeError", "Invalid string length");
			return NULL;
		}
		padcount = (size_t) need;
	}
	/* byte size of the padding: the characters of chars, cycled */
	for (i = 0, ci = 0; i < padcount; i++)
	{
		uint32_t	c;
		size_t		n = decode((const unsigned char *) chars + ci, clen - ci, &c);

		padbytes += n;
		ci += n;
		if (ci >= clen)
			ci = 0;
		if (padbytes + len > max_bytes)
		{
			jn_liberr_set(err, "RangeError", "Invalid string length");
			return NULL;
		}
	}
	out = malloc(len + padbytes + 1);
	if (!out)
	{
		set_oom(err);
		return NULL;
	}
	p = out;
	if (width > 0)
	{
		memcpy(p, s, len);
		p += len;
	}
	for (i = 0, ci = 0; i < padcount; i++)
	{
		uint32_t	c;
		size_t		n = decode((const unsigned char *) chars + ci, clen - ci, &c);

		memcpy(p, chars + ci, n);
		p += n;
		ci += n;
		if (ci >= clen)
			ci = 0;
	}
	if (width <= 0)
	{
		memcpy(p, s, len);
		p += len;
	}
	*p = '\0';
	if (out_len)
		*out_len = (size_t) (p - out);
	return out;
}

char	   *
jn_text_trim(const char *s, size_t len, size_t *out_len)
{
	char	   *out = malloc(len + 1);
	size_t		i,
				k = 0;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++)
	{
		char		c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
		{
			while (i + 1 < len && (s[i + 1] == ' ' || s[i + 1] == '\t' || s[i + 1] == '\n' || s[i + 1] == '\r'))
				i++;
			c = ' ';
		}
		out[k++] = c;
	}
	if (k > 0 && out[k - 1] == ' ')
		k--;
	if (k > 0 && out[0] == ' ')
	{
		memmove(out, out + 1, k - 1);
		k--;
	}
	out[k] = '\0';
	if (out_len)
		*out_len = k;
	return out;
}

/* ---- case ---- */

static int
cmp_map(const void *key, const void *elem)
{
	uint32_t	cp = *(const uint32_t *) key;
	uint32_t	e = ((const jn_case_map *) elem)->cp;

	return cp < e ? -1 : cp > e ? 1 : 0;
}

static int
cmp_range(const void *key, const void *elem)
{
	uint32_t	cp = *(const uint32_t *) key;
	const jn_case_range *r = elem;

	return cp < r->first ? -1 : cp > r->last ? 1 : 0;
}

static bool
in_ranges(uint32_t cp, const jn_case_range *r, size_t n)
{
	return bsearch(&cp, r, n, sizeof *r, cmp_range) != NULL;
}

/*
 * Final_Sigma's second half: no cased letter follows s[i..) after
 * case-ignorable characters.
 */
static bool
no_cased_after(const char *s, size_t len, size_t i)
{
	while (i < len)
	{
		uint32_t	cp;

		i += decode((const unsigned char *) s + i, len - i, &cp);
		if (in_ranges(cp, jn_case_cased, jn_case_cased_n))
			return false;
		if (!in_ranges(cp, jn_case_case_ignorable, jn_case_case_ignorable_n))
			return true;
	}
	return true;
}

char	   *
jn_text_case(const char *s, size_t len, bool upper, size_t *out_len)
{
	const jn_case_map *table = upper ? jn_case_upper : jn_case_lower;
	size_t		n = upper ? jn_case_upper_n : jn_case_lower_n;
	size_t		cap = len + 16,
				k = 0,
				i = 0;
	char	   *out = malloc(cap);
	bool		after_cased = false;	/* Final_Sigma's first half */

	if (!out)
		return NULL;
	while (i < len)
	{
		uint32_t	cp;
		size_t		w = decode((const unsigned char *) s + i, len - i, &cp);
		const char *to = s + i;
		size_t		tolen = w;
		const jn_case_map *m = NULL;
		char		ascii;

		if (cp < 0x80 && (upper ? (cp >= 'a' && cp <= 'z') : (cp >= 'A' && cp <= 'Z')))
		{
			/* the common case, without a search */
			ascii = (char) (upper ? cp - 32 : cp + 32);
			to = &ascii;
		}
		else if (cp >= 0x80)
			m = bsearch(&cp, table, n, sizeof *table, cmp_map);
		if (m)
		{
			to = m->utf8;
			tolen = m->len;
		}
		else if (!upper && cp == 0x3A3)
		{
			/* capital sigma: final (\u03c2) at the end of a word */
			to = after_cased && no_cased_after(s, len, i + w) ? "\xcf\x82" : "\xcf\x83";
			tolen = 2;
		}
		if (k + tolen + 1 > cap)
		{
			char	   *bigger;

			cap = cap * 2 + tolen;
			bigger = realloc(out, cap);
			if (!bigger)
			{
				free(out);
				return NULL;
			}
			out = bigger;
		}
		memcpy(out + k, to, tolen);
		k += tolen;
		if (cp >= 0x80)
			after_cased = in_ranges(cp, jn_case_cased, jn_case_cased_n) ||
				(after_cased && in_ranges(cp, jn_case_case_ignorable, jn_case_case_ignorable_n));
		else
			after_cased = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
				(after_cased && in_ranges(cp, jn_case_case_ignorable, jn_case_case_ignorable_n));
		i += w;
	}
	out[k] = '\0';
	*out_len = k;
	return out;
}

/* ---- URIs ---- */

/* A character encodeURIComponent leaves as it is. */
static bool
uri_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		(c != '\0' && strchr("-_.!~*'()", c) != NULL);
}

/* A character encodeURI leaves as it is besides the unreserved ones. */
static bool
uri_reserved(unsigned char c)
{
	return c != '\0' && strchr(";/?:@&=+$,#", c) != NULL;
}

static const char *const uri_fn_names[] = {
	"encodeUrl", "encodeUrlComponent", "decodeUrl", "decodeUrlComponent"
};

/* D3140: a malformed URL for the function op; returns NULL. */
static char *
uri_malformed(jn_uri_op op, const char *s, size_t len, jn_liberr *err)
{
	char		quoted[140];

	jn_liberr_json_quote(quoted, sizeof quoted, s, len);
	jn_liberr_set(err, "D3140", "Malformed URL passed to $%s(): %s", uri_fn_names[op], quoted);
	return NULL;
}

/*
 * Percent-encodes s as encodeURI (op: encodeUrl) or encodeURIComponent
 * does; a lone surrogate is malformed.
 */
static char *
uri_encode(jn_uri_op op, const char *s, size_t len, size_t *out_len, jn_liberr *err)
{
	static const char hex[] = "0123456789ABCDEF";
	char	   *out,
			   *p;
	size_t		i;

	if (!jn_text_utf8_valid(s, len))
		return uri_malformed(op, s, len, err);
	if (len > (SIZE_MAX - 1) / 3 || !(out = malloc(len * 3 + 1)))
	{
		set_oom(err);
		return NULL;
	}
	p = out;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (uri_unreserved(c) || (op == JN_ENCODE_URL && uri_reserved(c)))
			*p++ = (char) c;
		else
		{
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = '\0';
	if (out_len)
		*out_len = (size_t) (p - out);
	return out;
}

/* The byte of the escape "%XX" at s[i], or -1. */
static int
escape_at(const char *s, size_t len, size_t i)
{
	int			h,
				l;

	if (i + 3 > len || s[i] != '%')
		return -1;
	h = lex_hex_value(s[i + 1]);
	l = lex_hex_value(s[i + 2]);
	if (h < 0 || l < 0)
		return -1;
	return h * 16 + l;
}

/*
 * Decodes %XX escapes as decodeURI or decodeURIComponent does; invalid
 * UTF-8 is malformed.
 */
static char *
uri_decode(jn_uri_op op, const char *s, size_t len, size_t *out_len, jn_liberr *err)
{
	char	   *out = malloc(len + 1);
	char	   *p = out;
	size_t		i = 0;

	if (!out)
	{
		set_oom(err);
		return NULL;
	}
	while (i < len)
	{
		int			b;

		if (s[i] != '%')
		{
			*p++ = s[i++];
			continue;
		}
		b = escape_at(s, len, i);
		if (b < 0)
			goto malformed;
		if (b < 0x80)
		{
			if (op == JN_DECODE_URL && uri_reserved((unsigned char) b))
			{
				memcpy(p, s + i, 3);
				p += 3;
			}
			else
				*p++ = (char) b;
			i += 3;
		}
		else
		{
			unsigned char bytes[4];
			size_t		n,
						k;
			uint32_t	c;

			if ((b & 0xE0) == 0xC0)
				n = 2;
			else if ((b & 0xF0) == 0xE0)
				n = 3;
			else if ((b & 0xF8) == 0xF0)
				n = 4;
			else
				goto malformed;
			bytes[0] = (unsigned char) b;
			i += 3;
			for (k = 1; k < n; k++)
			{
				int			cb = escape_at(s, len, i);

				if (cb < 0 || (cb & 0xC0) != 0x80)
					goto malformed;
				bytes[k] = (unsigned char) cb;
				i += 3;
			}
			if (decode(bytes, n, &c) != n)
				goto malformed;
			p += utf8_encode(p, c);
		}
	}
	*p = '\0';
	if (out_len)
		*out_len = (size_t) (p - out);
	return out;
malformed:
	free(out);
	return uri_malformed(op, s, len, err);
}

char	   *
jn_text_uri(jn_uri_op op, const char *s, size_t len, size_t *out_len, jn_liberr *err)
{
	if (op == JN_ENCODE_URL || op == JN_ENCODE_URL_COMPONENT)
		return uri_encode(op, s, len, out_len, err);
	return uri_decode(op, s, len, out_len, err);
}

/* ---- base64 as Node's 'binary' strings ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char	   *
jn_text_base64_encode(const char *s, size_t len, size_t *out_len)
{
	/*
	 * at most len bytes (each UTF-16 unit is at least one UTF-8 byte... or
	 * two units for four bytes)
	 */
	unsigned char *bytes = malloc(len + 1);
	size_t		nb = 0,
				i = 0,
				k;
	char	   *out,
			   *p;

	if (!bytes)
		return NULL;
	while (i < len)
	{
		uint32_t	c;

		i += decode((const unsigned char *) s + i, len - i, &c);
		if (c >= 0x10000)
		{
			c -= 0x10000;
			bytes[nb++] = (unsigned char) ((0xD800 + (c >> 10)) & 0xFF);
			bytes[nb++] = (unsigned char) ((0xDC00 + (c & 0x3FF)) & 0xFF);
		}
		else
			bytes[nb++] = (unsigned char) (c & 0xFF);
	}
	out = malloc((nb + 2) / 3 * 4 + 1);
	if (!out)
	{
		free(bytes);
		return NULL;
	}
	p = out;
	for (k = 0; k + 2 < nb; k += 3)
	{
		uint32_t	v = (uint32_t) bytes[k] << 16 | (uint32_t) bytes[k + 1] << 8 | bytes[k + 2];

		*p++ = b64[v >> 18];
		*p++ = b64[(v >> 12) & 63];
		*p++ = b64[(v >> 6) & 63];
		*p++ = b64[v & 63];
	}
	if (nb - k == 1)
	{
		uint32_t	v = (uint32_t) bytes[k] << 16;

		*p++ = b64[v >> 18];
		*p++ = b64[(v >> 12) & 63];
		*p++ = '=';
		*p++ = '=';
	}
	else if (nb - k == 2)
	{
		uint32_t	v = (uint32_t) bytes[k] << 16 | (uint32_t) bytes[k + 1] << 8;

		*p++ = b64[v >> 18];
		*p++ = b64[(v >> 12) & 63];
		*p++ = b64[(v >> 6) & 63];
		*p++ = '=';
	}
	*p = '\0';
	free(bytes);
	if (out_len)
		*out_len = (size_t) (p - out);
	return out;
}

/* The value of a base64 digit of either alphabet (+/ or -_), or -1. */
static int
unbase64(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

char	   *
jn_text_base64_decode(const char *s, size_t len, size_t *out_len)
{
	/* each decoded byte (from 4/3 characters) is at most 2 UTF-8 bytes */
	char	   *out = malloc(len * 2 + 1);
	char	   *p = out;
	uint32_t	acc = 0;
	int			bits = 0;
	size_t		i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		int			v;

		if (c == '=')
			break;
		v = unbase64(c);
		if (v < 0)
			continue;
		acc = (acc << 6) | (uint32_t) v;
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			p += utf8_encode(p, (acc >> bits) & 0xFF);
		}
	}
	*p = '\0';
	if (out_len)
		*out_len = (size_t) (p - out);
	return out;
}
