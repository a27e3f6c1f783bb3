/*
 * jn_datetime.c — $fromMillis and $toMillis with XPath date/time pictures,
 * following JSONata's formatDateTime and parseDateTime (including their
 * defaults and quirks), on the proleptic Gregorian calendar of JavaScript's
 * Date.
 */
#include "jsonata/jn_datetime.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata/jn_kept.h"
#include "jsonata/jn_numfmt.h"
#include "jsonata/jn_picture.h"
#include "jsonata/jn_regex.h"
#include "strbuf.h"

#define MS_PER_DAY 86400000.0

/*
 * The widest width modifier accepted: JavaScript would pad to hundreds of
 * millions of characters before failing; here a width beyond this fails
 * at once with the error JavaScript ends with.
 */
#define MAX_WIDTH 1000000

static const char *const day_names[] = {"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const char *const month_names[] = {
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December"
};

static void
set_oom(jn_liberr *err)
{
	jn_liberr_set(err, "D0000", "out of memory");
}

/* ---- the calendar ---- */

/* days since 1970-01-01 of y-m-d (m 1..12), for any year */
static double
days_from_civil(double y, int m, int d)
{
	double		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = floor(y / 400);
	yoe = y - era * 400;
	doy = floor((153.0 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
	doe = yoe * 365 + floor(yoe / 4) - floor(yoe / 100) + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The civil date of a day count since 1970-01-01 (Howard Hinnant's
 * algorithm), in doubles for JavaScript's range.
 */
static void
civil_from_days(double z, double *y, int *m, int *d)
{
	double		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = floor(z / 146097);
	doe = z - era * 146097;
	yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
	*y = yoe + era * 400;
	doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
	mp = floor((5 * doy + 2) / 153);
	*d = (int) (doy - floor((153 * mp + 2) / 5) + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	if (*m <= 2)
		*y += 1;
}

/* ECMAScript's ToIntegerOrInfinity */
static double
to_integer(double x)
{
	if (isnan(x))
		return 0;
	if (isinf(x))
		return x;
	return trunc(x) + 0.0;
}

/* ECMAScript's MakeDay(year, month, date) */
static double
make_day(double year, double month, double date)
{
	double		y,
				m,
				ym,
				mn;

	if (!isfinite(year) || !isfinite(month) || !isfinite(date))
		return NAN;
	y = to_integer(year);
	m = to_integer(month);
	ym = y + floor(m / 12);
	mn = fmod(m, 12);
	if (mn < 0)
		mn += 12;
	if (fabs(ym) > 400000)
		return NAN;
	return days_from_civil(ym, (int) mn + 1, 1) + to_integer(date) - 1;
}

/*
 * JavaScript's MakeTime: milliseconds of a time of day; NaN when a part is
 * not finite.
 */
static double
make_time(double h, double min, double s, double ms)
{
	if (!isfinite(h) || !isfinite(min) || !isfinite(s) || !isfinite(ms))
		return NAN;
	return to_integer(h) * 3600000.0 + to_integer(min) * 60000.0 + to_integer(s) * 1000.0 + to_integer(ms);
}

/* JavaScript's TimeClip: NaN beyond ±8.64e15 ms, else an integer. */
static double
time_clip(double t)
{
	if (!isfinite(t) || fabs(t) > 8.64e15)
		return NAN;
	return to_integer(t);
}

/* JavaScript's Date.UTC(y, m, d, h, min, s, ms): years 0..99 mean 1900..1999 */
static double
date_utc(double y, double m, double d, double h, double min, double s, double ms)
{
	if (!isnan(y))
	{
		double		yi = to_integer(y);

		if (yi >= 0 && yi <= 99)
			y = 1900 + yi;
	}
	return time_clip(make_day(y, m, d) * MS_PER_DAY + make_time(h, min, s, ms));
}

/* the UTC fields of a valid time value */
typedef struct fields
{
	double		t;
	double		year;
	int			month;			/* 0..11 */
	int			day;			/* 1..31 */
	int			weekday;		/* 0 = Sunday */
	int			hours,
				minutes,
				seconds,
				millis;
} fields;

/* The calendar and clock fields of time t (ms since the epoch, UTC). */
static void
fields_of(double t, fields *f)
{
	double		days = floor(t / MS_PER_DAY);
	double		in_day = t - days * MS_PER_DAY;
	int			m,
				d;
	double		wd;

	f->t = t;
	civil_from_days(days, &f->year, &m, &d);
	f->month = m - 1;
	f->day = d;
	wd = fmod(days + 4, 7);
	if (wd < 0)
		wd += 7;
	f->weekday = (int) wd;
	f->hours = (int) (in_day / 3600000);
	f->minutes = (int) fmod(floor(in_day / 60000), 60);
	f->seconds = (int) fmod(floor(in_day / 1000), 60);
	f->millis = (int) fmod(in_day, 1000);
}

/* ISO 8601's first week of a year (or, as F&O extends it, of a month): the week with its first Thursday */
static double
start_of_first_week(double year, int month)
{
	double		jan1 = date_utc(year, month, 1, 0, 0, 0, 0);
	fields		f;
	int			dow;

	fields_of(jan1, &f);
	dow = f.weekday == 0 ? 7 : f.weekday;
	return dow > 4 ? jan1 + (8 - dow) * MS_PER_DAY : jan1 - (dow - 1) * MS_PER_DAY;
}

/*
 * The week number between two day starts, counting from 1, as jsonata-js
 * computes it.
 */
static double
delta_weeks(double start, double end)
{
	return (end - start) / (MS_PER_DAY * 7) + 1;
}

/* a date component: a number, a string ("am", "ISO") or JavaScript's undefined */
typedef struct fragment
{
	enum
	{
		FRAG_UNDEF, FRAG_NUM, FRAG_STR
	}			kind;
	double		num;
	const char *str;
} fragment;

/* A numeric date fragment. */
static fragment
frag_num(double v)
{
	fragment	f = {FRAG_NUM, v, NULL};

	return f;
}

/* JSONata's getDateTimeFragment */
static fragment
date_fragment(const fields *f, char component)
{
	fragment	undef = {FRAG_UNDEF, 0, NULL};

	switch (component)
	{
		case 'Y':
			return frag_num(f->year);
		case 'M':
			return frag_num(f->month + 1);
		case 'D':
			return frag_num(f->day);
		case 'd':
			{
				double		today = date_utc(f->year, f->month, f->day, 0, 0, 0, 0);
				double		jan1 = date_utc(f->year, 0, 1, 0, 0, 0, 0);

				return frag_num((today - jan1) / MS_PER_DAY + 1);
			}
		case 'F':
			return frag_num(f->weekday == 0 ? 7 : f->weekday);
		case 'W':
			{
				double		start = start_of_first_week(f->year, 0);
				double		today = date_utc(f->year, f->month, f->day, 0, 0, 0, 0);
				double		week = delta_weeks(start, today);

				if (week > 52)
				{
					if (today >= start_of_first_week(f->year + 1, 0))
						week = 1;
				}
				else if (week < 1)
					week = delta_weeks(start_of_first_week(f->year - 1, 0), today);
				return frag_num(floor(week));
			}
		case 'w':
			{
				double		start = start_of_first_week(f->year, f->month);
				double		today = date_utc(f->year, f->month, f->day, 0, 0, 0, 0);
				double		week = delta_weeks(start, today);

				if (week > 4)
				{
					double		ny = f->month == 11 ? f->year + 1 : f->year;
					int			nm = f->month == 11 ? 0 : f->month + 1;

					if (today >= start_of_first_week(ny, nm))
						week = 1;
				}
				else if (week < 1)
				{
					double		py = f->month == 0 ? f->year - 1 : f->year;
					int			pm = f->month == 0 ? 11 : f->month - 1;

					week = delta_weeks(start_of_first_week(py, pm), today);
				}
				return frag_num(floor(week));
			}
		case 'X':
			{
				double		start = start_of_first_week(f->year, 0);
				double		end = start_of_first_week(f->year + 1, 0);

				if (f->t < start)
					return frag_num(f->year - 1);
				if (f->t >= end)
					return frag_num(f->year + 1);
				return frag_num(f->year);
			}
		case 'x':
			{
				double		start = start_of_first_week(f->year, f->month);
				double		ny = f->month == 11 ? f->year + 1 : f->year;
				int			nm = f->month == 11 ? 0 : f->month + 1;
				double		end = start_of_first_week(ny, nm);

				if (f->t < start)
					return frag_num(f->month == 0 ? 12 : f->month);
				if (f->t >= end)
					return frag_num(nm + 1);
				return frag_num(f->month + 1);
			}
		case 'H':
			return frag_num(f->hours);
		case 'h':
			return frag_num(f->hours % 12 == 0 ? 12 : f->hours % 12);
		case 'P':
			{
				fragment	s = {FRAG_STR, 0, f->hours >= 12 ? "pm" : "am"};

				return s;
			}
		case 'm':
			return frag_num(f->minutes);
		case 's':
			return frag_num(f->seconds);
		case 'f':
			return frag_num(f->millis);
		case 'C':
		case 'E':
			{
				fragment	s = {FRAG_STR, 0, "ISO"};

				return s;
			}
		default:
			return undef;
	}
}

/* ---- the picture ---- */

enum names
{
	NAMES_NONE, NAMES_LOWER, NAMES_UPPER, NAMES_TITLE
};

typedef struct dt_part
{
	bool		literal;
	char	   *text;			/* literal: its text; marker: presentation1 */
	size_t		text_len;
	char		component;		/* the marker's first character when ASCII,
								 * else '?' */
	char		component_utf8[5];
	char		presentation2;	/* 'a' 't' 'c' 'o' or 0 */
	bool		ordinal;
	enum names	names;
	bool		has_width;
	bool		min_defined,
				max_defined;
	double		width_min,
				width_max;		/* parseInt results: may be NaN */
	bool		has_int;
	jn_intfmt	intfmt;
	double		n;				/* Y: the digits kept, -1 for all */
} dt_part;

typedef struct dt_spec
{
	dt_part    *parts;
	size_t		n;
} dt_spec;

static void
spec_free(dt_spec *s)
{
	size_t		i;

	for (i = 0; i < s->n; i++)
	{
		free(s->parts[i].text);
		if (s->parts[i].has_int)
			jn_intfmt_release(&s->parts[i].intfmt);
	}
	free(s->parts);
	s->parts = NULL;
	s->n = 0;
}

/* Appends a zeroed part to the picture spec; NULL when out of memory. */
static dt_part *
spec_add(dt_spec *s)
{
	dt_part    *grown = realloc(s->parts, (s->n + 1) * sizeof(dt_part));

	if (!grown)
		return NULL;
	s->parts = grown;
	memset(&s->parts[s->n], 0, sizeof(dt_part));
	return &s->parts[s->n++];
}

/* a literal with "]]" read as "]" */
static bool
add_literal(dt_spec *s, const char *p, size_t start, size_t end)
{
	dt_part    *part;
	size_t		i,
				k = 0;

	if (end <= start)
		return true;
	part = spec_add(s);
	if (!part)
		return false;
	part->literal = true;
	part->text = malloc(end - start + 1);
	if (!part->text)
		return false;
	for (i = start; i < end; i++)
	{
		part->text[k++] = p[i];
		if (p[i] == ']' && i + 1 < end && p[i + 1] == ']')
			i++;
	}
	part->text[k] = '\0';
	part->text_len = k;
	return true;
}

/*
 * Bytes of the JavaScript white space character at s (\s in a regular
 * expression), or 0.
 */
static size_t
js_space_at(const unsigned char *s, size_t len)
{
	if (len >= 1 && (s[0] == ' ' || (s[0] >= 9 && s[0] <= 13)))
		return 1;
	if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
		return 2;
	if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 && ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
		return 3;
	if (len >= 3 && ((s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80) || (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F) ||
					 (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) || (s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF)))
		return 3;
	return 0;
}

/* JavaScript's parseInt for a width: NaN when no digits */
static double
parse_width_value(const char *s, size_t len)
{
	size_t		i = 0;
	bool		neg = false;
	double		v = 0;
	size_t		start;

	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	start = i;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		v = v * 10 + (s[i++] - '0');
	if (i == start)
		return NAN;
	return neg ? -v : v;
}

/*
 * The default presentation modifier of a picture component (XPath's format-
 * dateTime table).
 */
static const char *
default_presentation(char c)
{
	switch (c)
	{
		case 'Y':
		case 'M':
		case 'D':
		case 'd':
		case 'W':
		case 'w':
		case 'X':
		case 'x':
		case 'H':
		case 'h':
		case 'f':
			return "1";
		case 'F':
		case 'P':
		case 'C':
		case 'E':
			return "n";
		case 'm':
		case 's':
			return "01";
		case 'Z':
		case 'z':
			return "01:01";
		default:
			return NULL;
	}
}

/* JSONata's analyseDateTimePicture */
static bool
analyse_picture(const char *p, size_t len, dt_spec *spec, jn_liberr *err)
{
	size_t		start = 0,
				pos = 0;

	memset(spec, 0, sizeof *spec);
	while (pos < len)
	{
		if (p[pos] == '[')
		{
			const char *close;
			char	   *marker;
			size_t		mlen = 0,
						i,
						comma_at;
			bool		has_comma = false;
			const char *pres;
			size_t		pres_len;
			dt_part    *def;

			if (pos + 1 < len && p[pos + 1] == '[')
			{
				if (!add_literal(spec, p, start, pos) || !add_literal(spec, "[", 0, 1))
					goto oom;
				pos += 2;
				start = pos;
				continue;
			}
			if (!add_literal(spec, p, start, pos))
				goto oom;
			start = pos;
			close = memchr(p + start, ']', len - start);
			if (!close)
			{
				jn_liberr_set(err, "D3135", "No matching closing bracket ']' in date/time picture string");
				goto fail;
			}
			pos = (size_t) (close - p);
			/* the marker without its white space */
			marker = malloc(pos - start + 1);
			if (!marker)
				goto oom;
			for (i = start + 1; i < pos;)
			{
				size_t		w = js_space_at((const unsigned char *) p + i, pos - i);

				if (w)
				{
					i += w;
					continue;
				}
				marker[mlen++] = p[i++];
			}
			marker[mlen] = '\0';
			def = spec_add(spec);
			if (!def)
			{
				free(marker);
				goto oom;
			}
			/* the component: the first character */
			{
				size_t		cl = 1;

				if (mlen > 0 && ((unsigned char) marker[0] & 0xC0) == 0xC0)
					while (cl < mlen && cl < 4 && ((unsigned char) marker[cl] & 0xC0) == 0x80)
						cl++;
				if (mlen == 0)
					cl = 0;
				memcpy(def->component_utf8, marker, cl);
				def->component_utf8[cl] = '\0';
				def->component = cl == 1 ? marker[0] : (cl == 0 ? '\0' : '?');
			}
			for (i = mlen; i-- > 0;)
				if (marker[i] == ',')
				{
					has_comma = true;
					comma_at = i;
					break;
				}
			if (has_comma)
			{
				const char *wm = marker + comma_at + 1;
				size_t		wlen = mlen - comma_at - 1;
				const char *dash = memchr(wm, '-', wlen);
				size_t		minlen = dash ? (size_t) (dash - wm) : wlen;

				def->has_width = true;
				if (!(minlen == 1 && wm[0] == '*'))
				{
					def->min_defined = true;
					def->width_min = parse_width_value(wm, minlen);
				}
				if (dash)
				{
					const char *mx = dash + 1;
					size_t		mxlen = wlen - minlen - 1;

					if (!(mxlen == 1 && mx[0] == '*'))
					{
						def->max_defined = true;
						def->width_max = parse_width_value(mx, mxlen);
					}
				}
				pres = marker + (mlen ? 1 : 0);
				pres_len = comma_at >= 1 ? comma_at - 1 : 0;
				if (comma_at == 0)
					pres_len = 0;
			}
			else
			{
				pres = marker + (mlen ? 1 : 0);
				pres_len = mlen ? mlen - 1 : 0;
			}
			/* a multi-byte component: the presentation starts after it */
			if (def->component == '?')
			{
				size_t		cl = strlen(def->component_utf8);

				pres = marker + cl;
				pres_len = has_comma ? (comma_at > cl ? comma_at - cl : 0) : mlen - cl;
			}
			if (pres_len == 1)
			{
				def->text = strndup(pres, 1);
			}
			else if (pres_len > 1)
			{
				char		last = pres[pres_len - 1];

				if (last == 'a' || last == 't' || last == 'c' || last == 'o')
				{
					def->presentation2 = last;
					def->ordinal = last == 'o';
					def->text = strndup(pres, pres_len - 1);
				}
				else
					def->text = strndup(pres, pres_len);
			}
			else
			{
				const char *dflt = default_presentation(def->component == '?' ? '\0' : def->component);

				if (!dflt)
				{
					char		quoted[16];

					jn_liberr_json_quote(quoted, sizeof quoted, def->component_utf8, strlen(def->component_utf8));
					jn_liberr_set(err, "D3132", "Unknown component specifier %s in date/time picture string", quoted);
					free(marker);
					goto fail;
				}
				def->text = strdup(dflt);
			}
			free(marker);
			if (!def->text)
				goto oom;
			def->text_len = strlen(def->text);
			if (def->text[0] == 'n')
				def->names = NAMES_LOWER;
			else if (def->text[0] == 'N')
				def->names = def->text[1] == 'n' ? NAMES_TITLE : NAMES_UPPER;
			else if (def->component != '\0' && strchr("YMDdFWwXxHhmsf", def->component))
			{
				char	   *pattern = malloc(def->text_len + 3);

				if (!pattern)
					goto oom;
				memcpy(pattern, def->text, def->text_len);
				if (def->presentation2)
				{
					pattern[def->text_len] = ';';
					pattern[def->text_len + 1] = def->presentation2;
					pattern[def->text_len + 2] = '\0';
				}
				else
					pattern[def->text_len] = '\0';
				if (!jn_intfmt_analyse(pattern, strlen(pattern), &def->intfmt, err))
				{
					free(pattern);
					goto fail;
				}

				/*
				 * the token of a sequence error points into the picture text
				 * we keep
				 */
				if (def->intfmt.primary == JN_INT_SEQUENCE)
				{
					def->intfmt.token = def->text;
					def->intfmt.token_len = def->text_len;
				}
				free(pattern);
				def->has_int = true;
				if ((def->min_defined && fabs(def->width_min) > MAX_WIDTH) ||
					(def->max_defined && fabs(def->width_max) > MAX_WIDTH))
				{
					jn_liberr_set(err, "RangeError", "Invalid string length");
					goto fail;
				}
				if (def->min_defined && def->intfmt.mandatory < def->width_min)
					def->intfmt.mandatory = (int) def->width_min;
				if (def->component == 'Y')
				{
					def->n = -1;
					if (def->max_defined)
					{
						def->n = def->width_max;
						def->intfmt.mandatory = isnan(def->width_max) ? 0 : (int) def->width_max;
					}
					else
					{
						int			w = def->intfmt.mandatory + def->intfmt.optional;

						if (w >= 2)
							def->n = w;
					}
				}

				/*
				 * two integers with nothing between: the first must be read
				 * with its exact width
				 */
				if (spec->n >= 2 && spec->parts[spec->n - 2].has_int)
					spec->parts[spec->n - 2].intfmt.parse_width = spec->parts[spec->n - 2].intfmt.mandatory;
			}
			if (def->component == 'Z' || def->component == 'z')
			{
				if (!jn_intfmt_analyse(def->text, def->text_len, &def->intfmt, err))
					goto fail;
				if (def->intfmt.primary == JN_INT_SEQUENCE)
				{
					def->intfmt.token = def->text;
					def->intfmt.token_len = def->text_len;
				}
				def->has_int = true;
			}
			start = pos + 1;
		}
		pos++;
	}
	if (!add_literal(spec, p, start, len))
		goto oom;
	return true;
oom:
	set_oom(err);
fail:
	spec_free(spec);
	return false;
}

/*
 * Analysed pictures of $fromMillis and $toMillis, kept (jn_kept.h): the ISO
 * one too, when $fromMillis gets none; analysing one took as long as
 * formatting.
 */
static void
spec_release(void *spec)
{
	spec_free(spec);
	free(spec);
}

static _Thread_local jn_kept spec_kept = {.free_val = spec_release};

/*
 * The analysis of picture p, from the cache or new: then kept when it can
 * be, else in *own (the caller frees it with spec_free when *owned).
 */
static const dt_spec *
cached_picture(const char *p, size_t len, dt_spec *own, bool *owned, jn_liberr *err)
{
	const dt_spec *spec = jn_kept_get(&spec_kept, p, len);

	*owned = false;
	if (spec)
		return spec;
	if (!analyse_picture(p, len, own, err))
		return NULL;
	spec = jn_kept_put_copy(&spec_kept, p, len, own, sizeof *own);
	*owned = spec == NULL;
	return spec ? spec : own;
}

/* ---- formatting ---- */

/*
 * Appends a name in the case the presentation asks (upper, lower or title),
 * cut to the width's maximum.
 */
static void
add_upper_lower(asl_strbuf *b, const char *s, enum names names, double width_max, bool max_defined)
{
	size_t		n = strlen(s),
				i;

	/* a longer name is cut to the width's maximum */
	if (max_defined && !isnan(width_max) && (double) n > width_max)
		n = width_max < 0 ? 0 : (size_t) width_max;
	for (i = 0; i < n; i++)
	{
		char		c = s[i];

		if (names == NAMES_UPPER && c >= 'a' && c <= 'z')
			c = (char) (c - 32);
		else if (names == NAMES_LOWER && c >= 'A' && c <= 'Z')
			c = (char) (c + 32);
		asl_strbuf_add(b, &c, 1);
	}
}

/* Appends value formatted as the integer picture f says. */
static bool
add_integer(asl_strbuf *b, double value, const jn_intfmt *f, jn_liberr *err)
{
	size_t		n;
	char	   *s = jn_intfmt_format(value, f, &n, err);

	if (!s)
		return false;
	asl_strbuf_add(b, s, n);
	free(s);
	return true;
}

/*
 * Appends one component of a date picture ([Y0001], [MNn], [Z01:01], …) for
 * the fields f at the given offset.
 */
static bool
format_component(asl_strbuf *b, const fields *f, const dt_part *part, double off_hours, double off_minutes,
				 jn_liberr *err)
{
	fragment	v = date_fragment(f, part->component);
	char		c = part->component;

	if (c != '\0' && strchr("YMDdFWwXxHhms", c))
	{
		double		num = v.num;

		if (c == 'Y' && part->n != -1)
			num = fmod(num, pow(10, part->n));
		if (part->names != NAMES_NONE)
		{
			const char *name;

			if (c == 'M' || c == 'x')
				name = num >= 1 && num <= 12 ? month_names[(int) num - 1] : "undefined";
			else if (c == 'F')
				name = num >= 0 && num <= 7 ? day_names[(int) num] : "undefined";
			else
			{
				jn_liberr_set(err, "D3133",
							  "The 'name' modifier can only be applied to months and days in the date/time picture string, not \"%c\"", c);
				return false;
			}
			add_upper_lower(b, name, part->names, part->width_max, part->max_defined);
			return true;
		}
		return add_integer(b, num, &part->intfmt, err);
	}
	if (c == 'f')
	{
		if (!part->has_int)
		{
			/* [fN]: JSONata formats with an integer format it never built */
			jn_liberr_set(err, "TypeError", "Cannot read properties of undefined (reading 'primary')");
			return false;
		}
		return add_integer(b, v.num, &part->intfmt, err);
	}
	if (c == 'Z' || c == 'z')
	{
		double		offset = off_hours * 100 + off_minutes;
		asl_strbuf	z = {0};
		bool		ok = true;

		if (part->intfmt.regular)
			ok = add_integer(&z, offset, &part->intfmt, err);
		else
		{
			int			digits = part->intfmt.mandatory;

			if (digits == 1 || digits == 2)
			{
				ok = add_integer(&z, off_hours, &part->intfmt, err);
				if (ok && off_minutes != 0)
				{
					char	   *mm = jn_format_integer(off_minutes, "00", 2, NULL, err);

					if (!mm)
						ok = false;
					else
					{
						asl_strbuf_add(&z, ":", 1);
						asl_strbuf_add(&z, mm, strlen(mm));
						free(mm);
					}
				}
			}
			else if (digits == 3 || digits == 4)
				ok = add_integer(&z, offset, &part->intfmt, err);
			else
			{
				jn_liberr_set(err, "D3134", "The timezone integer format specifier cannot have more than four digits");
				ok = false;
			}
		}
		if (!ok)
		{
			free(z.data);
			return false;
		}
		if (offset == 0 && part->presentation2 == 't')
			asl_strbuf_add(b, "Z", 1);
		else
		{
			if (c == 'z')
				asl_strbuf_add(b, "GMT", 3);
			if (offset >= 0)
				asl_strbuf_add(b, "+", 1);
			if (z.data)
				asl_strbuf_add(b, z.data, z.len);
		}
		free(z.data);
		return true;
	}
	if (c == 'P')
	{
		add_upper_lower(b, v.str, part->names == NAMES_UPPER ? NAMES_UPPER : NAMES_NONE, 0, false);
		return true;
	}
	if (v.kind == FRAG_STR)
		asl_strbuf_add(b, v.str, strlen(v.str));
	else
		asl_strbuf_add(b, "undefined", 9);	/* JavaScript concatenates
											 * undefined */
	return true;
}

static const char iso_picture[] = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/* JavaScript's parseInt(s) with no radix */
static double
js_parse_int(const char *s, size_t len)
{
	size_t		i = 0,
				start;
	bool		neg = false;
	double		v = 0;
	int			radix = 10;

	while (i < len)
	{
		size_t		w = js_space_at((const unsigned char *) s + i, len - i);

		if (!w)
			break;
		i += w;
	}
	if (i < len && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	if (i + 1 < len && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
	{
		radix = 16;
		i += 2;
	}
	start = i;
	for (; i < len; i++)
	{
		int			d = s[i] >= '0' && s[i] <= '9' ? s[i] - '0' :
		radix == 16 && (s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'f' ? (s[i] | 0x20) - 'a' + 10 : -1;

		if (d < 0)
			break;
		v = v * radix + d;
	}
	if (i == start)
		return NAN;
	return neg ? -v : v;
}

char	   *
jn_from_millis(double millis, const char *picture, size_t picture_len,
			   const char *timezone, size_t timezone_len,
			   size_t *out_len, jn_liberr *err)
{
	double		off_hours = 0,
				off_minutes = 0,
				t;
	dt_spec		own;
	const dt_spec *spec;
	bool		owned;
	fields		f;
	asl_strbuf	b = {0};
	size_t		i;

	if (timezone)
	{
		double		offset = js_parse_int(timezone, timezone_len);

		off_hours = floor(offset / 100);
		off_minutes = fmod(offset, 100);
	}
	if (!picture)
	{
		picture = iso_picture;
		picture_len = sizeof iso_picture - 1;
	}
	t = time_clip(millis + (60 * off_hours + off_minutes) * 60 * 1000);
	spec = cached_picture(picture, picture_len, &own, &owned, err);
	if (spec == NULL)
		return NULL;
	if (isnan(t))
	{
		if (owned)
			spec_free(&own);
		jn_liberr_set(err, "RangeError", "Invalid time value");
		return NULL;
	}
	fields_of(t, &f);
	for (i = 0; i < spec->n; i++)
	{
		const dt_part *part = &spec->parts[i];

		if (part->literal)
			asl_strbuf_add(&b, part->text, part->text_len);
		else if (!format_component(&b, &f, part, off_hours, off_minutes, err))
		{
			free(b.data);
			if (owned)
				spec_free(&own);
			return NULL;
		}
	}
	if (owned)
		spec_free(&own);
	if (b.oom)
	{
		free(b.data);
		set_oom(err);
		return NULL;
	}
	if (!b.data)
	{
		b.data = malloc(1);
		if (!b.data)
		{
			set_oom(err);
			return NULL;
		}
		b.data[0] = '\0';
	}
	if (out_len)
		*out_len = b.len;
	return b.data;
}

/* ---- parsing ---- */

/* a parsed component: absent, present but undefined, a number, or a string (from now's 'P') */
typedef struct comp
{
	enum
	{
		C_ABSENT, C_UNDEF, C_NUM, C_STR
	}			kind;
	double		num;
} comp;

static const char comp_letters[] = "YXMxWwdDFPHhmsfZz";

/* The parsed value slot of component letter c, or NULL. */
static comp *
comp_slot(comp *comps, char c)
{
	const char *p = strchr(comp_letters, c);

	return p && c ? &comps[p - comp_letters] : NULL;
}

/* Whether a parsed component holds a value. */
static bool
comp_defined(const comp *c)
{
	return c->kind == C_NUM || c->kind == C_STR;
}

/* JavaScript truthiness of the component */
static bool
comp_truthy(const comp *c)
{
	return c->kind == C_STR || (c->kind == C_NUM && c->num != 0 && !isnan(c->num));
}

/* the regex for a literal: JavaScript's specials escaped */
static void
add_escaped(asl_strbuf *b, const char *s, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		if (strchr(".*+?^${}()|[]\\", s[i]) && s[i] != '\0')
			asl_strbuf_add(b, "\\", 1);
		asl_strbuf_add(b, s + i, 1);
	}
}

/* month or day name lookup (exact, as JSONata's object lookup is) */
static bool
name_lookup(const dt_part *part, const char *s, size_t n, double *out)
{
	int			i;

	if (part->component == 'M' || part->component == 'x')
	{
		for (i = 0; i < 12; i++)
		{
			size_t		len = strlen(month_names[i]);

			if (part->max_defined && part->width_max > 0 && (double) len > part->width_max)
				len = (size_t) part->width_max;
			if (len == n && memcmp(month_names[i], s, n) == 0)
			{
				*out = i + 1;
				return true;
			}
		}
		return false;
	}
	if (part->component == 'F')
	{
		for (i = 1; i <= 7; i++)
		{
			size_t		len = strlen(day_names[i]);

			if (part->max_defined && part->width_max > 0 && (double) len > part->width_max)
				len = (size_t) part->width_max;
			if (len == n && memcmp(day_names[i], s, n) == 0)
			{
				*out = i;
				return true;
			}
		}
		return false;
	}
	/* 'P' */
	if (n == 2 && (memcmp(s, "am", 2) == 0 || memcmp(s, "AM", 2) == 0))
	{
		*out = 0;
		return true;
	}
	if (n == 2 && (memcmp(s, "pm", 2) == 0 || memcmp(s, "PM", 2) == 0))
	{
		*out = 1;
		return true;
	}
	return false;
}

/* a timezone's minutes, as JSONata reads "+05:30", "GMT-5", "+0530" */
static double
parse_zone(const dt_part *part, const char *s, size_t n)
{
	double		hours = 0,
				minutes = 0;

	if (part->component == 'z')
	{
		s += 3;
		n -= 3;
	}
	if (part->intfmt.regular)
	{
		/* the pattern requires the separator */
		char		sep = (char) part->intfmt.seps[0].ch;
		const char *at = memchr(s, sep, n);

		if (at)
		{
			hours = js_parse_int(s, (size_t) (at - s));
			minutes = js_parse_int(at + 1, n - (size_t) (at - s) - 1);
		}
	}
	else if (n - 1 <= 2)
		hours = js_parse_int(s, n);
	else
	{
		hours = js_parse_int(s, 3);
		minutes = js_parse_int(s + 3, n - 3);
	}
	return hours * 60 + minutes;
}

/*
 * The regular expression that matches timestamps written in the picture
 * spec, one capture group per component.
 */
static bool
build_regex(const dt_spec *spec, asl_strbuf *b, jn_liberr *err)
{
	size_t		i;

	asl_strbuf_add(b, "^", 1);
	for (i = 0; i < spec->n; i++)
	{
		const dt_part *part = &spec->parts[i];
		char		c = part->component;

		asl_strbuf_add(b, "(", 1);
		if (part->literal)
			add_escaped(b, part->text, part->text_len);
		else if (c == 'Z' || c == 'z')
		{
			if (c == 'z')
				asl_strbuf_add(b, "GMT", 3);
			asl_strbuf_add(b, "[-+][0-9]+", 10);
			if (part->intfmt.regular)
			{
				char		sep = (char) part->intfmt.seps[0].ch;

				asl_strbuf_add(b, &sep, 1);
				asl_strbuf_add(b, "[0-9]+", 6);
			}
		}
		else if (c == 'f')
			asl_strbuf_add(b, "[0-9]+", 6);
		else if (part->has_int && part->names == NAMES_NONE)
		{
			char	   *r = jn_intfmt_regex(&part->intfmt, err);

			if (!r)
				return false;
			asl_strbuf_add(b, r, strlen(r));
			free(r);
		}
		else
		{
			if (c != 'M' && c != 'x' && c != 'F' && c != 'P')
			{
				char		quoted[16];

				jn_liberr_json_quote(quoted, sizeof quoted, part->component_utf8, strlen(part->component_utf8));
				jn_liberr_set(err, "D3133",
							  "The 'name' modifier can only be applied to months and days in the date/time picture string, not %s",
							  quoted);
				return false;
			}
			asl_strbuf_add(b, "[a-zA-Z]+", 9);
		}
		asl_strbuf_add(b, ")", 1);
	}
	asl_strbuf_add(b, "$", 1);
	if (b->oom)
	{
		set_oom(err);
		return false;
	}
	return true;
}

/* JSONata's bit-mask test: no bit outside type, at least one inside */
static bool
is_type(int type, int mask)
{
	return !(~type & mask) && (type & mask);
}

/*
 * The expressions $toMillis built from its pictures, kept (jn_kept.h):
 * compiling one (PCRE2) cost more than the rest of a call together. Keyed by
 * the expression's text (it says all the picture does to matching); a
 * compiled jn_regex is immutable.
 */
static void
rx_release(void *re)
{
	jn_regex_free(re);
}

static _Thread_local jn_kept rx_kept = {.free_val = rx_release};

/* the compiled expression of text, from the cache or new (then kept when it can be) */
static jn_regex *
picture_regex(const char *text, size_t len, bool *owned, jn_liberr *err)
{
	jn_regex   *re = jn_kept_get(&rx_kept, text, len);

	*owned = false;
	if (re)
		return re;
	re = jn_regex_compile(text, len, "i", err);
	if (re == NULL)
		return NULL;
	/* not kept: the caller frees it */
	*owned = !jn_kept_put(&rx_kept, text, len, re);
	return re;
}

/*
 * $toMillis with a picture: matches ts against the picture's expression and
 * builds the time from its components, the missing ones defaulted as
 * jsonata-js does; 1 with *out set, 0 when ts does not match, -1 on an
 * error.
 */
static int
parse_with_picture(const char *ts, size_t len, const char *picture, size_t picture_len,
				   double now_ms, double *out, jn_liberr *err)
{
	dt_spec		own;
	const dt_spec *spec;
	bool		spec_owned = false;
	asl_strbuf	rx = {0};
	jn_regex   *re = NULL;
	bool		re_owned = false;
	jn_regex_iter it;
	jn_regex_match m;
	comp		comps[sizeof comp_letters - 1];
	bool		any = false;
	int			rc = -1,
				mrc;
	size_t		i;
	int			mask;
	bool		dateA,
				dateB,
				dateC,
				dateD,
				timeA,
				timeB;
	const char *order;
	char		order_buf[16];
	bool		start_specified = false,
				end_specified = false;
	fields		now;

	memset(comps, 0, sizeof comps);
	memset(&it, 0, sizeof it);
	spec = cached_picture(picture, picture_len, &own, &spec_owned, err);
	if (spec == NULL)
		return -1;
	if (!build_regex(spec, &rx, err))
		goto done;
	re = picture_regex(rx.data, rx.len, &re_owned, err);
	if (!re)
		goto done;
	if (!jn_regex_iter_init(&it, re, ts, len, 0, err))
	{
		/* a timestamp that is not UTF-8 cannot match */
		rc = strcmp(err->code, "UTF8") == 0 ? 0 : -1;
		goto done;
	}
	mrc = jn_regex_iter_next(&it, &m, err);
	if (mrc <= 0)
	{
		rc = mrc;
		goto done;
	}
	for (i = 0; i < spec->n; i++)
	{
		const dt_part *part = &spec->parts[i];
		const char *v = ts + m.groups[i].start;
		size_t		n = m.groups[i].end - m.groups[i].start;
		comp	   *slot;
		char		c = part->component;

		if (part->literal)
			continue;
		slot = comp_slot(comps, c);
		any = true;
		if (!slot)
			continue;			/* a component JSONata parses but never uses
								 * (C, E, …) */
		if (c == 'Z' || c == 'z')
		{
			slot->kind = C_NUM;
			slot->num = parse_zone(part, v, n);
		}
		else if (c == 'f')
		{
			char		buf[8] = "0.";
			size_t		k = n < 3 ? n : 3;

			memcpy(buf + 2, v, k);
			buf[2 + k] = '\0';
			slot->kind = C_NUM;
			slot->num = strtod(buf, NULL) * 1000;
		}
		else if (part->has_int && part->names == NAMES_NONE)
		{
			if (jn_intfmt_parse(&part->intfmt, v, n, &slot->num, err) < 0)
				goto done;
			slot->kind = C_NUM;
		}
		else
		{
			slot->kind = name_lookup(part, v, n, &slot->num) ? C_NUM : C_UNDEF;
		}
	}
	if (!any)
	{
		rc = 0;
		goto done;
	}
	mask = 0;
	for (i = 0; i < 8; i++)
		mask = (mask << 1) | (comp_truthy(comp_slot(comps, "YXMxWwdD"[i])) ? 1 : 0);
	dateA = is_type(161, mask);
	dateB = !dateA && is_type(130, mask);
	dateC = is_type(84, mask);
	dateD = !dateC && is_type(72, mask);
	mask = 0;
	for (i = 0; i < 6; i++)
		mask = (mask << 1) | (comp_truthy(comp_slot(comps, "PHhmsf"[i])) ? 1 : 0);
	timeA = is_type(23, mask);
	timeB = !timeA && is_type(47, mask);
	snprintf(order_buf, sizeof order_buf, "%s%s",
			 dateB ? "YD" : dateC ? "XxwF" : dateD ? "XWF" : "YMD", timeB ? "Phmsf" : "Hmsf");
	order = order_buf;
	fields_of(now_ms, &now);
	for (; *order; order++)
	{
		comp	   *slot = comp_slot(comps, *order);

		if (!comp_defined(slot))
		{
			if (start_specified)
			{
				slot->kind = C_NUM;
				slot->num = strchr("MDd", *order) ? 1 : 0;
				end_specified = true;
			}
			else
			{
				fragment	fr = date_fragment(&now, *order);

				slot->kind = fr.kind == FRAG_STR ? C_STR : C_NUM;
				slot->num = fr.num;
			}
		}
		else
		{
			start_specified = true;
			if (end_specified)
			{
				jn_liberr_set(err, "D3136", "The date/time picture string is missing specifiers required to parse the timestamp");
				goto done;
			}
		}
	}
	{
		comp	   *M = comp_slot(comps, 'M'),
				   *D = comp_slot(comps, 'D'),
				   *Y = comp_slot(comps, 'Y'),
				   *H = comp_slot(comps, 'H');
		double		month = (M->kind == C_NUM && M->num > 0) ? M->num - 1 : 0;
		double		day = D->kind == C_NUM ? D->num : NAN;
		double		hour = H->kind == C_NUM ? H->num : NAN;
		double		year = Y->kind == C_NUM ? Y->num : NAN;
		double		millis;
		comp	   *Z = comp_slot(comps, 'Z'),
				   *z = comp_slot(comps, 'z');

		if (dateB)
		{
			double		jan1 = date_utc(year, 0, 1, 0, 0, 0, 0);
			comp	   *d = comp_slot(comps, 'd');
			double		t = time_clip(jan1 + ((d->kind == C_NUM ? d->num : NAN) - 1) * MS_PER_DAY);

			if (isnan(t))
				month = day = NAN;
			else
			{
				fields		df;

				fields_of(t, &df);
				month = df.month;
				day = df.day;
			}
		}
		if (dateC || dateD)
		{
			jn_liberr_set(err, "D3136", "The date/time picture string is missing specifiers required to parse the timestamp");
			goto done;
		}
		if (timeB)
		{
			comp	   *h = comp_slot(comps, 'h'),
					   *P = comp_slot(comps, 'P');
			double		hv = h->kind == C_NUM ? h->num : NAN;

			hour = hv == 12 ? 0 : hv;
			if (P->kind == C_NUM && P->num == 1)
				hour += 12;
		}
#define VAL(c) (comp_slot(comps, c)->kind == C_NUM ? comp_slot(comps, c)->num : NAN)
		millis = date_utc(year, month, day, hour, VAL('m'), VAL('s'), VAL('f'));
#undef VAL
		if (comp_truthy(Z) || comp_truthy(z))
			millis -= (comp_truthy(Z) ? Z->num : z->num) * 60 * 1000;
		*out = millis;
		rc = 1;
	}
done:
	jn_regex_iter_done(&it);
	if (re_owned)
		jn_regex_free(re);
	free(rx.data);
	if (spec_owned)
		spec_free(&own);
	return rc;
}

/* ---- ISO 8601 as JavaScript's Date.parse reads what JSONata lets through ---- */

/* Reads exactly n decimal digits at s[i] into *v. */
static bool
digits_at(const char *s, size_t len, size_t i, int n, int *v)
{
	int			k;

	*v = 0;
	if (i + (size_t) n > len)
		return false;
	for (k = 0; k < n; k++)
	{
		if (s[i + k] < '0' || s[i + k] > '9')
			return false;
		*v = *v * 10 + (s[i + k] - '0');
	}
	return true;
}

/*
 * JSONata's test: ^\d{4}(-[01]\d)?(-[0-3]\d)?(T[0-2]\d:[0-5]\d:[0-5]\d)?(\.\d+)?([+-][0-2]\d:?[0-5]\d|Z)?$
 * and, for what passes, Date.parse's value (NaN for impossible fields).
 */
static bool
iso_parse(const char *s, size_t len, double *out)
{
	size_t		i = 0;
	int			year,
				month = 1,
				day = 1,
				hour = 0,
				minute = 0,
				second = 0;
	double		ms = 0,
				offset_min = 0;
	bool		has_time = false,
				has_frac = false,
				has_zone = false,
				zone_z = false,
				valid = true;

	if (!digits_at(s, len, 0, 4, &year))
		return false;
	i = 4;
	if (i < len && s[i] == '-' && i + 2 < len && (s[i + 1] == '0' || s[i + 1] == '1') && digits_at(s, len, i + 1, 2, &month))
	{
		i += 3;
		if (i < len && s[i] == '-' && i + 2 < len && s[i + 1] >= '0' && s[i + 1] <= '3' && digits_at(s, len, i + 1, 2, &day))
		{
			i += 3;
		}
	}
	if (i < len && s[i] == 'T')
	{
		if (!(i + 9 <= len && s[i + 1] >= '0' && s[i + 1] <= '2' && digits_at(s, len, i + 1, 2, &hour) &&
			  s[i + 3] == ':' && s[i + 4] >= '0' && s[i + 4] <= '5' && digits_at(s, len, i + 4, 2, &minute) &&
			  s[i + 6] == ':' && s[i + 7] >= '0' && s[i + 7] <= '5' && digits_at(s, len, i + 7, 2, &second)))
			return false;
		has_time = true;
		i += 9;
	}
	if (i < len && s[i] == '.')
	{
		size_t		start = ++i;
		double		scale = 100;

		while (i < len && s[i] >= '0' && s[i] <= '9')
		{
			if (scale >= 1)
				ms += (s[i] - '0') * scale;
			scale /= 10;
			i++;
		}
		if (i == start)
			return false;
		has_frac = true;
	}
	if (i < len && s[i] == 'Z')
	{
		has_zone = zone_z = true;
		i++;
	}
	else if (i < len && (s[i] == '+' || s[i] == '-'))
	{
		int			oh,
					om;
		int			sign = s[i] == '-' ? -1 : 1;

		if (!(i + 3 <= len && s[i + 1] >= '0' && s[i + 1] <= '2' && digits_at(s, len, i + 1, 2, &oh)))
			return false;
		i += 3;
		if (i < len && s[i] == ':')
			i++;
		if (!(i + 2 <= len && s[i] >= '0' && s[i] <= '5' && digits_at(s, len, i, 2, &om)))
			return false;
		i += 2;
		has_zone = true;
		if (oh > 23)
			valid = false;
		offset_min = sign * (oh * 60 + om);
	}
	if (i != len)
		return false;
	/* what V8 makes of the fields */
	if (month < 1 || month > 12 || day < 1 || day > 31)
		valid = false;
	if (hour > 24 || (hour == 24 && (minute || second || ms)))
		valid = false;
	if (has_frac && !has_time)
		valid = false;
	if (has_zone && !zone_z && !has_time)
		valid = false;
	if (!valid)
	{
		*out = NAN;
		return true;
	}

	/*
	 * MakeDay directly: Date.parse does not map years 0..99 into the 1900s as
	 * Date.UTC does
	 */
	*out = time_clip(make_day(year, month - 1, day) * MS_PER_DAY + make_time(hour, minute, second, ms) -
					 offset_min * 60000);
	return true;
}

int
jn_to_millis(const char *timestamp, size_t len, const char *picture, size_t picture_len,
			 double now_ms, double *out, jn_liberr *err)
{
	if (!picture)
	{
		if (!iso_parse(timestamp, len, out))
		{
			char		quoted[100];

			jn_liberr_json_quote(quoted, sizeof quoted, timestamp, len);
			jn_liberr_set(err, "D3110",
						  "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given %s", quoted);
			return -1;
		}
		return 1;
	}
	return parse_with_picture(timestamp, len, picture, picture_len, now_ms, out, err);
}
