/*
 * test_ddb_value.c — typed attribute values: checking with DynamoDB's
 * messages, base64, equality, ordering, size(), contains(), begins_with(),
 * item sizes, and plain JSON conversion.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "core/ddb/ddb_value.h"
#include "unit.h"

static char result[8192];

/* JSON text → json-c, deeper than json_tokener_parse's 32 levels. */
static json_object *
parse(const char *json)
{
	json_tokener *tok = json_tokener_new_ex(1000);
	json_object *v = tok ? json_tokener_parse_ex(tok, json, (int) strlen(json) + 1) : NULL;

	json_tokener_free(tok);
	return v;
}

/* Checks the value (item when as_item) written in JSON: its normalised text, or "ERR <message> @<where>". */
static const char *
checked(const char *json, bool as_item)
{
	json_object *v = parse(json);
	char	   *msg = NULL;
	char	   *where = NULL;
	json_object *out;

	if (v == NULL)
		return "BAD TEST JSON";
	out = as_item ? ddb_item_check(v, &msg, &where) : ddb_value_check(v, &msg, &where);
	if (out != NULL)
		snprintf(result, sizeof(result), "%s", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	else
		snprintf(result, sizeof(result), "ERR %s @%s", msg ? msg : "(null)", where ? where : "(null)");
	if (out != NULL && (msg != NULL || where != NULL))
		snprintf(result, sizeof(result), "SUCCESS WITH A MESSAGE");
	free(msg);
	free(where);
	json_object_put(out);
	json_object_put(v);
	return result;
}

#define VALUE_IS(json, expected) CHECK_STR(checked(json, false), expected)
#define ITEM_IS(json, expected) CHECK_STR(checked(json, true), expected)

static void
test_type_names(void)
{
	CHECK_STR(ddb_type_name(DDB_TYPE_S), "S");
	CHECK_STR(ddb_type_name(DDB_TYPE_BOOL), "BOOL");
	CHECK_STR(ddb_type_name(DDB_TYPE_BS), "BS");
	CHECK_STR(ddb_type_name(DDB_TYPE_NONE), "");
	CHECK_STR(ddb_type_name((ddb_type) 99), "");
	CHECK_INT(ddb_type_from_name("NS"), DDB_TYPE_NS);
	CHECK_INT(ddb_type_from_name("NULL"), DDB_TYPE_NULL);
	CHECK_INT(ddb_type_from_name("s"), DDB_TYPE_NONE);
	CHECK_INT(ddb_type_from_name(""), DDB_TYPE_NONE);
	CHECK_INT(ddb_type_from_name(NULL), DDB_TYPE_NONE);
}

static void
test_check_scalars(void)
{
	VALUE_IS("{\"S\": \"hello\"}", "{\"S\":\"hello\"}");
	VALUE_IS("{\"S\": \"\"}", "{\"S\":\"\"}");
	VALUE_IS("{\"N\": \"1.50E2\"}", "{\"N\":\"150\"}");
	VALUE_IS("{\"N\": \"-0\"}", "{\"N\":\"0\"}");
	VALUE_IS("{\"B\": \"RGF0YQ==\"}", "{\"B\":\"RGF0YQ==\"}");
	VALUE_IS("{\"B\": \"\"}", "{\"B\":\"\"}");
	VALUE_IS("{\"BOOL\": true}", "{\"BOOL\":true}");
	VALUE_IS("{\"BOOL\": \"false\"}", "{\"BOOL\":false}");
	VALUE_IS("{\"BOOL\": \"YES\"}", "{\"BOOL\":true}");
	VALUE_IS("{\"BOOL\": \"0\"}", "{\"BOOL\":false}");
	VALUE_IS("{\"NULL\": true}", "{\"NULL\":true}");
	VALUE_IS("{\"NULL\": false}", "{\"NULL\":true}");
	/* unknown members are ignored, null ones are absent */
	VALUE_IS("{\"S\": \"x\", \"extra\": 1}", "{\"S\":\"x\"}");
	VALUE_IS("{\"S\": \"x\", \"N\": null}", "{\"S\":\"x\"}");
}

static void
test_check_errors(void)
{
	VALUE_IS("{}", "ERR Supplied AttributeValue is empty, must contain exactly one of the supported datatypes @");
	VALUE_IS("\"x\"", "ERR Supplied AttributeValue is empty, must contain exactly one of the supported datatypes @");
	VALUE_IS("{\"s\": \"x\"}", "ERR Supplied AttributeValue is empty, must contain exactly one of the supported datatypes @");
	VALUE_IS("{\"S\": \"x\", \"N\": \"1\"}",
			 "ERR Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes @");
	VALUE_IS("{\"S\": 5}", "ERR class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String @");
	VALUE_IS("{\"S\": true}", "ERR class java.lang.Boolean can not be converted to an String @");
	VALUE_IS("{\"S\": {}}", "ERR Start of structure or map found where not expected. @");
	VALUE_IS("{\"S\": []}", "ERR Start of list found where not expected @");
	VALUE_IS("{\"N\": 5}", "ERR class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String @");
	VALUE_IS("{\"N\": \"abc\"}", "ERR The parameter cannot be converted to a numeric value: abc @");
	VALUE_IS("{\"N\": \"\"}", "ERR The parameter cannot be converted to a numeric value @");
	VALUE_IS("{\"N\": \"1E126\"}", "ERR Number overflow. Attempting to store a number with magnitude larger than supported range @");
	VALUE_IS("{\"N\": \"1E-131\"}", "ERR Number underflow. Attempting to store a number with magnitude smaller than supported range @");
	VALUE_IS("{\"N\": \"1234567890123456789012345678901234567891\"}",
			 "ERR Attempting to store more than 38 significant digits in a Number @");
	VALUE_IS("{\"B\": 1}", "ERR class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to a Blob @");
	VALUE_IS("{\"B\": \"abc\"}",
			 "ERR 'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3 @");
	VALUE_IS("{\"B\": \"ab!d\"}", "ERR 'ab!d' can not be converted to a Blob: Invalid Base64 character: '!' @");
	VALUE_IS("{\"B\": \"a=bc\"}", "ERR 'a=bc' can not be converted to a Blob: Invalid Base64 character: '=' @");
	VALUE_IS("{\"B\": \"RGF0YR==\"}",
			 "ERR 'RGF0YR==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected @");
	VALUE_IS("{\"BOOL\": \"maybe\"}", "ERR 'maybe' can not be converted to an Boolean @");
	VALUE_IS("{\"BOOL\": 1}", "ERR class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean @");
	VALUE_IS("{\"NULL\": []}", "ERR Start of list found where not expected @");
	VALUE_IS("{\"M\": []}", "ERR Start of list found where not expected @");
	VALUE_IS("{\"M\": \"x\"}", "ERR Expected map or null @");
	VALUE_IS("{\"L\": {}}", "ERR Start of structure or map found where not expected. @");
	VALUE_IS("{\"L\": 3}", "ERR Expected list or null @");
	VALUE_IS("{\"SS\": {}}", "ERR Start of structure or map found where not expected. @");
	VALUE_IS("{\"SS\": \"a\"}", "ERR Expected list or null @");
}

static void
test_check_documents_and_sets(void)
{
	VALUE_IS("{\"M\": {\"a\": {\"N\": \"01\"}, \"b\": {\"L\": [{\"S\": \"x\"}, {\"NULL\": true}]}}}",
			 "{\"M\":{\"a\":{\"N\":\"1\"},\"b\":{\"L\":[{\"S\":\"x\"},{\"NULL\":true}]}}}");
	VALUE_IS("{\"L\": []}", "{\"L\":[]}");
	VALUE_IS("{\"M\": {}}", "{\"M\":{}}");
	VALUE_IS("{\"SS\": [\"a\", \"b\"]}", "{\"SS\":[\"a\",\"b\"]}");
	VALUE_IS("{\"NS\": [\"1.0\", \"2\"]}", "{\"NS\":[\"1\",\"2\"]}");
	VALUE_IS("{\"BS\": [\"AA==\", \"AQ==\"]}", "{\"BS\":[\"AA==\",\"AQ==\"]}");
	/* where inside the value a problem is */
	VALUE_IS("{\"M\": {\"a\": {\"L\": [{\"S\": \"x\"}, {\"N\": \"x\"}]}}}",
			 "ERR The parameter cannot be converted to a numeric value: x @.a[1]");
	VALUE_IS("{\"SS\": []}", "ERR One or more parameter values were invalid: An string set  may not be empty @");
	VALUE_IS("{\"NS\": []}", "ERR One or more parameter values were invalid: An number set  may not be empty @");
	VALUE_IS("{\"BS\": []}", "ERR One or more parameter values were invalid: Binary sets should not be empty @");
	VALUE_IS("{\"SS\": [\"a\", \"a\"]}", "ERR One or more parameter values were invalid: Input collection [a, a] contains duplicates. @");
	/* numerically equal numbers are duplicates */
	VALUE_IS("{\"NS\": [\"1\", \"1.0\"]}", "ERR One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates. @");
	VALUE_IS("{\"BS\": [\"AA==\", \"AA==\"]}",
			 "ERR One or more parameter values were invalid: Input collection [AA==, AA==]of type BS contains duplicates. @");
	VALUE_IS("{\"SS\": [1]}", "ERR class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String @");
	VALUE_IS("{\"NS\": [\"x\"]}", "ERR The parameter cannot be converted to a numeric value: x @");
}

static void
test_nesting_limit(void)
{
	char		deep[1024] = "";
	char		tail[1024] = "";
	int			i;

	/* 32 levels below the top are allowed, 33 are not */
	for (i = 0; i < 33; i++)
	{
		strcat(deep, "{\"L\": [");
		strcat(tail, "]}");
	}
	{
		char		text[8256];

		snprintf(text, sizeof(text), "%s{\"S\": \"x\"}%s", deep, tail);
		CHECK_STR(checked(text, false),
				  "ERR Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit @"
				  "[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]");
		/* one level less is fine */
		snprintf(text, sizeof(text), "%s{\"S\": \"x\"}%s", deep + strlen("{\"L\": ["), tail + 2);
		CHECK(strncmp(checked(text, false), "{\"L\":[{\"L\":[", 12) == 0);
	}
}

static void
test_item_check(void)
{
	ITEM_IS("{\"Id\": {\"S\": \"1\"}, \"n\": {\"N\": \"2.0\"}}", "{\"Id\":{\"S\":\"1\"},\"n\":{\"N\":\"2\"}}");
	ITEM_IS("{}", "{}");
	ITEM_IS("[]", "ERR Start of list found where not expected @");
	ITEM_IS("5", "ERR Expected map or null @");
	ITEM_IS("{\"\": {\"S\": \"x\"}}", "ERR One or more parameter values were invalid: An attribute name may not be empty @");
	ITEM_IS("{\"a\": {\"S\": \"x\"}, \"b\": {\"M\": {\"c\": {\"NS\": []}}}}",
			"ERR One or more parameter values were invalid: An number set  may not be empty @b.c");
}

static void
test_base64(void)
{
	unsigned char *out = NULL;
	size_t		len = 99;

	CHECK(ddb_base64_decode("RGF0YQ==", 8, &out, &len));
	CHECK_INT(len, 4);
	CHECK(out != NULL && memcmp(out, "Data", 4) == 0);
	free(out);
	CHECK(ddb_base64_decode("", 0, &out, &len));
	CHECK(out != NULL);
	CHECK_INT(len, 0);
	free(out);
	CHECK(ddb_base64_decode("/+8=", 4, &out, &len));
	CHECK_INT(len, 2);
	CHECK(out != NULL && out[0] == 0xff && out[1] == 0xef);
	free(out);
	CHECK(!ddb_base64_decode("RGF0YQ=", 7, &out, &len));
	CHECK(out == NULL);
	CHECK_INT(len, 0);
	CHECK(!ddb_base64_decode("RG=0", 4, &out, &len));
	CHECK(!ddb_base64_decode("RGF0YR==", 8, &out, &len));
	CHECK(!ddb_base64_decode("RGF0Y===", 8, &out, &len));
}

/* Parses two typed values from JSON and runs fn on them. */
typedef struct pair
{
	json_object *a;
	json_object *b;
} pair;

static pair
pair_of(const char *a, const char *b)
{
	pair		p;

	p.a = a ? json_tokener_parse(a) : NULL;
	p.b = b ? json_tokener_parse(b) : NULL;
	return p;
}

static void
pair_free(pair p)
{
	json_object_put(p.a);
	json_object_put(p.b);
}

static bool
equal(const char *a, const char *b)
{
	pair		p = pair_of(a, b);
	bool		r = ddb_value_equal(p.a, p.b);

	pair_free(p);
	return r;
}

/* -1/0/1, or 9 when there is no order. */
static int
order(const char *a, const char *b)
{
	pair		p = pair_of(a, b);
	int			c = 7;
	bool		ok = ddb_value_compare(p.a, p.b, &c);

	pair_free(p);
	return ok ? c : 9;
}

static bool
contains(const char *a, const char *b)
{
	pair		p = pair_of(a, b);
	bool		r = ddb_value_contains(p.a, p.b);

	pair_free(p);
	return r;
}

static bool
begins(const char *a, const char *b)
{
	pair		p = pair_of(a, b);
	bool		r = ddb_value_begins_with(p.a, p.b);

	pair_free(p);
	return r;
}

static void
test_equal(void)
{
	CHECK(equal("{\"S\": \"a\"}", "{\"S\": \"a\"}"));
	CHECK(!equal("{\"S\": \"a\"}", "{\"S\": \"b\"}"));
	CHECK(!equal("{\"S\": \"1\"}", "{\"N\": \"1\"}"));
	CHECK(equal("{\"N\": \"1\"}", "{\"N\": \"1.00\"}"));
	CHECK(!equal("{\"N\": \"1\"}", "{\"N\": \"-1\"}"));
	CHECK(equal("{\"B\": \"AA==\"}", "{\"B\": \"AA==\"}"));
	CHECK(!equal("{\"B\": \"AA==\"}", "{\"B\": \"AQ==\"}"));
	CHECK(equal("{\"BOOL\": true}", "{\"BOOL\": true}"));
	CHECK(!equal("{\"BOOL\": true}", "{\"BOOL\": false}"));
	CHECK(equal("{\"NULL\": true}", "{\"NULL\": true}"));
	CHECK(equal("{\"SS\": [\"a\", \"b\"]}", "{\"SS\": [\"b\", \"a\"]}"));
	CHECK(!equal("{\"SS\": [\"a\", \"b\"]}", "{\"SS\": [\"a\"]}"));
	CHECK(!equal("{\"SS\": [\"a\", \"b\"]}", "{\"SS\": [\"a\", \"c\"]}"));
	CHECK(equal("{\"NS\": [\"1\", \"2\"]}", "{\"NS\": [\"2\", \"1\"]}"));
	CHECK(!equal("{\"NS\": [\"1\"]}", "{\"SS\": [\"1\"]}"));
	CHECK(equal("{\"L\": [{\"N\": \"1\"}, {\"S\": \"x\"}]}", "{\"L\": [{\"N\": \"1\"}, {\"S\": \"x\"}]}"));
	CHECK(!equal("{\"L\": [{\"N\": \"1\"}, {\"S\": \"x\"}]}", "{\"L\": [{\"S\": \"x\"}, {\"N\": \"1\"}]}"));
	CHECK(!equal("{\"L\": [{\"N\": \"1\"}]}", "{\"L\": []}"));
	CHECK(equal("{\"M\": {\"a\": {\"N\": \"1\"}, \"b\": {\"S\": \"x\"}}}", "{\"M\": {\"b\": {\"S\": \"x\"}, \"a\": {\"N\": \"1\"}}}"));
	CHECK(!equal("{\"M\": {\"a\": {\"N\": \"1\"}}}", "{\"M\": {\"a\": {\"N\": \"2\"}}}"));
	CHECK(!equal("{\"M\": {\"a\": {\"N\": \"1\"}}}", "{\"M\": {\"b\": {\"N\": \"1\"}}}"));
	CHECK(!equal("{\"M\": {\"a\": {\"N\": \"1\"}}}", "{\"M\": {}}"));
	/* an absent value equals nothing, not even another absent one */
	CHECK(!equal(NULL, NULL));
	CHECK(!equal("{\"S\": \"a\"}", NULL));
}

static void
test_compare(void)
{
	CHECK_INT(order("{\"N\": \"10\"}", "{\"N\": \"9\"}"), 1);
	CHECK_INT(order("{\"N\": \"-10\"}", "{\"N\": \"9\"}"), -1);
	CHECK_INT(order("{\"N\": \"1.0\"}", "{\"N\": \"1\"}"), 0);
	/* strings by UTF-8 bytes: "B" < "a", "a" < "é" */
	CHECK_INT(order("{\"S\": \"B\"}", "{\"S\": \"a\"}"), -1);
	CHECK_INT(order("{\"S\": \"a\"}", "{\"S\": \"\\u00e9\"}"), -1);
	CHECK_INT(order("{\"S\": \"ab\"}", "{\"S\": \"a\"}"), 1);
	CHECK_INT(order("{\"S\": \"10\"}", "{\"S\": \"9\"}"), -1);
	CHECK_INT(order("{\"S\": \"\"}", "{\"S\": \"\"}"), 0);
	/* binaries by unsigned bytes: 0x01 < 0xff */
	CHECK_INT(order("{\"B\": \"AQ==\"}", "{\"B\": \"/w==\"}"), -1);
	CHECK_INT(order("{\"B\": \"/w==\"}", "{\"B\": \"/wA=\"}"), -1);
	/* no order across types or for other types */
	CHECK_INT(order("{\"N\": \"1\"}", "{\"S\": \"1\"}"), 9);
	CHECK_INT(order("{\"BOOL\": true}", "{\"BOOL\": false}"), 9);
	CHECK_INT(order("{\"SS\": [\"a\"]}", "{\"SS\": [\"a\"]}"), 9);
	CHECK_INT(order(NULL, "{\"N\": \"1\"}"), 9);
}

static long
size_of(const char *json)
{
	json_object *v = json_tokener_parse(json);
	long		size = -7;

	if (!ddb_value_size(v, &size))
		size = -1;
	json_object_put(v);
	return size;
}

static void
test_size(void)
{
	CHECK_INT(size_of("{\"S\": \"abc\"}"), 3);
	CHECK_INT(size_of("{\"S\": \"\\u00e9\"}"), 2);
	CHECK_INT(size_of("{\"B\": \"RGF0YQ==\"}"), 4);
	CHECK_INT(size_of("{\"B\": \"RGF0\"}"), 3);
	CHECK_INT(size_of("{\"B\": \"RGF0YTE=\"}"), 5);
	CHECK_INT(size_of("{\"SS\": [\"a\", \"b\"]}"), 2);
	CHECK_INT(size_of("{\"NS\": [\"1\"]}"), 1);
	CHECK_INT(size_of("{\"BS\": [\"AA==\", \"AQ==\", \"Ag==\"]}"), 3);
	CHECK_INT(size_of("{\"L\": [{\"S\": \"a\"}, {\"N\": \"1\"}]}"), 2);
	CHECK_INT(size_of("{\"M\": {\"a\": {\"S\": \"a\"}}}"), 1);
	CHECK_INT(size_of("{\"N\": \"12\"}"), -1);
	CHECK_INT(size_of("{\"BOOL\": true}"), -1);
	CHECK_INT(size_of("{\"NULL\": true}"), -1);
	CHECK_INT(size_of("{}"), -1);
}

static void
test_contains_and_begins_with(void)
{
	CHECK(contains("{\"S\": \"hello world\"}", "{\"S\": \"o w\"}"));
	CHECK(!contains("{\"S\": \"hello\"}", "{\"S\": \"xyz\"}"));
	CHECK(!contains("{\"S\": \"123\"}", "{\"N\": \"2\"}"));
	CHECK(contains("{\"B\": \"AQID\"}", "{\"B\": \"AgM=\"}"));
	CHECK(!contains("{\"B\": \"AQID\"}", "{\"B\": \"AwI=\"}"));
	CHECK(contains("{\"SS\": [\"a\", \"b\"]}", "{\"S\": \"b\"}"));
	CHECK(!contains("{\"SS\": [\"a\", \"b\"]}", "{\"S\": \"c\"}"));
	CHECK(!contains("{\"SS\": [\"1\"]}", "{\"N\": \"1\"}"));
	CHECK(contains("{\"NS\": [\"1.5\", \"2\"]}", "{\"N\": \"1.50\"}"));
	CHECK(!contains("{\"NS\": [\"1.5\"]}", "{\"S\": \"1.5\"}"));
	CHECK(contains("{\"BS\": [\"AA==\"]}", "{\"B\": \"AA==\"}"));
	CHECK(contains("{\"L\": [{\"S\": \"a\"}, {\"M\": {\"k\": {\"N\": \"1\"}}}]}", "{\"M\": {\"k\": {\"N\": \"1.0\"}}}"));
	CHECK(!contains("{\"L\": [{\"S\": \"a\"}]}", "{\"S\": \"b\"}"));
	CHECK(!contains("{\"N\": \"12\"}", "{\"N\": \"1\"}"));
	CHECK(!contains("{\"M\": {\"a\": {\"S\": \"a\"}}}", "{\"S\": \"a\"}"));
	CHECK(!contains(NULL, "{\"S\": \"a\"}"));
	CHECK(!contains("{\"S\": \"a\"}", NULL));

	CHECK(begins("{\"S\": \"hello\"}", "{\"S\": \"he\"}"));
	CHECK(begins("{\"S\": \"hello\"}", "{\"S\": \"\"}"));
	CHECK(begins("{\"S\": \"hello\"}", "{\"S\": \"hello\"}"));
	CHECK(!begins("{\"S\": \"hello\"}", "{\"S\": \"hello!\"}"));
	CHECK(!begins("{\"S\": \"hello\"}", "{\"S\": \"el\"}"));
	CHECK(begins("{\"B\": \"AQID\"}", "{\"B\": \"AQI=\"}"));
	CHECK(!begins("{\"B\": \"AQID\"}", "{\"B\": \"Ag==\"}"));
	CHECK(!begins("{\"N\": \"12\"}", "{\"N\": \"1\"}"));
	CHECK(!begins("{\"S\": \"12\"}", "{\"B\": \"AQ==\"}"));
	CHECK(!begins(NULL, "{\"S\": \"\"}"));
}

static size_t
item_size(const char *json)
{
	json_object *v = json_tokener_parse(json);
	size_t		n = ddb_item_size(v);

	json_object_put(v);
	return n;
}

static void
test_item_size(void)
{
	/* name + value bytes; numbers 1 + a byte per two digits; BOOL/NULL 1; documents 3 + 1 per element */
	CHECK_INT(item_size("{\"Id\": {\"S\": \"abc\"}}"), 5);
	CHECK_INT(item_size("{\"n\": {\"N\": \"12345\"}}"), 1 + 3 + 1);
	CHECK_INT(item_size("{\"b\": {\"BOOL\": true}, \"z\": {\"NULL\": true}}"), 4);
	CHECK_INT(item_size("{\"b\": {\"B\": \"RGF0YQ==\"}}"), 5);
	CHECK_INT(item_size("{\"s\": {\"SS\": [\"ab\", \"c\"]}}"), 4);
	CHECK_INT(item_size("{\"s\": {\"NS\": [\"1\", \"22\"]}}"), 1 + 2 + 2);
	CHECK_INT(item_size("{\"s\": {\"BS\": [\"AA==\"]}}"), 2);
	CHECK_INT(item_size("{\"l\": {\"L\": [{\"S\": \"ab\"}]}}"), 1 + 3 + 1 + 2);
	CHECK_INT(item_size("{\"m\": {\"M\": {\"k\": {\"S\": \"ab\"}}}}"), 1 + 3 + 1 + 1 + 2);
	CHECK_INT(item_size("{}"), 0);
	CHECK_INT(item_size("[]"), 0);
}

/* Typed → plain text, or "FAIL". */
static const char *
plain(const char *json)
{
	json_object *v = json_tokener_parse(json);
	json_object *out = NULL;

	if (!ddb_value_to_plain(v, &out))
		snprintf(result, sizeof(result), "FAIL");
	else
		snprintf(result, sizeof(result), "%s", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	json_object_put(v);
	return result;
}

/* Plain → typed text, or "ERR message". */
static const char *
typed(const char *json)
{
	json_object *v = json_tokener_parse(json);
	char	   *msg = NULL;
	json_object *out = ddb_value_from_plain(v, &msg);

	if (out == NULL)
		snprintf(result, sizeof(result), "ERR %s", msg ? msg : "(null)");
	else
		snprintf(result, sizeof(result), "%s", json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	free(msg);
	json_object_put(out);
	json_object_put(v);
	return result;
}

static void
test_plain(void)
{
	CHECK_STR(plain("{\"S\": \"x\"}"), "\"x\"");
	CHECK_STR(plain("{\"N\": \"42\"}"), "42");
	CHECK_STR(plain("{\"N\": \"-1.25\"}"), "-1.25");
	CHECK_STR(plain("{\"N\": \"12345678901234567890123456789\"}"), "12345678901234567890123456789");
	CHECK_STR(plain("{\"N\": \"0.000001\"}"), "0.000001");
	CHECK_STR(plain("{\"B\": \"AQ==\"}"), "\"AQ==\"");
	CHECK_STR(plain("{\"BOOL\": false}"), "false");
	CHECK_STR(plain("{\"NULL\": true}"), "null");
	CHECK_STR(plain("{\"M\": {\"a\": {\"L\": [{\"N\": \"1\"}, {\"S\": \"b\"}]}}}"), "{\"a\":[1,\"b\"]}");
	CHECK_STR(plain("{\"SS\": [\"a\", \"b\"]}"), "[\"a\",\"b\"]");
	CHECK_STR(plain("{\"NS\": [\"1\", \"2.5\"]}"), "[1,2.5]");
	CHECK_STR(plain("{\"BS\": [\"AA==\"]}"), "[\"AA==\"]");
	CHECK_STR(plain("{\"X\": 1}"), "FAIL");
	CHECK_STR(plain("{\"S\": 1}"), "FAIL");
	CHECK_STR(plain("{\"N\": \"x\"}"), "FAIL");

	CHECK_STR(typed("\"x\""), "{\"S\":\"x\"}");
	CHECK_STR(typed("42"), "{\"N\":\"42\"}");
	CHECK_STR(typed("-1.50"), "{\"N\":\"-1.5\"}");
	CHECK_STR(typed("1e3"), "{\"N\":\"1000\"}");
	CHECK_STR(typed("true"), "{\"BOOL\":true}");
	CHECK_STR(typed("null"), "{\"NULL\":true}");
	CHECK_STR(typed("{\"a\": [1, {\"b\": null}]}"), "{\"M\":{\"a\":{\"L\":[{\"N\":\"1\"},{\"M\":{\"b\":{\"NULL\":true}}}]}}}");
	CHECK_STR(typed("[]"), "{\"L\":[]}");
	CHECK_STR(typed("1e200"), "ERR Number overflow. Attempting to store a number with magnitude larger than supported range");
	CHECK_STR(typed("1.000000000000000000000000000000000000001"),
			  "ERR Attempting to store more than 38 significant digits in a Number");
}

UNIT_MAIN("test_ddb_value", {
	test_type_names();
	test_check_scalars();
	test_check_errors();
	test_check_documents_and_sets();
	test_nesting_limit();
	test_item_check();
	test_base64();
	test_equal();
	test_compare();
	test_size();
	test_contains_and_begins_with();
	test_item_size();
	test_plain();
})
