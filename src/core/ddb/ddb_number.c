/*
 * ddb_number.c — DynamoDB numbers as digits and a power of ten.
 */
#include "ddb_number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Exponents in the text are clamped here: far outside the range, never overflowing. */
#define EXPONENT_CLAMP	1000000000LL

/*
 * Aligned magnitudes in add/sub: the last digit of a valid number sits
 * between 10^-167 and 10^125, so 38 digits shifted by up to 292 places,
 * plus a carry, fit.
 */
#define WIDE_DIGITS		(2 * DDB_NUMBER_MAX_DIGITS + 256 + 8)

static void
set_zero(ddb_number *n)
{
	memset(n, 0, sizeof(*n));
}

/*
 * Fills n from a run of significant digits (no leading zero) and the
 * exponent of its last digit, dropping trailing zeros and checking the range.
 */
static ddb_number_status
finish(ddb_number *n, bool negative, const char *digits, long long count, long long exponent)
{
	long long	adjusted;

	while (count > 0 && digits[count - 1] == '0')
	{
		count--;
		exponent++;
	}
	set_zero(n);
	if (count == 0)
		return DDB_NUMBER_OK;
	adjusted = exponent + count - 1;
	if (adjusted > DDB_NUMBER_MAX_EXPONENT)
		return DDB_NUMBER_OVERFLOW;
	if (adjusted < DDB_NUMBER_MIN_EXPONENT)
		return DDB_NUMBER_UNDERFLOW;
	if (count > DDB_NUMBER_MAX_DIGITS)
		return DDB_NUMBER_PRECISION;
	n->negative = negative;
	n->ndigits = (int) count;
	n->exponent = (int) exponent;
	memcpy(n->digits, digits, (size_t) count);
	n->digits[count] = '\0';
	return DDB_NUMBER_OK;
}

ddb_number_status
ddb_number_parse(const char *text, ddb_number *out)
{
	const char *p = text;
	bool		negative = false;
	const char *int_start;
	size_t		int_len;
	const char *frac_start = NULL;
	size_t		frac_len = 0;
	long long	exp10 = 0;
	char		sig[DDB_NUMBER_MAX_DIGITS + 1];
	long long	count = 0;
	long long	last_nonzero = -1;
	long long	first_nonzero = -1;
	long long	total;
	long long	i;

	set_zero(out);
	if (text == NULL)
		return DDB_NUMBER_INVALID;
	if (*p == '+' || *p == '-')
		negative = (*p++ == '-');
	int_start = p;
	while (*p >= '0' && *p <= '9')
		p++;
	int_len = (size_t) (p - int_start);
	if (*p == '.')
	{
		frac_start = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		frac_len = (size_t) (p - frac_start);
	}
	if (int_len + frac_len == 0)
		return DDB_NUMBER_INVALID;
	if (*p == 'e' || *p == 'E')
	{
		bool		exp_negative = false;
		const char *exp_start;

		p++;
		if (*p == '+' || *p == '-')
			exp_negative = (*p++ == '-');
		exp_start = p;
		while (*p >= '0' && *p <= '9')
		{
			if (exp10 < EXPONENT_CLAMP)
				exp10 = exp10 * 10 + (*p - '0');
			p++;
		}
		if (p == exp_start)
			return DDB_NUMBER_INVALID;
		if (exp_negative)
			exp10 = -exp10;
	}
	if (*p != '\0')
		return DDB_NUMBER_INVALID;

	/* the digits of the integer part then of the fraction, as one run */
	total = (long long) (int_len + frac_len);
	for (i = 0; i < total; i++)
	{
		char		c = i < (long long) int_len ? int_start[i] : frac_start[i - (long long) int_len];

		if (c != '0')
		{
			if (first_nonzero < 0)
				first_nonzero = i;
			last_nonzero = i;
		}
	}
	if (first_nonzero < 0)
		return DDB_NUMBER_OK;	/* zero, "-0" included */
	for (i = first_nonzero; i <= last_nonzero && count < DDB_NUMBER_MAX_DIGITS + 1; i++)
		sig[count++] = i < (long long) int_len ? int_start[i] : frac_start[i - (long long) int_len];

	/* exponent of the last significant digit */
	{
		long long	exponent = exp10 - (long long) frac_len + (total - 1 - last_nonzero);
		long long	ndigits = last_nonzero - first_nonzero + 1;

		if (ndigits > DDB_NUMBER_MAX_DIGITS)
		{
			/* range errors come first, as DynamoDB reports them */
			long long	adjusted = exponent + ndigits - 1;

			if (adjusted > DDB_NUMBER_MAX_EXPONENT)
				return DDB_NUMBER_OVERFLOW;
			if (adjusted < DDB_NUMBER_MIN_EXPONENT)
				return DDB_NUMBER_UNDERFLOW;
			return DDB_NUMBER_PRECISION;
		}
		return finish(out, negative, sig, count, exponent);
	}
}

char	   *
ddb_number_message(ddb_number_status status, const char *text)
{
	char	   *msg = NULL;

	switch (status)
	{
		case DDB_NUMBER_OK:
			return strdup("");
		case DDB_NUMBER_INVALID:
			if (text == NULL || *text == '\0')
				return strdup("The parameter cannot be converted to a numeric value");
			if (asprintf(&msg, "The parameter cannot be converted to a numeric value: %s", text) < 0)
				return NULL;
			return msg;
		case DDB_NUMBER_OVERFLOW:
			return strdup("Number overflow. Attempting to store a number with magnitude larger than supported range");
		case DDB_NUMBER_UNDERFLOW:
			return strdup("Number underflow. Attempting to store a number with magnitude smaller than supported range");
		case DDB_NUMBER_PRECISION:
			return strdup("Attempting to store more than 38 significant digits in a Number");
	}
	return NULL;
}

void
ddb_number_format(const ddb_number *n, char buf[DDB_NUMBER_TEXT_SIZE])
{
	char	   *w = buf;
	int			point;
	int			i;

	if (n->ndigits == 0)
	{
		strcpy(buf, "0");
		return;
	}
	if (n->negative)
		*w++ = '-';
	if (n->exponent >= 0)
	{
		memcpy(w, n->digits, (size_t) n->ndigits);
		w += n->ndigits;
		for (i = 0; i < n->exponent; i++)
			*w++ = '0';
	}
	else
	{
		point = n->ndigits + n->exponent;	/* digits before the point */
		if (point > 0)
		{
			memcpy(w, n->digits, (size_t) point);
			w += point;
			*w++ = '.';
			memcpy(w, n->digits + point, (size_t) (n->ndigits - point));
			w += n->ndigits - point;
		}
		else
		{
			*w++ = '0';
			*w++ = '.';
			for (i = 0; i < -point; i++)
				*w++ = '0';
			memcpy(w, n->digits, (size_t) n->ndigits);
			w += n->ndigits;
		}
	}
	*w = '\0';
}

ddb_number_status
ddb_number_canonical(const char *text, char buf[DDB_NUMBER_TEXT_SIZE])
{
	ddb_number	n;
	ddb_number_status st = ddb_number_parse(text, &n);

	if (st == DDB_NUMBER_OK)
		ddb_number_format(&n, buf);
	return st;
}

/* Compares magnitudes, signs ignored. */
static int
compare_magnitude(const ddb_number *a, const ddb_number *b)
{
	int			ea,
				eb,
				i,
				len;

	if (a->ndigits == 0 || b->ndigits == 0)
		return (a->ndigits != 0) - (b->ndigits != 0);
	ea = a->exponent + a->ndigits - 1;
	eb = b->exponent + b->ndigits - 1;
	if (ea != eb)
		return ea < eb ? -1 : 1;
	len = a->ndigits > b->ndigits ? a->ndigits : b->ndigits;
	for (i = 0; i < len; i++)
	{
		char		da = i < a->ndigits ? a->digits[i] : '0';
		char		db = i < b->ndigits ? b->digits[i] : '0';

		if (da != db)
			return da < db ? -1 : 1;
	}
	return 0;
}

int
ddb_number_compare(const ddb_number *a, const ddb_number *b)
{
	int			sa = a->ndigits == 0 ? 0 : (a->negative ? -1 : 1);
	int			sb = b->ndigits == 0 ? 0 : (b->negative ? -1 : 1);
	int			m;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	m = compare_magnitude(a, b);
	return sa < 0 ? -m : m;
}

/*
 * Writes n's digits as an integer in units of 10^base (base <= exponent),
 * right-aligned in wide[WIDE_DIGITS] as digit values 0..9.
 */
static void
spread(const ddb_number *n, int base, unsigned char *wide)
{
	int			shift = n->exponent - base;
	int			end = WIDE_DIGITS - shift;	/* one past the last digit */
	int			i;

	memset(wide, 0, WIDE_DIGITS);
	for (i = 0; i < n->ndigits; i++)
		wide[end - n->ndigits + i] = (unsigned char) (n->digits[i] - '0');
}

/* a + b (a - b when b_negative) at DynamoDB's 38 digits of precision. */
static ddb_number_status
add_signed(const ddb_number *a, const ddb_number *b, bool b_negative, ddb_number *out)
{
	unsigned char wa[WIDE_DIGITS];
	unsigned char wb[WIDE_DIGITS];
	unsigned char wr[WIDE_DIGITS];
	char		text[WIDE_DIGITS];
	bool		negative;
	int			base;
	int			i,
				start,
				carry = 0;

	if (b->ndigits == 0)
	{
		*out = *a;
		return DDB_NUMBER_OK;
	}
	if (a->ndigits == 0)
	{
		*out = *b;
		out->negative = b_negative;
		return DDB_NUMBER_OK;
	}
	base = a->exponent < b->exponent ? a->exponent : b->exponent;
	spread(a, base, wa);
	spread(b, base, wb);
	if (a->negative == b_negative)
	{
		negative = a->negative;
		for (i = WIDE_DIGITS - 1; i >= 0; i--)
		{
			int			d = wa[i] + wb[i] + carry;

			wr[i] = (unsigned char) (d % 10);
			carry = d / 10;
		}
	}
	else
	{
		const unsigned char *big = wa;
		const unsigned char *small = wb;
		int			m = compare_magnitude(a, b);

		if (m == 0)
		{
			set_zero(out);
			return DDB_NUMBER_OK;
		}
		negative = a->negative;
		if (m < 0)
		{
			big = wb;
			small = wa;
			negative = b_negative;
		}
		for (i = WIDE_DIGITS - 1; i >= 0; i--)
		{
			int			d = big[i] - small[i] - carry;

			carry = d < 0;
			wr[i] = (unsigned char) (d < 0 ? d + 10 : d);
		}
	}
	for (start = 0; start < WIDE_DIGITS - 1 && wr[start] == 0; start++)
		;
	for (i = start; i < WIDE_DIGITS; i++)
		text[i - start] = (char) ('0' + wr[i]);
	return finish(out, negative, text, WIDE_DIGITS - start, base);
}

ddb_number_status
ddb_number_add(const ddb_number *a, const ddb_number *b, ddb_number *out)
{
	ddb_number	ca = *a;
	ddb_number	cb = *b;

	return add_signed(&ca, &cb, cb.negative, out);
}

ddb_number_status
ddb_number_sub(const ddb_number *a, const ddb_number *b, ddb_number *out)
{
	ddb_number	ca = *a;
	ddb_number	cb = *b;

	return add_signed(&ca, &cb, cb.ndigits != 0 && !cb.negative, out);
}
