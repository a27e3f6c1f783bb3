/*
 * ddb_request_impl.h — what the request files share: the prepared request
 * and the checks of its members (ddb_request_check.c).
 *
 * Every check returns NULL when the member is fine, or DynamoDB's message
 * (malloc'd) when it would refuse it.
 */
#ifndef DDB_REQUEST_IMPL_H
#define DDB_REQUEST_IMPL_H

#include "ddb_expr.h"
#include "ddb_request.h"

typedef enum ddb_return_values
{
	DDB_RETURN_NONE,
	DDB_RETURN_ALL_OLD,
	DDB_RETURN_UPDATED_OLD,
	DDB_RETURN_ALL_NEW,
	DDB_RETURN_UPDATED_NEW
} ddb_return_values;

struct ddb_request
{
	ddb_operation op;
	char	  **key_names;
	size_t		n_keys;
	json_object *key;			/* checked key: attribute → typed value */
	json_object *item;			/* PutItem: the checked item */
	json_object *values;		/* checked ExpressionAttributeValues, or NULL */
	ddb_condition *condition;
	ddb_update *update;
	ddb_projection *projection;
	ddb_return_values return_values;
};

/* Members the operation does not have, and legacy members we do not run. */
char	   *ddb_check_members(ddb_operation op, json_object *params);

/* A string member: absent (*out NULL), or a string (*out borrowed). */
char	   *ddb_check_string(json_object *params, const char *member, const char **out);

/*
 * An enum member: absent (*index 0, the first of allowed) or one of allowed
 * (NULL-terminated, in DynamoDB's order); shown is how DynamoDB lists them.
 */
char	   *ddb_check_enum(json_object *params, const char *member, const char *field,
						   const char *const *allowed, const char *shown, int *index);

/* ExpressionAttributeNames: {"#n": "name"}; *out borrowed (NULL when absent). */
char	   *ddb_check_names(json_object *params, json_object **out);

/* ExpressionAttributeValues: {":v": typed value}; *out a checked copy (NULL when absent). */
char	   *ddb_check_values(json_object *params, json_object **out);

/* Key: exactly the key attributes, each S, N or B and not empty; *out a checked copy. */
char	   *ddb_check_key(json_object *key, char *const *key_names, size_t n_keys, json_object **out);

/* PutItem's Item: a valid item holding the key; *item a checked copy, *key its key. */
char	   *ddb_check_item(json_object *item, char *const *key_names, size_t n_keys,
						   json_object **checked, json_object **key);

/* DynamoDB's message for a "member must not be null" failure. */
char	   *ddb_missing_member(const char *field);

#endif
