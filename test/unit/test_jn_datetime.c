/*
 * test_jn_datetime.c — $fromMillis and $toMillis. The cases named "suite
 * group/case" come from the official JSONata test suite
 * (../shared/jsonata/suite.jsonl), one call each (chains such as
 * $toMillis(…) ~> $fromMillis() run both functions); the rest pin edge
 * cases checked against JavaScript.
 */
#include <math.h>

#include "unit.h"
#include "jsonata/jn_datetime.h"

/* a fixed $now(): 2024-06-15T08:30:45.123Z */
#define NOW 1718440245123.0

static char out[512];

static const char *
fm(double ms, const char *pic, const char *tz)
{
	jn_liberr	err = {0};
	size_t		n;
	char	   *r = jn_from_millis(ms, pic, pic ? strlen(pic) : 0, tz, tz ? strlen(tz) : 0, &n, &err);

	if (!r)
		return err.code;
	CHECK_INT(n, strlen(r));
	snprintf(out, sizeof out, "%s", r);
	free(r);
	return out;
}

static const char *
tm(const char *ts, const char *pic)
{
	jn_liberr	err = {0};
	double		v;
	int			rc = jn_to_millis(ts, strlen(ts), pic, pic ? strlen(pic) : 0, NOW, &v, &err);

	if (rc < 0)
		return err.code;
	if (rc == 0)
		return "undefined";
	if (isnan(v))
		return "NaN";
	snprintf(out, sizeof out, "%.0f", v);
	return out;
}

/* $toMillis(ts, pic) ~> $fromMillis() */
static const char *
tm_iso(const char *ts, const char *pic)
{
	jn_liberr	err = {0};
	double		v;
	int			rc = jn_to_millis(ts, strlen(ts), pic, pic ? strlen(pic) : 0, NOW, &v, &err);

	if (rc < 0)
		return err.code;
	if (rc == 0)
		return "undefined";
	return fm(v, NULL, NULL);
}

/* ($ts := $toMillis(ts, pic); $fromMillis($ts, pic2)) */
static const char *
tm_fm(const char *ts, const char *pic, const char *pic2)
{
	jn_liberr	err = {0};
	double		v;

	if (jn_to_millis(ts, strlen(ts), pic, strlen(pic), NOW, &v, &err) != 1)
		return "toMillis failed";
	return fm(v, pic2, NULL);
}

static void
test_suite(void)
{
	CHECK_STR(fm(1, NULL, NULL), "1970-01-01T00:00:00.001Z");	/* suite function-fromMillis/case000 */
	CHECK_STR(fm(1509380732935, NULL, NULL), "2017-10-30T16:25:32.935Z");	/* suite function-fromMillis/case001 */
	CHECK_STR(fm(1521801216617, "Hello", NULL), "Hello");	/* suite function-fromMillis/formatDateTime[1] */
	CHECK_STR(fm(1521801216617, "Year: [Y0001]", NULL), "Year: 2018");	/* suite function-fromMillis/formatDateTime[2] */
	CHECK_STR(fm(1521801216617, "Year: <[Y0001]>", NULL), "Year: <2018>");	/* suite function-fromMillis/formatDateTime[3] */
	CHECK_STR(fm(1521801216617, "Year: <[Y9,999,*]>", NULL), "Year: <2,018>");	/* suite function-fromMillis/formatDateTime[4] */
	CHECK_STR(fm(1521801216617, "[[Year: <[Y0001]>", NULL), "[Year: <2018>");	/* suite function-fromMillis/formatDateTime[5] */
	CHECK_STR(fm(1521801216617, "Year]]: <[Y0001]>", NULL), "Year]: <2018>");	/* suite function-fromMillis/formatDateTime[6] */
	CHECK_STR(fm(1521801216617, "[[Year]]: [[[Y0001]]]", NULL), "[Year]: [2018]");	/* suite function-fromMillis/formatDateTime[7] */
	CHECK_STR(fm(1521801216617, "[D#1]/[M#1]/[Y0001]", NULL), "23/3/2018");	/* suite function-fromMillis/formatDateTime[8] */
	CHECK_STR(fm(1522616700000, "[F0] [FNn]", NULL), "7 Sunday");	/* suite function-fromMillis/formatDateTime[9] */
	CHECK_STR(fm(1522703100000, "[F0] [FNn]", NULL), "1 Monday");	/* suite function-fromMillis/formatDateTime[10] */
	CHECK_STR(fm(1521801216617, "[Y0001]-[M01]-[D01]", NULL), "2018-03-23");	/* suite function-fromMillis/formatDateTime[11] */
	CHECK_STR(fm(1521801216617, "[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]", NULL), "03/23/2018 at 10:33:36");	/* suite function-fromMillis/formatDateTime[12] */
	CHECK_STR(fm(1521801216617, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]", NULL), "2018-03-23T10:33:36.617Z");	/* suite function-fromMillis/formatDateTime[13] */
	CHECK_STR(fm(1521801216617, "[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]", NULL), "2018-03-23T10:33:36.617Z");	/* suite function-fromMillis/formatDateTime[14] */
	CHECK_STR(fm(1521801216617, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0100"), "2018-03-23T11:33:36.617+0100");	/* suite function-fromMillis/formatDateTime[15] */
	CHECK_STR(fm(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]", NULL), "2018-07-11T12:00:00+00:00");	/* suite function-fromMillis/formatDateTime[16] */
	CHECK_STR(fm(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]", NULL), "2018-07-11T12:00:00Z");	/* suite function-fromMillis/formatDateTime[17] */
	CHECK_STR(fm(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "-0500"), "2018-07-11T07:00:00-05:00");	/* suite function-fromMillis/formatDateTime[18] */
	CHECK_STR(fm(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "-0500"), "2018-07-11T07:00:00-5");	/* suite function-fromMillis/formatDateTime[19] */
	CHECK_STR(fm(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]", "+1000"), "2018-07-11T22:00:00+10:00");	/* suite function-fromMillis/formatDateTime[20] */
	CHECK_STR(fm(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+1000"), "2018-07-11T22:00:00+10");	/* suite function-fromMillis/formatDateTime[21] */
	CHECK_STR(fm(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]", "+0530"), "2018-07-11T17:30:00+5:30");	/* suite function-fromMillis/formatDateTime[22] */
	CHECK_STR(fm(1531310400000, "[Y]-[M01]-[D01]T[H01]:[m]:[s][z]", "-0500"), "2018-07-11T07:00:00GMT-05:00");	/* suite function-fromMillis/formatDateTime[23] */
	CHECK_STR(fm(1204405500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530"), "2008-03-02T02:35:00.000+0530");	/* suite function-fromMillis/formatDateTime[24] */
	CHECK_STR(fm(1230757500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]", "+0530"), "2009-01-01T02:35:00.000+0530");	/* suite function-fromMillis/formatDateTime[25] */
	CHECK_STR(fm(1230757500000, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]", "+0530"), "D3134");	/* suite function-fromMillis/formatDateTime[26] */
	CHECK_STR(fm(1521801216617, "[D#1,2]/[M1,2]/[Y,2]", NULL), "23/03/18");	/* suite function-fromMillis/formatDateTime[27] */
	CHECK_STR(fm(1521801216617, "[D#1,2]/[M1,2]/[Y0001,2]", NULL), "23/03/2018");	/* suite function-fromMillis/formatDateTime[28] */
	CHECK_STR(fm(1521801216617, "[D#1,2]/[M1,2]/[Y##01,2-2]", NULL), "23/03/18");	/* suite function-fromMillis/formatDateTime[29] */
	CHECK_STR(fm(1521801216617, "[D#1,2]/[M1,2]/[Y0001,2-2]", NULL), "23/03/18");	/* suite function-fromMillis/formatDateTime[30] */
	CHECK_STR(fm(1521801216617, "[D1] [M01] [YI]", NULL), "23 03 MMXVIII");	/* suite function-fromMillis/formatDateTime[31] */
	CHECK_STR(fm(1521801216617, "[Da] [MA] [Yi]", NULL), "w C mmxviii");	/* suite function-fromMillis/formatDateTime[32] */
	CHECK_STR(fm(1521801216617, "[D1o] [M01] [Y]", NULL), "23rd 03 2018");	/* suite function-fromMillis/formatDateTime[33] */
	CHECK_STR(fm(1521801216617, "[Yw]", NULL), "two thousand and eighteen");	/* suite function-fromMillis/formatDateTime[34] */
	CHECK_STR(fm(1521801216617, "[Dwo] [M01] [Y]", NULL), "twenty-third 03 2018");	/* suite function-fromMillis/formatDateTime[35] */
	CHECK_STR(fm(1521801216617, "[D1o] [MNn] [Y]", NULL), "23rd March 2018");	/* suite function-fromMillis/formatDateTime[36] */
	CHECK_STR(fm(1521801216617, "[D1o] [MN] [Y]", NULL), "23rd MARCH 2018");	/* suite function-fromMillis/formatDateTime[37] */
	CHECK_STR(fm(1521801216617, "[FNn], [D1o] [MNn] [Y]", NULL), "Friday, 23rd March 2018");	/* suite function-fromMillis/formatDateTime[38] */
	CHECK_STR(fm(1521801216617, "[FNn], the [Dwo] of [MNn] [Y] [E]", NULL), "Friday, the twenty-third of March 2018 ISO");	/* suite function-fromMillis/formatDateTime[39] */
	CHECK_STR(fm(1521801216617, "[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]", NULL), "Fri, 23rd Mar 2018 ISO");	/* suite function-fromMillis/formatDateTime[40] */
	CHECK_STR(fm(1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", NULL), "friday, 23/3/2018 10:33:36 am");	/* suite function-fromMillis/formatDateTime[41] */
	CHECK_STR(fm(1204405500000, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", NULL), "saturday, 1/3/2008 9:05:00 pm");	/* suite function-fromMillis/formatDateTime[42] */
	CHECK_STR(fm(1199664000000, "[F], [D]/[M]/[Y] [h]:[m]:[s] [P]", NULL), "monday, 7/1/2008 12:00:00 am");	/* suite function-fromMillis/formatDateTime[43] */
	CHECK_STR(fm(1514808000000, "[dwo] day of the year", NULL), "first day of the year");	/* suite function-fromMillis/formatDateTime[44] */
	CHECK_STR(fm(1546257600000, "[d] days in [Y0001]", NULL), "365 days in 2018");	/* suite function-fromMillis/formatDateTime[45] */
	CHECK_STR(fm(1483185600000, "[d] days in [Y0001]", NULL), "366 days in 2016");	/* suite function-fromMillis/formatDateTime[46] */
	CHECK_STR(fm(1514808000000, "Week: [W]", NULL), "Week: 1");	/* suite function-fromMillis/formatDateTime[47] */
	CHECK_STR(fm(1515326400000, "Week: [W]", NULL), "Week: 1");	/* suite function-fromMillis/formatDateTime[48] */
	CHECK_STR(fm(1545739200000, "Week: [W]", NULL), "Week: 52");	/* suite function-fromMillis/formatDateTime[49] */
	CHECK_STR(fm(1388577600000, "Week: [W]", NULL), "Week: 1");	/* suite function-fromMillis/formatDateTime[50] */
	CHECK_STR(fm(1419854400000, "Week: [W]", NULL), "Week: 1");	/* suite function-fromMillis/formatDateTime[51] */
	CHECK_STR(fm(1419768000000, "Week: [W]", NULL), "Week: 52");	/* suite function-fromMillis/formatDateTime[52] */
	CHECK_STR(fm(1419336000000, "Week: [W]", NULL), "Week: 52");	/* suite function-fromMillis/formatDateTime[53] */
	CHECK_STR(fm(1420113600000, "Week: [W]", NULL), "Week: 1");	/* suite function-fromMillis/formatDateTime[54] */
	CHECK_STR(fm(1420459200000, "Week: [W]", NULL), "Week: 2");	/* suite function-fromMillis/formatDateTime[55] */
	CHECK_STR(fm(1451304000000, "Week: [W]", NULL), "Week: 53");	/* suite function-fromMillis/formatDateTime[56] */
	CHECK_STR(fm(1451563200000, "Week: [W]", NULL), "Week: 53");	/* suite function-fromMillis/formatDateTime[57] */
	CHECK_STR(fm(1451736000000, "Week: [W]", NULL), "Week: 53");	/* suite function-fromMillis/formatDateTime[58] */
	CHECK_STR(fm(1359460800000, "Week: [w] of [xNn]", NULL), "Week: 5 of January");	/* suite function-fromMillis/formatDateTime[59] */
	CHECK_STR(fm(1359633600000, "Week: [w] of [xNn]", NULL), "Week: 5 of January");	/* suite function-fromMillis/formatDateTime[60] */
	CHECK_STR(fm(1359720000000, "Week: [w] of [xNn]", NULL), "Week: 5 of January");	/* suite function-fromMillis/formatDateTime[61] */
	CHECK_STR(fm(1514808000000, "Week: [w] of [xNn]", NULL), "Week: 1 of January");	/* suite function-fromMillis/formatDateTime[62] */
	CHECK_STR(fm(1483272000000, "Week: [w] of [xNn]", NULL), "Week: 5 of December");	/* suite function-fromMillis/formatDateTime[63] */
	CHECK_STR(fm(1533038400000, "Week: [w] of [xNn]", NULL), "Week: 1 of August");	/* suite function-fromMillis/formatDateTime[64] */
	CHECK_STR(fm(1419940800000, "Week: [w] of [xNn]", NULL), "Week: 1 of January");	/* suite function-fromMillis/formatDateTime[65] */
	CHECK_STR(fm(1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]", NULL), "friday, 23/3/2018 10:33:36 AM");	/* suite function-fromMillis/formatDateTime[67] */
	CHECK_STR(fm(1521801216617, "[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]", NULL), "friday, 23/3/2018 10:33:36 am");	/* suite function-fromMillis/formatDateTime[68] */
	CHECK_STR(fm(1419940800000, "[YN]-[M]-[D]", NULL), "D3133");	/* suite function-fromMillis/formatDateTime[69] */
	CHECK_STR(fm(1419940800000, "[YN]-[M", NULL), "D3135");	/* suite function-fromMillis/formatDateTime[70] */
	CHECK_STR(tm_fm("2005-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2004-W53-6");	/* suite function-fromMillis/isoWeekDate[0] */
	CHECK_STR(tm_fm("2005-01-02", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2004-W53-7");	/* suite function-fromMillis/isoWeekDate[1] */
	CHECK_STR(tm_fm("2005-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2005-W52-6");	/* suite function-fromMillis/isoWeekDate[2] */
	CHECK_STR(tm_fm("2006-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2005-W52-7");	/* suite function-fromMillis/isoWeekDate[3] */
	CHECK_STR(tm_fm("2006-01-02", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2006-W01-1");	/* suite function-fromMillis/isoWeekDate[4] */
	CHECK_STR(tm_fm("2006-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2006-W52-7");	/* suite function-fromMillis/isoWeekDate[5] */
	CHECK_STR(tm_fm("2007-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2007-W01-1");	/* suite function-fromMillis/isoWeekDate[6] */
	CHECK_STR(tm_fm("2007-12-30", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2007-W52-7");	/* suite function-fromMillis/isoWeekDate[7] */
	CHECK_STR(tm_fm("2007-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2008-W01-1");	/* suite function-fromMillis/isoWeekDate[8] */
	CHECK_STR(tm_fm("2008-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2008-W01-2");	/* suite function-fromMillis/isoWeekDate[9] */
	CHECK_STR(tm_fm("2008-12-28", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2008-W52-7");	/* suite function-fromMillis/isoWeekDate[10] */
	CHECK_STR(tm_fm("2008-12-29", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2009-W01-1");	/* suite function-fromMillis/isoWeekDate[11] */
	CHECK_STR(tm_fm("2008-12-30", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2009-W01-2");	/* suite function-fromMillis/isoWeekDate[12] */
	CHECK_STR(tm_fm("2008-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2009-W01-3");	/* suite function-fromMillis/isoWeekDate[13] */
	CHECK_STR(tm_fm("2009-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2009-W01-4");	/* suite function-fromMillis/isoWeekDate[14] */
	CHECK_STR(tm_fm("2009-12-31", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2009-W53-4");	/* suite function-fromMillis/isoWeekDate[15] */
	CHECK_STR(tm_fm("2010-01-01", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2009-W53-5");	/* suite function-fromMillis/isoWeekDate[16] */
	CHECK_STR(tm_fm("2010-01-02", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2009-W53-6");	/* suite function-fromMillis/isoWeekDate[17] */
	CHECK_STR(tm_fm("2010-01-03", "[Y]-[M]-[D]", "[X0001]-W[W01]-[F1]"), "2009-W53-7");	/* suite function-fromMillis/isoWeekDate[18] */
	CHECK_STR(tm("1970-01-01T00:00:00.001Z", NULL), "1");	/* suite function-tomillis/case001 */
	CHECK_STR(tm("2018-02-01T09:42:13.123+0000", NULL), "1517478133123");	/* suite function-tomillis/case002 */
	CHECK_STR(tm("2017-10-30", NULL), "1509321600000");	/* suite function-tomillis/case003 */
	CHECK_STR(tm("2017-10-30T15:28:34Z", NULL), "1509377314000");	/* suite function-tomillis/case004 */
	CHECK_STR(tm("2018", NULL), "1514764800000");	/* suite function-tomillis/case005 */
	CHECK_STR(tm("foo", NULL), "D3110");	/* suite function-tomillis/case007 */
	CHECK_STR(tm("01-02-2018", NULL), "D3110");	/* suite function-tomillis/case008 */
	CHECK_STR(tm("2018-02-03 11:15:33", NULL), "D3110");	/* suite function-tomillis/case009 */
	CHECK_STR(tm("201802", "[Y0001][M01]"), "1517443200000");	/* suite function-tomillis/case010 */
	CHECK_STR(tm("201802", "[Y,*-4][M01]"), "1517443200000");	/* suite function-tomillis/case011 */
	CHECK_STR(tm("20180205", "[Y0001][M01][D01]"), "1517788800000");	/* suite function-tomillis/case012 */
	CHECK_STR(tm("Hello", "Hello"), "undefined");	/* suite function-tomillis/parseDateTime[1] */
	CHECK_STR(tm("2018", "[Y1]"), "1514764800000");	/* suite function-tomillis/parseDateTime[2] */
	CHECK_STR(tm("2018-03-27", "[Y1]-[M01]-[D01]"), "1522108800000");	/* suite function-tomillis/parseDateTime[3] */
	CHECK_STR(tm("2018-03-27T14:03:00.123Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z"), "1522159380123");	/* suite function-tomillis/parseDateTime[4] */
	CHECK_STR(tm("27th 3 1976", "[D1o] [M#1] [Y0001]"), "196732800000");	/* suite function-tomillis/parseDateTime[5] */
	CHECK_STR(tm("21st 12 1881", "[D1o] [M01] [Y0001]"), "-2777932800000");	/* suite function-tomillis/parseDateTime[6] */
	CHECK_STR(tm("2nd 12 2012", "[D1o] [M01] [Y0001]"), "1354406400000");	/* suite function-tomillis/parseDateTime[7] */
	CHECK_STR(tm("MCMLXXXIV", "[YI]"), "441763200000");	/* suite function-tomillis/parseDateTime[8] */
	CHECK_STR(tm("27 03 MMXVIII", "[D1] [M01] [YI]"), "1522108800000");	/* suite function-tomillis/parseDateTime[9] */
	CHECK_STR(tm("27 iii MMXVIII", "[D1] [Mi] [YI]"), "1522108800000");	/* suite function-tomillis/parseDateTime[10] */
	CHECK_STR(tm("w C mmxviii", "[Da] [MA] [Yi]"), "1521763200000");	/* suite function-tomillis/parseDateTime[11] */
	CHECK_STR(tm("ae C mmxviii", "[Da] [MA] [Yi]"), "1522454400000");	/* suite function-tomillis/parseDateTime[12] */
	CHECK_STR(tm("27th April 2008", "[D1o] [MNn] [Y0001]"), "1209254400000");	/* suite function-tomillis/parseDateTime[13] */
	CHECK_STR(tm("21 August 2017", "[D1] [MNn] [Y0001]"), "1503273600000");	/* suite function-tomillis/parseDateTime[14] */
	CHECK_STR(tm("2 Feb 2012", "[D1] [MNn,3-3] [Y0001]"), "1328140800000");	/* suite function-tomillis/parseDateTime[15] */
	CHECK_STR(tm("one thousand, nine hundred and eighty-four", "[Yw]"), "441763200000");	/* suite function-tomillis/parseDateTime[16] */
	CHECK_STR(tm("nineteen hundred and eighty-four", "[Yw]"), "441763200000");	/* suite function-tomillis/parseDateTime[17] */
	CHECK_STR(tm("twenty-seven April 2008", "[Dw] [MNn] [Y0001]"), "1209254400000");	/* suite function-tomillis/parseDateTime[18] */
	CHECK_STR(tm("twenty-seventh April 2008", "[Dw] [MNn] [Y0001]"), "1209254400000");	/* suite function-tomillis/parseDateTime[19] */
	CHECK_STR(tm("twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]"), "1503273600000");	/* suite function-tomillis/parseDateTime[20] */
	CHECK_STR(tm("TWENTY-SECOND August two thousand and seventeen", "[DW] [MNn] [Yw]"), "1503360000000");	/* suite function-tomillis/parseDateTime[21] */
	CHECK_STR(tm("Twentieth of August, two thousand and seventeen", "[DW] of [MNn], [Yw]"), "1503187200000");	/* suite function-tomillis/parseDateTime[22] */
	CHECK_STR(tm("4/4/2018 12:06 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]"), "1522800360000");	/* suite function-tomillis/parseDateTime[23] */
	CHECK_STR(tm("4/4/2018 06:30 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]"), "1522823400000");	/* suite function-tomillis/parseDateTime[24] */
	CHECK_STR(tm("4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]"), "1522843560000");	/* suite function-tomillis/parseDateTime[25] */
	CHECK_STR(tm("4/4/2018 11:30 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]"), "1522884600000");	/* suite function-tomillis/parseDateTime[26] */
	CHECK_STR(tm("2018-094", "[Y0001]-[d001]"), "1522800000000");	/* suite function-tomillis/parseDateTime[27] */
	CHECK_STR(tm_iso("Wednesday, 14th November 2018", "[FNn], [D1o] [MNn] [Y]"), "2018-11-14T00:00:00.000Z");	/* suite function-tomillis/parseDateTime[30] */
	CHECK_STR(tm_iso("Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]"), "2018-11-12T00:00:00.000Z");	/* suite function-tomillis/parseDateTime[31] */
	CHECK_STR(tm_iso("2018--180", "[Y]--[d]"), "2018-06-29T00:00:00.000Z");	/* suite function-tomillis/parseDateTime[32] */
	CHECK_STR(tm_iso("three hundred and sixty-fifth day of 2018", "[dwo] day of [Y]"), "2018-12-31T00:00:00.000Z");	/* suite function-tomillis/parseDateTime[33] */
	CHECK_STR(tm("irrelevent string", "[Y]-[M]-[D]"), "undefined");	/* suite function-tomillis/parseDateTime[34] */
	CHECK_STR(tm("2018-05-22", "[Y]-[M]-[q]"), "D3132");	/* suite function-tomillis/parseDateTime[35] */
	CHECK_STR(tm("2018-05-22", "[YN]-[M]-[D]"), "D3133");	/* suite function-tomillis/parseDateTime[36] */
	CHECK_STR(tm("2018-22", "[Y]-[D]"), "D3136");	/* suite function-tomillis/parseDateTime[37] */
	CHECK_STR(tm("5-22 23:59", "[M]-[D] [m]:[s]"), "D3136");	/* suite function-tomillis/parseDateTime[38] */
	CHECK_STR(tm("2018-3-2-5", "[X]-[x]-[w]-[F1]"), "D3136");	/* suite function-tomillis/parseDateTime[39] */
	CHECK_STR(tm("2018-32-5", "[X]-[W]-[F1]"), "D3136");	/* suite function-tomillis/parseDateTime[40] */
	CHECK_STR(tm_iso("2020-09-09 08:00:00 +02:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]"), "2020-09-09T06:00:00.000Z");	/* suite function-tomillis/parseDateTime[41] */
	CHECK_STR(tm_iso("2020-09-09 08:00:00 GMT-05:00", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z]"), "2020-09-09T13:00:00.000Z");	/* suite function-tomillis/parseDateTime[42] */
	CHECK_STR(tm_iso("2020-09-09 12:00:00 +05:30", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z]"), "2020-09-09T06:30:00.000Z");	/* suite function-tomillis/parseDateTime[43] */
	CHECK_STR(tm_iso("2020-09-09 12:00:00 GMT-5", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [z01]"), "2020-09-09T17:00:00.000Z");	/* suite function-tomillis/parseDateTime[44] */
	CHECK_STR(tm_iso("2020-09-09 12:00:00 +0530", "[Y0001]-[M01]-[D01] [H01]:[m01]:[s01] [Z0001]"), "2020-09-09T06:30:00.000Z");	/* suite function-tomillis/parseDateTime[45] */
	CHECK_STR(tm_iso("2026-04-08T19:05:04.01987", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f1]"), "2026-04-08T19:05:04.019Z");	/* suite function-tomillis/parseDateTime[46] */
	/* suite function-fromMillis/formatDateTime[66] */
	CHECK_STR(tm("2018-10-21T13:05:00Z", NULL), "1540127100000");
	CHECK_STR(fm(1540127100000.0, NULL, NULL), "2018-10-21T13:05:00.000Z");
	CHECK_STR(fm(1540127100000.0, NULL, "-0500"), "2018-10-21T08:05:00.000-05:00");
	CHECK_STR(fm(1540127100000.0, NULL, "0000"), "2018-10-21T13:05:00.000Z");
	/* suite function-tomillis/case013 */
	CHECK_STR(tm("20240101123849", "[Y0000][M00][D00][H00][m00][s00]"), tm("2024-01-01T12:38:49Z", NULL));
	CHECK_STR(tm("20240101123849", "[Y0000][M00][D00][H00][m00][s00]"), "1704112729000");
	/* suite function-tomillis/parseDateTime[28], [29]: today's date at 13:45 */
	CHECK_STR(tm_iso("13:45", "[H]:[m]"), "2024-06-15T13:45:00.000Z");
}

static void
test_more(void)
{
	jn_liberr	err = {0};

	/* ISO 8601 readings as V8's Date.parse gives them (checked with Node 20) */
	CHECK_STR(tm("2019-02-30", NULL), "1551484800000");	/* days roll over */
	CHECK_STR(tm("2018-02-32", NULL), "NaN");
	CHECK_STR(tm("2018-13-01", NULL), "NaN");
	CHECK_STR(tm("2018-00-01", NULL), "NaN");
	CHECK_STR(tm("2018-01-00", NULL), "NaN");
	CHECK_STR(tm("2018T10:00:00", NULL), "1514800800000");
	CHECK_STR(tm("2018-01-01T24:00:00Z", NULL), "1514851200000");
	CHECK_STR(tm("2018-01-01T24:30:00Z", NULL), "NaN");
	CHECK_STR(tm("2018-01-01T25:00:00Z", NULL), "NaN");
	CHECK_STR(tm("2018-01-01T10:00:00.123456Z", NULL), "1514800800123");
	CHECK_STR(tm("2018-01-01T10:00:00+0530", NULL), "1514781000000");
	CHECK_STR(tm("2018-01-01T10:00:00-2359", NULL), "1514887140000");
	CHECK_STR(tm("2018-01-01T10:00:00+24:00", NULL), "NaN");
	CHECK_STR(tm("2018-01-01Z", NULL), "1514764800000");
	CHECK_STR(tm("2018Z", NULL), "1514764800000");
	CHECK_STR(tm("2018-01-01T10:00:00.5-01:00", NULL), "1514804400500");
	CHECK_STR(tm("0000-01-01", NULL), "-62167219200000");
	CHECK_STR(tm("0050-01-01", NULL), "-60589296000000");
	CHECK_STR(tm("2018-02-29", NULL), "1519862400000");
	CHECK_STR(tm("2018-01-01+05:00", NULL), "NaN");
	CHECK_STR(tm("2018-01-01 10:00", NULL), "D3110");
	CHECK(jn_to_millis("x", 1, NULL, 0, NOW, &(double) {0}, &err) == -1 &&
		  strcmp(err.message, "The argument of the toMillis function must be an ISO 8601 formatted timestamp. Given \"x\"") == 0);
	{
		char	   *r = jn_from_millis(0, "[D##]", 5, NULL, 0, NULL, &err);

		CHECK(r == NULL);
		CHECK_STR(err.message, "Formatting or parsing an integer as a sequence starting with \"##\" is not supported by this implementation");
		r = jn_from_millis(0, "[q]", 3, NULL, 0, NULL, &err);
		CHECK_STR(err.message, "Unknown component specifier \"q\" in date/time picture string");
		r = jn_from_millis(0, "[YN]", 4, NULL, 0, NULL, &err);
		CHECK_STR(err.message, "The 'name' modifier can only be applied to months and days in the date/time picture string, not \"Y\"");
	}

	/* the range of JavaScript's Date */
	CHECK_STR(fm(8.64e15, NULL, NULL), "5760-09-13T00:00:00.000Z");	/* [Y0001] keeps four digits */
	CHECK_STR(fm(8.64e15 + 1, NULL, NULL), "RangeError");
	CHECK_STR(fm(NAN, NULL, NULL), "RangeError");
	CHECK_STR(fm(-1, NULL, NULL), "1969-12-31T23:59:59.999Z");
	CHECK_STR(fm(1.9, NULL, NULL), "1970-01-01T00:00:00.001Z");
	CHECK_STR(fm(-62198755200000.0, "[Y0001]-[M01]-[D01]", NULL), "-0001-01-01");

	/* pictures */
	CHECK_STR(fm(1521801216617, "[H01]:[m01] [z]", "+0100"), "11:33 GMT+01:00");
	CHECK_STR(fm(1521801216617, "[Z0]", "-0530"), "-6:-30");	/* JSONata's floor and % on negative offsets */
	CHECK_STR(fm(1521801216617, "[ZN]", NULL), "D3134");
	CHECK_STR(fm(1521801216617, "[q1]", NULL), "undefined");
	CHECK_STR(fm(1521801216617, "[q]", NULL), "D3132");
	CHECK_STR(fm(1521801216617, "[]", NULL), "D3132");
	CHECK_STR(fm(1521801216617, "[DN]", NULL), "D3133");
	CHECK_STR(fm(1521801216617, "[D##]", NULL), "D3130");
	CHECK_STR(fm(1521801216617, "[MNn,*-3]", NULL), "Mar");
	CHECK_STR(fm(1521801216617, "[FN,2-2]", NULL), "FR");
	CHECK_STR(fm(1521801216617, "[Y,2-2]", NULL), "18");
	CHECK_STR(fm(1521801216617, "[f,5206086200]", NULL), "RangeError");	/* found by fuzzing */
	CHECK_STR(fm(1521801216617, "[Y,1-9999999]", NULL), "RangeError");
	CHECK_STR(fm(1521801216617, "[H,12]", NULL), "000000000010");
	CHECK_STR(fm(1521801216617, "[h]:[m][P]", NULL), "10:33am");
	CHECK_STR(fm(1521801216617, "[D01]/[M01] ]] [[", NULL), "23/03 ] [");
	CHECK_STR(fm(1521801216617, "[D01]/[M01] []] [[", NULL), "D3132");
}

UNIT_MAIN("jn_datetime", {
	test_suite();
	test_more();
})
