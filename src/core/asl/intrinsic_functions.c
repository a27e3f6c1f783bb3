/*
 * intrinsic_functions.c — the function table, evaluating a call, the helpers
 * every function uses, and States.Format, the JSON, array and math
 * functions (the string ones are in intrinsic_strings.c).
 *
 * Behaviour follows the AWS Step Functions Developer Guide, "Intrinsic
 * functions for JSONPath states" (quoted as "AWS" below), and the Amazon
 * States Language spec, Appendix B. Arguments are evaluated left to right; a
 * path argument that matches nothing is States.Runtime, any other bad
 * argument is States.IntrinsicFailure naming the function and the argument.
 *
 * Results may share nodes with the scope's documents (States.ArrayGetItem
 * returns the item itself); literals are copied on every evaluation, so a
 * compiled call stays read-only and may be shared.
 */
#include "intrinsic_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

/* AWS: "The newly generated array can't contain more than 1000 items." */
#define MAX_RANGE_ITEMS		1000
/* Integers beyond 2^53 are not exact as JSON numbers; they are refused. */
#define MAX_EXACT_INTEGER	INT64_C(9007199254740992)
/* States.StringToJson nests as deep as the host lets documents nest. */
#define MAX_PARSE_DEPTH		2000
/* How much of a document or a value an error message quotes. */
#define MAX_QUOTED_BYTES	1000
#define MAX_SHOWN_BYTES		80
#define JSON_TEXT			(JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)

/* ---- errors ---- */

bool
intrinsic_failure(asl_error *err, const asl_intrinsic *fn, const char *fmt,...)
{
	va_list		ap;
	char	   *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	asl_error_set(err, ASL_ERR_INTRINSIC_FAILURE, "%s: %s", fn->def->name,
				  msg ? msg : "invalid arguments");
	free(msg);
	return false;
}

bool
intrinsic_out_of_memory(asl_error *err)
{
	asl_error_set(err, ASL_ERR_RUNTIME, "out of memory");
	return false;
}

/* Length of the first n bytes of text cut back to a UTF-8 character boundary. */
static size_t
clip_utf8(const char *text, size_t len, size_t n)
{
	if (len <= n)
		return len;
	while (n > 0 && ((unsigned char) text[n] & 0xC0) == 0x80)
		n--;
	return n;
}

/* "the string \"abc\"", "the array [1,2]", "null", ... for messages. */
static char *
describe(json_object *v)
{
	const char *json = json_object_to_json_string_ext(v, JSON_TEXT);
	size_t		len = json ? strlen(json) : 0;
	size_t		n = clip_utf8(json, len, MAX_SHOWN_BYTES);
	const char *kind;
	char	   *s = NULL;

	switch (json_object_get_type(v))
	{
		case json_type_null:
			return strdup("null");
		case json_type_boolean:
			kind = "the boolean";
			break;
		case json_type_int:
		case json_type_double:
			kind = "the number";
			break;
		case json_type_string:
			kind = "the string";
			break;
		case json_type_array:
			kind = "the array";
			break;
		default:
			kind = "the object";
			break;
	}
	if (asprintf(&s, "%s %.*s%s", kind, (int) n, json ? json : "", n < len ? "..." : "") < 0)
		s = NULL;
	return s;
}

/* IntrinsicFailure: argument i (what) must be wanted. */
bool
intrinsic_bad_arg(asl_error *err, const asl_intrinsic *fn, size_t i, const char *what,
				  const char *wanted, json_object *v)
{
	char	   *got = describe(v);

	intrinsic_failure(err, fn, "argument %zu (%s) must be %s, got %s", i + 1, what, wanted,
					  got ? got : "another value");
	free(got);
	return false;
}

/* ---- argument access ---- */

bool
intrinsic_want_string(const asl_intrinsic *fn, json_object **vals, size_t i, const char *what,
					  const char **s, size_t *len, asl_error *err)
{
	if (!json_object_is_type(vals[i], json_type_string))
		return intrinsic_bad_arg(err, fn, i, what, "a string", vals[i]);
	*s = json_object_get_string(vals[i]);
	*len = (size_t) json_object_get_string_len(vals[i]);
	return true;
}

/* Argument i must be of type (array, object or boolean). */
static bool
intrinsic_want_type(const asl_intrinsic *fn, json_object **vals, size_t i, const char *what,
					json_type type, asl_error *err)
{
	if (json_object_is_type(vals[i], type))
		return true;
	return intrinsic_bad_arg(err, fn, i, what, type == json_type_array ? "an array" :
							 type == json_type_object ? "an object" : "a boolean", vals[i]);
}

/* Java's Math.round, which AWS uses: halves go up, so -1.5 gives -1. */
static double
round_half_up(double d)
{
	double		f = floor(d);

	return d - f >= 0.5 ? f + 1 : f;
}

/*
 * Argument i as an integer within +-2^53. With round, a non-integer rounds
 * to the nearest integer, as AWS documents for MathAdd and MathRandom ("If
 * you specify a non-integer value ..., Step Functions will round it off to
 * the nearest integer"); ArrayPartition's chunk size and ArrayRange's
 * bounds round too. Without round (an array index, ArrayRange's step, where a
 * rounded step would silently make another array) a non-integer fails.
 */
static bool
intrinsic_want_integer(const asl_intrinsic *fn, json_object **vals, size_t i, const char *what,
					   bool round, int64_t *out, asl_error *err)
{
	json_object *v = vals[i];
	double		d;

	if (json_object_is_type(v, json_type_int))
	{
		*out = json_object_get_int64(v);
		if (*out >= -MAX_EXACT_INTEGER && *out <= MAX_EXACT_INTEGER)
			return true;
		return intrinsic_bad_arg(err, fn, i, what, "an integer between -2^53 and 2^53", v);
	}
	if (!json_object_is_type(v, json_type_double))
		return intrinsic_bad_arg(err, fn, i, what, "an integer", v);
	d = json_object_get_double(v);
	if (round && isfinite(d))
		d = round_half_up(d);
	if (!(d >= (double) -MAX_EXACT_INTEGER && d <= (double) MAX_EXACT_INTEGER))
		return intrinsic_bad_arg(err, fn, i, what, "an integer between -2^53 and 2^53", v);
	if (d != floor(d))
		return intrinsic_bad_arg(err, fn, i, what, "an integer", v);
	*out = (int64_t) d;
	return true;
}

/* ---- the byte buffer as a result ---- */

/* Hands the buffer over as a json string; frees it either way. */
bool
intrinsic_buf_to_string(asl_strbuf *b, json_object **out, asl_error *err)
{
	if (!b->oom)
		*out = json_object_new_string_len(b->data ? b->data : "", (int) b->len);
	free(b->data);
	return *out != NULL || intrinsic_out_of_memory(err);
}

/* Appends v to arr; the reference v is consumed. */
bool
intrinsic_array_add(json_object *arr, json_object *v, asl_error *err)
{
	if (json_object_array_add(arr, v) == 0)
		return true;
	json_object_put(v);
	return intrinsic_out_of_memory(err);
}

/* ---- States.Format and the JSON functions ---- */

/* The characters States.Format and string literals escape with a backslash. */
static bool
is_escapable(char c)
{
	return c == '\'' || c == '{' || c == '}' || c == '\\';
}

/* Objects and arrays nested deeper than this are printed as JSON text. */
#define MAX_FORMAT_DEPTH 256

/*
 * A value as States.Format prints it, which is how Java prints the value
 * (AWS's runtime): strings without quotes, objects as {key=value, ...},
 * arrays as [a, b], at any depth; numbers, booleans and null as in JSON.
 */
static void
format_value(asl_strbuf *out, json_object *v, int depth)
{
	json_type	jt = json_object_get_type(v);

	if (jt == json_type_string)
		asl_strbuf_add(out, json_object_get_string(v), (size_t) json_object_get_string_len(v));
	else if (jt == json_type_object && depth < MAX_FORMAT_DEPTH)
	{
		bool		first = true;

		asl_strbuf_add(out, "{", 1);
		{
			json_object_object_foreach(v, key, val)
			{
				if (!first)
					asl_strbuf_add(out, ", ", 2);
				first = false;
				asl_strbuf_add(out, key, strlen(key));
				asl_strbuf_add(out, "=", 1);
				format_value(out, val, depth + 1);
			}
		}
		asl_strbuf_add(out, "}", 1);
	}
	else if (jt == json_type_array && depth < MAX_FORMAT_DEPTH)
	{
		asl_strbuf_add(out, "[", 1);
		for (size_t i = 0; i < json_object_array_length(v); i++)
		{
			if (i > 0)
				asl_strbuf_add(out, ", ", 2);
			format_value(out, json_object_array_get_idx(v, i), depth + 1);
		}
		asl_strbuf_add(out, "]", 1);
	}
	else if (jt == json_type_int && json_object_get_int64(v) != INT64_MAX)
	{
		/*
		 * json-c's text for it, without its print buffer (INT64_MAX may be a
		 * uint64)
		 */
		char		digits[24];
		char	   *p = digits + sizeof(digits);
		int64_t		n = json_object_get_int64(v);
		uint64_t	u = n < 0 ? (uint64_t) 0 - (uint64_t) n : (uint64_t) n;

		do
		{
			*--p = (char) ('0' + u % 10);
			u /= 10;
		} while (u != 0);
		if (n < 0)
			*--p = '-';
		asl_strbuf_add(out, p, (size_t) (digits + sizeof(digits) - p));
	}
	else
	{
		const char *s = json_object_to_json_string_ext(v, JSON_TEXT);

		if (s == NULL)
			out->oom = true;
		else
			asl_strbuf_add(out, s, strlen(s));
	}
}

/*
 * Runs over a template: \' \{ \} \\ give the character, "{}" takes the next
 * value. With out NULL it only counts the placeholders. The same rules apply
 * to a template read from a path as to a literal one (whose escapes the
 * parser kept as written).
 */
static size_t
format_scan(const char *t, size_t len, json_object **vals, asl_strbuf *out)
{
	size_t		used = 0;

	for (size_t i = 0; i < len; i++)
	{
		/* a run of plain characters is copied at once */
		size_t		run = 0;

		while (i + run < len && t[i + run] != '\\' && t[i + run] != '{')
			run++;
		if (run > 0)
		{
			if (out)
				asl_strbuf_add(out, t + i, run);
			i += run - 1;
			continue;
		}
		if (t[i] == '\\' && i + 1 < len && is_escapable(t[i + 1]))
		{
			if (out)
				asl_strbuf_add(out, t + ++i, 1);
			else
				i++;
		}
		else if (t[i] == '{' && i + 1 < len && t[i + 1] == '}')
		{
			i++;
			if (out)
				format_value(out, vals[used], 0);
			used++;
		}
		else if (out)
			asl_strbuf_add(out, t + i, 1);
	}
	return used;
}

/*
 * States.Format(template, values...): each {} takes the next value, rendered
 * as its natural text (format_value). The spec says values "MUST" be a
 * string, a boolean, a number or null, but AWS prints objects and arrays
 * too; placeholders and values must pair up.
 */
static bool
fn_format(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	const char *t;
	size_t		len;
	size_t		placeholders;
	asl_strbuf	b = {0};

	if (fn->args[0].kind == ARG_LITERAL && fn->args[0].raw != NULL)
	{
		t = fn->args[0].raw;
		len = strlen(t);
	}
	else if (!intrinsic_want_string(fn, vals, 0, "template", &t, &len, err))
		return false;
	placeholders = format_scan(t, len, vals + 1, NULL);
	if (placeholders != fn->nargs - 1)
		return intrinsic_failure(err, fn, "the template has %zu {} placeholder%s but %zu value%s follow%s it",
								 placeholders, placeholders == 1 ? "" : "s", fn->nargs - 1,
								 fn->nargs == 2 ? "" : "s", fn->nargs == 2 ? "s" : "");
	format_scan(t, len, vals + 1, &b);
	return intrinsic_buf_to_string(&b, out, err);
}

/* JSON text may not hold raw control characters; json-c lets them pass. */
static bool
has_raw_controls(const char *s, size_t len)
{
	bool		in_string = false;

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (in_string && c == '\\')
			i++;
		else if (c == '"')
			in_string = !in_string;
		else if (c < 0x20 && (in_string || !(c == ' ' || c == '\t' || c == '\n' || c == '\r')))
			return true;
	}
	return false;
}

/*
 * json-c reads NaN and Infinity even in strict mode; JSON has neither. Nor
 * can a document hold U+0000 in a string or a key (the host stores text,
 * which can't): it fails here, as a catchable intrinsic failure, rather than
 * later where it is stored.
 */
static bool
has_non_finite(json_object *v)
{
	switch (json_object_get_type(v))
	{
		case json_type_double:
			return !isfinite(json_object_get_double(v));
		case json_type_string:
			return memchr(json_object_get_string(v), '\0', (size_t) json_object_get_string_len(v)) != NULL;
		case json_type_array:
			for (size_t i = 0; i < json_object_array_length(v); i++)
				if (has_non_finite(json_object_array_get_idx(v, i)))
					return true;
			return false;
		case json_type_object:
			{
				json_object_object_foreach(v, key, val)
				{
					if (has_non_finite(val))
						return true;
					(void) key; /* json-c keys end at their first NUL: one
								 * can't hide there */
				}
				return false;
			}
		default:
			return false;
	}
}

/* States.StringToJson(text): the JSON value the whole text spells (null for a blank text). */
static bool
fn_string_to_json(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	const char *s;
	size_t		len;
	json_tokener *tok;
	json_object *v;
	bool		ok;

	if (!intrinsic_want_string(fn, vals, 0, "text", &s, &len, err))
		return false;
	/* AWS reads an empty or blank text as null */
	if (strspn(s, " \t\n\r\f\v") == len)
	{
		*out = NULL;
		return true;
	}
	if (len > INT32_MAX - 1)
		return intrinsic_failure(err, fn, "argument 1 (text) is too long");
	tok = json_tokener_new_ex(MAX_PARSE_DEPTH);
	if (tok == NULL)
		return intrinsic_out_of_memory(err);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);

	/*
	 * the terminating NUL goes in too, so that a number at the end is
	 * complete
	 */
	v = json_tokener_parse_ex(tok, s, (int) len + 1);
	ok = json_tokener_get_error(tok) == json_tokener_success &&
		json_tokener_get_parse_end(tok) == len &&
		!has_raw_controls(s, len) && !has_non_finite(v);
	json_tokener_free(tok);
	if (!ok)
	{
		char	   *got = describe(vals[0]);

		json_object_put(v);
		intrinsic_failure(err, fn, "argument 1 (text) must be a string holding JSON text, got %s",
						  got ? got : "another value");
		free(got);
		return false;
	}
	*out = v;
	return true;
}

/* States.JsonToString(value): compact JSON text, as the spec's example shows. */
static bool
fn_json_to_string(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	size_t		len;
	const char *s = json_object_to_json_string_length(vals[0], JSON_TEXT, &len);

	(void) fn;
	if (s == NULL)
		return intrinsic_out_of_memory(err);
	*out = json_object_new_string_len(s, (int) len);
	return *out != NULL || intrinsic_out_of_memory(err);
}

/*
 * States.JsonMerge(a, b, false): a shallow merge, b's members winning. AWS:
 * "Currently, Step Functions only supports the shallow merging mode;
 * therefore, you must specify the boolean value as false."
 */
static bool
fn_json_merge(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	json_object *merged;

	if (!intrinsic_want_type(fn, vals, 0, "first object", json_type_object, err) ||
		!intrinsic_want_type(fn, vals, 1, "second object", json_type_object, err) ||
		!intrinsic_want_type(fn, vals, 2, "deep merge flag", json_type_boolean, err))
		return false;
	if (json_object_get_boolean(vals[2]))
		return intrinsic_failure(err, fn, "argument 3 (deep merge flag) must be false: only the shallow merge is supported");
	merged = json_object_new_object();
	if (merged == NULL)
		return intrinsic_out_of_memory(err);
	for (int i = 0; i < 2; i++)
	{
		json_object_object_foreach(vals[i], key, val)
		{
			/*
			 * replacing keeps the member's place, as Java's LinkedHashMap
			 * does
			 */
			if (json_object_object_add(merged, key, json_object_get(val)) != 0)
			{
				json_object_put(val);
				json_object_put(merged);
				return intrinsic_out_of_memory(err);
			}
		}
	}
	*out = merged;
	return true;
}

/* ---- arrays ---- */

/* States.Array(values...): the values, in order. */
static bool
fn_array(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	/* json-c refuses a zero initial size */
	json_object *arr = json_object_new_array_ext(fn->nargs ? (int) fn->nargs : 1);

	if (arr == NULL)
		return intrinsic_out_of_memory(err);
	for (size_t i = 0; i < fn->nargs; i++)
		if (!intrinsic_array_add(arr, json_object_get(vals[i]), err))
		{
			json_object_put(arr);
			return false;
		}
	*out = arr;
	return true;
}

/* States.ArrayPartition(array, size): chunks of size items, the last one shorter. */
static bool
fn_array_partition(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	int64_t		size;
	size_t		n;
	json_object *chunks;

	if (!intrinsic_want_type(fn, vals, 0, "array", json_type_array, err) ||
		!intrinsic_want_integer(fn, vals, 1, "chunk size", true, &size, err))
		return false;
	if (size <= 0)
		return intrinsic_bad_arg(err, fn, 1, "chunk size", "a positive integer", vals[1]);
	n = json_object_array_length(vals[0]);
	chunks = json_object_new_array();
	if (chunks == NULL)
		return intrinsic_out_of_memory(err);
	for (size_t i = 0; i < n; i += (size_t) size)
	{
		size_t		end = n - i > (size_t) size ? i + (size_t) size : n;
		json_object *chunk = json_object_new_array_ext((int) (end - i));

		if (chunk == NULL || !intrinsic_array_add(chunks, chunk, err))
		{
			json_object_put(chunks);
			return chunk == NULL ? intrinsic_out_of_memory(err) : false;
		}
		for (size_t j = i; j < end; j++)
			if (!intrinsic_array_add(chunk, json_object_get(json_object_array_get_idx(vals[0], j)), err))
			{
				json_object_put(chunks);
				return false;
			}
	}
	*out = chunks;
	return true;
}

/* States.ArrayContains(array, value): deep equality, as json_object_equal has it. */
static bool
fn_array_contains(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	bool		found = false;

	if (!intrinsic_want_type(fn, vals, 0, "array", json_type_array, err))
		return false;
	for (size_t i = 0; i < json_object_array_length(vals[0]) && !found; i++)
		found = json_object_equal(json_object_array_get_idx(vals[0], i), vals[1]) != 0;
	*out = json_object_new_boolean(found);
	return *out != NULL || intrinsic_out_of_memory(err);
}

/*
 * States.ArrayRange(first, last, step): first, first + step, ... up to and
 * including last. AWS: the step must not be zero, and "the newly generated
 * array can't contain more than 1000 items"; a step pointing away from last
 * gives [].
 */
static bool
fn_array_range(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	int64_t		first,
				last,
				step;
	int64_t		count = 0;
	json_object *arr;

	if (!intrinsic_want_integer(fn, vals, 0, "first", true, &first, err) ||
		!intrinsic_want_integer(fn, vals, 1, "last", true, &last, err) ||
		!intrinsic_want_integer(fn, vals, 2, "step", false, &step, err))
		return false;
	if (step == 0)
		return intrinsic_bad_arg(err, fn, 2, "step", "a non-zero integer", vals[2]);
	/* operands are within 2^53, so none of this overflows */
	if (step > 0 && last >= first)
		count = (last - first) / step + 1;
	else if (step < 0 && last <= first)
		count = (first - last) / -step + 1;
	if (count > MAX_RANGE_ITEMS)
		return intrinsic_failure(err, fn, "the range would have %lld items; at most %d are allowed",
								 (long long) count, MAX_RANGE_ITEMS);
	arr = json_object_new_array_ext(count ? (int) count : 1);
	if (arr == NULL)
		return intrinsic_out_of_memory(err);
	for (int64_t k = 0; k < count; k++)
		if (!intrinsic_array_add(arr, json_object_new_int64(first + k * step), err))
		{
			json_object_put(arr);
			return false;
		}
	*out = arr;
	return true;
}

/* States.ArrayGetItem(array, index): the item itself; the index must be in range. */
static bool
fn_array_get_item(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	int64_t		index;
	size_t		n;

	if (!intrinsic_want_type(fn, vals, 0, "array", json_type_array, err) ||
		!intrinsic_want_integer(fn, vals, 1, "index", false, &index, err))
		return false;
	n = json_object_array_length(vals[0]);
	if (index < 0 || (uint64_t) index >= n)
		return intrinsic_failure(err, fn, "argument 2 (index) is %lld, out of range for an array of %zu item%s",
								 (long long) index, n, n == 1 ? "" : "s");
	*out = json_object_get(json_object_array_get_idx(vals[0], (size_t) index));
	return true;
}

/* States.ArrayLength(array) */
static bool
fn_array_length(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	if (!intrinsic_want_type(fn, vals, 0, "array", json_type_array, err))
		return false;
	*out = json_object_new_int64((int64_t) json_object_array_length(vals[0]));
	return *out != NULL || intrinsic_out_of_memory(err);
}

/* MurmurHash3's 64-bit finalizer: spreads the bits of a hash. */
static uint64_t
mix64(uint64_t h)
{
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/* FNV-1a over s. */
static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t	h = UINT64_C(0xcbf29ce484222325);

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char) s[i]) * UINT64_C(0x100000001b3);
	return h;
}

/*
 * A hash that agrees with json_object_equal: members are combined in any
 * order, 0.0 and -0.0 alike. Deep levels are not hashed (equal compares them).
 */
static uint64_t
hash_value(json_object *v, int depth)
{
	uint64_t	h = (uint64_t) json_object_get_type(v) * UINT64_C(0x9e3779b97f4a7c15);

	if (depth > 32)
		return h;
	switch (json_object_get_type(v))
	{
		case json_type_boolean:
			return mix64(h + (uint64_t) json_object_get_boolean(v));
		case json_type_int:
			return mix64(h + (uint64_t) json_object_get_int64(v));
		case json_type_double:
			{
				double		d = json_object_get_double(v);
				uint64_t	bits;

				if (d == 0)
					d = 0;
				memcpy(&bits, &d, sizeof bits);
				return mix64(h + bits);
			}
		case json_type_string:
			return mix64(h ^ hash_bytes(json_object_get_string(v), (size_t) json_object_get_string_len(v)));
		case json_type_array:
			for (size_t i = 0; i < json_object_array_length(v); i++)
				h = mix64(h + hash_value(json_object_array_get_idx(v, i), depth + 1));
			return h;
		case json_type_object:
			{
				uint64_t	sum = 0;

				json_object_object_foreach(v, key, val)
					sum += mix64(hash_bytes(key, strlen(key)) + hash_value(val, depth + 1));
				return mix64(h + sum);
			}
		default:
			return h;
	}
}

/*
 * States.ArrayUnique(array): the first of each run of deeply equal items, in
 * order. A hash table keeps this linear: payloads hold many thousands of items.
 */
static bool
fn_array_unique(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	size_t		n,
				slots = 8;
	size_t	   *table;			/* item index + 1; 0 is an empty slot */
	uint64_t   *hashes;
	json_object *arr;
	bool		ok = true;

	if (!intrinsic_want_type(fn, vals, 0, "array", json_type_array, err))
		return false;
	n = json_object_array_length(vals[0]);
	while (slots < 2 * n)
		slots *= 2;
	table = calloc(slots, sizeof(size_t));
	hashes = malloc((n ? n : 1) * sizeof(uint64_t));
	arr = json_object_new_array();
	if (table == NULL || hashes == NULL || arr == NULL)
		ok = intrinsic_out_of_memory(err);
	for (size_t i = 0; ok && i < n; i++)
	{
		json_object *item = json_object_array_get_idx(vals[0], i);
		size_t		slot;

		hashes[i] = hash_value(item, 0);
		for (slot = hashes[i] & (slots - 1); table[slot] != 0; slot = (slot + 1) & (slots - 1))
		{
			size_t		seen = table[slot] - 1;

			if (hashes[seen] == hashes[i] &&
				json_object_equal(json_object_array_get_idx(vals[0], seen), item))
				break;
		}
		if (table[slot] != 0)
			continue;			/* a duplicate */
		table[slot] = i + 1;
		ok = intrinsic_array_add(arr, json_object_get(item), err);
	}
	free(table);
	free(hashes);
	if (!ok)
	{
		json_object_put(arr);
		return false;
	}
	*out = arr;
	return true;
}

/* ---- math ---- */

/* SplitMix64: the seeded stream of States.MathRandom. */
static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* 64 random bits from the seeded stream, or from OpenSSL when state is NULL. */
static bool
random64(uint64_t *state, uint64_t *out)
{
	unsigned char bytes[8];

	if (state != NULL)
	{
		*out = splitmix64(state);
		return true;
	}
	if (RAND_bytes(bytes, sizeof bytes) != 1)
		return false;
	memcpy(out, bytes, sizeof bytes);
	return true;
}

/*
 * States.MathRandom(start, end[, seed]): an integer in [start, end). With a
 * seed the draw is deterministic (AWS: the seed makes the result repeatable):
 * the seed starts a SplitMix64 stream, so equal seeds and bounds give equal
 * numbers here, though not AWS's numbers. Without one, OpenSSL's RAND_bytes.
 * Rejection sampling keeps the draw uniform.
 */
static bool
fn_math_random(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	int64_t		start,
				end,
				seed = 0;
	uint64_t	state;
	uint64_t	span,
				threshold,
				r;

	if (!intrinsic_want_integer(fn, vals, 0, "start", true, &start, err) ||
		!intrinsic_want_integer(fn, vals, 1, "end", true, &end, err) ||
		(fn->nargs > 2 && !intrinsic_want_integer(fn, vals, 2, "seed", true, &seed, err)))
		return false;
	if (end <= start)
		return intrinsic_failure(err, fn, "argument 2 (end) must be greater than argument 1 (start), got %lld and %lld",
								 (long long) end, (long long) start);
	state = (uint64_t) seed;
	span = (uint64_t) (end - start);
	threshold = (0 - span) % span;	/* 2^64 mod span: the biased low values */
	do
	{
		if (!random64(fn->nargs > 2 ? &state : NULL, &r))
		{
			asl_error_set(err, ASL_ERR_RUNTIME, "%s: no random bytes available", fn->def->name);
			return false;
		}
	} while (r < threshold);
	*out = json_object_new_int64(start + (int64_t) (r % span));
	return *out != NULL || intrinsic_out_of_memory(err);
}

/*
 * States.MathAdd(a, b). AWS: "You must specify integer values in the range
 * of -2147483648 and 2147483647"; non-integers are rounded first.
 */
static bool
fn_math_add(const asl_intrinsic *fn, json_object **vals, json_object **out, asl_error *err)
{
	int64_t		v[2];

	for (size_t i = 0; i < 2; i++)
	{
		if (!intrinsic_want_integer(fn, vals, i, i == 0 ? "value" : "step", true, &v[i], err))
			return false;
		if (v[i] < INT32_MIN || v[i] > INT32_MAX)
			return intrinsic_bad_arg(err, fn, i, i == 0 ? "value" : "step",
									 "an integer between -2147483648 and 2147483647", vals[i]);
	}
	*out = json_object_new_int64(v[0] + v[1]);
	return *out != NULL || intrinsic_out_of_memory(err);
}

/* ---- the table ---- */

static const intrinsic_def functions[] = {
	{"States.Format", 1, -1, "sv", fn_format},
	{"States.StringToJson", 1, 1, "s", fn_string_to_json},
	{"States.JsonToString", 1, 1, "*", fn_json_to_string},
	{"States.Array", 0, -1, "*", fn_array},
	{"States.ArrayPartition", 2, 2, "an", fn_array_partition},
	{"States.ArrayContains", 2, 2, "a*", fn_array_contains},
	{"States.ArrayRange", 3, 3, "n", fn_array_range},
	{"States.ArrayGetItem", 2, 2, "an", fn_array_get_item},
	{"States.ArrayLength", 1, 1, "a", fn_array_length},
	{"States.ArrayUnique", 1, 1, "a", fn_array_unique},
	{"States.Base64Encode", 1, 1, "s", intrinsic_base64_encode},
	{"States.Base64Decode", 1, 1, "s", intrinsic_base64_decode},
	{"States.Hash", 2, 2, "s", intrinsic_hash},
	{"States.JsonMerge", 3, 3, "oob", fn_json_merge},
	{"States.MathRandom", 2, 3, "n", fn_math_random},
	{"States.MathAdd", 2, 2, "n", fn_math_add},
	{"States.StringSplit", 2, 2, "s", intrinsic_string_split},
	{"States.UUID", 0, 0, "", intrinsic_uuid},
};

const intrinsic_def *
intrinsic_lookup(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(functions) / sizeof(functions[0]); i++)
		if (strlen(functions[i].name) == len && memcmp(functions[i].name, name, len) == 0)
			return &functions[i];
	return NULL;
}

char
intrinsic_arg_type(const intrinsic_def *def, size_t i)
{
	size_t		n = strlen(def->types);

	if (n == 0)
		return '*';
	return def->types[i < n ? i : n - 1];
}

/* ---- evaluation ---- */

/* States.Runtime for a path argument that matched nothing, quoting where it looked. */
static bool
path_not_found(const asl_intrinsic *fn, const asl_path *path, const asl_scope *scope,
			   asl_error *err)
{
	json_object *doc = scope->input;
	const char *where = "the input";
	const char *json;
	size_t		len;

	if (asl_path_root_kind(path) == ASL_ROOT_VARIABLE)
	{
		asl_error_set(err, ASL_ERR_RUNTIME,
					  "The JsonPath argument '%s' of %s could not be found in the variable '$%s'",
					  asl_path_text(path), fn->def->name,
					  asl_path_variable(path) ? asl_path_variable(path) : "");
		return false;
	}
	if (asl_path_root_kind(path) == ASL_ROOT_CONTEXT)
	{
		doc = asl_scope_context(scope);
		where = "the context object";
	}
	json = json_object_to_json_string_ext(doc, JSON_TEXT);
	if (json == NULL)
		json = "";
	len = clip_utf8(json, strlen(json), MAX_QUOTED_BYTES);
	asl_error_set(err, ASL_ERR_RUNTIME,
				  "The JsonPath argument '%s' of %s could not be found in %s '%.*s%s'",
				  asl_path_text(path), fn->def->name, where, (int) len, json,
				  json[len] ? "..." : "");
	return false;
}

/*
 * The value of argument i: a literal (a new reference), a path's selection,
 * or a nested call's result.
 */
static bool
eval_arg(const asl_intrinsic *fn, size_t i, const asl_scope *scope, json_object **out,
		 asl_error *err)
{
	const intrinsic_arg *arg = &fn->args[i];

	*out = NULL;
	switch (arg->kind)
	{
		case ARG_LITERAL:
			if (arg->literal == NULL)
				return true;
			if (json_object_deep_copy(arg->literal, out, NULL) != 0)
			{
				json_object_put(*out);
				*out = NULL;
				return intrinsic_out_of_memory(err);
			}
			return true;
		case ARG_PATH:
			if (!asl_path_select(arg->path, scope, out))
				return path_not_found(fn, arg->path, scope, err);
			return true;
		case ARG_CALL:
			return asl_intrinsic_eval(arg->call, scope, out, err);
	}
	asl_error_set(err, ASL_ERR_RUNTIME, "unknown intrinsic argument");
	return false;
}

bool
asl_intrinsic_eval(const asl_intrinsic *fn, const asl_scope *scope,
				   json_object **out, asl_error *err)
{
	json_object *small[8];
	json_object **vals = small;
	size_t		done = 0;
	bool		ok = true;

	*out = NULL;
	if (fn == NULL || scope == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "intrinsic function was not compiled");
		return false;
	}
	if (fn->nargs > sizeof(small) / sizeof(small[0]))
	{
		vals = calloc(fn->nargs, sizeof(json_object *));
		if (vals == NULL)
			return intrinsic_out_of_memory(err);
	}
	while (ok && done < fn->nargs)
	{
		ok = eval_arg(fn, done, scope, &vals[done], err);
		if (ok)
			done++;
	}
	if (ok)
		ok = fn->def->impl(fn, vals, out, err);
	while (done > 0)
		json_object_put(vals[--done]);
	if (vals != small)
		free(vals);
	if (!ok)
	{
		json_object_put(*out);
		*out = NULL;
	}
	return ok;
}
