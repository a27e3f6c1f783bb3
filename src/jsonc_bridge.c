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
 * A json-c string as a jsonb string (pointing into obj's text); raises on
 * what jsonb cannot hold (NUL, invalid UTF-8).
 */
static void
string_value(const char *str, size_t len, JsonbValue *v)
{
	booking_check_jsonb_string(str, len);
	v->type = jbvString;
	v->val.string.val = (char *) str;
	v->val.string.len = (int) len;
}

/* Raises on what no JSON number is: NaN, infinities. */
static void
check_finite(double d)
{
	if (isnan(d) || isinf(d))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("a JSON number cannot be %s", isnan(d) ? "NaN" : "infinite")));
}

/*
 * A json-c integer that int64 holds exactly: json_object_get_int64 clamps
 * larger integers (json-c keeps them as uint64) to int64's bounds, so a
 * bound stands for "take json-c's text".
 */
static bool
int64_exact(json_object *obj)
{
	int64		i = json_object_get_int64(obj);

	return i != PG_INT64_MAX && i != PG_INT64_MIN;
}

/* A json-c number as a jsonb numeric, from its text when int64 cannot hold it. */
static void
number_value(json_object *obj, JsonbValue *v)
{
	v->type = jbvNumeric;
	if (json_object_get_type(obj) == json_type_int && int64_exact(obj))
		v->val.numeric = int64_to_numeric(json_object_get_int64(obj));
	else if (json_object_get_type(obj) == json_type_int)
		v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															 CStringGetDatum(json_object_to_json_string(obj)),
															 ObjectIdGetDatum(InvalidOid),
															 Int32GetDatum(-1)));
	else
	{
		check_finite(json_object_get_double(obj));

		/*
		 * json-c's own text for it: a parsed number keeps the digits it was
		 * written with
		 */
		v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															 CStringGetDatum(json_object_to_json_string(obj)),
															 ObjectIdGetDatum(InvalidOid),
															 Int32GetDatum(-1)));
	}
}

/* A json-c scalar (not an array or object) as a jsonb scalar. */
static void
scalar_value(json_object *obj, JsonbValue *v)
{
	switch (json_object_get_type(obj))
	{
		case json_type_null:
			v->type = jbvNull;
			break;
		case json_type_boolean:
			v->type = jbvBool;
			v->val.boolean = json_object_get_boolean(obj);
			break;
		case json_type_int:
		case json_type_double:
			number_value(obj, v);
			break;
		case json_type_string:
			string_value(json_object_get_string(obj), (size_t) json_object_get_string_len(obj), v);
			break;
		case json_type_array:
		case json_type_object:
			elog(ERROR, "a JSON container is not a scalar");
	}
}

static JsonbValue *
push_string(JsonbParseState **state, const char *str, size_t len, JsonbIteratorToken token)
{
	JsonbValue	v;

	string_value(str, len, &v);
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
		default:
			scalar_value(obj, &v);
			return pushJsonbValue(state, token, &v);
	}
}

void
booking_push_jsonc_member(JsonbParseState **state, const char *key, json_object *obj)
{
	(void) push_string(state, key, strlen(key), WJB_KEY);
	(void) push_jsonc(state, obj, WJB_VALUE);
}

/* jsonb's key order: shorter first, then bytewise (see jsonb_util.c). */
static int
pair_order(const void *a, const void *b)
{
	const JsonbPair *pa = (const JsonbPair *) a;
	const JsonbPair *pb = (const JsonbPair *) b;
	int			la = pa->key.val.string.len;
	int			lb = pb->key.val.string.len;
	int			c;

	if (la != lb)
		return la < lb ? -1 : 1;
	c = memcmp(pa->key.val.string.val, pb->key.val.string.val, la);
	if (c != 0)
		return c;
	return pa->order < pb->order ? -1 : pa->order > pb->order ? 1 : 0;
}

/*
 * obj as a tree of JsonbValues, its strings pointing into obj: built in one
 * walk, each container's members in one allocation, where pushJsonbValue
 * would copy every value into a growing parse state. Object keys are sorted
 * as jsonb stores them; of repeated keys the last is kept, as jsonb_in does.
 */
static void
tree_value(json_object *obj, JsonbValue *v)
{
	check_stack_depth();
	switch (json_object_get_type(obj))
	{
		case json_type_array:
			{
				int			n = (int) json_object_array_length(obj);

				v->type = jbvArray;
				v->val.array.rawScalar = false;
				v->val.array.nElems = n;
				v->val.array.elems = n > 0 ? palloc(sizeof(JsonbValue) * n) : NULL;
				for (int i = 0; i < n; i++)
					tree_value(json_object_array_get_idx(obj, i), &v->val.array.elems[i]);
				break;
			}
		case json_type_object:
			{
				int			n = json_object_object_length(obj);
				int			i = 0;
				int			kept = 0;
				JsonbPair  *pairs = n > 0 ? palloc(sizeof(JsonbPair) * n) : NULL;

				{
					/*
					 * the foreach macro declares its iterators: give it a
					 * block
					 */
					json_object_object_foreach(obj, key, member)
					{
						string_value(key, strlen(key), &pairs[i].key);
						tree_value(member, &pairs[i].value);
						pairs[i].order = i;
						i++;
					}
				}
				if (n > 1)
					qsort(pairs, n, sizeof(JsonbPair), pair_order);
				for (i = 0; i < n; i++)
				{
					/* equal keys sort by order: the last of a run is kept */
					if (i + 1 < n && pairs[i].key.val.string.len == pairs[i + 1].key.val.string.len &&
						memcmp(pairs[i].key.val.string.val, pairs[i + 1].key.val.string.val,
							   pairs[i].key.val.string.len) == 0)
						continue;
					pairs[kept++] = pairs[i];
				}
				v->type = jbvObject;
				v->val.object.nPairs = kept;
				v->val.object.pairs = pairs;
				break;
			}
		default:
			scalar_value(obj, v);
			break;
	}
}

/* Frees what tree_value allocated (not the strings: they are obj's). */
static void
tree_free(JsonbValue *v)
{
	if (v->type == jbvArray && v->val.array.elems != NULL)
	{
		for (int i = 0; i < v->val.array.nElems; i++)
			tree_free(&v->val.array.elems[i]);
		pfree(v->val.array.elems);
	}
	else if (v->type == jbvObject && v->val.object.pairs != NULL)
	{
		for (int i = 0; i < v->val.object.nPairs; i++)
			tree_free(&v->val.object.pairs[i].value);
		pfree(v->val.object.pairs);
	}
	else if (v->type == jbvNumeric)
		pfree(v->val.numeric);
}

/* Built from a tree of values: a round trip through text would parse every document again. */
Jsonb	   *
booking_jsonc_to_jsonb(json_object *obj)
{
	JsonbValue	tree;
	Jsonb	   *result;

	tree_value(obj, &tree);
	/* a scalar becomes a one-element raw-scalar array there */
	result = JsonbValueToJsonb(&tree);
	tree_free(&tree);
	return result;
}

/* JSON's two-character escape of c, or NULL when it has none (\u00XX then). */
static const char *
short_escape(unsigned char c)
{
	switch (c)
	{
		case '"':
			return "\\\"";
		case '\\':
			return "\\\\";
		case '\b':
			return "\\b";
		case '\f':
			return "\\f";
		case '\n':
			return "\\n";
		case '\r':
			return "\\r";
		case '\t':
			return "\\t";
		default:
			return NULL;
	}
}

/*
 * What a byte of a string needs in JSON text: nothing (copied), an escape
 * (controls, quote, backslash), or a look at the whole string's UTF-8
 * (bytes past ASCII). Events are mostly ASCII names, keys and timestamps.
 */
enum
{
	JSON_PLAIN = 0,
	JSON_ESCAPE = 1,
	JSON_NON_ASCII = 2
};

static const uint8 json_byte_class[256] = {
	/* 0x00-0x1f: controls */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	/* 0x20-0x7f: '"' and '\\' */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* 0x80-0xff */
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
};

/*
 * True when one of the 8 bytes of w needs a look: a control character, '"',
 * '\\' or a byte past ASCII (the "has a byte less than n" test of
 * bit-twiddling lore; it may flag a byte after one that does, never misses).
 */
static inline bool
word_needs_look(uint64 w)
{
	const uint64 ones = UINT64CONST(0x0101010101010101);
	const uint64 highs = UINT64CONST(0x8080808080808080);
	uint64		quote = w ^ (ones * '"');
	uint64		backslash = w ^ (ones * '\\');

	return (((w - ones * 0x20) & ~w) |
			((quote - ones) & ~quote) |
			((backslash - ones) & ~backslash) |
			w) & highs;
}

/*
 * Appends str as a JSON string, refusing what booking_check_jsonb_string
 * refuses. A string that needs no escape, as most in events (names, keys,
 * timestamps), is found so eight bytes at a time and copied whole;
 * otherwise runs between escapes are (escape_json appends a character at a
 * time). UTF-8 is checked only when a byte past ASCII is there.
 */
void
booking_append_json_string(StringInfo buf, const char *str, size_t len)
{
	const char *end = str + len;
	const char *p = str;
	const char *run = str;
	bool		checked = false;

	while (end - p >= 8)
	{
		uint64		w;

		memcpy(&w, p, sizeof(w));
		if (word_needs_look(w))
			break;
		p += 8;
	}
	while (p < end && json_byte_class[(unsigned char) *p] == JSON_PLAIN)
		p++;
	if (p == end)
	{
		char	   *d;

		/* most strings fit: the call only when they don't */
		if ((size_t) (buf->maxlen - buf->len) <= len + 2)
			enlargeStringInfo(buf, (int) len + 2);
		d = buf->data + buf->len;
		d[0] = '"';
		memcpy(d + 1, str, len);
		d[len + 1] = '"';
		buf->len += (int) len + 2;
		buf->data[buf->len] = '\0';
		return;
	}
	appendStringInfoCharMacro(buf, '"');
	for (; p < end; p++)
	{
		unsigned char c = (unsigned char) *p;
		uint8		class = json_byte_class[c];
		const char *escape;

		if (class == JSON_PLAIN)
			continue;
		if (class == JSON_NON_ASCII)
		{
			if (!checked)
				booking_check_jsonb_string(str, len);
			checked = true;
			continue;
		}
		if (c == '\0')
			booking_check_jsonb_string(str, len);	/* raises */
		appendBinaryStringInfo(buf, run, (int) (p - run));
		run = p + 1;
		escape = short_escape(c);
		if (escape != NULL)
			appendBinaryStringInfo(buf, escape, 2);
		else
			appendStringInfo(buf, "\\u%04x", c);
	}
	appendBinaryStringInfo(buf, run, (int) (end - run));
	appendStringInfoCharMacro(buf, '"');
}

/* Appends obj to buf as JSON text, refusing what booking_jsonc_to_jsonb refuses. */
static void
append_json(StringInfo buf, json_object *obj)
{
	switch (json_object_get_type(obj))
	{
		case json_type_null:
			appendBinaryStringInfo(buf, "null", 4);
			break;
		case json_type_boolean:
			if (json_object_get_boolean(obj))
				appendBinaryStringInfo(buf, "true", 4);
			else
				appendBinaryStringInfo(buf, "false", 5);
			break;
		case json_type_int:
			if (int64_exact(obj))
			{
				char		digits[MAXINT8LEN + 1];

				appendBinaryStringInfo(buf, digits, pg_lltoa(json_object_get_int64(obj), digits));
				break;
			}
			appendStringInfoString(buf, json_object_to_json_string(obj));
			break;
		case json_type_double:
			check_finite(json_object_get_double(obj));
			/* json-c's text: a parsed number keeps its digits, as in jsonb */
			appendStringInfoString(buf, json_object_to_json_string(obj));
			break;
		case json_type_string:
			booking_append_json_string(buf, json_object_get_string(obj), (size_t) json_object_get_string_len(obj));
			break;
		case json_type_array:
			{
				size_t		n = json_object_array_length(obj);

				check_stack_depth();	/* only containers nest */
				appendStringInfoCharMacro(buf, '[');
				for (size_t i = 0; i < n; i++)
				{
					if (i > 0)
						appendStringInfoCharMacro(buf, ',');
					append_json(buf, json_object_array_get_idx(obj, i));
				}
				appendStringInfoCharMacro(buf, ']');
				break;
			}
		case json_type_object:
			{
				bool		first = true;

				check_stack_depth();
				appendStringInfoCharMacro(buf, '{');
				{
					/*
					 * the foreach macro declares its iterators: give it a
					 * block
					 */
					json_object_object_foreach(obj, key, value)
					{
						if (!first)
							appendStringInfoCharMacro(buf, ',');
						first = false;
						booking_append_json_string(buf, key, strlen(key));
						appendStringInfoCharMacro(buf, ':');
						append_json(buf, value);
					}
				}
				appendStringInfoCharMacro(buf, '}');
				break;
			}
	}
}

text	   *
booking_jsonc_to_json(json_object *obj)
{
	StringInfoData buf;

	initStringInfo(&buf);
	/* the varlena header first, so the text is the buffer itself */
	appendStringInfoSpaces(&buf, VARHDRSZ);
	append_json(&buf, obj);
	SET_VARSIZE(buf.data, buf.len);
	return (text *) buf.data;
}
