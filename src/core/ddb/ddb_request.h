/*
 * ddb_request.h — what DynamoDB's GetItem, PutItem, UpdateItem and
 * DeleteItem do, given the request and the current item: no I/O.
 *
 * The host runs a Task "arn:aws:states:::dynamodb:<operation>" in four steps:
 *
 *   1. ddb_request_table_name(params) and ddb_request_check_shape(op, params)
 *      — the table, to learn its key columns, once the request is one
 *      DynamoDB would look a table up for;
 *   2. ddb_request_prepare(op, params, key names) — checks the whole request
 *      as DynamoDB does before reading anything, parses the expressions, and
 *      yields the item's key (ddb_request_key) for the host's SELECT ... FOR
 *      UPDATE;
 *   3. ddb_request_execute(request, current item or NULL) — evaluates the
 *      condition and the update and says what to write and what to return;
 *   4. the host writes (INSERT/UPDATE, or DELETE) and returns the response.
 *
 * Items are json-c objects of attribute name → typed value (ddb_value.h).
 * Errors are asl_errors named DDB_ERR_VALIDATION (cause: DynamoDB's
 * ValidationException message) or DDB_ERR_CONDITION (cause
 * DDB_MSG_CONDITION).
 */
#ifndef DDB_REQUEST_H
#define DDB_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

#include "error.h"

#define DDB_ERR_VALIDATION	"DynamoDB.AmazonDynamoDBException"
#define DDB_ERR_CONDITION	"DynamoDB.ConditionalCheckFailedException"
#define DDB_MSG_CONDITION	"The conditional request failed"

typedef enum ddb_operation
{
	DDB_GET_ITEM,
	DDB_PUT_ITEM,
	DDB_UPDATE_ITEM,
	DDB_DELETE_ITEM
} ddb_operation;

typedef enum ddb_write_kind
{
	DDB_WRITE_NONE,				/* leave the row as it is (or absent) */
	DDB_WRITE_PUT,				/* store new_item, inserting or replacing the
								 * row */
	DDB_WRITE_DELETE			/* delete the row */
} ddb_write_kind;

typedef struct ddb_result
{
	ddb_write_kind write;
	json_object *new_item;		/* DDB_WRITE_PUT: the whole item, key
								 * included; else NULL */
	json_object *response;		/* the Task's result: {}, {"Item": ...} or
								 * {"Attributes": ...} */
} ddb_result;

typedef struct ddb_request ddb_request;

/* "getItem", "putItem", "updateItem", "deleteItem" (the resource ARN's last part). */
bool		ddb_operation_parse(const char *name, ddb_operation *op);

/* The request's TableName (borrowed from params), or NULL with err set. */
const char *ddb_request_table_name(json_object *params, asl_error *err);

/*
 * What DynamoDB refuses before it looks for the table (so a request both
 * invalid and naming no table is a ValidationException, not
 * ResourceNotFoundException): unknown members, bad enums, a missing Key or
 * Item, placeholder maps and expressions. False with err set.
 */
bool		ddb_request_check_shape(ddb_operation op, json_object *params, asl_error *err);

/*
 * Checks the request (the Task's effective Parameters) against the table's
 * key attribute names and parses its expressions. Returns NULL with err set
 * when DynamoDB would refuse it. params is not kept; key_names is copied.
 */
ddb_request *ddb_request_prepare(ddb_operation op, json_object *params,
								 const char *const *key_names, size_t n_keys, asl_error *err);

/* The item's key, checked and normalised: attribute → typed value (borrowed). */
json_object *ddb_request_key(const ddb_request *req);

/*
 * Runs the request against the current item (NULL when the row does not
 * exist; the host's item is checked too). On success returns 0 and fills
 * *out, which the caller releases; on failure returns -1, sets err and
 * leaves *out empty (DDB_WRITE_NONE, NULLs). current is not modified.
 */
int			ddb_request_execute(const ddb_request *req, json_object *current, ddb_result *out, asl_error *err);

void		ddb_result_release(ddb_result *result);
void		ddb_request_free(ddb_request *req);

#endif
