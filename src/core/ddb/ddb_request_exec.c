/*
 * ddb_request_exec.c — running a prepared request against the current
 * item: the condition, the write, and the response as the Step Functions
 * integration returns it.
 */
#include "ddb_request_impl.h"

#include <stdlib.h>
#include <string.h>

#include "ddb_value.h"

#define MSG_PUT_SIZE	"Item size has exceeded the maximum allowed size"
#define MSG_UPDATE_SIZE	"Item size to update has exceeded the maximum allowed size"

/* {} or {member: attributes}; attributes (taken) NULL or empty means {}. */
static json_object *
response(const char *member, json_object *attributes, bool keep_empty)
{
	json_object *out = json_object_new_object();

	if (out == NULL)
	{
		json_object_put(attributes);
		return NULL;
	}
	if (attributes != NULL && (keep_empty || json_object_object_length(attributes) > 0))
		json_object_object_add(out, member, attributes);
	else
		json_object_put(attributes);
	return out;
}

/* The updated paths of the update, as they are in item (NULL: none). */
static json_object *
updated_paths(const ddb_update *update, json_object *item)
{
	size_t		i,
				n = update ? ddb_update_path_count(update) : 0;
	const ddb_path **paths = malloc((n ? n : 1) * sizeof(*paths));
	json_object *out;

	if (paths == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		paths[i] = ddb_update_path(update, i);
	out = ddb_project_paths(paths, n, item);
	free(paths);
	return out;
}

/* Sets err to name with msg (taken; NULL means out of memory); returns -1. */
static int
fail(asl_error *err, const char *name, char *msg)
{
	asl_error_set(err, name, "%s", msg ? msg : "out of memory");
	free(msg);
	return -1;
}

/* GetItem: the current item, projected. */
static int
run_get(const ddb_request *req, json_object *current, ddb_result *out)
{
	json_object *item = NULL;

	if (current != NULL)
		item = req->projection ? ddb_projection_apply(req->projection, current) : json_object_get(current);
	if (current != NULL && item == NULL)
		return -1;
	out->response = response("Item", item, true);
	return out->response ? 0 : -1;
}

/*
 * PutItem: the new item (within DynamoDB's item size), and the old one when
 * ReturnValues asks.
 */
static int
run_put(const ddb_request *req, json_object *current, ddb_result *out, asl_error *err)
{
	if (ddb_item_size(req->item) > DDB_MAX_ITEM_SIZE)
		return fail(err, DDB_ERR_VALIDATION, strdup(MSG_PUT_SIZE));
	out->new_item = ddb_value_copy(req->item);
	out->response = response("Attributes",
							 req->return_values == DDB_RETURN_ALL_OLD ? json_object_get(current) : NULL, false);
	if (out->new_item == NULL || out->response == NULL)
		return -1;
	out->write = DDB_WRITE_PUT;
	return 0;
}

/* DeleteItem: deletes the current item, returned when ReturnValues asks. */
static int
run_delete(const ddb_request *req, json_object *current, ddb_result *out)
{
	out->response = response("Attributes",
							 req->return_values == DDB_RETURN_ALL_OLD ? json_object_get(current) : NULL, false);
	if (out->response == NULL)
		return -1;
	out->write = current != NULL ? DDB_WRITE_DELETE : DDB_WRITE_NONE;
	return 0;
}

/* An update can nest a value deeper than DynamoDB allows; nothing else it makes is invalid. */
static bool
still_valid(json_object *item, char **msg)
{
	char	   *where = NULL;
	json_object *checked = ddb_item_check(item, msg, &where);

	free(where);
	json_object_put(checked);
	return checked != NULL;
}

/*
 * UpdateItem: applies the update to the current item (or a new one of the
 * key) and returns the attributes ReturnValues asks for.
 */
static int
run_update(const ddb_request *req, json_object *current, ddb_result *out, asl_error *err)
{
	json_object *item = ddb_value_copy(current != NULL ? current : req->key);
	json_object *attributes = NULL;
	char	   *msg = NULL;

	if (item == NULL)
		return -1;
	if (req->update != NULL && !ddb_update_apply(req->update, item, &msg))
	{
		json_object_put(item);
		return fail(err, DDB_ERR_VALIDATION, msg);
	}
	if (ddb_item_size(item) > DDB_MAX_ITEM_SIZE)
	{
		json_object_put(item);
		return fail(err, DDB_ERR_VALIDATION, strdup(MSG_UPDATE_SIZE));
	}
	if (!still_valid(item, &msg))
	{
		json_object_put(item);
		return fail(err, DDB_ERR_VALIDATION, msg);
	}
	switch (req->return_values)
	{
		case DDB_RETURN_NONE:
			break;
		case DDB_RETURN_ALL_OLD:
			attributes = json_object_get(current);
			break;
		case DDB_RETURN_UPDATED_OLD:
			attributes = updated_paths(req->update, current);
			break;
		case DDB_RETURN_ALL_NEW:
			attributes = ddb_value_copy(item);
			break;
		case DDB_RETURN_UPDATED_NEW:
			attributes = updated_paths(req->update, item);
			break;
	}
	out->response = response("Attributes", attributes, false);
	out->new_item = item;
	if (out->response == NULL)
		return -1;
	out->write = DDB_WRITE_PUT;
	return 0;
}

int
ddb_request_execute(const ddb_request *req, json_object *current, ddb_result *out, asl_error *err)
{
	json_object *checked = NULL;
	int			rc = -1;

	memset(out, 0, sizeof(*out));
	if (current != NULL)
	{
		char	   *msg = NULL;
		char	   *where = NULL;

		checked = ddb_item_check(current, &msg, &where);
		if (checked == NULL)
		{
			asl_error_set(err, DDB_ERR_VALIDATION, "The stored item is not a valid item: %s%s%s",
						  msg ? msg : "out of memory", where && *where ? " at " : "", where && *where ? where : "");
			free(msg);
			free(where);
			return -1;
		}
	}
	if (req->condition != NULL && !ddb_condition_eval(req->condition, checked))
	{
		json_object_put(checked);
		return fail(err, DDB_ERR_CONDITION, strdup(DDB_MSG_CONDITION));
	}
	switch (req->op)
	{
		case DDB_GET_ITEM:
			rc = run_get(req, checked, out);
			break;
		case DDB_PUT_ITEM:
			rc = run_put(req, checked, out, err);
			break;
		case DDB_UPDATE_ITEM:
			rc = run_update(req, checked, out, err);
			break;
		case DDB_DELETE_ITEM:
			rc = run_delete(req, checked, out);
			break;
	}
	json_object_put(checked);
	if (rc != 0)
	{
		if (!asl_error_is_set(err))
			asl_error_set(err, DDB_ERR_VALIDATION, "out of memory");
		ddb_result_release(out);
	}
	return rc;
}

void
ddb_result_release(ddb_result *result)
{
	if (result == NULL)
		return;
	json_object_put(result->new_item);
	json_object_put(result->response);
	memset(result, 0, sizeof(*result));
}
