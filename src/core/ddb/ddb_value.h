/*
 * ddb_value.h — DynamoDB typed attribute values as json-c objects.
 *
 * A typed value is an object with exactly one type key: {"S": "x"},
 * {"N": "12.5"}, {"B": "base64"}, {"BOOL": true}, {"NULL": true},
 * {"M": {name: value, ...}}, {"L": [value, ...]}, {"SS": [...]},
 * {"NS": [...]}, {"BS": [...]}. An item is an object of attribute name →
 * typed value.
 *
 * Values from outside (a request, a row) are checked once with
 * ddb_value_check / ddb_item_check, which also normalise them; every other
 * function here expects checked values and never fails on them.
 */
#ifndef DDB_VALUE_H
#define DDB_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <json-c/json.h>

/* Nesting DynamoDB allows below a top-level attribute. */
#define DDB_MAX_NESTING		32
/* Largest item DynamoDB stores, in bytes as it counts them. */
#define DDB_MAX_ITEM_SIZE	409600

typedef enum ddb_type
{
	DDB_TYPE_NONE = 0,			/* not a typed value */
	DDB_TYPE_S,
	DDB_TYPE_N,
	DDB_TYPE_B,
	DDB_TYPE_BOOL,
	DDB_TYPE_NULL,
	DDB_TYPE_M,
	DDB_TYPE_L,
	DDB_TYPE_SS,
	DDB_TYPE_NS,
	DDB_TYPE_BS
} ddb_type;

/* "S", "N", ..., "BS"; "" for DDB_TYPE_NONE. */
const char *ddb_type_name(ddb_type type);

/* The inverse (case-sensitive); DDB_TYPE_NONE for anything else. */
ddb_type	ddb_type_from_name(const char *name);

/* The type of v: its single key; DDB_TYPE_NONE unless v is an object with exactly one known key. */
ddb_type	ddb_value_type(json_object *v);

/* The value under the type key (borrowed); NULL for NULL's payload or a non-value. */
json_object *ddb_value_payload(json_object *v);

/*
 * Checks v as DynamoDB checks an AttributeValue and returns a normalised deep
 * copy: numbers in canonical form, BOOL and NULL as JSON booleans (NULL is
 * always true). On failure returns NULL, *message is DynamoDB's message and
 * *where the location inside v ("" for v itself, ".a", "[2].b"); both
 * malloc'd, for the caller to free.
 */
json_object *ddb_value_check(json_object *v, char **message, char **where);

/* Same for an item; *where starts with the attribute name ("a", "a.b[0]"). */
json_object *ddb_item_check(json_object *item, char **message, char **where);

/*
 * Strict base64 (RFC 4648 with padding, as DynamoDB accepts it). On success
 * *out is a malloc'd buffer of *len bytes (non-NULL even when empty).
 */
bool		ddb_base64_decode(const char *text, size_t text_len, unsigned char **out, size_t *len);

/* ---- operations on checked values (ddb_value_ops.c) ---- */

/* A deep copy of v (a new reference); NULL when v is NULL or memory runs out. */
json_object *ddb_value_copy(json_object *v);

/* Same type and same value: numbers numerically, sets as sets. NULL (absent) is never equal. */
bool		ddb_value_equal(json_object *a, json_object *b);

/*
 * Ordering as the comparators use it: N with N numerically, S with S and B
 * with B bytewise. Returns false (no order) for any other pair, absent values
 * included.
 */
bool		ddb_value_compare(json_object *a, json_object *b, int *cmp);

/*
 * size(): bytes of S (UTF-8) and B, elements of sets and L, entries of M.
 * False for N, BOOL, NULL and absent values.
 */
bool		ddb_value_size(json_object *v, long *size);

/*
 * contains(): a substring of S (bytes of B), an element of a set of the
 * needle's type, an element of L equal to the needle.
 */
bool		ddb_value_contains(json_object *haystack, json_object *needle);

/* begins_with(): S with an S prefix, B with a B prefix. */
bool		ddb_value_begins_with(json_object *v, json_object *prefix);

/* Size of an item as DynamoDB counts it against DDB_MAX_ITEM_SIZE. */
size_t		ddb_item_size(json_object *item);

/* ---- plain JSON (ddb_value_plain.c) ---- */

/*
 * Typed → plain: S → string, N → number, B → its base64 string, BOOL → bool,
 * NULL → null, M → object, L → array, SS/BS → array of strings, NS → array
 * of numbers. A number keeps its exact text (integers that fit become int64).
 * Returns false for a non-value. *out is a new reference (NULL is JSON null).
 */
bool		ddb_value_to_plain(json_object *v, json_object **out);

/*
 * Plain → typed: string → S, number → N, bool → BOOL, null → NULL,
 * object → M, array → L. A number DynamoDB cannot store fails: returns NULL
 * and *message (malloc'd).
 */
json_object *ddb_value_from_plain(json_object *plain, char **message);

#endif
