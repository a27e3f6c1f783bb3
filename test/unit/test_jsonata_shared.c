/*
 * test_jsonata_shared.c — jn_evaluate_values over input and bindings that
 * several evaluations share (as booking.jsonata() keeps the last document
 * converted): every applicable case of the JSONata suite is evaluated twice
 * against the same values, built once in an arena of the test's own. The
 * values must come out unchanged, flags included (serialised before and
 * after each evaluation), and both evaluations must give what jn_evaluate
 * gives over the json-c documents: the same result, or the same error.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "jsonata/jsonata.h"
#include "jsonata/jn_value.h"
#include "unit.h"
#include "../lib/json_equal.h"
#include "../lib/jsonata_applies.h"

typedef struct buf
{
	char	   *p;
	size_t		len,
				cap;
}			buf;

static void
put(buf * b, const void *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
	{
		b->cap = (b->len + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* every field an evaluation could change: types, flags, lengths, members, bytes */
static void
serialise(buf * b, const jv *v)
{
	char		t[64];

	if (v == NULL)
	{
		put(b, "U", 1);
		return;
	}
	snprintf(t, sizeof t, "<%d:%d>", v->t, v->flags);
	put(b, t, strlen(t));
	switch (v->t)
	{
		case JV_NUM:
			snprintf(t, sizeof t, "%a", v->u.n);
			put(b, t, strlen(t));
			break;
		case JV_BOOL:
			put(b, v->u.b ? "1" : "0", 1);
			break;
		case JV_STR:
			snprintf(t, sizeof t, "%zu:", v->u.s.len);
			put(b, t, strlen(t));
			put(b, v->u.s.p, v->u.s.len);
			break;
		case JV_ARR:
			snprintf(t, sizeof t, "[%zu/%zu", v->u.a.len, v->u.a.cap);
			put(b, t, strlen(t));
			for (size_t i = 0; i < v->u.a.len; i++)
				serialise(b, v->u.a.v[i]);
			put(b, "]", 1);
			break;
		case JV_OBJ:
			snprintf(t, sizeof t, "{%zu/%zu/%zu", v->u.o->len, v->u.o->cap, v->u.o->hcap);
			put(b, t, strlen(t));
			for (size_t i = 0; i < v->u.o->len; i++)
			{
				put(b, v->u.o->keys[i], v->u.o->klen[i]);
				put(b, "=", 1);
				serialise(b, v->u.o->vals[i]);
			}
			put(b, "}", 1);
			break;
		default:
			break;
	}
}

/* results that differ from one evaluation to the next by design */
static bool
varies(const char *expr)
{
	return strstr(expr, "$random") || strstr(expr, "$now") || strstr(expr, "$millis") ||
		strstr(expr, "$shuffle") || strstr(expr, "$uuid");
}

/* jn_emit_fn: the result as json-c (a function as "", as jn_evaluate gives it) */
static bool
emit_json(void *arg, const jv *r, jv_walk *w)
{
	json_object **out = arg;

	if (r->t == JV_FUNC)
	{
		*out = json_object_new_string("");
		return true;
	}
	*out = jv_to_json_ext(r, false, w);
	return w->stopped == JV_STOP_NONE;
}

static bool
same_result(int rc_a, const jn_error *ea, bool ua, json_object *a,
			int rc_b, const jn_error *eb, bool ub, json_object *b)
{
	if (rc_a != rc_b)
		return false;
	if (rc_a != 0)
		return strcmp(ea->code, eb->code) == 0;
	if (ua != ub)
		return false;
	return ua || json_equal(a, b);
}

static int	cases_run;

static void
run_case(json_object *c)
{
	json_object *expr,
			   *data = NULL,
			   *bindings = NULL,
			   *k;
	bool		has_input;
	jn_error	err;
	jn_expr    *e;
	jn_options	opts = {0};
	jn_arena	shared = {0};
	jv		   *in = NULL,
			   *vb = NULL;
	buf			before = {0};
	json_object *ref = NULL;
	bool		ref_undef;
	int			ref_rc;
	jn_error	ref_err;
	const char *x;

	json_object_object_get_ex(c, "expr", &expr);
	json_object_object_get_ex(c, "case", &k);
	has_input = json_object_object_get_ex(c, "data", &data);
	json_object_object_get_ex(c, "bindings", &bindings);
	x = json_object_get_string(expr);
	e = jn_compile(x, (size_t) json_object_get_string_len(expr), &err);
	if (e == NULL)
		return;
	opts.max_steps = 50000000;
	ref_rc = jn_evaluate(e, data, has_input, bindings, &opts, &ref, &ref_undef, &ref_err);
	if (has_input)
		in = jv_from_json_whole(&shared, data);
	if (bindings)
		vb = jv_from_json_whole(&shared, bindings);
	serialise(&before, in);
	serialise(&before, vb);
	cases_run++;
	for (int round = 0; round < 2; round++)
	{
		json_object *out = NULL;
		bool		undef;
		int			rc = jn_evaluate_values(e, in, vb, &opts, emit_json, &out, &undef, &err);
		buf			after = {0};

		serialise(&after, in);
		serialise(&after, vb);
		CHECK_MSG(after.len == before.len && memcmp(after.p, before.p, after.len) == 0,
				  "%s (%s), evaluation %d changed its shared input", json_object_get_string(k), x, round + 1);
		if (!varies(x))
			CHECK_MSG(same_result(rc, &err, undef, out, ref_rc, &ref_err, ref_undef, ref),
					  "%s (%s), evaluation %d: %s / %s differs from jn_evaluate's",
					  json_object_get_string(k), x, round + 1, rc ? err.code : json_object_to_json_string(out),
					  ref_rc ? ref_err.code : json_object_to_json_string(ref));
		json_object_put(out);
		free(after.p);
	}
	free(before.p);
	json_object_put(ref);
	jn_arena_free(&shared);
	jn_expr_free(e);
}

int
main(void)
{
	const char *path = getenv("BOOKING_JSONATA_SUITE");
	FILE	   *f;
	char	   *line = NULL;
	size_t		cap = 0;

	if (path == NULL || *path == '\0')
		path = "../shared/jsonata/suite.jsonl";
	f = fopen(path, "r");
	if (f == NULL)
	{
		fprintf(stderr, "test_jsonata_shared: cannot open %s (set BOOKING_JSONATA_SUITE)\n", path);
		return 1;
	}
	while (getline(&line, &cap, f) > 0)
	{
		json_object *c = json_tokener_parse(line);

		if (c != NULL && applies(c))
			run_case(c);
		json_object_put(c);
	}
	free(line);
	fclose(f);
	printf("jsonata shared input: %d cases evaluated twice each\n", cases_run);
	CHECK(cases_run > 1500);
	printf("test_jsonata_shared: %d passed, %d failed\n", unit_passed, unit_failed);
	return unit_failed ? 1 : 0;
}
