/*
 * test_jn_numfmt.c — JavaScript's number printing and JSONata's $string,
 * $round and $number rules. Cases named "suite group/case" come from the
 * official JSONata test suite (../shared/jsonata/suite.jsonl).
 */
#include <math.h>

#include "unit.h"
#include "jsonata/jn_numfmt.h"

static const char *
js(double d)
{
	static char buf[JN_NUMFMT_BUFSZ];

	jn_num_to_js(d, buf);
	return buf;
}

static const char *
jstr(double d)
{
	static char buf[JN_NUMFMT_BUFSZ];
	jn_liberr	err = {0};

	if (jn_num_to_string(d, buf, &err) < 0)
		return err.code;
	return buf;
}

static double
parsed(const char *s)
{
	double		v = -12345;

	if (!jn_num_parse(s, strlen(s), &v))
		return -99999;
	return v;
}

static void
test_to_js(void)
{
	CHECK_STR(js(0), "0");
	CHECK_STR(js(-0.0), "0");
	CHECK_STR(js(5), "5");
	CHECK_STR(js(-5), "-5");
	CHECK_STR(js(0.1), "0.1");
	CHECK_STR(js(0.1 + 0.2), "0.30000000000000004");
	CHECK_STR(js(1e21), "1e+21");
	CHECK_STR(js(1e20), "100000000000000000000");
	CHECK_STR(js(123456789012345680000.0), "123456789012345680000");
	CHECK_STR(js(1e-6), "0.000001");
	CHECK_STR(js(1e-7), "1e-7");
	CHECK_STR(js(1.5e-7), "1.5e-7");
	CHECK_STR(js(-1.5e300), "-1.5e+300");
	CHECK_STR(js(5e-324), "5e-324");
	CHECK_STR(js(1.7976931348623157e308), "1.7976931348623157e+308");
	CHECK_STR(js(NAN), "NaN");
	CHECK_STR(js(INFINITY), "Infinity");
	CHECK_STR(js(-INFINITY), "-Infinity");
	CHECK_STR(js(123.456), "123.456");
	CHECK_STR(js(9007199254740993.0), "9007199254740992");
	CHECK_STR(js(0.000123), "0.000123");
	CHECK_STR(js(22.0 / 7), "3.142857142857143");
}

static void
test_string(void)
{
	CHECK_STR(jstr(5), "5");				/* suite function-string/case000 */
	CHECK_STR(jstr(22.0 / 7), "3.14285714285714");	/* suite function-string/case001 */
	CHECK_STR(jstr(1e100), "1e+100");		/* suite function-string/case002 */
	CHECK_STR(jstr(1e-100), "1e-100");	/* suite function-string/case003 */
	CHECK_STR(jstr(1e-6), "0.000001");	/* suite function-string/case004 */
	CHECK_STR(jstr(1e-7), "1e-7");		/* suite function-string/case005 */
	CHECK_STR(jstr(1e20), "100000000000000000000");	/* suite function-string/case006 */
	CHECK_STR(jstr(1e21), "1e+21");		/* suite function-string/case007 */
	CHECK_STR(jstr(78.8 / 2), "39.4");	/* suite function-string/case018 */
	CHECK_STR(jstr(INFINITY), "D3001");	/* suite function-string/case019 */
	CHECK_STR(jstr(NAN), "D3001");
	CHECK_STR(jstr(0.1 + 0.2), "0.3");
	CHECK_STR(jstr(-0.0), "0");
	/* integers are not rounded */
	CHECK_STR(jstr(5890840712243076.0), "5890840712243076");	/* suite function-string/case030 */
	CHECK_STR(jstr(123456789012345678.0), "123456789012345680");
	CHECK_STR(jstr(1.2345678901234567), "1.23456789012346");
	CHECK_STR(jstr(-0.30000000000000004), "-0.3");
	CHECK_STR(jstr(1e-7 / 3), "3.33333333333333e-8");
	/* an exact tie at the 15th digit goes up as toPrecision does */
	CHECK(jn_num_round15(1000000000000005.0) == 1000000000000010.0);
	CHECK(jn_num_round15(-1000000000000005.0) == -1000000000000010.0);
	CHECK(jn_num_round15(1000000000000015.0) == 1000000000000020.0);
	CHECK(jn_num_round15(1000000000000025.0) == 1000000000000030.0);
	CHECK(jn_num_round15(100000000000002.5) == 100000000000003.0);
	CHECK(jn_num_round15(123456789012345678.0) == 123456789012346000.0);
}

#define R(x, p) jn_num_round_half_even(x, p)
static void
test_round(void)
{
	CHECK(R(4, 0) == 4);					/* suite function-round/case000 */
	CHECK(R(2.3, 0) == 2);				/* suite function-round/case001 */
	CHECK(R(2.7, 0) == 3);				/* suite function-round/case002 */
	CHECK(R(2.5, 0) == 2);				/* suite function-round/case003 */
	CHECK(R(3.5, 0) == 4);				/* suite function-round/case004 */
	CHECK(R(-0.5, 0) == 0 && !signbit(R(-0.5, 0)));	/* suite function-round/case005 */
	CHECK(R(-0.3, 0) == 0 && !signbit(R(-0.3, 0)));	/* suite function-round/case006 */
	CHECK(R(0.5, 0) == 0);				/* suite function-round/case007 */
	CHECK(R(-7.5, 0) == -8);				/* suite function-round/case008 */
	CHECK(R(-8.5, 0) == -8);				/* suite function-round/case009 */
	CHECK(R(4.49, 1) == 4.5);				/* suite function-round/case010 */
	CHECK(R(4.525, 2) == 4.52);			/* suite function-round/case011 */
	CHECK(R(4.515, 2) == 4.52);			/* suite function-round/case012 */
	CHECK(R(12345, -2) == 12300);			/* suite function-round/case013 */
	CHECK(R(12450, -2) == 12400);			/* suite function-round/case014 */
	CHECK(R(12350, -2) == 12400);			/* suite function-round/case015 */
	CHECK(R(6.022e-23, 24) == 6e-23);		/* suite function-round/case016 */
	CHECK(R(99.5, 0) == 100);				/* suite function-formatBase/case005 */
	CHECK(R(1.005, 2) == 1);
}

static void
test_parse(void)
{
	CHECK(parsed("0") == 0);				/* suite function-number/case003 */
	CHECK(parsed("-0.05") == -0.05);		/* suite function-number/case004 */
	CHECK(parsed("1e2") == 100);			/* suite function-number/case005 */
	CHECK(parsed("1.0e-2") == 0.01);		/* suite function-number/case006 */
	CHECK(parsed("1e0") == 1);			/* suite function-number/case007 */
	CHECK(parsed("10e500") == -99999);	/* suite function-number/case008: D3030 */
	CHECK(parsed("Hello world") == -99999);	/* suite function-number/case009 */
	CHECK(parsed("1/2") == -99999);		/* suite function-number/case010 */
	CHECK(parsed("1234 hello") == -99999);	/* suite function-number/case011 */
	CHECK(parsed("") == -99999);			/* suite function-number/case012 */
	CHECK(parsed("[1]") == -99999);		/* suite function-number/case018 */
	CHECK(parsed("00") == 0);				/* suite function-number/case027 */
	CHECK(parsed("0123") == 123);			/* suite function-number/case028 */
	CHECK(parsed("-007") == -7);			/* suite function-number/case029 */
	CHECK(parsed("000.00123000") == 0.00123);	/* suite function-number/case030 */
	CHECK(parsed("0x12") == 18);			/* suite function-number/case031 */
	CHECK(parsed("0B101") == 5);			/* suite function-number/case032 */
	CHECK(parsed("0O12") == 10);			/* suite function-number/case033 */
	CHECK(parsed("1.") == -99999);
	CHECK(parsed(".5") == -99999);
	CHECK(parsed("+1") == -99999);
	CHECK(parsed(" 1") == -99999);
	{
		double		v = 0;

		/* the loose alternation lets these through; Number() then gives NaN */
		CHECK(jn_num_parse("0x1G", 4, &v) && isnan(v));
		CHECK(jn_num_parse("x0b1", 4, &v) && isnan(v));
		CHECK(jn_num_parse(" 0b11", 5, &v) && v == 3);
		CHECK(!jn_num_parse(" 0b11 ", 6, &v));
	}
}

UNIT_MAIN("jn_numfmt", {
	test_to_js();
	test_string();
	test_round();
	test_parse();
})
