/*
 * jn_parse.c — JSONata's tokenizer and Pratt parser, then the tree rewrite
 * the evaluator runs on (paths as step lists, predicates as stages, focus and
 * index bindings, parent-operator ancestry, tail calls marked as thunks).
 */
#include "jsonata/jn_internal.h"
#include "jsonata/jn_text.h"
#include "jsonata/jn_liberr.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "utf8.h"


typedef enum
{
	T_OP, T_STR, T_NUM, T_NAME, T_VAR, T_REGEX, T_VALUE, T_END
} tok_type;

typedef struct parser
{
	jn_expr    *e;
	jn_arena   *A;
	const char *src;
	size_t		len;
	size_t		pos;
	jn_error   *err;
	bool		failed;
	/* current token */
	tok_type	tt;
	const char *tv;				/* operator / name / string value */
	size_t		tlen;
	double		tnum;
	int			tpos;
	jv		   *tlit;
	const char *re_src;
	bool		re_i,
				re_m;
	/* ancestry */
	int			ancestor_label;
	int			ancestor_index;
	jn_node   **ancestry;
	int			nancestry;
	int			capancestry;
	int			depth;			/* expression() calls open */
	int			height;			/* the tree's depth so far: calls and
								 * operators */
} parser;

static void perr(parser *P, const char *code, int pos, const char *token, const char *fmt,...)
			__attribute__((format(printf, 5, 6)));

/* Records the first syntax error only, with its code, position and token. */
static void
perr(parser *P, const char *code, int pos, const char *token, const char *fmt,...)
{
	va_list		ap;

	if (P->failed)
		return;
	P->failed = true;
	snprintf(P->err->code, sizeof P->err->code, "%s", code);
	P->err->position = pos;
	snprintf(P->err->token, sizeof P->err->token, "%s", token ? token : "");
	va_start(ap, fmt);
	vsnprintf(P->err->message, sizeof P->err->message, fmt, ap);
	va_end(ap);
}

/* Appends node n to list l in the arena. */
static bool
list_push(jn_arena *A, jn_list *l, jn_node *n)
{
	if (!jn_grow(A, (void **) &l->v, l->n, &l->cap, sizeof(jn_node *)))
		return false;
	l->v[l->n++] = n;
	return true;
}

/* Appends slot s to list l in the arena. */
static bool
slots_push(jn_arena *A, jn_slots *l, jn_slot *s)
{
	if (!jn_grow(A, (void **) &l->v, l->n, &l->cap, sizeof(jn_slot *)))
		return false;
	l->v[l->n++] = s;
	return true;
}

/* A zeroed node of type t at pos; NULL (and an error) when out of memory. */
static jn_node *
new_node(parser *P, jn_ntype t, int pos)
{
	jn_node    *n = jn_alloc(P->A, sizeof(jn_node));

	if (n == NULL)
	{
		perr(P, "U1001", pos, NULL, "out of memory while parsing");
		return NULL;
	}
	n->type = t;
	n->pos = pos;
	return n;
}

/* ---------------- tokenizer ---------------- */

/* A character that is an operator or punctuation of its own. */
static bool
is_op_char(char c)
{
	return c && strchr(".[]{}(),@#;:?+-*/%|=<>^&!~", c) != NULL;
}

/* JSONata's white space (JSON's plus vertical tab). */
static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v';
}

/* The value of the four hex digits at s, or -1. */
static int
hex4(const char *s)
{
	int			v = 0;

	for (int i = 0; i < 4; i++)
	{
		int			h = lex_hex_value(s[i]);

		if (h < 0)
			return -1;
		v = (v << 4) | h;
	}
	return v;
}

/*
 * A string literal opened by quote: its escapes (\uXXXX with surrogate
 * pairs) decoded into the token.
 */
static bool
scan_string(parser *P, char quote)
{
	size_t		start = ++P->pos;
	size_t		end = start;
	char	   *out;
	size_t		o = 0;

	/*
	 * room for the literal as written (escapes only shrink): the rest of the
	 * expression made every string quadratic
	 */
	while (end < P->len && P->src[end] != quote)
		end += P->src[end] == '\\' ? 2 : 1;
	out = jn_alloc(P->A, (end < P->len ? end : P->len) - start + 1);

	if (out == NULL)
	{
		perr(P, "U1001", (int) start, NULL, "out of memory while parsing");
		return false;
	}
	while (P->pos < P->len)
	{
		char		c = P->src[P->pos];

		if (c == '\\')
		{
			char		e;

			P->pos++;
			if (P->pos >= P->len)
				break;
			e = P->src[P->pos];
			switch (e)
			{
				case '"':
				case '\\':
				case '/':
					out[o++] = e;
					break;
				case 'b':
					out[o++] = '\b';
					break;
				case 'f':
					out[o++] = '\f';
					break;
				case 'n':
					out[o++] = '\n';
					break;
				case 'r':
					out[o++] = '\r';
					break;
				case 't':
					out[o++] = '\t';
					break;
				case 'u':
					{
						int			cp = P->pos + 4 < P->len ? hex4(P->src + P->pos + 1) : -1;

						if (cp < 0)
						{
							perr(P, "S0104", (int) P->pos, NULL, "The escape sequence \\u must be followed by 4 hex digits");
							return false;
						}
						P->pos += 4;
						if (cp >= 0xD800 && cp < 0xDC00 && P->pos + 6 < P->len &&
							P->src[P->pos + 1] == '\\' && P->src[P->pos + 2] == 'u')
						{
							int			lo = hex4(P->src + P->pos + 3);

							if (lo >= 0xDC00 && lo < 0xE000)
							{
								cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
								P->pos += 6;
							}
						}
						o += utf8_encode(out + o, (unsigned) cp);
						break;
					}
				default:
					perr(P, "S0103", (int) P->pos, NULL, "Unsupported escape sequence: \\\"%c\"", e);
					return false;
			}
			P->pos++;
		}
		else if (c == quote)
		{
			P->pos++;
			out[o] = '\0';
			P->tt = T_STR;
			P->tv = out;
			P->tlen = o;
			P->tlit = jv_str_ref(P->A, out, o);
			return true;
		}
		else
			out[o++] = c, P->pos++;
	}
	perr(P, "S0101", (int) P->pos, NULL, "String literal must be terminated by a matching quote");
	return false;
}

/* A /regex/flags literal, the pattern kept as written. */
static bool
scan_regex(parser *P)
{
	size_t		start = P->pos;
	int			depth = 0;

	while (P->pos < P->len)
	{
		char		c = P->src[P->pos];

		if (c == '/' && depth == 0)
		{
			size_t		end = P->pos;
			size_t		fstart;

			if (end == start)
			{
				perr(P, "S0301", (int) P->pos, NULL, "Empty regular expressions are not allowed");
				return false;
			}
			P->pos++;
			fstart = P->pos;
			while (P->pos < P->len && P->src[P->pos] >= 'a' && P->src[P->pos] <= 'z')
				P->pos++;
			P->re_i = P->re_m = false;
			for (size_t i = fstart; i < P->pos; i++)
			{
				if (P->src[i] == 'i')
					P->re_i = true;
				else if (P->src[i] == 'm')
					P->re_m = true;
				else if (P->src[i] != 'g' && P->src[i] != 's' && P->src[i] != 'u' && P->src[i] != 'y')
				{
					perr(P, "S0302", (int) i, NULL, "Invalid regular expression flag");
					return false;
				}
			}
			P->re_src = jn_strndup(P->A, P->src + start, end - start);
			P->tt = T_REGEX;
			return true;
		}
		if (c == '\\')
			P->pos++;
		else if (c == '[')
			depth++;
		else if (c == ']' && depth > 0)
			depth--;
		P->pos++;
	}
	perr(P, "S0302", (int) P->pos, NULL, "No terminating / in regular expression");
	return false;
}

/* lexes the next token; prefix: a regex may start here */
static bool
lex(parser *P, bool infix)
{
	const char *s = P->src;
	char		c;

	for (;;)
	{
		while (P->pos < P->len && is_space(s[P->pos]))
			P->pos++;
		if (P->pos + 1 < P->len && s[P->pos] == '/' && s[P->pos + 1] == '*')
		{
			size_t		start = P->pos;
			const char *end = NULL;

			for (size_t i = P->pos + 2; i + 1 < P->len; i++)
				if (s[i] == '*' && s[i + 1] == '/')
				{
					end = s + i;
					break;
				}
			if (end == NULL)
			{
				perr(P, "S0106", (int) start, NULL, "Comment has no closing tag");
				return false;
			}
			P->pos = (size_t) (end - s) + 2;
			continue;
		}
		break;
	}
	P->tpos = (int) P->pos;
	if (P->pos >= P->len)
	{
		P->tt = T_END;
		P->tv = "(end)";
		P->tlen = 5;
		return true;
	}
	c = s[P->pos];
	if (!infix && c == '/')
	{
		P->pos++;
		return scan_regex(P);
	}
	/* two-character operators */
	if (P->pos + 1 < P->len)
	{
		static const char *two[] = {"..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??", NULL};

		for (int i = 0; two[i]; i++)
			if (s[P->pos] == two[i][0] && s[P->pos + 1] == two[i][1])
			{
				P->tt = T_OP;
				P->tv = two[i];
				P->tlen = 2;
				P->pos += 2;
				return true;
			}
	}
	if (is_op_char(c))
	{
		static const char ops[] = ".[]{}(),@#;:?+-*/%|=<>^&!~";
		const char *p = strchr(ops, c);
		static char single[sizeof ops][2];

		single[p - ops][0] = c;
		P->tt = T_OP;
		P->tv = single[p - ops];
		P->tlen = 1;
		P->pos++;
		return true;
	}
	if (c == '"' || c == '\'')
		return scan_string(P, c);
	if (c >= '0' && c <= '9')
	{
		/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([Ee][-+]?[0-9]+)? */
		size_t		i = P->pos;
		char	   *tmp;

		if (s[i] == '0')
			i++;
		else
			while (i < P->len && s[i] >= '0' && s[i] <= '9')
				i++;
		if (i + 1 < P->len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
		{
			i++;
			while (i < P->len && s[i] >= '0' && s[i] <= '9')
				i++;
		}
		if (i < P->len && (s[i] == 'e' || s[i] == 'E'))
		{
			size_t		j = i + 1;

			if (j < P->len && (s[j] == '+' || s[j] == '-'))
				j++;
			if (j < P->len && s[j] >= '0' && s[j] <= '9')
			{
				while (j < P->len && s[j] >= '0' && s[j] <= '9')
					j++;
				i = j;
			}
		}
		tmp = jn_strndup(P->A, s + P->pos, i - P->pos);
		if (tmp == NULL)
		{
			perr(P, "U1001", P->tpos, NULL, "out of memory while parsing");
			return false;
		}
		P->tnum = strtod(tmp, NULL);
		if (!isfinite(P->tnum))
		{
			perr(P, "S0102", P->tpos, tmp, "Number out of range: \"%s\"", tmp);
			return false;
		}
		P->pos = i;
		P->tt = T_NUM;
		P->tv = tmp;
		P->tlen = i - (size_t) P->tpos;
		P->tlit = jv_num(P->A, P->tnum);
		return true;
	}
	if (c == '`')
	{
		const char *end = memchr(s + P->pos + 1, '`', P->len - P->pos - 1);

		if (end == NULL)
		{
			perr(P, "S0105", (int) P->len, NULL, "Quoted property name must be terminated with a backquote (`)");
			return false;
		}
		P->tt = T_NAME;
		P->tv = jn_strndup(P->A, s + P->pos + 1, (size_t) (end - s) - P->pos - 1);
		P->tlen = (size_t) (end - s) - P->pos - 1;
		P->pos = (size_t) (end - s) + 1;
		return true;
	}
	{
		size_t		i = P->pos;

		while (i < P->len && !is_space(s[i]) && !is_op_char(s[i]))
			i++;
		if (s[P->pos] == '$')
		{
			P->tt = T_VAR;
			P->tv = jn_strndup(P->A, s + P->pos + 1, i - P->pos - 1);
			P->tlen = i - P->pos - 1;
			P->pos = i;
			return true;
		}
		P->tv = jn_strndup(P->A, s + P->pos, i - P->pos);
		P->tlen = i - P->pos;
		P->pos = i;
		if (strcmp(P->tv, "and") == 0 || strcmp(P->tv, "or") == 0 || strcmp(P->tv, "in") == 0)
			P->tt = T_OP;
		else if (strcmp(P->tv, "true") == 0 || strcmp(P->tv, "false") == 0)
		{
			P->tt = T_VALUE;
			P->tlit = jv_bool(P->A, P->tv[0] == 't');
		}
		else if (strcmp(P->tv, "null") == 0)
		{
			P->tt = T_VALUE;
			P->tlit = jv_null(P->A);
		}
		else
			P->tt = T_NAME;
		return true;
	}
}

/* ---------------- Pratt parser ---------------- */

/* Whether the current token is the operator op. */
static bool
tok_is(parser *P, const char *op)
{
	return P->tt == T_OP && strcmp(P->tv, op) == 0;
}

/* The left binding power of an operator (jsonata-js's operator table). */
static int
lbp_of_op(const char *op)
{
	static const struct
	{
		const char *op;
		int			bp;
	}			t[] = {
		{".", 75}, {"[", 80}, {"{", 70}, {"(", 80}, {"@", 80}, {"#", 80},
		{"?", 20}, {"+", 50}, {"-", 50}, {"*", 60}, {"/", 60}, {"%", 60},
		{"=", 40}, {"<", 40}, {">", 40}, {"!=", 40}, {"<=", 40}, {">=", 40},
		{"^", 40}, {"~>", 40}, {":=", 10}, {"and", 30}, {"or", 25}, {"in", 40},
		{"&", 50}, {NULL, 0}
	};

	for (int i = 0; t[i].op; i++)
		if (strcmp(t[i].op, op) == 0)
			return t[i].bp;
	return 0;
}

/* The left binding power of the current token. */
static int
lbp_of(parser *P)
{
	return P->tt == T_OP ? lbp_of_op(P->tv) : 0;
}

static const char *known_ops[] = {
	".", "[", "]", "{", "}", "(", ")", ",", "@", "#", ";", ":", "?", "+", "-", "*", "/", "%",
	"|", "=", "<", ">", "^", "**", "..", ":=", "!=", "<=", ">=", "~>", "and", "or", "in", "&", NULL
};

/*
 * Reads the next token, first checking that the current one is id when
 * given (infix: an operator may follow).
 */
static bool
advance(parser *P, const char *id, bool infix)
{
	if (P->failed)
		return false;
	if (id)
	{
		bool		ok = strcmp(id, "(end)") == 0 ? P->tt == T_END : tok_is(P, id);

		if (!ok)
		{
			if (P->tt == T_END)
				perr(P, "S0203", P->tpos, P->tv, "Expected \"%s\" before end of expression", id);
			else
			{
				char		got[80];

				jn_liberr_json_quote(got, sizeof got, P->tv, P->tlen);
				perr(P, "S0202", P->tpos, P->tv, "Expected \"%s\", got %s", id, got);
			}
			return false;
		}
	}
	if (!lex(P, infix))
		return false;
	if (P->tt == T_OP)
	{
		bool		known = false;

		for (int i = 0; known_ops[i]; i++)
			if (strcmp(known_ops[i], P->tv) == 0)
				known = true;
		if (!known)
		{
			perr(P, "S0204", P->tpos, P->tv, "Unknown operator: \"%s\"", P->tv);
			return false;
		}
	}
	return true;
}

static jn_node *expression(parser *P, int rbp);

/* a snapshot of the current token as a node */
static jn_node *
token_node(parser *P)
{
	jn_node    *n;

	switch (P->tt)
	{
		case T_NAME:
			n = new_node(P, N_NAME, P->tpos);
			break;
		case T_VAR:
			n = new_node(P, N_VARIABLE, P->tpos);
			break;
		case T_STR:
			n = new_node(P, N_STRING, P->tpos);
			break;
		case T_NUM:
			n = new_node(P, N_NUMBER, P->tpos);
			break;
		case T_VALUE:
			n = new_node(P, N_VALUE, P->tpos);
			break;
		case T_REGEX:
			n = new_node(P, N_REGEX, P->tpos);
			break;
		case T_END:
			n = new_node(P, N_END, P->tpos);
			break;
		default:
			n = new_node(P, N_OPERATOR, P->tpos);
			break;
	}
	if (n == NULL)
		return NULL;
	n->value = P->tv;
	n->vlen = P->tlen;
	n->lit = P->tlit;
	if (P->tt == T_REGEX)
	{
		n->re_src = P->re_src;
		n->re_icase = P->re_i;
		n->re_multi = P->re_m;
	}
	return n;
}

/* A lambda's <…> type signature, parsed into the lambda. */
static bool
parse_signature(parser *P, jn_node *lambda)
{
	/* the signature runs from the current '<' to its matching '>' */
	size_t		start = (size_t) P->tpos;
	size_t		i = start;
	int			depth = 0;
	const char *code;
	char	   *text;
	size_t		tlen = 0,
				at = 0;

	for (; i < P->len; i++)
	{
		if (P->src[i] == '<')
			depth++;
		else if (P->src[i] == '>' && --depth == 0)
			break;
		else if (P->src[i] == '{')
			break;
	}
	if (i >= P->len || P->src[i] != '>')
	{
		perr(P, "S0401", (int) start + 1, NULL, "Type parameters can only be applied to functions and arrays");
		return false;
	}
	lambda->sig = jn_alloc(P->A, sizeof(jn_sig));
	if (lambda->sig == NULL)
	{
		perr(P, "U1001", (int) start, NULL, "out of memory while parsing");
		return false;
	}

	/*
	 * JSONata parses the signature's tokens run together (no white space),
	 * and reports an error at the '<' token's end plus the offset in that
	 * text
	 */
	text = jn_alloc(P->A, i + 2 - start);
	if (text == NULL)
	{
		perr(P, "U1001", (int) start, NULL, "out of memory while parsing");
		return false;
	}
	for (size_t k = start; k <= i; k++)
		if (!isspace((unsigned char) P->src[k]))
			text[tlen++] = P->src[k];
	code = jn_sig_parse(text, tlen, lambda->sig, &at);
	if (code)
	{
		perr(P, code, (int) (start + 1 + at), NULL, strcmp(code, "S0402") == 0 ?
			 "Choice groups containing parameterized types are not supported" :
			 "Type parameters can only be applied to functions and arrays");
		return false;
	}
	P->pos = i + 1;
	return advance(P, NULL, false);
}

/* the key: value pairs of an object constructor or a group-by, up to the closing brace */
static bool
parse_pairs(parser *P, jn_node *t)
{
	if (tok_is(P, "}"))
		return true;
	for (;;)
	{
		jn_node    *k = expression(P, 0),
				   *v;

		if (k == NULL || !advance(P, ":", false))
			return false;
		v = expression(P, 0);
		if (v == NULL || !list_push(P->A, &t->keys, k) || !list_push(P->A, &t->vals, v))
			return false;
		if (!tok_is(P, ","))
			return true;
		advance(P, ",", false);
	}
}

/*
 * The Pratt parser's null denotation: token t at the start of an expression
 * (literal, name, prefix operator, block, array, object, lambda, …).
 */
static jn_node *
nud(parser *P, jn_node *t)
{
	if (P->failed)
		return NULL;
	switch (t->type)
	{
		case N_NAME:
		case N_VARIABLE:
		case N_STRING:
		case N_NUMBER:
		case N_VALUE:
		case N_REGEX:
			return t;
		case N_END:
			perr(P, "S0207", t->pos, NULL, "Unexpected end of expression");
			return NULL;
		default:
			break;
	}
	/* operators */
	if (strcmp(t->value, "and") == 0 || strcmp(t->value, "or") == 0 || strcmp(t->value, "in") == 0)
		return t;
	if (strcmp(t->value, "-") == 0)
	{
		t->type = N_UNARY;
		t->expr = expression(P, 70);
		return t;
	}
	if (strcmp(t->value, "*") == 0)
	{
		t->type = N_WILDCARD;
		return t;
	}
	if (strcmp(t->value, "**") == 0)
	{
		t->type = N_DESCENDANT;
		return t;
	}
	if (strcmp(t->value, "%") == 0)
	{
		t->type = N_PARENT;
		return t;
	}
	if (strcmp(t->value, "(") == 0)
	{
		t->type = N_BLOCK;
		while (!P->failed && !tok_is(P, ")"))
		{
			jn_node    *e = expression(P, 0);

			if (e == NULL || !list_push(P->A, &t->items, e))
				return NULL;
			if (!tok_is(P, ";"))
				break;
			advance(P, ";", false);
		}
		advance(P, ")", true);
		return P->failed ? NULL : t;
	}
	if (strcmp(t->value, "[") == 0)
	{
		t->type = N_UNARY;
		if (!tok_is(P, "]"))
		{
			for (;;)
			{
				jn_node    *item = expression(P, 0);

				if (item == NULL)
					return NULL;
				if (tok_is(P, ".."))
				{
					jn_node    *range = new_node(P, N_BINARY, P->tpos);

					if (range == NULL)
						return NULL;
					range->value = "..";
					range->lhs = item;
					advance(P, "..", false);
					range->rhs = expression(P, 0);
					if (range->rhs == NULL)
						return NULL;
					item = range;
				}
				if (!list_push(P->A, &t->items, item))
					return NULL;
				if (!tok_is(P, ","))
					break;
				advance(P, ",", false);
			}
		}
		advance(P, "]", true);
		return P->failed ? NULL : t;
	}
	if (strcmp(t->value, "{") == 0)
	{
		t->type = N_UNARY;
		if (!parse_pairs(P, t))
			return NULL;
		advance(P, "}", true);
		return P->failed ? NULL : t;
	}
	if (strcmp(t->value, "|") == 0)
	{
		t->type = N_TRANSFORM;
		t->pattern = expression(P, 0);
		if (t->pattern == NULL || !advance(P, "|", false))
			return NULL;
		t->update = expression(P, 0);
		if (t->update == NULL)
			return NULL;
		if (tok_is(P, ","))
		{
			advance(P, ",", false);
			t->del = expression(P, 0);
			if (t->del == NULL)
				return NULL;
		}
		advance(P, "|", false);
		return P->failed ? NULL : t;
	}
	perr(P, "S0211", t->pos, t->value, "The symbol \"%s\" cannot be used as a unary operator", t->value);
	return NULL;
}

/*
 * The Pratt parser's left denotation: token t after left (binary operator,
 * call, predicate, group-by, order-by, focus and index bindings, ?:, …).
 */
static jn_node *
led(parser *P, jn_node *t, jn_node *left)
{
	const char *op = t->value;

	if (P->failed)
		return NULL;
	if (strcmp(op, "(") == 0)
	{
		t->type = N_FUNCTION;
		t->proc = left;
		if (!tok_is(P, ")"))
		{
			for (;;)
			{
				if (tok_is(P, "?"))
				{
					jn_node    *ph = token_node(P);

					t->type = N_PARTIAL;
					if (ph == NULL || !list_push(P->A, &t->items, ph) || !advance(P, "?", false))
						return NULL;
				}
				else
				{
					jn_node    *a = expression(P, 0);

					if (a == NULL || !list_push(P->A, &t->items, a))
						return NULL;
				}
				if (!tok_is(P, ","))
					break;
				advance(P, ",", false);
			}
		}
		if (!advance(P, ")", true))
			return NULL;
		if (left->type == N_NAME && (strcmp(left->value, "function") == 0 || strcmp(left->value, "\xCE\xBB") == 0))
		{
			for (int i = 0; i < t->items.n; i++)
				if (t->items.v[i]->type != N_VARIABLE)
				{
					perr(P, "S0208", t->items.v[i]->pos, t->items.v[i]->value,
						 "Parameter %d of function definition must be a variable name (start with $)", i + 1);
					return NULL;
				}
			t->type = N_LAMBDA;
			if (tok_is(P, "<") && !parse_signature(P, t))
				return NULL;
			if (!advance(P, "{", false))
				return NULL;
			t->body = expression(P, 0);
			if (t->body == NULL || !advance(P, "}", false))
				return NULL;
		}
		return t;
	}
	if (strcmp(op, "[") == 0)
	{
		if (tok_is(P, "]"))
		{
			jn_node    *step = left;

			while (step && step->type == N_BINARY && strcmp(step->value, "[") == 0)
				step = step->lhs;
			step->keep_array = true;
			advance(P, "]", false);
			return left;
		}
		t->type = N_BINARY;
		t->lhs = left;
		t->rhs = expression(P, 0);
		if (t->rhs == NULL || !advance(P, "]", true))
			return NULL;
		return t;
	}
	if (strcmp(op, "^") == 0)
	{
		t->type = N_BINARY;
		t->lhs = left;
		if (!advance(P, "(", false))
			return NULL;
		for (;;)
		{
			jn_node    *term = new_node(P, N_SORT, P->tpos);

			if (term == NULL)
				return NULL;
			if (tok_is(P, "<"))
				advance(P, "<", false);
			else if (tok_is(P, ">"))
			{
				term->descending = true;
				advance(P, ">", false);
			}
			term->expr = expression(P, 0);
			if (term->expr == NULL || !list_push(P->A, &t->items, term))
				return NULL;
			if (!tok_is(P, ","))
				break;
			advance(P, ",", false);
		}
		if (!advance(P, ")", false))
			return NULL;
		return t;
	}
	if (strcmp(op, "{") == 0)
	{
		t->type = N_BINARY;
		t->lhs = left;
		if (!parse_pairs(P, t))
			return NULL;
		if (!advance(P, "}", true))
			return NULL;
		return t;
	}
	if (strcmp(op, ":=") == 0)
	{
		if (left->type != N_VARIABLE)
		{
			perr(P, "S0212", left->pos, left->value, "The left side of := must be a variable name (start with $)");
			return NULL;
		}
		t->type = N_BINARY;
		t->lhs = left;
		t->rhs = expression(P, 9);
		return t->rhs ? t : NULL;
	}
	if (strcmp(op, "@") == 0 || strcmp(op, "#") == 0)
	{
		t->type = N_BINARY;
		t->lhs = left;
		t->rhs = expression(P, 80);
		if (t->rhs == NULL)
			return NULL;
		if (t->rhs->type != N_VARIABLE)
		{
			perr(P, "S0214", t->rhs->pos, op, "The right side of \"%s\" must be a variable name (start with $)", op);
			return NULL;
		}
		return t;
	}
	if (strcmp(op, "?") == 0)
	{
		t->type = N_CONDITION;
		t->cond = left;
		t->then = expression(P, 0);
		if (t->then == NULL)
			return NULL;
		if (tok_is(P, ":"))
		{
			advance(P, ":", false);
			t->els = expression(P, 0);
			if (t->els == NULL)
				return NULL;
		}
		return t;
	}
	/* plain infix operators */
	t->type = N_BINARY;
	t->lhs = left;
	t->rhs = expression(P, lbp_of_op(op));
	return t->rhs ? t : NULL;
}

/* An expression whose operators bind tighter than rbp. */
static jn_node *
expression(parser *P, int rbp)
{
	jn_node    *t,
			   *left;
	int			chain = 0;

	if (P->failed)
		return NULL;
	if (++P->depth > 400)
	{
		perr(P, "S0200", P->tpos, NULL, "The expression is nested too deeply");
		return NULL;
	}
	P->height++;
	t = token_node(P);
	if (t == NULL || !advance(P, NULL, true))
		return NULL;
	left = nud(P, t);
	while (left && !P->failed && rbp < lbp_of(P))
	{
		/*
		 * each operator applied here nests the tree one level deeper
		 * (a.b.c..., 1+1+1...): the rewrite and the evaluation recurse that
		 * deep
		 */
		chain++;
		if (++P->height > 2000)
		{
			perr(P, "S0200", P->tpos, NULL, "The expression is nested too deeply");
			return NULL;
		}
		t = token_node(P);
		if (t == NULL || !advance(P, NULL, false))
			return NULL;
		left = led(P, t, left);
	}
	P->depth--;
	P->height -= 1 + chain;
	return P->failed ? NULL : left;
}

/* ---------------- rewrite (the reference's processAST) ---------------- */

static jn_node *process(parser *P, jn_node *expr);

/* The last step of a path. */
static jn_node *
last_step(jn_node *path)
{
	return path->items.v[path->items.n - 1];
}

/* Carries the parent (%) slots that value still seeks up to result. */
static bool
push_ancestry(parser *P, jn_node *result, jn_node *value)
{
	if (value == NULL)
		return true;
	if (value->has_seeking || value->type == N_PARENT)
	{
		if (!result->has_seeking)
			result->has_seeking = true;
		for (int i = 0; i < value->seeking.n; i++)
			if (!slots_push(P->A, &result->seeking, value->seeking.v[i]))
				return false;
		if (value->type == N_PARENT && !slots_push(P->A, &result->seeking, value->slot))
			return false;
	}
	return true;
}

/*
 * Resolves a % parent reference against node, the step it climbs through
 * (jsonata-js's seekParent).
 */
static jn_slot *
seek_parent(parser *P, jn_node *node, jn_slot *slot)
{
	if (P->failed)
		return slot;
	switch (node->type)
	{
		case N_NAME:
		case N_WILDCARD:
			slot->level--;
			if (slot->level == 0)
			{
				if (node->ancestor == NULL)
					node->ancestor = slot;
				else
				{
					P->ancestry[slot->index]->slot->label = node->ancestor->label;
					node->ancestor = slot;
				}
				node->tuple = true;
			}
			break;
		case N_PARENT:
			slot->level++;
			break;
		case N_BLOCK:
			if (node->items.n > 0)
			{
				node->tuple = true;
				slot = seek_parent(P, node->items.v[node->items.n - 1], slot);
			}
			break;
		case N_PATH:
			{
				int			index = node->items.n - 1;

				node->tuple = true;
				slot = seek_parent(P, node->items.v[index--], slot);
				while (slot->level > 0 && index >= 0)
					slot = seek_parent(P, node->items.v[index--], slot);
				break;
			}
		default:
			perr(P, "S0217", node->pos, NULL, "The object representing the 'parent' cannot be derived from this expression");
			break;
	}
	return slot;
}

/*
 * Resolves the parent references the path's last step seeks against the
 * path's earlier steps.
 */
static void
resolve_ancestry(parser *P, jn_node *path)
{
	jn_node    *laststep = last_step(path);
	jn_slots	slots = {0};

	for (int i = 0; i < laststep->seeking.n; i++)
		slots_push(P->A, &slots, laststep->seeking.v[i]);
	if (laststep->type == N_PARENT)
		slots_push(P->A, &slots, laststep->slot);
	for (int is = 0; is < slots.n && !P->failed; is++)
	{
		jn_slot    *slot = slots.v[is];
		int			index = path->items.n - 2;

		while (slot->level > 0 && !P->failed)
		{
			jn_node    *step;

			if (index < 0)
			{
				path->has_seeking = true;
				slots_push(P->A, &path->seeking, slot);
				break;
			}
			step = path->items.v[index--];
			while (index >= 0 && step->focus && path->items.v[index]->focus)
				step = path->items.v[index--];
			slot = seek_parent(P, step, slot);
		}
	}
}

/*
 * Marks a function call in tail position as a thunk, so the evaluator runs
 * it in a loop instead of recursing.
 */
static jn_node *
tail_call_optimize(parser *P, jn_node *expr)
{
	if (expr->type == N_FUNCTION && expr->predicate.n == 0)
	{
		jn_node    *thunk = new_node(P, N_LAMBDA, expr->pos);

		if (thunk == NULL)
			return NULL;
		thunk->thunk = true;
		thunk->body = expr;
		return thunk;
	}
	if (expr->type == N_CONDITION)
	{
		expr->then = tail_call_optimize(P, expr->then);
		if (expr->els)
			expr->els = tail_call_optimize(P, expr->els);
		return expr;
	}
	if (expr->type == N_BLOCK && expr->items.n > 0)
	{
		expr->items.v[expr->items.n - 1] = tail_call_optimize(P, expr->items.v[expr->items.n - 1]);
		return expr;
	}
	return expr;
}

/* A path of one step. */
static jn_node *
to_path(parser *P, jn_node *step)
{
	jn_node    *path = new_node(P, N_PATH, step->pos);

	if (path && !list_push(P->A, &path->items, step))
		return NULL;
	return path;
}

/*
 * Rewrites a binary node: . into path steps, [ into predicates or stages, {
 * into group-by, @ and # into bindings, ^ into a sort step; others keep
 * their operands rewritten.
 */
static jn_node *
process_binary(parser *P, jn_node *expr)
{
	const char *op = expr->value;
	jn_node    *result,
			   *step;

	if (strcmp(op, ".") == 0)
	{
		jn_node    *lstep = process(P, expr->lhs),
				   *rest;

		if (lstep == NULL)
			return NULL;
		result = lstep->type == N_PATH ? lstep : to_path(P, lstep);
		if (result == NULL)
			return NULL;
		if (lstep->type == N_PARENT)
		{
			result->has_seeking = true;
			result->seeking.n = 0;
			slots_push(P->A, &result->seeking, lstep->slot);
		}
		rest = process(P, expr->rhs);
		if (rest == NULL)
			return NULL;
		if (rest->type == N_PATH)
		{
			for (int i = 0; i < rest->items.n; i++)
				list_push(P->A, &result->items, rest->items.v[i]);
		}
		else
		{
			if (rest->predicate.n)
			{
				rest->stages = rest->predicate;
				memset(&rest->predicate, 0, sizeof rest->predicate);
			}
			list_push(P->A, &result->items, rest);
		}
		for (int i = 0; i < result->items.n; i++)
		{
			jn_node    *s = result->items.v[i];

			if (s->type == N_NUMBER || s->type == N_VALUE)
			{
				perr(P, "S0213", s->pos, s->value, "The literal value %s cannot be used as a step within a path expression", s->value);
				return NULL;
			}
			if (s->type == N_STRING)
				s->type = N_NAME;
		}
		for (int i = 0; i < result->items.n; i++)
			if (result->items.v[i]->keep_array)
				result->keep_singleton = true;
		step = result->items.v[0];
		if (step->type == N_UNARY && strcmp(step->value, "[") == 0)
			step->consarray = true;
		step = last_step(result);
		if (step->type == N_UNARY && strcmp(step->value, "[") == 0)
			step->consarray = true;
		resolve_ancestry(P, result);
		return P->failed ? NULL : result;
	}
	if (strcmp(op, "[") == 0)
	{
		jn_node    *pred,
				   *filter;
		bool		stages = false;

		result = process(P, expr->lhs);
		if (result == NULL)
			return NULL;
		step = result;
		if (result->type == N_PATH)
		{
			step = last_step(result);
			stages = true;
		}
		if (step->group)
		{
			perr(P, "S0209", expr->pos, NULL, "A predicate cannot follow a grouping expression in a step");
			return NULL;
		}
		pred = process(P, expr->rhs);
		if (pred == NULL)
			return NULL;
		if (pred->has_seeking)
		{
			for (int i = 0; i < pred->seeking.n; i++)
			{
				jn_slot    *slot = pred->seeking.v[i];

				if (slot->level == 1)
					seek_parent(P, step, slot);
				else
					slot->level--;
			}
			push_ancestry(P, step, pred);
		}
		filter = new_node(P, N_FILTER, expr->pos);
		if (filter == NULL)
			return NULL;
		filter->expr = pred;
		list_push(P->A, stages ? &step->stages : &step->predicate, filter);
		return P->failed ? NULL : result;
	}
	if (strcmp(op, "{") == 0)
	{
		result = process(P, expr->lhs);
		if (result == NULL)
			return NULL;
		if (result->group)
		{
			perr(P, "S0210", expr->pos, NULL, "Each step can only have one grouping expression");
			return NULL;
		}
		result->group = jn_alloc(P->A, sizeof(jn_group));
		if (result->group == NULL)
			return NULL;
		result->group->pos = expr->pos;
		for (int i = 0; i < expr->keys.n; i++)
		{
			jn_node    *k = process(P, expr->keys.v[i]);
			jn_node    *v = process(P, expr->vals.v[i]);

			if (k == NULL || v == NULL)
				return NULL;
			list_push(P->A, &result->group->keys, k);
			list_push(P->A, &result->group->vals, v);
		}
		return result;
	}
	if (strcmp(op, "^") == 0)
	{
		jn_node    *sort;

		result = process(P, expr->lhs);
		if (result == NULL)
			return NULL;
		if (result->type != N_PATH && (result = to_path(P, result)) == NULL)
			return NULL;
		sort = new_node(P, N_SORT, expr->pos);
		if (sort == NULL)
			return NULL;
		for (int i = 0; i < expr->items.n; i++)
		{
			jn_node    *term = expr->items.v[i];

			term->expr = process(P, term->expr);
			if (term->expr == NULL)
				return NULL;
			push_ancestry(P, sort, term->expr);
			list_push(P->A, &sort->items, term);
		}
		list_push(P->A, &result->items, sort);
		resolve_ancestry(P, result);
		return P->failed ? NULL : result;
	}
	if (strcmp(op, ":=") == 0)
	{
		expr->type = N_BIND;
		expr->lhs = process(P, expr->lhs);
		expr->rhs = process(P, expr->rhs);
		if (expr->lhs == NULL || expr->rhs == NULL)
			return NULL;
		push_ancestry(P, expr, expr->rhs);
		return expr;
	}
	if (strcmp(op, "@") == 0)
	{
		result = process(P, expr->lhs);
		if (result == NULL)
			return NULL;
		step = result->type == N_PATH ? last_step(result) : result;
		if (step->stages.n || step->predicate.n)
		{
			perr(P, "S0215", expr->pos, NULL, "A context variable binding must precede any predicates on a step");
			return NULL;
		}
		if (step->type == N_SORT)
		{
			perr(P, "S0216", expr->pos, NULL, "A context variable binding must precede the 'order-by' clause on a step");
			return NULL;
		}
		if (expr->keep_array)
			step->keep_array = true;
		step->focus = expr->rhs->value;
		step->tuple = true;
		return result;
	}
	if (strcmp(op, "#") == 0)
	{
		result = process(P, expr->lhs);
		if (result == NULL)
			return NULL;
		step = result;
		if (result->type == N_PATH)
			step = last_step(result);
		else
		{
			if ((result = to_path(P, result)) == NULL)
				return NULL;
			if (step->predicate.n)
			{
				step->stages = step->predicate;
				memset(&step->predicate, 0, sizeof step->predicate);
			}
		}
		if (step->stages.n == 0)
			step->index = expr->rhs->value;
		else
		{
			jn_node    *ix = new_node(P, N_INDEX, expr->pos);

			if (ix == NULL)
				return NULL;
			ix->value = expr->rhs->value;
			list_push(P->A, &step->stages, ix);
		}
		step->tuple = true;
		return result;
	}
	if (strcmp(op, "~>") == 0)
	{
		expr->type = N_APPLY;
		expr->lhs = process(P, expr->lhs);
		expr->rhs = process(P, expr->rhs);
		if (expr->lhs == NULL || expr->rhs == NULL)
			return NULL;
		expr->keep_array = expr->lhs->keep_array || expr->rhs->keep_array;
		return expr;
	}
	expr->lhs = process(P, expr->lhs);
	expr->rhs = process(P, expr->rhs);
	if (expr->lhs == NULL || expr->rhs == NULL)
		return NULL;
	push_ancestry(P, expr, expr->lhs);
	push_ancestry(P, expr, expr->rhs);
	return expr;
}

/* process() over each node of l. */
static bool
process_list(parser *P, jn_node *owner, jn_list *l)
{
	for (int i = 0; i < l->n; i++)
	{
		l->v[i] = process(P, l->v[i]);
		if (l->v[i] == NULL)
			return false;
		push_ancestry(P, owner, l->v[i]);
	}
	return true;
}

/*
 * The rewrite from the parse tree to the tree the evaluator runs (jsonata-
 * js's processAST).
 */
static jn_node *
process(parser *P, jn_node *expr)
{
	jn_node    *result = expr;

	if (P->failed || expr == NULL)
		return NULL;
	switch (expr->type)
	{
		case N_BINARY:
			result = process_binary(P, expr);
			break;
		case N_UNARY:
			if (strcmp(expr->value, "[") == 0)
			{
				if (!process_list(P, expr, &expr->items))
					return NULL;
			}
			else if (strcmp(expr->value, "{") == 0)
			{
				for (int i = 0; i < expr->keys.n; i++)
				{
					expr->keys.v[i] = process(P, expr->keys.v[i]);
					if (expr->keys.v[i] == NULL)
						return NULL;
					push_ancestry(P, expr, expr->keys.v[i]);
					expr->vals.v[i] = process(P, expr->vals.v[i]);
					if (expr->vals.v[i] == NULL)
						return NULL;
					push_ancestry(P, expr, expr->vals.v[i]);
				}
			}
			else
			{
				expr->expr = process(P, expr->expr);
				if (expr->expr == NULL)
					return NULL;
				if (expr->expr->type == N_NUMBER)
				{
					result = expr->expr;
					result->lit = jv_num(P->A, -result->lit->u.n);
				}
				else
					push_ancestry(P, expr, expr->expr);
			}
			break;
		case N_FUNCTION:
		case N_PARTIAL:
			if (!process_list(P, expr, &expr->items))
				return NULL;
			expr->proc = process(P, expr->proc);
			break;
		case N_LAMBDA:
			{
				jn_node    *body = process(P, expr->body);

				if (body == NULL)
					return NULL;
				expr->body = tail_call_optimize(P, body);
				break;
			}
		case N_CONDITION:
			expr->cond = process(P, expr->cond);
			if (expr->cond == NULL)
				return NULL;
			push_ancestry(P, expr, expr->cond);
			expr->then = process(P, expr->then);
			if (expr->then == NULL)
				return NULL;
			push_ancestry(P, expr, expr->then);
			if (expr->els)
			{
				expr->els = process(P, expr->els);
				if (expr->els == NULL)
					return NULL;
				push_ancestry(P, expr, expr->els);
			}
			break;
		case N_TRANSFORM:
			expr->pattern = process(P, expr->pattern);
			expr->update = process(P, expr->update);
			if (expr->del)
				expr->del = process(P, expr->del);
			break;
		case N_BLOCK:
			for (int i = 0; i < expr->items.n; i++)
			{
				jn_node    *part = process(P, expr->items.v[i]);

				if (part == NULL)
					return NULL;
				expr->items.v[i] = part;
				push_ancestry(P, expr, part);
				if (part->consarray || (part->type == N_PATH && part->items.v[0]->consarray))
					expr->consarray = true;
			}
			break;
		case N_NAME:
			result = to_path(P, expr);
			if (result && expr->keep_array)
				result->keep_singleton = true;
			break;
		case N_PARENT:
			{
				jn_slot    *slot = jn_alloc(P->A, sizeof(jn_slot));
				char		label[24];

				if (slot == NULL)
					return NULL;
				snprintf(label, sizeof label, "!%d", P->ancestor_label++);
				slot->label = jn_strndup(P->A, label, strlen(label));
				slot->level = 1;
				slot->index = P->ancestor_index++;
				expr->slot = slot;
				if (!jn_grow(P->A, (void **) &P->ancestry, P->nancestry, &P->capancestry, sizeof(jn_node *)))
					return NULL;
				P->ancestry[P->nancestry++] = expr;
				break;
			}
		case N_STRING:
		case N_NUMBER:
		case N_VALUE:
		case N_WILDCARD:
		case N_DESCENDANT:
		case N_VARIABLE:
			break;
		case N_REGEX:
			{
				jn_liberr	lerr = {0};
				char		flags[3];
				int			nf = 0;
				jn_regex   *re;

				if (expr->re_icase)
					flags[nf++] = 'i';
				if (expr->re_multi)
					flags[nf++] = 'm';
				flags[nf] = '\0';
				re = jn_regex_compile(expr->re_src, strlen(expr->re_src), flags, &lerr);
				if (re == NULL)
				{
					perr(P, lerr.code ? lerr.code : "S0303", expr->pos, expr->re_src, "%s", lerr.message);
					return NULL;
				}
				if (P->e->nregex == P->e->capregex)
				{
					int			cap = P->e->capregex ? P->e->capregex * 2 : 4;
					void	  **v = realloc(P->e->regexes, (size_t) cap * sizeof(void *));

					if (v == NULL)
					{
						jn_regex_free(re);
						return NULL;
					}
					P->e->regexes = v;
					P->e->capregex = cap;
				}
				P->e->regexes[P->e->nregex++] = re;
				expr->re = re;
				break;
			}
		case N_OPERATOR:
			if (strcmp(expr->value, "and") == 0 || strcmp(expr->value, "or") == 0 || strcmp(expr->value, "in") == 0)
			{
				expr->type = N_NAME;
				result = process(P, expr);
			}
			else if (strcmp(expr->value, "?") != 0)
			{
				perr(P, "S0201", expr->pos, expr->value, "Syntax error: \"%s\"", expr->value);
				return NULL;
			}
			break;
		case N_END:
			perr(P, "S0207", expr->pos, NULL, "Unexpected end of expression");
			return NULL;
		default:
			perr(P, "S0206", expr->pos, expr->value, "Unknown expression type: \"%s\"", expr->value ? expr->value : "");
			return NULL;
	}
	if (P->failed || result == NULL)
		return NULL;
	if (expr->keep_array)
		result->keep_array = true;
	return result;
}

int
jn_error_position(const char *src, size_t len, const char *code, int start)
{
	parser		P = {0};
	jn_arena	A = {0};
	jn_error	scratch;
	size_t		end;

	if (start < 0)
		return -1;
	end = (size_t) start;
	if (end > len)
		end = len;
	if (strncmp(code, "S01", 3) == 0 || strncmp(code, "S04", 3) == 0)
		;						/* the lexer's own: where it stopped; a
								 * signature's: its offset */
	else if (end < len)
	{
		memset(&scratch, 0, sizeof scratch);
		P.A = &A;
		P.src = src;
		P.len = len;
		P.pos = end;
		P.err = &scratch;
		(void) lex(&P, true);
		end = P.pos > len ? len : P.pos;
		jn_arena_free(&A);
	}
	return (int) jn_text_utf16_index(src, end);
}

jn_node    *
jn_parse(jn_expr *e, const char *src, size_t len, jn_error *err)
{
	parser		P = {0};
	jn_node    *root;

	P.e = e;
	P.A = &e->arena;
	P.src = src;
	P.len = len;
	P.err = err;
	if (!advance(&P, NULL, false))
		return NULL;
	root = expression(&P, 0);
	if (root == NULL || P.failed)
		return NULL;
	if (P.tt != T_END)
	{
		perr(&P, "S0201", P.tpos, P.tv, "Syntax error: \"%.*s\"", (int) P.tlen, P.tv);
		return NULL;
	}
	root = process(&P, root);
	if (root == NULL || P.failed)
		return NULL;
	if (root->type == N_PARENT || root->has_seeking)
	{
		/* JSONata's path and parent nodes carry no position */
		perr(&P, "S0217", root->type == N_PATH || root->type == N_PARENT ? -1 : root->pos, NULL,
			 "The object representing the 'parent' cannot be derived from this expression");
		return NULL;
	}
	return root;
}
