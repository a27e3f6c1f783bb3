/*
 * jn_eval.c — the JSONata evaluator: paths with sequence semantics, tuple
 * streams for focus/index/parent bindings, predicates, operators, blocks,
 * lambdas with tail calls run as a trampoline, partial application, ~>,
 * transforms, group-by and order-by.
 */
#include "jsonata/jn_internal.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/rand.h>

/* ---------------- errors ---------------- */

jv		   *
jn_fail(jn_ctx *C, const char *code, int pos, const char *fmt,...)
{
	va_list		ap;

	if (C->failed)
		return NULL;
	C->failed = true;
	snprintf(C->err->code, sizeof C->err->code, "%s", code);
	C->err->position = pos;
	C->err->token[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(C->err->message, sizeof C->err->message, fmt, ap);
	va_end(ap);
	return NULL;
}

/* A guard rail's U1001, recording which one (unless an error is already set). */
static jv  *
jn_fail_limit(jn_ctx *C, jn_limit limit, int pos, const char *message)
{
	if (C->failed)
		return NULL;
	jn_fail(C, "U1001", pos, "%s", message);
	C->err->limit = limit;
	return NULL;
}

jv		   *
jn_fail_memory(jn_ctx *C, const char *message)
{
	return jn_fail_limit(C, JN_LIMIT_MEMORY, -1, message);
}

jv		   *
jn_oom(jn_ctx *C)
{
	return jn_fail_limit(C, JN_LIMIT_MEMORY, -1, "The evaluation exceeded its memory limit");
}

/*
 * Locates the current failure at pos (and its token) when it has no
 * position yet.
 */
static void
set_pos(jn_ctx *C, int pos, const char *token, size_t toklen)
{
	if (C->failed && C->err->position < 0)
		C->err->position = pos;
	if (C->failed && token && C->err->token[0] == '\0')
		snprintf(C->err->token, sizeof C->err->token, "%.*s", (int) toklen, token);
}

/* ---------------- frames ---------------- */

/* A new, empty scope under parent, in the arena. */
static jn_frame *
frame_new(jn_ctx *C, jn_frame *parent)
{
	jn_frame   *f = jn_alloc(&C->arena, sizeof(jn_frame));

	if (f)
		f->parent = parent;
	return f;
}

/*
 * Binds name to val in scope f, replacing an earlier binding of the name;
 * false when out of memory.
 */
static bool
frame_bind(jn_ctx *C, jn_frame *f, const char *name, size_t len, jv *val)
{
	for (int i = 0; i < f->n; i++)
		if (f->nlen[i] == len && memcmp(f->names[i], name, len) == 0)
		{
			f->vals[i] = val;
			return true;
		}
	if (f->n == f->cap)
	{
		int			cap = f->cap ? f->cap * 2 : 4;
		const char **names = jn_alloc(&C->arena, (size_t) cap * sizeof(char *));
		size_t	   *nlen = jn_alloc(&C->arena, (size_t) cap * sizeof(size_t));
		jv		  **vals = jn_alloc(&C->arena, (size_t) cap * sizeof(jv *));

		if (!names || !nlen || !vals)
			return false;
		if (f->n)
		{
			memcpy(names, f->names, (size_t) f->n * sizeof(char *));
			memcpy(nlen, f->nlen, (size_t) f->n * sizeof(size_t));
			memcpy(vals, f->vals, (size_t) f->n * sizeof(jv *));
		}
		f->names = names;
		f->nlen = nlen;
		f->vals = vals;
		f->cap = cap;
	}
	f->names[f->n] = name;
	f->nlen[f->n] = len;
	f->vals[f->n] = val;
	f->n++;
	return true;
}

/* A function value for builtin b. */
static jv  *
builtin_value(jn_ctx *C, jn_builtin *b)
{
	jv		   *v = jv_new_func(C, F_BUILTIN);

	if (v)
	{
		v->u.f->builtin = b;
		v->u.f->sig = &b->sig;
		v->u.f->arity = b->arity;
	}
	return v;
}

/*
 * The value of variable name in scope f or its parents, then the builtins;
 * *found false when it is bound nowhere.
 */
static jv  *
frame_lookup(jn_ctx *C, jn_frame *f, const char *name, size_t len, bool *found)
{
	jn_builtin *b;

	*found = true;
	for (; f; f = f->parent)
		for (int i = f->n - 1; i >= 0; i--)
			if (f->nlen[i] == len && memcmp(f->names[i], name, len) == 0)
				return f->vals[i];
	b = jn_builtin_lookup(name, len);
	if (b)
		return builtin_value(C, b);
	*found = false;
	return NULL;
}

/*
 * A scope under env binding each member of a tuple (a stream's @ and #
 * bindings).
 */
static jn_frame *
frame_from_tuple(jn_ctx *C, jn_frame *env, jv *tuple)
{
	jn_frame   *f = frame_new(C, env);

	if (f == NULL || tuple == NULL || tuple->t != JV_OBJ)
		return f;
	for (size_t i = 0; i < JV_O(tuple)->len; i++)
		if (!frame_bind(C, f, JV_O(tuple)->keys[i], JV_O(tuple)->klen[i], JV_O(tuple)->vals[i]))
			return NULL;
	return f;
}

/* ---------------- helpers ---------------- */

jv		   *
jv_new_func(jn_ctx *C, jn_fkind kind)
{
	jv		   *v = jv_new_raw(&C->arena, JV_FUNC);

	if (v == NULL)
		return NULL;
	v->u.f = jn_alloc(&C->arena, sizeof(jn_func));
	if (v->u.f == NULL)
		return NULL;
	v->u.f->kind = kind;
	return v;
}

jv		   *
jn_seq(jn_ctx *C)
{
	jv		   *s = jv_arr(&C->arena, JA_SEQ);

	return s ? s : jn_oom(C);
}

static bool
is_arr(const jv *v)
{
	return v && v->t == JV_ARR;
}

jv		   *
jn_append(jn_ctx *C, jv *a, jv *b)
{
	jv		   *r;

	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	r = jv_arr(&C->arena, is_arr(a) ? (a->flags & (JA_SEQ | JA_TUPLES)) : JA_SEQ);
	if (r == NULL)
		return jn_oom(C);
	if (is_arr(a))
	{
		ITEMS(a);
		for (size_t i = 0; i < JV_A(a).len; i++)
			PUSH(r, JV_A(a).v[i]);
	}
	else
		PUSH(r, a);
	if (is_arr(b))
	{
		ITEMS(b);
		for (size_t i = 0; i < JV_A(b).len; i++)
			PUSH(r, JV_A(b).v[i]);
	}
	else
		PUSH(r, b);
	return r;
}

/* checks a number operand: NaN is not numeric, an infinity is D1001 */
static bool
is_numeric(jn_ctx *C, const jv *v)
{
	if (v == NULL || v->t != JV_NUM || isnan(v->u.n))
		return false;
	if (!isfinite(v->u.n))
	{
		jn_fail(C, "D1001", -1, "Number out of range: null");
		return false;
	}
	return true;
}

bool
jn_is_array_of(const jv *v, jn_type t)
{
	if (!is_arr(v))
		return false;
	if (v->flags & JA_RANGE)
		return t == JV_NUM;
	for (size_t i = 0; i < JV_A(v).len; i++)
		if (JV_A(v).v[i] == NULL || JV_A(v).v[i]->t != t)
			return false;
	return true;
}

bool
jn_boolean(const jv *v, bool *defined)
{
	*defined = v != NULL;
	if (v == NULL)
		return false;
	switch (v->t)
	{
		case JV_NULL:
			return false;
		case JV_BOOL:
			return v->u.b;
		case JV_NUM:
			return v->u.n != 0 && !isnan(v->u.n);
		case JV_STR:
			return v->u.s.len > 0;
		case JV_OBJ:
			return JV_O(v)->len > 0;
		case JV_FUNC:
			return false;
		case JV_ARR:
			if (v->flags & JA_RANGE)
				return JV_A(v).len > 1 || (JV_A(v).len == 1 && JV_A(v).start != 0);
			if (JV_A(v).len == 1)
			{
				bool		d;

				return jn_boolean(JV_A(v).v[0], &d);
			}
			for (size_t i = 0; i < JV_A(v).len; i++)
			{
				bool		d;

				if (jn_boolean(JV_A(v).v[i], &d))
					return true;
			}
			return false;
	}
	return false;
}

/* JSONata's truthiness of v. */
static bool
boolize(const jv *v)
{
	bool		d;

	return jn_boolean(v, &d);
}

static jv  *
deep_clone(jn_ctx *C, jv *v, int depth)
{
	jv		   *r;

	if (v == NULL)
		return NULL;
	if ((v->t == JV_ARR || v->t == JV_OBJ) && depth >= JN_MAX_NESTING)
		return jn_too_deep(C);
	switch (v->t)
	{
		case JV_ARR:
			ITEMS(v);
			r = NEW(jv_arr(&C->arena, v->flags));
			for (size_t i = 0; i < JV_A(v).len; i++)
			{
				jv		   *c = deep_clone(C, JV_A(v).v[i], depth + 1);

				if (C->failed)
					return NULL;
				PUSH(r, c);
			}
			return r;
		case JV_OBJ:
			r = NEW(jv_obj(&C->arena));
			for (size_t i = 0; i < JV_O(v)->len; i++)
			{
				jv		   *c = deep_clone(C, JV_O(v)->vals[i], depth + 1);

				if (C->failed)
					return NULL;
				if (!jv_set(&C->arena, r, JV_O(v)->keys[i], JV_O(v)->klen[i], c))
					return jn_oom(C);
			}
			return r;
		default:
			return v;
	}
}

jv		   *
jn_deep_clone(jn_ctx *C, jv *v)
{
	return deep_clone(C, v, 0);
}

/* ---------------- the evaluator ---------------- */

static jv  *eval(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env);

/* A tuple binding @ to focus. */
static jv  *
tuple_new(jn_ctx *C, jv *focus)
{
	jv		   *t = jv_obj(&C->arena);

	if (t == NULL || !jv_set(&C->arena, t, "@", 1, focus))
		return jn_oom(C);
	return t;
}

/* A copy of tuple src (a new object with its bindings). */
static jv  *
tuple_copy(jn_ctx *C, jv *src)
{
	jv		   *t = jv_obj(&C->arena);

	if (t == NULL)
		return jn_oom(C);
	if (src == NULL || src->t != JV_OBJ)
		return t;
	for (size_t i = 0; i < JV_O(src)->len; i++)
		if (!jv_set(&C->arena, t, JV_O(src)->keys[i], JV_O(src)->klen[i], JV_O(src)->vals[i]))
			return jn_oom(C);
	return t;
}

/*
 * Applies a predicate to each item of input: a number selects by index
 * (negative from the end), anything else keeps the items it is truthy for.
 */
static jv  *
eval_filter(jn_ctx *C, const jn_node *pred, jv *input, jn_frame *env)
{
	jv		   *results = TRY(jn_seq(C));
	bool		tuples = input && is_arr(input) && (input->flags & JA_TUPLES);

	if (tuples)
		results->flags |= JA_TUPLES;
	if (!is_arr(input))
	{
		jv		   *s = TRY(jn_seq(C));

		PUSH(s, input);
		input = s;
	}
	ITEMS(input);
	if (pred->type == N_NUMBER)
	{
		double		idx = floor(pred->lit->u.n);
		jv		   *item;

		if (idx < 0)
			idx += (double) JV_A(input).len;
		if (idx >= 0 && idx < (double) JV_A(input).len)
		{
			item = JV_A(input).v[(size_t) idx];
			if (item)
			{
				if (is_arr(item))
					return item;
				PUSH(results, item);
			}
		}
		return results;
	}
	for (size_t index = 0; index < JV_A(input).len; index++)
	{
		jv		   *item = JV_A(input).v[index];
		jv		   *context = item;
		jn_frame   *e = env;
		jv		   *res;

		if (tuples)
		{
			context = jv_get(item, "@", 1);
			e = frame_from_tuple(C, env, item);
			if (e == NULL)
				return jn_oom(C);
		}
		res = TRY(eval(C, pred, context, e));
		if (res && res->t == JV_NUM)
		{
			if (!is_numeric(C, res) && C->failed)
				return NULL;
		}
		if (res && res->t == JV_NUM && !isnan(res->u.n))
		{
			double		ii = floor(res->u.n);

			if (ii < 0)
				ii += (double) JV_A(input).len;
			if (ii == (double) index)
				PUSH(results, item);
		}
		else if (jn_is_array_of(res, JV_NUM))
		{
			ITEMS(res);
			for (size_t k = 0; k < JV_A(res).len; k++)
			{
				double		ii = floor(JV_A(res).v[k]->u.n);

				if (ii < 0)
					ii += (double) JV_A(input).len;
				if (ii == (double) index)
					PUSH(results, item);
			}
		}
		else if (boolize(res))
			PUSH(results, item);
	}
	return results;
}

static jv  *eval_sort(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env);
static jv  *eval_group(jn_ctx *C, const jn_group *g, jv *input, jn_frame *env);
static jv  *jn_transform_apply(jn_ctx *C, jn_func *f, jv *obj);

/* Runs a step's stages over its result: filters, and # index bindings. */
static jv  *
eval_stages(jn_ctx *C, const jn_list *stages, jv *input, jn_frame *env)
{
	jv		   *result = input;

	for (int s = 0; s < stages->n; s++)
	{
		const jn_node *stage = stages->v[s];

		if (stage->type == N_FILTER)
			result = TRY(eval_filter(C, stage->expr, result, env));
		else if (is_arr(result))
		{
			for (size_t i = 0; i < JV_A(result).len; i++)
			{
				jv		   *num = NEW(jv_num(&C->arena, (double) i));

				if (!jv_set(&C->arena, JV_A(result).v[i], stage->value, strlen(stage->value), num))
					return jn_oom(C);
			}
		}
	}
	return result;
}

/*
 * Evaluates one step of a path over each item of input, flattening the
 * results (the last step keeps arrays it produced whole).
 */
static jv  *
eval_step(jn_ctx *C, const jn_node *step, jv *input, jn_frame *env, bool last)
{
	jv		   *result,
			   *out;

	if (step->type == N_SORT)
	{
		result = TRY(eval_sort(C, step, input, env));
		if (step->stages.n)
			result = TRY(eval_stages(C, &step->stages, result, env));
		return result;
	}
	result = TRY(jn_seq(C));
	ITEMS(input);
	for (size_t i = 0; i < JV_A(input).len; i++)
	{
		jv		   *res = TRY(eval(C, step, JV_A(input).v[i], env));

		for (int s = 0; s < step->stages.n; s++)
			res = TRY(eval_filter(C, step->stages.v[s]->expr, res, env));
		if (res)
			PUSH(result, res);
	}
	if (last && JV_A(result).len == 1 && is_arr(JV_A(result).v[0]) && !(JV_A(result).v[0]->flags & JA_SEQ))
		return JV_A(result).v[0];
	out = TRY(jn_seq(C));
	for (size_t i = 0; i < JV_A(result).len; i++)
	{
		jv		   *res = JV_A(result).v[i];

		if (!is_arr(res) || (res->flags & JA_CONS))
			PUSH(out, res);
		else
		{
			ITEMS(res);
			for (size_t k = 0; k < JV_A(res).len; k++)
				PUSH(out, JV_A(res).v[k]);
		}
	}
	return out;
}

/*
 * eval_step over a tuple stream (paths with @ focus, # index or % parent
 * bindings): each tuple's bindings carry on to the next step.
 */
static jv  *
eval_tuple_step(jn_ctx *C, const jn_node *step, jv *input, jv *tuples, jn_frame *env)
{
	jv		   *result;

	if (step->type == N_SORT)
	{
		if (tuples)
			result = TRY(eval_sort(C, step, tuples, env));
		else
		{
			jv		   *sorted = TRY(eval_sort(C, step, input, env));

			result = TRY(jn_seq(C));
			result->flags |= JA_TUPLES;
			if (is_arr(sorted))
			{
				ITEMS(sorted);
				for (size_t i = 0; i < JV_A(sorted).len; i++)
				{
					jv		   *t = TRY(tuple_new(C, JV_A(sorted).v[i]));

					if (step->index)
					{
						jv		   *num = NEW(jv_num(&C->arena, (double) i));

						if (!jv_set(&C->arena, t, step->index, strlen(step->index), num))
							return jn_oom(C);
					}
					PUSH(result, t);
				}
			}
		}
		if (step->stages.n)
			result = TRY(eval_stages(C, &step->stages, result, env));
		return result;
	}
	result = TRY(jn_seq(C));
	result->flags |= JA_TUPLES;
	if (tuples == NULL)
	{
		tuples = TRY(jn_seq(C));
		ITEMS(input);
		for (size_t i = 0; i < JV_A(input).len; i++)
			PUSH(tuples, TRY(tuple_new(C, JV_A(input).v[i])));
	}
	for (size_t ee = 0; ee < JV_A(tuples).len; ee++)
	{
		jv		   *tb = JV_A(tuples).v[ee];
		jn_frame   *step_env = frame_from_tuple(C, env, tb);
		jv		   *focus = jv_get(tb, "@", 1);
		jv		   *res;

		if (step_env == NULL)
			return jn_oom(C);
		res = TRY(eval(C, step, focus, step_env));
		if (res == NULL)
			continue;
		if (!is_arr(res))
		{
			jv		   *w = NEW(jv_arr(&C->arena, 0));

			PUSH(w, res);
			res = w;
		}
		ITEMS(res);
		for (size_t bb = 0; bb < JV_A(res).len; bb++)
		{
			jv		   *t = TRY(tuple_copy(C, tb));

			if (res->flags & JA_TUPLES)
			{
				jv		   *rt = JV_A(res).v[bb];

				for (size_t k = 0; k < JV_O(rt)->len; k++)
					if (!jv_set(&C->arena, t, JV_O(rt)->keys[k], JV_O(rt)->klen[k], JV_O(rt)->vals[k]))
						return jn_oom(C);
			}
			else
			{
				if (step->focus)
				{
					if (!jv_set(&C->arena, t, step->focus, strlen(step->focus), JV_A(res).v[bb]) ||
						!jv_set(&C->arena, t, "@", 1, focus))
						return jn_oom(C);
				}
				else if (!jv_set(&C->arena, t, "@", 1, JV_A(res).v[bb]))
					return jn_oom(C);
				if (step->index)
				{
					jv		   *num = NEW(jv_num(&C->arena, (double) bb));

					if (!jv_set(&C->arena, t, step->index, strlen(step->index), num))
						return jn_oom(C);
				}
				if (step->ancestor &&
					!jv_set(&C->arena, t, step->ancestor->label, strlen(step->ancestor->label), focus))
					return jn_oom(C);
			}
			PUSH(result, t);
		}
	}
	if (step->stages.n)
		result = TRY(eval_stages(C, &step->stages, result, env));
	return result;
}

/*
 * Evaluates a path: its steps in turn, as a plain sequence or as a tuple
 * stream, then its group-by and keep-array flags.
 */
static jv  *
eval_path(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	jv		   *inseq,
			   *result = NULL,
			   *tuples = NULL;
	bool		tuple_stream = false;

	if (is_arr(input) && n->items.v[0]->type != N_VARIABLE)
		inseq = input;
	else
	{
		inseq = TRY(jn_seq(C));
		PUSH(inseq, input);
	}
	for (int i = 0; i < n->items.n; i++)
	{
		const jn_node *step = n->items.v[i];

		if (step->tuple)
			tuple_stream = true;
		if (i == 0 && step->consarray)
			result = TRY(eval(C, step, inseq, env));
		else if (tuple_stream)
			tuples = TRY(eval_tuple_step(C, step, inseq, tuples, env));
		else
			result = TRY(eval_step(C, step, inseq, env, i == n->items.n - 1));
		if (!tuple_stream && (result == NULL || (is_arr(result) && JV_A(result).len == 0)))
			break;
		if (step->focus == NULL)
		{
			inseq = result;
			if (inseq && !is_arr(inseq))
			{
				jv		   *s = TRY(jn_seq(C));

				PUSH(s, inseq);
				inseq = s;
			}
			if (inseq == NULL)
				inseq = TRY(jn_seq(C));
		}
	}
	if (tuple_stream)
	{
		if (n->tuple)
			result = tuples;
		else
		{
			result = TRY(jn_seq(C));
			if (tuples)
				for (size_t i = 0; i < JV_A(tuples).len; i++)
					PUSH(result, jv_get(JV_A(tuples).v[i], "@", 1));
		}
	}
	if (n->keep_singleton && result)
	{
		if (is_arr(result) && (result->flags & JA_CONS) && !(result->flags & JA_SEQ))
		{
			jv		   *s = TRY(jn_seq(C));

			PUSH(s, result);
			result = s;
		}

		/*
		 * only a sequence reads it (the end of eval); any other array may be
		 * the input's own, which evaluations share (jn_evaluate_values)
		 */
		if (is_arr(result) && (result->flags & JA_SEQ))
			result->flags |= JA_KEEP;
	}
	if (n->group)
		result = TRY(eval_group(C, n->group, tuple_stream ? tuples : result, env));
	return result;
}

static jv  *
lookup(jn_ctx *C, jv *input, const char *key, size_t klen, int depth)
{
	if (input == NULL)
		return NULL;
	if (is_arr(input))
	{
		jv		   *result = TRY(jn_seq(C));

		ITEMS(input);
		for (size_t i = 0; i < JV_A(input).len; i++)
		{
			jv		   *res;

			if (depth >= JN_MAX_NESTING)
				return jn_too_deep(C);
			res = TRY(lookup(C, JV_A(input).v[i], key, klen, depth + 1));

			if (res == NULL)
				continue;
			if (is_arr(res))
			{
				ITEMS(res);
				for (size_t k = 0; k < JV_A(res).len; k++)
					PUSH(result, JV_A(res).v[k]);
			}
			else
				PUSH(result, res);
		}
		return result;
	}
	if (input->t == JV_OBJ)
		return jv_get(input, key, klen);
	return NULL;
}

jv		   *
jn_lookup(jn_ctx *C, jv *input, const char *key, size_t klen)
{
	return lookup(C, input, key, klen, 0);
}

/* Pushes v onto out, the items of arrays (nested ones too) one by one. */
static bool
flatten_into(jn_ctx *C, jv *v, jv *out, int depth)
{
	if (is_arr(v))
	{
		if (depth >= JN_MAX_NESTING)
		{
			jn_too_deep(C);
			return false;
		}
		if ((v->flags & JA_RANGE) && !jv_materialise(&C->arena, v))
			return false;
		for (size_t i = 0; i < JV_A(v).len; i++)
			if (!flatten_into(C, JV_A(v).v[i], out, depth + 1))
				return false;
		return true;
	}
	return jv_push(&C->arena, out, v);
}

/* The * step: the values of input's members, arrays flattened. */
static jv  *
eval_wildcard(jn_ctx *C, jv *input)
{
	jv		   *results = TRY(jn_seq(C));

	if (is_arr(input) && (input->flags & JA_OUTER) && JV_A(input).len > 0)
		input = JV_A(input).v[0];
	if (input == NULL)
		return results;
	if (input->t == JV_OBJ)
	{
		for (size_t i = 0; i < JV_O(input)->len; i++)
		{
			jv		   *value = JV_O(input)->vals[i];

			if (is_arr(value))
			{
				if (!flatten_into(C, value, results, 0))
					return jn_oom(C);
			}
			else
				PUSH(results, value);
		}
	}
	else if (is_arr(input))
	{
		ITEMS(input);
		for (size_t i = 0; i < JV_A(input).len; i++)
		{
			jv		   *value = JV_A(input).v[i];

			if (is_arr(value))
			{
				if (!flatten_into(C, value, results, 0))
					return jn_oom(C);
			}
			else
				PUSH(results, value);
		}
	}
	return results;
}

/* Pushes input and all its descendants onto results (the ** step). */
static bool
recurse_descendants(jn_ctx *C, jv *input, jv *results, int depth)
{
	if (depth >= JN_MAX_NESTING)
	{
		jn_too_deep(C);
		return false;
	}
	if (is_arr(input))
	{
		if ((input->flags & JA_RANGE) && !jv_materialise(&C->arena, input))
			return false;
		for (size_t i = 0; i < JV_A(input).len; i++)
			if (!recurse_descendants(C, JV_A(input).v[i], results, depth + 1))
				return false;
		return true;
	}
	if (!jv_push(&C->arena, results, input))
		return false;
	if (input && input->t == JV_OBJ)
		for (size_t i = 0; i < JV_O(input)->len; i++)
			if (!recurse_descendants(C, JV_O(input)->vals[i], results, depth + 1))
				return false;
	return true;
}

/* The ** step: input and every value nested in it. */
static jv  *
eval_descendants(jn_ctx *C, jv *input)
{
	jv		   *results;

	if (input == NULL)
		return NULL;
	results = TRY(jn_seq(C));
	if (!recurse_descendants(C, input, results, 0))
		return jn_oom(C);
	if (JV_A(results).len == 1)
		return JV_A(results).v[0];
	return results;
}

/* ---------------- operators ---------------- */

/* + - * / %: both sides numbers (undefined when one is), a finite result. */
static jv  *
numeric_op(jn_ctx *C, const char *op, jv *lhs, jv *rhs)
{
	double		l,
				r,
				res;

	if (lhs && !is_numeric(C, lhs))
	{
		if (C->failed)
			return NULL;
		return jn_fail(C, "T2001", -1, "The left side of the \"{{token}}\" operator must evaluate to a number");
	}
	if (rhs && !is_numeric(C, rhs))
	{
		if (C->failed)
			return NULL;
		return jn_fail(C, "T2002", -1, "The right side of the \"{{token}}\" operator must evaluate to a number");
	}
	if (lhs == NULL || rhs == NULL)
		return NULL;
	l = lhs->u.n;
	r = rhs->u.n;
	switch (op[0])
	{
		case '+':
			res = l + r;
			break;
		case '-':
			res = l - r;
			break;
		case '*':
			res = l * r;
			break;
		case '/':
			res = l / r;
			break;
		default:
			res = fmod(l, r);
			break;
	}
	return NEW(jv_num(&C->arena, res));
}

/* JavaScript's ===: scalars by value, arrays, objects and functions by identity */
static bool
js_strict_equal(const jv *a, const jv *b)
{
	if (a == b)
		return true;
	if (a == NULL || b == NULL || a->t == JV_ARR || a->t == JV_OBJ || a->t == JV_FUNC)
		return false;
	return jv_deep_equal(a, b);
}

/* Byte-wise order of two strings. */
static int
str_cmp(const jv *a, const jv *b)
{
	size_t		n = a->u.s.len < b->u.s.len ? a->u.s.len : b->u.s.len;
	int			c = memcmp(a->u.s.p, b->u.s.p, n);

	if (c)
		return c;
	return a->u.s.len < b->u.s.len ? -1 : a->u.s.len > b->u.s.len ? 1 : 0;
}

/*
 * < <= > >=: two numbers or two strings, else T2009/T2010; undefined when a
 * side is.
 */
static jv  *
comparison_op(jn_ctx *C, const char *op, jv *lhs, jv *rhs)
{
	bool		lc = lhs == NULL || lhs->t == JV_STR || lhs->t == JV_NUM;
	bool		rc = rhs == NULL || rhs->t == JV_STR || rhs->t == JV_NUM;
	int			cmp;
	bool		res;

	if (!lc || !rc)
		return jn_fail(C, "T2010", -1, "The expressions either side of operator \"{{token}}\" must evaluate to numeric or string values");
	if (lhs == NULL || rhs == NULL)
		return NULL;
	if (lhs->t != rhs->t)
	{
		char		lt[120],
					rt[120];

		return jn_fail(C, "T2009", -1, "The values %s and %s either side of operator \"{{token}}\" must be of the same data type",
					   jv_message_text(lhs, lt, sizeof lt), jv_message_text(rhs, rt, sizeof rt));
	}
	if (lhs->t == JV_NUM)
	{
		double		l = lhs->u.n,
					r = rhs->u.n;

		if (strcmp(op, "<") == 0)
			res = l < r;
		else if (strcmp(op, "<=") == 0)
			res = l <= r;
		else if (strcmp(op, ">") == 0)
			res = l > r;
		else
			res = l >= r;
		return NEW(jv_bool(&C->arena, res));
	}
	cmp = str_cmp(lhs, rhs);
	if (strcmp(op, "<") == 0)
		res = cmp < 0;
	else if (strcmp(op, "<=") == 0)
		res = cmp <= 0;
	else if (strcmp(op, ">") == 0)
		res = cmp > 0;
	else
		res = cmp >= 0;
	return NEW(jv_bool(&C->arena, res));
}

/*
 * The .. operator: the integers from lhs to rhs as a lazy range array, at
 * most 1e7 of them.
 */
static jv  *
range_op(jn_ctx *C, jv *lhs, jv *rhs)
{
	double		size;

	if (lhs && !jv_is_integer(lhs))
		return jn_fail(C, "T2003", -1, "The left side of the range operator (..) must evaluate to an integer");
	if (rhs && !jv_is_integer(rhs))
		return jn_fail(C, "T2004", -1, "The right side of the range operator (..) must evaluate to an integer");
	if (lhs == NULL || rhs == NULL)
		return NULL;
	if (lhs->u.n > rhs->u.n)
		return NULL;
	size = rhs->u.n - lhs->u.n + 1;
	if (size > 1e7)
		return jn_fail(C, "D2014", -1, "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate %.0f.", size);
	return NEW(jv_range(&C->arena, lhs->u.n, (size_t) size));
}

/*
 * Evaluates a binary operator: arithmetic, comparison, equality, and/or
 * (short-circuit), &, .., in.
 */
static jv  *
eval_binary(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	const char *op = n->value;
	jv		   *lhs = TRY(eval(C, n->lhs, input, env));
	jv		   *rhs,
			   *res = NULL;

	if (strcmp(op, "and") == 0 || strcmp(op, "or") == 0)
	{
		bool		l = boolize(lhs);

		if (op[0] == 'a' && !l)
			return NEW(jv_bool(&C->arena, false));
		if (op[0] == 'o' && l)
			return NEW(jv_bool(&C->arena, true));
		rhs = eval(C, n->rhs, input, env);
		if (C->failed)
		{
			/* JSONata reports any error of the right side at the operator */
			C->err->position = n->pos;
			snprintf(C->err->token, sizeof C->err->token, "%s", op);
			return NULL;
		}
		return NEW(jv_bool(&C->arena, boolize(rhs)));
	}
	rhs = TRY(eval(C, n->rhs, input, env));
	switch (op[0])
	{
		case '+':
		case '-':
		case '*':
		case '/':
		case '%':
			res = numeric_op(C, op, lhs, rhs);
			break;
		case '=':
		case '!':
			{
				jv_walk		w = jn_walk(C);
				int			eq = lhs && rhs ? jv_deep_equal_walk(lhs, rhs, &w) : 0;

				if (eq < 0)
					return jn_walk_failed(C, &w);
				res = NEW(jv_bool(&C->arena, lhs && rhs && (op[0] == '=' ? eq == 1 : eq == 0)));
				break;
			}
		case '<':
		case '>':
			res = comparison_op(C, op, lhs, rhs);
			break;
		case '&':
			{
				jv		   *ls = lhs ? TRY(jn_string_of(C, lhs, false)) : NULL;
				jv		   *rs = rhs ? TRY(jn_string_of(C, rhs, false)) : NULL;
				size_t		ll = ls ? ls->u.s.len : 0,
							rl = rs ? rs->u.s.len : 0;
				char	   *buf = jn_alloc(&C->arena, ll + rl + 1);

				if (buf == NULL)
					return jn_oom(C);
				if (ll)
					memcpy(buf, ls->u.s.p, ll);
				if (rl)
					memcpy(buf + ll, rs->u.s.p, rl);
				res = NEW(jv_str_ref(&C->arena, buf, ll + rl));
				break;
			}
		case '.':
			res = range_op(C, lhs, rhs);
			break;
		case 'i':
			{
				bool		found = false;

				if (lhs && rhs)
				{
					if (is_arr(rhs))
					{
						ITEMS(rhs);
						for (size_t i = 0; i < JV_A(rhs).len && !found; i++)
							found = js_strict_equal(JV_A(rhs).v[i], lhs);
					}
					else
						found = js_strict_equal(rhs, lhs);
				}
				res = NEW(jv_bool(&C->arena, found));
				break;
			}
	}
	set_pos(C, n->pos, op, strlen(op));
	return C->failed ? NULL : res;
}

/* Unary minus, and the array and object constructors. */
static jv  *
eval_unary(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	if (n->value[0] == '-')
	{
		jv		   *v = TRY(eval(C, n->expr, input, env));

		if (v == NULL)
			return NULL;
		if (is_numeric(C, v))
			return NEW(jv_num(&C->arena, -v->u.n));
		if (!C->failed)
		{
			char		vt[120];

			jn_fail(C, "D1002", n->pos, "Cannot negate a non-numeric value: %s", jv_message_text(v, vt, sizeof vt));
		}
		set_pos(C, n->pos, "-", 1);
		return NULL;
	}
	if (n->value[0] == '[')
	{
		jv		   *result = NEW(jv_arr(&C->arena, 0));

		for (int i = 0; i < n->items.n; i++)
		{
			const jn_node *item = n->items.v[i];
			jv		   *value = TRY(eval(C, item, input, env));

			if (value == NULL)
				continue;
			if (item->type == N_UNARY && item->value[0] == '[')
				PUSH(result, value);
			else if (is_arr(value))
			{
				if ((value->flags & JA_RANGE) && JV_A(result).len == 0 && n->items.n == 1)
				{
					result = NEW(jv_range(&C->arena, JV_A(value).start, JV_A(value).len));
					continue;
				}
				ITEMS(value);
				for (size_t k = 0; k < JV_A(value).len; k++)
					PUSH(result, JV_A(value).v[k]);
			}
			else
				PUSH(result, value);
		}
		if (n->consarray)
			result->flags |= JA_CONS;
		return result;
	}
	/* object constructor */
	{
		jn_group	g;

		g.keys = n->keys;
		g.vals = n->vals;
		g.pos = n->pos;
		return eval_group(C, &g, input, env);
	}
}

/*
 * An object constructor {key: value, …} over input: groups the items by
 * key, then evaluates each value over its group.
 */
static jv  *
eval_group(jn_ctx *C, const jn_group *g, jv *input, jn_frame *env)
{
	jv		   *result = NEW(jv_obj(&C->arena));
	jv		   *groups = NEW(jv_obj(&C->arena));	/* key -> index into
													 * data/expr arrays */
	jv		  **gdata;
	int		   *gexpr;
	size_t		ng = 0,
				capg;
	bool		reduce = is_arr(input) && (input->flags & JA_TUPLES);

	if (!is_arr(input))
	{
		jv		   *s = TRY(jn_seq(C));

		if (input)
			PUSH(s, input);
		input = s;
	}
	ITEMS(input);
	capg = (JV_A(input).len ? JV_A(input).len : 1) * (size_t) g->keys.n + 1;
	gdata = jn_alloc(&C->arena, capg * sizeof(jv *));
	gexpr = jn_alloc(&C->arena, capg * sizeof(int));
	if (gdata == NULL || gexpr == NULL)
		return jn_oom(C);
	for (size_t ii = 0; ii < (JV_A(input).len ? JV_A(input).len : 1); ii++)
	{
		jv		   *item = JV_A(input).len ? JV_A(input).v[ii] : NULL;
		jn_frame   *e = env;

		if (reduce)
		{
			e = frame_from_tuple(C, env, item);
			if (e == NULL)
				return jn_oom(C);
		}
		for (int pi = 0; pi < g->keys.n; pi++)
		{
			jv		   *key = TRY(eval(C, g->keys.v[pi], reduce ? jv_get(item, "@", 1) : item, e));
			jv		   *slot;

			if (key && key->t != JV_STR)
			{
				char		kt[120];

				return jn_fail(C, "T1003", g->pos, "Key in object structure must evaluate to a string; got: %s", jv_message_text(key, kt, sizeof kt));
			}
			if (key == NULL)
				continue;
			slot = jv_get(groups, key->u.s.p, key->u.s.len);
			if (slot)
			{
				size_t		gi = (size_t) slot->u.n;

				if (gexpr[gi] != pi)
				{
					char		kt[120];

					return jn_fail(C, "D1009", g->pos, "Multiple key definitions evaluate to same key: %s", jv_message_text(key, kt, sizeof kt));
				}
				gdata[gi] = TRY(jn_append(C, gdata[gi], item));
			}
			else
			{
				jv		   *idx = NEW(jv_num(&C->arena, (double) ng));

				if (!jv_set(&C->arena, groups, key->u.s.p, key->u.s.len, idx))
					return jn_oom(C);
				gdata[ng] = item;
				gexpr[ng] = pi;
				ng++;
			}
		}
	}
	for (size_t gi = 0; gi < ng; gi++)
	{
		jv		   *context = gdata[gi];
		jn_frame   *e = env;
		jv		   *value;

		if (reduce)
		{
			jv		   *tuple;

			if (is_arr(context))
			{
				jv		   *first = JV_A(context).v[0];

				tuple = TRY(tuple_copy(C, first));
				for (size_t k = 1; k < JV_A(context).len; k++)
				{
					jv		   *t = JV_A(context).v[k];

					for (size_t p = 0; p < JV_O(t)->len; p++)
					{
						jv		   *merged = TRY(jn_append(C, jv_get(tuple, JV_O(t)->keys[p], JV_O(t)->klen[p]), JV_O(t)->vals[p]));

						if (!jv_set(&C->arena, tuple, JV_O(t)->keys[p], JV_O(t)->klen[p], merged))
							return jn_oom(C);
					}
				}
			}
			else
				tuple = TRY(tuple_copy(C, context));
			context = jv_get(tuple, "@", 1);
			jv_del(tuple, "@", 1);
			e = frame_from_tuple(C, env, tuple);
			if (e == NULL)
				return jn_oom(C);
		}
		value = TRY(eval(C, g->vals.v[gexpr[gi]], context, e));
		if (value && !jv_set(&C->arena, result, JV_O(groups)->keys[gi], JV_O(groups)->klen[gi], value))
			return jn_oom(C);
	}
	return result;
}

/* ---------------- sorting ---------------- */

typedef struct sort_item
{
	jv		   *item;
	jv		  **keys;
} sort_item;

typedef struct sort_ctx
{
	jn_ctx	   *C;
	const jn_node *n;
	int			nterms;
} sort_ctx;

/* >0 when a must come after b; sets C->failed on a type error */
static int
sort_compare(sort_ctx *S, const sort_item *a, const sort_item *b)
{
	jn_ctx	   *C = S->C;

	for (int t = 0; t < S->nterms; t++)
	{
		jv		   *aa = a->keys[t],
				   *bb = b->keys[t];
		int			comp;

		if (aa == NULL)
		{
			if (bb == NULL)
				continue;
			return 1;
		}
		if (bb == NULL)
			return -1;
		if ((aa->t != JV_STR && aa->t != JV_NUM) || (bb->t != JV_STR && bb->t != JV_NUM))
		{
			jn_fail(C, "T2008", S->n->pos, "The expressions within an order-by clause must evaluate to numeric or string values");
			return 0;
		}
		if (aa->t != bb->t)
		{
			char		at[120],
						bt[120];

			jn_fail(C, "T2007", S->n->pos, "Type mismatch when comparing values %s and %s in order-by clause",
					jv_message_text(aa, at, sizeof at), jv_message_text(bb, bt, sizeof bt));
			return 0;
		}
		if (aa->t == JV_NUM)
			comp = aa->u.n == bb->u.n ? 0 : aa->u.n < bb->u.n ? -1 : 1;
		else
			comp = str_cmp(aa, bb);
		if (comp == 0)
			continue;
		if (S->n->items.v[t]->descending)
			comp = -comp;
		return comp;
	}
	return 0;
}

/* The merge sort's test: whether a sorts after b. */
static bool
sort_after(void *ctx, const void *a, const void *b)
{
	return sort_compare(ctx, a, b) > 0;
}

/* The ^(…) order-by step: a stable sort of input by its sort terms. */
static jv  *
eval_sort(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	bool		tuples = is_arr(input) && (input->flags & JA_TUPLES);
	sort_item  *items,
			   *tmp;
	size_t		len;
	sort_ctx	S = {C, n, n->items.n};
	jv		   *result;

	if (!is_arr(input))
		return input;
	ITEMS(input);
	len = JV_A(input).len;
	if (len <= 1)
		return input;
	items = jn_alloc(&C->arena, len * sizeof(sort_item));
	tmp = jn_alloc(&C->arena, len * sizeof(sort_item));
	if (items == NULL || tmp == NULL)
		return jn_oom(C);
	for (size_t i = 0; i < len; i++)
	{
		jv		   *item = JV_A(input).v[i];
		jv		   *context = item;
		jn_frame   *e = env;

		items[i].item = item;
		items[i].keys = jn_alloc(&C->arena, (size_t) n->items.n * sizeof(jv *));
		if (items[i].keys == NULL)
			return jn_oom(C);
		if (tuples)
		{
			context = jv_get(item, "@", 1);
			e = frame_from_tuple(C, env, item);
			if (e == NULL)
				return jn_oom(C);
		}
		for (int t = 0; t < n->items.n; t++)
			items[i].keys[t] = TRY(eval(C, n->items.v[t]->expr, context, e));
	}
	jn_stable_sort(items, len, sizeof(sort_item), tmp, sort_after, &S);
	if (C->failed)
		return NULL;
	result = TRY(jn_seq(C));
	result->flags |= input->flags & JA_TUPLES;
	for (size_t i = 0; i < len; i++)
		PUSH(result, items[i].item);
	return result;
}

/* ---------------- functions ---------------- */

/* A function value closing over input and env. */
static jv  *
eval_lambda(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	jv		   *f = NEW(jv_new_func(C, F_LAMBDA));

	f->u.f->node = n;
	f->u.f->input = input;
	f->u.f->env = env;
	f->u.f->params = n->items;
	f->u.f->sig = n->sig;
	f->u.f->thunk = n->thunk;
	f->u.f->arity = n->items.n;
	return f;
}

int
jn_func_arity(const jv *f)
{
	if (f == NULL || f->t != JV_FUNC)
		return 0;
	return f->u.f->arity;
}

static jv  *apply_inner(jn_ctx *C, jv *proc, jv **args, int nargs, jv *input);

/*
 * Records that proc is being called at pos (a node's start), named tok.
 * JSONata keeps both on the function object itself, so a later call that
 * does not set them (a higher-order function's callback) still sees them.
 * Regular expressions are plain JavaScript functions there: nothing kept.
 */
static void
note_call(jv *proc, bool has_pos, int pos, const char *tok, size_t toklen, bool set_tok)
{
	jn_func    *f;

	if (proc == NULL || proc->t != JV_FUNC || proc->u.f->kind == F_REGEX)
		return;
	f = proc->u.f;
	f->called = has_pos;
	f->callpos = pos;
	if (set_tok)
	{
		f->calltok = tok;
		f->calltoklen = toklen;
	}
}

/*
 * Calls a lambda: binds its parameters in a new scope under its closure and
 * evaluates its body.
 */
static jv  *
apply_lambda(jn_ctx *C, jn_func *f, jv **args, int nargs)
{
	jn_frame   *env = frame_new(C, f->env);

	if (env == NULL)
		return jn_oom(C);
	for (int i = 0; i < f->params.n; i++)
	{
		const jn_node *p = f->params.v[i];

		if (!frame_bind(C, env, p->value, p->vlen, i < nargs ? args[i] : NULL))
			return jn_oom(C);
	}
	return eval(C, f->node->body, f->input, env);
}

/*
 * Calls a partially applied builtin: the bound arguments with args filling
 * the holes, validated against its signature.
 */
static jv  *
apply_partial_builtin(jn_ctx *C, jn_func *f, jv **args, int nargs, jv *input)
{
	jv		  **full = jn_alloc(&C->arena, (size_t) (f->nbound + 1) * sizeof(jv *));
	int			k = 0;
	jv		  **validated;
	int			nv;

	if (full == NULL)
		return jn_oom(C);
	for (int i = 0; i < f->nbound; i++)
		full[i] = f->hole[i] ? (k < nargs ? args[k++] : NULL) : f->bound[i];
	validated = jn_sig_validate(C, &f->builtin->sig, full, f->nbound, input, &nv);
	if (validated == NULL)
		return NULL;
	return f->builtin->fn(C, validated, nv, input);
}

/*
 * Calls proc with args: a builtin (validated against its signature), a
 * lambda, a partial application, a regex or a transform.
 */
static jv  *
apply_kind(jn_ctx *C, jv *proc, jv **args, int nargs, jv *input)
{
	jn_func    *f;

	if (proc == NULL || proc->t != JV_FUNC)
		return jn_fail(C, "T1006", -1, "Attempted to invoke a non-function");
	f = proc->u.f;
	if (f->sig && f->kind != F_PARTIAL_BUILTIN)
	{
		int			nv;
		jv		  **v = jn_sig_validate(C, f->sig, args, nargs, input, &nv);

		if (v == NULL)
			return NULL;
		args = v;
		nargs = nv;
	}
	switch (f->kind)
	{
		case F_LAMBDA:
			return apply_lambda(C, f, args, nargs);
		case F_BUILTIN:
			return f->builtin->fn(C, args, nargs, input);
		case F_PARTIAL_BUILTIN:
			return apply_partial_builtin(C, f, args, nargs, input);
		case F_REGEX:
			if (nargs < 1 || args[0] == NULL || args[0]->t != JV_STR)
				return NULL;
			return jn_regex_exec(C, proc, args[0]->u.s.p, args[0]->u.s.len);
		case F_CHAIN:
			{
				jv		   *mid = TRY(jn_apply(C, f->f1, args, nargs, NULL));

				return jn_apply(C, f->f2, &mid, 1, NULL);
			}
		case F_TRANSFORM:
			return jn_transform_apply(C, f, nargs ? args[0] : NULL);
	}
	return NULL;
}

/*
 * Applies proc; an error escaping it moves to where proc was last called
 * and takes the name it was called by when it has no token, as JSONata's
 * applyInner does (so an error inside a lambda's body, or inside a
 * callback of $map, is reported at the outermost call's site).
 */
static jv  *
apply_inner(jn_ctx *C, jv *proc, jv **args, int nargs, jv *input)
{
	jv		   *result = apply_kind(C, proc, args, nargs, input);

	if (C->failed && proc && proc->t == JV_FUNC)
	{
		jn_func    *f = proc->u.f;

		if (C->err->token[0] == '\0' && f->calltok && f->calltoklen)
			snprintf(C->err->token, sizeof C->err->token, "%.*s", (int) f->calltoklen, f->calltok);
		if (f->called)
			C->err->position = f->callpos;
	}
	return result;
}

jv		   *
jn_apply(jn_ctx *C, jv *proc, jv **args, int nargs, jv *input)
{
	jv		   *result = TRY(apply_inner(C, proc, args, nargs, input));

	while (result && result->t == JV_FUNC && result->u.f->thunk)
	{
		jn_func    *th = result->u.f;
		const jn_node *call = th->node->body;
		jv		   *next;
		jv		  **eargs;

		C->steps++;
		next = TRY(eval(C, call->proc, th->input, th->env));
		/* a tail call is located at its procedure (a path has no position) */
		note_call(next, call->proc->type != N_PATH, call->proc->pos,
				  call->proc->value, call->proc->vlen, call->proc->type == N_VARIABLE);
		eargs = jn_alloc(&C->arena, (size_t) (call->items.n + 1) * sizeof(jv *));
		if (eargs == NULL)
			return jn_oom(C);
		for (int i = 0; i < call->items.n; i++)
			eargs[i] = TRY(eval(C, call->items.v[i], th->input, th->env));
		result = TRY(apply_inner(C, next, eargs, call->items.n, input));
	}
	return result;
}

jv		   *
jn_apply_hof(jn_ctx *C, jv *f, jv *a1, jv *a2, jv *a3)
{
	jv		   *args[3] = {a1, a2, a3};
	int			arity = jn_func_arity(f);
	int			n = 1;

	if (arity >= 2)
		n = 2;
	if (arity >= 3)
		n = 3;
	return jn_apply(C, f, args, n, NULL);
}

/* The name a function call was written with, for messages. */
static const char *
proc_name(const jn_node *proc, size_t *len)
{
	if (proc->type == N_PATH && proc->items.n > 0)
	{
		*len = proc->items.v[0]->vlen;
		return proc->items.v[0]->value;
	}
	/* JSONata's lambda, block, condition and transform nodes have no value */
	if (proc->type == N_LAMBDA || proc->type == N_BLOCK || proc->type == N_CONDITION ||
		proc->type == N_TRANSFORM || proc->type == N_PARENT)
	{
		*len = 0;
		return NULL;
	}
	*len = proc->vlen;
	return proc->value;
}

/*
 * A function call: evaluates the procedure and the arguments (applyto first
 * for ~>), then applies it, running tail calls in a loop.
 */
static jv  *
eval_function(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env, jv *applyto, bool has_applyto)
{
	jv		   *proc = TRY(eval(C, n->proc, input, env));
	jv		  **args = jn_alloc(&C->arena, (size_t) (n->items.n + 2) * sizeof(jv *));
	int			nargs = 0;
	size_t		nlen;
	const char *name;
	jv		   *result;

	if (args == NULL)
		return jn_oom(C);
	if (proc == NULL && n->proc->type == N_PATH)
	{
		bool		found;

		frame_lookup(C, env, n->proc->items.v[0]->value, n->proc->items.v[0]->vlen, &found);
		if (found)
		{
			jn_fail(C, "T1005", n->pos, "Attempted to invoke a non-function. Did you mean $%s?", n->proc->items.v[0]->value);
			set_pos(C, n->pos, n->proc->items.v[0]->value, n->proc->items.v[0]->vlen);
			return NULL;
		}
	}
	if (has_applyto)
		args[nargs++] = applyto;
	for (int i = 0; i < n->items.n; i++)
		args[nargs++] = TRY(eval(C, n->items.v[i], input, env));
	name = proc_name(n->proc, &nlen);
	note_call(proc, true, n->pos, name, nlen, true);
	result = jn_apply(C, proc, args, nargs, input);
	set_pos(C, n->pos, name, nlen);
	return C->failed ? NULL : result;
}

/*
 * A partial application f(?, x): a function value that fills the ? holes
 * when called.
 */
static jv  *
eval_partial(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	jv		  **args = jn_alloc(&C->arena, (size_t) (n->items.n + 1) * sizeof(jv *));
	bool	   *hole = jn_alloc(&C->arena, (size_t) (n->items.n + 1) * sizeof(bool));
	jv		   *proc,
			   *result;

	if (args == NULL || hole == NULL)
		return jn_oom(C);
	for (int i = 0; i < n->items.n; i++)
	{
		const jn_node *a = n->items.v[i];

		if (a->type == N_OPERATOR && a->value[0] == '?')
			hole[i] = true;
		else
			args[i] = TRY(eval(C, a, input, env));
	}
	proc = TRY(eval(C, n->proc, input, env));
	if (proc == NULL && n->proc->type == N_PATH)
	{
		bool		found;

		frame_lookup(C, env, n->proc->items.v[0]->value, n->proc->items.v[0]->vlen, &found);
		if (found)
			return jn_fail(C, "T1007", n->pos, "Attempted to partially apply a non-function. Did you mean $%s?", n->proc->items.v[0]->value);
	}
	if (proc == NULL || proc->t != JV_FUNC)
		return jn_fail(C, "T1008", n->pos, "Attempted to partially apply a non-function");
	if (proc->u.f->kind == F_LAMBDA)
	{
		jn_func    *f = proc->u.f;
		jn_frame   *e = frame_new(C, f->env);
		jv		   *r;

		if (e == NULL)
			return jn_oom(C);
		r = NEW(jv_new_func(C, F_LAMBDA));
		r->u.f->node = f->node;
		r->u.f->input = f->input;
		r->u.f->env = e;
		for (int i = 0; i < f->params.n; i++)
		{
			const jn_node *p = f->params.v[i];

			if (i < n->items.n && hole[i])
			{
				jn_list    *l = &r->u.f->params;

				if (!jn_grow(&C->arena, (void **) &l->v, l->n, &l->cap, sizeof(jn_node *)))
					return jn_oom(C);
				l->v[l->n++] = (jn_node *) p;
			}
			else if (!frame_bind(C, e, p->value, p->vlen, i < n->items.n ? args[i] : NULL))
				return jn_oom(C);
		}
		r->u.f->arity = r->u.f->params.n;
		return r;
	}
	if (proc->u.f->kind == F_BUILTIN || proc->u.f->kind == F_PARTIAL_BUILTIN)
	{
		/*
		 * the parameters: the builtin's own, or the holes of a partial
		 * application
		 */
		jn_func    *pf = proc->u.f;
		int			nparams = pf->kind == F_BUILTIN ? pf->builtin->arity : pf->arity;
		int			nb = pf->kind == F_BUILTIN ? (nparams > n->items.n ? nparams : n->items.n) : pf->nbound;
		int			holes = 0,
					k = 0;

		result = NEW(jv_new_func(C, F_PARTIAL_BUILTIN));
		result->u.f->builtin = pf->builtin;
		result->u.f->bound = jn_alloc(&C->arena, (size_t) (nb + 1) * sizeof(jv *));
		result->u.f->hole = jn_alloc(&C->arena, (size_t) (nb + 1) * sizeof(bool));
		if (result->u.f->bound == NULL || result->u.f->hole == NULL)
			return jn_oom(C);
		for (int i = 0; i < nb; i++)
		{
			/*
			 * index of the parameter this slot fills, or -1 when already
			 * bound
			 */
			int			p = pf->kind == F_BUILTIN ? i : (pf->hole[i] ? k++ : -1);

			if (p < 0)
				result->u.f->bound[i] = pf->bound[i];
			else if (p < n->items.n)
			{
				result->u.f->bound[i] = args[p];
				result->u.f->hole[i] = hole[p];
			}
			holes += result->u.f->hole[i];
		}
		result->u.f->nbound = nb;
		result->u.f->arity = holes;
		return result;
	}
	return jn_fail(C, "T1008", n->pos, "Attempted to partially apply a non-function");
}

/*
 * The ~> operator: lhs as the first argument of the function on the right,
 * or the composition of two functions.
 */
static jv  *
eval_apply(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	jv		   *lhs = TRY(eval(C, n->lhs, input, env));
	jv		   *func;

	if (n->rhs->type == N_FUNCTION)
		return eval_function(C, n->rhs, input, env, lhs, true);
	func = TRY(eval(C, n->rhs, input, env));
	if (func == NULL || func->t != JV_FUNC)
		return jn_fail(C, "T2006", n->pos, "The right side of the function application operator ~> must be a function");
	if (lhs && lhs->t == JV_FUNC)
	{
		jv		   *chain = NEW(jv_new_func(C, F_CHAIN));

		chain->u.f->f1 = lhs;
		chain->u.f->f2 = func;
		chain->u.f->arity = 1;
		return chain;
	}
	return jn_apply(C, func, &lhs, 1, NULL);
}

/* ---------------- transform ---------------- */

/* Applies a transform |pattern|update, delete| to a deep copy of obj. */
static jv  *
jn_transform_apply(jn_ctx *C, jn_func *f, jv *obj)
{
	const jn_node *n = f->node;
	jv		   *result,
			   *matches;

	if (obj == NULL)
		return NULL;
	if (obj->t != JV_OBJ && obj->t != JV_ARR)
		return jn_fail(C, "T0410", n->pos, "Argument 1 of function transform does not match function signature");
	result = TRY(jn_deep_clone(C, obj));
	matches = TRY(eval(C, n->pattern, result, f->env));
	if (matches == NULL)
		return result;
	if (!is_arr(matches))
	{
		jv		   *w = NEW(jv_arr(&C->arena, 0));

		PUSH(w, matches);
		matches = w;
	}
	ITEMS(matches);
	for (size_t i = 0; i < JV_A(matches).len; i++)
	{
		jv		   *match = JV_A(matches).v[i];
		jv		   *update = TRY(eval(C, n->update, match, f->env));

		if (update)
		{
			if (update->t != JV_OBJ)
			{
				char		ut[120];

				return jn_fail(C, "T2011", n->update->pos, "The insert/update clause of the transform expression must evaluate to an object: %s",
							   jv_message_text(update, ut, sizeof ut));
			}
			if (match && match->t == JV_OBJ)
				for (size_t k = 0; k < JV_O(update)->len; k++)
					if (!jv_set(&C->arena, match, JV_O(update)->keys[k], JV_O(update)->klen[k], JV_O(update)->vals[k]))
						return jn_oom(C);
		}
		if (n->del)
		{
			jv		   *dels = TRY(eval(C, n->del, match, f->env));

			if (dels)
			{
				if (!is_arr(dels))
				{
					jv		   *w = NEW(jv_arr(&C->arena, 0));

					PUSH(w, dels);
					dels = w;
				}
				if (!jn_is_array_of(dels, JV_STR))
				{
					char		dt[120];

					return jn_fail(C, "T2012", n->del->pos, "The delete clause of the transform expression must evaluate to a string or array of strings: %s",
								   jv_message_text(JV_A(dels).len == 1 ? JV_A(dels).v[0] : dels, dt, sizeof dt));
				}
				if (match && match->t == JV_OBJ)
					for (size_t k = 0; k < JV_A(dels).len; k++)
						jv_del(match, JV_A(dels).v[k]->u.s.p, JV_A(dels).v[k]->u.s.len);
			}
		}
	}
	return result;
}

/* A transform expression: a function value applied to its one argument. */
static jv  *
eval_transform(jn_ctx *C, const jn_node *n, jn_frame *env)
{
	static jn_sig transform_sig;
	static bool parsed;
	size_t		at;
	jv		   *f = NEW(jv_new_func(C, F_TRANSFORM));

	if (!parsed)
		parsed = jn_sig_parse("<(oa):o>", 8, &transform_sig, &at) == NULL;
	f->u.f->node = n;
	f->u.f->env = env;
	f->u.f->sig = &transform_sig;
	f->u.f->arity = 1;
	return f;
}

/* ---------------- dispatch ---------------- */

/* ( … ; … ): the expressions in a scope of their own, the last one's value. */
static jv  *
eval_block(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	jn_frame   *f = frame_new(C, env);
	jv		   *result = NULL;

	if (f == NULL)
		return jn_oom(C);
	for (int i = 0; i < n->items.n; i++)
		result = TRY(eval(C, n->items.v[i], input, f));
	return result;
}

/*
 * Counts one more evaluation level and step: fails past the depth limit or
 * the step budget, or when the caller cancels (checked every 1024 steps).
 */
bool
jn_poll(jn_ctx *C, int pos)
{
	if (C->failed)
		return false;
	++C->steps;
	if (C->max_steps && C->steps > C->max_steps)
	{
		jn_fail_limit(C, JN_LIMIT_STEPS, pos, "The evaluation exceeded its step budget");
		return false;
	}
	if (C->cancel && C->cancel(C->cancel_arg))
	{
		jn_fail_limit(C, JN_LIMIT_CANCEL, pos, "The evaluation was cancelled");
		return false;
	}
	return true;
}

/* jv_walk's poll for an evaluation: its step budget and cancel */
static bool
walk_poll(void *arg)
{
	return !jn_poll((jn_ctx *) arg, -1);
}

jv_walk
jn_walk(jn_ctx *C)
{
	jv_walk		w = {0};

	w.poll = walk_poll;
	w.arg = C;
	w.budget = C->arena.limit > C->arena.used ? C->arena.limit - C->arena.used : 0;
	return w;
}

jv		   *
jn_walk_failed(jn_ctx *C, const jv_walk *w)
{
	if (w->stopped == JV_STOP_DEPTH)
		return jn_too_deep(C);
	if (w->stopped == JV_STOP_MEMORY)
		return jn_oom(C);
	return NULL;				/* JV_STOP_POLL: jn_poll failed C already */
}

jv		   *
jn_too_deep(jn_ctx *C)
{
	return jn_fail_limit(C, JN_LIMIT_DEPTH, -1, "Stack overflow error: a value nests deeper than 4000 levels");
}

static bool
guard(jn_ctx *C, const jn_node *n)
{
	if (++C->depth > C->max_depth)
	{
		jn_fail_limit(C, JN_LIMIT_DEPTH, n->pos, "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.");
		return false;
	}
	if ((++C->steps & 1023) == 0)
	{
		if (C->max_steps && C->steps > C->max_steps)
		{
			jn_fail_limit(C, JN_LIMIT_STEPS, n->pos, "The evaluation exceeded its step budget");
			return false;
		}
		if (C->cancel && C->cancel(C->cancel_arg))
		{
			jn_fail_limit(C, JN_LIMIT_CANCEL, n->pos, "The evaluation was cancelled");
			return false;
		}
	}
	return true;
}

/*
 * Evaluates node n over input in scope env: the dispatch on the node type,
 * then the node's stages and group-by.
 */
static jv  *
eval(jn_ctx *C, const jn_node *n, jv *input, jn_frame *env)
{
	jv		   *r = NULL;
	bool		found;

	if (C->failed)
		return NULL;

	/*
	 * a lazy input container that could not be converted (jv_force) left the
	 * arena exhausted and the value partial: the evaluation fails here
	 */
	if (C->arena.exhausted)
	{
		jn_oom(C);
		set_pos(C, n->pos, NULL, 0);
		return NULL;
	}
	if (!guard(C, n))
	{
		C->depth--;
		return NULL;
	}
	switch (n->type)
	{
		case N_PATH:
			r = eval_path(C, n, input, env);
			break;
		case N_BINARY:
			r = eval_binary(C, n, input, env);
			break;
		case N_UNARY:
			r = eval_unary(C, n, input, env);
			break;
		case N_NAME:
			r = jn_lookup(C, input, n->value, n->vlen);
			break;
		case N_STRING:
		case N_NUMBER:
		case N_VALUE:
			r = n->lit;
			break;
		case N_WILDCARD:
			r = eval_wildcard(C, input);
			break;
		case N_DESCENDANT:
			r = eval_descendants(C, input);
			break;
		case N_PARENT:
			r = frame_lookup(C, env, n->slot->label, strlen(n->slot->label), &found);
			break;
		case N_CONDITION:
			{
				jv		   *c = eval(C, n->cond, input, env);

				if (C->failed)
					break;
				if (boolize(c))
					r = eval(C, n->then, input, env);
				else if (n->els)
					r = eval(C, n->els, input, env);
				break;
			}
		case N_BLOCK:
			r = eval_block(C, n, input, env);
			break;
		case N_BIND:
			r = eval(C, n->rhs, input, env);
			if (!C->failed && !frame_bind(C, env, n->lhs->value, n->lhs->vlen, r))
				jn_oom(C);
			break;
		case N_REGEX:
			r = jn_regex_func(C, n);
			break;
		case N_FUNCTION:
			r = eval_function(C, n, input, env, NULL, false);
			break;
		case N_VARIABLE:
			if (n->vlen == 0)
				r = (is_arr(input) && (input->flags & JA_OUTER)) ? JV_A(input).v[0] : input;
			else
				r = frame_lookup(C, env, n->value, n->vlen, &found);
			break;
		case N_LAMBDA:
			r = eval_lambda(C, n, input, env);
			break;
		case N_PARTIAL:
			r = eval_partial(C, n, input, env);
			break;
		case N_APPLY:
			r = eval_apply(C, n, input, env);
			break;
		case N_TRANSFORM:
			r = eval_transform(C, n, env);
			break;
		default:
			r = jn_fail(C, "S0206", n->pos, "Unknown expression type");
			break;
	}
	C->depth--;
	if (C->failed)
	{
		/* the innermost expression that knows its place names it */
		set_pos(C, n->pos, NULL, 0);
		return NULL;
	}
	for (int i = 0; i < n->predicate.n; i++)
		r = TRY(eval_filter(C, n->predicate.v[i]->expr, r, env));
	if (n->type != N_PATH && n->group)
		r = TRY(eval_group(C, n->group, r, env));
	if (r && r->t == JV_ARR && (r->flags & JA_SEQ) && !(r->flags & JA_TUPLES))
	{
		if (n->keep_array)
			r->flags |= JA_KEEP;
		if (JV_A(r).len == 0)
			r = NULL;
		else if (JV_A(r).len == 1 && !(r->flags & JA_KEEP) && !(r->flags & JA_RANGE))
			r = JV_A(r).v[0];
	}
	return r;
}

/* ---------------- the public entry points ---------------- */

jn_expr    *
jn_compile(const char *text, size_t len, jn_error *err)
{
	jn_expr    *e = calloc(1, sizeof(jn_expr));

	memset(err, 0, sizeof *err);
	err->position = -1;
	if (e == NULL)
	{
		snprintf(err->code, sizeof err->code, "U1001");
		snprintf(err->message, sizeof err->message, "out of memory");
		return NULL;
	}
	e->arena.limit = 64 * 1024 * 1024;
	e->source = jn_strndup(&e->arena, text, len);
	if (e->source)
		e->root = jn_parse(e, e->source, len, err);
	if (e->root == NULL)
	{
		if (e->source)
			err->position = jn_error_position(e->source, len, err->code, err->position);
		if (err->code[0] == '\0')
		{
			snprintf(err->code, sizeof err->code, "S0201");
			snprintf(err->message, sizeof err->message, "Syntax error");
		}
		jn_expr_free(e);
		return NULL;
	}
	return e;
}

void
jn_expr_free(jn_expr *e)
{
	if (e == NULL)
		return;
	for (int i = 0; i < e->nregex; i++)
		jn_regex_free(e->regexes[i]);
	free(e->regexes);
	jn_arena_free(&e->arena);
	free(e);
}

/* The wall clock in whole milliseconds since the epoch ($now, $millis). */
static double
system_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return floor((double) ts.tv_sec * 1000.0 + (double) ts.tv_nsec / 1e6);
}

double
jn_now(jn_ctx *C)
{
	if (!C->now_read)
	{
		C->now = C->clock ? C->clock(C->clock_arg) : system_clock_ms();
		C->now_read = true;
	}
	return C->now;
}

uint64_t
jn_random_u64(jn_ctx *C)
{
	uint64_t	x;

	/*
	 * seeded once per evaluation from OpenSSL (two evaluations in the same
	 * millisecond, rows of one query, must not repeat each other); the clock
	 * only if OpenSSL fails
	 */
	while (C->rng == 0)
		if (RAND_bytes((unsigned char *) &C->rng, sizeof C->rng) != 1)
			C->rng = (uint64_t) jn_now(C) ^ 0x9E3779B97F4A7C15ull;
	x = C->rng;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	C->rng = x;
	return x * 2685821657736338717ull;
}

/*
 * What an evaluation starts from and where its result goes: json-c documents
 * converted in its arena and a json-c result (jn_evaluate), or the host's own
 * values and a callback that reads the result (jn_evaluate_values).
 */
typedef struct jn_io
{
	json_object *input;
	bool		has_input;
	json_object *bindings;
	json_object **result;
	jv		   *vinput;			/* values: NULL is undefined */
	jv		   *vbindings;		/* values: an object or NULL */
	jn_emit_fn	emit;			/* non-NULL: the values' entry point */
	void	   *emit_arg;
} jn_io;

static int	evaluate(const jn_expr *expr, const jn_io *io, const jn_options *opts,
					 bool *is_undefined, jn_error *err);
static void finish_error(const jn_expr *expr, jn_error *err);

/* Evaluates; an error's position and token then as JSONata reports them. */
static int
run(const jn_expr *expr, const jn_io *io, const jn_options *opts, bool *is_undefined, jn_error *err)
{
	int			rc = evaluate(expr, io, opts, is_undefined, err);

	if (rc != 0)
		finish_error(expr, err);
	return rc;
}

int
jn_evaluate(const jn_expr *expr, json_object *input, bool has_input, json_object *bindings,
			const jn_options *opts, json_object **result, bool *is_undefined, jn_error *err)
{
	jn_io		io = {0};

	io.input = input;
	io.has_input = has_input;
	io.bindings = bindings;
	io.result = result;
	return run(expr, &io, opts, is_undefined, err);
}

int
jn_evaluate_values(const jn_expr *expr, jv *input, jv *bindings, const jn_options *opts,
				   jn_emit_fn emit, void *emit_arg, bool *is_undefined, jn_error *err)
{
	jn_io		io = {0};

	io.vinput = input;
	io.vbindings = bindings;
	io.emit = emit;
	io.emit_arg = emit_arg;
	return run(expr, &io, opts, is_undefined, err);
}

/* An error's position and token as JSONata reports them. */
static void
finish_error(const jn_expr *expr, jn_error *err)
{
	char	   *slot = NULL;

	/* errors are found at a token's start; JSONata reports its end */
	err->position = jn_error_position(expr->source, strlen(expr->source), err->code, err->position);

	/*
	 * The token, known once the call site or operator has named the error,
	 * goes in the template's last slot (values quoted before it may hold the
	 * slot's text): JSON.stringify of it, or undefined when there is none.
	 */
	for (char *p = err->message; (p = strstr(p, "\"{{token}}\"")) != NULL; p++)
		slot = p;
	if (slot)
	{
		char		rest[sizeof err->message];
		char		quoted[2 * sizeof err->token];
		size_t		room = sizeof err->message - (size_t) (slot - err->message),
					o = 0;

		snprintf(rest, sizeof rest, "%s", slot + 11);
		for (const char *t = err->token; *t; t++)
		{
			if (*t == '"' || *t == '\\')
				quoted[o++] = '\\';
			quoted[o++] = *t;
		}
		quoted[o] = '\0';
		if (o)
			snprintf(slot, room, "\"%s\"%s", quoted, rest);
		else
			snprintf(slot, room, "undefined%s", rest);
	}
}

static int
evaluate(const jn_expr *expr, const jn_io *io, const jn_options *opts,
		 bool *is_undefined, jn_error *err)
{
	jn_ctx		C = {0};
	jn_frame   *root;
	jv		   *in = NULL,
			   *r;
	int			rc = -1;

	/* the arena's first chunk: a small evaluation allocates nothing else */
	_Alignas(16) char first_chunk[8192];

	/* no error yet (field by field: the message buffers are large) */
	memset(err->code, 0, sizeof err->code);
	err->token[0] = '\0';
	err->message[0] = '\0';
	err->limit = JN_LIMIT_NONE;
	err->position = -1;
	jn_arena_lend(&C.arena, first_chunk, sizeof first_chunk);
	if (io->result)
		*io->result = NULL;
	*is_undefined = true;
	C.err = err;
	C.expr = expr;
	C.max_depth = opts && opts->max_depth ? opts->max_depth : 2000;
	C.max_steps = opts ? opts->max_steps : 0;
	C.arena.limit = opts && opts->memory_limit ? opts->memory_limit : (size_t) 256 * 1024 * 1024;
	C.cancel = opts ? opts->cancel : NULL;
	C.cancel_arg = opts ? opts->cancel_arg : NULL;
	C.clock = opts ? opts->clock : NULL;
	C.clock_arg = opts ? opts->clock_arg : NULL;
	root = frame_new(&C, NULL);
	if (root == NULL)
		goto oom;
	if (io->emit)
	{
		/* the host's values: shared by its evaluations, never changed here */
		in = io->vinput;
		if (io->vbindings && io->vbindings->t == JV_OBJ)
		{
			const jn_obj *bo = JV_O(io->vbindings);

			for (size_t i = 0; i < bo->len; i++)
				if (!frame_bind(&C, root, bo->keys[i], bo->klen[i], bo->vals[i]))
					goto oom;
		}
	}
	else if (io->has_input)
	{
		in = jv_from_json(&C.arena, io->input);
		if (in == NULL)
			goto oom;
	}
	if (!io->emit && io->bindings && json_object_is_type(io->bindings, json_type_object))
	{
		json_object_object_foreach(io->bindings, key, val)
		{
			jv		   *v = val ? jv_from_json(&C.arena, val) : jv_null(&C.arena);

			if (v == NULL || !frame_bind(&C, root, key, strlen(key), v))
				goto oom;
		}
	}
	if (!frame_bind(&C, root, "$", 1, in))
		goto oom;
	if (in && in->t == JV_ARR && !(in->flags & JA_SEQ))
	{
		jv		   *w = jv_arr(&C.arena, JA_SEQ | JA_OUTER);

		if (w == NULL || !jv_push(&C.arena, w, in))
			goto oom;
		in = w;
	}
	root = frame_new(&C, root);
	if (root == NULL)
		goto oom;
	r = eval(&C, expr->root, in, root);
	if (!C.failed && C.arena.exhausted)
		goto oom;				/* a lazy value's conversion failed (jv_force) */
	if (!C.failed)
	{
		jv_walk		w = jn_walk(&C);

		if (r && r->t == JV_ARR && (r->flags & JA_RANGE) && JV_A(r).len > 10000000)
			r = NULL;

		if (r != NULL && opts && opts->json_only)
		{
			int			f = jv_holds_function(r, &w);

			if (f != 0)
			{
				if (f > 0)
					jn_fail(&C, JN_ERR_NOT_JSON, -1, "The result is not a JSON value");
				else
					jn_walk_failed(&C, &w);
				jn_arena_free(&C.arena);
				return -1;
			}
		}
		if (r != NULL && io->emit)
		{
			/* the host reads the result before the arena goes */
			if (!io->emit(io->emit_arg, r, &w))
			{
				if (w.stopped)
					jn_walk_failed(&C, &w);
				else
					jn_fail(&C, JN_ERR_HOST, -1, "The host could not take the result");
				jn_arena_free(&C.arena);
				return -1;
			}
			if (C.arena.exhausted)
				goto oom;		/* a lazy part of the result could not be
								 * converted */
			*is_undefined = false;
		}
		else if (r != NULL && !(r->t == JV_FUNC))
		{
			/*
			 * the json-c result counts against what the evaluation has left
			 * of its memory limit: a value sharing sub-values, or a lazy
			 * range, is small in the arena and large written out
			 */
			*io->result = jv_to_json_ext(r, opts && opts->json_only, &w);
			if (!w.stopped && C.arena.exhausted)
			{
				/* a lazy part of the result could not be converted */
				json_object_put(*io->result);
				*io->result = NULL;
				goto oom;
			}
			if (w.stopped)
			{
				jn_walk_failed(&C, &w);
				jn_arena_free(&C.arena);
				return -1;
			}
			*is_undefined = false;
		}
		else if (r != NULL)
		{
			*is_undefined = false;
			*io->result = json_object_new_string("");
		}
		rc = 0;
	}
	jn_arena_free(&C.arena);
	return rc;
oom:
	jn_oom(&C);
	jn_arena_free(&C.arena);
	return -1;
}
