/*
 * task_dynamodb.h — the Step Functions DynamoDB integration on PostgreSQL
 * tables: arn:aws:states:::dynamodb:getItem / putItem / updateItem / deleteItem.
 *
 * TableName names a table (optionally schema-qualified) resolved through the
 * catalog with the current search_path; the Key must be exactly its primary
 * key; attribute names are column names, exactly. The request itself is
 * judged by the core (core/ddb_request.h); this file reads and writes the row.
 *
 * Choices (details in ddb_table.h, ddb_row.h and task_dynamodb.c):
 * - names are exact, never case-folded; "s.t" is table t of schema s when s
 *   is a schema, else the table named "s.t";
 * - getItem reads without a row lock (SELECT privilege suffices); the writes
 *   read the row FOR UPDATE (UPDATE privilege) and judge the condition
 *   against it; a key inserted concurrently makes the request run again
 *   against the new row;
 * - putItem stores the whole item: columns it lacks take their DEFAULT (NULL
 *   without one), whether the row existed or not; updateItem writes only the
 *   columns that change, a removed attribute as NULL;
 * - arrays read as L (writes take L or the matching set), json/jsonb by the
 *   JSON value, timestamptz as ISO 8601 in UTC;
 * - the response is the item as DynamoDB computes it: defaults, generated
 *   columns and triggers the database applies don't show in ALL_NEW.
 */
#ifndef BOOKING_TASK_DYNAMODB_H
#define BOOKING_TASK_DYNAMODB_H

#include "postgres.h"

#include "jsonc.h"
#include "core/error.h"

/*
 * Runs one request (action: getItem, putItem, updateItem or deleteItem;
 * params: the Task's effective Parameters). The caller has opened a
 * subtransaction, switched to the state machine's role and pinned the
 * search_path. Returns true with *output (a new json-c reference the caller
 * takes) on success; false with err set (DynamoDB.* names, AWS's messages as
 * Cause) when DynamoDB would have refused or the condition failed — nothing
 * is written then. SQL errors (permission denied, row-level security, a
 * constraint) are raised with ereport as usual: the caller rolls the
 * subtransaction back and names them.
 */
bool		booking_task_dynamodb(const char *action, json_object *params,
								  json_object **output, asl_error *err);

#endif
