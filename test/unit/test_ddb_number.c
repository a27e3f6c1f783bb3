/*
 * test_ddb_number.c — DynamoDB numbers: parsing, canonical text, limits,
 * exact comparison, addition and subtraction.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "core/ddb/ddb_number.h"
#include "unit.h"

/* The canonical text of text, or "ERR<status>". */
static const char *
canon(const char *text)
{
	static char buf[DDB_NUMBER_TEXT_SIZE + 16];
	ddb_number_status st = ddb_number_canonical(text, buf);

	if (st != DDB_NUMBER_OK)
		snprintf(buf, sizeof(buf), "ERR%d", (int) st);
	return buf;
}

static void
test_parse_and_format(void)
{
	CHECK_STR(canon("0"), "0");
	CHECK_STR(canon("-0"), "0");
	CHECK_STR(canon("+0.000"), "0");
	CHECK_STR(canon("00012"), "12");
	CHECK_STR(canon("1.50"), "1.5");
	CHECK_STR(canon("1.50E2"), "150");
	CHECK_STR(canon("1e-3"), "0.001");
	CHECK_STR(canon("-1E+3"), "-1000");
	CHECK_STR(canon(".5"), "0.5");
	CHECK_STR(canon("5."), "5");
	CHECK_STR(canon("+7"), "7");
	CHECK_STR(canon("123.456"), "123.456");
	CHECK_STR(canon("-0.000120"), "-0.00012");
	CHECK_STR(canon("12345678901234567890123456789012345678"), "12345678901234567890123456789012345678");
	/* trailing zeros are not significant */
	CHECK_STR(canon("123456789012345678901234567890123456780000"), "123456789012345678901234567890123456780000");
	CHECK_STR(canon("1E125"), "1" "0000000000" "0000000000" "0000000000" "0000000000" "0000000000"
			  "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "00000");
	CHECK_STR(canon("1E-130"), "0." "0000000000" "0000000000" "0000000000" "0000000000" "0000000000"
			  "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "0000000000" "000000000" "1");
	/* zero at any exponent is zero */
	CHECK_STR(canon("0E99999999999"), "0");
}

static void
test_parse_errors(void)
{
	char		buf[DDB_NUMBER_TEXT_SIZE];
	char	   *msg;

	CHECK_INT(ddb_number_canonical("", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("abc", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical(".", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("1e", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("1e+", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical(" 1", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("1 ", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("--1", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("0x10", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("NaN", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("Infinity", buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical(NULL, buf), DDB_NUMBER_INVALID);
	CHECK_INT(ddb_number_canonical("1E126", buf), DDB_NUMBER_OVERFLOW);
	CHECK_INT(ddb_number_canonical("-9.9E125", buf), DDB_NUMBER_OK);
	CHECK_INT(ddb_number_canonical("99999999999999999999999999999999999999E88", buf), DDB_NUMBER_OK);
	CHECK_INT(ddb_number_canonical("99999999999999999999999999999999999999E89", buf), DDB_NUMBER_OVERFLOW);
	CHECK_INT(ddb_number_canonical("1E-131", buf), DDB_NUMBER_UNDERFLOW);
	CHECK_INT(ddb_number_canonical("1E999999999999999999", buf), DDB_NUMBER_OVERFLOW);
	CHECK_INT(ddb_number_canonical("1E-999999999999999999", buf), DDB_NUMBER_UNDERFLOW);
	CHECK_INT(ddb_number_canonical("123456789012345678901234567890123456789", buf), DDB_NUMBER_PRECISION);
	CHECK_INT(ddb_number_canonical("1.00000000000000000000000000000000000001", buf), DDB_NUMBER_PRECISION);
	/* a range error is named before a precision error */
	CHECK_INT(ddb_number_canonical("123456789012345678901234567890123456789E200", buf), DDB_NUMBER_OVERFLOW);

	msg = ddb_number_message(DDB_NUMBER_INVALID, "abc");
	CHECK_STR(msg, "The parameter cannot be converted to a numeric value: abc");
	free(msg);
	msg = ddb_number_message(DDB_NUMBER_INVALID, "");
	CHECK_STR(msg, "The parameter cannot be converted to a numeric value");
	free(msg);
	msg = ddb_number_message(DDB_NUMBER_OVERFLOW, "1E126");
	CHECK_STR(msg, "Number overflow. Attempting to store a number with magnitude larger than supported range");
	free(msg);
	msg = ddb_number_message(DDB_NUMBER_UNDERFLOW, NULL);
	CHECK_STR(msg, "Number underflow. Attempting to store a number with magnitude smaller than supported range");
	free(msg);
	msg = ddb_number_message(DDB_NUMBER_PRECISION, NULL);
	CHECK_STR(msg, "Attempting to store more than 38 significant digits in a Number");
	free(msg);
}

static int
cmp(const char *a, const char *b)
{
	ddb_number	x,
				y;

	if (ddb_number_parse(a, &x) != DDB_NUMBER_OK || ddb_number_parse(b, &y) != DDB_NUMBER_OK)
		return 99;
	return ddb_number_compare(&x, &y);
}

static void
test_compare(void)
{
	CHECK_INT(cmp("1", "1.0"), 0);
	CHECK_INT(cmp("-0", "0"), 0);
	CHECK_INT(cmp("1", "2"), -1);
	CHECK_INT(cmp("10", "9"), 1);
	CHECK_INT(cmp("-10", "-9"), -1);
	CHECK_INT(cmp("-1", "0"), -1);
	CHECK_INT(cmp("0", "0.0001"), -1);
	CHECK_INT(cmp("0.1", "0.09"), 1);
	CHECK_INT(cmp("1.5", "1.45"), 1);
	CHECK_INT(cmp("1E125", "9.9E124"), 1);
	CHECK_INT(cmp("12345678901234567890123456789012345678", "12345678901234567890123456789012345677"), 1);
	CHECK_INT(cmp("-5", "3"), -1);
}

/* a op b as canonical text, or "ERR<status>". */
static const char *
arith(const char *a, char op, const char *b)
{
	static char buf[DDB_NUMBER_TEXT_SIZE + 16];
	ddb_number	x,
				y,
				r;
	ddb_number_status st;

	if (ddb_number_parse(a, &x) != DDB_NUMBER_OK || ddb_number_parse(b, &y) != DDB_NUMBER_OK)
		return "BAD INPUT";
	st = op == '+' ? ddb_number_add(&x, &y, &r) : ddb_number_sub(&x, &y, &r);
	if (st != DDB_NUMBER_OK)
	{
		snprintf(buf, sizeof(buf), "ERR%d", (int) st);
		return buf;
	}
	ddb_number_format(&r, buf);
	return buf;
}

static void
test_arithmetic(void)
{
	CHECK_STR(arith("1", '+', "2"), "3");
	CHECK_STR(arith("0.1", '+', "0.2"), "0.3");
	CHECK_STR(arith("10", '-', "15"), "-5");
	CHECK_STR(arith("-5", '+', "5"), "0");
	CHECK_STR(arith("5", '-', "5"), "0");
	CHECK_STR(arith("0", '-', "7"), "-7");
	CHECK_STR(arith("0", '+', "-7"), "-7");
	CHECK_STR(arith("7", '-', "0"), "7");
	CHECK_STR(arith("-2.5", '-', "-2.5"), "0");
	CHECK_STR(arith("99", '+', "1"), "100");
	CHECK_STR(arith("1000", '-', "0.001"), "999.999");
	CHECK_STR(arith("-1000", '+', "0.001"), "-999.999");
	CHECK_STR(arith("1E10", '+', "1E-10"), "10000000000.0000000001");
	CHECK_STR(arith("99999999999999999999999999999999999999", '+', "1"), "100000000000000000000000000000000000000");
	/* 38 digits are kept exactly */
	CHECK_STR(arith("12345678901234567890123456789012345678", '-', "12345678901234567890123456789012345677"), "1");
	/* results DynamoDB could not store */
	CHECK_STR(arith("9.9999999999999999999999999999999999999E125", '+', "1E125"), "ERR2");
	CHECK_STR(arith("-9.9E125", '-', "1E125"), "ERR2");
	CHECK_STR(arith("1E20", '+', "1E-20"), "ERR4");
	CHECK_STR(arith("1.1E-130", '-', "1E-130"), "ERR3");
}

UNIT_MAIN("test_ddb_number", {
	test_parse_and_format();
	test_parse_errors();
	test_compare();
	test_arithmetic();
})
