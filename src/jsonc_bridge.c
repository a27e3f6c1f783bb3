/*
 * jsonc_bridge.c — json-c values in a PostgreSQL backend (see the header).
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/memutils.h"

#include "jsonc_bridge.h"
#include "core/asl/definition.h"


/* Memory context reset callback: releases an owned json-c document. */
static void
owned_release_callback(void *arg)
{
	booking_release((BookingOwned *) arg);
}

BookingOwned *
booking_owner(booking_free_fn free_fn)
{
	BookingOwned *owner = palloc0(sizeof(BookingOwned));

	owner->free_fn = free_fn;
	owner->callback.func = owned_release_callback;
	owner->callback.arg = owner;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, &owner->callback);
	return owner;
}

void
booking_release(BookingOwned *owner)
{
	void	   *ptr = owner->ptr;

	owner->ptr = NULL;
	if (ptr != NULL)
		owner->free_fn(ptr);
}

void
booking_json_put(void *obj)
{
	json_object_put((json_object *) obj);
}

void
booking_machine_free(void *machine)
{
	asl_machine_free((asl_machine *) machine);
}

/* Release callback of diagnostics owned by a memory context. */
static void
diags_free(void *ptr)
{
	asl_diags_free((asl_diags *) ptr);
	free(ptr);
}

asl_diags  *
booking_diags_new(void)
{
	BookingOwned *owner = booking_owner(diags_free);
	asl_diags  *d = malloc(sizeof(asl_diags));

	if (d == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	asl_diags_init(d);
	owner->ptr = d;
	return d;
}

/*
 * A jsonb number as json-c holds it: int64 when it is one, otherwise a double
 * that keeps numeric's own digits, so a value too large or too precise for a
 * double still leaves the execution exactly as it came in.
 */
/*
 * The RFC 6901 pointer to where the walk of booking_jsonb_to_jsonc stands:
 * stack[0 .. depth - 1] are the open containers, keys[l] the key stack[l]
 * was added under, key the pending scalar's.
 */
static char *
walk_pointer(json_object **stack, char **keys, int depth, const char *key)
{
	StringInfoData p;

	initStringInfo(&p);
	for (int l = 0; l < depth; l++)
	{
		bool		innermost = l == depth - 1;

		appendStringInfoChar(&p, '/');
		if (json_object_is_type(stack[l], json_type_array))
			appendStringInfo(&p, "%zu", json_object_array_length(stack[l]) - (innermost ? 0 : 1));
		else
		{
			const char *k = innermost ? key : keys[l + 1];

			for (; k != NULL && *k; k++)
			{
				if (*k == '~')
					appendStringInfoString(&p, "~0");
				else if (*k == '/')
					appendStringInfoString(&p, "~1");
				else
					appendStringInfoChar(&p, *k);
			}
		}
	}
	return p.data;
}

/*
 * A number a double can't hold (1e400): json-c would make it infinite, and
 * every later step would compute with that. Rejected where it stands.
 */
static void
number_out_of_range(const char *text, json_object **stack, char **keys, int depth, const char *key)
{
	char	   *pointer = walk_pointer(stack, keys, depth, key);

	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("JSON number %s at %s is out of range", text, pointer[0] ? pointer : "the top level"),
			 errdetail("Numbers must fit an IEEE 754 double (at most about 1.8e308 in magnitude).")));
}

/*
 * A numeric as a json-c number: int64 when integral and in range, else a
 * double that keeps the numeric's text.
 */
static json_object *
jsonc_number(Numeric num, json_object **stack, char **keys, int depth, const char *key)
{
	char	   *text = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
	json_object *obj;
	double		d;

	if (strpbrk(text, ".eE") == NULL)
	{
		long long	i;

		errno = 0;
		i = strtoll(text, NULL, 10);
		if (errno == 0)
		{
			pfree(text);
			return json_object_new_int64((int64_t) i);
		}
	}
	d = strtod(text, NULL);
	if (isinf(d) || isnan(d))
		number_out_of_range(numeric_out_sci(num, 3), stack, keys, depth, key);
	obj = json_object_new_double_s(d, text);
	pfree(text);
	return obj;
}

/* A jsonb scalar as a json-c value. */
static json_object *
jsonc_scalar(const JsonbValue *v, json_object **stack, char **keys, int depth, const char *key)
{
	switch (v->type)
	{
		case jbvNull:
			return json_object_new_null();
		case jbvBool:
			return json_object_new_boolean(v->val.boolean);
		case jbvNumeric:
			return jsonc_number(v->val.numeric, stack, keys, depth, key);
		case jbvString:
			return json_object_new_string_len(v->val.string.val, v->val.string.len);
		default:
			elog(ERROR, "unexpected jsonb scalar type %d", (int) v->type);
	}
	return NULL;				/* not reached */
}

/* Walked with jsonb's iterator: printing the document and parsing it again cost twice. */
json_object *
booking_jsonb_to_jsonc(Jsonb *jb)
{
	BookingOwned *owner = booking_owner(booking_json_put);
	json_object *stack[BOOKING_JSON_MAX_DEPTH + 1];
	char	   *keys[BOOKING_JSON_MAX_DEPTH + 1];	/* the key stack[l] was
													 * added under */
	int			depth = 0;
	char	   *key = NULL;
	JsonbIterator *it = JsonbIteratorInit(&jb->root);
	JsonbValue	v;
	JsonbIteratorToken token;

	while ((token = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		json_object *made = NULL;

		switch (token)
		{
			case WJB_BEGIN_ARRAY:
				if (v.val.array.rawScalar)
					continue;	/* a scalar document: its one element is the
								 * value */
				made = json_object_new_array();
				break;
			case WJB_BEGIN_OBJECT:
				made = json_object_new_object();
				break;
			case WJB_END_ARRAY:
			case WJB_END_OBJECT:
				if (depth > 0)
					depth--;
				continue;
			case WJB_KEY:
				key = pnstrdup(v.val.string.val, v.val.string.len);
				continue;
			case WJB_VALUE:
			case WJB_ELEM:
				made = jsonc_scalar(&v, stack, keys, depth, key);
				break;
			default:
				continue;
		}

		/*
		 * json-c's null is the NULL pointer: only a non-null value can be out
		 * of memory
		 */
		if (made == NULL && !(token != WJB_BEGIN_ARRAY && token != WJB_BEGIN_OBJECT && v.type == jbvNull))
			ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
		if (depth == 0)
			owner->ptr = made;	/* the root: freeing it frees all added below */
		else if (json_object_is_type(stack[depth - 1], json_type_object))
		{
			/*
			 * jsonb keys are unique already: json-c needn't look for a
			 * duplicate
			 */
			json_object_object_add_ex(stack[depth - 1], key, made, JSON_C_OBJECT_ADD_KEY_IS_NEW);
			if (token == WJB_BEGIN_ARRAY || token == WJB_BEGIN_OBJECT)
				keys[depth] = key;	/* kept for a pointer to what lies inside */
			else
				pfree(key);
			key = NULL;
		}
		else
			json_object_array_add(stack[depth - 1], made);
		if (token == WJB_BEGIN_ARRAY || token == WJB_BEGIN_OBJECT)
		{
			if (depth == BOOKING_JSON_MAX_DEPTH)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("JSON document cannot be processed: nesting too deep"),
						 errhint("Documents may nest at most %d levels.", BOOKING_JSON_MAX_DEPTH)));
			stack[depth++] = made;
		}
	}
	return (json_object *) owner->ptr;
}

char	   *
booking_jsonc_to_cstring(json_object *obj)
{
	size_t		len;
	const char *text = json_object_to_json_string_length(obj,
														 JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
														 &len);

	return pnstrdup(text, len);
}

static JsonbValue *push_jsonc(JsonbParseState **state, json_object *obj, JsonbIteratorToken token);

void
booking_check_jsonb_string(const char *str, size_t len)
{
	/*
	 * what jsonb_in would refuse: text can't hold NUL, nor bytes that aren't
	 * UTF-8
	 */
	if (memchr(str, '\0', len) != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNTRANSLATABLE_CHARACTER),
				 errmsg("unsupported Unicode escape sequence"),
				 errdetail("\\u0000 cannot be converted to text.")));
	(void) pg_verifymbstr(str, (int) len, false);
}

/*
 * Pushes a json-c string into a jsonb; raises on what jsonb cannot hold
 * (NUL, invalid UTF-8).
 */
static JsonbValue *
push_string(JsonbParseState **state, const char *str, size_t len, JsonbIteratorToken token)
{
	JsonbValue	v;

	booking_check_jsonb_string(str, len);
	v.type = jbvString;
	v.val.string.val = (char *) str;
	v.val.string.len = (int) len;
	return pushJsonbValue(state, token, &v);
}

/*
 * Pushes a json-c number into a jsonb as numeric, from its text when int64
 * cannot hold it.
 */
static JsonbValue *
push_number(JsonbParseState **state, json_object *obj, JsonbIteratorToken token)
{
	JsonbValue	v;

	v.type = jbvNumeric;

	/*
	 * int64's bounds also stand for larger integers json-c keeps as uint64:
	 * take the text
	 */
	if (json_object_get_type(obj) == json_type_int &&
		json_object_get_int64(obj) != PG_INT64_MAX && json_object_get_int64(obj) != PG_INT64_MIN)
		v.val.numeric = int64_to_numeric(json_object_get_int64(obj));
	else if (json_object_get_type(obj) == json_type_int)
		v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															CStringGetDatum(json_object_to_json_string(obj)),
															ObjectIdGetDatum(InvalidOid),
															Int32GetDatum(-1)));
	else
	{
		double		d = json_object_get_double(obj);

		if (isnan(d) || isinf(d))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("a JSON number cannot be %s", isnan(d) ? "NaN" : "infinite")));

		/*
		 * json-c's own text for it: a parsed number keeps the digits it was
		 * written with
		 */
		v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															CStringGetDatum(json_object_to_json_string(obj)),
															ObjectIdGetDatum(InvalidOid),
															Int32GetDatum(-1)));
	}
	return pushJsonbValue(state, token, &v);
}

/* Returns what the last push returned: the finished value once the outermost container closes. */
static JsonbValue *
push_jsonc(JsonbParseState **state, json_object *obj, JsonbIteratorToken token)
{
	JsonbValue	v;

	check_stack_depth();
	switch (json_object_get_type(obj))
	{
		case json_type_null:
			v.type = jbvNull;
			return pushJsonbValue(state, token, &v);
		case json_type_boolean:
			v.type = jbvBool;
			v.val.boolean = json_object_get_boolean(obj);
			return pushJsonbValue(state, token, &v);
		case json_type_int:
		case json_type_double:
			return push_number(state, obj, token);
		case json_type_string:
			return push_string(state, json_object_get_string(obj),
							   (size_t) json_object_get_string_len(obj), token);
		case json_type_array:
			pushJsonbValue(state, WJB_BEGIN_ARRAY, NULL);
			for (size_t i = 0; i < json_object_array_length(obj); i++)
				(void) push_jsonc(state, json_object_array_get_idx(obj, i), WJB_ELEM);
			return pushJsonbValue(state, WJB_END_ARRAY, NULL);
		case json_type_object:
			pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
			{
				/* the foreach macro declares its iterators: give it a block */
				json_object_object_foreach(obj, key, member)
				{
					(void) push_string(state, key, strlen(key), WJB_KEY);
					(void) push_jsonc(state, member, WJB_VALUE);
				}
			}
			return pushJsonbValue(state, WJB_END_OBJECT, NULL);
	}
	return NULL;				/* not reached: json-c has no other type */
}

void
booking_push_jsonc_member(JsonbParseState **state, const char *key, json_object *obj)
{
	(void) push_string(state, key, strlen(key), WJB_KEY);
	(void) push_jsonc(state, obj, WJB_VALUE);
}

/* Built value by value: a round trip through text would parse every document again. */
Jsonb	   *
booking_jsonc_to_jsonb(json_object *obj)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;

	switch (json_object_get_type(obj))
	{
		case json_type_array:
		case json_type_object:
			result = push_jsonc(&state, obj, WJB_ELEM); /* the token is unused
														 * for containers */
			break;
		default:
			/* a scalar document is a one-element raw-scalar array in jsonb */
			{
				JsonbValue	scalar_array;

				scalar_array.type = jbvArray;
				scalar_array.val.array.rawScalar = true;
				scalar_array.val.array.nElems = 1;
				(void) pushJsonbValue(&state, WJB_BEGIN_ARRAY, &scalar_array);
				(void) push_jsonc(&state, obj, WJB_ELEM);
				result = pushJsonbValue(&state, WJB_END_ARRAY, NULL);
			}
			break;
	}
	return JsonbValueToJsonb(result);
}
