/*
 * jn_numfmt.c — doubles printed and read as JavaScript does.
 *
 * The shortest round-trip digits come from printf's correctly rounded %e
 * at increasing precision (the first precision that reads back as the
 * same double); JavaScript's placement rules then choose plain or
 * exponent notation.
 */
#include "jsonata/jn_numfmt.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The decimal digits of |d| (no leading or trailing zeros) into digits,
 * and n such that |d| = 0.DIGITS × 10^n. d is finite and not zero.
 */
static int
shortest_digits(double d, char *digits, int *n)
{
	char		tmp[40];
	int			prec;
	int			k = 0;
	char	   *e;

	/*
	 * Any decimal of at most 15 digits that reads back as d is what d rounds
	 * to at 15 digits (the doubles are closer together than such decimals),
	 * zeros aside: so 15 digits first, and only when they do not read back
	 * 16, then 17. The same digits as trying 1, 2, ... 17, with at most three
	 * conversions each way instead of up to 17. Not so for the subnormal
	 * doubles (fewer bits, farther apart): those try them all.
	 */
	d = fabs(d);
	for (prec = d < DBL_MIN ? 0 : 14; prec < 17; prec++)
	{
		snprintf(tmp, sizeof tmp, "%.*e", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	/* tmp is "D.DDDDe±XX" (or "De±XX" at precision 0) */
	for (e = tmp; *e != 'e'; e++)
		if (*e >= '0' && *e <= '9')
			digits[k++] = *e;
	while (k > 1 && digits[k - 1] == '0')
		k--;
	digits[k] = '\0';
	*n = atoi(e + 1) + 1;
	return k;
}

size_t
jn_num_to_js(double d, char *buf)
{
	char		digits[24];
	int			k,
				n,
				i;
	char	   *p = buf;

	if (isnan(d))
		return (size_t) snprintf(buf, JN_NUMFMT_BUFSZ, "NaN");
	if (isinf(d))
		return (size_t) snprintf(buf, JN_NUMFMT_BUFSZ, d < 0 ? "-Infinity" : "Infinity");
	if (d == 0)
		return (size_t) snprintf(buf, JN_NUMFMT_BUFSZ, "0");
	if (d == floor(d) && fabs(d) < 9007199254740992.0)
	{
		/* an exact integer: its digits, as JavaScript writes it below 1e21 */
		uint64_t	u = (uint64_t) fabs(d);
		char		rev[20];

		k = 0;
		do
		{
			rev[k++] = (char) ('0' + u % 10);
			u /= 10;
		} while (u);
		if (d < 0)
			*p++ = '-';
		while (k)
			*p++ = rev[--k];
		*p = '\0';
		return (size_t) (p - buf);
	}

	k = shortest_digits(d, digits, &n);
	if (d < 0)
		*p++ = '-';
	if (k <= n && n <= 21)
	{
		memcpy(p, digits, k);
		p += k;
		for (i = k; i < n; i++)
			*p++ = '0';
	}
	else if (0 < n && n <= 21)
	{
		memcpy(p, digits, n);
		p += n;
		*p++ = '.';
		memcpy(p, digits + n, k - n);
		p += k - n;
	}
	else if (-6 < n && n <= 0)
	{
		*p++ = '0';
		*p++ = '.';
		for (i = 0; i < -n; i++)
			*p++ = '0';
		memcpy(p, digits, k);
		p += k;
	}
	else
	{
		int			e = n - 1;

		*p++ = digits[0];
		if (k > 1)
		{
			*p++ = '.';
			memcpy(p, digits + 1, k - 1);
			p += k - 1;
		}
		p += sprintf(p, "e%c%d", e < 0 ? '-' : '+', abs(e));
	}
	*p = '\0';
	return (size_t) (p - buf);
}

/*
 * toPrecision(15) picks the larger candidate on an exact tie where printf
 * rounds half to even; an exact tie shows as "5" then only zeros in the
 * exact decimal expansion (which glibc prints for any precision).
 */
double
jn_num_round15(double d)
{
	char		tmp[48];
	char	   *exact;
	double		a;
	bool		tie = true;
	int			i;

	if (!isfinite(d) || d == 0)
		return d;
	a = fabs(d);
	snprintf(tmp, sizeof tmp, "%.40e", a);
	/* digit 15 (0-based, after "D.") sits at tmp[16] */
	if (tmp[16] != '5')
		tie = false;
	for (i = 17; tie && tmp[i] != 'e'; i++)
		if (tmp[i] != '0')
			tie = false;
	if (tie)
	{
		/* confirm with the full expansion */
		exact = malloc(800);
		if (exact)
		{
			snprintf(exact, 800, "%.780e", a);
			for (i = 17; exact[i] != 'e'; i++)
				if (exact[i] != '0')
					tie = false;
			free(exact);
		}
	}
	if (tie)
	{
		/*
		 * round up: truncate to 15 digits, then add one unit in the last
		 * place
		 */
		char		mant[20];
		int			exp10;
		char		out[40];

		memcpy(mant, tmp, 16);	/* "D.DDDDDDDDDDDDDD" */
		mant[16] = '\0';
		exp10 = atoi(strchr(tmp, 'e') + 1);
		snprintf(out, sizeof out, "%se%d", mant, exp10);
		a = strtod(out, NULL);
		snprintf(out, sizeof out, "1e%d", exp10 - 14);
		a += strtod(out, NULL);
		snprintf(out, sizeof out, "%.14e", a);
		a = strtod(out, NULL);
	}
	else
	{
		snprintf(tmp, sizeof tmp, "%.14e", a);
		a = strtod(tmp, NULL);
	}
	return d < 0 ? -a : a;
}

int
jn_num_to_string(double d, char *buf, jn_liberr *err)
{
	if (!isfinite(d))
	{
		jn_liberr_set(err, "D3001", "Attempting to invoke string function on Infinity or NaN");
		return -1;
	}
	/* integers print in full (JSONata 2.1+, which the official suite expects) */
	if (trunc(d) == d)
		return (int) jn_num_to_js(d, buf);
	return (int) jn_num_to_js(jn_num_round15(d), buf);
}

/* JavaScript's Math.round: the nearest integer, halves toward +∞. */
static double
js_math_round(double x)
{
	double		r;

	if (!isfinite(x) || x == 0)
		return x;
	r = floor(x);
	if (x - r >= 0.5)
		r += 1;
	if (r == 0 && x < 0)
		return -0.0;
	return r;
}

/* Number(String(x) with its exponent shifted by shift): a decimal shift without binary error. */
static double
shift_decimal(double x, int shift)
{
	char		s[JN_NUMFMT_BUFSZ + 16];
	char	   *e;
	long		exp10 = 0;

	/* String(Infinity) has no exponent: "Infinitye2" reads as NaN */
	if (!isfinite(x))
		return NAN;
	jn_num_to_js(x, s);
	e = strchr(s, 'e');
	if (e)
	{
		exp10 = strtol(e + 1, NULL, 10);
		*e = '\0';
	}
	snprintf(s + strlen(s), 16, "e%ld", exp10 + shift);
	return strtod(s, NULL);
}

double
jn_num_round_half_even(double d, int precision)
{
	double		result,
				diff;

	if (precision)
		d = shift_decimal(d, precision);
	result = js_math_round(d);
	diff = result - d;
	if (fabs(diff) == 0.5 && fabs(fmod(result, 2)) == 1)
		result -= 1;
	if (precision)
		result = shift_decimal(result, -precision);
	if (result == 0)
		result = 0;				/* no -0 */
	return result;
}

/* JavaScript's white space and line terminators (what Number() trims), ASCII and Latin-1 ones. */
static size_t
js_space_len(const unsigned char *s, size_t len)
{
	if (len >= 1 && (s[0] == ' ' || (s[0] >= 9 && s[0] <= 13)))
		return 1;
	if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF || (s[2] >= 0x80 && s[2] <= 0x8A)))
		return 3;
	if (len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)
		return 3;
	if (len >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
		return 3;
	if (len >= 3 && s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
		return 3;
	if (len >= 3 && s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
		return 3;
	return 0;
}

/* Whether c is a digit of radix (2, 8, 10 or 16). */
static bool
is_digit_in(char c, int radix)
{
	if (radix == 16)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	return c >= '0' && c < '0' + radix;
}

/* s[0..len) is -?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)? */
static bool
is_json_like_decimal(const char *s, size_t len)
{
	size_t		i = 0,
				start;

	if (i < len && s[i] == '-')
		i++;
	start = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == start)
		return false;
	if (i < len && s[i] == '.')
	{
		start = ++i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E'))
	{
		i++;
		if (i < len && (s[i] == '+' || s[i] == '-'))
			i++;
		start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == start)
			return false;
	}
	return i == len;
}

/*
 * JSONata's test /^(0[xX][0-9A-Fa-f]+)|(0[oO][0-7]+)|(0[bB][0-1]+)$/: the
 * alternation binds loosely, so a hex prefix at the start, or an octal or
 * binary literal at the end, is enough.
 */
static bool
radix_literal_test(const char *s, size_t len)
{
	size_t		i;

	if (len >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && is_digit_in(s[2], 16))
		return true;
	for (i = 0; i + 2 < len; i++)
	{
		size_t		j;
		int			radix;

		if (s[i] != '0')
			continue;
		if (s[i + 1] == 'o' || s[i + 1] == 'O')
			radix = 8;
		else if (s[i + 1] == 'b' || s[i + 1] == 'B')
			radix = 2;
		else
			continue;
		for (j = i + 2; j < len && is_digit_in(s[j], radix); j++)
			;
		if (j == len && j > i + 2)
			return true;
	}
	return false;
}

/* JavaScript's Number(string) (StringToNumber), for the strings radix_literal_test lets through. */
static double
js_string_to_number(const char *s, size_t len)
{
	size_t		w;
	char	   *copy,
			   *end;
	double		v;

	while (len > 0 && (w = js_space_len((const unsigned char *) s, len)) > 0)
		s += w, len -= w;
	while (len > 0)
	{
		/* trailing white space: try each width */
		size_t		k;

		for (k = 1; k <= 3 && k <= len; k++)
			if (js_space_len((const unsigned char *) s + len - k, k) == k)
				break;
		if (k > 3 || k > len)
			break;
		len -= k;
	}
	if (len == 0)
		return 0;
	if (len > 2 && s[0] == '0' && strchr("xXoObB", s[1]))
	{
		int			radix = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
		size_t		i;

		v = 0;
		for (i = 2; i < len; i++)
		{
			int			dv;

			if (!is_digit_in(s[i], radix))
				return NAN;
			dv = s[i] <= '9' ? s[i] - '0' : (s[i] | 0x20) - 'a' + 10;
			v = v * radix + dv;
		}
		return v;
	}
	/* a decimal literal: digits, '.', exponent, optional sign, or Infinity */
	{
		size_t		i = 0;

		if (s[i] == '+' || s[i] == '-')
			i++;
		if (len - i == 8 && memcmp(s + i, "Infinity", 8) == 0)
			return s[0] == '-' ? -INFINITY : INFINITY;
		for (; i < len; i++)
			if (!strchr("0123456789.eE+-", s[i]))
				return NAN;
	}
	copy = malloc(len + 1);
	if (!copy)
		return NAN;
	memcpy(copy, s, len);
	copy[len] = '\0';
	v = strtod(copy, &end);
	if (end != copy + len || end == copy)
		v = NAN;
	free(copy);
	return v;
}

bool
jn_num_parse(const char *s, size_t len, double *out)
{
	if (is_json_like_decimal(s, len))
	{
		char		stack[64];
		char	   *copy = len < sizeof stack ? stack : malloc(len + 1);
		double		v;

		if (!copy)
			return false;
		memcpy(copy, s, len);
		copy[len] = '\0';
		v = strtod(copy, NULL);
		if (copy != stack)
			free(copy);
		if (isfinite(v))
		{
			*out = v;
			return true;
		}
		return false;
	}
	if (radix_literal_test(s, len))
	{
		*out = js_string_to_number(s, len);
		return true;
	}
	return false;
}
