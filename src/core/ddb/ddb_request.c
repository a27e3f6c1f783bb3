/*
 * ddb_request.c — preparing a GetItem, PutItem, UpdateItem or DeleteItem
 * request: its members checked in DynamoDB's order, its expressions parsed.
 * Running it is ddb_request_exec.c.
 */
#include "ddb_request_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TABLE_NAME	1024
/* DynamoDB's pattern for a table name: [a-zA-Z0-9_.-]+ */
#define TABLE_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-"

static const char *const operation_names[] = {"getItem", "putItem", "updateItem", "deleteItem"};

/* ReturnValues, in the order DynamoDB lists them in its enum message. */
static const char *const return_values_names[] = {
	"NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW", NULL
};
#define RETURN_VALUES_SHOWN "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]"

static const char *const on_failure_names[] = {"NONE", "ALL_OLD", NULL};
static const char *const capacity_names[] = {"NONE", "TOTAL", "INDEXES", NULL};
static const char *const metrics_names[] = {"NONE", "SIZE", NULL};

bool
ddb_operation_parse(const char *name, ddb_operation *op)
{
	int			i;

	if (name == NULL)
		return false;
	for (i = 0; i < 4; i++)
		if (strcmp(name, operation_names[i]) == 0)
		{
			*op = (ddb_operation) i;
			return true;
		}
	return false;
}

const char *
ddb_request_table_name(json_object *params, asl_error *err)
{
	json_object *v = NULL;
	const char *name;

	if (!json_object_is_type(params, json_type_object) ||
		!json_object_object_get_ex(params, "TableName", &v) || v == NULL)
	{
		char	   *msg = ddb_missing_member("tableName");

		asl_error_set(err, DDB_ERR_VALIDATION, "%s", msg ? msg : "out of memory");
		free(msg);
		return NULL;
	}
	if (!json_object_is_type(v, json_type_string))
	{
		asl_error_set(err, DDB_ERR_VALIDATION, "The parameter TableName must be a string");
		return NULL;
	}
	name = json_object_get_string(v);
	if (*name == '\0')
	{
		asl_error_set(err, DDB_ERR_VALIDATION,
					  "1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
		return NULL;
	}
	if (strlen(name) > MAX_TABLE_NAME)
	{
		asl_error_set(err, DDB_ERR_VALIDATION,
					  "1 validation error detected: Value '%s' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to %d",
					  name, MAX_TABLE_NAME);
		return NULL;
	}
	if (strspn(name, TABLE_NAME_CHARS) != strlen(name))
	{
		asl_error_set(err, DDB_ERR_VALIDATION,
					  "1 validation error detected: Value '%s' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
					  name);
		return NULL;
	}
	return name;
}

void
ddb_request_free(ddb_request *req)
{
	size_t		i;

	if (req == NULL)
		return;
	for (i = 0; i < req->n_keys; i++)
		free(req->key_names[i]);
	free(req->key_names);
	json_object_put(req->key);
	json_object_put(req->item);
	ddb_condition_free(req->condition);
	ddb_update_free(req->update);
	ddb_projection_free(req->projection);
	json_object_put(req->values);
	free(req);
}

json_object *
ddb_request_key(const ddb_request *req)
{
	return req->key;
}

/* The enums: ReturnValues (and which the operation takes), and those we accept and ignore. */
static char *
check_enums(ddb_request *req, json_object *params)
{
	int			index;
	char	   *msg;

	msg = ddb_check_enum(params, "ReturnValues", "returnValues", return_values_names, RETURN_VALUES_SHOWN, &index);
	if (msg != NULL)
		return msg;
	req->return_values = (ddb_return_values) index;
	if (req->op != DDB_UPDATE_ITEM && index != DDB_RETURN_NONE && index != DDB_RETURN_ALL_OLD)
		return strdup("ReturnValues can only be ALL_OLD or NONE");
	msg = ddb_check_enum(params, "ReturnValuesOnConditionCheckFailure", "returnValuesOnConditionCheckFailure",
						 on_failure_names, "[ALL_OLD, NONE]", &index);
	if (msg == NULL)
		msg = ddb_check_enum(params, "ReturnConsumedCapacity", "returnConsumedCapacity",
							 capacity_names, "[INDEXES, TOTAL, NONE]", &index);
	if (msg == NULL)
		msg = ddb_check_enum(params, "ReturnItemCollectionMetrics", "returnItemCollectionMetrics",
							 metrics_names, "[SIZE, NONE]", &index);
	if (msg == NULL)
	{
		json_object *consistent = NULL;

		if (json_object_object_get_ex(params, "ConsistentRead", &consistent) && consistent != NULL &&
			!json_object_is_type(consistent, json_type_boolean))
			msg = strdup("The parameter ConsistentRead must be a boolean");
	}
	return msg;
}

typedef struct expressions
{
	const char *condition;
	const char *update;
	const char *projection;
} expressions;

/*
 * Reads the request's ConditionExpression, UpdateExpression and
 * ProjectionExpression; a message when one is no string.
 */
static char *
read_expressions(json_object *params, expressions *e)
{
	char	   *msg = ddb_check_string(params, "ConditionExpression", &e->condition);

	if (msg == NULL)
		msg = ddb_check_string(params, "UpdateExpression", &e->update);
	if (msg == NULL)
		msg = ddb_check_string(params, "ProjectionExpression", &e->projection);
	return msg;
}

/* Parses the expressions the request has, then refuses unused placeholders. */
static char *
parse_expressions(ddb_request *req, json_object *params)
{
	expressions e = {NULL, NULL, NULL};
	json_object *names = NULL;
	ddb_placeholders ph;
	char	   *msg;

	if ((msg = read_expressions(params, &e)) != NULL ||
		(msg = ddb_check_names(params, &names)) != NULL ||
		(msg = ddb_check_values(params, &req->values)) != NULL)
		return msg;
	if (e.condition == NULL && e.update == NULL && e.projection == NULL)
	{
		if (names != NULL)
			return strdup("ExpressionAttributeNames can only be specified when using expressions");
		if (req->values != NULL)
			return strdup("ExpressionAttributeValues can only be specified when using expressions");
		return NULL;
	}
	ddb_placeholders_init(&ph, names, req->values);
	if (e.update != NULL)
		req->update = ddb_update_parse(e.update, &ph, &msg);
	if (msg == NULL && e.condition != NULL)
		req->condition = ddb_condition_parse(e.condition, &ph, &msg);
	if (msg == NULL && e.projection != NULL)
		req->projection = ddb_projection_parse(e.projection, &ph, &msg);
	if (msg == NULL)
		msg = ddb_placeholders_unused(&ph);
	ddb_placeholders_release(&ph);
	return msg;
}

/* UpdateItem may not write a key attribute. */
static char *
check_update_keys(const ddb_request *req)
{
	size_t		i,
				k;
	char	   *msg = NULL;

	if (req->update == NULL)
		return NULL;
	for (i = 0; i < ddb_update_path_count(req->update); i++)
	{
		const char *top = ddb_update_path(req->update, i)->elems[0].name;

		for (k = 0; k < req->n_keys; k++)
			if (strcmp(top, req->key_names[k]) == 0)
			{
				if (asprintf(&msg, "One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", top) < 0)
					msg = strdup("out of memory");
				return msg;
			}
	}
	return NULL;
}

/* What DynamoDB checks before it looks the table up: members, enums, presence, expressions. */
static char *
check_request_shape(ddb_request *req, json_object *params)
{
	char	   *msg;

	if ((msg = ddb_check_members(req->op, params)) != NULL ||
		(msg = check_enums(req, params)) != NULL)
		return msg;
	if (req->op == DDB_PUT_ITEM)
	{
		json_object *item = NULL;

		json_object_object_get_ex(params, "Item", &item);
		if (item == NULL)
			return ddb_missing_member("item");
	}
	else if (json_object_object_get(params, "Key") == NULL)
		return ddb_missing_member("key");
	return parse_expressions(req, params);
}

/*
 * Checks the request's shape, then its Item or Key against the table's key
 * names; a message (malloc'd) or NULL.
 */
static char *
check_request(ddb_request *req, json_object *params)
{
	char	   *msg;

	if ((msg = check_request_shape(req, params)) != NULL)
		return msg;
	if (req->op == DDB_PUT_ITEM)
		msg = ddb_check_item(json_object_object_get(params, "Item"), req->key_names, req->n_keys, &req->item, &req->key);
	else
		msg = ddb_check_key(json_object_object_get(params, "Key"), req->key_names, req->n_keys, &req->key);
	if (msg == NULL)
		msg = check_update_keys(req);
	return msg;
}

bool
ddb_request_check_shape(ddb_operation op, json_object *params, asl_error *err)
{
	ddb_request *req = calloc(1, sizeof(*req));
	char	   *msg;

	if (req == NULL)
	{
		asl_error_set(err, DDB_ERR_VALIDATION, "out of memory");
		return false;
	}
	req->op = op;
	msg = check_request_shape(req, params);
	ddb_request_free(req);
	if (msg == NULL)
		return true;
	asl_error_set(err, DDB_ERR_VALIDATION, "%s", msg);
	free(msg);
	return false;
}

ddb_request *
ddb_request_prepare(ddb_operation op, json_object *params,
					const char *const *key_names, size_t n_keys, asl_error *err)
{
	ddb_request *req;
	const char *table = ddb_request_table_name(params, err);
	char	   *msg;
	size_t		i;

	if (table == NULL)
		return NULL;
	req = calloc(1, sizeof(*req));
	if (req == NULL ||
		(req->key_names = calloc(n_keys ? n_keys : 1, sizeof(char *))) == NULL)
	{
		ddb_request_free(req);
		asl_error_set(err, DDB_ERR_VALIDATION, "out of memory");
		return NULL;
	}
	req->op = op;
	for (i = 0; i < n_keys; i++)
	{
		req->key_names[i] = strdup(key_names[i]);
		if (req->key_names[i] == NULL)
			break;
		req->n_keys++;
	}
	msg = req->n_keys == n_keys ? check_request(req, params) : strdup("out of memory");
	if (msg != NULL)
	{
		asl_error_set(err, DDB_ERR_VALIDATION, "%s", msg);
		free(msg);
		ddb_request_free(req);
		return NULL;
	}
	return req;
}
