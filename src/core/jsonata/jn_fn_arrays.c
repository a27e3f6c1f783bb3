/*
 * jn_fn_arrays.c — array functions and the higher-order ones: $append,
 * $reverse, $sort (stable merge sort), $shuffle, $distinct, $zip, $map,
 * $filter, $single, $reduce.
 */
#include "jsonata/jn_fn.h"

#include <math.h>
#include <string.h>

#include "jsonata/jn_text.h"

#define UNUSED (void) n; (void) input

static jv  *
fn_append(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *r;

	UNUSED;
	if (a[0] == NULL)
		return a[1];
	if (a[1] == NULL)
		return a[0];
	r = NEW(jv_arr(&C->arena, 0));
	for (int k = 0; k < 2; k++)
	{
		if (a[k]->t == JV_ARR)
		{
			ITEMS(a[k]);
			for (size_t i = 0; i < JV_A(a[k]).len; i++)
				PUSH(r, JV_A(a[k]).v[i]);
		}
		else
			PUSH(r, a[k]);
	}
	if (a[0]->t == JV_ARR)
		r->flags = a[0]->flags & JA_SEQ;
	else
		r->flags = JA_SEQ;
	return r;
}

/* a new array with the items of arr (a copy $reverse and $shuffle then reorder) */
static jv  *
copy_items(jn_ctx *C, jv *arr)
{
	jv		   *r;

	ITEMS(arr);
	r = NEW(jv_arr(&C->arena, 0));
	for (size_t i = 0; i < JV_A(arr).len; i++)
		PUSH(r, JV_A(arr).v[i]);
	return r;
}

static jv  *
fn_reverse(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *r;

	UNUSED;
	if (a[0] == NULL)
		return NULL;
	if (JV_A(a[0]).len <= 1)
		return a[0];
	r = TRY(copy_items(C, a[0]));
	for (size_t i = 0, j = JV_A(r).len - 1; i < j; i++, j--)
	{
		jv		   *t = JV_A(r).v[i];

		JV_A(r).v[i] = JV_A(r).v[j];
		JV_A(r).v[j] = t;
	}
	return r;
}

/* ---- $sort ---- */

/*
 * $sort's test without a function: whether x sorts after y (numbers by
 * value, strings by UTF-16 code units).
 */
static int
default_compare(jn_ctx *C, jv *x, jv *y)
{
	(void) C;
	if (x->t == JV_NUM)
		return x->u.n > y->u.n;
	return jn_text_compare(x->u.s.p, x->u.s.len, y->u.s.p, y->u.s.len) > 0;
}

struct sort_arg
{
	jn_ctx	   *C;
	jv		   *cmp;
};

/* true when a must come after b (the comparator's answer, or > for numbers and strings) */
static bool
swap_needed(void *arg, const void *pa, const void *pb)
{
	struct sort_arg *sa = arg;
	jn_ctx	   *C = sa->C;
	jv		   *args[2] = {*(jv *const *) pa, *(jv *const *) pb};
	jv		   *r;
	bool		d;

	if (C->failed)
		return false;
	if (sa->cmp == NULL)
		return default_compare(C, args[0], args[1]);
	r = jn_apply(C, sa->cmp, args, 2, NULL);
	return !C->failed && jn_boolean(r, &d);
}

static jv  *
fn_sort(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *arr = a[0],
			   *cmp = n > 1 ? a[1] : NULL,
			   *r;
	jv		  **tmp;

	(void) input;
	if (arr == NULL)
		return NULL;
	if (JV_A(arr).len <= 1)
		return arr;
	ITEMS(arr);
	if (cmp == NULL && !jn_is_array_of(arr, JV_NUM) && !jn_is_array_of(arr, JV_STR))
		return jn_fail(C, "D3070", -1, "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function");
	r = TRY(copy_items(C, arr));
	tmp = jn_alloc(&C->arena, JV_A(arr).len * sizeof(jv *));
	if (tmp == NULL)
		return jn_oom(C);
	{
		struct sort_arg sa = {C, cmp};

		jn_stable_sort(JV_A(r).v, JV_A(r).len, sizeof(jv *), tmp, swap_needed, &sa);
	}
	return C->failed ? NULL : r;
}

static jv  *
fn_shuffle(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *r;

	UNUSED;
	if (a[0] == NULL)
		return NULL;
	if (JV_A(a[0]).len <= 1)
		return a[0];
	r = TRY(copy_items(C, a[0]));
	for (size_t i = JV_A(r).len - 1; i > 0; i--)
	{
		size_t		j = (size_t) (jn_random_u64(C) % (i + 1));
		jv		   *t;

		t = JV_A(r).v[i];
		JV_A(r).v[i] = JV_A(r).v[j];
		JV_A(r).v[j] = t;
	}
	return r;
}

static jv  *
fn_distinct(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *arr = a[0],
			   *r;
	jv_walk		w;

	UNUSED;
	if (arr == NULL)
		return NULL;
	if (arr->t != JV_ARR || JV_A(arr).len <= 1)
		return arr;
	ITEMS(arr);
	r = TRY(jn_seq(C));
	w = jn_walk(C);				/* one walk: it polls across the items */
	for (size_t i = 0; i < JV_A(arr).len; i++)
	{
		int			seen = 0;

		for (size_t k = 0; k < JV_A(r).len && seen == 0; k++)
			seen = jv_deep_equal_walk(JV_A(r).v[k], JV_A(arr).v[i], &w);
		if (seen < 0)
			return jn_walk_failed(C, &w);
		if (!seen)
			PUSH(r, JV_A(arr).v[i]);
	}
	return r;
}

static jv  *
fn_zip(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *r = NEW(jv_arr(&C->arena, 0));
	size_t		len = SIZE_MAX;

	(void) input;
	if (n == 0)
		return r;
	for (int k = 0; k < n; k++)
	{
		if (a[k] == NULL)
			return r;
		ITEMS(a[k]);
		if (JV_A(a[k]).len < len)
			len = JV_A(a[k]).len;
	}
	for (size_t i = 0; i < len; i++)
	{
		jv		   *t = NEW(jv_arr(&C->arena, 0));

		for (int k = 0; k < n; k++)
			PUSH(t, JV_A(a[k]).v[i]);
		PUSH(r, t);
	}
	return r;
}

/* ---- higher-order ---- */

/* $map (keep what the function returns) and $filter (keep the items it accepts) */
static jv  *
map_or_filter(jn_ctx *C, jv *arr, jv *f, bool filter)
{
	jv		   *r;

	if (arr == NULL)
		return NULL;
	ITEMS(arr);
	r = TRY(jn_seq(C));
	for (size_t i = 0; i < JV_A(arr).len; i++)
	{
		jv		   *idx = NEW(jv_num(&C->arena, (double) i));
		jv		   *res = TRY(jn_apply_hof(C, f, JV_A(arr).v[i], idx, arr));
		bool		d;

		if (filter ? jn_boolean(res, &d) : res != NULL)
			PUSH(r, filter ? JV_A(arr).v[i] : res);
	}
	return r;
}

static jv  *
fn_map(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return map_or_filter(C, a[0], a[1], false);
}

static jv  *
fn_filter(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return map_or_filter(C, a[0], a[1], true);
}

static jv  *
fn_single(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *arr = a[0],
			   *result = NULL;
	bool		found = false;

	(void) input;
	if (arr == NULL)
		return NULL;
	ITEMS(arr);
	for (size_t i = 0; i < JV_A(arr).len; i++)
	{
		bool		positive = true;

		if (n > 1 && a[1])
		{
			jv		   *idx = NEW(jv_num(&C->arena, (double) i));
			jv		   *res = TRY(jn_apply_hof(C, a[1], JV_A(arr).v[i], idx, arr));
			bool		d;

			positive = jn_boolean(res, &d);
		}
		if (positive)
		{
			if (found)
				return jn_fail(C, "D3138", -1, "The $single() function expected exactly 1 matching result.  Instead it matched more.");
			result = JV_A(arr).v[i];
			found = true;
		}
	}
	if (!found)
		return jn_fail(C, "D3139", -1, "The $single() function expected exactly 1 matching result.  Instead it matched 0.");
	return result;
}

static jv  *
fn_reduce(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *arr = a[0],
			   *result;
	int			arity;
	size_t		i;

	(void) input;
	if (arr == NULL)
		return NULL;
	ITEMS(arr);
	arity = jn_func_arity(a[1]);
	if (arity < 2)
		return jn_fail(C, "D3050", -1, "The second argument of reduce function must be a function with at least two arguments");
	if ((n < 3 || a[2] == NULL) && JV_A(arr).len > 0)
	{
		result = JV_A(arr).v[0];
		i = 1;
	}
	else
	{
		result = n > 2 ? a[2] : NULL;
		i = 0;
	}
	for (; i < JV_A(arr).len; i++)
	{
		jv		   *args[4] = {result, JV_A(arr).v[i], NULL, arr};

		args[2] = NEW(jv_num(&C->arena, (double) i));
		result = TRY(jn_apply(C, a[1], args, arity >= 4 ? 4 : arity >= 3 ? 3 : 2, NULL));
	}
	return result;
}

jn_builtin	jn_fn_arrays[] = {
	JN_BUILTIN("append", "<xx:a>", fn_append, 2),
	JN_BUILTIN("reverse", "<a:a>", fn_reverse, 1),
	JN_BUILTIN("sort", "<af?:a>", fn_sort, 2),
	JN_BUILTIN("shuffle", "<a:a>", fn_shuffle, 1),
	JN_BUILTIN("distinct", "<x:x>", fn_distinct, 1),
	JN_BUILTIN("zip", "<a+>", fn_zip, 0),
	JN_BUILTIN("map", "<af>", fn_map, 2),
	JN_BUILTIN("filter", "<af>", fn_filter, 2),
	JN_BUILTIN("single", "<af?>", fn_single, 2),
	JN_BUILTIN("reduce", "<afj?:j>", fn_reduce, 3),
	{.name = NULL}
};
