/*
 * jn_fn_dates.c — $now, $millis, $fromMillis, $toMillis (the pictures
 * themselves are jn_datetime's).
 */
#include "jsonata/jn_fn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata/jn_datetime.h"

#define UNUSED (void) n; (void) input

/* ms formatted with picture and timezone (both optional) as a string value. */
static jv  *
from_millis(jn_ctx *C, double ms, const jv *picture, const jv *tz)
{
	jn_liberr	e = {0};
	size_t		len;
	char	   *r = jn_from_millis(ms, picture ? picture->u.s.p : NULL, picture ? picture->u.s.len : 0,
								   tz ? tz->u.s.p : NULL, tz ? tz->u.s.len : 0, &len, &e);

	if (r == NULL)
	{
		/* a width over 10^6 characters: a guard rail, as $pad's */
		if (e.code && strcmp(e.code, "RangeError") == 0 && strcmp(e.message, "Invalid string length") == 0)
			return jn_fail_memory(C, "The evaluation exceeded its memory limit: a date/time picture width over 1000000");
		if (e.code && strcmp(e.code, "RangeError") == 0)
			return jn_fail(C, "D1001", -1, "Invalid time value");
		return jn_lib_fail(C, &e);
	}
	return jn_take_str(C, r, len);
}

static jv  *
fn_from_millis(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) input;
	if (a[0] == NULL)
		return NULL;
	return from_millis(C, a[0]->u.n, n > 1 ? a[1] : NULL, n > 2 ? a[2] : NULL);
}

static jv  *
fn_to_millis(jn_ctx *C, jv **a, int n, jv *input)
{
	jn_liberr	e = {0};
	double		d;
	int			rc;

	(void) input;
	if (a[0] == NULL)
		return NULL;
	rc = jn_to_millis(a[0]->u.s.p, a[0]->u.s.len, n > 1 && a[1] ? a[1]->u.s.p : NULL,
					  n > 1 && a[1] ? a[1]->u.s.len : 0, jn_now(C), &d, &e);
	if (rc < 0)
		return jn_lib_fail(C, &e);
	if (rc == 0)
		return NULL;
	return NEW(jv_num(&C->arena, d));
}

static jv  *
fn_now(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) input;
	return from_millis(C, jn_now(C), n > 0 ? a[0] : NULL, n > 1 ? a[1] : NULL);
}

static jv  *
fn_millis(jn_ctx *C, jv **a, int n, jv *input)
{
	UNUSED;
	(void) a;
	return NEW(jv_num(&C->arena, jn_now(C)));
}

jn_builtin	jn_fn_dates[] = {
	JN_BUILTIN("fromMillis", "<n-s?s?:s>", fn_from_millis, 3),
	JN_BUILTIN("toMillis", "<s-s?:n>", fn_to_millis, 2),
	JN_BUILTIN("now", "<s?s?:s>", fn_now, 2),
	JN_BUILTIN("millis", "<:n>", fn_millis, 0),
	{.name = NULL}
};
