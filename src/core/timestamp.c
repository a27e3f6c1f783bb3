/*
 * timestamp.c — RFC 3339 timestamps, parsed and printed without libc's
 * locale- and timezone-dependent calls so results never depend on TZ.
 */
#include "timestamp.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	int64_t		yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/*
 * The civil date of a day count since 1970-01-01 (Howard Hinnant's
 * algorithm).
 */
static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t		era,
				doe,
				yoe,
				doy,
				mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int) (doy - (153 * mp + 2) / 5 + 1);
	*m = (int) (mp < 10 ? mp + 3 : mp - 9);
	*y = (int) (yoe + era * 400 + (*m <= 2));
}

/* Reads exactly n decimal digits at *s into *out, advancing *s. */
static bool
digits(const char **s, int n, int *out)
{
	int			v = 0;

	for (int i = 0; i < n; i++)
	{
		if (!isdigit((unsigned char) (*s)[i]))
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

/* Consumes character c at *s; false when another stands there. */
static bool
expect(const char **s, char c)
{
	if (**s != c)
		return false;
	(*s)++;
	return true;
}

/* Days in month m (1-12) of year y. */
static int
days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return (m == 2 && leap) ? 29 : dim[m - 1];
}

bool
asl_timestamp_parse(const char *text, asl_time *out)
{
	const char *s = text;
	int			y,
				mo,
				d,
				h,
				mi,
				sec;
	int64_t		frac_us = 0;
	int64_t		offset_sec = 0;

	if (text == NULL)
		return false;
	if (!digits(&s, 4, &y) || !expect(&s, '-') || !digits(&s, 2, &mo) ||
		!expect(&s, '-') || !digits(&s, 2, &d) || !expect(&s, 'T') ||
		!digits(&s, 2, &h) || !expect(&s, ':') || !digits(&s, 2, &mi) ||
		!expect(&s, ':') || !digits(&s, 2, &sec))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
		h > 23 || mi > 59 || sec > 60)
		return false;
	if (*s == '.')
	{
		int64_t		scale = 100000;
		int			n = 0;

		s++;
		while (isdigit((unsigned char) *s))
		{
			if (scale > 0)
			{
				frac_us += (*s - '0') * scale;
				scale /= 10;
			}
			s++;
			n++;
		}
		if (n == 0)
			return false;
	}
	if (*s == 'Z')
		s++;
	else if (*s == '+' || *s == '-')
	{
		int			oh,
					om;
		int			sign = *s == '-' ? -1 : 1;

		s++;
		if (!digits(&s, 2, &oh) || !expect(&s, ':') || !digits(&s, 2, &om) ||
			oh > 23 || om > 59)
			return false;
		offset_sec = sign * (oh * 3600 + om * 60);
	}
	else
		return false;
	if (*s != '\0')
		return false;
	if (sec == 60)
		sec = 59;				/* a leap second is read as the second before
								 * it */
	*out = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset_sec)
			* ASL_USEC_PER_SEC) + frac_us;
	return true;
}

/* "YYYY-MM-DDTHH:MM:SS." of the second formatted last (years 0 to 9999) */
#define PREFIX_LEN 20
static int64_t last_secs = INT64_MIN;
static char last_prefix[PREFIX_LEN];

/* "mmmZ" and the terminating NUL at p. */
static void
put_millis(char *p, int ms)
{
	p[0] = (char) ('0' + ms / 100);
	p[1] = (char) ('0' + ms / 10 % 10);
	p[2] = (char) ('0' + ms % 10);
	p[3] = 'Z';
	p[4] = '\0';
}

void
asl_timestamp_format(asl_time t, char *buf)
{
	int64_t		secs = t / ASL_USEC_PER_SEC;
	int64_t		us = t % ASL_USEC_PER_SEC;
	int64_t		days,
				rem;
	int			y,
				m,
				d;
	char		tmp[96];

	if (us < 0)
	{
		us += ASL_USEC_PER_SEC;
		secs--;
	}
	days = secs / 86400;
	rem = secs % 86400;
	if (rem < 0)
	{
		rem += 86400;
		days--;
	}

	/*
	 * the events of one step, and of the steps around it, fall in the same
	 * second: its text is kept, and only the milliseconds are written
	 */
	if (secs == last_secs)
	{
		memcpy(buf, last_prefix, PREFIX_LEN);
		put_millis(buf + PREFIX_LEN, (int) (us / 1000));
		return;
	}
	civil_from_days(days, &y, &m, &d);
	if (y >= 0 && y <= 9999)
	{
		/*
		 * by hand: this runs for every state entered, and snprintf was a
		 * tenth of a Pass state
		 */
		int			fields[6] = {y, m, d, (int) (rem / 3600), (int) (rem % 3600 / 60),
		(int) (rem % 60)};
		static const int widths[6] = {4, 2, 2, 2, 2, 2};
		static const char after[6] = {'-', '-', 'T', ':', ':', '.'};
		char	   *p = buf;

		for (int f = 0; f < 6; f++)
		{
			for (int w = widths[f] - 1; w >= 0; w--)
			{
				p[w] = (char) ('0' + fields[f] % 10);
				fields[f] /= 10;
			}
			p += widths[f];
			*p++ = after[f];
		}
		memcpy(last_prefix, buf, PREFIX_LEN);
		last_secs = secs;
		put_millis(p, (int) (us / 1000));
		return;
	}
	/* formatted in a roomy buffer: the compiler cannot bound y, m and d */
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, m, d,
			 (int) (rem / 3600), (int) (rem % 3600 / 60), (int) (rem % 60),
			 (int) (us / 1000));
	memcpy(buf, tmp, 31);
	buf[31] = '\0';
}
