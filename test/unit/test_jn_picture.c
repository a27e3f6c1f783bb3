/*
 * test_jn_picture.c — $formatNumber, $formatInteger, $parseInteger and
 * $formatBase. The cases named "suite group/case" come from the official
 * JSONata test suite (../shared/jsonata/suite.jsonl), transcribed one call
 * each; the rest pin edge cases of JSONata's algorithms.
 */
#include <math.h>

#include "unit.h"
#include "jsonata/jn_picture.h"

static char out[512];
static char last_code[16];

static const char *
fi(double v, const char *pic)
{
	jn_liberr	err = {0};
	size_t		n;
	char	   *r = jn_format_integer(v, pic, strlen(pic), &n, &err);

	if (!r)
		return err.code;
	CHECK_INT(n, strlen(r));
	snprintf(out, sizeof out, "%s", r);
	free(r);
	return out;
}

static double
pi(const char *s, const char *pic)
{
	jn_liberr	err = {0};
	double		v = -12345;

	if (jn_parse_integer(s, strlen(s), pic, strlen(pic), &v, &err) < 0)
	{
		snprintf(last_code, sizeof last_code, "%s", err.code);
		return -1;
	}
	return v;
}

static const char *
fn(double v, const char *pic, const char *key, const char *value)
{
	jn_decimal_format f;
	jn_liberr	err = {0};
	char	   *r;

	jn_decimal_format_default(&f);
	if (key)
		CHECK(jn_decimal_format_set(&f, key, value));
	r = jn_format_number(v, pic, strlen(pic), &f, NULL, &err);
	if (!r)
		return err.code;
	snprintf(out, sizeof out, "%s", r);
	free(r);
	return out;
}

static const char *
fb(double v, double radix)
{
	jn_liberr	err = {0};

	if (jn_format_base(v, radix, out, &err) < 0)
		return err.code;
	return out;
}

static void
test_suite(void)
{
	CHECK_STR(fb(100, 10), "100");	/* suite function-formatBase/case000 */
	CHECK_STR(fb(100, 2), "1100100");	/* suite function-formatBase/case002 */
	CHECK_STR(fb(-100, 2), "-1100100");	/* suite function-formatBase/case003 */
	CHECK_STR(fb(100, 36), "2s");	/* suite function-formatBase/case004 */
	CHECK_STR(fb(99.5, 2.5), "1100100");	/* suite function-formatBase/case005 */
	CHECK_STR(fb(100, 1), "D3100");	/* suite function-formatBase/case006 */
	CHECK_STR(fb(100, 37), "D3100");	/* suite function-formatBase/case007 */
	CHECK_STR(fi(123, "000"), "123");	/* suite function-formatInteger/formatInteger[1] */
	CHECK_STR(fi(123, "0000"), "0123");	/* suite function-formatInteger/formatInteger[2] */
	CHECK_STR(fi(-3, "0000"), "-0003");	/* suite function-formatInteger/formatInteger[3] */
	CHECK_STR(fi(1234, "0;c"), "1234");	/* suite function-formatInteger/formatInteger[4] */
	CHECK_STR(fi(1234, "###0"), "1234");	/* suite function-formatInteger/formatInteger[5] */
	CHECK_STR(fi(12, "###0"), "12");	/* suite function-formatInteger/formatInteger[6] */
	CHECK_STR(fi(12.6, "###0"), "12");	/* suite function-formatInteger/formatInteger[7] */
	CHECK_STR(fi(123, "000;o"), "123rd");	/* suite function-formatInteger/formatInteger[8] */
	CHECK_STR(fi(1, "0;o"), "1st");	/* suite function-formatInteger/formatInteger[9] */
	CHECK_STR(fi(28, "#0;o"), "28th");	/* suite function-formatInteger/formatInteger[10] */
	CHECK_STR(fi(1234, "###0;o"), "1234th");	/* suite function-formatInteger/formatInteger[11] */
	CHECK_STR(fi(12, "###0;o"), "12th");	/* suite function-formatInteger/formatInteger[12] */
	CHECK_STR(fi(12340, "###\xd9""\xa1"""), "\xd9""\xa1""\xd9""\xa2""\xd9""\xa3""\xd9""\xa4""\xd9""\xa0""");	/* suite function-formatInteger/formatInteger[13] */
	CHECK_STR(fi(12340, "###\xef""\xbc""\x90"""), "\xef""\xbc""\x91""\xef""\xbc""\x92""\xef""\xbc""\x93""\xef""\xbc""\x94""\xef""\xbc""\x90""");	/* suite function-formatInteger/formatInteger[14] */
	CHECK_STR(fi(12340, "##0\xef""\xbc""\x90"""), "D3131");	/* suite function-formatInteger/formatInteger[15] */
	CHECK_STR(fi(12, "#,##0"), "12");	/* suite function-formatInteger/formatInteger[16] */
	CHECK_STR(fi(1200, "#,##0"), "1,200");	/* suite function-formatInteger/formatInteger[17] */
	CHECK_STR(fi(120000, "#,##0"), "120,000");	/* suite function-formatInteger/formatInteger[18] */
	CHECK_STR(fi(12345678, "#,##0"), "12,345,678");	/* suite function-formatInteger/formatInteger[19] */
	CHECK_STR(fi(1234567890, "#,##0"), "1,234,567,890");	/* suite function-formatInteger/formatInteger[20] */
	CHECK_STR(fi(1234567890, "#,###,##0"), "1,234,567,890");	/* suite function-formatInteger/formatInteger[21] */
	CHECK_STR(fi(1234567890, "#:###,##0"), "1234:567,890");	/* suite function-formatInteger/formatInteger[22] */
	CHECK_STR(fi(1234567890, "##,##,##0"), "12345,67,890");	/* suite function-formatInteger/formatInteger[23] */
	CHECK_STR(fi(0, "I"), "");	/* suite function-formatInteger/formatInteger[24] */
	CHECK_STR(fi(1984, "I"), "MCMLXXXIV");	/* suite function-formatInteger/formatInteger[25] */
	CHECK_STR(fi(99, "i"), "xcix");	/* suite function-formatInteger/formatInteger[26] */
	CHECK_STR(fi(12, "w"), "twelve");	/* suite function-formatInteger/formatInteger[27] */
	CHECK_STR(fi(20, "w"), "twenty");	/* suite function-formatInteger/formatInteger[28] */
	CHECK_STR(fi(34, "w"), "thirty-four");	/* suite function-formatInteger/formatInteger[29] */
	CHECK_STR(fi(99, "W"), "NINETY-NINE");	/* suite function-formatInteger/formatInteger[30] */
	CHECK_STR(fi(100, "w"), "one hundred");	/* suite function-formatInteger/formatInteger[31] */
	CHECK_STR(fi(555, "W"), "FIVE HUNDRED AND FIFTY-FIVE");	/* suite function-formatInteger/formatInteger[32] */
	CHECK_STR(fi(555, "Ww"), "Five Hundred and Fifty-Five");	/* suite function-formatInteger/formatInteger[33] */
	CHECK_STR(fi(919, "w"), "nine hundred and nineteen");	/* suite function-formatInteger/formatInteger[34] */
	CHECK_STR(fi(730, "w"), "seven hundred and thirty");	/* suite function-formatInteger/formatInteger[35] */
	CHECK_STR(fi(1000, "w"), "one thousand");	/* suite function-formatInteger/formatInteger[36] */
	CHECK_STR(fi(3730, "w"), "three thousand, seven hundred and thirty");	/* suite function-formatInteger/formatInteger[37] */
	CHECK_STR(fi(327730, "w"), "three hundred and twenty-seven thousand, seven hundred and thirty");	/* suite function-formatInteger/formatInteger[38] */
	CHECK_STR(fi(4327730, "w"), "four million, three hundred and twenty-seven thousand, seven hundred and thirty");	/* suite function-formatInteger/formatInteger[39] */
	CHECK_STR(fi(1000000000001, "w"), "one trillion and one");	/* suite function-formatInteger/formatInteger[40] */
	CHECK_STR(fi(1234567890123, "w"), "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three");	/* suite function-formatInteger/formatInteger[41] */
	CHECK_STR(fi(1000000000000000, "w"), "one thousand trillion");	/* suite function-formatInteger/formatInteger[42] */
	CHECK_STR(fi(1e+46, "w"), "ten billion trillion trillion trillion");	/* suite function-formatInteger/formatInteger[43] */
	CHECK_STR(fi(1234567890123456, "w"), "one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven billion, eight hundred and ninety million, one hundred and twenty-three thousand, four hundred and fifty-six");	/* suite function-formatInteger/formatInteger[44] */
	CHECK_STR(fi(12, "w;o"), "twelfth");	/* suite function-formatInteger/formatInteger[45] */
	CHECK_STR(fi(20, "w;o"), "twentieth");	/* suite function-formatInteger/formatInteger[46] */
	CHECK_STR(fi(34, "w;o"), "thirty-fourth");	/* suite function-formatInteger/formatInteger[47] */
	CHECK_STR(fi(99, "W;o"), "NINETY-NINTH");	/* suite function-formatInteger/formatInteger[48] */
	CHECK_STR(fi(100, "w;o"), "one hundredth");	/* suite function-formatInteger/formatInteger[49] */
	CHECK_STR(fi(555, "W;o"), "FIVE HUNDRED AND FIFTY-FIFTH");	/* suite function-formatInteger/formatInteger[50] */
	CHECK_STR(fi(919, "w;o"), "nine hundred and nineteenth");	/* suite function-formatInteger/formatInteger[51] */
	CHECK_STR(fi(730, "w;o"), "seven hundred and thirtieth");	/* suite function-formatInteger/formatInteger[52] */
	CHECK_STR(fi(1000, "w;o"), "one thousandth");	/* suite function-formatInteger/formatInteger[53] */
	CHECK_STR(fi(3731, "w;o"), "three thousand, seven hundred and thirty-first");	/* suite function-formatInteger/formatInteger[54] */
	CHECK_STR(fi(327713, "w;o"), "three hundred and twenty-seven thousand, seven hundred and thirteenth");	/* suite function-formatInteger/formatInteger[55] */
	CHECK_STR(fi(4327732, "w;o"), "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second");	/* suite function-formatInteger/formatInteger[56] */
	CHECK_STR(fi(1000000000001, "w;o"), "one trillion and first");	/* suite function-formatInteger/formatInteger[57] */
	CHECK_STR(fi(1, "A"), "A");	/* suite function-formatInteger/formatInteger[58] */
	CHECK_STR(fi(12, "a"), "l");	/* suite function-formatInteger/formatInteger[59] */
	CHECK_STR(fi(26, "a"), "z");	/* suite function-formatInteger/formatInteger[60] */
	CHECK_STR(fi(27, "a"), "aa");	/* suite function-formatInteger/formatInteger[61] */
	CHECK_STR(fi(300, "A"), "KN");	/* suite function-formatInteger/formatInteger[62] */
	CHECK_STR(fi(123456, "A"), "FZPH");	/* suite function-formatInteger/formatInteger[63] */
	CHECK_STR(fi(123456, "\xce""\xb1"""), "D3130");	/* suite function-formatInteger/formatInteger[64] */
	CHECK_STR(fn(12345.6, "#,###.00", NULL, NULL), "12,345.60");	/* suite function-formatNumber/case000 */
	CHECK_STR(fn(12345678.9, "9,999.99", NULL, NULL), "12,345,678.90");	/* suite function-formatNumber/case001 */
	CHECK_STR(fn(123412345678.9, "9,9,99.99", NULL, NULL), "123412345,6,78.90");	/* suite function-formatNumber/case002 */
	CHECK_STR(fn(1234.56789, "9,999.999,999", NULL, NULL), "1,234.567,890");	/* suite function-formatNumber/case003 */
	CHECK_STR(fn(123.9, "9999", NULL, NULL), "0124");	/* suite function-formatNumber/case004 */
	CHECK_STR(fn(0.14, "01%", NULL, NULL), "14%");	/* suite function-formatNumber/case005 */
	CHECK_STR(fn(0.4857, "###.###\xe2""\x80""\xb0""", NULL, NULL), "485.7\xe2""\x80""\xb0""");	/* suite function-formatNumber/case006 */
	CHECK_STR(fn(0.14, "###pm", "per-mille", "pm"), "140pm");	/* suite function-formatNumber/case007 */
	CHECK_STR(fn(-6, "000", NULL, NULL), "-006");	/* suite function-formatNumber/case008 */
	CHECK_STR(fn(1234.5678, "00.000e0", NULL, NULL), "12.346e2");	/* suite function-formatNumber/case009 */
	CHECK_STR(fn(1234.5678, "00.000e000", NULL, NULL), "12.346e002");	/* suite function-formatNumber/case010 */
	CHECK_STR(fn(1234.5678, "\xe2""\x91""\xa0""\xe2""\x91""\xa0"".\xe2""\x91""\xa0""\xe2""\x91""\xa0""\xe2""\x91""\xa0""e\xe2""\x91""\xa0""", "zero-digit", "\xe2""\x91""\x9f"""), "\xe2""\x91""\xa0""\xe2""\x91""\xa1"".\xe2""\x91""\xa2""\xe2""\x91""\xa3""\xe2""\x91""\xa5""e\xe2""\x91""\xa1""");	/* suite function-formatNumber/case011 */
	CHECK_STR(fn(0.234, "0.0e0", NULL, NULL), "2.3e-1");	/* suite function-formatNumber/case012 */
	CHECK_STR(fn(0.234, "#.00e0", NULL, NULL), "0.23e0");	/* suite function-formatNumber/case013 */
	CHECK_STR(fn(0.123, "#.e9", NULL, NULL), "0.1e0");	/* suite function-formatNumber/case014 */
	CHECK_STR(fn(0.234, ".00e0", NULL, NULL), ".23e0");	/* suite function-formatNumber/case015 */
	CHECK_STR(fn(2392.14*(-36.58), "000,000.000###;###,###.000###", NULL, NULL), "87,504.4812");	/* suite function-formatNumber/case016 */
	CHECK_STR(fn(2.14*86.58, "PREFIX##00.000###SUFFIX", NULL, NULL), "PREFIX185.2812SUFFIX");	/* suite function-formatNumber/case017 */
	CHECK_STR(fn(1E20, "#,######", NULL, NULL), "100,000000,000000,000000");	/* suite function-formatNumber/case018 */
	CHECK_STR(fn(20, "#;#;#", NULL, NULL), "D3080");	/* suite function-formatNumber/case019 */
	CHECK_STR(fn(20, "#.0.0", NULL, NULL), "D3081");	/* suite function-formatNumber/case020 */
	CHECK_STR(fn(20, "#0%%", NULL, NULL), "D3082");	/* suite function-formatNumber/case021 */
	CHECK_STR(fn(20, "#0\xe2""\x80""\xb0""\xe2""\x80""\xb0""", NULL, NULL), "D3083");	/* suite function-formatNumber/case022 */
	CHECK_STR(fn(20, "#0%\xe2""\x80""\xb0""", NULL, NULL), "D3084");	/* suite function-formatNumber/case023 */
	CHECK_STR(fn(20, ".e0", NULL, NULL), "D3085");	/* suite function-formatNumber/case024 */
	CHECK_STR(fn(20, "0+.e0", NULL, NULL), "D3086");	/* suite function-formatNumber/case025 */
	CHECK_STR(fn(20, "0,.e0", NULL, NULL), "D3087");	/* suite function-formatNumber/case026 */
	CHECK_STR(fn(20, "0,", NULL, NULL), "D3088");	/* suite function-formatNumber/case027 */
	CHECK_STR(fn(20, "0,,0", NULL, NULL), "D3089");	/* suite function-formatNumber/case028 */
	CHECK_STR(fn(20, "0#.e0", NULL, NULL), "D3090");	/* suite function-formatNumber/case029 */
	CHECK_STR(fn(20, "#0.#0e0", NULL, NULL), "D3091");	/* suite function-formatNumber/case030 */
	CHECK_STR(fn(20, "#0.0e0%", NULL, NULL), "D3092");	/* suite function-formatNumber/case031 */
	CHECK_STR(fn(20, "#0.0e0,0", NULL, NULL), "D3093");	/* suite function-formatNumber/case032 */
	CHECK_STR(fn(2, "000.000", NULL, NULL), "002.000");	/* suite function-formatNumber/case033 */
	CHECK_STR(fn(2, "AAA.AAA", "zero-digit", "A"), "AAC.AAA");	/* suite function-formatNumber/case034 */
	CHECK_STR(fn(0.1, "AeAAA", "zero-digit", "A"), "Be-AAB");	/* suite function-formatNumber/case035 */
	CHECK_STR(fn(0, "0e0", NULL, NULL), "0e0");	/* suite function-formatNumber/issue785[0] */
	CHECK_STR(fn(-42, "0e0", NULL, NULL), "-4e1");	/* suite function-formatNumber/issue785[1] */
	CHECK_STR(fn(42, "0e0", NULL, NULL), "4e1");	/* suite function-formatNumber/issue785[2] */
	CHECK_STR(fn(0, "0.00e0", NULL, NULL), "0.00e0");	/* suite function-formatNumber/issue785[3] */
	CHECK_STR(fn(42, "%%", NULL, NULL), "D3086");	/* suite function-formatNumber/issue786[0] */
	CHECK_STR(fn(42, "\xe2""\x80""\xb0""\xe2""\x80""\xb0""", NULL, NULL), "D3086");	/* suite function-formatNumber/issue786[1] */
	CHECK_STR(fn(42, "%\xe2""\x80""\xb0""", NULL, NULL), "D3086");	/* suite function-formatNumber/issue786[2] */
	CHECK_STR(fn(42, "---", NULL, NULL), "D3086");	/* suite function-formatNumber/issue786[3] */
	CHECK(pi("123", "000") == 123.0);	/* suite function-parseInteger/parseInteger[1] */
	CHECK(pi("0123", "0000") == 123.0);	/* suite function-parseInteger/parseInteger[2] */
	CHECK(pi("1234", "0") == 1234.0);	/* suite function-parseInteger/parseInteger[3] */
	CHECK(pi("1234", "###0") == 1234.0);	/* suite function-parseInteger/parseInteger[4] */
	CHECK(pi("12", "###0") == 12.0);	/* suite function-parseInteger/parseInteger[5] */
	CHECK(pi("123rd", "000;o") == 123.0);	/* suite function-parseInteger/parseInteger[6] */
	CHECK(pi("1st", "0;o") == 1.0);	/* suite function-parseInteger/parseInteger[7] */
	CHECK(pi("28th", "#0;o") == 28.0);	/* suite function-parseInteger/parseInteger[8] */
	CHECK(pi("1234th", "###0;o") == 1234.0);	/* suite function-parseInteger/parseInteger[9] */
	CHECK(pi("12th", "###0;o") == 12.0);	/* suite function-parseInteger/parseInteger[10] */
	CHECK(pi("\xd9""\xa1""\xd9""\xa2""\xd9""\xa3""\xd9""\xa4""\xd9""\xa0""", "###\xd9""\xa1""") == 12340.0);	/* suite function-parseInteger/parseInteger[11] */
	CHECK(pi("\xef""\xbc""\x91""\xef""\xbc""\x92""\xef""\xbc""\x93""\xef""\xbc""\x94""\xef""\xbc""\x90""", "###\xef""\xbc""\x90""") == 12340.0);	/* suite function-parseInteger/parseInteger[12] */
	CHECK(pi("12", "#,##0") == 12.0);	/* suite function-parseInteger/parseInteger[13] */
	CHECK(pi("1,200", "#,##0") == 1200.0);	/* suite function-parseInteger/parseInteger[14] */
	CHECK(pi("12,345,678", "#,##0") == 12345678.0);	/* suite function-parseInteger/parseInteger[15] */
	CHECK(pi("1,234,567,890", "#,##0") == 1234567890.0);	/* suite function-parseInteger/parseInteger[16] */
	CHECK(pi("1,234,567,890", "#,###,##0") == 1234567890.0);	/* suite function-parseInteger/parseInteger[17] */
	CHECK(pi("1234:567,890", "#:###,##0") == 1234567890.0);	/* suite function-parseInteger/parseInteger[18] */
	CHECK(pi("12345,67,890", "##,##,##0") == 1234567890.0);	/* suite function-parseInteger/parseInteger[19] */
	CHECK(pi("", "I") == 0.0);	/* suite function-parseInteger/parseInteger[20] */
	CHECK(pi("MCMLXXXIV", "I") == 1984.0);	/* suite function-parseInteger/parseInteger[21] */
	CHECK(pi("xcix", "i") == 99.0);	/* suite function-parseInteger/parseInteger[22] */
	CHECK(pi("twelve", "w") == 12.0);	/* suite function-parseInteger/parseInteger[23] */
	CHECK(pi("twenty", "w") == 20.0);	/* suite function-parseInteger/parseInteger[24] */
	CHECK(pi("thirty-four", "w") == 34.0);	/* suite function-parseInteger/parseInteger[25] */
	CHECK(pi("NINETY-NINE", "W") == 99.0);	/* suite function-parseInteger/parseInteger[26] */
	CHECK(pi("one hundred", "w") == 100.0);	/* suite function-parseInteger/parseInteger[27] */
	CHECK(pi("FIVE HUNDRED AND FIFTY-FIVE", "W") == 555.0);	/* suite function-parseInteger/parseInteger[28] */
	CHECK(pi("Five Hundred and Fifty-Five", "Ww") == 555.0);	/* suite function-parseInteger/parseInteger[29] */
	CHECK(pi("nine hundred and nineteen", "w") == 919.0);	/* suite function-parseInteger/parseInteger[30] */
	CHECK(pi("seven hundred and thirty", "w") == 730.0);	/* suite function-parseInteger/parseInteger[31] */
	CHECK(pi("one thousand", "w") == 1000.0);	/* suite function-parseInteger/parseInteger[32] */
	CHECK(pi("three thousand, seven hundred and thirty", "w") == 3730.0);	/* suite function-parseInteger/parseInteger[33] */
	CHECK(pi("three hundred and twenty-seven thousand, seven hundred and thirty", "w") == 327730.0);	/* suite function-parseInteger/parseInteger[34] */
	CHECK(pi("four million, three hundred and twenty-seven thousand, seven hundred and thirty", "w") == 4327730.0);	/* suite function-parseInteger/parseInteger[35] */
	CHECK(pi("one trillion and one", "w") == 1000000000001.0);	/* suite function-parseInteger/parseInteger[36] */
	CHECK(pi("one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three", "w") == 1234567890123.0);	/* suite function-parseInteger/parseInteger[37] */
	CHECK(pi("one thousand trillion", "w") == 1000000000000000.0);	/* suite function-parseInteger/parseInteger[38] */
	CHECK(pi("ten billion trillion trillion trillion", "w") == 1e+46);	/* suite function-parseInteger/parseInteger[39] */
	CHECK(pi("twelfth", "w;o") == 12.0);	/* suite function-parseInteger/parseInteger[40] */
	CHECK(pi("twentieth", "w;o") == 20.0);	/* suite function-parseInteger/parseInteger[41] */
	CHECK(pi("thirty-fourth", "w;o") == 34.0);	/* suite function-parseInteger/parseInteger[42] */
	CHECK(pi("NINETY-NINTH", "W;o") == 99.0);	/* suite function-parseInteger/parseInteger[43] */
	CHECK(pi("one hundredth", "w;o") == 100.0);	/* suite function-parseInteger/parseInteger[44] */
	CHECK(pi("FIVE HUNDRED AND FIFTY-FIFTH", "W;o") == 555.0);	/* suite function-parseInteger/parseInteger[45] */
	CHECK(pi("nine hundred and nineteenth", "w;o") == 919.0);	/* suite function-parseInteger/parseInteger[46] */
	CHECK(pi("seven hundred and thirtieth", "w;o") == 730.0);	/* suite function-parseInteger/parseInteger[47] */
	CHECK(pi("Seven Hundred and Thirty-Third", "Ww;o") == 733.0);	/* suite function-parseInteger/parseInteger[48] */
	CHECK(pi("one thousandth", "w;o") == 1000.0);	/* suite function-parseInteger/parseInteger[49] */
	CHECK(pi("three thousand, seven hundred and thirty-first", "w;o") == 3731.0);	/* suite function-parseInteger/parseInteger[50] */
	CHECK(pi("three hundred and twenty-seven thousand, seven hundred and thirteenth", "w;o") == 327713.0);	/* suite function-parseInteger/parseInteger[51] */
	CHECK(pi("four million, three hundred and twenty-seven thousand, seven hundred and thirty-second", "w;o") == 4327732.0);	/* suite function-parseInteger/parseInteger[52] */
	CHECK(pi("one trillion and first", "w;o") == 1000000000001.0);	/* suite function-parseInteger/parseInteger[53] */
	CHECK(pi("A", "A") == 1.0);	/* suite function-parseInteger/parseInteger[54] */
	CHECK(pi("l", "a") == 12.0);	/* suite function-parseInteger/parseInteger[55] */
	CHECK(pi("z", "a") == 26.0);	/* suite function-parseInteger/parseInteger[56] */
	CHECK(pi("aa", "a") == 27.0);	/* suite function-parseInteger/parseInteger[57] */
	CHECK(pi("KN", "A") == 300.0);	/* suite function-parseInteger/parseInteger[58] */
	CHECK(pi("FZPH", "A") == 123456.0);	/* suite function-parseInteger/parseInteger[59] */
	CHECK(pi("50", "#") == -1 && strcmp(last_code, "D3130") == 0);	/* suite function-parseInteger/parseInteger[60] */
}

static void
test_more(void)
{
	jn_decimal_format f;
	jn_liberr	err = {0};
	char	   *r;

	/* $formatBase of big_id (suite function-formatBase/case008) and beyond 2^53 */
	CHECK_STR(fb(5890840712243076.0, 10), "5890840712243076");
	CHECK_STR(fb(255, 16), "ff");
	CHECK_STR(fb(-255.5, 16), "-100");
	CHECK_STR(fb(-254.5, 16), "-fe");
	CHECK_STR(fb(0, 2), "0");
	CHECK_STR(fb(1e21, 10), "1e+21");
	CHECK_STR(fb(9007199254740992.0 * 4, 2), "10000000000000000000000000000000000000000000000000000000");
	CHECK_STR(fb(1e20, 16), "56bc75e2d63100000");
	CHECK_STR(fb(2, 36.5), "2");	/* 36.5 rounds to 36 */
	CHECK_STR(fb(2, 1.5), "10");	/* 1.5 rounds to 2 */
	CHECK_STR(fb(2, 0.5), "D3100");
	CHECK_STR(fb(2, NAN), "D3100");
	CHECK(jn_format_base(2, 40, out, &err) < 0 &&
		  strcmp(err.message, "The radix of the formatBase function must be between 2 and 36.  It was given 40") == 0);

	/* $formatNumber: options, grouping, rounding, negative sub-pictures */
	CHECK_STR(fn(1234.5, "#,##0.00", NULL, NULL), "1,234.50");
	CHECK_STR(fn(-1234.5, "#,##0.00", NULL, NULL), "-1,234.50");
	CHECK_STR(fn(-1234.5, "#,##0.00;(#,##0.00)", NULL, NULL), "(1,234.50)");
	CHECK_STR(fn(0.125, "0.00", NULL, NULL), "0.12");	/* half to even */
	CHECK_STR(fn(0.135, "0.00", NULL, NULL), "0.14");
	CHECK_STR(fn(1234.5, "#.##0,00", "decimal-separator", ","), "D3086");	/* "." is passive there */
	jn_decimal_format_default(&f);
	CHECK(jn_decimal_format_set(&f, "decimal-separator", ","));
	CHECK(jn_decimal_format_set(&f, "grouping-separator", "."));
	CHECK(!jn_decimal_format_set(&f, "no-such-key", "x"));
	r = jn_format_number(1234567.891, "#.##0,00", 8, &f, NULL, &err);
	CHECK_STR(r, "1.234.567,89");
	free(r);
	CHECK_STR(fn(0, "#", NULL, NULL), "0");
	CHECK_STR(fn(5, "#", NULL, NULL), "5");
	CHECK_STR(fn(0.5, "#", NULL, NULL), "0");
	CHECK_STR(fn(1.5, "#", NULL, NULL), "2");
	CHECK_STR(fn(1e21, "#,###", NULL, NULL), "1e,+21");	/* toFixed prints huge numbers in exponent form; JSONata groups that text */
	CHECK_STR(fn(12345, "0.0e0", NULL, NULL), "1.2e4");
	CHECK_STR(fn(-0.00012, "0.0e0", NULL, NULL), "-1.2e-4");
	CHECK_STR(fn(3, "$0.00 USD", NULL, NULL), "$3.00 USD");
	CHECK(jn_format_number(1, "0;0;0", 5, NULL, NULL, &err) == NULL &&
		  strcmp(err.message, "The picture string must only contain a maximum of two sub-pictures") == 0);

	/* $formatInteger: more shapes */
	CHECK_STR(fi(21, "0;o"), "21st");
	CHECK_STR(fi(11, "0;o"), "11th");
	CHECK_STR(fi(112, "0;o"), "112th");
	CHECK_STR(fi(-12.5, "0"), "-13");	/* floored */
	CHECK_STR(fi(1234567, "#.##0"), "1.234.567");
	CHECK_STR(fi(1234567, "# ##0"), "1 234 567");
	CHECK_STR(fi(0, "w"), "zero");
	CHECK_STR(fi(0, "w;o"), "zeroth");
	CHECK_STR(fi(-3, "w"), "-three");
	CHECK_STR(fi(0, "a"), "");
	CHECK_STR(fi(702, "A"), "ZZ");
	CHECK_STR(fi(703, "A"), "AAA");
	CHECK_STR(fi(3999, "I"), "MMMCMXCIX");
	CHECK_STR(fi(1e8, "I"), "RangeError");	/* JavaScript overflows its stack long before */
	CHECK_INT(strlen(fi(4000, "I")), 4);
	CHECK_STR(fi(4000, "I"), "MMMM");
	CHECK_STR(fi(5, "#"), "D3130");
	/* what JavaScript cannot finish (found by fuzzing): an error, never a hang */
	CHECK_STR(fi(INFINITY, "w"), "RangeError");
	CHECK_STR(fi(NAN, "w"), "RangeError");
	CHECK_STR(fi(INFINITY, "a"), "RangeError");
	CHECK_STR(fi(NAN, "a"), "");
	CHECK_STR(fi(NAN, "0"), "NaN");
	CHECK_STR(fn(0, "", NULL, NULL), "D3085");
	CHECK_STR(fn(1, "%", NULL, NULL), "D3086");
	CHECK(jn_format_integer(5, "#;o", 3, NULL, &err) == NULL &&
		  strcmp(err.message, "Formatting or parsing an integer as a sequence starting with \"#\" is not supported by this implementation") == 0);
	CHECK(jn_format_base(2, NAN, out, &err) < 0 && strcmp(err.message, "The radix of the formatBase function must be between 2 and 36.  It was given null") == 0);
	CHECK_STR(fi(5, "①"), "D3130");	/* circled digits are no decimal family */

	/* $parseInteger: what JSONata makes of text that does not fit */
	CHECK(isnan(pi("abc", "0")));
	CHECK(isnan(pi("MCMZ", "I")));
	CHECK(isnan(pi("one hundred and blah", "w")));
	CHECK(pi("0x1A", "0") == 26);	/* parseInt reads a hex prefix */
	CHECK(pi("12abc", "0") == 12);
	CHECK(pi("1 234", "# ##0") == 1);	/* a regular pattern strips only "," */
	CHECK(pi("1 234", "# ##,#0") == 1234);
	CHECK(pi("twenty-one", "w") == 21);
	CHECK(pi("one million, two thousand and three", "w") == 1002003);
}

/*
 * Analysed pictures are kept per thread: one kept must not refer to the
 * caller's picture text, gone by the next call (D3130 quotes the picture).
 */
static void
test_kept_pictures(void)
{
	jn_liberr	err = {0};

	for (int round = 0; round < 2; round++)
	{
		char	   *pic = strdup("\u2460;o");	/* circled one: a sequence */

		CHECK(jn_format_integer(5, pic, strlen(pic), NULL, &err) == NULL &&
			  strcmp(err.code, "D3130") == 0 && strstr(err.message, "with \"\u2460\" is not") != NULL);
		free(pic);
	}
	for (int round = 0; round < 2; round++)
	{
		char	   *pic = strdup("#,##0.00");
		size_t		n;
		char	   *r = jn_format_number(1234.5, pic, strlen(pic), NULL, &n, &err);

		free(pic);
		CHECK_STR(r, "1,234.50");
		free(r);
	}
}

UNIT_MAIN("jn_picture", {
	test_suite();
	test_more();
	test_kept_pictures();
})
