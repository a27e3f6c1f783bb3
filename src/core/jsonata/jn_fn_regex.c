/*
 * jn_fn_regex.c — regex literals as values, and the functions that take a
 * string or a regex: $match, $contains, $replace, $split.
 */
#include "jsonata/jn_fn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata/jn_text.h"
#include "strbuf.h"

jv		   *
jn_regex_func(jn_ctx *C, const jn_node *node)
{
	jv		   *f = NEW(jv_new_func(C, F_REGEX));

	f->u.f->node = node;
	f->u.f->arity = 1;
	return f;
}

static bool
is_regex(const jv *v)
{
	return v && v->t == JV_FUNC && v->u.f->kind == F_REGEX;
}

/* iterates the matches of re in s; calls each(match) until it returns false */
typedef bool (*match_cb) (jn_ctx *C, const jn_regex_match *m, void *arg);

struct search_poll
{
	jn_ctx	   *C;
	int			pos;			/* the regex's position in the expression */
};

/* A regex search's poll: the evaluation's step budget and cancel. */
static bool
search_interrupted(void *arg)
{
	struct search_poll *sp = arg;

	return !jn_poll(sp->C, sp->pos);
}

/*
 * Calls cb for each match of re in s until it returns false; false on a
 * regex failure. The search polls the host at every start position, so a
 * pattern that backtracks at length over a long subject still stops on a
 * query cancel.
 */
static bool
each_match(jn_ctx *C, const jv *re, const jv *s, match_cb cb, void *arg)
{
	jn_regex_iter it;
	jn_regex_match m;
	jn_liberr	e = {0};
	struct search_poll sp;
	int			rc;

	if (!jn_regex_iter_init(&it, re->u.f->node->re, s->u.s.p, s->u.s.len, 0, &e))
	{
		jn_lib_fail(C, &e);
		return false;
	}
	sp.C = C;
	sp.pos = re->u.f->node->pos;
	it.interrupted = search_interrupted;
	it.interrupted_arg = &sp;
	while ((rc = jn_regex_iter_next(&it, &m, &e)) == 1)
		if (!cb(C, &m, arg) || C->failed)
			break;
	jn_regex_iter_done(&it);
	if (rc < 0)
	{
		if (e.code && strcmp(e.code, "D1004") == 0)
			jn_fail(C, "D1004", re->u.f->node->pos, "Regular expression matches zero length string");
		else if (e.code && strcmp(e.code, "U1001") == 0 && !C->failed)
		{
			/* PCRE2's backtracking budget (a cancel has failed C already) */
			jn_fail(C, "U1001", re->u.f->node->pos, "%s", e.message);
			C->err->limit = JN_LIMIT_STEPS;
		}
		else
			jn_lib_fail(C, &e); /* no-op when a cancel failed C already */
		return false;
	}
	return !C->failed;
}

/*
 * A match as JSONata describes it: {match, index, groups}, or {match,
 * start, end, groups} (with_end) for a regex called as a function.
 */
static jv  *
match_object(jn_ctx *C, const jn_regex_match *m, const jv *s, bool with_end)
{
	jv		   *o = NEW(jv_obj(&C->arena));
	jv		   *groups = NEW(jv_arr(&C->arena, 0));
	jv		   *mt = NEW(jv_str_ref(&C->arena, s->u.s.p + m->start, m->end - m->start));
	jv		   *idx = NEW(jv_num(&C->arena, (double) m->index));

	for (int g = 0; g < m->ngroups; g++)
	{
		jv		   *gv = NULL;

		if (m->groups[g].set)
			gv = NEW(jv_str_ref(&C->arena, s->u.s.p + m->groups[g].start, m->groups[g].end - m->groups[g].start));
		PUSH(groups, gv);
	}
	if (!jv_set(&C->arena, o, "match", 5, mt))
		return jn_oom(C);
	if (with_end)
	{
		jv		   *end = NEW(jv_num(&C->arena, (double) (m->index + jn_text_utf16_index(s->u.s.p + m->start, m->end - m->start))));

		if (!jv_set(&C->arena, o, "start", 5, idx) || !jv_set(&C->arena, o, "end", 3, end))
			return jn_oom(C);
	}
	else if (!jv_set(&C->arena, o, "index", 5, idx))
		return jn_oom(C);
	if (!jv_set(&C->arena, o, "groups", 6, groups))
		return jn_oom(C);
	return o;
}

struct first_arg
{
	const jv   *s;
	jv		   *result;
};

/* each_match callback: keeps the first match and stops. */
static bool
take_first(jn_ctx *C, const jn_regex_match *m, void *arg)
{
	struct first_arg *f = arg;

	f->result = match_object(C, m, f->s, true);
	return false;
}

jv		   *
jn_regex_exec(jn_ctx *C, const jv *re, const char *s, size_t len)
{
	struct first_arg f;
	jv		   *str = NEW(jv_str_ref(&C->arena, s, len));

	f.s = str;
	f.result = NULL;
	each_match(C, re, str, take_first, &f);
	return C->failed ? NULL : f.result;
}

/*
 * The optional limit argument i: infinity when absent, an error (code) when
 * negative.
 */
static bool
check_limit(jn_ctx *C, jv **a, int n, int i, const char *code, double *limit)
{
	*limit = INFINITY;
	if (n > i && a[i])
	{
		if (a[i]->u.n < 0)
		{
			jn_fail(C, code, -1, "%s", strcmp(code, "D3011") == 0 ?
					"Fourth argument of replace function must evaluate to a positive number" :
					strcmp(code, "D3020") == 0 ? "Third argument of split function must evaluate to a positive number" :
					"Third argument of match function must evaluate to a positive number");
			return false;
		}
		*limit = a[i]->u.n;
	}
	return true;
}

/* ---- $match ---- */

struct match_arg
{
	const jv   *s;
	jv		   *out;
	double		limit;
};

/* each_match callback for $match: appends match objects up to the limit. */
static bool
collect_match(jn_ctx *C, const jn_regex_match *m, void *arg)
{
	struct match_arg *ma = arg;
	jv		   *o;

	if ((double) JV_A(ma->out).len >= ma->limit)
		return false;
	o = match_object(C, m, ma->s, false);
	if (o == NULL || !jv_push(&C->arena, ma->out, o))
	{
		jn_oom(C);
		return false;
	}
	return true;
}

/* a custom matcher's result: an object with start, end, groups or next (or undefined) */
static bool
valid_match(const jv *m)
{
	jv		   *v;

	if (m == NULL)
		return true;
	if (m->t != JV_OBJ)
		return false;
	return ((v = jv_get(m, "start", 5)) && v->t == JV_NUM) ||
		((v = jv_get(m, "end", 3)) && v->t == JV_NUM) ||
		((v = jv_get(m, "groups", 6)) && v->t == JV_ARR) ||
		((v = jv_get(m, "next", 4)) && v->t == JV_FUNC);
}

/* $match with a function as the matcher: JSONata's matcher protocol (match, start, groups, next) */
static jv  *
match_custom(jn_ctx *C, jv *matcher, jv *s, double limit)
{
	jv		   *out = TRY(jn_seq(C));
	jv		   *m = TRY(jn_apply(C, matcher, &s, 1, NULL));

	while (m && (double) JV_A(out).len < limit)
	{
		jv		   *o,
				   *next;

		if (!valid_match(m))
			return jn_fail(C, "T1010", -1, "The matcher function argument passed to function \"match\" does not return the correct object structure");
		o = NEW(jv_obj(&C->arena));
		if (!jv_set(&C->arena, o, "match", 5, jv_get(m, "match", 5)) ||
			!jv_set(&C->arena, o, "index", 5, jv_get(m, "start", 5)) ||
			!jv_set(&C->arena, o, "groups", 6, jv_get(m, "groups", 6)))
			return jn_oom(C);
		PUSH(out, o);
		next = jv_get(m, "next", 4);
		m = next && next->t == JV_FUNC ? TRY(jn_apply(C, next, NULL, 0, NULL)) : NULL;
	}
	return out;
}

static jv  *
fn_match(jn_ctx *C, jv **a, int n, jv *input)
{
	struct match_arg ma;

	(void) input;
	if (a[0] == NULL)
		return NULL;
	if (!check_limit(C, a, n, 2, "D3040", &ma.limit))
		return NULL;
	if (!is_regex(a[1]))
		return match_custom(C, a[1], a[0], ma.limit);
	ma.s = a[0];
	ma.out = TRY(jn_seq(C));
	if (ma.limit > 0)
		each_match(C, a[1], a[0], collect_match, &ma);
	return C->failed ? NULL : ma.out;
}

/* ---- $contains ---- */

/* each_match callback for $contains: notes that a match exists and stops. */
static bool
found_one(jn_ctx *C, const jn_regex_match *m, void *arg)
{
	(void) C;
	(void) m;
	*(bool *) arg = true;
	return false;
}

static jv  *
fn_contains(jn_ctx *C, jv **a, int n, jv *input)
{
	bool		found = false;

	(void) n;
	(void) input;
	if (a[0] == NULL || a[1] == NULL)
		return NULL;
	if (a[1]->t == JV_STR)
		found = jn_text_find(a[0]->u.s.p, a[0]->u.s.len, a[1]->u.s.p, a[1]->u.s.len, 0) >= 0;
	else if (is_regex(a[1]))
		each_match(C, a[1], a[0], found_one, &found);
	else
		return jn_fail(C, "T1010", -1, "The matcher function argument passed to function \"contains\" does not return the correct object structure");
	return C->failed ? NULL : NEW(jv_bool(&C->arena, found));
}

/* ---- $replace ---- */

struct replace_arg
{
	const jv   *s;
	jv		   *replacement;
	asl_strbuf	out;
	size_t		pos;
	double		count;
	double		limit;
};

/*
 * each_match callback for $replace: appends the text before the match and
 * its replacement ($0, $1… or the function's result), up to the limit.
 */
static bool
replace_one(jn_ctx *C, const jn_regex_match *m, void *arg)
{
	struct replace_arg *ra = arg;

	if (ra->count >= ra->limit)
		return false;
	asl_strbuf_add(&ra->out, ra->s->u.s.p + ra->pos, m->start - ra->pos);
	if (ra->replacement->t == JV_STR)
	{
		size_t		len;
		char	   *r = jn_regex_expand(ra->replacement->u.s.p, ra->replacement->u.s.len, ra->s->u.s.p, m, &len);

		if (r == NULL)
		{
			jn_oom(C);
			return false;
		}
		asl_strbuf_add(&ra->out, r, len);
		free(r);
	}
	else
	{
		jv		   *mo = match_object(C, m, ra->s, false);
		jv		   *res;

		if (mo == NULL)
			return false;
		res = jn_apply(C, ra->replacement, &mo, 1, NULL);
		if (C->failed)
			return false;
		if (res == NULL || res->t != JV_STR)
		{
			jn_fail(C, "D3012", -1, "Attempted to replace a matched string with a non-string value");
			return false;
		}
		asl_strbuf_add(&ra->out, res->u.s.p, res->u.s.len);
	}
	ra->pos = m->end;
	ra->count++;
	return true;
}

static jv  *
fn_replace(jn_ctx *C, jv **a, int n, jv *input)
{
	struct replace_arg ra = {0};
	jv		   *r;

	(void) input;
	if (a[0] == NULL || a[1] == NULL || a[2] == NULL)
		return NULL;
	if (a[1]->t == JV_STR && a[1]->u.s.len == 0)
		return jn_fail(C, "D3010", -1, "Second argument of replace function cannot be an empty string");
	if (!check_limit(C, a, n, 3, "D3011", &ra.limit))
		return NULL;
	ra.s = a[0];
	ra.replacement = a[2];
	if (ra.limit > 0)
	{
		if (a[1]->t == JV_STR)
		{
			long		idx;

			while (ra.count < ra.limit &&
				   (idx = jn_text_find(a[0]->u.s.p, a[0]->u.s.len, a[1]->u.s.p, a[1]->u.s.len, ra.pos)) >= 0)
			{
				asl_strbuf_add(&ra.out, a[0]->u.s.p + ra.pos, (size_t) idx - ra.pos);
				if (a[2]->t == JV_STR)
					asl_strbuf_add(&ra.out, a[2]->u.s.p, a[2]->u.s.len);
				ra.pos = (size_t) idx + a[1]->u.s.len;
				ra.count++;
			}
		}
		else if (is_regex(a[1]))
			each_match(C, a[1], a[0], replace_one, &ra);
		else
			return jn_fail(C, "T1010", -1, "The matcher function argument passed to function \"replace\" does not return the correct object structure");
	}
	if (C->failed)
	{
		free(ra.out.data);
		return NULL;
	}
	asl_strbuf_add(&ra.out, a[0]->u.s.p + ra.pos, a[0]->u.s.len - ra.pos);
	if (ra.out.oom)
	{
		free(ra.out.data);
		return jn_oom(C);
	}
	r = jv_str(&C->arena, ra.out.data ? ra.out.data : "", ra.out.len);
	free(ra.out.data);
	return r ? r : jn_oom(C);
}

/* ---- $split ---- */

struct split_arg
{
	const jv   *s;
	jv		   *out;
	size_t		pos;
	double		limit;
};

/*
 * each_match callback for $split: appends the text before the match, up to
 * the limit.
 */
static bool
split_one(jn_ctx *C, const jn_regex_match *m, void *arg)
{
	struct split_arg *sa = arg;
	jv		   *part;

	if ((double) JV_A(sa->out).len >= sa->limit)
		return false;
	part = jv_str_ref(&C->arena, sa->s->u.s.p + sa->pos, m->start > sa->pos ? m->start - sa->pos : 0);
	if (part == NULL || !jv_push(&C->arena, sa->out, part))
	{
		jn_oom(C);
		return false;
	}
	sa->pos = m->end;
	return true;
}

static jv  *
fn_split(jn_ctx *C, jv **a, int n, jv *input)
{
	struct split_arg sa = {0};
	const jv   *s = a[0];

	(void) input;
	if (s == NULL || a[1] == NULL)
		return NULL;
	if (n > 2 && a[2] && a[2]->u.n < 0)
		return jn_fail(C, "D3020", -1, "Third argument of split function must evaluate to a positive number");
	sa.limit = n > 2 && a[2] ? floor(a[2]->u.n) : INFINITY;
	sa.s = s;
	sa.out = NEW(jv_arr(&C->arena, 0));
	if (sa.limit <= 0)
		return sa.out;
	if (a[1]->t == JV_STR)
	{
		const jv   *sep = a[1];

		if (sep->u.s.len == 0)
		{
			/* every UTF-16 unit; astral characters stay whole here */
			for (size_t i = 0; i < s->u.s.len && (double) JV_A(sa.out).len < sa.limit;)
			{
				size_t		next = i + jn_text_byte_offset(s->u.s.p + i, s->u.s.len - i, 1);

				PUSH(sa.out, NEW(jv_str_ref(&C->arena, s->u.s.p + i, next - i)));
				i = next;
			}
			return sa.out;
		}
		for (;;)
		{
			long		idx;

			if ((double) JV_A(sa.out).len >= sa.limit)
				return sa.out;
			idx = jn_text_find(s->u.s.p, s->u.s.len, sep->u.s.p, sep->u.s.len, sa.pos);
			if (idx < 0)
				break;
			PUSH(sa.out, NEW(jv_str_ref(&C->arena, s->u.s.p + sa.pos, (size_t) idx - sa.pos)));
			sa.pos = (size_t) idx + sep->u.s.len;
		}
		if ((double) JV_A(sa.out).len < sa.limit)
			PUSH(sa.out, NEW(jv_str_ref(&C->arena, s->u.s.p + sa.pos, s->u.s.len - sa.pos)));
		return sa.out;
	}
	if (!is_regex(a[1]))
		return jn_fail(C, "T1010", -1, "The matcher function argument passed to function \"split\" does not return the correct object structure");
	each_match(C, a[1], s, split_one, &sa);
	if (C->failed)
		return NULL;
	if ((double) JV_A(sa.out).len < sa.limit)
		PUSH(sa.out, NEW(jv_str_ref(&C->arena, s->u.s.p + sa.pos, s->u.s.len - sa.pos)));
	return sa.out;
}

jn_builtin	jn_fn_regex[] = {
	JN_BUILTIN("match", "<s-f<s:o>n?:a<o>>", fn_match, 3),
	JN_BUILTIN("contains", "<s-(sf):b>", fn_contains, 2),
	JN_BUILTIN("replace", "<s-(sf)(sf)n?:s>", fn_replace, 4),
	JN_BUILTIN("split", "<s-(sf)n?:a<s>>", fn_split, 3),
	{.name = NULL}
};
