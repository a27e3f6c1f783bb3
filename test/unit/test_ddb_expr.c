/*
 * test_ddb_expr.c — ConditionExpression, UpdateExpression and
 * ProjectionExpression: every operator and function, placeholders, reserved
 * words, and each error with DynamoDB's message.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "core/ddb/ddb_expr.h"
#include "unit.h"

/* An item with every type, and the placeholders the tests use. */
#define ITEM \
	"{\"Id\": {\"S\": \"1234567\"}, \"status\": {\"S\": \"paid\"}, \"n\": {\"N\": \"5\"}, \"price\": {\"N\": \"10.5\"}," \
	" \"b\": {\"B\": \"AQID\"}, \"flag\": {\"BOOL\": true}, \"nil\": {\"NULL\": true}," \
	" \"tags\": {\"SS\": [\"a\", \"b\"]}, \"nums\": {\"NS\": [\"1\", \"2\"]}, \"bins\": {\"BS\": [\"AA==\"]}," \
	" \"arr\": {\"L\": [{\"S\": \"x\"}, {\"N\": \"1\"}, {\"M\": {\"k\": {\"S\": \"v\"}}}]}," \
	" \"doc\": {\"M\": {\"inr\": {\"M\": {\"deep\": {\"N\": \"7\"}}}, \"s\": {\"S\": \"hello\"}}}," \
	" \"a.b\": {\"S\": \"dotted\"}}"

#define NAMES "{\"#s\": \"status\", \"#dot\": \"a.b\", \"#m\": \"doc\", \"#missing\": \"nope\", \"#n\": \"n\"}"

#define VALUES \
	"{\":paid\": {\"S\": \"paid\"}, \":five\": {\"N\": \"5\"}, \":four\": {\"N\": \"4\"}, \":ten\": {\"N\": \"10\"}," \
	" \":one\": {\"N\": \"1\"}, \":big\": {\"N\": \"9.9999999999999999999999999999999999999E+125\"}," \
	" \":h\": {\"S\": \"h\"}, \":hel\": {\"S\": \"hel\"}, \":x\": {\"S\": \"x\"}, \":a\": {\"S\": \"a\"}, \":z\": {\"S\": \"z\"}," \
	" \":bin\": {\"B\": \"AQ==\"}, \":bin2\": {\"B\": \"AQID\"}, \":t\": {\"BOOL\": true}, \":null\": {\"NULL\": true}," \
	" \":S\": {\"S\": \"S\"}, \":N\": {\"S\": \"N\"}, \":B\": {\"S\": \"B\"}, \":BOOL\": {\"S\": \"BOOL\"}, \":NULL\": {\"S\": \"NULL\"}," \
	" \":SS\": {\"S\": \"SS\"}, \":NS\": {\"S\": \"NS\"}, \":BS\": {\"S\": \"BS\"}, \":L\": {\"S\": \"L\"}, \":M\": {\"S\": \"M\"}," \
	" \":bogus\": {\"S\": \"XX\"}, \":setc\": {\"SS\": [\"c\"]}, \":seta\": {\"SS\": [\"a\", \"c\"]}, \":nset\": {\"NS\": [\"2\", \"3\"]}," \
	" \":bset\": {\"BS\": [\"AQ==\"]}, \":list\": {\"L\": [{\"S\": \"y\"}]}, \":map\": {\"M\": {\"k\": {\"S\": \"v\"}}}," \
	" \":ms\": {\"M\": {\"k\": {\"S\": \"v\"}}}, \":listx\": {\"L\": [{\"S\": \"x\"}]}, \":empty\": {\"L\": []}}"

static char result[8192];
static json_object *names_obj;
static json_object *values_obj;
static json_object *item_obj;

static void
setup(void)
{
	names_obj = json_tokener_parse(NAMES);
	values_obj = json_tokener_parse(VALUES);
	item_obj = json_tokener_parse(ITEM);
	if (names_obj == NULL || values_obj == NULL || item_obj == NULL)
	{
		fprintf(stderr, "bad test JSON\n");
		exit(2);
	}
}

static void
teardown(void)
{
	json_object_put(names_obj);
	json_object_put(values_obj);
	json_object_put(item_obj);
}

static const char *
error_result(char *msg)
{
	snprintf(result, sizeof(result), "ERR %s", msg ? msg : "(null message)");
	free(msg);
	return result;
}

/* The condition against item (NULL: no item): "true", "false" or "ERR <message>". */
static const char *
cond_on(const char *text, json_object *item)
{
	ddb_placeholders ph;
	char	   *msg = NULL;
	ddb_condition *c;

	ddb_placeholders_init(&ph, names_obj, values_obj);
	c = ddb_condition_parse(text, &ph, &msg);
	ddb_placeholders_release(&ph);
	if (c == NULL)
		return error_result(msg);
	snprintf(result, sizeof(result), "%s", msg ? "MESSAGE ON SUCCESS" : ddb_condition_eval(c, item) ? "true" : "false");
	free(msg);
	ddb_condition_free(c);
	return result;
}

#define COND(text, expected) CHECK_STR(cond_on(text, item_obj), expected)
#define COND_NO_ITEM(text, expected) CHECK_STR(cond_on(text, NULL), expected)
#define PREFIX_C "ERR Invalid ConditionExpression: "
#define PREFIX_U "ERR Invalid UpdateExpression: "
#define PREFIX_P "ERR Invalid ProjectionExpression: "

static void
test_comparisons(void)
{
	COND("#s = :paid", "true");
	COND("status = :paid", PREFIX_C "Attribute name is a reserved keyword; reserved keyword: status");
	COND("n = :five", "true");
	COND("n = :four", "false");
	COND("n <> :four", "true");
	COND("n <> :five", "false");
	COND("n < :ten", "true");
	COND("n <= :five", "true");
	COND("n > :four", "true");
	COND("n >= :ten", "false");
	COND("price > :ten", "true");
	COND("Id > :a", "false");	/* "1234567" < "a" */
	COND("Id < :a", "true");
	COND("b > :bin", "true");
	COND("b >= :bin2", "true");
	COND("b < :bin2", "false");
	/* different types: never equal, never ordered */
	COND("n = :paid", "false");
	COND("n <> :paid", "true");
	COND("n < :paid", "false");
	COND("n >= :paid", "false");
	/* missing attributes */
	COND("nope = :five", "false");
	COND("nope <> :five", "true");
	COND("nope < :five", "false");
	/* documents and sets compare for equality */
	COND("doc.s = :h", "false");
	COND("arr[2] = :ms", "true");
	COND("tags = :seta", "false");
	COND("flag = :t", "true");
	COND("nil = :null", "true");
	/* two paths, a value on the left */
	COND("n = price", "false");
	COND(":five = n", "true");
	COND(":ten > n", "true");
}

static void
test_between_and_in(void)
{
	COND("n BETWEEN :four AND :ten", "true");
	COND("n BETWEEN :five AND :five", "true");
	COND("n between :one AND :four", "false");
	COND("#s BETWEEN :a AND :z", "true");
	COND("nope BETWEEN :one AND :ten", "false");
	COND("#s BETWEEN :one AND :ten", "false");
	COND("n IN (:one, :four, :five)", "true");
	COND("n in (:one, :four)", "false");
	COND("#s IN (:paid)", "true");
	COND("nope IN (:paid, :one)", "false");
	COND("arr[0] IN (:x, :a)", "true");
}

static void
test_functions(void)
{
	COND("attribute_exists(Id)", "true");
	COND("attribute_exists(nope)", "false");
	COND("attribute_not_exists(nope)", "true");
	COND("attribute_not_exists(Id)", "false");
	COND("attribute_exists(doc.inr.deep)", "true");
	COND("attribute_exists(doc.inr.shallow)", "false");
	COND("attribute_exists(arr[2].k)", "true");
	COND("attribute_exists(arr[3])", "false");
	COND("attribute_exists(doc[0])", "false");
	COND("attribute_exists(arr.k)", "false");
	COND("attribute_exists(#dot)", "true");
	COND("attribute_exists(a.b)", "false");
	COND("attribute_type(Id, :S)", "true");
	COND("attribute_type(n, :N)", "true");
	COND("attribute_type(b, :B)", "true");
	COND("attribute_type(flag, :BOOL)", "true");
	COND("attribute_type(nil, :NULL)", "true");
	COND("attribute_type(tags, :SS)", "true");
	COND("attribute_type(nums, :NS)", "true");
	COND("attribute_type(bins, :BS)", "true");
	COND("attribute_type(arr, :L)", "true");
	COND("attribute_type(doc, :M)", "true");
	COND("attribute_type(n, :S)", "false");
	COND("attribute_type(nope, :S)", "false");
	COND("begins_with(doc.s, :hel)", "true");
	COND("begins_with(doc.s, :x)", "false");
	COND("begins_with(b, :bin)", "true");
	COND("begins_with(nope, :h)", "false");
	COND("begins_with(n, :h)", "false");
	COND("contains(doc.s, :hel)", "true");
	COND("contains(tags, :a)", "true");
	COND("contains(tags, :z)", "false");
	COND("contains(nums, :one)", "true");
	COND("contains(arr, :x)", "true");
	COND("contains(arr, :ms)", "true");
	COND("contains(nope, :x)", "false");
	COND("contains(b, :bin)", "true");
	COND("size(doc.s) = :five", "true");
	COND("size(tags) < :five", "true");
	COND("size(arr) BETWEEN :one AND :four", "true");
	COND("size(doc) > :one", "true");
	COND("size(b) = :four", "false");
	COND("size(n) = :one", "false");
	COND("size(nope) <> :one", "true");
	COND("size(nope) = :one", "false");
	COND(":five = size(doc.s)", "true");
}

static void
test_logic(void)
{
	COND("attribute_exists(Id) AND n = :five", "true");
	COND("attribute_exists(Id) and n = :four", "false");
	COND("n = :four OR n = :five", "true");
	COND("n = :four or n = :one", "false");
	COND("NOT n = :four", "true");
	COND("not attribute_exists(Id)", "false");
	COND("NOT NOT attribute_exists(Id)", "true");
	/* NOT binds tighter than AND, AND tighter than OR */
	COND("n = :five OR n = :four AND n = :one", "true");
	COND("(n = :five OR n = :four) AND n = :one", "false");
	COND("NOT n = :five AND n = :four", "false");
	COND("NOT (n = :five AND n = :four)", "true");
	COND("((n = :five))", PREFIX_C "The expression has redundant parentheses;");
	COND("(n) = :five", "true");
	COND("(size(arr)) = :four", "false");
	COND("(n = :five) AND (attribute_exists(Id))", "true");
}

static void
test_no_item(void)
{
	COND_NO_ITEM("attribute_not_exists(Id)", "true");
	COND_NO_ITEM("attribute_exists(Id)", "false");
	COND_NO_ITEM("Id = :paid", "false");
	COND_NO_ITEM("Id <> :paid", "true");
	COND_NO_ITEM("NOT contains(tags, :a)", "true");
	COND_NO_ITEM("size(Id) < :one", "false");
}

static void
test_condition_errors(void)
{
	COND("", PREFIX_C "The expression can not be empty;");
	COND("n = ", PREFIX_C "Syntax error; token: \"<EOF>\", near: \"=\"");
	COND("n = = :five", PREFIX_C "Syntax error; token: \"=\", near: \"= = :five\"");
	COND("n == :five", PREFIX_C "Syntax error; token: \"=\", near: \"== :five\"");
	COND("n ! :five", PREFIX_C "Syntax error; token: \"!\", near: \"n ! :five\"");
	COND("n = :five AND", PREFIX_C "Syntax error; token: \"<EOF>\", near: \"AND\"");
	COND("n = :five :four", PREFIX_C "Syntax error; token: \":four\", near: \":five :four\"");
	COND("(n = :five", PREFIX_C "Syntax error; token: \"<EOF>\", near: \":five\"");
	COND("n BETWEEN :one OR :ten", PREFIX_C "Syntax error; token: \"OR\", near: \":one OR :ten\"");
	COND("n IN :one", PREFIX_C "Syntax error; token: \":one\", near: \"IN :one\"");
	COND("n", PREFIX_C "Syntax error; token: \"<EOF>\", near: \"n\"");
	COND("AND = :one", PREFIX_C "Syntax error; token: \"AND\", near: \"AND =\"");
	COND("arr[x] = :one", PREFIX_C "Syntax error; token: \"x\", near: \"[x]\"");
	COND("n = :nope", PREFIX_C "An expression attribute value used in expression is not defined; attribute value: :nope");
	COND("#nope = :one", PREFIX_C "An expression attribute name used in the document path is not defined; attribute name: #nope");
	COND("foo(n)", PREFIX_C "Invalid function name; function: foo");
	COND("size(n)", PREFIX_C "The function is not allowed to be used this way in an expression; function: size");
	COND("attribute_exists(n) = :one", PREFIX_C
		 "The function is not allowed to be used this way in an expression; function: attribute_exists");
	COND("attribute_exists(n, Id)", PREFIX_C
		 "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2");
	COND("begins_with(n)", PREFIX_C
		 "Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1");
	COND("attribute_exists(:one)", PREFIX_C
		 "Operator or function requires a document path; operator or function: attribute_exists");
	COND("attribute_type(n, :one)", PREFIX_C
		 "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N");
	COND("attribute_type(n, :bogus)", PREFIX_C
		 "Invalid attribute type name found; type: XX, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
	COND("begins_with(n, :one)", PREFIX_C
		 "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N");
	COND("size(:one) = :one", PREFIX_C
		 "Incorrect operand type for operator or function; operator or function: size, operand type: N");
	COND("n < :t", PREFIX_C "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL");
	COND("n = n", PREFIX_C
		 "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [n]");
	COND("contains(tags, tags)", PREFIX_C
		 "The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [tags]");
	COND("n IN (:one, n)", PREFIX_C
		 "The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [n]");
	COND("n BETWEEN :ten AND :one", PREFIX_C
		 "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}");
	COND("n BETWEEN :one AND :z", PREFIX_C
		 "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:z}");
	/* a syntax error is named before anything else */
	COND("name = :nope AND", PREFIX_C "Syntax error; token: \"<EOF>\", near: \"AND\"");
	/* then by priority: a reserved word before an undefined value */
	COND("name = :nope", PREFIX_C "Attribute name is a reserved keyword; reserved keyword: name");
}

static void
test_condition_limits(void)
{
	char		text[8192];
	size_t		i;

	/* IN takes up to 100 operands */
	strcpy(text, "n IN (:one");
	for (i = 1; i < 100; i++)
		strcat(text, ", :one");
	strcat(text, ")");
	COND(text, "false");
	text[strlen(text) - 1] = '\0';
	strcat(text, ", :five)");
	COND(text, PREFIX_C "The IN operator is provided with too many operands; number of operands: 101");
	/* 4 KB at most */
	memset(text, ' ', 4096);
	memcpy(text, "n = :five", 9);
	text[4096] = '\0';
	COND(text, "true");
	text[4096] = ' ';
	text[4097] = '\0';
	COND(text, PREFIX_C "Expression size has exceeded the maximum allowed size");
	/* deep nesting stops the parse, not the stack */
	text[0] = '\0';
	for (i = 0; i < 200; i++)
		strcat(text, "NOT ");
	strcat(text, "n = :five");
	COND(text, PREFIX_C "The expression is nested too deeply; maximum nesting: 128");
	text[0] = '\0';
	for (i = 0; i < 64; i++)
		strcat(text, "NOT ");
	strcat(text, "n = :five");
	COND(text, "true");
	/* 32 path elements, not 33 */
	strcpy(text, "attribute_exists(a");
	for (i = 1; i < 32; i++)
		strcat(text, ".a");
	strcat(text, ")");
	COND(text, "false");
	text[strlen(text) - 1] = '\0';
	strcat(text, ".a)");
	COND(text, PREFIX_C "The document path has too many nesting levels; nesting levels: 33, maximum: 32");
}

/* ---- UpdateExpression ---- */

/* Applies the update to a copy of base (JSON): the new item, or "ERR <message>". */
static const char *
update_on(const char *text, const char *base)
{
	ddb_placeholders ph;
	char	   *msg = NULL;
	ddb_update *u;
	json_object *item;

	ddb_placeholders_init(&ph, names_obj, values_obj);
	u = ddb_update_parse(text, &ph, &msg);
	ddb_placeholders_release(&ph);
	if (u == NULL)
		return error_result(msg);
	item = json_tokener_parse(base);
	if (!ddb_update_apply(u, item, &msg))
		error_result(msg);
	else
		snprintf(result, sizeof(result), "%s", json_object_to_json_string_ext(item, JSON_C_TO_STRING_PLAIN));
	json_object_put(item);
	ddb_update_free(u);
	return result;
}

#define UPDATE(text, base, expected) CHECK_STR(update_on(text, base), expected)

static void
test_update_set(void)
{
	UPDATE("SET #s = :paid", "{}", "{\"status\":{\"S\":\"paid\"}}");
	UPDATE("SET a = :one, b = :x", "{\"a\":{\"N\":\"9\"}}", "{\"a\":{\"N\":\"1\"},\"b\":{\"S\":\"x\"}}");
	UPDATE("set a = :one", "{}", "{\"a\":{\"N\":\"1\"}}");
	UPDATE("SET #dot = :x", "{}", "{\"a.b\":{\"S\":\"x\"}}");
	UPDATE("SET m.k = :x", "{\"m\":{\"M\":{}}}", "{\"m\":{\"M\":{\"k\":{\"S\":\"x\"}}}}");
	UPDATE("SET m.k.j = :x", "{\"m\":{\"M\":{}}}", "ERR The document path provided in the update expression is invalid for update");
	UPDATE("SET m.k = :x", "{}", "ERR The document path provided in the update expression is invalid for update");
	UPDATE("SET m[0] = :x", "{\"m\":{\"M\":{}}}", "ERR The document path provided in the update expression is invalid for update");
	/* arr elements: replaced, or appended past the end, in index order */
	UPDATE("SET l[0] = :x", "{\"l\":{\"L\":[{\"N\":\"1\"},{\"N\":\"2\"}]}}", "{\"l\":{\"L\":[{\"S\":\"x\"},{\"N\":\"2\"}]}}");
	UPDATE("SET l[9] = :x, l[5] = :one", "{\"l\":{\"L\":[{\"N\":\"0\"}]}}",
		   "{\"l\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"},{\"S\":\"x\"}]}}");
	UPDATE("SET l[1].k = :x", "{\"l\":{\"L\":[{\"N\":\"0\"},{\"M\":{}}]}}", "{\"l\":{\"L\":[{\"N\":\"0\"},{\"M\":{\"k\":{\"S\":\"x\"}}}]}}");
	/* arithmetic */
	UPDATE("SET n = n + :one", "{\"n\":{\"N\":\"5\"}}", "{\"n\":{\"N\":\"6\"}}");
	UPDATE("SET n = n - :ten", "{\"n\":{\"N\":\"5\"}}", "{\"n\":{\"N\":\"-5\"}}");
	UPDATE("SET n = :ten - n", "{\"n\":{\"N\":\"0.5\"}}", "{\"n\":{\"N\":\"9.5\"}}");
	UPDATE("SET n = :one+:one", "{}", "{\"n\":{\"N\":\"2\"}}");
	UPDATE("SET n = n + :one", "{}", "ERR The provided expression refers to an attribute that does not exist in the item");
	UPDATE("SET n = s + :one", "{\"s\":{\"S\":\"x\"}}", "ERR An operand in the update expression has an incorrect data type");
	UPDATE("SET n = n + :big", "{\"n\":{\"N\":\"1E125\"}}",
		   "ERR Number overflow. Attempting to store a number with magnitude larger than supported range");
	/* if_not_exists and list_append */
	UPDATE("SET n = if_not_exists(n, :one)", "{}", "{\"n\":{\"N\":\"1\"}}");
	UPDATE("SET n = if_not_exists(n, :one)", "{\"n\":{\"N\":\"7\"}}", "{\"n\":{\"N\":\"7\"}}");
	UPDATE("SET n = if_not_exists(n, :one) + :one", "{}", "{\"n\":{\"N\":\"2\"}}");
	UPDATE("SET c = if_not_exists(n, m)", "{\"m\":{\"S\":\"x\"}}", "{\"m\":{\"S\":\"x\"},\"c\":{\"S\":\"x\"}}");
	UPDATE("SET l = list_append(l, :list)", "{\"l\":{\"L\":[{\"S\":\"x\"}]}}", "{\"l\":{\"L\":[{\"S\":\"x\"},{\"S\":\"y\"}]}}");
	UPDATE("SET l = list_append(:list, l)", "{\"l\":{\"L\":[{\"S\":\"x\"}]}}", "{\"l\":{\"L\":[{\"S\":\"y\"},{\"S\":\"x\"}]}}");
	UPDATE("SET l = list_append(if_not_exists(l, :empty), :list)", "{}", "{\"l\":{\"L\":[{\"S\":\"y\"}]}}");
	UPDATE("SET l = list_append(l, :list)", "{}", "ERR The provided expression refers to an attribute that does not exist in the item");
	UPDATE("SET l = list_append(l, :list)", "{\"l\":{\"S\":\"x\"}}", "ERR An operand in the update expression has an incorrect data type");
	/* copying paths; every right-hand side reads the item before the update */
	UPDATE("SET a = b, b = a", "{\"a\":{\"N\":\"1\"},\"b\":{\"N\":\"2\"}}", "{\"a\":{\"N\":\"2\"},\"b\":{\"N\":\"1\"}}");
	UPDATE("SET c = (m.k)", "{\"m\":{\"M\":{\"k\":{\"S\":\"v\"}}}}", "{\"m\":{\"M\":{\"k\":{\"S\":\"v\"}}},\"c\":{\"S\":\"v\"}}");
	UPDATE("SET c = m", "{}", "ERR The provided expression refers to an attribute that does not exist in the item");
}

static void
test_update_remove_add_delete(void)
{
	UPDATE("REMOVE a", "{\"a\":{\"N\":\"1\"},\"b\":{\"N\":\"2\"}}", "{\"b\":{\"N\":\"2\"}}");
	UPDATE("REMOVE nope", "{\"b\":{\"N\":\"2\"}}", "{\"b\":{\"N\":\"2\"}}");
	UPDATE("REMOVE m.k", "{\"m\":{\"M\":{\"k\":{\"S\":\"v\"},\"j\":{\"S\":\"w\"}}}}", "{\"m\":{\"M\":{\"j\":{\"S\":\"w\"}}}}");
	UPDATE("REMOVE m.k", "{}", "ERR The document path provided in the update expression is invalid for update");
	/* arr indexes are the original positions */
	UPDATE("REMOVE l[0], l[2]", "{\"l\":{\"L\":[{\"N\":\"0\"},{\"N\":\"1\"},{\"N\":\"2\"},{\"N\":\"3\"}]}}",
		   "{\"l\":{\"L\":[{\"N\":\"1\"},{\"N\":\"3\"}]}}");
	UPDATE("REMOVE l[7]", "{\"l\":{\"L\":[{\"N\":\"0\"}]}}", "{\"l\":{\"L\":[{\"N\":\"0\"}]}}");
	UPDATE("ADD n :one", "{\"n\":{\"N\":\"5\"}}", "{\"n\":{\"N\":\"6\"}}");
	UPDATE("ADD n :one", "{}", "{\"n\":{\"N\":\"1\"}}");
	UPDATE("ADD n :one", "{\"n\":{\"S\":\"x\"}}", "ERR An operand in the update expression has an incorrect data type");
	UPDATE("ADD n :big", "{\"n\":{\"N\":\"1E125\"}}",
		   "ERR Number overflow. Attempting to store a number with magnitude larger than supported range");
	UPDATE("ADD s :seta", "{\"s\":{\"SS\":[\"a\",\"b\"]}}", "{\"s\":{\"SS\":[\"a\",\"b\",\"c\"]}}");
	UPDATE("ADD s :seta", "{}", "{\"s\":{\"SS\":[\"a\",\"c\"]}}");
	UPDATE("ADD s :nset", "{\"s\":{\"NS\":[\"1\",\"2\"]}}", "{\"s\":{\"NS\":[\"1\",\"2\",\"3\"]}}");
	UPDATE("ADD s :bset", "{\"s\":{\"BS\":[\"AA==\"]}}", "{\"s\":{\"BS\":[\"AA==\",\"AQ==\"]}}");
	UPDATE("ADD s :nset", "{\"s\":{\"SS\":[\"a\"]}}", "ERR An operand in the update expression has an incorrect data type");
	UPDATE("ADD m.c :one", "{\"m\":{\"M\":{\"c\":{\"N\":\"1\"}}}}", "{\"m\":{\"M\":{\"c\":{\"N\":\"2\"}}}}");
	UPDATE("DELETE s :seta", "{\"s\":{\"SS\":[\"a\",\"b\"]}}", "{\"s\":{\"SS\":[\"b\"]}}");
	UPDATE("DELETE s :seta", "{\"s\":{\"SS\":[\"a\",\"c\"]}}", "{}");
	UPDATE("DELETE s :seta", "{}", "{}");
	UPDATE("DELETE s :nset", "{\"s\":{\"NS\":[\"1\",\"2\"]}}", "{\"s\":{\"NS\":[\"1\"]}}");
	UPDATE("DELETE s :bset", "{\"s\":{\"BS\":[\"AA==\",\"AQ==\"]}}", "{\"s\":{\"BS\":[\"AA==\"]}}");
	UPDATE("DELETE s :seta", "{\"s\":{\"NS\":[\"1\"]}}", "ERR An operand in the update expression has an incorrect data type");
	/* clauses in any order, each applied to the item as the SETs left it */
	UPDATE("REMOVE a ADD n :one SET b = a DELETE s :seta",
		   "{\"a\":{\"S\":\"x\"},\"n\":{\"N\":\"1\"},\"s\":{\"SS\":[\"a\",\"z\"]}}",
		   "{\"n\":{\"N\":\"2\"},\"s\":{\"SS\":[\"z\"]},\"b\":{\"S\":\"x\"}}");
}

static void
test_update_errors(void)
{
	UPDATE("", "{}", PREFIX_U "The expression can not be empty;");
	UPDATE("SET", "{}", PREFIX_U "Syntax error; token: \"<EOF>\", near: \"SET\"");
	UPDATE("SET a = :one,", "{}", PREFIX_U "Syntax error; token: \"<EOF>\", near: \",\"");
	UPDATE("ADD hits : incr", "{}", PREFIX_U "Syntax error; token: \":\", near: \"hits : incr\"");
	UPDATE("INVALID SYNTAX HERE", "{}", PREFIX_U "Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
	UPDATE("SET a :one", "{}", PREFIX_U "Syntax error; token: \":one\", near: \"a :one\"");
	UPDATE("REMOVE a = :one", "{}", PREFIX_U "Syntax error; token: \"=\", near: \"a = :one\"");
	UPDATE("ADD a b", "{}", PREFIX_U "Syntax error; token: \"b\", near: \"a b\"");
	UPDATE("SET a = :one + :one + :one", "{}", PREFIX_U "Syntax error; token: \"+\", near: \":one + :one\"");
	UPDATE("SET a = :one SET b = :one", "{}", PREFIX_U "The \"SET\" section can only be used once in an update expression;");
	UPDATE("SET a = :one, a = :x", "{}", PREFIX_U
		   "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]");
	UPDATE("SET m.k = :one REMOVE m", "{}", PREFIX_U
		   "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [m, k], path two: [m]");
	UPDATE("SET l[0] = :one REMOVE l.k", "{}", PREFIX_U
		   "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, [0]], path two: [l, k]");
	UPDATE("SET a = :one, b = :nope", "{}", PREFIX_U
		   "An expression attribute value used in expression is not defined; attribute value: :nope");
	UPDATE("SET #nope = :one", "{}", PREFIX_U
		   "An expression attribute name used in the document path is not defined; attribute name: #nope");
	UPDATE("SET name = :one", "{}", PREFIX_U "Attribute name is a reserved keyword; reserved keyword: name");
	UPDATE("SET a = foo(b)", "{}", PREFIX_U "Invalid function name; function: foo");
	UPDATE("SET a = size(b)", "{}", PREFIX_U "Invalid function name; function: size");
	UPDATE("SET a = if_not_exists(b)", "{}", PREFIX_U
		   "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1");
	UPDATE("SET a = if_not_exists(:one, b)", "{}", PREFIX_U
		   "Operator or function requires a document path; operator or function: if_not_exists");
	UPDATE("SET a = list_append(a, :one)", "{}", PREFIX_U
		   "Incorrect operand type for operator or function; operator or function: list_append, operand type: N");
	UPDATE("SET a = a + :x", "{}", PREFIX_U
		   "Incorrect operand type for operator or function; operator or function: +, operand type: S");
	UPDATE("SET a = :list - a", "{}", PREFIX_U
		   "Incorrect operand type for operator or function; operator or function: -, operand type: L");
	UPDATE("ADD a :x", "{}", PREFIX_U "Incorrect operand type for operator or function; operator: ADD, operand type: STRING");
	UPDATE("ADD a :list", "{}", PREFIX_U "Incorrect operand type for operator or function; operator: ADD, operand type: LIST");
	UPDATE("DELETE a :one", "{}", PREFIX_U "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER");
	UPDATE("DELETE a :map", "{}", PREFIX_U "Incorrect operand type for operator or function; operator: DELETE, operand type: MAP");
}

static void
test_update_paths(void)
{
	ddb_placeholders ph;
	char	   *msg = NULL;
	ddb_update *u;
	char	   *shown;

	ddb_placeholders_init(&ph, names_obj, values_obj);
	u = ddb_update_parse("SET #m.inr = :one, l[3] = :x REMOVE #s ADD c :one DELETE d :seta", &ph, &msg);
	ddb_placeholders_release(&ph);
	CHECK(u != NULL && msg == NULL);
	if (u == NULL)
	{
		free(msg);
		return;
	}
	CHECK_INT(ddb_update_path_count(u), 5);
	shown = ddb_path_render(ddb_update_path(u, 0));
	CHECK_STR(shown, "[doc, inr]");
	free(shown);
	shown = ddb_path_render(ddb_update_path(u, 1));
	CHECK_STR(shown, "[l, [3]]");
	free(shown);
	CHECK_STR(ddb_update_path(u, 2)->elems[0].name, "status");
	CHECK_STR(ddb_update_path(u, 4)->elems[0].name, "d");
	ddb_update_free(u);
}

/* ---- ProjectionExpression ---- */

static const char *
project_on(const char *text, json_object *item)
{
	ddb_placeholders ph;
	char	   *msg = NULL;
	ddb_projection *p;
	json_object *out;

	ddb_placeholders_init(&ph, names_obj, NULL);
	p = ddb_projection_parse(text, &ph, &msg);
	ddb_placeholders_release(&ph);
	if (p == NULL)
		return error_result(msg);
	out = ddb_projection_apply(p, item);
	snprintf(result, sizeof(result), "%s", out ? json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN) : "NULL");
	json_object_put(out);
	ddb_projection_free(p);
	return result;
}

#define PROJECT(text, expected) CHECK_STR(project_on(text, item_obj), expected)

static void
test_projection(void)
{
	PROJECT("Id", "{\"Id\":{\"S\":\"1234567\"}}");
	PROJECT("Id, #s, nope", "{\"Id\":{\"S\":\"1234567\"},\"status\":{\"S\":\"paid\"}}");
	PROJECT("#m.inr.deep, #m.s", "{\"doc\":{\"M\":{\"inr\":{\"M\":{\"deep\":{\"N\":\"7\"}}},\"s\":{\"S\":\"hello\"}}}}");
	/* arr elements compacted, in index order */
	PROJECT("arr[2].k, arr[0], arr[9]", "{\"arr\":{\"L\":[{\"S\":\"x\"},{\"M\":{\"k\":{\"S\":\"v\"}}}]}}");
	PROJECT("#dot", "{\"a.b\":{\"S\":\"dotted\"}}");
	PROJECT("nope, doc.nope", "{}");
	CHECK_STR(project_on("Id", NULL), "{}");
	PROJECT("", PREFIX_P "The expression can not be empty;");
	PROJECT("Id,", PREFIX_P "Syntax error; token: \"<EOF>\", near: \",\"");
	PROJECT("Id #s", PREFIX_P "Syntax error; token: \"#s\", near: \"Id #s\"");
	PROJECT("Id, status", PREFIX_P "Attribute name is a reserved keyword; reserved keyword: status");
	PROJECT("#nope", PREFIX_P "An expression attribute name used in the document path is not defined; attribute name: #nope");
	PROJECT("doc, doc.s", PREFIX_P
			"Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [doc], path two: [doc, s]");
	PROJECT("arr[0], arr.k", PREFIX_P
			"Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [arr, [0]], path two: [arr, k]");
	PROJECT("arr[0], arr[0]", PREFIX_P
			"Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [arr, [0]], path two: [arr, [0]]");
	PROJECT("Id, :x", PREFIX_P "Syntax error; token: \":x\", near: \", :x\"");
}

static void
test_path_get(void)
{
	ddb_path_elem elems[3];
	ddb_path	path;

	elems[0].is_index = false;
	elems[0].name = (char *) "arr";
	elems[1].is_index = true;
	elems[1].index = 2;
	elems[1].name = NULL;
	elems[2].is_index = false;
	elems[2].name = (char *) "k";
	path.elems = elems;
	path.count = 3;
	CHECK_JSON(ddb_path_get(&path, item_obj), "{\"S\": \"v\"}");
	CHECK(ddb_path_get(&path, NULL) == NULL);
	elems[1].index = 1;
	CHECK(ddb_path_get(&path, item_obj) == NULL);
	path.count = 2;
	CHECK_JSON(ddb_path_get(&path, item_obj), "{\"N\": \"1\"}");
}

/* ---- placeholders and reserved words ---- */

static const char *
unused_after(const char *condition, const char *names, const char *values)
{
	json_object *n = names ? json_tokener_parse(names) : NULL;
	json_object *v = values ? json_tokener_parse(values) : NULL;
	ddb_placeholders ph;
	char	   *msg = NULL;
	ddb_condition *c;

	ddb_placeholders_init(&ph, n, v);
	c = ddb_condition_parse(condition, &ph, &msg);
	if (c == NULL)
		error_result(msg);
	else
	{
		msg = ddb_placeholders_unused(&ph);
		snprintf(result, sizeof(result), "%s", msg ? msg : "ALL USED");
		free(msg);
	}
	ddb_condition_free(c);
	ddb_placeholders_release(&ph);
	json_object_put(n);
	json_object_put(v);
	return result;
}

static void
test_placeholders(void)
{
	CHECK_STR(unused_after("#a = :x", "{\"#a\": \"a\"}", "{\":x\": {\"S\": \"1\"}}"), "ALL USED");
	CHECK_STR(unused_after("a = :x", NULL, "{\":x\": {\"S\": \"1\"}, \":y\": {\"S\": \"2\"}}"),
			  "Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}");
	CHECK_STR(unused_after("a = :x", "{\"#a\": \"a\", \"#b\": \"b\"}", "{\":x\": {\"S\": \"1\"}, \":y\": {\"S\": \"2\"}}"),
			  "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}");
	CHECK_STR(unused_after("attribute_exists(a)", NULL, "{\":x\": {\"S\": \"1\"}, \":y\": {\"S\": \"2\"}}"),
			  "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x, :y}");
	/* an undefined placeholder counts as used for this message */
	CHECK_STR(unused_after("attribute_exists(#a)", NULL, NULL),
			  PREFIX_C "An expression attribute name used in the document path is not defined; attribute name: #a");
}

static void
test_reserved_words(void)
{
	CHECK(ddb_is_reserved_word("status"));
	CHECK(ddb_is_reserved_word("STATUS"));
	CHECK(ddb_is_reserved_word("Name"));
	CHECK(ddb_is_reserved_word("ABORT"));
	CHECK(ddb_is_reserved_word("ZONE"));
	CHECK(ddb_is_reserved_word("timestamp"));
	CHECK(ddb_is_reserved_word("CHARACTER"));
	CHECK(!ddb_is_reserved_word("Id"));
	CHECK(!ddb_is_reserved_word("bookedStatus"));
	CHECK(!ddb_is_reserved_word("apartmentStatus"));
	CHECK(!ddb_is_reserved_word(""));
	CHECK(!ddb_is_reserved_word("averyveryveryveryverylongattributename"));
}

UNIT_MAIN("test_ddb_expr", {
	setup();
	test_comparisons();
	test_between_and_in();
	test_functions();
	test_logic();
	test_no_item();
	test_condition_errors();
	test_condition_limits();
	test_update_set();
	test_update_remove_add_delete();
	test_update_errors();
	test_update_paths();
	test_projection();
	test_path_get();
	test_placeholders();
	test_reserved_words();
	teardown();
})
