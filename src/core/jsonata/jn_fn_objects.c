/*
 * jn_fn_objects.c — object functions and the odd ones out: $keys,
 * $lookup, $spread, $merge, $each, $sift, $error, $assert, $type, $clone.
 */
#include "jsonata/jn_fn.h"

#include <string.h>

#define UNUSED (void) n; (void) input

static bool
is_obj(const jv *v)
{
	return v && v->t == JV_OBJ;
}

static jv  *
fn_keys(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *r = TRY(jn_seq(C));
	jv		   *seen;

	UNUSED;
	if (a[0] == NULL)
		return r;
	if (a[0]->t == JV_ARR)
	{
		seen = NEW(jv_obj(&C->arena));
		ITEMS(a[0]);
		for (size_t i = 0; i < JV_A(a[0]).len; i++)
		{
			jv		   *o = JV_A(a[0]).v[i];

			if (!is_obj(o))
				continue;
			for (size_t k = 0; k < JV_O(o)->len; k++)
				if (jv_get(seen, JV_O(o)->keys[k], JV_O(o)->klen[k]) == NULL)
				{
					jv		   *key = NEW(jv_str_ref(&C->arena, JV_O(o)->keys[k], JV_O(o)->klen[k]));

					if (!jv_set(&C->arena, seen, JV_O(o)->keys[k], JV_O(o)->klen[k], key))
						return jn_oom(C);
					PUSH(r, key);
				}
		}
		return r;
	}
	if (is_obj(a[0]))
		for (size_t k = 0; k < JV_O(a[0])->len; k++)
			PUSH(r, NEW(jv_str_ref(&C->arena, JV_O(a[0])->keys[k], JV_O(a[0])->klen[k])));
	return r;
}

static jv  *
fn_lookup(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	if (a[1] == NULL)
		return NULL;
	return jn_lookup(C, a[0], a[1]->u.s.p, a[1]->u.s.len);
}

/*
 * $spread: an array of one-member objects, one per member of v (of each
 * object, for an array).
 */
static jv  *
spread(jn_ctx *C, jv *v, int depth)
{
	jv		   *r;

	if (v == NULL)
		return NULL;
	if (v->t == JV_ARR)
	{
		if (depth >= JN_MAX_NESTING)
			return jn_too_deep(C);
		r = TRY(jn_seq(C));
		ITEMS(v);
		for (size_t i = 0; i < JV_A(v).len; i++)
			r = TRY(jn_append(C, r, TRY(spread(C, JV_A(v).v[i], depth + 1))));
		return r;
	}
	if (v->t == JV_OBJ)
	{
		r = TRY(jn_seq(C));
		for (size_t k = 0; k < JV_O(v)->len; k++)
		{
			jv		   *o = NEW(jv_obj(&C->arena));

			if (!jv_set(&C->arena, o, JV_O(v)->keys[k], JV_O(v)->klen[k], JV_O(v)->vals[k]))
				return jn_oom(C);
			PUSH(r, o);
		}
		return r;
	}
	return v;
}

static jv  *
fn_spread(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return spread(C, a[0], 0);
}

static jv  *
fn_merge(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *r;

	UNUSED;
	if (a[0] == NULL)
		return NULL;
	r = NEW(jv_obj(&C->arena));
	ITEMS(a[0]);
	for (size_t i = 0; i < JV_A(a[0]).len; i++)
	{
		jv		   *o = JV_A(a[0]).v[i];

		for (size_t k = 0; k < JV_O(o)->len; k++)
			if (!jv_set(&C->arena, r, JV_O(o)->keys[k], JV_O(o)->klen[k], JV_O(o)->vals[k]))
				return jn_oom(C);
	}
	return r;
}

static jv  *
fn_each(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *r,
			   *o = a[0];

	UNUSED;
	if (o == NULL)
		return NULL;
	r = TRY(jn_seq(C));
	for (size_t k = 0; k < JV_O(o)->len; k++)
	{
		jv		   *key = NEW(jv_str_ref(&C->arena, JV_O(o)->keys[k], JV_O(o)->klen[k]));
		jv		   *res = TRY(jn_apply_hof(C, a[1], JV_O(o)->vals[k], key, o));

		if (res)
			PUSH(r, res);
	}
	return r;
}

static jv  *
fn_sift(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *r,
			   *o = a[0];

	UNUSED;
	if (o == NULL)
		return NULL;
	r = NEW(jv_obj(&C->arena));
	for (size_t k = 0; k < JV_O(o)->len; k++)
	{
		jv		   *key = NEW(jv_str_ref(&C->arena, JV_O(o)->keys[k], JV_O(o)->klen[k]));
		jv		   *res = TRY(jn_apply_hof(C, a[1], JV_O(o)->vals[k], key, o));
		bool		d;

		if (jn_boolean(res, &d) &&
			!jv_set(&C->arena, r, JV_O(o)->keys[k], JV_O(o)->klen[k], JV_O(o)->vals[k]))
			return jn_oom(C);
	}
	return JV_O(r)->len ? r : NULL;
}

static jv  *
fn_error(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	if (a[0])
		return jn_fail(C, "D3137", -1, "%.*s", (int) a[0]->u.s.len, a[0]->u.s.p);
	return jn_fail(C, "D3137", -1, "$error() function evaluated");
}

static jv  *
fn_assert(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) input;
	if (a[0] && a[0]->t == JV_BOOL && !a[0]->u.b)
	{
		if (n > 1 && a[1])
			return jn_fail(C, "D3141", -1, "%.*s", (int) a[1]->u.s.len, a[1]->u.s.p);
		return jn_fail(C, "D3141", -1, "$assert() statement failed");
	}
	return NULL;
}

const char *
jn_type_name(const jv *v)
{
	if (v == NULL)
		return "undefined";
	switch (v->t)
	{
		case JV_NULL:
			return "null";
		case JV_BOOL:
			return "boolean";
		case JV_NUM:
			return "number";
		case JV_STR:
			return "string";
		case JV_ARR:
			return "array";
		case JV_OBJ:
			return "object";
		case JV_FUNC:
			return "function";
	}
	return "undefined";
}

static jv  *
fn_type(jn_ctx *C, jv **a, int n, jv *input)
{
	const char *t;

	UNUSED;
	if (a[0] == NULL)
		return NULL;
	t = jn_type_name(a[0]);
	return NEW(jv_str_ref(&C->arena, t, strlen(t)));
}

static jv  *
fn_clone(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return jn_deep_clone(C, a[0]);
}

jn_builtin	jn_fn_objects[] = {
	JN_BUILTIN("keys", "<x-:a<s>>", fn_keys, 1),
	JN_BUILTIN("lookup", "<x-s:x>", fn_lookup, 2),
	JN_BUILTIN("spread", "<x-:a<o>>", fn_spread, 1),
	JN_BUILTIN("merge", "<a<o>:o>", fn_merge, 1),
	JN_BUILTIN("each", "<o-f?:a>", fn_each, 2),
	JN_BUILTIN("sift", "<o-f?:o>", fn_sift, 2),
	JN_BUILTIN("error", "<s?:x>", fn_error, 1),
	JN_BUILTIN("assert", "<bs?:x>", fn_assert, 2),
	JN_BUILTIN("type", "<x:s>", fn_type, 1),
	JN_BUILTIN("clone", "<(oa)-:o>", fn_clone, 1),
	{.name = NULL}
};
