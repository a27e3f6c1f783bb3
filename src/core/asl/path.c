/*
 * path.c — JSONPath as Step Functions evaluates it (Jayway semantics), and
 * ResultPath assignment.
 *
 * A path compiles to a list of segments; a filter compiles to a small
 * expression tree whose operands are literals or paths relative to "@" or
 * "$". Evaluation carries a list of borrowed node pointers from segment to
 * segment; json-c spells JSON null as the NULL pointer, so a list may hold
 * NULLs and "no match" is told apart by the list being empty.
 *
 * The text comes from users and the documents from workflows, so every
 * recursion is bounded: nesting in the text at compile time, document depth
 * and total work at evaluation time. Compiled paths are read-only and may be
 * shared between concurrent evaluations.
 */
#include "path.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare_op.h"
#include "strbuf.h"

/* Parentheses, '!' and filters inside filters, in the text. */
#define MAX_NESTING		64
/* Document levels a deep scan, a filter or a cycle check may descend. */
#define MAX_DEPTH		1000
/* Nodes one segment may produce, and nodes one evaluation may visit. */
#define MAX_MATCHES		((size_t) 1 << 22)
#define MAX_VISITS		((long) 1 << 24)

typedef struct expr expr;

typedef enum seg_kind
{
	SEG_NAME,					/* .name, ['name'] */
	SEG_INDEX,					/* [n], [-n] */
	SEG_WILDCARD,				/* .*, [*] */
	SEG_SLICE,					/* [from:to:step] */
	SEG_NAMES,					/* ['a','b'] */
	SEG_INDEXES,				/* [0,2] */
	SEG_FILTER					/* [?(...)] */
} seg_kind;

typedef struct segment
{
	seg_kind	kind;
	bool		deep;			/* preceded by ".." */
	size_t		start;			/* offset of the segment in the text */
	char	   *name;			/* SEG_NAME */
	int64_t		index;			/* SEG_INDEX */
	bool		has_from;		/* SEG_SLICE */
	bool		has_to;
	int64_t		from;
	int64_t		to;
	int64_t		step;
	size_t		count;			/* SEG_NAMES, SEG_INDEXES */
	char	  **names;
	int64_t    *indexes;
	expr	   *filter;			/* SEG_FILTER */
} segment;

typedef struct seglist
{
	segment    *items;
	size_t		count;
	size_t		capacity;
} seglist;

typedef enum operand_kind
{
	OPD_LITERAL,
	OPD_CURRENT,				/* @... */
	OPD_ROOT					/* $... */
} operand_kind;

typedef struct operand
{
	operand_kind kind;
	json_object *literal;		/* OPD_LITERAL; NULL is the null literal */
	seglist		path;			/* OPD_CURRENT, OPD_ROOT */
	bool		definite;
} operand;

typedef enum expr_kind
{
	EXPR_OR,
	EXPR_AND,
	EXPR_NOT,
	EXPR_EXISTS,
	EXPR_COMPARE
} expr_kind;

struct expr
{
	expr_kind	kind;
	expr	  **children;		/* OR, AND (n-ary, so long chains do not recurse), NOT */
	size_t		count;
	size_t		capacity;
	cmp_op		op;
	operand		left;			/* EXISTS, COMPARE */
	operand		right;			/* COMPARE */
};

struct asl_path
{
	char	   *text;
	asl_path_root root;
	char	   *variable;
	seglist		segments;
	bool		definite;
};

typedef struct parser
{
	const char *text;
	size_t		pos;
	int			nesting;
	const char *error;			/* first error, a static message */
	size_t		error_at;
	bool		show_char;		/* append the offending character */
} parser;

typedef struct nodes
{
	json_object **items;
	size_t		count;
	size_t		capacity;
} nodes;

typedef struct evaluator
{
	json_object *root;			/* what "$" means inside filters */
	int			depth;
	long		visits;
	bool		failed;			/* a limit was hit or memory ran out */
} evaluator;

static void seglist_free(seglist *list);
static expr *parse_or(parser *p);
static bool parse_segments(parser *p, seglist *segs, bool in_filter);
static bool test(evaluator *ev, const expr *e, json_object *node);
static bool eval_segments(evaluator *ev, const seglist *segs, json_object *start, nodes *out);


/* ---- freeing ---- */

static void
operand_free(operand *o)
{
	json_object_put(o->literal);
	seglist_free(&o->path);
}

static void
expr_free(expr *e)
{
	size_t		i;

	if (e == NULL)
		return;
	for (i = 0; i < e->count; i++)
		expr_free(e->children[i]);
	free(e->children);
	operand_free(&e->left);
	operand_free(&e->right);
	free(e);
}

static void
segment_free(segment *s)
{
	size_t		i;

	free(s->name);
	if (s->names)
	{
		for (i = 0; i < s->count; i++)
			free(s->names[i]);
		free(s->names);
	}
	free(s->indexes);
	expr_free(s->filter);
}

static void
seglist_free(seglist *list)
{
	size_t		i;

	for (i = 0; i < list->count; i++)
		segment_free(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->count = list->capacity = 0;
}

void
asl_path_free(asl_path *path)
{
	if (path == NULL)
		return;
	free(path->text);
	free(path->variable);
	seglist_free(&path->segments);
	free(path);
}


/* ---- small helpers ---- */

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

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
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
	return is_var_start(c) || is_digit(c);
}

/*
 * Dot names are permissive, as in AWS: anything but the path's own
 * punctuation, whitespace and control characters. Inside a filter they also
 * stop at operators, so "@.price<10" reads the name "price".
 */
static bool
is_name_char(char c, bool in_filter)
{
	if (c == '\0' || c == '.' || c == '[' || c == ']' || is_space(c) ||
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
	while (is_space(p->text[p->pos]))
		p->pos++;
}

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

static bool
enter(parser *p)
{
	if (++p->nesting > MAX_NESTING)
		return fail(p, p->pos, "expression nested too deeply");
	return true;
}


/* ---- lexing: quoted names, integers, number literals ---- */

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
read_hex4(parser *p, size_t at_offset, unsigned *out)
{
	unsigned	v = 0;
	int			i;

	for (i = 0; i < 4; i++)
	{
		int			h = hex_value(p->text[at_offset + i]);

		if (h < 0)
			return fail(p, at_offset - 2, "invalid \\u escape");
		v = v * 16 + (unsigned) h;
	}
	*out = v;
	return true;
}

static size_t
put_utf8(char *dst, unsigned cp)
{
	if (cp < 0x80)
	{
		dst[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		dst[0] = (char) (0xC0 | (cp >> 6));
		dst[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		dst[0] = (char) (0xE0 | (cp >> 12));
		dst[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		dst[2] = (char) (0x80 | (cp & 0x3F));
		return 3;
	}
	dst[0] = (char) (0xF0 | (cp >> 18));
	dst[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	dst[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	dst[3] = (char) (0x80 | (cp & 0x3F));
	return 4;
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
		unsigned	low;

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
				if (p->pos + 6 > end || !read_hex4(p, p->pos + 2, &cp))
				{
					free(buf);
					return fail(p, p->pos, "invalid \\u escape");
				}
				if (cp >= 0xDC00 && cp <= 0xDFFF)
				{
					free(buf);
					return fail(p, p->pos, "unpaired surrogate in \\u escape");
				}
				if (cp >= 0xD800 && cp <= 0xDBFF)
				{
					if (p->pos + 12 > end ||
						p->text[p->pos + 6] != '\\' || p->text[p->pos + 7] != 'u' ||
						!read_hex4(p, p->pos + 8, &low) ||
						low < 0xDC00 || low > 0xDFFF)
					{
						free(buf);
						return fail(p, p->pos, "unpaired surrogate in \\u escape");
					}
					cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
					p->pos += 6;
				}
				if (cp == 0)
				{
					free(buf);
					return fail(p, p->pos, "\\u0000 is not allowed");
				}
				len += put_utf8(buf + len, cp);
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
	if (!is_digit(peek(p)))
		return fail_char(p);
	while (is_digit(peek(p)))
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
	if (!is_digit(peek(p)))
		return fail_char(p);
	while (is_digit(peek(p)))
		p->pos++;
	if (peek(p) == '.')
	{
		integral = false;
		p->pos++;
		if (!is_digit(peek(p)))
			return fail_char(p);
		while (is_digit(peek(p)))
			p->pos++;
	}
	if (peek(p) == 'e' || peek(p) == 'E')
	{
		integral = false;
		p->pos++;
		if (peek(p) == '+' || peek(p) == '-')
			p->pos++;
		if (!is_digit(peek(p)))
			return fail_char(p);
		while (is_digit(peek(p)))
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
		if (peek(p) == '-' || is_digit(peek(p)))
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
	*has = peek(p) == '-' || is_digit(peek(p));
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
	else if (c == '-' || c == ':' || is_digit(c))
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

static bool
keyword(const parser *p, const char *word)
{
	size_t		n = strlen(word);

	return strncmp(p->text + p->pos, word, n) == 0 && !is_var_char(p->text[p->pos + n]);
}

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
	if (c == '-' || is_digit(c))
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

static expr *
parse_or(parser *p)
{
	return parse_chain(p, true);
}


/* ---- compiling ---- */

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
static const segment *
first_non_reference(const seglist *segs)
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

asl_path *
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
		(bad = first_non_reference(&path->segments)) != NULL)
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

const char *
asl_path_text(const asl_path *path)
{
	return path ? path->text : NULL;
}

static void
add_str(asl_strbuf *b, const char *s)
{
	asl_strbuf_add(b, s, strlen(s));
}

static void
add_int(asl_strbuf *b, int64_t n)
{
	char		buf[24];

	snprintf(buf, sizeof buf, "%lld", (long long) n);
	add_str(b, buf);
}

/* The first n segments of path in Jayway's bracket notation (asl_path_normalized). */
static char *
normalized_prefix(const asl_path *path, size_t n)
{
	asl_strbuf	b = {0};

	if (path == NULL)
		return NULL;
	if (path->root == ASL_ROOT_CONTEXT)
		add_str(&b, "$$");
	else
	{
		add_str(&b, "$");
		if (path->root == ASL_ROOT_VARIABLE && path->variable)
			add_str(&b, path->variable);
	}
	for (size_t i = 0; i < n && i < path->segments.count; i++)
	{
		const segment *sg = &path->segments.items[i];

		if (sg->deep)
			add_str(&b, "..");
		switch (sg->kind)
		{
			case SEG_NAME:
				add_str(&b, "['");
				add_str(&b, sg->name);
				add_str(&b, "']");
				break;
			case SEG_INDEX:
				add_str(&b, "[");
				add_int(&b, sg->index);
				add_str(&b, "]");
				break;
			case SEG_WILDCARD:
				add_str(&b, "[*]");
				break;
			case SEG_SLICE:
				add_str(&b, "[");
				if (sg->has_from)
					add_int(&b, sg->from);
				add_str(&b, ":");
				if (sg->has_to)
					add_int(&b, sg->to);
				add_str(&b, "]");
				break;
			case SEG_NAMES:
				add_str(&b, "[");
				for (size_t j = 0; j < sg->count; j++)
				{
					add_str(&b, j ? ",'" : "'");
					add_str(&b, sg->names[j]);
					add_str(&b, "'");
				}
				add_str(&b, "]");
				break;
			case SEG_INDEXES:
				add_str(&b, "[");
				for (size_t j = 0; j < sg->count; j++)
				{
					if (j)
						add_str(&b, ",");
					add_int(&b, sg->indexes[j]);
				}
				add_str(&b, "]");
				break;
			case SEG_FILTER:
				add_str(&b, "[?]");
				break;
		}
	}
	asl_strbuf_add(&b, "", 0);
	if (b.oom)
	{
		free(b.data);
		return NULL;
	}
	return b.data;
}

char *
asl_path_normalized(const asl_path *path)
{
	return path ? normalized_prefix(path, path->segments.count) : NULL;
}

char *
asl_path_missing_property(const asl_path *path, const asl_scope *scope)
{
	json_object *node;

	if (path == NULL || scope == NULL || path->root == ASL_ROOT_VARIABLE)
		return NULL;
	node = path->root == ASL_ROOT_INPUT ? scope->input : scope->context;
	/* the last segment missing is "No results", not this */
	for (size_t i = 0; i + 1 < path->segments.count; i++)
	{
		const segment *sg = &path->segments.items[i];
		json_object *next;

		if (sg->deep || (sg->kind != SEG_NAME && sg->kind != SEG_INDEX))
			return NULL;
		if (sg->kind == SEG_INDEX)
		{
			int64_t		len;

			if (!json_object_is_type(node, json_type_array))
				return NULL;
			len = (int64_t) json_object_array_length(node);
			if (sg->index >= len || sg->index < -len)
				return NULL;
			node = json_object_array_get_idx(node, (size_t) (sg->index < 0 ? len + sg->index : sg->index));
			continue;
		}
		if (!json_object_is_type(node, json_type_object))
			return NULL;
		if (!json_object_object_get_ex(node, sg->name, &next))
			return normalized_prefix(path, i + 1);
		node = next;
	}
	return NULL;
}

asl_path_root
asl_path_root_kind(const asl_path *path)
{
	return path ? path->root : ASL_ROOT_INPUT;
}

const char *
asl_path_variable(const asl_path *path)
{
	return path && path->root == ASL_ROOT_VARIABLE ? path->variable : NULL;
}

bool
asl_path_is_root(const asl_path *path)
{
	return path != NULL && path->segments.count == 0;
}

bool
asl_path_is_definite(const asl_path *path)
{
	return path != NULL && path->definite;
}


/* ---- evaluation: node lists and selectors ---- */

static void
push(evaluator *ev, nodes *list, json_object *node)
{
	if (ev->failed)
		return;
	if (list->count == list->capacity)
	{
		size_t		cap = list->capacity ? list->capacity * 2 : 8;
		json_object **items;

		if (list->capacity >= MAX_MATCHES)
		{
			ev->failed = true;
			return;
		}
		items = realloc(list->items, cap * sizeof(json_object *));
		if (items == NULL)
		{
			ev->failed = true;
			return;
		}
		list->items = items;
		list->capacity = cap;
	}
	list->items[list->count++] = node;
}

/* Counts work, so that nested deep scans cannot run for ever. */
static bool
visit(evaluator *ev)
{
	if (++ev->visits > MAX_VISITS)
		ev->failed = true;
	return !ev->failed;
}

static void
push_index(evaluator *ev, nodes *out, json_object *array, int64_t index)
{
	int64_t		len = (int64_t) json_object_array_length(array);

	if (index < 0)
		index += len;			/* no overflow: len >= 0 */
	if (index >= 0 && index < len)
		push(ev, out, json_object_array_get_idx(array, (size_t) index));
}

/*
 * Python slice semantics: negative bounds count from the end, bounds are
 * clamped, a negative step walks backwards.
 */
static void
push_slice(evaluator *ev, nodes *out, json_object *array, const segment *s)
{
	int64_t		len = (int64_t) json_object_array_length(array);
	int64_t		from;
	int64_t		to;
	int64_t		i;
	int64_t		lo = s->step > 0 ? 0 : -1;
	int64_t		hi = s->step > 0 ? len : len - 1;

	from = s->has_from ? s->from : (s->step > 0 ? 0 : len - 1);
	to = s->has_to ? s->to : (s->step > 0 ? len : -1);
	if (s->has_from && from < 0)
		from += len;
	if (s->has_to && to < 0)
		to += len;
	from = from < lo ? lo : from > hi ? hi : from;
	to = to < lo ? lo : to > hi ? hi : to;
	for (i = from; s->step > 0 ? i < to : i > to;)
	{
		if (!visit(ev))
			return;
		push(ev, out, json_object_array_get_idx(array, (size_t) i));
		if (__builtin_add_overflow(i, s->step, &i))
			break;
	}
}

/* Applies one segment (not its ".." part) to one node. */
static void
apply(evaluator *ev, const segment *s, json_object *node, nodes *out)
{
	json_object *v;
	size_t		i;
	size_t		n;
	bool		is_object = json_object_is_type(node, json_type_object);
	bool		is_array = json_object_is_type(node, json_type_array);

	if (!visit(ev))
		return;
	switch (s->kind)
	{
		case SEG_NAME:
			if (is_object && json_object_object_get_ex(node, s->name, &v))
				push(ev, out, v);
			break;
		case SEG_INDEX:
			if (is_array)
				push_index(ev, out, node, s->index);
			break;
		case SEG_WILDCARD:
			if (is_object)
			{
				json_object_object_foreach(node, key, val)
				{
					(void) key;
					push(ev, out, val);
				}
			}
			else if (is_array)
			{
				n = json_object_array_length(node);
				for (i = 0; i < n; i++)
					push(ev, out, json_object_array_get_idx(node, i));
			}
			break;
		case SEG_SLICE:
			if (is_array)
				push_slice(ev, out, node, s);
			break;
		case SEG_NAMES:
			for (i = 0; is_object && i < s->count; i++)
				if (json_object_object_get_ex(node, s->names[i], &v))
					push(ev, out, v);
			break;
		case SEG_INDEXES:
			for (i = 0; is_array && i < s->count; i++)
				push_index(ev, out, node, s->indexes[i]);
			break;
		case SEG_FILTER:
			/* Jayway: an array filters its elements, an object filters itself */
			if (is_array)
			{
				n = json_object_array_length(node);
				for (i = 0; i < n && !ev->failed; i++)
				{
					v = json_object_array_get_idx(node, i);
					if (test(ev, s->filter, v))
						push(ev, out, v);
				}
			}
			else if (is_object && test(ev, s->filter, node))
				push(ev, out, node);
			break;
	}
}

/*
 * "..": the segment applies at the node, then at every descendant, in
 * document order. A filter after ".." tests each object itself, as Jayway's
 * scan does, so an element is not reported twice (once via its array).
 */
static void
apply_deep(evaluator *ev, const segment *s, json_object *node, nodes *out)
{
	size_t		i;
	size_t		n;

	if (++ev->depth > MAX_DEPTH)
		ev->failed = true;
	if (ev->failed)
	{
		ev->depth--;
		return;
	}
	if (s->kind != SEG_FILTER)
		apply(ev, s, node, out);
	else if (json_object_is_type(node, json_type_object) && test(ev, s->filter, node))
		push(ev, out, node);
	if (json_object_is_type(node, json_type_object))
	{
		json_object_object_foreach(node, key, val)
		{
			(void) key;
			if (ev->failed)
				break;
			apply_deep(ev, s, val, out);
		}
	}
	else if (json_object_is_type(node, json_type_array))
	{
		n = json_object_array_length(node);
		for (i = 0; i < n && !ev->failed; i++)
			apply_deep(ev, s, json_object_array_get_idx(node, i), out);
	}
	ev->depth--;
}

/* Every node the segments reach from start, in order. False when a limit was hit. */
static bool
eval_segments(evaluator *ev, const seglist *segs, json_object *start, nodes *out)
{
	nodes		cur = {0};
	nodes		next;
	size_t		i;
	size_t		j;

	push(ev, &cur, start);
	for (i = 0; i < segs->count && !ev->failed; i++)
	{
		const segment *s = &segs->items[i];

		memset(&next, 0, sizeof(next));
		for (j = 0; j < cur.count && !ev->failed; j++)
		{
			if (s->deep)
				apply_deep(ev, s, cur.items[j], &next);
			else
				apply(ev, s, cur.items[j], &next);
		}
		free(cur.items);
		cur = next;
	}
	if (ev->failed)
	{
		free(cur.items);
		memset(out, 0, sizeof(*out));
		return false;
	}
	*out = cur;
	return true;
}


/* ---- evaluation: filters ---- */

static bool
is_number(json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* A json-c integer as sign and magnitude, so int64 and uint64 values both fit. */
static void
int_parts(json_object *v, bool *negative, uint64_t *magnitude)
{
	int64_t		i = json_object_get_int64(v);

	*negative = i < 0;
	if (i == INT64_MAX)			/* saturated: the value may be a larger uint64 */
		*magnitude = json_object_get_uint64(v);
	else if (i < 0)
		*magnitude = (uint64_t) 0 - (uint64_t) i;
	else
		*magnitude = (uint64_t) i;
}

/*
 * -1, 0 or 1; 2 when unordered (NaN). Exact across int64, uint64 and
 * double, without leaning on long double (whose width varies by platform).
 */
static int
number_order(json_object *a, json_object *b)
{
	bool		na;
	bool		nb;
	uint64_t	ma;
	uint64_t	mb;
	double		d;
	double		dm_f;
	double		frac;
	int			c;
	bool		a_int = json_object_is_type(a, json_type_int);
	bool		b_int = json_object_is_type(b, json_type_int);

	if (!a_int && !b_int)
	{
		double		x = json_object_get_double(a);
		double		y = json_object_get_double(b);

		if (x != x || y != y)
			return 2;
		return (x > y) - (x < y);
	}
	if (!a_int)
	{
		c = number_order(b, a);
		return c == 2 ? 2 : -c;
	}
	int_parts(a, &na, &ma);
	if (b_int)
	{
		int_parts(b, &nb, &mb);
		if (na != nb)
			return na ? -1 : 1;
		if (ma == mb)
			return 0;
		return (ma < mb) != na ? -1 : 1;
	}
	d = json_object_get_double(b);
	if (d != d)
		return 2;
	if (d >= 18446744073709551616.0)
		return -1;
	if (d <= -18446744073709551616.0)
		return 1;
	nb = d < 0;
	dm_f = nb ? -d : d;
	mb = (uint64_t) dm_f;		/* in range: |d| < 2^64 */
	frac = dm_f - (double) mb;	/* exact */
	if (mb == 0 && frac == 0)
		nb = false;				/* -0.0 */
	if (na != nb)
		return na ? -1 : 1;
	c = ma < mb ? -1 : ma > mb ? 1 : frac > 0 ? -1 : 0;
	return na ? -c : c;
}

static int
string_order(json_object *a, json_object *b)
{
	size_t		la = (size_t) json_object_get_string_len(a);
	size_t		lb = (size_t) json_object_get_string_len(b);
	int			c = memcmp(json_object_get_string(a), json_object_get_string(b), la < lb ? la : lb);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return la < lb ? -1 : la > lb ? 1 : 0;
}

/* Numbers compare by value; otherwise types must agree. */
static bool
values_equal(json_object *a, json_object *b)
{
	json_type	ta = json_object_get_type(a);

	if (is_number(a) && is_number(b))
		return number_order(a, b) == 0;
	if (ta != json_object_get_type(b))
		return false;
	switch (ta)
	{
		case json_type_null:
			return true;
		case json_type_boolean:
			return json_object_get_boolean(a) == json_object_get_boolean(b);
		case json_type_string:
			return string_order(a, b) == 0;
		default:
			return json_object_equal(a, b) != 0;
	}
}

/* <, <=, >, >= hold between two numbers or two strings only, as in Jayway. */
static bool
ordered(cmp_op op, json_object *a, json_object *b)
{
	int			c;

	if (is_number(a) && is_number(b))
		c = number_order(a, b);
	else if (json_object_is_type(a, json_type_string) && json_object_is_type(b, json_type_string))
		c = string_order(a, b);
	else
		return false;
	if (c == 2)
		return false;			/* NaN orders with nothing */
	return cmp_op_holds(op, c);
}

/*
 * An operand's value: a literal, the node a definite path reaches, or the
 * list of nodes an indefinite path reaches (which compares like an array).
 * Nodes stay borrowed, so testing never touches the document's counts.
 */
typedef struct operand_value
{
	bool		present;		/* false: a definite path matched nothing */
	bool		is_list;
	json_object *node;
	nodes		list;
} operand_value;

static void
resolve(evaluator *ev, const operand *o, json_object *node, operand_value *v)
{
	memset(v, 0, sizeof(*v));
	if (o->kind == OPD_LITERAL)
	{
		v->present = true;
		v->node = o->literal;
		return;
	}
	if (!eval_segments(ev, &o->path, o->kind == OPD_CURRENT ? node : ev->root, &v->list))
		return;
	if (o->definite)
	{
		v->present = v->list.count > 0;
		v->node = v->present ? v->list.items[0] : NULL;
		free(v->list.items);
		memset(&v->list, 0, sizeof(v->list));
		return;
	}
	v->present = true;
	v->is_list = true;
}

/* A list of matches equals another list, or an array, element by element. */
static bool
list_equal(const nodes *list, const operand_value *other)
{
	size_t		i;

	if (other->is_list)
	{
		if (other->list.count != list->count)
			return false;
		for (i = 0; i < list->count; i++)
			if (!values_equal(list->items[i], other->list.items[i]))
				return false;
		return true;
	}
	if (!json_object_is_type(other->node, json_type_array) ||
		json_object_array_length(other->node) != list->count)
		return false;
	for (i = 0; i < list->count; i++)
		if (!values_equal(list->items[i], json_object_array_get_idx(other->node, i)))
			return false;
	return true;
}

static bool
operands_equal(const operand_value *a, const operand_value *b)
{
	/* a missing member equals nothing, so "!=" holds */
	if (!a->present || !b->present)
		return false;
	if (a->is_list)
		return list_equal(&a->list, b);
	if (b->is_list)
		return list_equal(&b->list, a);
	return values_equal(a->node, b->node);
}

static bool
test_compare(evaluator *ev, const expr *e, json_object *node)
{
	operand_value a;
	operand_value b;
	bool		result;

	resolve(ev, &e->left, node, &a);
	resolve(ev, &e->right, node, &b);
	if (e->op == CMP_EQ)
		result = operands_equal(&a, &b);
	else if (e->op == CMP_NE)
		result = !operands_equal(&a, &b);
	else
		result = a.present && b.present && !a.is_list && !b.is_list &&
			ordered(e->op, a.node, b.node);
	free(a.list.items);
	free(b.list.items);
	return result;
}

static bool
test(evaluator *ev, const expr *e, json_object *node)
{
	operand_value v;
	bool		result = false;
	size_t		i;

	if (++ev->depth > MAX_DEPTH || !visit(ev))
		ev->failed = true;
	if (ev->failed)
	{
		ev->depth--;
		return false;
	}
	switch (e->kind)
	{
		case EXPR_OR:
			for (i = 0; i < e->count && !result; i++)
				result = test(ev, e->children[i], node);
			break;
		case EXPR_AND:
			result = true;
			for (i = 0; i < e->count && result; i++)
				result = test(ev, e->children[i], node);
			break;
		case EXPR_NOT:
			result = !test(ev, e->children[0], node);
			break;
		case EXPR_EXISTS:
			/* an indefinite path exists when it matches something */
			resolve(ev, &e->left, node, &v);
			result = v.present && (!v.is_list || v.list.count > 0);
			free(v.list.items);
			break;
		case EXPR_COMPARE:
			result = test_compare(ev, e, node);
			break;
	}
	ev->depth--;
	return result && !ev->failed;
}


/* ---- selecting ---- */

static bool
select_from(const asl_path *path, json_object *root, bool has_root, json_object **out)
{
	evaluator	ev;
	nodes		found = {0};
	json_object *array;
	size_t		i;

	*out = NULL;
	if (path == NULL)
		return false;
	memset(&ev, 0, sizeof(ev));
	ev.root = root;
	if (has_root && !eval_segments(&ev, &path->segments, root, &found))
		return false;
	if (path->definite)
	{
		if (found.count == 0)
		{
			free(found.items);
			return false;
		}
		*out = json_object_get(found.items[0]);
		free(found.items);
		return true;
	}
	array = json_object_new_array_ext((int) (found.count < INT32_MAX ? found.count : 0));
	for (i = 0; array != NULL && i < found.count; i++)
	{
		if (json_object_array_add(array, json_object_get(found.items[i])) != 0)
		{
			json_object_put(found.items[i]);
			json_object_put(array);
			array = NULL;
		}
	}
	free(found.items);
	*out = array;
	return array != NULL;
}

bool
asl_path_select_in(const asl_path *path, json_object *root, json_object **out)
{
	json_object *ignored;
	bool		ok;

	ok = select_from(path, root, true, out ? out : &ignored);
	if (out == NULL && ok)
		json_object_put(ignored);
	return ok;
}

bool
asl_path_select(const asl_path *path, const asl_scope *scope, json_object **out)
{
	json_object *root = NULL;
	bool		has_root = scope != NULL;
	json_object *ignored;
	bool		ok;

	if (path != NULL && scope != NULL)
	{
		switch (path->root)
		{
			case ASL_ROOT_INPUT:
				root = scope->input;
				break;
			case ASL_ROOT_CONTEXT:
				root = scope->context;
				break;
			case ASL_ROOT_VARIABLE:
				/* an undefined variable matches nothing */
				has_root = json_object_is_type(scope->variables, json_type_object) &&
					json_object_object_get_ex(scope->variables, path->variable, &root);
				break;
		}
	}
	ok = select_from(path, root, has_root, out ? out : &ignored);
	if (out == NULL && ok)
		json_object_put(ignored);
	return ok;
}


/* ---- assigning (ResultPath) ---- */

/*
 * Whether target is reachable from node: adding node under target would
 * then make a cycle, which json-c would recurse through for ever. -1 when
 * the document is too deep to tell.
 */
static int
reaches(json_object *node, json_object *target, int depth)
{
	size_t		i;
	size_t		n;
	int			r = 0;

	if (node == target)
		return 1;
	if (depth > MAX_DEPTH)
		return -1;
	if (json_object_is_type(node, json_type_object))
	{
		json_object_object_foreach(node, key, val)
		{
			(void) key;
			if ((r = reaches(val, target, depth + 1)) != 0)
				return r;
		}
	}
	else if (json_object_is_type(node, json_type_array))
	{
		n = json_object_array_length(node);
		for (i = 0; i < n; i++)
			if ((r = reaches(json_object_array_get_idx(node, i), target, depth + 1)) != 0)
				return r;
	}
	return r;
}

static bool
mismatch(asl_error *err, const asl_path *path, size_t seg, json_object *node, const char *wanted)
{
	size_t		prefix = path->segments.items[seg].start;

	asl_error_set(err, ASL_ERR_RESULT_PATH_MATCH,
				  "Unable to apply ResultPath '%s': '%.*s' is of type %s, not %s",
				  path->text, (int) prefix, path->text,
				  json_type_to_name(json_object_get_type(node)), wanted);
	return false;
}

/* Stores value (whose reference we own) as member or element seg of target. */
static bool
store(json_object *target, const segment *seg, json_object *value)
{
	int			rc;

	if (seg->kind == SEG_NAME)
		rc = json_object_object_add(target, seg->name, value);
	else
		rc = json_object_array_put_idx(target, (size_t) seg->index, value);
	if (rc != 0)
		json_object_put(value);
	return rc == 0;
}

bool
asl_path_assign(const asl_path *path, json_object **doc, json_object *value, asl_error *err)
{
	const segment *segs;
	json_object *cur;
	json_object *next;
	json_object *chain = NULL;
	json_object *link;
	size_t		n;
	size_t		k;
	size_t		j;
	int			cycle;

	if (path == NULL || doc == NULL)
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "ResultPath: no path or document");
		return false;
	}
	if (first_non_reference(&path->segments) != NULL)
	{
		asl_error_set(err, ASL_ERR_RESULT_PATH_MATCH,
					  "Unable to apply ResultPath '%s': not a reference path", path->text);
		return false;
	}
	segs = path->segments.items;
	n = path->segments.count;
	if (n == 0)
	{
		/* take the new reference first: value may live inside *doc */
		value = json_object_get(value);
		json_object_put(*doc);
		*doc = value;
		return true;
	}

	/*
	 * Walk what exists, checking every step can be taken, before changing
	 * anything: a failed assignment leaves *doc as it was. k is the segment
	 * applied to cur, the deepest existing node that will change.
	 */
	cur = *doc;
	for (k = 0;; k++)
	{
		const segment *s = &segs[k];

		if (s->kind == SEG_NAME)
		{
			if (!json_object_is_type(cur, json_type_object))
				return mismatch(err, path, k, cur, "an object");
			if (k == n - 1 || !json_object_object_get_ex(cur, s->name, &next))
				break;
		}
		else
		{
			if (!json_object_is_type(cur, json_type_array))
				return mismatch(err, path, k, cur, "an array");
			if ((size_t) s->index >= json_object_array_length(cur))
			{
				asl_error_set(err, ASL_ERR_RESULT_PATH_MATCH,
							  "Unable to apply ResultPath '%s': index %lld is out of range for '%.*s' (length %zu)",
							  path->text, (long long) s->index, (int) s->start, path->text,
							  json_object_array_length(cur));
				return false;
			}
			if (k == n - 1)
				break;
			next = json_object_array_get_idx(cur, (size_t) s->index);
		}
		cur = next;
	}
	/* below cur only objects can be created */
	for (j = k + 1; j < n; j++)
	{
		if (segs[j].kind != SEG_NAME)
		{
			asl_error_set(err, ASL_ERR_RESULT_PATH_MATCH,
						  "Unable to apply ResultPath '%s': '%.*s' does not exist and arrays are not created",
						  path->text, (int) segs[j].start, path->text);
			return false;
		}
	}

	cycle = reaches(value, cur, 0);
	if (cycle < 0)
	{
		asl_error_set(err, ASL_ERR_RUNTIME,
					  "Unable to apply ResultPath '%s': value nested too deeply", path->text);
		return false;
	}
	if (cycle > 0)
	{
		/* value contains the node it is written into: write a copy */
		link = NULL;
		if (json_object_deep_copy(value, &link, NULL) != 0)
		{
			asl_error_set(err, ASL_ERR_RUNTIME, "Unable to apply ResultPath '%s': out of memory", path->text);
			return false;
		}
	}
	else
		link = json_object_get(value);

	/* build the missing objects detached, innermost first, then attach them */
	for (j = n - 1; j > k; j--)
	{
		chain = json_object_new_object();
		if (chain == NULL || !store(chain, &segs[j], link))
		{
			if (chain == NULL)
				json_object_put(link);
			json_object_put(chain);
			asl_error_set(err, ASL_ERR_RUNTIME, "Unable to apply ResultPath '%s': out of memory", path->text);
			return false;
		}
		link = chain;
	}
	if (!store(cur, &segs[k], link))
	{
		asl_error_set(err, ASL_ERR_RUNTIME, "Unable to apply ResultPath '%s': out of memory", path->text);
		return false;
	}
	return true;
}
