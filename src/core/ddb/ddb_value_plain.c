/*
 * ddb_value_plain.c — typed values to plain JSON and back.
 *
 * The host stores jsonb columns as plain JSON; maps and lists round-trip
 * through it. Sets and binaries have no plain spelling of their own: they
 * become arrays and base64 strings, and come back as L and S.
 */
#include "ddb_value.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_number.h"

/* A canonical number as a JSON number that serialises to exactly its text. */
static json_object *
plain_number(const char *text)
{
	ddb_number	n;
	char		canon[DDB_NUMBER_TEXT_SIZE];

	if (ddb_number_parse(text, &n) != DDB_NUMBER_OK)
		return NULL;
	ddb_number_format(&n, canon);
	/* integers within int64 stay integers */
	if (n.exponent >= 0 && n.ndigits + n.exponent <= 18)
		return json_object_new_int64(strtoll(canon, NULL, 10));
	return json_object_new_double_s(strtod(canon, NULL), canon);
}

static bool to_plain(json_object *v, json_object **out, int level);

/* A set or list payload as a plain JSON array. */
static bool
array_to_plain(json_object *payload, ddb_type type, json_object **out, int level)
{
	size_t		i,
				n = json_object_array_length(payload);
	json_object *arr = json_object_new_array_ext((int) (n ? n : 1));

	if (arr == NULL)
		return false;
	for (i = 0; i < n; i++)
	{
		json_object *e = json_object_array_get_idx(payload, i);
		json_object *pe = NULL;

		if (type == DDB_TYPE_L)
		{
			if (!to_plain(e, &pe, level + 1))
			{
				json_object_put(arr);
				return false;
			}
		}
		else if (type == DDB_TYPE_NS)
		{
			pe = plain_number(json_object_get_string(e));
			if (pe == NULL)
			{
				json_object_put(arr);
				return false;
			}
		}
		else
			pe = json_object_get(e);
		json_object_array_add(arr, pe);
	}
	*out = arr;
	return true;
}

/*
 * A typed value as plain JSON (numbers as numbers, sets and lists as
 * arrays, maps as objects), at most DDB_MAX_NESTING + 1 levels deep.
 */
static bool
to_plain(json_object *v, json_object **out, int level)
{
	ddb_type	type = ddb_value_type(v);
	json_object *p = ddb_value_payload(v);

	*out = NULL;
	if (level > DDB_MAX_NESTING + 1)
		return false;
	switch (type)
	{
		case DDB_TYPE_S:
		case DDB_TYPE_B:
			if (!json_object_is_type(p, json_type_string))
				return false;
			*out = json_object_get(p);
			return true;
		case DDB_TYPE_N:
			if (!json_object_is_type(p, json_type_string))
				return false;
			*out = plain_number(json_object_get_string(p));
			return *out != NULL;
		case DDB_TYPE_BOOL:
			*out = json_object_new_boolean(json_object_get_boolean(p));
			return true;
		case DDB_TYPE_NULL:
			return true;
		case DDB_TYPE_M:
			if (!json_object_is_type(p, json_type_object))
				return false;
			{
				json_object *obj = json_object_new_object();

				json_object_object_foreach(p, key, val)
				{
					json_object *pv = NULL;

					if (!to_plain(val, &pv, level + 1))
					{
						json_object_put(obj);
						return false;
					}
					json_object_object_add(obj, key, pv);
				}
				*out = obj;
				return true;
			}
		case DDB_TYPE_L:
		case DDB_TYPE_SS:
		case DDB_TYPE_NS:
		case DDB_TYPE_BS:
			if (!json_object_is_type(p, json_type_array))
				return false;
			return array_to_plain(p, type, out, level);
		case DDB_TYPE_NONE:
			break;
	}
	return false;
}

bool
ddb_value_to_plain(json_object *v, json_object **out)
{
	return to_plain(v, out, 0);
}

/* The typed value {type: payload} (taking payload); NULL when payload is. */
static json_object *
typed(const char *type, json_object *payload)
{
	json_object *obj;

	if (payload == NULL)
		return NULL;
	obj = json_object_new_object();
	if (obj == NULL)
	{
		json_object_put(payload);
		return NULL;
	}
	json_object_object_add(obj, type, payload);
	return obj;
}

/*
 * Plain JSON as a typed value (numbers N, strings S, booleans BOOL, null
 * NULL, arrays L, objects M), at most DDB_MAX_NESTING deep.
 */
static json_object *
from_plain(json_object *plain, int level, char **message)
{
	if (level > DDB_MAX_NESTING)
	{
		*message = strdup("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit");
		return NULL;
	}
	switch (json_object_get_type(plain))
	{
		case json_type_null:
			return typed("NULL", json_object_new_boolean(1));
		case json_type_boolean:
			return typed("BOOL", json_object_new_boolean(json_object_get_boolean(plain)));
		case json_type_string:
			return typed("S", json_object_new_string_len(json_object_get_string(plain),
														 json_object_get_string_len(plain)));
		case json_type_int:
		case json_type_double:
			{
				const char *text = json_object_to_json_string_ext(plain, JSON_C_TO_STRING_PLAIN);
				char		canon[DDB_NUMBER_TEXT_SIZE];
				ddb_number_status st = ddb_number_canonical(text, canon);

				if (st != DDB_NUMBER_OK)
				{
					*message = ddb_number_message(st, text);
					return NULL;
				}
				return typed("N", json_object_new_string(canon));
			}
		case json_type_object:
			{
				json_object *map = json_object_new_object();

				if (map == NULL)
					return NULL;
				{
					json_object_object_foreach(plain, key, val)
					{
						json_object *tv = from_plain(val, level + 1, message);

						if (tv == NULL)
						{
							json_object_put(map);
							return NULL;
						}
						json_object_object_add(map, key, tv);
					}
				}
				return typed("M", map);
			}
		case json_type_array:
			{
				size_t		i,
							n = json_object_array_length(plain);
				json_object *list = json_object_new_array_ext((int) (n ? n : 1));

				if (list == NULL)
					return NULL;
				for (i = 0; i < n; i++)
				{
					json_object *tv = from_plain(json_object_array_get_idx(plain, i), level + 1, message);

					if (tv == NULL)
					{
						json_object_put(list);
						return NULL;
					}
					json_object_array_add(list, tv);
				}
				return typed("L", list);
			}
	}
	return NULL;
}

json_object *
ddb_value_from_plain(json_object *plain, char **message)
{
	json_object *out;

	*message = NULL;
	out = from_plain(plain, 0, message);
	if (out == NULL && *message == NULL)
		*message = strdup("out of memory");
	return out;
}
