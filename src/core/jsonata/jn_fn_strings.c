/*
 * jn_fn_strings.c — JSONata's string functions and $string's JSON text.
 */
#include "jsonata/jn_fn.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonata/jn_numfmt.h"
#include "jsonata/jn_text.h"
#include "strbuf.h"

/* a malloc'd library result copied into the arena, then freed */
jv		   *
jn_take_str(jn_ctx *C, char *s, size_t len)
{
	jv		   *v;

	if (s == NULL)
		return jn_oom(C);
	v = jv_str(&C->arena, s, len);
	free(s);
	return v ? v : jn_oom(C);
}

jv		   *
jn_lib_fail(jn_ctx *C, const jn_liberr *e)
{
	if (e->code == NULL || strcmp(e->code, "D0000") == 0)
		return jn_oom(C);
	return jn_fail(C, e->code, -1, "%s", e->message);
}

/* ---------------- JSON text ($string, &) ---------------- */

/* Appends a C string. */
static void
add(asl_strbuf *b, const char *s)
{
	asl_strbuf_add(b, s, strlen(s));
}

/*
 * Appends s as a JSON string literal, escaped as JavaScript's
 * JSON.stringify escapes it.
 */
static void
json_str(asl_strbuf *b, const char *s, size_t len)
{
	asl_strbuf_add(b, "\"", 1);
	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc[8];

		switch (c)
		{
			case '"':
				add(b, "\\\"");
				break;
			case '\\':
				add(b, "\\\\");
				break;
			case '\b':
				add(b, "\\b");
				break;
			case '\f':
				add(b, "\\f");
				break;
			case '\n':
				add(b, "\\n");
				break;
			case '\r':
				add(b, "\\r");
				break;
			case '\t':
				add(b, "\\t");
				break;
			default:
				if (c < 0x20)
				{
					snprintf(esc, sizeof esc, "\\u%04x", c);
					add(b, esc);
				}
				else
					asl_strbuf_add(b, (const char *) &s[i], 1);
		}
	}
	asl_strbuf_add(b, "\"", 1);
}

/*
 * A line break and level levels of two-space indentation ($string's pretty
 * form).
 */
static void
indent(asl_strbuf *b, int level)
{
	asl_strbuf_add(b, "\n", 1);
	for (int i = 0; i < level; i++)
		asl_strbuf_add(b, "  ", 2);
}

/*
 * Appends v as JSON text as $string writes it: numbers to 15 significant
 * digits, functions as "", undefined members left out.
 */
static bool
json_text(jn_ctx *C, asl_strbuf *b, const jv *v, bool pretty, int level)
{
	char		buf[JN_NUMFMT_BUFSZ];

	/*
	 * the text counts against what the arena has left (a value sharing
	 * sub-values is small in the arena and huge as text), the host is polled
	 * as the text grows, and nesting is bounded (C stack)
	 */
	if ((++C->steps & 4095) == 0 && !jn_poll(C, -1))
		return false;
	if (b->len > C->arena.limit - C->arena.used || C->arena.used > C->arena.limit)
	{
		jn_oom(C);
		return false;
	}
	if (v == NULL)
	{
		add(b, "null");
		return true;
	}
	if ((v->t == JV_ARR || v->t == JV_OBJ) && level >= JN_MAX_NESTING)
	{
		jn_too_deep(C);
		return false;
	}
	switch (v->t)
	{
		case JV_NULL:
			add(b, "null");
			break;
		case JV_BOOL:
			add(b, v->u.b ? "true" : "false");
			break;
		case JV_NUM:
			{
				jn_liberr	e = {0};

				if (jn_num_to_string(v->u.n, buf, &e) < 0)
				{
					jn_fail(C, "D1001", -1, "Number out of range: null");
					return false;
				}
				add(b, buf);
				break;
			}
		case JV_STR:
			json_str(b, v->u.s.p, v->u.s.len);
			break;
		case JV_FUNC:
			add(b, "\"\"");
			break;
		case JV_ARR:
			if ((v->flags & JA_RANGE) && !jv_materialise(&C->arena, (jv *) v))
			{
				jn_oom(C);
				return false;
			}
			add(b, "[");
			for (size_t i = 0; i < JV_A(v).len; i++)
			{
				if (i)
					add(b, ",");
				if (pretty)
					indent(b, level + 1);
				if (!json_text(C, b, JV_A(v).v[i], pretty, level + 1))
					return false;
			}
			if (pretty && JV_A(v).len)
				indent(b, level);
			add(b, "]");
			break;
		case JV_OBJ:
			{
				bool		first = true;

				add(b, "{");
				for (size_t i = 0; i < JV_O(v)->len; i++)
				{
					if (JV_O(v)->vals[i] == NULL)
						continue;
					if (!first)
						add(b, ",");
					first = false;
					if (pretty)
						indent(b, level + 1);
					json_str(b, JV_O(v)->keys[i], JV_O(v)->klen[i]);
					add(b, pretty ? ": " : ":");
					if (!json_text(C, b, JV_O(v)->vals[i], pretty, level + 1))
						return false;
				}
				if (pretty && !first)
					indent(b, level);
				add(b, "}");
				break;
			}
	}
	return true;
}

jv		   *
jn_string_of(jn_ctx *C, jv *v, bool pretty)
{
	asl_strbuf	b = {0};
	jv		   *r;

	if (v == NULL)
		return NULL;
	if (v->t == JV_STR)
		return v;
	if (v->t == JV_FUNC)
		return NEW(jv_str_ref(&C->arena, "", 0));
	if (v->t == JV_NUM)
	{
		char		buf[JN_NUMFMT_BUFSZ];
		jn_liberr	e = {0};
		int			n = jn_num_to_string(v->u.n, buf, &e);

		if (n < 0)
			return jn_fail(C, "D3001", -1, "Attempting to invoke string function on Infinity or NaN");
		return NEW(jv_str(&C->arena, buf, (size_t) n));
	}
	if (v->t == JV_ARR && (v->flags & JA_OUTER) && JV_A(v).len > 0)
		v = JV_A(v).v[0];
	if (!json_text(C, &b, v, pretty, 0))
	{
		free(b.data);
		return NULL;
	}
	if (b.oom)
	{
		free(b.data);
		return jn_oom(C);
	}
	r = jv_str(&C->arena, b.data ? b.data : "", b.len);
	free(b.data);
	return r ? r : jn_oom(C);
}

/* ---------------- functions ---------------- */

#define STR(v) ((v)->u.s.p), ((v)->u.s.len)

static jv  *
fn_string(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) input;
	if (a[0] == NULL)
		return NULL;
	return jn_string_of(C, a[0], n > 1 && a[1] && a[1]->u.b);
}

static jv  *
fn_length(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	if (a[0] == NULL)
		return NULL;
	return NEW(jv_num(&C->arena, (double) jn_text_length(STR(a[0]))));
}

static jv  *
fn_substring(jn_ctx *C, jv **a, int n, jv *input)
{
	size_t		off,
				len;

	(void) input;
	if (a[0] == NULL)
		return NULL;
	jn_text_substring(STR(a[0]), a[1] ? a[1]->u.n : 0, n > 2 && a[2], n > 2 && a[2] ? a[2]->u.n : 0, &off, &len);
	return NEW(jv_str_ref(&C->arena, a[0]->u.s.p + off, len));
}

static jv  *
fn_substring_before(jn_ctx *C, jv **a, int n, jv *input)
{
	long		pos;

	(void) n;
	(void) input;
	if (a[0] == NULL)
		return NULL;
	if (a[1] == NULL)
		return a[0];
	pos = jn_text_find(STR(a[0]), STR(a[1]), 0);
	if (pos < 0)
		return a[0];
	return NEW(jv_str_ref(&C->arena, a[0]->u.s.p, (size_t) pos));
}

static jv  *
fn_substring_after(jn_ctx *C, jv **a, int n, jv *input)
{
	long		pos;

	(void) n;
	(void) input;
	if (a[0] == NULL)
		return NULL;
	if (a[1] == NULL)
		return a[0];
	pos = jn_text_find(STR(a[0]), STR(a[1]), 0);
	if (pos < 0)
		return a[0];
	return NEW(jv_str_ref(&C->arena, a[0]->u.s.p + pos + a[1]->u.s.len, a[0]->u.s.len - (size_t) pos - a[1]->u.s.len));
}

/* $uppercase and $lowercase, as JavaScript maps case (jn_text_case) */
static jv  *
change_case(jn_ctx *C, jv *s, bool upper)
{
	size_t		len = 0;
	char	   *out;

	if (s == NULL)
		return NULL;
	out = jn_text_case(s->u.s.p, s->u.s.len, upper, &len);
	return jn_take_str(C, out, len);
}

static jv  *
fn_lowercase(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return change_case(C, a[0], false);
}

static jv  *
fn_uppercase(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return change_case(C, a[0], true);
}

/* a string function of the support library: one string in, a malloc'd one out */
static jv  *
lib_str(jn_ctx *C, const jv *s, char *(*fn) (const char *, size_t, size_t *))
{
	size_t		len = 0;
	char	   *r;

	if (s == NULL)
		return NULL;
	r = fn(s->u.s.p, s->u.s.len, &len);
	return jn_take_str(C, r, len);
}

static jv  *
fn_trim(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return lib_str(C, a[0], jn_text_trim);
}

static jv  *
fn_pad(jn_ctx *C, jv **a, int n, jv *input)
{
	size_t		len;
	jn_liberr	e = {0};
	char	   *r;

	(void) input;
	if (a[0] == NULL)
		return NULL;
	r = jn_text_pad(STR(a[0]), a[1] ? a[1]->u.n : 0, n > 2 && a[2] ? a[2]->u.s.p : NULL,
					n > 2 && a[2] ? a[2]->u.s.len : 0, C->arena.limit ? C->arena.limit / 4 : (size_t) 1 << 28, &len, &e);
	if (r == NULL)
		return e.code ? jn_fail_memory(C, "The evaluation exceeded its memory limit: $pad to more than a quarter of it") : jn_oom(C);
	return jn_take_str(C, r, len);
}

static jv  *
fn_join(jn_ctx *C, jv **a, int n, jv *input)
{
	asl_strbuf	b = {0};
	jv		   *arr = a[0],
			   *r;

	(void) input;
	if (arr == NULL)
		return NULL;
	ITEMS(arr);
	for (size_t i = 0; i < JV_A(arr).len; i++)
	{
		if (i && n > 1 && a[1])
			asl_strbuf_add(&b, STR(a[1]));
		asl_strbuf_add(&b, STR(JV_A(arr).v[i]));
	}
	if (b.oom)
	{
		free(b.data);
		return jn_oom(C);
	}
	r = jv_str(&C->arena, b.data ? b.data : "", b.len);
	free(b.data);
	return r ? r : jn_oom(C);
}

/* $encodeUrl, $encodeUrlComponent, $decodeUrl and $decodeUrlComponent. */
static jv  *
uri(jn_ctx *C, jv *s, jn_uri_op op)
{
	size_t		len;
	jn_liberr	e = {0};
	char	   *r;

	if (s == NULL)
		return NULL;
	r = jn_text_uri(op, STR(s), &len, &e);
	if (r == NULL)
		return jn_lib_fail(C, &e);
	return jn_take_str(C, r, len);
}

static jv  *
fn_encode_url(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return uri(C, a[0], JN_ENCODE_URL);
}

static jv  *
fn_encode_url_component(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return uri(C, a[0], JN_ENCODE_URL_COMPONENT);
}

static jv  *
fn_decode_url(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return uri(C, a[0], JN_DECODE_URL);
}

static jv  *
fn_decode_url_component(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return uri(C, a[0], JN_DECODE_URL_COMPONENT);
}

static jv  *
fn_base64encode(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return lib_str(C, a[0], jn_text_base64_encode);
}

static jv  *
fn_base64decode(jn_ctx *C, jv **a, int n, jv *input)
{
	(void) n;
	(void) input;
	return lib_str(C, a[0], jn_text_base64_decode);
}

jn_builtin	jn_fn_strings[] = {
	JN_BUILTIN("string", "<x-b?:s>", fn_string, 1),
	JN_BUILTIN("length", "<s-:n>", fn_length, 1),
	JN_BUILTIN("substring", "<s-nn?:s>", fn_substring, 3),
	JN_BUILTIN("substringBefore", "<s-s:s>", fn_substring_before, 2),
	JN_BUILTIN("substringAfter", "<s-s:s>", fn_substring_after, 2),
	JN_BUILTIN("lowercase", "<s-:s>", fn_lowercase, 1),
	JN_BUILTIN("uppercase", "<s-:s>", fn_uppercase, 1),
	JN_BUILTIN("trim", "<s-:s>", fn_trim, 1),
	JN_BUILTIN("pad", "<s-ns?:s>", fn_pad, 3),
	JN_BUILTIN("join", "<a<s>s?:s>", fn_join, 2),
	JN_BUILTIN("encodeUrl", "<s-:s>", fn_encode_url, 1),
	JN_BUILTIN("encodeUrlComponent", "<s-:s>", fn_encode_url_component, 1),
	JN_BUILTIN("decodeUrl", "<s-:s>", fn_decode_url, 1),
	JN_BUILTIN("decodeUrlComponent", "<s-:s>", fn_decode_url_component, 1),
	JN_BUILTIN("base64encode", "<s-:s>", fn_base64encode, 1),
	JN_BUILTIN("base64decode", "<s-:s>", fn_base64decode, 1),
	{.name = NULL}
};
