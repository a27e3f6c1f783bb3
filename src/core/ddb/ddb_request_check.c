/*
 * ddb_request_check.c — checks of a request's members, each with the
 * message DynamoDB gives: the members an operation has, enums, the
 * placeholder maps, the Key and PutItem's Item.
 */
#include "ddb_request_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_value.h"

#define MSG_SCHEMA		"The provided key element does not match the schema"

#define OP_GET		(1 << DDB_GET_ITEM)
#define OP_PUT		(1 << DDB_PUT_ITEM)
#define OP_UPDATE	(1 << DDB_UPDATE_ITEM)
#define OP_DELETE	(1 << DDB_DELETE_ITEM)
#define OP_WRITE	(OP_PUT | OP_UPDATE | OP_DELETE)
#define OP_ALL		(OP_GET | OP_WRITE)

typedef struct member
{
	const char *name;
	int			ops;			/* the operations that have it */
	const char *instead;		/* a legacy member: the expression that
								 * replaces it */
} member;

/* The request members of the four operations (DynamoDB API Reference). */
static const member members[] = {
	{"TableName", OP_ALL, NULL},
	{"Key", OP_GET | OP_UPDATE | OP_DELETE, NULL},
	{"Item", OP_PUT, NULL},
	{"ProjectionExpression", OP_GET, NULL},
	{"ConditionExpression", OP_WRITE, NULL},
	{"UpdateExpression", OP_UPDATE, NULL},
	{"ExpressionAttributeNames", OP_ALL, NULL},
	{"ExpressionAttributeValues", OP_WRITE, NULL},
	{"ReturnValues", OP_WRITE, NULL},
	{"ReturnValuesOnConditionCheckFailure", OP_WRITE, NULL},
	{"ConsistentRead", OP_GET, NULL},
	{"ReturnConsumedCapacity", OP_ALL, NULL},
	{"ReturnItemCollectionMetrics", OP_WRITE, NULL},
	{"AttributesToGet", OP_GET, "ProjectionExpression"},
	{"Expected", OP_WRITE, "ConditionExpression"},
	{"ConditionalOperator", OP_WRITE, "ConditionExpression"},
	{"AttributeUpdates", OP_UPDATE, "UpdateExpression"},
};

static char *message(const char *fmt,...) __attribute__((format(printf, 1, 2)));

/* A formatted message (malloc'd). */
static char *
message(const char *fmt,...)
{
	va_list		ap;
	char	   *out = NULL;

	va_start(ap, fmt);
	if (vasprintf(&out, fmt, ap) < 0)
		out = NULL;
	va_end(ap);
	return out ? out : strdup("out of memory");
}

char	   *
ddb_missing_member(const char *field)
{
	return message("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field);
}

char	   *
ddb_check_members(ddb_operation op, json_object *params)
{
	json_object_object_foreach(params, key, val)
	{
		size_t		i;
		const member *m = NULL;

		(void) val;
		for (i = 0; i < sizeof(members) / sizeof(members[0]) && m == NULL; i++)
			if (strcmp(members[i].name, key) == 0 && (members[i].ops & (1 << op)) != 0)
				m = &members[i];
		if (m == NULL)
			return message("The field \"%s\" is not supported by Step Functions", key);
		if (m->instead != NULL)
			return message("The legacy parameter %s is not supported; use %s", key, m->instead);
	}
	return NULL;
}

char	   *
ddb_check_string(json_object *params, const char *member, const char **out)
{
	json_object *v = NULL;

	*out = NULL;
	if (!json_object_object_get_ex(params, member, &v) || v == NULL)
		return NULL;
	if (!json_object_is_type(v, json_type_string))
		return message("The parameter %s must be a string", member);
	*out = json_object_get_string(v);
	return NULL;
}

char	   *
ddb_check_enum(json_object *params, const char *member, const char *field,
			   const char *const *allowed, const char *shown, int *index)
{
	const char *text;
	char	   *msg = ddb_check_string(params, member, &text);
	int			i;

	*index = 0;
	if (msg != NULL || text == NULL)
		return msg;
	for (i = 0; allowed[i] != NULL; i++)
		if (strcmp(allowed[i], text) == 0)
		{
			*index = i;
			return NULL;
		}
	return message("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: %s",
				   text, field, shown);
}

/* "#name" / ":value": the sigil and one or more name characters. */
static bool
placeholder_syntax(const char *key, char sigil)
{
	const char *p = key + 1;

	if (key[0] != sigil || *p == '\0')
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

/* The map under member: absent (NULL, *out NULL), or a non-empty object. */
static char *
placeholder_map(json_object *params, const char *member, json_object **out)
{
	json_object *v = NULL;

	*out = NULL;
	if (!json_object_object_get_ex(params, member, &v) || v == NULL)
		return NULL;
	if (!json_object_is_type(v, json_type_object))
		return message("The parameter %s must be a map", member);
	if (json_object_object_length(v) == 0)
		return message("%s must not be empty", member);
	*out = v;
	return NULL;
}

char	   *
ddb_check_names(json_object *params, json_object **out)
{
	char	   *msg = placeholder_map(params, "ExpressionAttributeNames", out);

	if (msg != NULL || *out == NULL)
		return msg;
	{
		json_object_object_foreach(*out, key, val)
		{
			if (!placeholder_syntax(key, '#'))
				msg = message("ExpressionAttributeNames contains invalid key: Syntax error; key: \"%s\"", key);
			else if (!json_object_is_type(val, json_type_string))
				msg = message("ExpressionAttributeNames contains invalid value: The attribute name must be a string for key %s", key);
			else if (json_object_get_string_len(val) == 0)
				msg = message("ExpressionAttributeNames contains invalid value: Empty attribute name for key %s", key);
			if (msg != NULL)
			{
				*out = NULL;
				return msg;
			}
		}
	}
	return NULL;
}

char	   *
ddb_check_values(json_object *params, json_object **out)
{
	json_object *map;
	char	   *msg = placeholder_map(params, "ExpressionAttributeValues", &map);
	json_object *checked;

	*out = NULL;
	if (msg != NULL || map == NULL)
		return msg;
	checked = json_object_new_object();
	if (checked == NULL)
		return strdup("out of memory");
	{
		json_object_object_foreach(map, key, val)
		{
			char	   *why = NULL;
			char	   *where = NULL;
			json_object *cv;

			if (!placeholder_syntax(key, ':'))
			{
				json_object_put(checked);
				return message("ExpressionAttributeValues contains invalid key: Syntax error; key: \"%s\"", key);
			}
			cv = ddb_value_check(val, &why, &where);
			if (cv == NULL)
			{
				msg = message("ExpressionAttributeValues contains invalid value: %s for key %s", why, key);
				free(why);
				free(where);
				json_object_put(checked);
				return msg;
			}
			json_object_object_add(checked, key, cv);
		}
	}
	*out = checked;
	return NULL;
}

/* Whether name is one of the table's key attributes. */
static bool
is_key_name(const char *name, char *const *key_names, size_t n_keys)
{
	size_t		i;

	for (i = 0; i < n_keys; i++)
		if (strcmp(key_names[i], name) == 0)
			return true;
	return false;
}

/* One key attribute's checked value: a scalar S, N or B, and S and B not empty. */
static char *
check_key_value(const char *name, json_object *v)
{
	ddb_type	t = ddb_value_type(v);

	if (t != DDB_TYPE_S && t != DDB_TYPE_N && t != DDB_TYPE_B)
		return strdup(MSG_SCHEMA);
	if (t != DDB_TYPE_N && json_object_get_string_len(ddb_value_payload(v)) == 0)
		return message("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s",
					   t == DDB_TYPE_S ? "string" : "binary", name);
	return NULL;
}

/* Checks obj as an item (attribute → typed value); the checked copy, or NULL and *msg. */
static json_object *
checked_item(json_object *obj, char **msg)
{
	char	   *where = NULL;
	json_object *out = ddb_item_check(obj, msg, &where);

	free(where);
	return out;
}

char	   *
ddb_check_key(json_object *key, char *const *key_names, size_t n_keys, json_object **out)
{
	char	   *msg = NULL;
	json_object *checked;

	*out = NULL;
	if (key == NULL)
		return ddb_missing_member("key");
	checked = checked_item(key, &msg);
	if (checked == NULL)
		return msg;
	if ((size_t) json_object_object_length(checked) != n_keys)
	{
		json_object_put(checked);
		return strdup(MSG_SCHEMA);
	}
	{
		json_object_object_foreach(checked, name, val)
		{
			msg = is_key_name(name, key_names, n_keys) ? check_key_value(name, val) : strdup(MSG_SCHEMA);
			if (msg != NULL)
			{
				json_object_put(checked);
				return msg;
			}
		}
	}
	*out = checked;
	return NULL;
}

char	   *
ddb_check_item(json_object *item, char *const *key_names, size_t n_keys,
			   json_object **checked, json_object **key)
{
	char	   *msg = NULL;
	json_object *c;
	json_object *k;
	size_t		i;

	*checked = NULL;
	*key = NULL;
	if (item == NULL)
		return ddb_missing_member("item");
	c = checked_item(item, &msg);
	if (c == NULL)
		return msg;
	k = json_object_new_object();
	for (i = 0; i < n_keys && msg == NULL && k != NULL; i++)
	{
		json_object *v = NULL;

		if (!json_object_object_get_ex(c, key_names[i], &v))
			msg = message("One or more parameter values were invalid: Missing the key %s in the item", key_names[i]);
		else if ((msg = check_key_value(key_names[i], v)) == NULL)
			json_object_object_add(k, key_names[i], json_object_get(v));
	}
	if (k == NULL)
		msg = strdup("out of memory");
	if (msg != NULL)
	{
		json_object_put(c);
		json_object_put(k);
		return msg;
	}
	*checked = c;
	*key = k;
	return NULL;
}
