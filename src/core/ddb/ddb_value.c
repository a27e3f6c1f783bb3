/*
 * ddb_value.c — type names, and checking typed values as DynamoDB does.
 *
 * The messages are DynamoDB's own (its JSON layer's for values of the wrong
 * JSON type), so a workflow sees what it would see on AWS.
 */
#include "ddb_value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "ddb_number.h"
#include "strbuf.h"

static const char *const type_names[] = {
	"", "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"
};

#define N_TYPES ((int) (sizeof(type_names) / sizeof(type_names[0])))

#define MSG_EMPTY		"Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
#define MSG_MANY		"Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
#define MSG_NESTING		"Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
#define MSG_STRUCT		"Start of structure or map found where not expected."
#define MSG_LIST		"Start of list found where not expected"
#define MSG_BIGNUM		"class com.amazon.coral.value.json.numbers.TruncatingBigNumber"

const char *
ddb_type_name(ddb_type type)
{
	if ((int) type < 0 || (int) type >= N_TYPES)
		return "";
	return type_names[type];
}

ddb_type
ddb_type_from_name(const char *name)
{
	int			i;

	if (name == NULL)
		return DDB_TYPE_NONE;
	for (i = 1; i < N_TYPES; i++)
		if (strcmp(name, type_names[i]) == 0)
			return (ddb_type) i;
	return DDB_TYPE_NONE;
}

ddb_type
ddb_value_type(json_object *v)
{
	ddb_type	found = DDB_TYPE_NONE;

	if (!json_object_is_type(v, json_type_object))
		return DDB_TYPE_NONE;
	{
		json_object_object_foreach(v, key, val)
		{
			ddb_type	t = ddb_type_from_name(key);

			(void) val;
			if (t == DDB_TYPE_NONE || found != DDB_TYPE_NONE)
				return DDB_TYPE_NONE;
			found = t;
		}
	}
	return found;
}

json_object *
ddb_value_payload(json_object *v)
{
	ddb_type	t = ddb_value_type(v);

	if (t == DDB_TYPE_NONE)
		return NULL;
	return json_object_object_get(v, ddb_type_name(t));
}

bool
ddb_base64_decode(const char *text, size_t text_len, unsigned char **out, size_t *len)
{
	char		bad;
	unsigned char *buf = malloc(text_len / 4 * 3 + 1);

	*out = NULL;
	*len = 0;
	if (buf == NULL)
		return false;
	if (base64_decode_strict(text, text_len, buf, len, &bad) != BASE64_OK)
	{
		free(buf);
		*len = 0;
		return false;
	}
	*out = buf;
	return true;
}

/* ---- checking ---- */

typedef struct checker
{
	asl_strbuf	where;
	char	   *message;		/* first failure, malloc'd */
} checker;

static json_object *check_value(checker *c, json_object *v, int level);

static void
			fail(checker *c, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/* Records the first problem only, at the current location. */
static void
fail(checker *c, const char *fmt,...)
{
	va_list		ap;

	if (c->message != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&c->message, fmt, ap) < 0)
		c->message = NULL;
	va_end(ap);
	if (c->message == NULL)
		c->message = strdup("out of memory");
}

/* The JSON layer's complaint about a payload of the wrong JSON type. */
static void
fail_json_type(checker *c, json_object *v, const char *wanted)
{
	switch (json_object_get_type(v))
	{
		case json_type_boolean:
			fail(c, "class java.lang.Boolean can not be converted to %s", wanted);
			break;
		case json_type_int:
		case json_type_double:
			fail(c, MSG_BIGNUM " can not be converted to %s", wanted);
			break;
		case json_type_object:
			fail(c, MSG_STRUCT);
			break;
		case json_type_array:
			fail(c, MSG_LIST);
			break;
		default:
			fail(c, "%s", MSG_EMPTY);
			break;
	}
}

/* Sets and lists are JSON arrays; the JSON layer names what came instead. */
static bool
want_array(checker *c, json_object *v)
{
	if (json_object_is_type(v, json_type_array))
		return true;
	fail(c, json_object_is_type(v, json_type_object) ? MSG_STRUCT : "Expected list or null");
	return false;
}

/* Maps and items are JSON objects; the JSON layer names what came instead. */
static bool
want_object(checker *c, json_object *v)
{
	if (json_object_is_type(v, json_type_object))
		return true;
	fail(c, json_object_is_type(v, json_type_array) ? MSG_LIST : "Expected map or null");
	return false;
}

/*
 * Checks a map member or list element one level down, with its step
 * (sep then name: ".key", "[3]") added to where. A failure leaves the step
 * there, so where names the place.
 */
static json_object *
check_nested(checker *c, json_object *v, int level, const char *sep, const char *name)
{
	size_t		mark = c->where.len;
	json_object *cv;

	asl_strbuf_add(&c->where, sep, strlen(sep));
	asl_strbuf_add(&c->where, name, strlen(name));
	cv = check_value(c, v, level + 1);
	if (cv != NULL)
	{
		c->where.len = mark;
		if (c->where.data)
			c->where.data[mark] = '\0';
	}
	return cv;
}

/* An S payload: a JSON string. */
static json_object *
check_string(checker *c, json_object *v)
{
	if (!json_object_is_type(v, json_type_string))
	{
		fail_json_type(c, v, "an String");
		return NULL;
	}
	return json_object_new_string_len(json_object_get_string(v), json_object_get_string_len(v));
}

/*
 * An N payload: a string DynamoDB reads as a number, kept in its normalized
 * form.
 */
static json_object *
check_number(checker *c, json_object *v)
{
	char		buf[DDB_NUMBER_TEXT_SIZE];
	ddb_number_status st;

	if (!json_object_is_type(v, json_type_string))
	{
		fail_json_type(c, v, "an String");
		return NULL;
	}
	st = ddb_number_canonical(json_object_get_string(v), buf);
	if (st != DDB_NUMBER_OK)
	{
		char	   *msg = ddb_number_message(st, json_object_get_string(v));

		fail(c, "%s", msg ? msg : "out of memory");
		free(msg);
		return NULL;
	}
	return json_object_new_string(buf);
}

/* A B payload: a string of strict base64. */
static json_object *
check_binary(checker *c, json_object *v)
{
	const char *s;
	size_t		n;
	char		bad = '?';

	if (!json_object_is_type(v, json_type_string))
	{
		fail_json_type(c, v, "a Blob");
		return NULL;
	}
	s = json_object_get_string(v);
	n = (size_t) json_object_get_string_len(v);
	switch (base64_decode_strict(s, n, NULL, NULL, &bad))
	{
		case BASE64_OK:
			return json_object_new_string_len(s, (int) n);
		case BASE64_LENGTH:
			fail(c, "'%s' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: %zu", s, n);
			break;
		case BASE64_CHAR:
			fail(c, "'%s' can not be converted to a Blob: Invalid Base64 character: '%c'", s, bad);
			break;
		case BASE64_LAST:
			fail(c, "'%s' can not be converted to a Blob: Invalid last non-pad Base64 character dectected", s);
			break;
	}
	return NULL;
}

/* BOOL and NULL payloads: the JSON layer also takes "true"/"yes"/"1" and the like. */
static bool
check_boolean(checker *c, json_object *v, bool *out)
{
	if (json_object_is_type(v, json_type_boolean))
	{
		*out = json_object_get_boolean(v);
		return true;
	}
	if (json_object_is_type(v, json_type_string))
	{
		const char *s = json_object_get_string(v);

		if (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 || strcmp(s, "1") == 0)
		{
			*out = true;
			return true;
		}
		if (strcasecmp(s, "false") == 0 || strcasecmp(s, "no") == 0 || strcmp(s, "0") == 0)
		{
			*out = false;
			return true;
		}
		fail(c, "'%s' can not be converted to an Boolean", s);
		return false;
	}
	fail_json_type(c, v, "an Boolean");
	return false;
}

/* qsort order of JSON strings, byte-wise. */
static int
compare_strings(const void *a, const void *b)
{
	json_object *const *x = a;
	json_object *const *y = b;
	int			lx = json_object_get_string_len(*x);
	int			ly = json_object_get_string_len(*y);
	int			r = memcmp(json_object_get_string(*x), json_object_get_string(*y), (size_t) (lx < ly ? lx : ly));

	return r != 0 ? r : (lx > ly) - (lx < ly);
}

/* Renders a set as DynamoDB's duplicate message does: [a, b]. */
static char *
render_set(json_object *set)
{
	asl_strbuf	b = {0};
	size_t		i,
				n = json_object_array_length(set);

	asl_strbuf_add(&b, "[", 1);
	for (i = 0; i < n; i++)
	{
		json_object *e = json_object_array_get_idx(set, i);

		if (i > 0)
			asl_strbuf_add(&b, ", ", 2);
		asl_strbuf_add(&b, json_object_get_string(e), (size_t) json_object_get_string_len(e));
	}
	asl_strbuf_add(&b, "]", 1);
	if (b.oom)
	{
		free(b.data);
		return NULL;
	}
	return b.data;
}

/* Whether a set's strings hold the same text twice. */
static bool
has_duplicates(json_object *set)
{
	size_t		n = json_object_array_length(set);
	json_object **sorted;
	size_t		i;
	bool		dup = false;

	if (n < 2)
		return false;
	sorted = malloc(n * sizeof(*sorted));
	if (sorted == NULL)
		return false;
	for (i = 0; i < n; i++)
		sorted[i] = json_object_array_get_idx(set, i);
	qsort(sorted, n, sizeof(*sorted), compare_strings);
	for (i = 1; i < n && !dup; i++)
		dup = compare_strings(&sorted[i - 1], &sorted[i]) == 0;
	free(sorted);
	return dup;
}

/*
 * An SS, NS or BS payload: a non-empty array of distinct elements of the
 * set's type.
 */
static json_object *
check_set(checker *c, json_object *v, ddb_type type)
{
	json_object *out;
	size_t		i,
				n;

	if (!want_array(c, v))
		return NULL;
	n = json_object_array_length(v);
	if (n == 0)
	{
		if (type == DDB_TYPE_SS)
			fail(c, "One or more parameter values were invalid: An string set  may not be empty");
		else if (type == DDB_TYPE_NS)
			fail(c, "One or more parameter values were invalid: An number set  may not be empty");
		else
			fail(c, "One or more parameter values were invalid: Binary sets should not be empty");
		return NULL;
	}
	out = json_object_new_array_ext((int) n);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++)
	{
		json_object *e = json_object_array_get_idx(v, i);
		json_object *ce;

		if (type == DDB_TYPE_SS)
			ce = check_string(c, e);
		else if (type == DDB_TYPE_NS)
			ce = check_number(c, e);
		else
			ce = check_binary(c, e);
		if (ce == NULL || json_object_array_add(out, ce) != 0)
		{
			json_object_put(ce);
			json_object_put(out);
			return NULL;
		}
	}
	/* canonical numbers and strict base64: equal values have equal texts */
	if (has_duplicates(out))
	{
		char	   *shown = render_set(v);

		if (type == DDB_TYPE_BS)
			fail(c, "One or more parameter values were invalid: Input collection %sof type BS contains duplicates.", shown ? shown : "");
		else
			fail(c, "One or more parameter values were invalid: Input collection %s contains duplicates.", shown ? shown : "");
		free(shown);
		json_object_put(out);
		return NULL;
	}
	return out;
}

/* An M payload: an object of typed values, one level deeper. */
static json_object *
check_map(checker *c, json_object *v, int level)
{
	json_object *out;

	if (!want_object(c, v))
		return NULL;
	out = json_object_new_object();
	if (out == NULL)
		return NULL;
	{
		json_object_object_foreach(v, key, val)
		{
			json_object *cv = check_nested(c, val, level, ".", key);

			if (cv == NULL)
			{
				json_object_put(out);
				return NULL;
			}
			json_object_object_add(out, key, cv);
		}
	}
	return out;
}

/* An L payload: an array of typed values, one level deeper. */
static json_object *
check_list(checker *c, json_object *v, int level)
{
	json_object *out;
	size_t		i,
				n;

	if (!want_array(c, v))
		return NULL;
	n = json_object_array_length(v);
	out = json_object_new_array_ext((int) (n ? n : 1));
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++)
	{
		char		idx[32];
		json_object *cv;

		snprintf(idx, sizeof(idx), "[%zu]", i);
		cv = check_nested(c, json_object_array_get_idx(v, i), level, "", idx);
		if (cv == NULL)
		{
			json_object_put(out);
			return NULL;
		}
		json_object_array_add(out, cv);
	}
	return out;
}

/*
 * A typed value: an object with exactly one known type key and a payload
 * that type accepts, at most DDB_MAX_NESTING levels deep; the checked copy,
 * or NULL.
 */
static json_object *
check_value(checker *c, json_object *v, int level)
{
	ddb_type	type = DDB_TYPE_NONE;
	json_object *payload = NULL;
	json_object *inner = NULL;
	json_object *out;
	bool		flag;

	if (level > DDB_MAX_NESTING)
	{
		fail(c, MSG_NESTING);
		return NULL;
	}
	if (json_object_is_type(v, json_type_object))
	{
		/*
		 * unknown members are ignored and null ones are absent, as DynamoDB
		 * reads them
		 */
		json_object_object_foreach(v, key, val)
		{
			ddb_type	t = ddb_type_from_name(key);

			if (t == DDB_TYPE_NONE || val == NULL)
				continue;
			if (type != DDB_TYPE_NONE)
			{
				fail(c, MSG_MANY);
				return NULL;
			}
			type = t;
			payload = val;
		}
	}
	switch (type)
	{
		case DDB_TYPE_NONE:
			fail(c, MSG_EMPTY);
			return NULL;
		case DDB_TYPE_S:
			inner = check_string(c, payload);
			break;
		case DDB_TYPE_N:
			inner = check_number(c, payload);
			break;
		case DDB_TYPE_B:
			inner = check_binary(c, payload);
			break;
		case DDB_TYPE_BOOL:
			if (!check_boolean(c, payload, &flag))
				return NULL;
			inner = json_object_new_boolean(flag);
			break;
		case DDB_TYPE_NULL:

			/*
			 * {"NULL": false} is accepted and stored as true, as DynamoDB
			 * does
			 */
			if (!check_boolean(c, payload, &flag))
				return NULL;
			inner = json_object_new_boolean(1);
			break;
		case DDB_TYPE_M:
			inner = check_map(c, payload, level);
			break;
		case DDB_TYPE_L:
			inner = check_list(c, payload, level);
			break;
		case DDB_TYPE_SS:
		case DDB_TYPE_NS:
		case DDB_TYPE_BS:
			inner = check_set(c, payload, type);
			break;
	}
	if (inner == NULL)
	{
		if (c->message == NULL)
			fail(c, "out of memory");
		return NULL;
	}
	out = json_object_new_object();
	if (out == NULL)
	{
		json_object_put(inner);
		fail(c, "out of memory");
		return NULL;
	}
	json_object_object_add(out, ddb_type_name(type), inner);
	return out;
}

/*
 * Returns result, or on failure NULL with the checker's message and
 * location handed to the caller.
 */
static json_object *
finish_check(checker *c, json_object *result, char **message, char **where)
{
	if (result != NULL)
	{
		free(c->where.data);
		*message = NULL;
		*where = NULL;
		return result;
	}
	*message = c->message ? c->message : strdup("out of memory");
	if (c->where.oom || c->where.data == NULL)
	{
		free(c->where.data);
		*where = strdup("");
	}
	else
		*where = c->where.data;
	return NULL;
}

json_object *
ddb_value_check(json_object *v, char **message, char **where)
{
	checker		c = {{0}, NULL};

	return finish_check(&c, check_value(&c, v, 0), message, where);
}

json_object *
ddb_item_check(json_object *item, char **message, char **where)
{
	checker		c = {{0}, NULL};
	json_object *out = NULL;

	if (!want_object(&c, item))
		return finish_check(&c, NULL, message, where);
	out = json_object_new_object();
	if (out == NULL)
	{
		fail(&c, "out of memory");
		return finish_check(&c, NULL, message, where);
	}
	{
		json_object_object_foreach(item, key, val)
		{
			json_object *cv;

			c.where.len = 0;
			asl_strbuf_add(&c.where, key, strlen(key));
			if (*key == '\0')
			{
				fail(&c, "One or more parameter values were invalid: An attribute name may not be empty");
				json_object_put(out);
				return finish_check(&c, NULL, message, where);
			}
			cv = check_value(&c, val, 0);
			if (cv == NULL)
			{
				json_object_put(out);
				return finish_check(&c, NULL, message, where);
			}
			json_object_object_add(out, key, cv);
		}
	}
	return finish_check(&c, out, message, where);
}
