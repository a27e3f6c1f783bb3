/*
 * test_ddb_request.c — GetItem, PutItem, UpdateItem and DeleteItem as the
 * host runs them: the article's apartment booking requests, every
 * ReturnValues mode, and every refusal with DynamoDB's message.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "core/ddb/ddb_request.h"
#include "unit.h"

static char result[16384];

static const char *const id_key[] = {"Id"};
static const char *const two_keys[] = {"pk", "sk"};

static const char *
write_name(ddb_write_kind w)
{
	return w == DDB_WRITE_PUT ? "PUT" : w == DDB_WRITE_DELETE ? "DELETE" : "NONE";
}

static const char *
text_of(json_object *v)
{
	return v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "NULL";
}

/*
 * Prepares params (JSON) for op against keys and runs it on current (JSON
 * or NULL): "<write> <new item> -> <response>", or "ERR <name>: <cause>".
 */
static const char *
run_with(ddb_operation op, const char *params, const char *const *keys, size_t n_keys, const char *current)
{
	json_object *p = json_tokener_parse(params);
	json_object *cur = current ? json_tokener_parse(current) : NULL;
	asl_error	err = {0};
	ddb_request *req;
	ddb_result	out;

	if (p == NULL || (current != NULL && cur == NULL))
	{
		json_object_put(p);
		json_object_put(cur);
		return "BAD TEST JSON";
	}
	req = ddb_request_prepare(op, p, keys, n_keys, &err);
	json_object_put(p);			/* the request keeps nothing of params */
	if (req == NULL)
		snprintf(result, sizeof(result), "ERR %s: %s", err.name ? err.name : "(null)", err.cause ? err.cause : "(null)");
	else if (ddb_request_execute(req, cur, &out, &err) != 0)
	{
		snprintf(result, sizeof(result), "ERR %s: %s", err.name ? err.name : "(null)", err.cause ? err.cause : "(null)");
		/* a failure leaves the result empty */
		if (out.write != DDB_WRITE_NONE || out.new_item != NULL || out.response != NULL)
			snprintf(result, sizeof(result), "FAILURE WITH A RESULT");
	}
	else
	{
		snprintf(result, sizeof(result), "%s %s -> %s", write_name(out.write), text_of(out.new_item), text_of(out.response));
		if (asl_error_is_set(&err))
			snprintf(result, sizeof(result), "SUCCESS WITH AN ERROR");
		ddb_result_release(&out);
	}
	asl_error_clear(&err);
	ddb_request_free(req);
	json_object_put(cur);
	return result;
}

#define RUN(op, params, current, expected) CHECK_STR(run_with(op, params, id_key, 1, current), expected)
#define VALIDATION "ERR DynamoDB.AmazonDynamoDBException: "

#define APARTMENT "{\"Id\": {\"S\": \"1234567\"}, \"status\": {\"S\": \"booked\"}, \"price\": {\"N\": \"120\"}}"

/* The article's first state machine: "Change Apartment Status". */
#define CHANGE_STATUS \
	"{\"TableName\": \"apartment_workshop_db\", \"Key\": {\"Id\": {\"S\": \"1234567\"}}," \
	" \"UpdateExpression\": \"SET #apartmentStatus = :status\"," \
	" \"ExpressionAttributeNames\": {\"#apartmentStatus\": \"status\"}," \
	" \"ExpressionAttributeValues\": {\":status\": {\"S\": \"paid\"}}," \
	" \"ConditionExpression\": \"attribute_exists(Id)\"}"

static void
test_operations(void)
{
	ddb_operation op = DDB_GET_ITEM;

	CHECK(ddb_operation_parse("updateItem", &op) && op == DDB_UPDATE_ITEM);
	CHECK(ddb_operation_parse("getItem", &op) && op == DDB_GET_ITEM);
	CHECK(ddb_operation_parse("putItem", &op) && op == DDB_PUT_ITEM);
	CHECK(ddb_operation_parse("deleteItem", &op) && op == DDB_DELETE_ITEM);
	CHECK(!ddb_operation_parse("UpdateItem", &op));
	CHECK(!ddb_operation_parse("query", &op));
	CHECK(!ddb_operation_parse(NULL, &op));
}

static const char *
table_of(const char *params)
{
	json_object *p = json_tokener_parse(params);
	asl_error	err = {0};
	const char *name = ddb_request_table_name(p, &err);

	if (name != NULL)
		snprintf(result, sizeof(result), "%s", name);
	else
		snprintf(result, sizeof(result), "ERR %s: %s", err.name, err.cause);
	asl_error_clear(&err);
	json_object_put(p);
	return result;
}

/* ddb_request_check_shape: "ok", or the error. */
static const char *
shape_of(ddb_operation op, const char *params)
{
	json_object *p = json_tokener_parse(params);
	asl_error	err = {0};

	if (ddb_request_check_shape(op, p, &err))
		snprintf(result, sizeof(result), "ok");
	else
		snprintf(result, sizeof(result), "ERR %s: %s", err.name, err.cause);
	asl_error_clear(&err);
	json_object_put(p);
	return result;
}

/* What DynamoDB refuses before it looks for the table (AWS-recorded test_invalid_param). */
static void
test_shape(void)
{
	CHECK_STR(shape_of(DDB_PUT_ITEM, "{\"TableName\": \"no_such\", \"Item\": null}"), VALIDATION
			  "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
	CHECK_STR(shape_of(DDB_GET_ITEM, "{\"TableName\": \"no_such\"}"), VALIDATION
			  "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
	CHECK_STR(shape_of(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"x\": {\"S\": \"1\"}}, \"Bogus\": 1}"),
			  VALIDATION "The field \"Bogus\" is not supported by Step Functions");
	CHECK_STR(shape_of(DDB_UPDATE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"x\": {\"S\": \"1\"}}, \"UpdateExpression\": \"SET = 1\"}"),
			  VALIDATION "Invalid UpdateExpression: Syntax error; token: \"=\", near: \"SET = 1\"");
	/* the key's contents are checked against the table, later */
	CHECK_STR(shape_of(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"anything\": {\"S\": \"1\"}}}"), "ok");
}

static void
test_table_name(void)
{
	char		params[2200];

	CHECK_STR(table_of("{\"TableName\": \"public.apartments\"}"), "public.apartments");
	CHECK_STR(table_of("{\"TableName\": \"Apartments\"}"), "Apartments");
	CHECK_STR(table_of("{\"TableName\": \"archive.v2-old_1\"}"), "archive.v2-old_1");
	/* DynamoDB's pattern [a-zA-Z0-9_.-]+ (AWS-recorded test_put_item_invalid_table_name) */
	CHECK_STR(table_of("{\"TableName\": \"a b\"}"), VALIDATION
			  "1 validation error detected: Value 'a b' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
	CHECK_STR(table_of("{\"TableName\": \"/invalid_test_table\"}"), VALIDATION
			  "1 validation error detected: Value '/invalid_test_table' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
	CHECK_STR(table_of("{}"), VALIDATION "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
	CHECK_STR(table_of("{\"TableName\": null}"), VALIDATION "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
	CHECK_STR(table_of("[]"), VALIDATION "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
	CHECK_STR(table_of("{\"TableName\": 5}"), VALIDATION "The parameter TableName must be a string");
	CHECK_STR(table_of("{\"TableName\": \"\"}"), VALIDATION
			  "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
	strcpy(params, "{\"TableName\": \"");
	memset(params + strlen(params), 't', 1024);
	strcpy(params + 15 + 1024, "\"}");
	CHECK_INT(strlen(table_of(params)), 1024);
	strcpy(params + 15 + 1024, "t\"}");
	CHECK(strncmp(table_of(params), VALIDATION "1 validation error detected: Value 'tttt", strlen(VALIDATION) + 40) == 0);
	CHECK(strstr(result, "' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 1024") != NULL);
}

static void
test_article_booking(void)
{
	json_object *p = json_tokener_parse(CHANGE_STATUS);
	asl_error	err = {0};
	ddb_request *req = ddb_request_prepare(DDB_UPDATE_ITEM, p, id_key, 1, &err);

	/* what the host reads before it runs the request */
	CHECK(req != NULL);
	if (req != NULL)
	{
		CHECK_JSON(ddb_request_key(req), "{\"Id\": {\"S\": \"1234567\"}}");
	}
	ddb_request_free(req);
	json_object_put(p);
	asl_error_clear(&err);

	/* the apartment exists: its status changes */
	RUN(DDB_UPDATE_ITEM, CHANGE_STATUS, APARTMENT,
		"PUT {\"Id\":{\"S\":\"1234567\"},\"status\":{\"S\":\"paid\"},\"price\":{\"N\":\"120\"}} -> {}");
	/* it does not: the condition fails and nothing is written (the article's Catch) */
	RUN(DDB_UPDATE_ITEM, CHANGE_STATUS, NULL,
		"ERR DynamoDB.ConditionalCheckFailedException: The conditional request failed");
	RUN(DDB_UPDATE_ITEM, CHANGE_STATUS, "{\"Id\": {\"S\": \"1234567\"}}",
		"PUT {\"Id\":{\"S\":\"1234567\"},\"status\":{\"S\":\"paid\"}} -> {}");
	/* "Get Apartment Status": the item as the Choice state reads it ($.getItem.Item.status.S) */
	RUN(DDB_GET_ITEM, "{\"TableName\": \"apartment_workshop_db\", \"Key\": {\"Id\": {\"S\": \"1234567\"}}}", APARTMENT,
		"NONE NULL -> {\"Item\":{\"Id\":{\"S\":\"1234567\"},\"status\":{\"S\":\"booked\"},\"price\":{\"N\":\"120\"}}}");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"apartment_workshop_db\", \"Key\": {\"Id\": {\"S\": \"7654321\"}}}", NULL,
		"NONE NULL -> {}");
	/* the article's second machine names the key "id": DynamoDB refuses it */
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"id\": {\"S\": \"1234567\"}}}", APARTMENT,
		VALIDATION "The provided key element does not match the schema");
	/* "Payment Wasn't Made, revert.": no condition, so it upserts */
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"apartment_workshop_db\", \"Key\": {\"Id\": {\"S\": \"1234567\"}},"
		" \"UpdateExpression\": \"SET #apartmentStatus = :status\","
		" \"ExpressionAttributeNames\": {\"#apartmentStatus\": \"status\"},"
		" \"ExpressionAttributeValues\": {\":status\": {\"S\": \"vacant\"}}}", NULL,
		"PUT {\"Id\":{\"S\":\"1234567\"},\"status\":{\"S\":\"vacant\"}} -> {}");
	/* the second machine: SET bookedStatus without placeholder names */
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"Apartments\", \"Key\": {\"Id\": {\"S\": \"1234567\"}}, \"ConditionExpression\": \"attribute_exists(Id)\","
		" \"UpdateExpression\": \"SET bookedStatus = :bookedStatus\","
		" \"ExpressionAttributeValues\": {\":bookedStatus\": {\"S\": \"PENDING\"}}}", APARTMENT,
		"PUT {\"Id\":{\"S\":\"1234567\"},\"status\":{\"S\":\"booked\"},\"price\":{\"N\":\"120\"},\"bookedStatus\":{\"S\":\"PENDING\"}} -> {}");
	/* writing "status" bare is what the placeholder avoids */
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"SET status = :s\","
		" \"ExpressionAttributeValues\": {\":s\": {\"S\": \"paid\"}}}", NULL,
		VALIDATION "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
}

#define UPD(rv) \
	"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"" rv "\"," \
	" \"UpdateExpression\": \"SET a = :a, m.k = :a REMOVE gone ADD c :one\"," \
	" \"ExpressionAttributeValues\": {\":a\": {\"S\": \"new\"}, \":one\": {\"N\": \"1\"}}}"
#define OLD "{\"Id\": {\"S\": \"1\"}, \"a\": {\"S\": \"old\"}, \"m\": {\"M\": {\"k\": {\"S\": \"old\"}, \"j\": {\"N\": \"2\"}}}, \"gone\": {\"BOOL\": true}, \"keep\": {\"NULL\": true}}"
#define NEW "{\"Id\":{\"S\":\"1\"},\"a\":{\"S\":\"new\"},\"m\":{\"M\":{\"k\":{\"S\":\"new\"},\"j\":{\"N\":\"2\"}}},\"keep\":{\"NULL\":true},\"c\":{\"N\":\"1\"}}"

static void
test_update_return_values(void)
{
	RUN(DDB_UPDATE_ITEM, UPD("NONE"), OLD, "PUT " NEW " -> {}");
	RUN(DDB_UPDATE_ITEM, UPD("ALL_OLD"), OLD, "PUT " NEW " -> {\"Attributes\":{\"Id\":{\"S\":\"1\"},\"a\":{\"S\":\"old\"},"
		"\"m\":{\"M\":{\"k\":{\"S\":\"old\"},\"j\":{\"N\":\"2\"}}},\"gone\":{\"BOOL\":true},\"keep\":{\"NULL\":true}}}");
	RUN(DDB_UPDATE_ITEM, UPD("UPDATED_OLD"), OLD, "PUT " NEW " -> {\"Attributes\":{\"a\":{\"S\":\"old\"},"
		"\"m\":{\"M\":{\"k\":{\"S\":\"old\"}}},\"gone\":{\"BOOL\":true}}}");
	RUN(DDB_UPDATE_ITEM, UPD("ALL_NEW"), OLD, "PUT " NEW " -> {\"Attributes\":" NEW "}");
	RUN(DDB_UPDATE_ITEM, UPD("UPDATED_NEW"), OLD, "PUT " NEW " -> {\"Attributes\":{\"a\":{\"S\":\"new\"},"
		"\"m\":{\"M\":{\"k\":{\"S\":\"new\"}}},\"c\":{\"N\":\"1\"}}}");
	/* no old item: nothing old to return; the new item is made from the key */
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"ALL_OLD\","
		" \"UpdateExpression\": \"SET a = :a\", \"ExpressionAttributeValues\": {\":a\": {\"S\": \"new\"}}}", NULL,
		"PUT {\"Id\":{\"S\":\"1\"},\"a\":{\"S\":\"new\"}} -> {}");
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"UPDATED_OLD\","
		" \"UpdateExpression\": \"SET a = :a\", \"ExpressionAttributeValues\": {\":a\": {\"S\": \"new\"}}}", NULL,
		"PUT {\"Id\":{\"S\":\"1\"},\"a\":{\"S\":\"new\"}} -> {}");
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"ALL_NEW\"}", NULL,
		"PUT {\"Id\":{\"S\":\"1\"}} -> {\"Attributes\":{\"Id\":{\"S\":\"1\"}}}");
	/* an UpdateItem without UpdateExpression writes the item as it is */
	RUN(DDB_UPDATE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}}", "{\"Id\": {\"S\": \"1\"}, \"x\": {\"N\": \"1.0\"}}",
		"PUT {\"Id\":{\"S\":\"1\"},\"x\":{\"N\":\"1\"}} -> {}");
	/* REMOVE of an absent attribute: UPDATED_NEW has nothing to show */
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"UPDATED_NEW\", \"UpdateExpression\": \"REMOVE x\"}",
		"{\"Id\": {\"S\": \"1\"}}", "PUT {\"Id\":{\"S\":\"1\"}} -> {}");
}

#define ITEM_PARAMS(rv, cond) \
	"{\"TableName\": \"t\", \"Item\": {\"Id\": {\"S\": \"1\"}, \"n\": {\"N\": \"007.50\"}, \"s\": {\"SS\": [\"b\", \"a\"]}}" \
	rv cond "}"

static void
test_put_item(void)
{
	RUN(DDB_PUT_ITEM, ITEM_PARAMS("", ""), NULL, "PUT {\"Id\":{\"S\":\"1\"},\"n\":{\"N\":\"7.5\"},\"s\":{\"SS\":[\"b\",\"a\"]}} -> {}");
	RUN(DDB_PUT_ITEM, ITEM_PARAMS(", \"ReturnValues\": \"NONE\"", ""), APARTMENT,
		"PUT {\"Id\":{\"S\":\"1\"},\"n\":{\"N\":\"7.5\"},\"s\":{\"SS\":[\"b\",\"a\"]}} -> {}");
	RUN(DDB_PUT_ITEM, ITEM_PARAMS(", \"ReturnValues\": \"ALL_OLD\"", ""), "{\"Id\": {\"S\": \"1\"}, \"old\": {\"BOOL\": false}}",
		"PUT {\"Id\":{\"S\":\"1\"},\"n\":{\"N\":\"7.5\"},\"s\":{\"SS\":[\"b\",\"a\"]}} -> {\"Attributes\":{\"Id\":{\"S\":\"1\"},\"old\":{\"BOOL\":false}}}");
	RUN(DDB_PUT_ITEM, ITEM_PARAMS(", \"ReturnValues\": \"ALL_OLD\"", ""), NULL,
		"PUT {\"Id\":{\"S\":\"1\"},\"n\":{\"N\":\"7.5\"},\"s\":{\"SS\":[\"b\",\"a\"]}} -> {}");
	RUN(DDB_PUT_ITEM, ITEM_PARAMS(", \"ReturnValues\": \"ALL_NEW\"", ""), NULL, VALIDATION "ReturnValues can only be ALL_OLD or NONE");
	RUN(DDB_PUT_ITEM, ITEM_PARAMS(", \"ReturnValues\": \"UPDATED_OLD\"", ""), NULL, VALIDATION "ReturnValues can only be ALL_OLD or NONE");
	/* create only */
	RUN(DDB_PUT_ITEM, ITEM_PARAMS("", ", \"ConditionExpression\": \"attribute_not_exists(Id)\""), NULL,
		"PUT {\"Id\":{\"S\":\"1\"},\"n\":{\"N\":\"7.5\"},\"s\":{\"SS\":[\"b\",\"a\"]}} -> {}");
	RUN(DDB_PUT_ITEM, ITEM_PARAMS("", ", \"ConditionExpression\": \"attribute_not_exists(Id)\""), "{\"Id\": {\"S\": \"1\"}}",
		"ERR DynamoDB.ConditionalCheckFailedException: The conditional request failed");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\"}", NULL,
		VALIDATION "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"x\": {\"S\": \"1\"}}}", NULL,
		VALIDATION "One or more parameter values were invalid: Missing the key Id in the item");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"Id\": {\"S\": \"\"}}}", NULL,
		VALIDATION "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: Id");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"Id\": {\"SS\": [\"1\"]}}}", NULL,
		VALIDATION "The provided key element does not match the schema");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"Id\": {\"S\": \"1\"}, \"s\": {\"SS\": []}}}", NULL,
		VALIDATION "One or more parameter values were invalid: An string set  may not be empty");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"Id\": {\"S\": \"1\"}, \"n\": {\"N\": \"1e999\"}}}", NULL,
		VALIDATION "Number overflow. Attempting to store a number with magnitude larger than supported range");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"Id\": {\"S\": \"1\"}}, \"Key\": {\"Id\": {\"S\": \"1\"}}}", NULL,
		VALIDATION "The field \"Key\" is not supported by Step Functions");
}

static void
test_delete_item(void)
{
	const char *del = "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}}";

	RUN(DDB_DELETE_ITEM, del, "{\"Id\": {\"S\": \"1\"}}", "DELETE NULL -> {}");
	RUN(DDB_DELETE_ITEM, del, NULL, "NONE NULL -> {}");
	RUN(DDB_DELETE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"ALL_OLD\"}",
		"{\"Id\": {\"S\": \"1\"}, \"a\": {\"N\": \"2\"}}", "DELETE NULL -> {\"Attributes\":{\"Id\":{\"S\":\"1\"},\"a\":{\"N\":\"2\"}}}");
	RUN(DDB_DELETE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"ALL_OLD\"}", NULL,
		"NONE NULL -> {}");
	RUN(DDB_DELETE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"UPDATED_NEW\"}", NULL,
		VALIDATION "ReturnValues can only be ALL_OLD or NONE");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"a > :v\","
		" \"ExpressionAttributeValues\": {\":v\": {\"N\": \"5\"}}}", "{\"Id\": {\"S\": \"1\"}, \"a\": {\"N\": \"2\"}}",
		"ERR DynamoDB.ConditionalCheckFailedException: The conditional request failed");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"a > :v\","
		" \"ExpressionAttributeValues\": {\":v\": {\"N\": \"1\"}}}", "{\"Id\": {\"S\": \"1\"}, \"a\": {\"N\": \"2\"}}",
		"DELETE NULL -> {}");
}

static void
test_get_item(void)
{
	RUN(DDB_GET_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1234567\"}}, \"ProjectionExpression\": \"#s, price, nope\","
		" \"ExpressionAttributeNames\": {\"#s\": \"status\"}, \"ConsistentRead\": true, \"ReturnConsumedCapacity\": \"TOTAL\"}",
		APARTMENT, "NONE NULL -> {\"Item\":{\"status\":{\"S\":\"booked\"},\"price\":{\"N\":\"120\"}}}");
	/* an item without any projected attribute is an empty Item */
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1234567\"}}, \"ProjectionExpression\": \"nope\"}",
		APARTMENT, "NONE NULL -> {\"Item\":{}}");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1234567\"}}, \"ProjectionExpression\": \"nope\"}",
		NULL, "NONE NULL -> {}");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ExpressionAttributeValues\": {\":v\": {\"S\": \"1\"}}}",
		NULL, VALIDATION "The field \"ExpressionAttributeValues\" is not supported by Step Functions");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"attribute_exists(Id)\"}",
		NULL, VALIDATION "The field \"ConditionExpression\" is not supported by Step Functions");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConsistentRead\": \"yes\"}",
		NULL, VALIDATION "The parameter ConsistentRead must be a boolean");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"AttributesToGet\": [\"Id\"]}",
		NULL, VALIDATION "The legacy parameter AttributesToGet is not supported; use ProjectionExpression");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ProjectionExpression\": \"Id,\"}",
		NULL, VALIDATION "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
}

static void
test_keys(void)
{
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\"}", NULL,
		VALIDATION "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
	RUN(DDB_UPDATE_ITEM, "{\"TableName\": \"t\", \"Key\": null}", NULL,
		VALIDATION "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {}}", NULL, VALIDATION "The provided key element does not match the schema");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}, \"x\": {\"S\": \"1\"}}}", NULL,
		VALIDATION "The provided key element does not match the schema");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"M\": {}}}}", NULL,
		VALIDATION "The provided key element does not match the schema");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"\"}}}", NULL,
		VALIDATION "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: Id");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"B\": \"\"}}}", NULL,
		VALIDATION "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: Id");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"N\": \"x\"}}}", NULL,
		VALIDATION "The parameter cannot be converted to a numeric value: x");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\", \"N\": \"1\"}}}", NULL,
		VALIDATION "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": [1]}", NULL, VALIDATION "Start of list found where not expected");
	/* numbers and binaries are keys too, numbers normalised */
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"N\": \"010\"}}}", "{\"Id\": {\"N\": \"10\"}}",
		"NONE NULL -> {\"Item\":{\"Id\":{\"N\":\"10\"}}}");
	{
		json_object *p = json_tokener_parse("{\"TableName\": \"t\", \"Key\": {\"Id\": {\"N\": \"1.50\"}}}");
		asl_error	err = {0};
		ddb_request *req = ddb_request_prepare(DDB_DELETE_ITEM, p, id_key, 1, &err);

		CHECK(req != NULL);
		if (req != NULL)
			CHECK_JSON(ddb_request_key(req), "{\"Id\": {\"N\": \"1.5\"}}");
		ddb_request_free(req);
		json_object_put(p);
	}
	/* a composite key: both attributes, nothing else */
	CHECK_STR(run_with(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"pk\": {\"S\": \"a\"}, \"sk\": {\"N\": \"1\"}}}",
					   two_keys, 2, "{\"pk\": {\"S\": \"a\"}, \"sk\": {\"N\": \"1\"}, \"v\": {\"S\": \"x\"}}"),
			  "NONE NULL -> {\"Item\":{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"},\"v\":{\"S\":\"x\"}}}");
	CHECK_STR(run_with(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"pk\": {\"S\": \"a\"}}}", two_keys, 2, NULL),
			  VALIDATION "The provided key element does not match the schema");
	CHECK_STR(run_with(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"pk\": {\"S\": \"a\"}}}", two_keys, 2, NULL),
			  VALIDATION "One or more parameter values were invalid: Missing the key sk in the item");
	/* UpdateItem may not touch a key attribute */
	CHECK_STR(run_with(DDB_UPDATE_ITEM,
					   "{\"TableName\": \"t\", \"Key\": {\"pk\": {\"S\": \"a\"}, \"sk\": {\"N\": \"1\"}},"
					   " \"UpdateExpression\": \"SET v = :v ADD #k :v\", \"ExpressionAttributeNames\": {\"#k\": \"sk\"},"
					   " \"ExpressionAttributeValues\": {\":v\": {\"N\": \"1\"}}}", two_keys, 2, NULL),
			  VALIDATION "One or more parameter values were invalid: Cannot update attribute sk. This attribute is part of the key");
	RUN(DDB_UPDATE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"REMOVE Id\"}", NULL,
		VALIDATION "One or more parameter values were invalid: Cannot update attribute Id. This attribute is part of the key");
}

static void
test_placeholder_errors(void)
{
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"SET a = :a\","
		" \"ExpressionAttributeValues\": {\":a\": {\"S\": \"1\"}, \":x\": {\"S\": \"2\"}}}", NULL,
		VALIDATION "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}");
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"SET a = :a\","
		" \"ExpressionAttributeNames\": {\"#n\": \"a\"}, \"ExpressionAttributeValues\": {\":a\": {\"S\": \"1\"}}}", NULL,
		VALIDATION "Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}");
	/* placeholders of the condition and of the update count together */
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"SET a = :a\","
		" \"ConditionExpression\": \"#n <> :b\", \"ExpressionAttributeNames\": {\"#n\": \"a\"},"
		" \"ExpressionAttributeValues\": {\":a\": {\"S\": \"1\"}, \":b\": {\"S\": \"2\"}}}", NULL,
		"PUT {\"Id\":{\"S\":\"1\"},\"a\":{\"S\":\"1\"}} -> {}");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ExpressionAttributeValues\": {\":a\": {\"S\": \"1\"}}}", NULL,
		VALIDATION "ExpressionAttributeValues can only be specified when using expressions");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ExpressionAttributeNames\": {\"#a\": \"a\"}}", NULL,
		VALIDATION "ExpressionAttributeNames can only be specified when using expressions");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"attribute_exists(a)\","
		" \"ExpressionAttributeValues\": {}}", NULL, VALIDATION "ExpressionAttributeValues must not be empty");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"attribute_exists(a)\","
		" \"ExpressionAttributeNames\": {}}", NULL, VALIDATION "ExpressionAttributeNames must not be empty");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"attribute_exists(#a)\","
		" \"ExpressionAttributeNames\": {\"#a\": \"a\", \"#sryLiyD8D-\": \"b\"}}", NULL,
		VALIDATION "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#sryLiyD8D-\"");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"attribute_exists(#a)\","
		" \"ExpressionAttributeNames\": {\"#a\": \"\"}}", NULL,
		VALIDATION "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"attribute_exists(#a)\","
		" \"ExpressionAttributeNames\": {\"#a\": 1}}", NULL,
		VALIDATION "ExpressionAttributeNames contains invalid value: The attribute name must be a string for key #a");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"a = :a\","
		" \"ExpressionAttributeValues\": {\"a\": {\"S\": \"1\"}}}", NULL,
		VALIDATION "ExpressionAttributeValues contains invalid key: Syntax error; key: \"a\"");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"a = :a\","
		" \"ExpressionAttributeValues\": {\":a\": {\"SS\": []}}}", NULL,
		VALIDATION "ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :a");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"a = :a\","
		" \"ExpressionAttributeValues\": [1]}", NULL, VALIDATION "The parameter ExpressionAttributeValues must be a map");
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": 5}", NULL,
		VALIDATION "The parameter ConditionExpression must be a string");
	RUN(DDB_DELETE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"\"}", NULL,
		VALIDATION "Invalid ConditionExpression: The expression can not be empty;");
	/* a value placeholder's number is checked and normalised before comparing */
	RUN(DDB_DELETE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ConditionExpression\": \"a = :a\","
		" \"ExpressionAttributeValues\": {\":a\": {\"N\": \"2.000\"}}}", "{\"Id\": {\"S\": \"1\"}, \"a\": {\"N\": \"2\"}}",
		"DELETE NULL -> {}");
}

static void
test_other_errors(void)
{
	char	   *params;
	size_t		len = 420000;
	size_t		at;

	RUN(DDB_UPDATE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValues\": \"all_new\"}", NULL,
		VALIDATION "1 validation error detected: Value 'all_new' at 'returnValues' failed to satisfy constraint: "
		"Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
	RUN(DDB_UPDATE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnValuesOnConditionCheckFailure\": \"ALL_NEW\"}", NULL,
		VALIDATION "1 validation error detected: Value 'ALL_NEW' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: "
		"Member must satisfy enum value set: [ALL_OLD, NONE]");
	RUN(DDB_DELETE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"ReturnConsumedCapacity\": \"ALL\"}", NULL,
		VALIDATION "1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: "
		"Member must satisfy enum value set: [INDEXES, TOTAL, NONE]");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"Id\": {\"S\": \"1\"}}, \"ReturnItemCollectionMetrics\": \"ALL\"}", NULL,
		VALIDATION "1 validation error detected: Value 'ALL' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
		"Member must satisfy enum value set: [SIZE, NONE]");
	RUN(DDB_PUT_ITEM, "{\"TableName\": \"t\", \"Item\": {\"Id\": {\"S\": \"1\"}}, \"ReturnItemCollectionMetrics\": \"SIZE\","
		" \"ReturnValuesOnConditionCheckFailure\": \"ALL_OLD\"}", NULL, "PUT {\"Id\":{\"S\":\"1\"}} -> {}");
	RUN(DDB_UPDATE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"AttributeUpdates\": {}}", NULL,
		VALIDATION "The legacy parameter AttributeUpdates is not supported; use UpdateExpression");
	RUN(DDB_DELETE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"Expected\": {}}", NULL,
		VALIDATION "The legacy parameter Expected is not supported; use ConditionExpression");
	RUN(DDB_UPDATE_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"Foo\": 1}", NULL,
		VALIDATION "The field \"Foo\" is not supported by Step Functions");
	/* the update fails on the item's data */
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"SET n = n + :one\","
		" \"ExpressionAttributeValues\": {\":one\": {\"N\": \"1\"}}}", NULL,
		VALIDATION "The provided expression refers to an attribute that does not exist in the item");
	RUN(DDB_UPDATE_ITEM,
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"ADD n :one\","
		" \"ExpressionAttributeValues\": {\":one\": {\"N\": \"1\"}}}", "{\"Id\": {\"S\": \"1\"}, \"n\": {\"S\": \"x\"}}",
		VALIDATION "An operand in the update expression has an incorrect data type");
	/* the host's row is checked too */
	RUN(DDB_GET_ITEM, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}}", "{\"Id\": {\"S\": \"1\"}, \"m\": {\"M\": {\"x\": {\"N\": \"y\"}}}}",
		VALIDATION "The stored item is not a valid item: The parameter cannot be converted to a numeric value: y at m.x");
	/* 400 KB at most */
	params = malloc(len + 200);
	if (params == NULL)
		return;
	strcpy(params, "{\"TableName\": \"t\", \"Item\": {\"Id\": {\"S\": \"1\"}, \"big\": {\"S\": \"");
	at = strlen(params);
	memset(params + at, 'x', 409600 - 6);
	strcpy(params + at + 409600 - 6, "\"}}}");
	CHECK(strncmp(run_with(DDB_PUT_ITEM, params, id_key, 1, NULL), "PUT ", 4) == 0);
	strcpy(params + at + 409600 - 6, "x\"}}}");
	RUN(DDB_PUT_ITEM, params, NULL, VALIDATION "Item size has exceeded the maximum allowed size");
	strcpy(params, "{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"SET big = :v\","
		   " \"ExpressionAttributeValues\": {\":v\": {\"S\": \"");
	at = strlen(params);
	memset(params + at, 'x', 409600);
	strcpy(params + at + 409600, "\"}}}");
	RUN(DDB_UPDATE_ITEM, params, NULL, VALIDATION "Item size to update has exceeded the maximum allowed size");
	free(params);
}

/* An update may not nest a value deeper than 32 levels below its attribute. */
static void
test_update_nesting(void)
{
	json_object *params = json_tokener_parse(
		"{\"TableName\": \"t\", \"Key\": {\"Id\": {\"S\": \"1\"}}, \"UpdateExpression\": \"SET m.k = :v\"}");
	json_object *current = json_tokener_parse("{\"Id\": {\"S\": \"1\"}, \"m\": {\"M\": {}}}");
	json_object *value = json_object_new_object();
	json_object *values = json_object_new_object();
	asl_error	err = {0};
	ddb_request *req;
	ddb_result	out;
	int			i;

	/* 32 lists around a string: fine as an attribute, one level too deep inside m */
	json_object_object_add(value, "S", json_object_new_string("x"));
	for (i = 0; i < 32; i++)
	{
		json_object *list = json_object_new_object();
		json_object *arr = json_object_new_array();

		json_object_array_add(arr, value);
		json_object_object_add(list, "L", arr);
		value = list;
	}
	json_object_object_add(values, ":v", value);
	json_object_object_add(params, "ExpressionAttributeValues", values);
	req = ddb_request_prepare(DDB_UPDATE_ITEM, params, id_key, 1, &err);
	CHECK(req != NULL);
	if (req != NULL)
	{
		CHECK_INT(ddb_request_execute(req, current, &out, &err), -1);
		CHECK_STR(err.cause, "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit");
		CHECK(out.new_item == NULL && out.response == NULL);
	}
	asl_error_clear(&err);
	ddb_request_free(req);
	json_object_put(params);
	json_object_put(current);
}

UNIT_MAIN("test_ddb_request", {
	test_update_nesting();
	test_operations();
	test_table_name();
	test_shape();
	test_article_booking();
	test_update_return_values();
	test_put_item();
	test_delete_item();
	test_get_item();
	test_keys();
	test_placeholder_errors();
	test_other_errors();
})
