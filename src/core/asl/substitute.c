/*
 * substitute.c — SAM-style DefinitionSubstitutions: "${Name}" in any string
 * of the definition, keys included, becomes the text of Name's value.
 *
 * Syntax, as CloudFormation's Fn::Sub that SAM borrows it from:
 *   ${Name}      Name is letters, digits and _ . : - ; replaced by its value
 *   ${!Text}     the escape: rendered as "${Text}", never substituted
 *   anything else ("${", "${ x }", "$x") is left as written.
 * One pass: text inserted from a value is not scanned again.
 */
#include "substitute.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

/* Deepest nesting walked (the walk recurses). */
#define MAX_SUBSTITUTE_DEPTH 1024

typedef struct subst_ctx
{
	json_object *subs;			/* an object, or NULL */
	asl_diags  *diags;
	bool		ok;
} subst_ctx;

/* A character of a ${name} placeholder. */
static bool
name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '.' || c == ':' || c == '-';
}

/* Appends the value of placeholder name (len bytes), or reports why not. */
static void
replace(subst_ctx *c, asl_strbuf *out, const char *name, size_t len, const char *pointer)
{
	char	   *key = strndup(name, len);
	json_object *v = NULL;
	bool		found;

	if (key == NULL)
	{
		out->oom = true;
		return;
	}
	found = c->subs != NULL && json_object_object_get_ex(c->subs, key, &v);
	if (!found)
	{
		c->ok = false;
		asl_diag_add(c->diags, ASL_SEV_ERROR, "UNSUBSTITUTED_PLACEHOLDER", pointer,
					 "no substitution is given for ${%s}", key);
	}
	else if (json_object_is_type(v, json_type_string))
		asl_strbuf_add(out, json_object_get_string(v), (size_t) json_object_get_string_len(v));
	else if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double) ||
			 json_object_is_type(v, json_type_boolean))
	{
		const char *text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);

		asl_strbuf_add(out, text, strlen(text));
	}
	else
	{
		c->ok = false;
		asl_diag_add(c->diags, ASL_SEV_ERROR, "WRONG_TYPE", pointer,
					 "the substitution for ${%s} must be a string, number or boolean, not %s",
					 key, json_type_to_name(json_object_get_type(v)));
	}
	free(key);
}

/*
 * Substitutes in s (len bytes, NULs allowed). Returns false when out of
 * memory; problems with placeholders are reported and leave them as written.
 */
static bool
substitute_text(subst_ctx *c, const char *s, size_t len, const char *pointer, asl_strbuf *out)
{
	size_t		i = 0;

	while (i < len)
	{
		const char *hit = len - i >= 2 ? memmem(s + i, len - i, "${", 2) : NULL;
		size_t		start,
					end;

		if (hit == NULL)
		{
			asl_strbuf_add(out, s + i, len - i);
			break;
		}
		start = (size_t) (hit - s);
		asl_strbuf_add(out, s + i, start - i);
		end = start + 2;
		if (end < len && s[end] == '!')
		{
			const char *close = memchr(s + end, '}', len - end);

			if (close != NULL)
			{
				/* ${!Text} → ${Text} */
				asl_strbuf_add(out, "${", 2);
				asl_strbuf_add(out, s + end + 1, (size_t) (close - s) - end);
				i = (size_t) (close - s) + 1;
				continue;
			}
		}
		while (end < len && name_char(s[end]))
			end++;
		if (end < len && s[end] == '}' && end > start + 2)
		{
			replace(c, out, s + start + 2, end - start - 2, pointer);
			i = end + 1;
		}
		else
		{
			asl_strbuf_add(out, "${", 2);
			i = start + 2;
		}
	}
	if (out->data == NULL)
		asl_strbuf_add(out, "", 0);
	return !out->oom;
}

/* Records out of memory at pointer. */
static void
oom(subst_ctx *c, const char *pointer)
{
	c->ok = false;
	asl_diag_add(c->diags, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
}

static json_object *walk(subst_ctx *c, json_object *v, const char *pointer, int depth);

/* Adds v's members, substituted, to obj. */
static void
copy_members(subst_ctx *c, json_object *v, json_object *obj, const char *pointer, int depth)
{
	json_object_object_foreach(v, key, val)
	{
		char	   *at = asl_pointer_join(pointer, key);
		asl_strbuf	k = {0};
		json_object *nv;

		if (at == NULL || !substitute_text(c, key, strlen(key), at, &k))
		{
			oom(c, at ? at : pointer);
			free(at);
			free(k.data);
			break;
		}
		nv = walk(c, val, at, depth + 1);
		if (json_object_object_get_ex(obj, k.data, NULL))
		{
			c->ok = false;
			asl_diag_add(c->diags, ASL_SEV_ERROR, "INVALID_VALUE", at,
						 "after substitution the field name \"%s\" occurs twice in this object", k.data);
		}
		if (json_object_object_add(obj, k.data, nv) != 0)
		{
			json_object_put(nv);
			oom(c, at);
		}
		free(k.data);
		free(at);
	}
}

/* A copy of the object with its members substituted. */
static json_object *
walk_object(subst_ctx *c, json_object *v, const char *pointer, int depth)
{
	json_object *obj = json_object_new_object();

	if (obj == NULL)
		oom(c, pointer);
	else
		copy_members(c, v, obj, pointer, depth);
	return obj;
}

/*
 * A copy of v with the placeholders substituted, at most
 * MAX_SUBSTITUTE_DEPTH deep; NULL on error (reported).
 */
static json_object *
walk(subst_ctx *c, json_object *v, const char *pointer, int depth)
{
	json_object *out = NULL;

	if (depth > MAX_SUBSTITUTE_DEPTH)
	{
		c->ok = false;
		asl_diag_add(c->diags, ASL_SEV_ERROR, "UNSUPPORTED_FEATURE", pointer,
					 "definition nested more than %d levels deep", MAX_SUBSTITUTE_DEPTH);
		return NULL;
	}
	switch (json_object_get_type(v))
	{
		case json_type_object:
			return walk_object(c, v, pointer, depth);
		case json_type_array:
			{
				size_t		n = json_object_array_length(v);

				out = json_object_new_array_ext((int) (n ? n : 1));
				if (out == NULL)
				{
					oom(c, pointer);
					return NULL;
				}
				for (size_t i = 0; i < n; i++)
				{
					char	   *at = asl_pointer_index(pointer, i);
					json_object *item;

					if (at == NULL)
					{
						oom(c, pointer);
						break;
					}
					item = walk(c, json_object_array_get_idx(v, i), at, depth + 1);
					if (json_object_array_add(out, item) != 0)
					{
						json_object_put(item);
						oom(c, at);
					}
					free(at);
				}
				return out;
			}
		case json_type_string:
			{
				const char *s = json_object_get_string(v);
				size_t		len = (size_t) json_object_get_string_len(v);
				asl_strbuf	b = {0};

				if (memmem(s, len, "${", 2) == NULL)
					return json_object_get(v);	/* scalars are shared, never
												 * changed */
				if (!substitute_text(c, s, len, pointer, &b))
					oom(c, pointer);
				else if ((out = json_object_new_string_len(b.data, (int) b.len)) == NULL)
					oom(c, pointer);
				free(b.data);
				return out;
			}
		default:
			return json_object_get(v);
	}
}

json_object *
asl_substitute(json_object *definition, json_object *substitutions, asl_diags *diags)
{
	subst_ctx	c;
	json_object *out;

	if (substitutions != NULL && !json_object_is_type(substitutions, json_type_object))
	{
		asl_diag_add(diags, ASL_SEV_ERROR, "WRONG_TYPE", "",
					 "DefinitionSubstitutions must be an object of names to strings, numbers or booleans, not %s",
					 json_type_to_name(json_object_get_type(substitutions)));
		return NULL;
	}
	c.subs = substitutions;
	c.diags = diags;
	c.ok = true;
	out = walk(&c, definition, "", 0);
	if (!c.ok)
	{
		json_object_put(out);
		return NULL;
	}
	return out;
}
