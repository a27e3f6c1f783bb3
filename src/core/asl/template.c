/*
 * template.c — payload templates: JSON in which keys ending in ".$" take
 * their value from a path or an intrinsic call.
 *
 * A template compiles to a tree that mirrors the JSON; any subtree holding no
 * ".$" key collapses into one literal node, so evaluation copies it whole.
 * "x.$" next to "x" is MUTUALLY_EXCLUSIVE_FIELDS: both would make "x".
 *
 * What evaluation returns is fresh: every object and array in it is new, so
 * callers may change it freely without touching the definition or the state's
 * input. Scalars (strings, numbers, booleans) may be shared by reference
 * count with either: json-c scalars are never changed in place here.
 */
#include "template.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"
#include "path.h"

/* Deepest JSON a template may nest (compile and eval recurse on it). */
#define MAX_TEMPLATE_DEPTH 256

/* How much of a document a States.Runtime cause quotes. */
#define MAX_QUOTED_BYTES 1024

typedef enum node_kind
{
	NODE_LITERAL,				/* copied as is */
	NODE_OBJECT,
	NODE_ARRAY,
	NODE_PATH,					/* "key.$": "$..." */
	NODE_INTRINSIC				/* "key.$": "States.Fn(...)" */
} node_kind;

typedef struct member
{
	char	   *key;			/* the output key (".$" dropped) */
	asl_template *value;
} member;

struct asl_template
{
	node_kind	kind;
	json_object *literal;		/* LITERAL: a reference into the definition */
	char	   *field;			/* PATH, INTRINSIC: the key as written, for
								 * causes */
	asl_path   *path;
	asl_intrinsic *fn;
	member	   *members;		/* OBJECT */
	size_t		n_members;
	asl_template **items;		/* ARRAY */
	size_t		n_items;
};

typedef struct compile_ctx
{
	asl_diags  *diags;
	bool		ok;
} compile_ctx;

static void
			report(compile_ctx *c, asl_severity sev, const char *code, const char *pointer,
				   const char *fmt,...)
			__attribute__((format(printf, 5, 6)));

/* Adds a diagnostic; an error makes the compilation fail. */
static void
report(compile_ctx *c, asl_severity sev, const char *code, const char *pointer,
	   const char *fmt,...)
{
	va_list		ap;
	char	   *msg = NULL;

	if (sev == ASL_SEV_ERROR)
		c->ok = false;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	asl_diag_add(c->diags, sev, code, pointer, "%s", msg ? msg : code);
	free(msg);
}

bool
asl_template_is_dollar_key(const char *key, size_t len)
{
	return len >= 2 && key[len - 2] == '.' && key[len - 1] == '$';
}

bool
asl_template_looks_evaluated(const char *s)
{
	if (s[0] == '$')
	{
		const char *p = s + 1;

		if (*p == '$')
			p++;
		return *p == '.' || *p == '[' || (*p == '\0' && p != s + 1);
	}
	if (strncmp(s, "States.", 7) == 0)
	{
		const char *p = s + 7;

		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '.')
			p++;
		return *p == '(' && p != s + 7;
	}
	return false;
}

/*
 * NO_DOLLAR, AWS's warning for a literal that looks meant to be evaluated;
 * once per field in a diagnostics list, whoever reported it first.
 */
static void
warn_no_dollar(compile_ctx *c, const char *pointer, const char *key)
{
	for (size_t i = 0; i < c->diags->count; i++)
		if (strcmp(c->diags->items[i].code, "NO_DOLLAR") == 0 &&
			strcmp(c->diags->items[i].location, pointer) == 0)
			return;
	report(c, ASL_SEV_WARNING, "NO_DOLLAR", pointer,
		   "the value of \"%s\" looks like a path or intrinsic function but is taken literally; name the field \"%s.$\" to evaluate it",
		   key, key);
}

void
asl_template_free(asl_template *t)
{
	if (t == NULL)
		return;
	json_object_put(t->literal);
	free(t->field);
	if (t->path != NULL)
		asl_path_free(t->path);
	if (t->fn != NULL)
		asl_intrinsic_free(t->fn);
	for (size_t i = 0; i < t->n_members; i++)
	{
		free(t->members[i].key);
		asl_template_free(t->members[i].value);
	}
	free(t->members);
	for (size_t i = 0; i < t->n_items; i++)
		asl_template_free(t->items[i]);
	free(t->items);
	free(t);
}

/* A new template node of kind; NULL (reported) when out of memory. */
static asl_template *
new_node(compile_ctx *c, node_kind kind, const char *pointer)
{
	asl_template *t = calloc(1, sizeof(asl_template));

	if (t == NULL)
		report(c, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
	else
		t->kind = kind;
	return t;
}

/* A ".$" field's value: a path, or an intrinsic call. */
static asl_template *
compile_dynamic(compile_ctx *c, const char *key, json_object *val, const char *pointer)
{
	const char *text;
	char	   *error = NULL;
	asl_template *t;

	if (!json_object_is_type(val, json_type_string))
	{
		report(c, ASL_SEV_ERROR, "WRONG_TYPE", pointer,
			   "the value of \"%s\" must be a string holding a path or an intrinsic function call", key);
		return NULL;
	}
	text = json_object_get_string(val);
	t = new_node(c, asl_intrinsic_is_call(text) ? NODE_INTRINSIC : NODE_PATH, pointer);
	if (t == NULL)
		return NULL;
	if (t->kind == NODE_INTRINSIC)
	{
		t->fn = asl_intrinsic_compile(text, &error);
		if (t->fn == NULL)
			report(c, ASL_SEV_ERROR, "INVALID_INTRINSIC", pointer,
				   "\"%s\" is not a valid intrinsic function call: %s", key,
				   error ? error : "cannot compile");
	}
	else
	{
		t->path = asl_path_compile(text, ASL_PATH_QUERY, &error);
		if (t->path == NULL)
			report(c, ASL_SEV_ERROR, "INVALID_JSON_PATH", pointer,
				   "the value of \"%s\" is not a valid JSONPath: %s", key,
				   error ? error : "cannot compile");
	}
	free(error);
	t->field = strdup(key);
	if ((t->fn == NULL && t->path == NULL) || t->field == NULL)
	{
		if (t->field == NULL)
			report(c, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
		asl_template_free(t);
		return NULL;
	}
	return t;
}

static asl_template *compile_node(compile_ctx *c, json_object *v, const char *pointer, int depth);

/*
 * Compiles one member: a "key.$" member becomes a path, intrinsic call or
 * context reference under key; others are templates.
 */
static void
compile_member(compile_ctx *c, json_object *obj, const char *key, json_object *val,
			   const char *pointer, int depth, member *m)
{
	size_t		len = strlen(key);
	char	   *at = asl_pointer_join(pointer, key);

	if (at == NULL)
	{
		report(c, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
		return;
	}
	if (asl_template_is_dollar_key(key, len))
	{
		m->key = strndup(key, len - 2);
		if (m->key != NULL && !asl_template_is_dollar_key(m->key, len - 2) &&
			json_object_object_get_ex(obj, m->key, NULL))
			report(c, ASL_SEV_ERROR, "MUTUALLY_EXCLUSIVE_FIELDS", pointer,
				   "\"%s\" and \"%s\" would both produce the field \"%s\"", m->key, key, m->key);
		m->value = compile_dynamic(c, key, val, at);
	}
	else
	{
		m->key = strdup(key);
		if (json_object_is_type(val, json_type_string) &&
			asl_template_looks_evaluated(json_object_get_string(val)))
			warn_no_dollar(c, at, key);
		m->value = compile_node(c, val, at, depth + 1);
	}
	if (m->key == NULL)
		report(c, ASL_SEV_ERROR, "OUT_OF_MEMORY", at, "out of memory");
	free(at);
}

/* Compiles an object's members into t. */
static void
compile_object(compile_ctx *c, asl_template *t, json_object *v, const char *pointer, int depth)
{
	size_t		n = (size_t) json_object_object_length(v);
	size_t		i = 0;

	if (n == 0)
		return;
	t->members = calloc(n, sizeof(member));
	if (t->members == NULL)
	{
		report(c, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
		return;
	}
	{
		json_object_object_foreach(v, key, val)
		{
			if (i == n)
				break;
			compile_member(c, v, key, val, pointer, depth, &t->members[i]);
			t->n_members = ++i;
		}
	}
}

/* Compiles an array's elements into t. */
static void
compile_array(compile_ctx *c, asl_template *t, json_object *v, const char *pointer, int depth)
{
	size_t		n = json_object_array_length(v);

	if (n == 0)
		return;
	t->items = calloc(n, sizeof(asl_template *));
	if (t->items == NULL)
	{
		report(c, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
		return;
	}
	t->n_items = n;
	for (size_t i = 0; i < n; i++)
	{
		char	   *at = asl_pointer_index(pointer, i);

		if (at == NULL)
		{
			report(c, ASL_SEV_ERROR, "OUT_OF_MEMORY", pointer, "out of memory");
			return;
		}
		t->items[i] = compile_node(c, json_object_array_get_idx(v, i), at, depth + 1);
		free(at);
	}
}

/* True when every part of an object or array node is a literal. */
static bool
all_literal(const asl_template *t)
{
	for (size_t i = 0; i < t->n_members; i++)
		if (t->members[i].value == NULL || t->members[i].value->kind != NODE_LITERAL)
			return false;
	for (size_t i = 0; i < t->n_items; i++)
		if (t->items[i] == NULL || t->items[i]->kind != NODE_LITERAL)
			return false;
	return true;
}

/*
 * Compiles v into a template: literal where nothing is evaluated, else a
 * tree of objects, arrays and evaluated members, at most MAX_TEMPLATE_DEPTH
 * deep.
 */
static asl_template *
compile_node(compile_ctx *c, json_object *v, const char *pointer, int depth)
{
	bool		is_object = json_object_is_type(v, json_type_object);
	asl_template *t;

	if (depth > MAX_TEMPLATE_DEPTH)
	{
		report(c, ASL_SEV_ERROR, "UNSUPPORTED_FEATURE", pointer,
			   "payload template nested more than %d levels deep", MAX_TEMPLATE_DEPTH);
		return NULL;
	}
	if (!is_object && !json_object_is_type(v, json_type_array))
	{
		t = new_node(c, NODE_LITERAL, pointer);
		if (t != NULL)
			t->literal = json_object_get(v);
		return t;
	}
	t = new_node(c, is_object ? NODE_OBJECT : NODE_ARRAY, pointer);
	if (t == NULL)
		return NULL;
	if (is_object)
		compile_object(c, t, v, pointer, depth);
	else
		compile_array(c, t, v, pointer, depth);
	if (c->ok && all_literal(t))
	{
		/* nothing to evaluate below: keep the JSON itself */
		asl_template_free(t);
		t = new_node(c, NODE_LITERAL, pointer);
		if (t != NULL)
			t->literal = json_object_get(v);
	}
	return t;
}

asl_template *
asl_template_compile(json_object *tpl, const char *pointer, asl_diags *diags)
{
	compile_ctx c;
	asl_template *t;

	c.diags = diags;
	c.ok = true;
	t = compile_node(&c, tpl, pointer ? pointer : "", 0);
	if (!c.ok)
	{
		asl_template_free(t);
		return NULL;
	}
	return t;
}

/* ---- evaluation ---- */

static bool
out_of_memory(asl_error *err)
{
	asl_error_set(err, ASL_ERR_RUNTIME, "out of memory while evaluating a payload template");
	return false;
}

/* A reference to v that shares no object or array with it. */
static bool
fresh(json_object *v, json_object **out, asl_error *err)
{
	*out = NULL;
	if (!json_object_is_type(v, json_type_object) && !json_object_is_type(v, json_type_array))
	{
		*out = json_object_get(v);
		return true;
	}
	if (json_object_deep_copy(v, out, NULL) != 0)
	{
		json_object_put(*out);
		*out = NULL;
		return out_of_memory(err);
	}
	return true;
}

/* Like fresh(), but consumes the reference to v. */
static bool
fresh_owned(json_object *v, json_object **out, asl_error *err)
{
	bool		ok;

	if (!json_object_is_type(v, json_type_object) && !json_object_is_type(v, json_type_array))
	{
		*out = v;
		return true;
	}
	ok = fresh(v, out, err);
	json_object_put(v);
	return ok;
}

bool
asl_field_path_not_found(const asl_path *path, const char *field, const asl_scope *scope,
						 asl_error *err)
{
	const char *text = asl_path_text(path);
	const char *json;
	size_t		len;

	if (asl_path_root_kind(path) == ASL_ROOT_VARIABLE)
	{
		asl_error_set(err, ASL_ERR_RUNTIME,
					  "The JSONPath '%s' specified for the field '%s' could not be found in the variable '$%s'",
					  text, field, asl_path_variable(path) ? asl_path_variable(path) : "");
		return false;
	}
	/* AWS quotes the state's input, a $$ path's too */
	json = json_object_to_json_string_ext(scope->input, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (json == NULL)
		json = "";
	len = strlen(json);
	if (len > MAX_QUOTED_BYTES)
	{
		/* cut on a UTF-8 character boundary */
		len = MAX_QUOTED_BYTES;
		while (len > 0 && ((unsigned char) json[len] & 0xC0) == 0x80)
			len--;
	}
	asl_error_set(err, ASL_ERR_RUNTIME,
				  "The JSONPath '%s' specified for the field '%s' could not be found in the input '%.*s%s'",
				  text, field, (int) len, json, json[len] ? "..." : "");
	return false;
}

static bool eval_node(const asl_template *t, const asl_scope *scope, json_object **out,
					  asl_error *err);

/* Evaluates an object template into a new object. */
static bool
eval_object(const asl_template *t, const asl_scope *scope, json_object **out, asl_error *err)
{
	json_object *obj = json_object_new_object();

	if (obj == NULL)
		return out_of_memory(err);
	for (size_t i = 0; i < t->n_members; i++)
	{
		json_object *v;

		if (!eval_node(t->members[i].value, scope, &v, err))
		{
			json_object_put(obj);
			return false;
		}
		if (json_object_object_add(obj, t->members[i].key, v) != 0)
		{
			json_object_put(v);
			json_object_put(obj);
			return out_of_memory(err);
		}
	}
	*out = obj;
	return true;
}

/* Evaluates an array template into a new array. */
static bool
eval_array(const asl_template *t, const asl_scope *scope, json_object **out, asl_error *err)
{
	json_object *arr = json_object_new_array_ext((int) (t->n_items ? t->n_items : 1));

	if (arr == NULL)
		return out_of_memory(err);
	for (size_t i = 0; i < t->n_items; i++)
	{
		json_object *v;

		if (!eval_node(t->items[i], scope, &v, err))
		{
			json_object_put(arr);
			return false;
		}
		if (json_object_array_add(arr, v) != 0)
		{
			json_object_put(v);
			json_object_put(arr);
			return out_of_memory(err);
		}
	}
	*out = arr;
	return true;
}

/* Evaluates template t against the scope into *out (a new reference). */
static bool
eval_node(const asl_template *t, const asl_scope *scope, json_object **out, asl_error *err)
{
	json_object *v = NULL;

	*out = NULL;
	if (t == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "payload template was not compiled");
		return false;
	}
	switch (t->kind)
	{
		case NODE_LITERAL:
			return fresh(t->literal, out, err);
		case NODE_OBJECT:
			return eval_object(t, scope, out, err);
		case NODE_ARRAY:
			return eval_array(t, scope, out, err);
		case NODE_PATH:
			/* indefinite paths always succeed, with an array of their matches */
			if (!asl_path_select(t->path, scope, &v))
				return asl_field_path_not_found(t->path, t->field, scope, err);
			return fresh_owned(v, out, err);
		case NODE_INTRINSIC:
			if (!asl_intrinsic_eval(t->fn, scope, &v, err))
				return false;
			return fresh_owned(v, out, err);
	}
	asl_error_set(err, ASL_ERR_RUNTIME, "unknown payload template node");
	return false;
}

bool
asl_template_eval(const asl_template *tpl, const asl_scope *scope,
				  json_object **out, asl_error *err)
{
	return eval_node(tpl, scope, out, err);
}
