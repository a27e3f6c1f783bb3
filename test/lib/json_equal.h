/*
 * json_equal.h — equality of two JSON documents as the JSONata suite judges
 * results: numbers by their double value (1 equals 1.0), strings byte for
 * byte, arrays in order, objects whatever their key order. Shared by the
 * suite's unit test (test/unit/test_jsonata_suite.c) and the JSONata
 * benchmark (bench/jsonata/core_bench.c), which measures only right results.
 */
#ifndef BOOKING_JSON_EQUAL_H
#define BOOKING_JSON_EQUAL_H

#include <stdbool.h>
#include <string.h>

#include <json-c/json.h>

static bool
json_equal(json_object *a, json_object *b)
{
	json_type	ta = json_object_get_type(a),
				tb = json_object_get_type(b);

	if ((ta == json_type_int || ta == json_type_double) && (tb == json_type_int || tb == json_type_double))
		return json_object_get_double(a) == json_object_get_double(b);
	if (ta != tb)
		return false;
	switch (ta)
	{
		case json_type_null:
			return true;
		case json_type_boolean:
			return json_object_get_boolean(a) == json_object_get_boolean(b);
		case json_type_string:
			return json_object_get_string_len(a) == json_object_get_string_len(b) &&
				memcmp(json_object_get_string(a), json_object_get_string(b), (size_t) json_object_get_string_len(a)) == 0;
		case json_type_array:
			if (json_object_array_length(a) != json_object_array_length(b))
				return false;
			for (size_t i = 0; i < json_object_array_length(a); i++)
				if (!json_equal(json_object_array_get_idx(a, i), json_object_array_get_idx(b, i)))
					return false;
			return true;
		case json_type_object:
			if (json_object_object_length(a) != json_object_object_length(b))
				return false;
			{
				json_object_object_foreach(a, k, v)
				{
					json_object *w;

					if (!json_object_object_get_ex(b, k, &w) || !json_equal(v, w))
						return false;
				}
			}
			return true;
		default:
			return false;
	}
}

#endif							/* BOOKING_JSON_EQUAL_H */
