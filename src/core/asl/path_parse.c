/*
 * path_parse.c — compiling JSONPath text (asl_path_compile).
 *
 * The text comes from users, so nesting (parentheses, '!', filters inside
 * filters) is bounded at compile time.
 */
#include "path_impl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lex.h"
#include "utf8.h"

typedef struct parser
{
	const char *text;
	size_t		pos;
	int			nesting;
	const char *error;			/* first error, a static message */
	size_t		error_at;
	bool		show_char;		/* append the offending character */
} parser;

static expr *parse_or(parser *p);
static bool parse_segments(parser *p, seglist *segs, bool in_filter);


/* ---- small helpers ---- */

/* Appends a copy of s; false when out of memory. */
static bool
seglist_push(seglist *list, const segment *s)
{
	if (list->count == list->capacity)
	{
		size_t		cap = list->capacity ? list->capacity * 2 : 4;
		segment    *items = realloc(list->items, cap * sizeof(segment));

		if (items == NULL)
			return false;
		list->items = items;
		list->capacity = cap;
	}
	list->items[list->count++] = *s;
	return true;
}

/* Only names and indexes: the path can match at most one node. */
static bool
seglist_definite(const seglist *list)
{
	size_t		i;

	for (i = 0; i < list->count; i++)
	{
		const segment *s = &list->items[i];

		if (s->deep || (s->kind != SEG_NAME && s->kind != SEG_INDEX))
			return false;
	}
	return true;
}

/* Variable names: letters, digits, underscore; non-ASCII counts as a letter. */
static bool
is_var_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
		(unsigned char) c >= 0x80;
}

static bool
is_var_char(char c)
{
	return is_var_start(c) || lex_is_digit(c);
}

/*
 * Dot names are permissive, as in AWS: anything but the path's own
 * punctuation, whitespace and control characters. Inside a filter they also
 * stop at operators, so "@.price<10" reads the name "price".
 */
static bool
is_name_char(char c, bool in_filter)
{
	if (c == '\0' || c == '.' || c == '[' || c == ']' || lex_is_space(c) ||
		(unsigned char) c < 0x20 || c == 0x7f)
		return false;
	if (in_filter && strchr("()<>=!&|,'\"", c) != NULL)
		return false;
	return true;
}

static char
peek(const parser *p)
{
	return p->text[p->pos];
}

static void
skip_space(parser *p)
{
	while (lex_is_space(p->text[p->pos]))
		p->pos++;
}

/* Whether the text at the current position starts with s. */
static bool
at(const parser *p, const char *s)
{
	return strncmp(p->text + p->pos, s, strlen(s)) == 0;
}

/* Records the first error only: later ones are consequences. */
static bool
fail(parser *p, size_t offset, const char *message)
{
	if (p->error == NULL)
	{
		p->error = message;
		p->error_at = offset;
		p->show_char = false;
	}
	return false;
}

/* Records an unexpected character (or end of path) at the current position. */
static bool
fail_char(parser *p)
{
	if (p->error == NULL)
	{
		if (peek(p) == '\0')
			return fail(p, p->pos, "unexpected end of path");
		fail(p, p->pos, "unexpected character");
		p->show_char = true;
	}
	return false;
}

/* Counts one more level of nesting; fails past MAX_NESTING. */
static bool
enter(parser *p)
{
	if (++p->nesting > MAX_NESTING)
		return fail(p, p->pos, "expression nested too deeply");
	return true;
}


/* ---- lexing: quoted names, integers, number literals ---- */

/* The four hex digits at at_offset of a \u escape. */
static bool
read_hex4(parser *p, size_t at_offset, unsigned *out)
{
	unsigned	v = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		int			h = lex_hex_value(p->text[at_offset + i]);

		if (h < 0)
			return fail(p, at_offset - 2, "invalid \\u escape");
		v = v * 16 + (unsigned) h;
	}
	*out = v;
	return true;
}

/*
 * The code point of the \uXXXX escape at p->pos (a surrogate pair's two
 * escapes joined), within the string ending at end; p->pos moves past the
 * second escape of a pair. \u0000 and unpaired surrogates are refused.
 */
static bool
read_unicode_escape(parser *p, size_t end, unsigned *cp)
{
	unsigned	low;

	if (p->pos + 6 > end || !read_hex4(p, p->pos + 2, cp))
		return fail(p, p->pos, "invalid \\u escape");
	if (*cp >= 0xDC00 && *cp <= 0xDFFF)
		return fail(p, p->pos, "unpaired surrogate in \\u escape");
	if (*cp >= 0xD800 && *cp <= 0xDBFF)
	{
		if (p->pos + 12 > end ||
			p->text[p->pos + 6] != '\\' || p->text[p->pos + 7] != 'u' ||
			!read_hex4(p, p->pos + 8, &low) ||
			low < 0xDC00 || low > 0xDFFF)
			return fail(p, p->pos, "unpaired surrogate in \\u escape");
		*cp = 0x10000 + ((*cp - 0xD800) << 10) + (low - 0xDC00);
		p->pos += 6;
	}
	if (*cp == 0)
		return fail(p, p->pos, "\\u0000 is not allowed");
	return true;
}

/*
 * A '...' or "..." string literal in a filter, with JSON's backslash escapes
 * (plus \'). The decoded text is never longer than the quoted one, which
 * sizes the buffer.
 */
/*
 * The offset of the quote that closes the string opening at p->pos (a
 * backslash keeps the character after it from closing it); false when the
 * text ends first.
 */
static bool
closing_quote(parser *p, size_t *end)
{
	char		quote = peek(p);
	size_t		i = p->pos + 1;

	while (p->text[i] != quote)
	{
		if (p->text[i] == '\0')
			return fail(p, i, "unterminated string");
		if (p->text[i] == '\\' && p->text[i + 1] != '\0')
			i++;
		i++;
	}
	*end = i;
	return true;
}

/*
 * A '...' or "..." string at p->pos into *out (malloc'd) with JSON's
 * escapes decoded; \u0000 and unpaired surrogates are refused.
 */
static bool
parse_quoted(parser *p, char **out)
{
	size_t		end;
	char	   *buf;
	size_t		len = 0;

	*out = NULL;
	/* find the closing quote first, to size the buffer */
	if (!closing_quote(p, &end))
		return false;
	buf = malloc(end - p->pos + 1);
	if (buf == NULL)
		return fail(p, p->pos, "out of memory");
	p->pos++;
	while (p->pos < end)
	{
		char		c = p->text[p->pos];
		unsigned	cp;

		if (c != '\\')
		{
			buf[len++] = c;
			p->pos++;
			continue;
		}
		c = p->text[p->pos + 1];
		switch (c)
		{
			case '\'':
			case '"':
			case '\\':
			case '/':
				buf[len++] = c;
				break;
			case 'b':
				buf[len++] = '\b';
				break;
			case 'f':
				buf[len++] = '\f';
				break;
			case 'n':
				buf[len++] = '\n';
				break;
			case 'r':
				buf[len++] = '\r';
				break;
			case 't':
				buf[len++] = '\t';
				break;
			case 'u':
				if (!read_unicode_escape(p, end, &cp))
				{
					free(buf);
					return false;
				}
				len += utf8_encode(buf + len, cp);
				p->pos += 4;
				break;
			default:
				free(buf);
				return fail(p, p->pos, "invalid escape");
		}
		p->pos += 2;
	}
	buf[len] = '\0';
	p->pos = end + 1;
	*out = buf;
	return true;
}

/*
 * A '...' or "..." name in brackets, as Jayway reads it for AWS: verbatim.
 * A backslash keeps the character after it from ending the name, and both
 * stay in it: $['a\"b'] names the key a\"b.
 */
static bool
parse_bracket_name(parser *p, char **out)
{
	size_t		start = p->pos + 1;
	size_t		end;

	*out = NULL;
	if (!closing_quote(p, &end))
		return false;
	*out = strndup(p->text + start, end - start);
	if (*out == NULL)
		return fail(p, p->pos, "out of memory");
	p->pos = end + 1;
	return true;
}

/* Digits to uint64; false when out of range. */
static bool
digits_to_uint64(const char *s, size_t len, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	for (i = 0; i < len; i++)
	{
		unsigned	d = (unsigned) (s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Digits (with an optional '-') to int64; false when out of range. */
static bool
digits_to_int64(const char *s, size_t len, int64_t *out)
{
	bool		negative = len > 0 && s[0] == '-';
	uint64_t	limit = negative ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	uint64_t	v = 0;
	size_t		i;

	for (i = negative ? 1 : 0; i < len; i++)
	{
		unsigned	d = (unsigned) (s[i] - '0');

		if (v > (limit - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (negative)
		*out = v == (uint64_t) INT64_MAX + 1 ? INT64_MIN : -(int64_t) v;
	else
		*out = (int64_t) v;
	return true;
}

/* An integer index: '-'? digits, within int64. */
static bool
parse_int(parser *p, int64_t *out)
{
	size_t		start = p->pos;

	if (peek(p) == '-')
		p->pos++;
	if (!lex_is_digit(peek(p)))
		return fail_char(p);
	while (lex_is_digit(peek(p)))
		p->pos++;
	if (!digits_to_int64(p->text + start, p->pos - start, out))
		return fail(p, start, "number out of range");
	return true;
}

/*
 * A JSON number literal in a filter. Integers that fit stay integers, so
 * comparisons with integer members are exact.
 */
static bool
parse_number(parser *p, json_object **out)
{
	size_t		start = p->pos;
	bool		integral = true;
	char	   *copy;
	char	   *end;
	int64_t		iv;
	uint64_t	uv;

	if (peek(p) == '-')
		p->pos++;
	if (!lex_is_digit(peek(p)))
		return fail_char(p);
	while (lex_is_digit(peek(p)))
		p->pos++;
	if (peek(p) == '.')
	{
		integral = false;
		p->pos++;
		if (!lex_is_digit(peek(p)))
			return fail_char(p);
		while (lex_is_digit(peek(p)))
			p->pos++;
	}
	if (peek(p) == 'e' || peek(p) == 'E')
	{
		integral = false;
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!lex_is_digit(peek(p)))
			return fail_char(p);
		while (lex_is_digit(peek(p)))
			p->pos++;
	}
	/* integers stay exact as far as json-c can hold them, then become doubles */
	if (integral && digits_to_int64(p->text + start, p->pos - start, &iv))
	{
		*out = json_object_new_int64(iv);
		return *out != NULL || fail(p, start, "out of memory");
	}
	if (integral && p->text[start] != '-' &&
		digits_to_uint64(p->text + start, p->pos - start, &uv))
	{
		*out = json_object_new_uint64(uv);
		return *out != NULL || fail(p, start, "out of memory");
	}
	copy = strndup(p->text + start, p->pos - start);
	if (copy == NULL)
		return fail(p, start, "out of memory");
	*out = json_object_new_double(strtod(copy, &end));
	free(copy);
	return *out != NULL || fail(p, start, "out of memory");
}


/* ---- parsing: segments ---- */

/* After "." or "..": a name or "*". */
static bool
parse_dot(parser *p, segment *seg, bool in_filter)
{
	size_t		start = p->pos;

	if (peek(p) == '*')
	{
		p->pos++;
		if (is_name_char(peek(p), in_filter))
			return fail_char(p);
		seg->kind = SEG_WILDCARD;
		return true;
	}
	while (is_name_char(peek(p), in_filter))
		p->pos++;
	if (p->pos == start)
		return fail(p, p->pos, seg->deep ? "expected a name, '*' or '[' after '..'"
					: "expected a name or '*' after '.'");
	seg->kind = SEG_NAME;
	seg->name = strndup(p->text + start, p->pos - start);
	return seg->name != NULL || fail(p, start, "out of memory");
}

/* ['a'] or ['a', "b", ...] */
static bool
parse_bracket_names(parser *p, segment *seg)
{
	size_t		cap = 0;
	char	   *name;

	seg->kind = SEG_NAMES;
	for (;;)
	{
		if (seg->count == cap)
		{
			size_t		ncap = cap ? cap * 2 : 2;
			char	  **names = realloc(seg->names, ncap * sizeof(char *));

			if (names == NULL)
				return fail(p, p->pos, "out of memory");
			seg->names = names;
			cap = ncap;
		}
		if (!parse_bracket_name(p, &name))
			return false;
		seg->names[seg->count++] = name;
		skip_space(p);
		if (peek(p) != ',')
			break;
		p->pos++;
		skip_space(p);
		if (peek(p) == '-' || lex_is_digit(peek(p)))
			return fail(p, p->pos, "a union cannot mix names and indexes");
		if (peek(p) == '\0')
			return fail(p, p->pos, "unterminated bracket");
		if (peek(p) != '\'' && peek(p) != '"')
			return fail(p, p->pos, "expected a quoted name");
	}
	if (seg->count == 1)
	{
		seg->kind = SEG_NAME;
		seg->name = seg->names[0];
		free(seg->names);
		seg->names = NULL;
		seg->count = 0;
	}
	return true;
}

/* Optional integer of a slice: present unless the next thing is ':' or ']'. */
static bool
parse_slice_part(parser *p, bool *has, int64_t *value)
{
	skip_space(p);
	*has = peek(p) == '-' || lex_is_digit(peek(p));
	return !*has || parse_int(p, value);
}

/* [n], [a:b:c], [n, m, ...] */
static bool
parse_bracket_numbers(parser *p, segment *seg)
{
	bool		has_first;
	bool		has_step;
	int64_t		first = 0;
	size_t		cap = 0;

	if (!parse_slice_part(p, &has_first, &first))
		return false;
	skip_space(p);
	if (peek(p) == ':')
	{
		seg->kind = SEG_SLICE;
		seg->has_from = has_first;
		seg->from = first;
		seg->step = 1;
		p->pos++;
		if (!parse_slice_part(p, &seg->has_to, &seg->to))
			return false;
		skip_space(p);
		if (peek(p) == ':')
		{
			size_t		step_at;

			p->pos++;
			skip_space(p);
			step_at = p->pos;
			if (!parse_slice_part(p, &has_step, &seg->step))
				return false;
			if (!has_step)
				seg->step = 1;
			else if (seg->step == 0)
				return fail(p, step_at, "slice step cannot be zero");
		}
		return true;
	}
	if (!has_first)
		return fail_char(p);
	if (peek(p) != ',')
	{
		seg->kind = SEG_INDEX;
		seg->index = first;
		return true;
	}
	seg->kind = SEG_INDEXES;
	for (;;)
	{
		if (seg->count == cap)
		{
			size_t		ncap = cap ? cap * 2 : 2;
			int64_t    *indexes = realloc(seg->indexes, ncap * sizeof(int64_t));

			if (indexes == NULL)
				return fail(p, p->pos, "out of memory");
			seg->indexes = indexes;
			cap = ncap;
		}
		seg->indexes[seg->count++] = first;
		skip_space(p);
		if (peek(p) != ',')
			return true;
		p->pos++;
		skip_space(p);
		if (peek(p) == '\'' || peek(p) == '"')
			return fail(p, p->pos, "a union cannot mix names and indexes");
		if (peek(p) == '\0')
			return fail(p, p->pos, "unterminated bracket");
		if (!parse_int(p, &first))
			return false;
	}
}

/* A [...] segment: names, indexes, a slice, a wildcard or a filter. */
static bool
parse_bracket(parser *p, segment *seg)
{
	char		c;

	p->pos++;					/* '[' */
	skip_space(p);
	c = peek(p);
	if (c == '\0')
		return fail(p, p->pos, "unterminated bracket");
	if (c == '?')
	{
		p->pos++;
		if (!enter(p))
			return false;
		seg->kind = SEG_FILTER;
		seg->filter = parse_or(p);
		if (seg->filter == NULL)
			return false;
		p->nesting--;
	}
	else if (c == '*')
	{
		p->pos++;
		seg->kind = SEG_WILDCARD;
	}
	else if (c == '\'' || c == '"')
	{
		if (!parse_bracket_names(p, seg))
			return false;
	}
	else if (c == '-' || c == ':' || lex_is_digit(c))
	{
		if (!parse_bracket_numbers(p, seg))
			return false;
	}
	else if (c == ']')
		return fail(p, p->pos, "empty brackets");
	else
		return fail_char(p);
	skip_space(p);
	if (peek(p) == '\0')
		return fail(p, p->pos, "unterminated bracket");
	if (peek(p) != ']')
		return fail(p, p->pos, "expected ']'");
	p->pos++;
	return true;
}

/* Segments until something that cannot continue a path. */
static bool
parse_segments(parser *p, seglist *segs, bool in_filter)
{
	segment		seg;
	bool		ok;

	for (;;)
	{
		memset(&seg, 0, sizeof(seg));
		seg.start = p->pos;
		if (peek(p) == '.' && p->text[p->pos + 1] == '.')
		{
			seg.deep = true;
			p->pos += 2;
			ok = peek(p) == '[' ? parse_bracket(p, &seg) : parse_dot(p, &seg, in_filter);
		}
		else if (peek(p) == '.')
		{
			/* Jayway accepts ".[" as "[" */
			p->pos++;
			ok = peek(p) == '[' ? parse_bracket(p, &seg) : parse_dot(p, &seg, in_filter);
		}
		else if (peek(p) == '[')
			ok = parse_bracket(p, &seg);
		else
			return true;
		if (ok && !seglist_push(segs, &seg))
			ok = fail(p, seg.start, "out of memory");
		if (!ok)
		{
			segment_free(&seg);
			return false;
		}
	}
}


/* ---- parsing: filter expressions ---- */

/*
 * A new filter node of kind; NULL (and the parse failed) when out of
 * memory.
 */
static expr *
expr_new(parser *p, expr_kind kind)
{
	expr	   *e = calloc(1, sizeof(expr));

	if (e == NULL)
		fail(p, p->pos, "out of memory");
	else
		e->kind = kind;
	return e;
}

/* Takes child, even on failure. */
static bool
expr_add(parser *p, expr *e, expr *child)
{
	if (e->count == e->capacity)
	{
		size_t		cap = e->capacity ? e->capacity * 2 : 2;
		expr	  **children = realloc(e->children, cap * sizeof(expr *));

		if (children == NULL)
		{
			expr_free(child);
			return fail(p, p->pos, "out of memory");
		}
		e->children = children;
		e->capacity = cap;
	}
	e->children[e->count++] = child;
	return true;
}

/* Whether word stands at the current position as a whole word. */
static bool
keyword(const parser *p, const char *word)
{
	size_t		n = strlen(word);

	return strncmp(p->text + p->pos, word, n) == 0 && !is_var_char(p->text[p->pos + n]);
}

/*
 * A filter operand: a path from @ or $, a string, number, true, false or
 * null.
 */
static bool
parse_operand(parser *p, operand *o)
{
	char		c;
	char	   *s;

	skip_space(p);
	c = peek(p);
	if (c == '@' || c == '$')
	{
		p->pos++;
		if (c == '$' && (peek(p) == '$' || is_var_start(peek(p))))
			return fail(p, p->pos - 1, "only @ and $ paths may appear in a filter");
		o->kind = c == '@' ? OPD_CURRENT : OPD_ROOT;
		if (!parse_segments(p, &o->path, true))
			return false;
		o->definite = seglist_definite(&o->path);
		return true;
	}
	o->kind = OPD_LITERAL;
	if (c == '\'' || c == '"')
	{
		if (!parse_quoted(p, &s))
			return false;
		o->literal = json_object_new_string(s);
		free(s);
		return o->literal != NULL || fail(p, p->pos, "out of memory");
	}
	if (c == '-' || lex_is_digit(c))
		return parse_number(p, &o->literal);
	if (keyword(p, "true") || keyword(p, "false"))
	{
		o->literal = json_object_new_boolean(c == 't');
		p->pos += c == 't' ? 4 : 5;
		return o->literal != NULL || fail(p, p->pos, "out of memory");
	}
	if (keyword(p, "null"))
	{
		p->pos += 4;
		return true;
	}
	if (c == '\0')
		return fail(p, p->pos, "unterminated filter");
	if (c == ']' || c == ')')
		return fail(p, p->pos, "expected a value");
	return fail_char(p);
}

/* A comparison operator (==, !=, <, <=, >, >=) into *op. */
static bool
parse_cmp_op(parser *p, cmp_op *op)
{
	static const struct
	{
		const char *text;
		cmp_op		op;
	}			ops[] = {
		{"==", CMP_EQ}, {"!=", CMP_NE}, {"<=", CMP_LE}, {">=", CMP_GE},
		{"<", CMP_LT}, {">", CMP_GT}
	};
	size_t		i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
	{
		if (at(p, ops[i].text))
		{
			p->pos += strlen(ops[i].text);
			*op = ops[i].op;
			return true;
		}
	}
	return false;
}

/* A comparison, or an existence test when a path stands alone. */
static expr *
parse_comparison(parser *p)
{
	expr	   *e = expr_new(p, EXPR_EXISTS);

	if (e == NULL)
		return NULL;
	if (!parse_operand(p, &e->left))
	{
		expr_free(e);
		return NULL;
	}
	skip_space(p);
	if (!parse_cmp_op(p, &e->op))
	{
		if (peek(p) == '=' && p->text[p->pos + 1] != '=')
			fail(p, p->pos, "use '==' to compare");
		else if (e->left.kind == OPD_LITERAL)
			fail(p, p->pos, "expected a comparison operator after a literal");
		else
			return e;
		expr_free(e);
		return NULL;
	}
	e->kind = EXPR_COMPARE;
	if (!parse_operand(p, &e->right))
	{
		expr_free(e);
		return NULL;
	}
	return e;
}

/*
 * A negation, a parenthesized expression, or a comparison or existence
 * test.
 */
static expr *
parse_unary(parser *p)
{
	expr	   *e;
	expr	   *inner;

	skip_space(p);
	if (peek(p) == '!' && p->text[p->pos + 1] != '=')
	{
		p->pos++;
		if (!enter(p))
			return NULL;
		inner = parse_unary(p);
		if (inner == NULL)
			return NULL;
		p->nesting--;
		e = expr_new(p, EXPR_NOT);
		if (e == NULL)
		{
			expr_free(inner);
			return NULL;
		}
		if (!expr_add(p, e, inner))
		{
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (peek(p) == '(')
	{
		p->pos++;
		if (!enter(p))
			return NULL;
		e = parse_or(p);
		if (e == NULL)
			return NULL;
		skip_space(p);
		if (peek(p) != ')')
		{
			fail(p, p->pos, peek(p) == '\0' ? "unterminated parenthesis" : "expected ')'");
			expr_free(e);
			return NULL;
		}
		p->pos++;
		p->nesting--;
		return e;
	}
	return parse_comparison(p);
}

/* a && b && ... or a || b || ..., kept n-ary. */
static expr *
parse_chain(parser *p, bool is_or)
{
	const char *op = is_or ? "||" : "&&";
	expr	   *first;
	expr	   *e;
	expr	   *next;

	first = is_or ? parse_chain(p, false) : parse_unary(p);
	if (first == NULL)
		return NULL;
	skip_space(p);
	if (!at(p, op))
		return first;
	e = expr_new(p, is_or ? EXPR_OR : EXPR_AND);
	if (e == NULL)
	{
		expr_free(first);
		return NULL;
	}
	if (!expr_add(p, e, first))
	{
		expr_free(e);
		return NULL;
	}
	while (at(p, op))
	{
		p->pos += 2;
		next = is_or ? parse_chain(p, false) : parse_unary(p);
		if (next == NULL || !expr_add(p, e, next))
		{
			expr_free(e);
			return NULL;
		}
		skip_space(p);
	}
	return e;
}

/* A filter expression: operands joined by || and &&. */
static expr *
parse_or(parser *p)
{
	return parse_chain(p, true);
}


/* ---- compiling ---- */

/*
 * The error message for the parse's first error, quoting the path and,
 * where useful, the offending character (malloc'd).
 */
static char *
format_error(const char *text, const parser *p)
{
	char	   *msg = NULL;
	unsigned char c = (unsigned char) text[p->error_at];
	int			rc;

	if (p->show_char && c >= 0x20 && c < 0x7f)
		rc = asprintf(&msg, "invalid JSONPath '%s': %s '%c' at offset %zu",
					  text, p->error, c, p->error_at);
	else if (p->show_char)
		rc = asprintf(&msg, "invalid JSONPath '%s': %s (byte 0x%02x) at offset %zu",
					  text, p->error, c, p->error_at);
	else
		rc = asprintf(&msg, "invalid JSONPath '%s': %s at offset %zu",
					  text, p->error, p->error_at);
	return rc < 0 ? strdup("invalid JSONPath") : msg;
}

/* The first segment a reference path may not have, or NULL. */
const segment *
asl_path_first_non_reference(const seglist *segs)
{
	size_t		i;

	for (i = 0; i < segs->count; i++)
	{
		const segment *s = &segs->items[i];

		if (s->deep || !(s->kind == SEG_NAME || (s->kind == SEG_INDEX && s->index >= 0)))
			return s;
	}
	return NULL;
}

/*
 * The path's root: $, $$ (the context) or $name (a variable), then its
 * segments.
 */
static bool
parse_root(parser *p, asl_path *path)
{
	size_t		start;

	if (peek(p) == '\0')
		return fail(p, 0, "a path must not be empty");
	if (peek(p) != '$')
		return fail(p, 0, "a path must start with '$'");
	p->pos++;
	path->root = ASL_ROOT_INPUT;
	if (peek(p) == '$')
	{
		p->pos++;
		path->root = ASL_ROOT_CONTEXT;
	}
	else if (is_var_start(peek(p)))
	{
		start = p->pos;
		while (is_var_char(peek(p)))
			p->pos++;
		path->root = ASL_ROOT_VARIABLE;
		path->variable = strndup(p->text + start, p->pos - start);
		if (path->variable == NULL)
			return fail(p, start, "out of memory");
	}
	return true;
}

asl_path   *
asl_path_compile(const char *text, asl_path_flavor flavor, char **error)
{
	parser		p;
	asl_path   *path;
	const segment *bad;
	char	   *msg = NULL;

	if (error)
		*error = NULL;
	if (text == NULL)
	{
		if (error)
			*error = strdup("invalid JSONPath: no text");
		return NULL;
	}
	path = calloc(1, sizeof(asl_path));
	if (path == NULL || (path->text = strdup(text)) == NULL)
	{
		free(path);
		if (error)
			*error = strdup("out of memory");
		return NULL;
	}
	memset(&p, 0, sizeof(p));
	p.text = text;
	if (parse_root(&p, path) && parse_segments(&p, &path->segments, false) &&
		peek(&p) != '\0')
		fail_char(&p);
	if (p.error == NULL && flavor == ASL_PATH_REFERENCE &&
		(bad = asl_path_first_non_reference(&path->segments)) != NULL)
	{
		size_t		end = bad + 1 < path->segments.items + path->segments.count ?
		bad[1].start : strlen(text);

		if (asprintf(&msg, "invalid JSONPath '%s': reference paths must identify a single node, not '%.*s' at offset %zu",
					 text, (int) (end - bad->start), text + bad->start, bad->start) < 0)
			msg = strdup("invalid JSONPath: reference paths must identify a single node");
	}
	else if (p.error != NULL)
		msg = format_error(text, &p);
	if (p.error != NULL || msg != NULL)
	{
		if (error)
			*error = msg;
		else
			free(msg);
		asl_path_free(path);
		return NULL;
	}
	path->definite = seglist_definite(&path->segments);
	return path;
}
