/*
 * jn_fn_format.c — number pictures: $formatNumber, $formatBase,
 * $formatInteger, $parseInteger (the pictures themselves are jn_picture's).
 */
#include "jsonata/jn_fn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata/jn_picture.h"

#define UNUSED (void) n; (void) input

/* a NUL-terminated copy of a string value in the arena */
static const char *
cstr(jn_ctx *C, const jv *s)
{
	return jn_strndup(&C->arena, s->u.s.p, s->u.s.len);
}

static jv  *
fn_format_number(jn_ctx *C, jv **a, int n, jv *input)
{
	jn_decimal_format fmt;
	jn_liberr	e = {0};
	size_t		len;
	char	   *r;

	(void) input;
	if (a[0] == NULL || a[1] == NULL)
		return NULL;
	jn_decimal_format_default(&fmt);
	if (n > 2 && a[2])
	{
		jv		   *o = a[2];

		for (size_t k = 0; k < JV_O(o)->len; k++)
		{
			jv		   *v = JV_O(o)->vals[k];
			const char *key = jn_strndup(&C->arena, JV_O(o)->keys[k], JV_O(o)->klen[k]);

			if (key == NULL)
				return jn_oom(C);
			if (v && v->t == JV_STR)
			{
				const char *val = cstr(C, v);

				if (val == NULL)
					return jn_oom(C);
				jn_decimal_format_set(&fmt, key, val);
			}
		}
	}
	r = jn_format_number(a[0]->u.n, a[1]->u.s.p, a[1]->u.s.len, &fmt, &len, &e);
	if (r == NULL)
		return jn_lib_fail(C, &e);
	return jn_take_str(C, r, len);
}

static jv  *
fn_format_base(jn_ctx *C, jv **a, int n, jv *input)
{
	char		buf[JN_RADIX_BUFSZ];
	jn_liberr	e = {0};
	int			len;

	(void) input;
	if (a[0] == NULL)
		return NULL;
	len = jn_format_base(a[0]->u.n, n > 1 && a[1] ? a[1]->u.n : 10, buf, &e);
	if (len < 0)
		return jn_lib_fail(C, &e);
	return NEW(jv_str(&C->arena, buf, (size_t) len));
}

static jv  *
fn_format_integer(jn_ctx *C, jv **a, int n, jv *input)
{
	jn_liberr	e = {0};
	size_t		len;
	char	   *r;

	UNUSED;
	if (a[0] == NULL || a[1] == NULL)
		return NULL;
	r = jn_format_integer(a[0]->u.n, a[1]->u.s.p, a[1]->u.s.len, &len, &e);
	if (r == NULL)
		return jn_lib_fail(C, &e);
	return jn_take_str(C, r, len);
}

static jv  *
fn_parse_integer(jn_ctx *C, jv **a, int n, jv *input)
{
	jn_liberr	e = {0};
	double		d;

	UNUSED;
	if (a[0] == NULL || a[1] == NULL)
		return NULL;
	if (jn_parse_integer(a[0]->u.s.p, a[0]->u.s.len, a[1]->u.s.p, a[1]->u.s.len, &d, &e) < 0)
		return jn_lib_fail(C, &e);
	return NEW(jv_num(&C->arena, d));
}

jn_builtin	jn_fn_format[] = {
	JN_BUILTIN("formatNumber", "<n-so?:s>", fn_format_number, 3),
	JN_BUILTIN("formatBase", "<n-n?:s>", fn_format_base, 2),
	JN_BUILTIN("formatInteger", "<n-s:s>", fn_format_integer, 2),
	JN_BUILTIN("parseInteger", "<s-s:n>", fn_parse_integer, 2),
	{.name = NULL}
};
