/*
 * jn_picture.c — XPath picture strings for numbers as JSONata implements
 * them ($formatNumber, $formatInteger, $parseInteger) and $formatBase.
 *
 * JSONata's algorithms index strings character by character; they run
 * here on arrays of code points (ustr), which matches JavaScript's UTF-16
 * indexing for every character outside the astral planes.
 */
#include "jsonata/jn_picture.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata/jn_kept.h"
#include "jsonata/jn_numfmt.h"

/* ---- code point strings ---- */

typedef struct ustr
{
	uint32_t   *c;
	size_t		n;
	size_t		cap;
	bool		oom;
} ustr;

/* Grows u to hold need code points; sets u->oom when it cannot. */
static void
u_reserve(ustr *u, size_t need)
{
	uint32_t   *grown;
	size_t		cap;

	if (u->oom || need <= u->cap)
		return;
	cap = u->cap ? u->cap * 2 : 16;
	while (cap < need)
		cap *= 2;
	grown = realloc(u->c, cap * sizeof(uint32_t));
	if (!grown)
	{
		u->oom = true;
		return;
	}
	u->c = grown;
	u->cap = cap;
}

/* Appends one code point. */
static void
u_push(ustr *u, uint32_t c)
{
	u_reserve(u, u->n + 1);
	if (!u->oom)
		u->c[u->n++] = c;
}

/* Appends n code points. */
static void
u_append(ustr *u, const uint32_t *c, size_t n)
{
	if (n == 0)
		return;
	u_reserve(u, u->n + n);
	if (!u->oom && n)
	{
		memcpy(u->c + u->n, c, n * sizeof(uint32_t));
		u->n += n;
	}
}

/* Appends an ASCII string. */
static void
u_append_ascii(ustr *u, const char *s)
{
	while (*s)
		u_push(u, (unsigned char) *s++);
}

static void
u_free(ustr *u)
{
	free(u->c);
	memset(u, 0, sizeof *u);
}

/* Appends the UTF-8 s[0..len) (a malformed byte becomes U+FFFD). */
static void
u_append_utf8(ustr *u, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t		i = 0;

	while (i < len)
	{
		uint32_t	c = p[i],
					min = 0;
		size_t		n = 1,
					k;

		if (c >= 0xC2 && c <= 0xDF)
			n = 2, c &= 0x1F, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 3, c &= 0x0F, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 4, c &= 0x07, min = 0x10000;
		else if (c >= 0x80)
			c = 0xFFFD;
		if (n > 1)
		{
			bool		ok = i + n <= len;

			for (k = 1; ok && k < n; k++)
			{
				if ((p[i + k] & 0xC0) != 0x80)
					ok = false;
				else
					c = (c << 6) | (p[i + k] & 0x3F);
			}
			if (!ok || c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
				c = 0xFFFD, n = 1;
		}
		u_push(u, c);
		i += n;
	}
}

/* The code points of UTF-8 s[0..len). */
static ustr
u_from(const char *s, size_t len)
{
	ustr		u = {0};

	u_append_utf8(&u, s, len);
	return u;
}

/* The code points of UTF-8 s, NUL-terminated (NULL: empty). */
static ustr
u_from_z(const char *s)
{
	return u_from(s, s ? strlen(s) : 0);
}

/* A malloc'd UTF-8 copy of u[from..to). */
static char *
u_to_utf8(const ustr *u, size_t from, size_t to, size_t *out_len)
{
	char	   *out,
			   *p;
	size_t		i;

	if (u->oom)
		return NULL;
	out = malloc((to - from) * 4 + 1);
	if (!out)
		return NULL;
	p = out;
	for (i = from; i < to; i++)
	{
		uint32_t	c = u->c[i];

		if (c < 0x80)
			*p++ = (char) c;
		else if (c < 0x800)
		{
			*p++ = (char) (0xC0 | (c >> 6));
			*p++ = (char) (0x80 | (c & 0x3F));
		}
		else if (c < 0x10000)
		{
			*p++ = (char) (0xE0 | (c >> 12));
			*p++ = (char) (0x80 | ((c >> 6) & 0x3F));
			*p++ = (char) (0x80 | (c & 0x3F));
		}
		else
		{
			*p++ = (char) (0xF0 | (c >> 18));
			*p++ = (char) (0x80 | ((c >> 12) & 0x3F));
			*p++ = (char) (0x80 | ((c >> 6) & 0x3F));
			*p++ = (char) (0x80 | (c & 0x3F));
		}
	}
	*p = '\0';
	if (out_len)
		*out_len = (size_t) (p - out);
	return out;
}

/* JavaScript's indexOf(sub, from) over code points; -1 when absent. */
static long
u_index_of(const ustr *u, const ustr *sub, size_t from)
{
	size_t		i;

	if (from > u->n)
		from = u->n;
	if (sub->n == 0)
		return (long) from;
	for (i = from; i + sub->n <= u->n; i++)
		if (memcmp(u->c + i, sub->c, sub->n * sizeof(uint32_t)) == 0)
			return (long) i;
	return -1;
}

/* The last position of sub in u, or -1. */
static long
u_last_index_of(const ustr *u, const ustr *sub)
{
	size_t		i;

	if (sub->n == 0)
		return (long) u->n;
	if (sub->n > u->n)
		return -1;
	for (i = u->n - sub->n + 1; i-- > 0;)
		if (memcmp(u->c + i, sub->c, sub->n * sizeof(uint32_t)) == 0)
			return (long) i;
	return -1;
}

/* JavaScript's substring(a, b): clamped to [0, n], swapped when a > b; a new string. */
static ustr
u_substring(const ustr *u, long a, long b)
{
	ustr		r = {0};
	long		n = (long) u->n;

	a = a < 0 ? 0 : a > n ? n : a;
	b = b < 0 ? 0 : b > n ? n : b;
	if (a > b)
	{
		long		t = a;

		a = b;
		b = t;
	}
	if (b > a)
		u_append(&r, u->c + a, (size_t) (b - a));
	if (r.oom)
		u_free(&r), r.oom = true;
	return r;
}

/* a single-character string equal to c (JavaScript's charAt(i) === prop) */
static bool
u_is_char(const ustr *prop, uint32_t c)
{
	return prop->n == 1 && prop->c[0] == c;
}

/* Inserts what at position at (clamped to u's end). */
static void
u_insert(ustr *u, size_t at, const ustr *what)
{
	if (what->n == 0)
		return;
	if (at > u->n)
		at = u->n;
	u_reserve(u, u->n + what->n);
	if (u->oom)
		return;
	memmove(u->c + at + what->n, u->c + at, (u->n - at) * sizeof(uint32_t));
	memcpy(u->c + at, what->c, what->n * sizeof(uint32_t));
	u->n += what->n;
}

static void
set_oom(jn_liberr *err)
{
	jn_liberr_set(err, "D0000", "out of memory");
}

/* ---- $formatNumber ---- */

void
jn_decimal_format_default(jn_decimal_format *fmt)
{
	fmt->decimal_separator = ".";
	fmt->grouping_separator = ",";
	fmt->exponent_separator = "e";
	fmt->infinity = "Infinity";
	fmt->nan = "NaN";
	fmt->minus_sign = "-";
	fmt->percent = "%";
	fmt->per_mille = "\xe2\x80\xb0";
	fmt->zero_digit = "0";
	fmt->digit = "#";
	fmt->pattern_separator = ";";
}

bool
jn_decimal_format_set(jn_decimal_format *fmt, const char *key, const char *value)
{
	static const struct
	{
		const char *key;
		size_t		offset;
	}			keys[] = {
		{"decimal-separator", offsetof(jn_decimal_format, decimal_separator)},
		{"grouping-separator", offsetof(jn_decimal_format, grouping_separator)},
		{"exponent-separator", offsetof(jn_decimal_format, exponent_separator)},
		{"infinity", offsetof(jn_decimal_format, infinity)},
		{"NaN", offsetof(jn_decimal_format, nan)},
		{"minus-sign", offsetof(jn_decimal_format, minus_sign)},
		{"percent", offsetof(jn_decimal_format, percent)},
		{"per-mille", offsetof(jn_decimal_format, per_mille)},
		{"zero-digit", offsetof(jn_decimal_format, zero_digit)},
		{"digit", offsetof(jn_decimal_format, digit)},
		{"pattern-separator", offsetof(jn_decimal_format, pattern_separator)},
	};
	size_t		i;

	for (i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(keys[i].key, key) == 0)
		{
			*(const char **) ((char *) fmt + keys[i].offset) = value;
			return true;
		}
	return false;
}

/* the properties as code point strings */
typedef struct props
{
	ustr		decimal_sep,
				grouping_sep,
				exponent_sep,
				minus_sign,
				percent,
				per_mille,
				zero_digit,
				digit,
				pattern_sep;
	uint32_t	zero;			/* first code unit of zero-digit: the family
								 * is zero..zero+9 */
} props;

static void
props_free(props *p)
{
	u_free(&p->decimal_sep);
	u_free(&p->grouping_sep);
	u_free(&p->exponent_sep);
	u_free(&p->minus_sign);
	u_free(&p->percent);
	u_free(&p->per_mille);
	u_free(&p->zero_digit);
	u_free(&p->digit);
	u_free(&p->pattern_sep);
}

/*
 * Whether c is a digit of the decimal format's digit family (zero-digit to
 * zero-digit + 9).
 */
static bool
is_family(const props *p, uint32_t c)
{
	return c >= p->zero && c < p->zero + 10;
}

/* activeChars.indexOf(c) !== -1: a digit of the family or one of five single-character properties */
static bool
is_active(const props *p, uint32_t c)
{
	return is_family(p, c) || u_is_char(&p->decimal_sep, c) || u_is_char(&p->exponent_sep, c) ||
		u_is_char(&p->grouping_sep, c) || u_is_char(&p->digit, c) || u_is_char(&p->pattern_sep, c);
}

typedef struct subpic
{
	ustr		sub,
				prefix,
				suffix,
				active,
				mantissa,
				exponent,
				integer,
				fraction;
	bool		has_exponent;
} subpic;

static void
subpic_free(subpic *s)
{
	u_free(&s->sub);
	u_free(&s->prefix);
	u_free(&s->suffix);
	u_free(&s->active);
	u_free(&s->mantissa);
	u_free(&s->exponent);
	u_free(&s->integer);
	u_free(&s->fraction);
}

/* JSONata's splitParts, including its index arithmetic */
static void
split_parts(const props *p, subpic *s)
{
	const ustr *sp = &s->sub;
	long		n = (long) sp->n;
	long		i,
				first = -1,
				last = -1,
				exppos,
				dec;

	for (i = 0; i < n; i++)
		if (is_active(p, sp->c[i]) && !u_is_char(&p->exponent_sep, sp->c[i]))
		{
			first = i;
			break;
		}
	for (i = n - 1; i >= 0; i--)
		if (is_active(p, sp->c[i]) && !u_is_char(&p->exponent_sep, sp->c[i]))
		{
			last = i;
			break;
		}
	s->prefix = u_substring(sp, 0, first < 0 ? 0 : first);
	s->suffix = last < 0 ? u_substring(sp, 0, 0) : u_substring(sp, last + 1, n);
	s->active = u_substring(sp, (long) s->prefix.n, n - (long) s->suffix.n);
	exppos = u_index_of(sp, &p->exponent_sep, s->prefix.n);
	if (exppos == -1 || exppos > n - (long) s->suffix.n)
	{
		s->mantissa = u_substring(&s->active, 0, (long) s->active.n);
		s->has_exponent = false;
	}
	else
	{
		/*
		 * JSONata indexes the active part with a position in the whole
		 * sub-picture
		 */
		s->mantissa = u_substring(&s->active, 0, exppos);
		s->exponent = u_substring(&s->active, exppos + 1, (long) s->active.n);
		s->has_exponent = true;
	}
	dec = u_index_of(&s->mantissa, &p->decimal_sep, 0);
	if (dec == -1)
	{
		s->integer = u_substring(&s->mantissa, 0, (long) s->mantissa.n);
		s->fraction = u_substring(&s->suffix, 0, (long) s->suffix.n);
	}
	else
	{
		s->integer = u_substring(&s->mantissa, 0, dec);
		s->fraction = u_substring(&s->mantissa, dec + 1, (long) s->mantissa.n);
	}
}

/* Family digits (or, when or_digit, optional-digit signs) in u[from..to). */
static size_t
count_family(const props *p, const ustr *u, size_t from, size_t to, bool or_digit)
{
	size_t		i,
				k = 0;

	for (i = from; i < to && i < u->n; i++)
		if (is_family(p, u->c[i]) || (or_digit && u_is_char(&p->digit, u->c[i])))
			k++;
	return k;
}

static bool
contains(const ustr *u, const ustr *sub)
{
	return u_index_of(u, sub, 0) != -1;
}

/* charAt(i) === prop, with charAt outside the string being "" */
static bool
char_at_is(const ustr *u, long i, const ustr *prop)
{
	return i >= 0 && (size_t) i < u->n && u_is_char(prop, u->c[i]);
}

/* JSONata's validate (F&O 4.7.3): the last failing rule names the error */
static const char *
validate(const props *p, const subpic *s)
{
	const char *error = NULL;
	const ustr *sp = &s->sub;
	long		decpos = u_index_of(sp, &p->decimal_sep, 0);
	size_t		i;
	long		opt;

	if (decpos != u_last_index_of(sp, &p->decimal_sep))
		error = "D3081";
	if (u_index_of(sp, &p->percent, 0) != u_last_index_of(sp, &p->percent))
		error = "D3082";
	if (u_index_of(sp, &p->per_mille, 0) != u_last_index_of(sp, &p->per_mille))
		error = "D3083";
	if (contains(sp, &p->percent) && contains(sp, &p->per_mille))
		error = "D3084";
	if (count_family(p, &s->mantissa, 0, s->mantissa.n, true) == 0)
		error = "D3085";
	for (i = 0; i < s->active.n; i++)
		if (!is_active(p, s->active.c[i]))
			error = "D3086";
	if (decpos != -1)
	{
		if (char_at_is(sp, decpos - 1, &p->grouping_sep) || char_at_is(sp, decpos + 1, &p->grouping_sep))
			error = "D3087";
	}
	else if (char_at_is(&s->integer, (long) s->integer.n - 1, &p->grouping_sep))
		error = "D3088";
	{
		ustr		gg = {0};

		u_append(&gg, p->grouping_sep.c, p->grouping_sep.n);
		u_append(&gg, p->grouping_sep.c, p->grouping_sep.n);
		if (!gg.oom && contains(sp, &gg))
			error = "D3089";
		u_free(&gg);
	}
	opt = u_index_of(&s->integer, &p->digit, 0);
	if (opt != -1 && count_family(p, &s->integer, 0, (size_t) opt, false) > 0)
		error = "D3090";
	opt = u_last_index_of(&s->fraction, &p->digit);
	if (opt != -1 && count_family(p, &s->fraction, (size_t) opt, s->fraction.n, false) > 0)
		error = "D3091";
	if (s->has_exponent && s->exponent.n > 0 && (contains(sp, &p->percent) || contains(sp, &p->per_mille)))
		error = "D3092";
	if (s->has_exponent &&
		(s->exponent.n == 0 || count_family(p, &s->exponent, 0, s->exponent.n, false) != s->exponent.n))
		error = "D3093";
	return error;
}

typedef struct picvars
{
	long	   *int_groups;		/* integerPartGroupingPositions */
	size_t		n_int_groups;
	long		regular;
	long	   *frac_groups;
	size_t		n_frac_groups;
	long		min_int,
				scaling,
				min_frac,
				max_frac,
				min_exp;
	ustr		prefix,
				suffix,
				picture;
} picvars;

static void
picvars_free(picvars *v)
{
	free(v->int_groups);
	free(v->frac_groups);
	u_free(&v->prefix);
	u_free(&v->suffix);
	u_free(&v->picture);
}

/* getGroupingPositions: JSONata finds each next separator in the integer part, whichever part it scans */
static long *
grouping_positions(const props *p, const subpic *s, const ustr *part, bool to_left, size_t *count)
{
	long	   *pos = NULL;
	size_t		n = 0;
	long		gp = u_index_of(part, &p->grouping_sep, 0);

	if (p->grouping_sep.n == 0)
		gp = -1;				/* an empty separator would be found
								 * everywhere */
	while (gp != -1)
	{
		long	   *grown = realloc(pos, (n + 1) * sizeof(long));

		if (!grown)
		{
			free(pos);
			*count = (size_t) -1;
			return NULL;
		}
		pos = grown;
		pos[n++] = to_left ? (long) count_family(p, part, 0, (size_t) gp, true)
			: (long) count_family(p, part, (size_t) gp, part->n, true);
		gp = u_index_of(&s->integer, &p->grouping_sep, (size_t) gp + 1);
		if (gp != -1 && (size_t) gp >= s->integer.n)
			gp = -1;
	}
	*count = n;
	return pos;
}

/* The greatest common divisor, for regular grouping separators. */
static long
gcd(long a, long b)
{
	while (b != 0)
	{
		long		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* the interval when the positions are its multiples 1..n, else 0 */
static long
regular_interval(const long *idx, size_t n)
{
	long		factor;
	size_t		i,
				k;

	if (n == 0)
		return 0;
	factor = idx[0];
	for (i = 1; i < n; i++)
		factor = gcd(factor, idx[i]);
	for (i = 1; i <= n; i++)
	{
		bool		found = false;

		for (k = 0; k < n; k++)
			if (idx[k] == (long) i * factor)
				found = true;
		if (!found)
			return 0;
	}
	return factor;
}

/*
 * XPath's analysis of a sub-picture into its variables: minimum digits,
 * grouping positions, prefix and suffix, exponent.
 */
static bool
analyse(const props *p, const subpic *s, picvars *v)
{
	size_t		nint,
				nfrac;

	memset(v, 0, sizeof *v);
	v->int_groups = grouping_positions(p, s, &s->integer, false, &nint);
	if (nint == (size_t) -1)
		return false;
	v->n_int_groups = nint;
	v->regular = regular_interval(v->int_groups, nint);
	v->frac_groups = grouping_positions(p, s, &s->fraction, true, &nfrac);
	if (nfrac == (size_t) -1)
		return false;
	v->n_frac_groups = nfrac;
	v->min_int = (long) count_family(p, &s->integer, 0, s->integer.n, false);
	v->scaling = v->min_int;
	v->min_frac = (long) count_family(p, &s->fraction, 0, s->fraction.n, false);
	v->max_frac = (long) count_family(p, &s->fraction, 0, s->fraction.n, true);
	if (v->min_int == 0 && v->max_frac == 0)
	{
		if (s->has_exponent)
			v->min_frac = v->max_frac = 1;
		else
			v->min_int = 1;
	}
	if (s->has_exponent && v->min_int == 0 && contains(&s->integer, &p->digit))
		v->min_int = 1;
	if (v->min_int == 0 && v->min_frac == 0)
		v->min_frac = 1;
	v->min_exp = s->has_exponent ? (long) count_family(p, &s->exponent, 0, s->exponent.n, false) : 0;
	v->prefix = u_substring(&s->prefix, 0, (long) s->prefix.n);
	v->suffix = u_substring(&s->suffix, 0, (long) s->suffix.n);
	v->picture = u_substring(&s->sub, 0, (long) s->sub.n);
	return !(v->prefix.oom || v->suffix.oom || v->picture.oom);
}

/* adds one unit in the last place of the decimal digits in s (a "123.45" string), carrying */
static void
decimal_increment(char *s, size_t *len)
{
	long		i;

	for (i = (long) *len - 1; i >= 0; i--)
	{
		if (s[i] == '.')
			continue;
		if (s[i] < '9')
		{
			s[i]++;
			return;
		}
		s[i] = '0';
	}
	memmove(s + 1, s, *len + 1);
	s[0] = '1';
	(*len)++;
}

/*
 * JavaScript's Math.abs(x).toFixed(dp): correctly rounded, an exact tie
 * going up (printf would round it to even). |x| >= 1e21 prints as
 * String(x). Returns malloc'd ASCII.
 */
static char *
js_to_fixed_abs(double x, int dp)
{
	char	   *s;
	size_t		len;

	x = fabs(x);
	if (!(x < 1e21))
	{
		s = malloc(JN_NUMFMT_BUFSZ);
		if (s)
			jn_num_to_js(x, s);
		return s;
	}
	if (dp > 100)
		dp = 100;

	/*
	 * the exact expansion decides a tie: a digit 5 then only zeros. A double
	 * m * 2^(e-53) (m an integer, frexp's e) has at most 53 - e decimals, so
	 * that many (at least dp + 1) are all of them: far fewer than the 1100
	 * that would do for any double
	 */
	{
		int			e;
		int			exact_dp;
		int			exact_len;
		char	   *exact;
		char	   *dot;
		bool		tie;
		size_t		i;

		(void) frexp(x, &e);
		exact_dp = 53 - e > dp + 1 ? 53 - e : dp + 1;
		exact_len = snprintf(NULL, 0, "%.*f", exact_dp, x);
		exact = malloc((size_t) exact_len + 1);
		if (!exact)
			return NULL;
		snprintf(exact, (size_t) exact_len + 1, "%.*f", exact_dp, x);
		dot = strchr(exact, '.');
		tie = dot[dp + 1] == '5';
		for (i = (size_t) (dot - exact) + (size_t) dp + 2; tie && exact[i]; i++)
			if (exact[i] != '0')
				tie = false;
		if (tie)
		{
			/* truncate after dp digits, then round up */
			len = (size_t) (dot - exact) + (size_t) dp + (dp > 0 ? 1 : 0);
			s = malloc(len + 2);
			if (!s)
			{
				free(exact);
				return NULL;
			}
			memcpy(s, exact, len);
			s[len] = '\0';
			decimal_increment(s, &len);
			free(exact);
			return s;
		}
		free(exact);
	}
	len = (size_t) snprintf(NULL, 0, "%.*f", dp, x);
	s = malloc(len + 2);
	if (s)
		snprintf(s, len + 1, "%.*f", dp, x);
	return s;
}

/* makeString: toFixed, then the digits mapped to the zero-digit's family */
static void
make_string(ustr *out, const props *p, double value, int dp)
{
	char	   *s = js_to_fixed_abs(value, dp);
	size_t		i;

	if (!s)
	{
		out->oom = true;
		return;
	}
	for (i = 0; s[i]; i++)
	{
		uint32_t	c = (unsigned char) s[i];

		if (p->zero != '0' && c >= '0' && c <= '9')
			c = p->zero + (c - '0');
		u_push(out, c);
	}
	free(s);
}

/* Appends what count times. */
static void
u_pad_repeat(ustr *u, const ustr *what, long count)
{
	long		i;

	for (i = 0; i < count && !u->oom; i++)
		u_append(u, what->c, what->n);
}

/*
 * $formatNumber's formatting of value with an analysed sub-picture:
 * scaling, rounding, digit family, grouping, exponent, prefix and suffix
 * (XPath 3.1, 4.7.5).
 */
static bool
format_with(const props *p, const jn_decimal_format *fmt, const picvars *pic, double value, ustr *out)
{
	double		adjusted,
				mantissa,
				rounded;
	long		exponent = 0;
	bool		has_exponent = false;
	ustr		str = {0};
	long		decpos,
				padl,
				padr;

	(void) fmt;
	if (contains(&pic->picture, &p->percent))
		adjusted = value * 100;
	else if (contains(&pic->picture, &p->per_mille))
		adjusted = value * 1000;
	else
		adjusted = value;
	mantissa = adjusted;
	if (pic->min_exp != 0)
	{
		double		max_m = pow(10, (double) pic->scaling);
		double		min_m = pow(10, (double) pic->scaling - 1);

		has_exponent = true;
		if (mantissa != 0 && isfinite(mantissa))
		{
			while (fabs(mantissa) < min_m)
			{
				mantissa *= 10;
				exponent -= 1;
			}
			while (fabs(mantissa) > max_m)
			{
				mantissa /= 10;
				exponent += 1;
			}
		}
	}
	rounded = jn_num_round_half_even(mantissa, (int) pic->max_frac);
	make_string(&str, p, rounded, (int) pic->max_frac);
	if (str.oom)
		return false;
	{
		ustr		dot = {0};

		u_push(&dot, '.');
		decpos = u_index_of(&str, &dot, 0);
		u_free(&dot);
	}
	if (decpos == -1)
		u_append(&str, p->decimal_sep.c, p->decimal_sep.n);
	else
	{
		ustr		tail = u_substring(&str, decpos + 1, (long) str.n);

		str.n = (size_t) decpos;
		u_append(&str, p->decimal_sep.c, p->decimal_sep.n);
		u_append(&str, tail.c, tail.n);
		u_free(&tail);
	}
	/* strip leading and trailing zero digits */
	{
		size_t		lead = 0;

		while (lead < str.n && u_is_char(&p->zero_digit, str.c[lead]))
			lead++;
		if (lead > 0)
		{
			memmove(str.c, str.c + lead, (str.n - lead) * sizeof(uint32_t));
			str.n -= lead;
		}
		while (str.n > 0 && u_is_char(&p->zero_digit, str.c[str.n - 1]))
			str.n--;
	}
	decpos = u_index_of(&str, &p->decimal_sep, 0);
	padl = pic->min_int - decpos;
	padr = pic->min_frac - ((long) str.n - decpos - 1);
	if (padl > 0)
	{
		ustr		padded = {0};

		u_pad_repeat(&padded, &p->zero_digit, padl);
		u_append(&padded, str.c, str.n);
		u_free(&str);
		str = padded;
	}
	if (padr > 0)
		u_pad_repeat(&str, &p->zero_digit, padr);
	if (str.oom)
	{
		u_free(&str);
		return false;
	}
	decpos = u_index_of(&str, &p->decimal_sep, 0);
	if (pic->regular > 0)
	{
		long		groups = (decpos - 1) / pic->regular;
		long		g;

		if (decpos - 1 < 0)
			groups = 0;
		for (g = 1; g <= groups; g++)
			u_insert(&str, (size_t) (decpos - g * pic->regular), &p->grouping_sep);
	}
	else
	{
		size_t		k;

		for (k = 0; k < pic->n_int_groups; k++)
		{
			long		at = decpos - pic->int_groups[k];

			/* JavaScript's slice counts a negative index from the end */
			if (at < 0)
				at = (long) str.n + at < 0 ? 0 : (long) str.n + at;
			u_insert(&str, (size_t) at, &p->grouping_sep);
			decpos++;
		}
	}
	decpos = u_index_of(&str, &p->decimal_sep, 0);
	{
		size_t		k;

		for (k = 0; k < pic->n_frac_groups; k++)
		{
			long		at = pic->frac_groups[k] + decpos + 1;

			if (at < 0)
				at = (long) str.n + at < 0 ? 0 : (long) str.n + at;
			u_insert(&str, (size_t) at, &p->grouping_sep);
		}
	}
	decpos = u_index_of(&str, &p->decimal_sep, 0);
	if (!contains(&pic->picture, &p->decimal_sep) || decpos == (long) str.n - 1)
	{
		if (str.n > 0)
			str.n--;
	}
	if (has_exponent)
	{
		ustr		e = {0};
		long		padexp;

		make_string(&e, p, (double) exponent, 0);
		padexp = pic->min_exp - (long) e.n;
		u_append(&str, p->exponent_sep.c, p->exponent_sep.n);
		if (exponent < 0)
			u_append(&str, p->minus_sign.c, p->minus_sign.n);
		u_pad_repeat(&str, &p->zero_digit, padexp);
		u_append(&str, e.c, e.n);
		u_free(&e);
	}
	u_append(out, pic->prefix.c, pic->prefix.n);
	u_append(out, str.c, str.n);
	u_append(out, pic->suffix.c, pic->suffix.n);
	u_free(&str);
	return !out->oom;
}

/*
 * A picture of $formatNumber analysed with a decimal format's characters:
 * what formatting a value needs of it (format_with reads, never changes it).
 */
typedef struct numpic
{
	props		p;
	picvars		vars[2];		/* positive, negative */
} numpic;

static void
numpic_free(numpic *np)
{
	picvars_free(&np->vars[0]);
	picvars_free(&np->vars[1]);
	props_free(&np->p);
}

/* Analyses picture with fmt's characters into np; false with err set. */
static bool
numpic_analyse(const char *picture, size_t picture_len, const jn_decimal_format *fmt, numpic *np,
			   jn_liberr *err)
{
	ustr		pic = {0};
	subpic		subs[2];
	size_t		nsub = 0,
				i;
	bool		ok = false;
	const char *error = NULL;

	memset(np, 0, sizeof *np);
	memset(subs, 0, sizeof subs);
	np->p.decimal_sep = u_from_z(fmt->decimal_separator);
	np->p.grouping_sep = u_from_z(fmt->grouping_separator);
	np->p.exponent_sep = u_from_z(fmt->exponent_separator);
	np->p.minus_sign = u_from_z(fmt->minus_sign);
	np->p.percent = u_from_z(fmt->percent);
	np->p.per_mille = u_from_z(fmt->per_mille);
	np->p.zero_digit = u_from_z(fmt->zero_digit);
	np->p.digit = u_from_z(fmt->digit);
	np->p.pattern_sep = u_from_z(fmt->pattern_separator);
	/* charCodeAt(0) of "" is NaN: no digit belongs to the family */
	np->p.zero = np->p.zero_digit.n ? np->p.zero_digit.c[0] : 0xFFFFFFF0u;
	pic = u_from(picture, picture_len);

	/* picture.split(pattern-separator): more than two parts is D3080 */
	{
		size_t		start = 0;
		long		at;

		while (!error)
		{
			at = np->p.pattern_sep.n ? u_index_of(&pic, &np->p.pattern_sep, start) : -1;
			if (nsub == 2)
			{
				error = "D3080";
				break;
			}
			subs[nsub++].sub = u_substring(&pic, (long) start, at == -1 ? (long) pic.n : at);
			if (at == -1)
				break;
			start = (size_t) at + np->p.pattern_sep.n;
		}
	}
	for (i = 0; i < nsub && !error; i++)
		split_parts(&np->p, &subs[i]);
	for (i = 0; i < nsub && !error; i++)
		error = validate(&np->p, &subs[i]);
	if (error)
	{
		static const char *const messages[][2] = {
			{"D3080", "The picture string must only contain a maximum of two sub-pictures"},
			{"D3081", "The sub-picture must not contain more than one instance of the 'decimal-separator' character"},
			{"D3082", "The sub-picture must not contain more than one instance of the 'percent' character"},
			{"D3083", "The sub-picture must not contain more than one instance of the 'per-mille' character"},
			{"D3084", "The sub-picture must not contain both a 'percent' and a 'per-mille' character"},
			{"D3085", "The mantissa part of a sub-picture must contain at least one character that is either an 'optional digit character' or a member of the 'decimal digit family'"},
			{"D3086", "The sub-picture must not contain a passive character that is preceded by an active character and that is followed by another active character"},
			{"D3087", "The sub-picture must not contain a 'grouping-separator' character that appears adjacent to a 'decimal-separator' character"},
			{"D3088", "The sub-picture must not contain a 'grouping-separator' at the end of the integer part"},
			{"D3089", "The sub-picture must not contain two adjacent instances of the 'grouping-separator' character"},
			{"D3090", "The integer part of the sub-picture must not contain a member of the 'decimal digit family' that is followed by an instance of the 'optional digit character'"},
			{"D3091", "The fractional part of the sub-picture must not contain an instance of the 'optional digit character' that is followed by a member of the 'decimal digit family'"},
			{"D3092", "A sub-picture that contains a 'percent' or 'per-mille' character must not contain a character treated as an 'exponent-separator'"},
			{"D3093", "The exponent part of the sub-picture must comprise only of one or more characters that are members of the 'decimal digit family'"},
		};

		const char *msg = "Invalid picture string";

		for (i = 0; i < sizeof messages / sizeof messages[0]; i++)
			if (strcmp(messages[i][0], error) == 0)
				msg = messages[i][1];
		jn_liberr_set(err, error, "%s", msg);
		goto done;
	}
	for (i = 0; i < nsub; i++)
	{
		if (!analyse(&np->p, &subs[i], &np->vars[i]))
		{
			set_oom(err);
			goto done;
		}
	}
	if (nsub == 1)
	{
		/*
		 * the negative sub-picture: the positive one with the minus sign
		 * before its prefix
		 */
		if (!analyse(&np->p, &subs[0], &np->vars[1]))
		{
			set_oom(err);
			goto done;
		}
		{
			ustr		prefixed = {0};

			u_append(&prefixed, np->p.minus_sign.c, np->p.minus_sign.n);
			u_append(&prefixed, np->vars[1].prefix.c, np->vars[1].prefix.n);
			u_free(&np->vars[1].prefix);
			np->vars[1].prefix = prefixed;
		}
	}
	ok = true;
done:
	for (i = 0; i < 2; i++)
		subpic_free(&subs[i]);
	u_free(&pic);
	if (!ok)
		numpic_free(np);
	return ok;
}

/*
 * Analysed pictures kept (jn_kept.h), keyed by the picture and the decimal
 * format's characters.
 */
#define NUMPIC_KEY_MAX 1024

static void
numpic_release(void *np)
{
	numpic_free(np);
	free(np);
}

static _Thread_local jn_kept numpic_kept = {.free_val = numpic_release};

/* Appends n bytes to a key of at most NUMPIC_KEY_MAX bytes; false when full. */
static bool
key_add(char *key, size_t *len, const void *s, size_t n)
{
	if (*len + n > NUMPIC_KEY_MAX)
		return false;
	memcpy(key + *len, s, n);
	*len += n;
	return true;
}

/* The key of a picture and a format: its length and bytes, then each character's string with its NUL */
static bool
numpic_key(const char *picture, size_t picture_len, const jn_decimal_format *fmt, char *key, size_t *len)
{
	const char *fields[] = {fmt->decimal_separator, fmt->grouping_separator, fmt->exponent_separator,
		fmt->minus_sign, fmt->percent, fmt->per_mille, fmt->zero_digit, fmt->digit,
	fmt->pattern_separator};

	*len = 0;
	if (!key_add(key, len, &picture_len, sizeof picture_len) || !key_add(key, len, picture, picture_len))
		return false;
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
		if (!key_add(key, len, fields[i] ? fields[i] : "", fields[i] ? strlen(fields[i]) + 1 : 1))
			return false;
	return true;
}

char	   *
jn_format_number(double value, const char *picture, size_t picture_len,
				 const jn_decimal_format *fmt, size_t *out_len, jn_liberr *err)
{
	jn_decimal_format defaults;
	numpic		own;
	const numpic *np;
	bool		owned = false;
	ustr		out = {0};
	char		key[NUMPIC_KEY_MAX];
	size_t		klen = 0;
	bool		keyed;
	char	   *result = NULL;

	if (!fmt)
	{
		jn_decimal_format_default(&defaults);
		fmt = &defaults;
	}
	keyed = numpic_key(picture, picture_len, fmt, key, &klen);
	np = keyed ? jn_kept_get(&numpic_kept, key, klen) : NULL;
	if (np == NULL)
	{
		if (!numpic_analyse(picture, picture_len, fmt, &own, err))
			return NULL;
		np = keyed ? jn_kept_put_copy(&numpic_kept, key, klen, &own, sizeof own) : NULL;
		owned = np == NULL;
		if (owned)
			np = &own;
	}
	if (!format_with(&np->p, fmt, value >= 0 ? &np->vars[0] : &np->vars[1], value, &out))
		set_oom(err);
	else
	{
		result = u_to_utf8(&out, 0, out.n, out_len);
		if (!result)
			set_oom(err);
	}
	u_free(&out);
	if (owned)
		numpic_free(&own);
	return result;
}

/* ---- $formatInteger and $parseInteger ---- */

static const char *const few[] = {
	"Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
	"Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen"
};
static const char *const ordinals[] = {
	"Zeroth", "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
	"Eleventh", "Twelfth", "Thirteenth", "Fourteenth", "Fifteenth", "Sixteenth", "Seventeenth", "Eighteenth", "Nineteenth"
};
static const char *const decades[] = {
	"Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety", "Hundred"
};
static const char *const magnitudes[] = {"Thousand", "Million", "Billion", "Trillion"};

/* the Unicode decimal digit families JSONata knows (their zeros) */
static const uint32_t decimal_groups[] = {
	0x30, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
	0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
	0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10
};

/* English words for num (JSONata's numberToWords, in doubles as it computes) */
static void
words(ustr *out, double num, bool prev, bool ord)
{
	if (out->oom)
		return;
	if (num <= 19)
	{
		if (prev)
			u_append_ascii(out, " and ");
		u_append_ascii(out, ord ? ordinals[(int) num] : few[(int) num]);
	}
	else if (num < 100)
	{
		int			tens = (int) floor(num / 10);
		int			rem = (int) fmod(num, 10);

		if (prev)
			u_append_ascii(out, " and ");
		u_append_ascii(out, decades[tens - 2]);
		if (rem > 0)
		{
			u_push(out, '-');
			words(out, rem, false, ord);
		}
		else if (ord && out->n > 0)
		{
			out->n--;			/* "Twenty" → "Twentieth" */
			u_append_ascii(out, "ieth");
		}
	}
	else if (num < 1000)
	{
		int			hundreds = (int) floor(num / 100);
		double		rem = fmod(num, 100);

		if (prev)
			u_append_ascii(out, ", ");
		u_append_ascii(out, few[hundreds]);
		u_append_ascii(out, " Hundred");
		if (rem > 0)
			words(out, rem, true, ord);
		else if (ord)
			u_append_ascii(out, "th");
	}
	else
	{
		int			mag = (int) floor(log10(num) / 3);
		double		factor,
					mant,
					rem;

		if (mag > 4)
			mag = 4;
		factor = pow(10, mag * 3);
		mant = floor(num / factor);
		rem = num - mant * factor;
		if (prev)
			u_append_ascii(out, ", ");
		words(out, mant, false, false);
		u_push(out, ' ');
		u_append_ascii(out, magnitudes[mag - 1]);
		if (rem > 0)
			words(out, rem, true, ord);
		else if (ord)
			u_append_ascii(out, "th");
	}
}

/* value in Roman numerals. */
static void
roman(ustr *out, double value, bool upper)
{
	static const struct
	{
		int			v;
		const char *s;
	}			numerals[] = {
		{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
		{50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}
	};
	size_t		i;

	for (i = 0; i < sizeof numerals / sizeof numerals[0] && !out->oom; i++)
		while (value >= numerals[i].v && !out->oom)
		{
			const char *s;

			for (s = numerals[i].s; *s; s++)
				u_push(out, upper ? (uint32_t) (*s - 'a' + 'A') : (uint32_t) *s);
			value -= numerals[i].v;
		}
}

/* value as a letter sequence (a, b, … z, aa, …) starting at a. */
static void
letters(ustr *out, double value, uint32_t a)
{
	ustr		rev = {0};
	size_t		i;

	while (value > 0 && !rev.oom)
	{
		u_push(&rev, (uint32_t) fmod(value - 1, 26) + a);
		value = floor((value - 1) / 26);
	}
	for (i = rev.n; i-- > 0;)
		u_push(out, rev.c[i]);
	if (rev.oom)
		out->oom = true;
	u_free(&rev);
}

/* Maps ASCII letters to the case c asks. */
static void
ascii_case(ustr *u, jn_int_case c)
{
	size_t		i;

	for (i = 0; i < u->n; i++)
	{
		if (c == JN_CASE_UPPER && u->c[i] >= 'a' && u->c[i] <= 'z')
			u->c[i] -= 32;
		else if (c == JN_CASE_LOWER && u->c[i] >= 'A' && u->c[i] <= 'Z')
			u->c[i] += 32;
	}
}

bool
jn_intfmt_analyse(const char *picture, size_t len, jn_intfmt *f, jn_liberr *err)
{
	ustr		pic = u_from(picture, len);
	ustr		primary = {0};
	long		semi = -1;
	size_t		i;

	memset(f, 0, sizeof *f);
	f->primary = JN_INT_DECIMAL;
	f->tcase = JN_CASE_LOWER;
	for (i = 0; i < pic.n; i++)
		if (pic.c[i] == ';')
			semi = (long) i;
	if (semi == -1)
		primary = u_substring(&pic, 0, (long) pic.n);
	else
	{
		primary = u_substring(&pic, 0, semi);
		if ((size_t) semi + 1 < pic.n && pic.c[semi + 1] == 'o')
			f->ordinal = true;
	}
	if (pic.oom || primary.oom)
	{
		u_free(&pic);
		u_free(&primary);
		set_oom(err);
		return false;
	}
	if (primary.n == 1 && (primary.c[0] == 'A' || primary.c[0] == 'a'))
	{
		f->primary = JN_INT_LETTERS;
		f->tcase = primary.c[0] == 'A' ? JN_CASE_UPPER : JN_CASE_LOWER;
	}
	else if (primary.n == 1 && (primary.c[0] == 'I' || primary.c[0] == 'i'))
	{
		f->primary = JN_INT_ROMAN;
		f->tcase = primary.c[0] == 'I' ? JN_CASE_UPPER : JN_CASE_LOWER;
	}
	else if (primary.n == 1 && (primary.c[0] == 'W' || primary.c[0] == 'w'))
	{
		f->primary = JN_INT_WORDS;
		f->tcase = primary.c[0] == 'W' ? JN_CASE_UPPER : JN_CASE_LOWER;
	}
	else if (primary.n == 2 && primary.c[0] == 'W' && primary.c[1] == 'w')
	{
		f->primary = JN_INT_WORDS;
		f->tcase = JN_CASE_TITLE;
	}
	else
	{
		/*
		 * a decimal digit pattern, read right to left to count separator
		 * positions
		 */
		bool		have_zero = false;
		int			position = 0;
		jn_intsep  *seps = NULL;
		int			nseps = 0;

		for (i = primary.n; i-- > 0;)
		{
			uint32_t	c = primary.c[i];
			bool		digit = false;
			size_t		g;

			for (g = 0; g < sizeof decimal_groups / sizeof decimal_groups[0]; g++)
				if (c >= decimal_groups[g] && c <= decimal_groups[g] + 9)
				{
					digit = true;
					f->mandatory++;
					position++;
					if (!have_zero)
					{
						f->zero = decimal_groups[g];
						have_zero = true;
					}
					else if (decimal_groups[g] != f->zero)
					{
						free(seps);
						u_free(&pic);
						u_free(&primary);
						jn_liberr_set(err, "D3131", "In a decimal digit pattern, all digits must be from the same decimal group");
						return false;
					}
					break;
				}
			if (digit)
				continue;
			if (c == '#')
			{
				position++;
				f->optional++;
			}
			else
			{
				jn_intsep  *grown = realloc(seps, (size_t) (nseps + 1) * sizeof *seps);

				if (!grown)
				{
					free(seps);
					u_free(&pic);
					u_free(&primary);
					set_oom(err);
					return false;
				}
				seps = grown;
				seps[nseps].position = position;
				seps[nseps].ch = c;
				nseps++;
			}
		}
		if (f->mandatory > 0)
		{
			long		interval = 0;
			bool		same = nseps > 0;
			int			k;

			for (k = 1; k < nseps; k++)
				if (seps[k].ch != seps[0].ch)
					same = false;
			if (same)
			{
				long	   *idx = malloc((size_t) nseps * sizeof(long));

				if (idx)
				{
					for (k = 0; k < nseps; k++)
						idx[k] = seps[k].position;
					interval = regular_interval(idx, (size_t) nseps);
					free(idx);
				}
			}
			if (interval > 0)
			{
				f->regular = true;
				seps[0].position = (int) interval;
				f->nseps = 1;
			}
			else
			{
				/* left to right, the order JSONata inserts them in */
				for (k = 0; k < nseps / 2; k++)
				{
					jn_intsep	t = seps[k];

					seps[k] = seps[nseps - 1 - k];
					seps[nseps - 1 - k] = t;
				}
				f->nseps = nseps;
			}
			f->seps = seps;
		}
		else
		{
			free(seps);
			f->primary = JN_INT_SEQUENCE;
			f->token = picture;
			f->token_len = semi == -1 ? len : 0;
			if (semi != -1)
			{
				/*
				 * the token is the primary format: the bytes before the last
				 * ';'
				 */
				const char *p = memrchr(picture, ';', len);

				f->token_len = p ? (size_t) (p - picture) : len;
			}
		}
	}
	u_free(&pic);
	u_free(&primary);
	return true;
}

void
jn_intfmt_release(jn_intfmt *f)
{
	free(f->seps);
	f->seps = NULL;
	f->nseps = 0;
}

/* D3130: a numbering sequence this implementation does not support. */
static void
set_sequence_error(const jn_intfmt *f, jn_liberr *err)
{
	char		quoted[80];

	jn_liberr_json_quote(quoted, sizeof quoted, f->token, f->token_len);
	jn_liberr_set(err, "D3130",
				  "Formatting or parsing an integer as a sequence starting with %s is not supported by this implementation",
				  quoted);
}

char	   *
jn_intfmt_format(double value, const jn_intfmt *f, size_t *out_len, jn_liberr *err)
{
	ustr		out = {0};
	bool		negative = value < 0;
	char	   *result;

	value = fabs(value);
	if ((f->primary == JN_INT_WORDS && !isfinite(value)) || (f->primary == JN_INT_LETTERS && isinf(value)))
	{
		/* JavaScript recurses (words) or loops (letters) without end */
		jn_liberr_set(err, "RangeError", "Maximum call stack size exceeded");
		return NULL;
	}
	switch (f->primary)
	{
		case JN_INT_LETTERS:
			letters(&out, value, f->tcase == JN_CASE_UPPER ? 'A' : 'a');
			break;
		case JN_INT_ROMAN:
			if (value > 1e7)
			{
				/* JavaScript's recursion would overflow its stack long before */
				jn_liberr_set(err, "RangeError", "Maximum call stack size exceeded");
				return NULL;
			}
			roman(&out, value, f->tcase == JN_CASE_UPPER);
			break;
		case JN_INT_WORDS:
			words(&out, value, false, f->ordinal);
			if (f->tcase != JN_CASE_TITLE)
				ascii_case(&out, f->tcase);
			break;
		case JN_INT_DECIMAL:
			{
				char		digits[JN_NUMFMT_BUFSZ];
				size_t		nd = jn_num_to_js(value, digits),
							i;
				long		pad = f->mandatory - (long) nd;

				for (; pad > 0; pad--)
					u_push(&out, '0');
				u_append_ascii(&out, digits);
				if (f->zero != 0x30)
					for (i = 0; i < out.n; i++)
						out.c[i] = out.c[i] + f->zero - 0x30;
				if (f->regular)
				{
					size_t		step = (size_t) f->seps[0].position;
					ustr		grouped = {0};

					/*
					 * one pass (inserting each separator moved the digits
					 * after it: quadratic for a wide picture)
					 */
					for (i = 0; i < out.n; i++)
					{
						if (i > 0 && (out.n - i) % step == 0)
							u_push(&grouped, f->seps[0].ch);
						u_push(&grouped, out.c[i]);
					}
					if (grouped.oom)
						out.oom = true;
					u_free(&out);
					out = grouped;
				}
				else
				{
					int			k;

					for (k = 0; k < f->nseps; k++)
					{
						long		n = (long) out.n;
						long		at = n - f->seps[k].position;

						if (at >= 0)
						{
							ustr		sep = {0};

							u_push(&sep, f->seps[k].ch);
							u_insert(&out, (size_t) at, &sep);
							u_free(&sep);
						}
						else
						{
							/*
							 * JSONata's substr(0, at) + sep + substr(at): a
							 * negative length keeps nothing on the left, a
							 * negative start keeps the last -at characters on
							 * the right
							 */
							long		keep = -at > n ? n : -at;

							u_reserve(&out, (size_t) n + 1);
							if (out.oom)
								break;
							memmove(out.c + 1, out.c + (n - keep), (size_t) keep * sizeof(uint32_t));
							out.c[0] = f->seps[k].ch;
							out.n = (size_t) keep + 1;
						}
					}
				}
				if (f->ordinal && out.n > 0)
				{
					uint32_t	last = out.c[out.n - 1];
					const char *suffix = last == '1' ? "st" : last == '2' ? "nd" : last == '3' ? "rd" : "th";

					if (out.n > 1 && out.c[out.n - 2] == '1')
						suffix = "th";
					u_append_ascii(&out, suffix);
				}
				break;
			}
		case JN_INT_SEQUENCE:
			set_sequence_error(f, err);
			return NULL;
	}
	if (negative)
	{
		ustr		minus = {0};

		u_push(&minus, '-');
		u_insert(&out, 0, &minus);
		u_free(&minus);
	}
	result = u_to_utf8(&out, 0, out.n, out_len);
	u_free(&out);
	if (!result)
		set_oom(err);
	return result;
}

/*
 * $formatInteger's analysed pictures, kept (jn_kept.h) with a copy of the
 * picture: a sequence's token points into it (D3130's message).
 */
typedef struct kept_intfmt
{
	jn_intfmt	f;
	char		picture[];
} kept_intfmt;

static void
intfmt_release(void *k)
{
	jn_intfmt_release(&((kept_intfmt *) k)->f);
	free(k);
}

static _Thread_local jn_kept intfmt_kept = {.free_val = intfmt_release};

char	   *
jn_format_integer(double value, const char *picture, size_t picture_len,
				  size_t *out_len, jn_liberr *err)
{
	kept_intfmt *k = jn_kept_get(&intfmt_kept, picture, picture_len);
	jn_intfmt	f;
	char	   *r;

	if (k)
		return jn_intfmt_format(floor(value), &k->f, out_len, err);
	if (!jn_intfmt_analyse(picture, picture_len, &f, err))
		return NULL;
	r = jn_intfmt_format(floor(value), &f, out_len, err);
	k = malloc(sizeof(kept_intfmt) + picture_len + 1);
	if (k != NULL)
	{
		memcpy(k->picture, picture, picture_len);
		k->picture[picture_len] = '\0';
		k->f = f;
		if (f.token != NULL)
			k->f.token = k->picture + (f.token - picture);
		if (jn_kept_put(&intfmt_kept, picture, picture_len, k))
			return r;
		free(k);
	}
	jn_intfmt_release(&f);
	return r;
}

/* the value of a number word (JSONata's wordValues), or NAN */
static double
word_value(const char *w, size_t n)
{
	char		buf[16];
	size_t		i;

	if (n == 0 || n >= sizeof buf)
		return NAN;
	for (i = 0; i < 20; i++)
	{
		if (strlen(few[i]) == n && strncasecmp(few[i], w, n) == 0)
			return (double) i;
		if (strlen(ordinals[i]) == n && strncasecmp(ordinals[i], w, n) == 0)
			return (double) i;
	}
	for (i = 0; i < 9; i++)
	{
		size_t		dl = strlen(decades[i]);

		if (dl == n && strncasecmp(decades[i], w, n) == 0)
			return (double) ((i + 2) * 10);
		/* "twentieth": the decade without its last letter, then "ieth" */
		memcpy(buf, decades[i], dl - 1);
		memcpy(buf + dl - 1, "ieth", 5);
		if (strlen(buf) == n && strncasecmp(buf, w, n) == 0)
			return (double) ((i + 2) * 10);
	}
	if (n == 9 && strncasecmp("hundredth", w, n) == 0)
		return 100;
	for (i = 0; i < 4; i++)
	{
		size_t		ml = strlen(magnitudes[i]);

		if ((ml == n || (ml + 2 == n && strncasecmp(w + ml, "th", 2) == 0)) &&
			strncasecmp(magnitudes[i], w, ml) == 0)
			return pow(10, (double) (i + 1) * 3);
	}
	return NAN;
}

/* Whether c is white space to JavaScript's String.prototype.trim. */
static bool
js_space(uint32_t c)
{
	return c == ' ' || (c >= 9 && c <= 13) || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
		c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* wordsToNumber: split on /,\s|\sand\s|[\s\\-]/, then JSONata's segment arithmetic */
static double
words_to_number(const ustr *text)
{
	double	   *segs = malloc((text->n + 2) * sizeof(double));
	size_t		nsegs = 1,
				i = 0,
				start = 0;
	double		result = 0;

	if (!segs)
		return NAN;
	segs[0] = 0;
	for (;;)
	{
		size_t		seplen = 0;
		bool		at_end = i >= text->n;

		if (!at_end)
		{
			const uint32_t *c = text->c + i;
			size_t		rest = text->n - i;

			if (rest >= 2 && c[0] == ',' && js_space(c[1]))
				seplen = 2;
			else if (rest >= 5 && js_space(c[0]) && (c[1] | 0x20) == 'a' && (c[2] | 0x20) == 'n' &&
					 (c[3] | 0x20) == 'd' && js_space(c[4]))
				seplen = 5;
			else if (js_space(c[0]) || c[0] == '\\' || c[0] == '-')
				seplen = 1;
		}
		if (at_end || seplen > 0)
		{
			/* the word text->c[start..i) */
			char		w[16];
			size_t		n = i - start,
						k;
			double		value;

			for (k = 0; k < n && k < sizeof w; k++)
				w[k] = text->c[start + k] < 128 ? (char) text->c[start + k] : '?';
			value = n < sizeof w ? word_value(w, n) : NAN;
			if (value < 100)
			{
				double		top = segs[--nsegs];

				if (top >= 1000)
				{
					segs[nsegs++] = top;
					top = 0;
				}
				segs[nsegs++] = top + value;
			}
			else
			{
				double		top = segs[--nsegs];

				segs[nsegs++] = top * value;
			}
			if (at_end)
				break;
			i += seplen;
			start = i;
			continue;
		}
		i++;
	}
	for (i = 0; i < nsegs; i++)
		result += segs[i];
	free(segs);
	return result;
}

/* JavaScript's parseInt(s) (radix from the string: 0x means hex) */
static double
js_parse_int(const ustr *s)
{
	size_t		i = 0,
				start;
	bool		neg = false;
	int			radix = 10;
	double		v = 0;

	while (i < s->n && js_space(s->c[i]))
		i++;
	if (i < s->n && (s->c[i] == '+' || s->c[i] == '-'))
		neg = s->c[i++] == '-';
	if (i + 1 < s->n && s->c[i] == '0' && (s->c[i + 1] == 'x' || s->c[i + 1] == 'X'))
	{
		radix = 16;
		i += 2;
	}
	start = i;
	if (radix == 10)
	{
		char	   *digits;
		size_t		k;

		while (i < s->n && s->c[i] >= '0' && s->c[i] <= '9')
			i++;
		if (i == start)
			return NAN;
		digits = malloc(i - start + 1);
		if (!digits)
			return NAN;
		for (k = start; k < i; k++)
			digits[k - start] = (char) s->c[k];
		digits[i - start] = '\0';
		v = strtod(digits, NULL);
		free(digits);
	}
	else
	{
		for (; i < s->n; i++)
		{
			uint32_t	c = s->c[i];
			int			d = c >= '0' && c <= '9' ? (int) (c - '0') :
			(c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (int) ((c | 0x20) - 'a' + 10) : -1;

			if (d < 0)
				break;
			v = v * 16 + d;
		}
		if (i == start)
			return NAN;
	}
	return neg ? -v : v;
}

int
jn_intfmt_parse(const jn_intfmt *f, const char *s, size_t len, double *out, jn_liberr *err)
{
	ustr		u = u_from(s, len);
	size_t		i;

	if (u.oom)
	{
		set_oom(err);
		return -1;
	}
	switch (f->primary)
	{
		case JN_INT_LETTERS:
			{
				uint32_t	a = f->tcase == JN_CASE_UPPER ? 'A' : 'a';
				double		v = 0;

				for (i = 0; i < u.n; i++)
					v += ((double) u.c[u.n - i - 1] - (double) a + 1) * pow(26, (double) i);
				*out = v;
				break;
			}
		case JN_INT_ROMAN:
			{
				double		v = 0,
							max = 1;

				for (i = u.n; i-- > 0;)
				{
					uint32_t	c = u.c[i];
					double		d;

					if (f->tcase != JN_CASE_UPPER && c >= 'a' && c <= 'z')
						c -= 32;
					d = c == 'M' ? 1000 : c == 'D' ? 500 : c == 'C' ? 100 : c == 'L' ? 50 :
						c == 'X' ? 10 : c == 'V' ? 5 : c == 'I' ? 1 : NAN;

					/*
					 * an unknown numeral is undefined in JavaScript: the sum
					 * becomes NaN
					 */
					if (d < max)
						v -= d;
					else
					{
						max = d;
						v += d;
					}
				}
				*out = v;
				break;
			}
		case JN_INT_WORDS:
			*out = words_to_number(&u);
			break;
		case JN_INT_DECIMAL:
			{
				ustr		digits = {0};

				u_append(&digits, u.c, u.n);
				if (f->ordinal)
					digits.n = digits.n >= 2 ? digits.n - 2 : 0;

				/*
				 * remove the separators (JSONata removes "," for a regular
				 * pattern, whatever its character)
				 */
				{
					size_t		k = 0;

					for (i = 0; i < digits.n; i++)
					{
						bool		sep = false;
						int			s2;

						if (f->regular)
							sep = digits.c[i] == ',';
						else
							for (s2 = 0; s2 < f->nseps; s2++)
								if (digits.c[i] == f->seps[s2].ch)
									sep = true;
						if (!sep)
							digits.c[k++] = digits.c[i];
					}
					digits.n = k;
				}
				if (f->zero != 0x30)
					for (i = 0; i < digits.n; i++)
					{
						int64_t		cp = (int64_t) digits.c[i] - f->zero + 0x30;

						if (cp < 0 || cp > 0x10FFFF)
						{
							/* String.fromCodePoint throws */
							u_free(&digits);
							u_free(&u);
							jn_liberr_set(err, "RangeError", "Invalid code point %lld", (long long) cp);
							return -1;
						}
						digits.c[i] = (uint32_t) cp;
					}
				*out = js_parse_int(&digits);
				u_free(&digits);
				break;
			}
		case JN_INT_SEQUENCE:
			u_free(&u);
			set_sequence_error(f, err);
			return -1;
	}
	u_free(&u);
	return 1;
}

int
jn_parse_integer(const char *s, size_t len, const char *picture, size_t picture_len,
				 double *out, jn_liberr *err)
{
	jn_intfmt	f;
	int			rc;

	if (!jn_intfmt_analyse(picture, picture_len, &f, err))
		return -1;
	rc = jn_intfmt_parse(&f, s, len, out, err);
	jn_intfmt_release(&f);
	return rc;
}

char	   *
jn_intfmt_regex(const jn_intfmt *f, jn_liberr *err)
{
	char	   *r = NULL;
	bool		upper = f->tcase == JN_CASE_UPPER;

	switch (f->primary)
	{
		case JN_INT_LETTERS:
			r = strdup(upper ? "[A-Z]+" : "[a-z]+");
			break;
		case JN_INT_ROMAN:
			r = strdup(upper ? "[MDCLXVI]+" : "[mdclxvi]+");
			break;
		case JN_INT_WORDS:
			{
				/*
				 * the word list in JSONata's order: few, ordinals, decades
				 * (+ieth), hundredth, magnitudes (+th)
				 */
				char		buf[2048];
				size_t		n = 0,
							i;

				n += (size_t) snprintf(buf + n, sizeof buf - n, "(?:");
				for (i = 0; i < 20; i++)
					n += (size_t) snprintf(buf + n, sizeof buf - n, "%s|", few[i]);
				for (i = 0; i < 20; i++)
					n += (size_t) snprintf(buf + n, sizeof buf - n, "%s|", ordinals[i]);
				for (i = 0; i < 9; i++)
					n += (size_t) snprintf(buf + n, sizeof buf - n, "%s|%.*sieth|", decades[i],
										   (int) strlen(decades[i]) - 1, decades[i]);
				n += (size_t) snprintf(buf + n, sizeof buf - n, "hundredth|");
				for (i = 0; i < 4; i++)
					n += (size_t) snprintf(buf + n, sizeof buf - n, "%s|%sth|", magnitudes[i], magnitudes[i]);
				snprintf(buf + n, sizeof buf - n, "and|[\\-, ])+");
				/* JSONata's keys are lower case */
				for (i = 0; buf[i]; i++)
					if (buf[i] >= 'A' && buf[i] <= 'Z')
						buf[i] = (char) (buf[i] + 32);
				r = strdup(buf);
				break;
			}
		case JN_INT_DECIMAL:
			{
				char		buf[64];

				if (f->parse_width)
					snprintf(buf, sizeof buf, "[0-9]{%d}%s", f->parse_width, f->ordinal ? "(?:th|st|nd|rd)" : "");
				else
					snprintf(buf, sizeof buf, "[0-9]+%s", f->ordinal ? "(?:th|st|nd|rd)" : "");
				r = strdup(buf);
				break;
			}
		case JN_INT_SEQUENCE:
			set_sequence_error(f, err);
			return NULL;
	}
	if (!r)
		set_oom(err);
	return r;
}

/* ---- $formatBase ---- */

int
jn_format_base(double value, double radix, char *buf, jn_liberr *err)
{
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char		tmp[JN_RADIX_BUFSZ];
	size_t		k = sizeof tmp;
	double		integer;
	int			r;
	size_t		len;

	value = jn_num_round_half_even(value, 0);
	radix = jn_num_round_half_even(radix, 0);
	if (!(radix >= 2 && radix <= 36))
	{
		char		rs[JN_NUMFMT_BUFSZ];

		/* JSON.stringify: NaN and infinities print as null */
		if (isfinite(radix))
			jn_num_to_js(radix, rs);
		else
			strcpy(rs, "null");
		jn_liberr_set(err, "D3100", "The radix of the formatBase function must be between 2 and 36.  It was given %s", rs);
		return -1;
	}
	r = (int) radix;
	if (r == 10 || !isfinite(value))
		return (int) jn_num_to_js(value, buf);

	/*
	 * V8's DoubleToRadixCString for an integer: digits beyond the double's
	 * precision print as 0
	 */
	integer = fabs(value);
	tmp[--k] = '\0';
	while (integer / r >= 9007199254740992.0)
	{
		integer /= r;
		tmp[--k] = '0';
	}
	do
	{
		double		rem = fmod(integer, r);

		tmp[--k] = digits[(int) rem];
		integer = (integer - rem) / r;
	} while (integer > 0);
	if (value < 0)
		tmp[--k] = '-';
	len = sizeof tmp - k - 1;
	memcpy(buf, tmp + k, len + 1);
	return (int) len;
}
