/*
 * dataflow.c — the JSONPath data-flow stages and the payload size quota.
 *
 * Rules (Amazon States Language spec, "Input and Output Processing with
 * JSONPath"; AWS Step Functions Developer Guide, input-output-*):
 * - InputPath null: the effective input is {}; OutputPath null: the
 *   effective output is {};
 * - ResultPath null: the result is discarded and the raw input is the
 *   output; ResultPath "$" (the default): the result is the output; any
 *   other reference path writes the result into the raw input, creating
 *   missing objects;
 * - a path that matches nothing fails with States.Runtime (AWS reports
 *   States.Runtime, not the spec's States.ParameterPathFailure).
 */
#include "dataflow.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"
#include "template.h"

/* A deep copy (NULL for JSON null); false when out of memory. */
static bool
asl_copy_doc(json_object *src, json_object **out)
{
	*out = NULL;
	if (src == NULL)
		return true;
	return json_object_deep_copy(src, out, NULL) == 0;
}

bool
asl_apply_path_filter(const asl_opt_path *p, json_object *doc,
					  const asl_scope *scope, json_object **out, asl_error *err)
{
	asl_scope	s;

	*out = NULL;
	if (!p->present)
	{
		*out = json_object_get(doc);
		return true;
	}
	if (p->is_null || p->path == NULL)
	{
		*out = json_object_new_object();
		if (*out == NULL)
		{
			asl_error_set(err, ASL_ERR_RUNTIME, "out of memory");
			return false;
		}
		return true;
	}
	s = *scope;
	s.input = doc;
	if (!asl_path_select(p->path, &s, out))
		return asl_path_not_found(p->path, &s, err);
	return true;
}

bool
asl_path_not_found(const asl_path *path, const asl_scope *scope, asl_error *err)
{
	char	   *missing = asl_path_missing_property(path, scope);
	char	   *normalized;

	/*
	 * AWS quotes Jayway's message: the path as written, then Jayway's own
	 * words
	 */
	if (missing != NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "Invalid path '%s' : Missing property in path %s",
					  asl_path_text(path), missing);
		free(missing);
		return false;
	}
	normalized = asl_path_normalized(path);
	asl_error_set(err, ASL_ERR_RUNTIME, "Invalid path '%s' : No results for path: %s",
				  asl_path_text(path), normalized ? normalized : asl_path_text(path));
	free(normalized);
	return false;
}

bool
asl_apply_template(const asl_template *tpl, const asl_scope *scope,
				   json_object **out, asl_error *err)
{
	*out = NULL;
	if (tpl == NULL)
	{
		*out = json_object_get(scope->input);
		return true;
	}
	return asl_template_eval(tpl, scope, out, err);
}

/* "$.name", one member of the root, written in dot notation with plain characters */
static bool
is_root_member(const asl_path *path)
{
	const char *t = asl_path_text(path);

	if (t == NULL || t[0] != '$' || t[1] != '.' || t[2] == '\0')
		return false;
	for (t += 2; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') ||
			  (*t >= '0' && *t <= '9') || *t == '_'))
			return false;
	return true;
}

/*
 * A copy of raw that asl_path_assign may write into along path. For a member
 * of the root (the usual ResultPath) only the root object is copied and its
 * members are shared: assigning replaces one member of the copy and changes
 * nothing below it (documents are never changed in place, except by this
 * assignment into its own copy). Copying the whole document instead made
 * each such state cost as much as the document is large.
 */
static bool
copy_for_assign(json_object *raw, const asl_path *path, json_object **out)
{
	json_object *copy;

	if (!json_object_is_type(raw, json_type_object) || !is_root_member(path))
		return asl_copy_doc(raw, out);
	*out = NULL;
	copy = json_object_new_object();
	if (copy == NULL)
		return false;
	{
		json_object_object_foreach(raw, key, val)
		{
			if (json_object_object_add_ex(copy, key, json_object_get(val),
										  JSON_C_OBJECT_ADD_KEY_IS_NEW) != 0)
			{
				json_object_put(val);
				json_object_put(copy);
				return false;
			}
		}
	}
	*out = copy;
	return true;
}

bool
asl_apply_result_path(const asl_opt_path *p, json_object *raw, json_object *result,
					  json_object **out, asl_error *err)
{
	json_object *doc;

	*out = NULL;
	if (!p->present || (p->path != NULL && asl_path_is_root(p->path)))
	{
		*out = json_object_get(result);
		return true;
	}
	if (p->is_null || p->path == NULL)
	{
		*out = json_object_get(raw);
		return true;
	}
	/* the raw input is shared with the caller: write into a copy */
	if (!copy_for_assign(raw, p->path, &doc))
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "out of memory applying ResultPath");
		return false;
	}
	if (!asl_path_assign(p->path, &doc, result, err))
	{
		json_object_put(doc);
		return false;
	}
	*out = doc;
	return true;
}

/* ---- payload size ---- */

/*
 * Bytes a character adds beyond itself in compact JSON: 1 for the two-byte
 * escapes (\" \\ \b \f \n \r \t), 5 for the other controls (\u00XX).
 */
static const unsigned char escape_extra[256] = {
	5, 5, 5, 5, 5, 5, 5, 5, 1, 1, 1, 5, 1, 1, 5, 5,
	5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
};

/* Bytes of the string as compact JSON: quotes and escapes included. */
static size_t
string_size(const char *s, size_t len)
{
	size_t		n = 2 + len;

	for (size_t i = 0; i < len; i++)
		n += escape_extra[(unsigned char) s[i]];
	return n;
}

/* The same for a member name (NUL-terminated), in one pass. */
static size_t
key_size(const char *k)
{
	size_t		n = 2;

	for (; *k != '\0'; k++)
		n += 1 + escape_extra[(unsigned char) *k];
	return n;
}

/* The length of n in decimal, without printing it (this runs for every number of every output) */
static size_t
int64_size(int64_t n)
{
	uint64_t	u = n < 0 ? (uint64_t) 0 - (uint64_t) n : (uint64_t) n;
	size_t		len = n < 0 ? 2 : 1;

	while (u >= 10)
	{
		u /= 10;
		len++;
	}
	return len;
}

/* Bytes of a scalar (or NULL) of type t as compact JSON; containers count 0 here. */
static size_t
scalar_size(json_object *v, enum json_type t)
{

	switch (t)
	{
		case json_type_null:
			return 4;
		case json_type_boolean:
			return json_object_get_boolean(v) ? 4 : 5;
		case json_type_int:
			if (json_object_get_int64(v) == INT64_MAX)

				/*
				 * may be an unsigned value above INT64_MAX: let json-c print
				 * it
				 */
				return strlen(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
			return int64_size(json_object_get_int64(v));
		case json_type_double:
			return strlen(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
		case json_type_string:
			return string_size(json_object_get_string(v), (size_t) json_object_get_string_len(v));
		default:
			return 0;
	}
}

typedef struct frame
{
	json_object *obj;
	struct lh_entry *entry;		/* objects: the next member */
	size_t		index;			/* arrays: the next element */
	size_t		length;			/* arrays: how many elements */
	bool		is_object;
} frame;

/* frames on the C stack before the walk needs the heap (most documents) */
#define LOCAL_FRAMES 16

/*
 * Bytes of doc serialized as compact JSON, as AWS measures payloads.
 * Counting stops early once it passes stop_after (the result is then some
 * value above stop_after). Never recurses, whatever the depth.
 */
static size_t
asl_json_size(json_object *doc, size_t stop_after)
{
	frame		local[LOCAL_FRAMES];
	frame	   *stack = local;
	size_t		depth = 0;
	size_t		cap = LOCAL_FRAMES;
	size_t		total = 0;
	json_object *v = doc;

	for (;;)
	{
		/* v is the next value to measure; containers open a frame */
		enum json_type t = json_object_get_type(v);

		if (t == json_type_object || t == json_type_array)
		{
			if (depth == cap)
			{
				size_t		ncap = cap * 2;
				frame	   *ns = stack == local ? malloc(ncap * sizeof(frame))
				: realloc(stack, ncap * sizeof(frame));

				if (ns == NULL)
				{
					/*
					 * cannot measure: report it as too large rather than
					 * guess
					 */
					if (stack != local)
						free(stack);
					return stop_after + 1;
				}
				if (stack == local)
					memcpy(ns, local, sizeof(local));
				stack = ns;
				cap = ncap;
			}
			stack[depth].obj = v;
			stack[depth].index = 0;
			stack[depth].is_object = t == json_type_object;
			stack[depth].entry = t == json_type_object ? lh_table_head(json_object_get_object(v)) : NULL;
			stack[depth].length = t == json_type_array ? json_object_array_length(v) : 0;
			depth++;
			total += 2;			/* {} or [] */
		}
		else
			total += scalar_size(v, t);

		/*
		 * find the next value: the next member of the innermost open
		 * container
		 */
		v = NULL;
		while (depth > 0)
		{
			frame	   *f = &stack[depth - 1];

			if (total > stop_after)
			{
				if (stack != local)
					free(stack);
				return total;
			}
			if (f->is_object)
			{
				if (f->entry != NULL)
				{
					total += key_size((const char *) lh_entry_k(f->entry)) + 1 + (f->index > 0 ? 1 : 0);
					v = (json_object *) lh_entry_v(f->entry);
					f->entry = lh_entry_next(f->entry);
					f->index++;
					break;
				}
			}
			else if (f->index < f->length)
			{
				total += f->index > 0 ? 1 : 0;
				v = json_object_array_get_idx(f->obj, f->index);
				f->index++;
				break;
			}
			depth--;
		}
		if (depth == 0)
			break;
	}
	if (stack != local)
		free(stack);
	return total;
}

/* States.DataLimitExceeded for state; returns false. */
static bool
too_large(const char *state, asl_error *err)
{
	asl_error_set(err, ASL_ERR_DATA_LIMIT,
				  "The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.",
				  state);
	return false;
}

bool
asl_check_size(json_object *doc, size_t limit, const char *state, asl_error *err)
{
	if (asl_json_size(doc, limit) <= limit)
		return true;
	return too_large(state, err);
}

/* Keeps doc's size in memo; a count past the limit stopped early, so it is not kept. */
static void
remember(asl_size_memo *memo, json_object *doc, size_t size, size_t limit)
{
	if (memo == NULL || doc == NULL || size > limit || memo->doc == doc)
		return;
	json_object_get(doc);
	json_object_put(memo->doc);
	memo->doc = doc;
	memo->size = size;
}

bool
asl_check_output_size(json_object *output, size_t limit, const char *state, asl_error *err,
					  asl_size_memo *memo)
{
	size_t		size;

	if (memo != NULL && output != NULL && memo->doc == output)
		size = memo->size;
	else
	{
		size = asl_json_size(output, limit);
		remember(memo, output, size, limit);
	}
	return size <= limit || too_large(state, err);
}

bool
asl_check_result_size(const asl_opt_path *p, json_object *raw, json_object *combined,
					  json_object *output, size_t limit, const char *state, asl_error *err,
					  asl_size_memo *memo)
{
	const char *key;
	json_object *old = NULL;
	json_object *now = NULL;
	bool		had;
	size_t		size;

	/* combined is raw's root copied and one member set (copy_for_assign) */
	if (memo == NULL || raw == NULL || memo->doc != raw || output != combined || combined == raw ||
		!p->present || p->path == NULL || !is_root_member(p->path) ||
		!json_object_is_type(raw, json_type_object) || !json_object_is_type(combined, json_type_object))
		return asl_check_output_size(output, limit, state, err, memo);
	key = asl_path_text(p->path) + 2;	/* after "$.": a plain name */
	had = json_object_object_get_ex(raw, key, &old);
	if (!json_object_object_get_ex(combined, key, &now) ||
		json_object_object_length(combined) != json_object_object_length(raw) + (had ? 0 : 1))
		return asl_check_output_size(output, limit, state, err, memo);
	/* the old member is part of raw, so no larger than raw: no underflow */
	size = memo->size + asl_json_size(now, limit);
	if (had)
		size -= asl_json_size(old, memo->size);
	else
		size += key_size(key) + 1 + (json_object_object_length(raw) > 0 ? 1 : 0);
	remember(memo, output, size, limit);
	return size <= limit || too_large(state, err);
}

void
asl_size_memo_clear(asl_size_memo *memo)
{
	json_object_put(memo->doc);
	memo->doc = NULL;
	memo->size = 0;
}

bool
asl_json_add(json_object *obj, const char *key, json_object *value)
{
	if (obj == NULL || json_object_object_add(obj, key, value) != 0)
	{
		json_object_put(value);
		return false;
	}
	return true;
}

bool
asl_json_add_static(json_object *obj, const char *key, json_object *value)
{
	if (obj == NULL || json_object_object_add_ex(obj, key, value, JSON_C_OBJECT_ADD_CONSTANT_KEY) != 0)
	{
		json_object_put(value);
		return false;
	}
	return true;
}
