/*
 * jn_fn_numbers.c — numeric functions, aggregates, booleans.
 */
#include "jsonata/jn_fn.h"

#include <math.h>
#include <string.h>

#include "jsonata/jn_numfmt.h"

/* A number value, or an out-of-memory failure. */
static jv  *
num(jn_ctx *C, double d)
{
	jv		   *v = jv_num(&C->arena, d);

	return v ? v : jn_oom(C);
}

#define UNUSED (void) n; (void) input

static jv  *
fn_sum(jn_ctx *C, jv **a, int n, jv *input)
{
	double		total = 0;

	UNUSED;
	if (a[0] == NULL)
		return NULL;
	if (a[0]->flags & JA_RANGE)
	{
		double		len = (double) JV_A(a[0]).len;

		return num(C, len * JV_A(a[0]).start + len * (len - 1) / 2);
	}
	for (size_t i = 0; i < JV_A(a[0]).len; i++)
		total += JV_A(a[0]).v[i]->u.n;
	return num(C, total);
}

static jv  *
fn_count(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return num(C, a[0] ? (double) JV_A(a[0]).len : 0);
}

/*
 * The largest (max) or smallest number of arr; undefined for an empty
 * array.
 */
static jv  *
extreme(jn_ctx *C, jv *arr, bool max)
{
	double		r;

	if (arr == NULL || JV_A(arr).len == 0)
		return NULL;
	ITEMS(arr);
	r = JV_A(arr).v[0]->u.n;
	for (size_t i = 1; i < JV_A(arr).len; i++)
	{
		double		d = JV_A(arr).v[i]->u.n;

		if (max ? d > r : d < r)
			r = d;
	}
	return num(C, r);
}

static jv  *
fn_max(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return extreme(C, a[0], true);
}

static jv  *
fn_min(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return extreme(C, a[0], false);
}

static jv  *
fn_average(jn_ctx *C, jv **a, int n, jv *input)
{
	double		total = 0;

	UNUSED;
	if (a[0] == NULL || JV_A(a[0]).len == 0)
		return NULL;
	ITEMS(a[0]);
	for (size_t i = 0; i < JV_A(a[0]).len; i++)
		total += JV_A(a[0]).v[i]->u.n;
	return num(C, total / (double) JV_A(a[0]).len);
}

static jv  *
fn_number(jn_ctx *C, jv **a, int n, jv *input)
{
	jv		   *v = a[0];
	double		d;

	UNUSED;
	if (v == NULL)
		return NULL;
	if (v->t == JV_NUM)
		return v;
	if (v->t == JV_BOOL)
		return num(C, v->u.b ? 1 : 0);
	if (v->t == JV_STR && jn_num_parse(v->u.s.p, v->u.s.len, &d))
		return num(C, d);
	{
		char		vt[120];

		return jn_fail(C, "D3030", -1, "Unable to cast value to a number: %s", jv_message_text(v, vt, sizeof vt));
	}
}

static jv  *
fn_abs(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return a[0] ? num(C, fabs(a[0]->u.n)) : NULL;
}

static jv  *
fn_floor(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return a[0] ? num(C, floor(a[0]->u.n) + 0.0) : NULL;
}

static jv  *
fn_ceil(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	if (a[0] == NULL)
		return NULL;
	{
		double		r = ceil(a[0]->u.n);

		return num(C, r == 0 ? 0 : r);
	}
}

static jv  *
fn_round(jn_ctx *C, jv **a, int n, jv *input)
{
	double		precision = n > 1 && a[1] ? a[1]->u.n : 0;

	(void) input;
	if (a[0] == NULL)
		return NULL;

	/*
	 * Beyond a thousand places every double has been shifted out of range (as
	 * in JavaScript); clamping keeps the conversion to int defined.
	 */
	if (!(precision >= -1000))
		precision = isnan(precision) ? 0 : -1000;
	else if (precision > 1000)
		precision = 1000;
	return num(C, jn_num_round_half_even(a[0]->u.n, (int) precision));
}

static jv  *
fn_sqrt(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	if (a[0] == NULL)
		return NULL;
	if (a[0]->u.n < 0)
		return jn_fail(C, "D3060", -1, "The sqrt function cannot be applied to a negative number: %g", a[0]->u.n);
	return num(C, sqrt(a[0]->u.n));
}

static jv  *
fn_power(jn_ctx *C, jv **a, int n, jv *input)
{
	double		r;

	UNUSED;
	if (a[0] == NULL || a[1] == NULL)
		return NULL;
	r = pow(a[0]->u.n, a[1]->u.n);
	if (!isfinite(r))
	{
		char		bt[JN_NUMFMT_BUFSZ],
					et[JN_NUMFMT_BUFSZ];

		jn_num_to_js(a[0]->u.n, bt);
		jn_num_to_js(a[1]->u.n, et);
		return jn_fail(C, "D3061", -1, "The power function has resulted in a value that cannot be represented as a JSON number: base=%s, exponent=%s", bt, et);
	}
	return num(C, r);
}

static jv  *
fn_random(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	(void) a;
	return num(C, (double) (jn_random_u64(C) >> 11) / 9007199254740992.0);
}

static jv  *
fn_boolean(jn_ctx *C, jv **a, int n, jv *input)
{
	bool		d,
				b;

	UNUSED;
	b = jn_boolean(a[0], &d);
	return d ? NEW(jv_bool(&C->arena, b)) : NULL;
}

static jv  *
fn_not(jn_ctx *C, jv **a, int n, jv *input)
{
	bool		d,
				b;

	UNUSED;
	b = jn_boolean(a[0], &d);
	return d ? NEW(jv_bool(&C->arena, !b)) : NULL;
}

static jv  *
fn_exists(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	return NEW(jv_bool(&C->arena, a[0] != NULL));
}

jn_builtin	jn_fn_numbers[] = {
	JN_BUILTIN("sum", "<a<n>:n>", fn_sum, 1),
	JN_BUILTIN("count", "<a:n>", fn_count, 1),
	JN_BUILTIN("max", "<a<n>:n>", fn_max, 1),
	JN_BUILTIN("min", "<a<n>:n>", fn_min, 1),
	JN_BUILTIN("average", "<a<n>:n>", fn_average, 1),
	JN_BUILTIN("number", "<(nsb)-:n>", fn_number, 1),
	JN_BUILTIN("abs", "<n-:n>", fn_abs, 1),
	JN_BUILTIN("floor", "<n-:n>", fn_floor, 1),
	JN_BUILTIN("ceil", "<n-:n>", fn_ceil, 1),
	JN_BUILTIN("round", "<n-n?:n>", fn_round, 2),
	JN_BUILTIN("sqrt", "<n-:n>", fn_sqrt, 1),
	JN_BUILTIN("power", "<n-n:n>", fn_power, 2),
	JN_BUILTIN("random", "<:n>", fn_random, 0),
	JN_BUILTIN("boolean", "<x-:b>", fn_boolean, 1),
	JN_BUILTIN("not", "<x-:b>", fn_not, 1),
	JN_BUILTIN("exists", "<x:b>", fn_exists, 1),
	{.name = NULL}
};
