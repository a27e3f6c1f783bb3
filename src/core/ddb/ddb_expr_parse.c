/*
 * ddb_expr_parse.c — the parts every expression parser shares: tokens,
 * errors, document paths, placeholders, operands.
 */
#include "ddb_expr_impl.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ddb_value.h"
#include "strbuf.h"

static const char *const kind_names[] = {
	"ConditionExpression", "UpdateExpression", "ProjectionExpression"
};

/* Which problem DynamoDB names first, by expression kind. */
static const problem condition_order[] = {
	PROB_PARENS, PROB_UNKNOWN_FUNCTION, PROB_MISUSED_FUNCTION, PROB_RESERVED, PROB_NAME,
	PROB_VALUE, PROB_OPERAND, PROB_DISTINCT, PROB_FUNCTION, PROB_LIMIT, N_PROBLEMS
};
static const problem update_order[] = {
	PROB_RESERVED, PROB_UNKNOWN_FUNCTION, PROB_SECTION, PROB_NAME, PROB_VALUE, PROB_OVERLAP,
	PROB_CONFLICT, PROB_OPERAND, PROB_FUNCTION, PROB_LIMIT, N_PROBLEMS
};
static const problem projection_order[] = {
	PROB_RESERVED, PROB_NAME, PROB_OVERLAP, PROB_CONFLICT, PROB_LIMIT, N_PROBLEMS
};

static char *prefixed(expr_kind kind, const char *fmt,...) __attribute__((format(printf, 2, 3)));

/*
 * "Invalid <kind>Expression: " + the formatted message (malloc'd),
 * DynamoDB's prefix.
 */
static char *
prefixed(expr_kind kind, const char *fmt,...)
{
	va_list		ap;
	char	   *body = NULL;
	char	   *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&body, fmt, ap) < 0)
		body = NULL;
	va_end(ap);
	if (body == NULL || asprintf(&msg, "Invalid %s: %s", kind_names[kind], body) < 0)
		msg = NULL;
	free(body);
	return msg;
}

bool
ddb_parser_init(parser *p, const char *text, expr_kind kind, ddb_placeholders *ph, char **message)
{
	memset(p, 0, sizeof(*p));
	p->text = text;
	p->kind = kind;
	p->ph = ph;
	*message = NULL;
	if (*text == '\0')
		*message = prefixed(kind, "The expression can not be empty;");
	else if (strlen(text) > DDB_MAX_EXPRESSION_SIZE)
		*message = prefixed(kind, "Expression size has exceeded the maximum allowed size");
	else if (!ddb_lex(text, &p->toks, &p->ntoks))
		*message = strdup("out of memory");
	else
		return true;
	if (*message == NULL)
		*message = strdup("out of memory");
	return false;
}

void
parser_release(parser *p)
{
	int			i;

	free(p->toks);
	for (i = 0; i < N_PROBLEMS; i++)
		free(p->problems[i]);
	memset(p, 0, sizeof(*p));
}

char	   *
parser_message(parser *p)
{
	const problem *order;

	if (p->oom)
		return strdup("out of memory");
	if (p->syntax_failed)
	{
		const token *t = &p->toks[p->syntax_at];
		const token *prev = p->syntax_at > 0 ? &p->toks[p->syntax_at - 1] : NULL;
		const token *next = t->kind != TOK_EOF ? &p->toks[p->syntax_at + 1] : NULL;
		size_t		from,
					to;
		char	   *shown;
		char	   *msg;

		/*
		 * near: from the token before to the token after, as DynamoDB quotes
		 * it
		 */
		from = prev ? prev->start : t->start;
		if (next != NULL && next->kind != TOK_EOF)
			to = next->start + next->len;
		else if (t->kind == TOK_EOF)
			to = prev ? prev->start + prev->len : t->start;
		else
			to = t->start + t->len;
		shown = t->kind == TOK_EOF ? strdup("<EOF>") : strndup(p->text + t->start, t->len);
		if (shown == NULL)
			return strdup("out of memory");
		msg = prefixed(p->kind, "Syntax error; token: \"%s\", near: \"%.*s\"",
					   shown, (int) (to - from), p->text + from);
		free(shown);
		return msg ? msg : strdup("out of memory");
	}
	order = p->kind == EXPR_CONDITION ? condition_order :
		p->kind == EXPR_UPDATE ? update_order : projection_order;
	for (; *order != N_PROBLEMS; order++)
		if (p->problems[*order] != NULL)
		{
			char	   *msg = prefixed(p->kind, "%s", p->problems[*order]);

			return msg ? msg : strdup("out of memory");
		}
	return NULL;
}

const token *
peek(const parser *p)
{
	return &p->toks[p->pos];
}

/*
 * The token ahead tokens after the current one (the end token past the
 * end).
 */
static const token *
peek_at(const parser *p, size_t ahead)
{
	size_t		i = p->pos + ahead;

	return &p->toks[i < p->ntoks ? i : p->ntoks - 1];
}

bool
tok_is(const parser *p, const token *t, const char *text)
{
	size_t		n = strlen(text);

	return t->kind == TOK_PUNCT && t->len == n && memcmp(p->text + t->start, text, n) == 0;
}

bool
tok_is_keyword(const parser *p, const token *t, const char *word)
{
	size_t		n = strlen(word);

	return t->kind == TOK_IDENT && t->len == n && strncasecmp(p->text + t->start, word, n) == 0;
}

/* The text of token t (malloc'd). */
static char *
tok_text(const parser *p, const token *t)
{
	return strndup(p->text + t->start, t->len);
}

bool
syntax_error(parser *p)
{
	if (!p->syntax_failed)
	{
		p->syntax_failed = true;
		p->syntax_at = p->pos;
	}
	return false;
}

void
problem_set(parser *p, problem which, const char *fmt,...)
{
	va_list		ap;

	if (p->problems[which] != NULL)
		return;
	va_start(ap, fmt);
	if (vasprintf(&p->problems[which], fmt, ap) < 0)
	{
		p->problems[which] = NULL;
		p->oom = true;
	}
	va_end(ap);
}

bool
expect(parser *p, const char *punct)
{
	if (!tok_is(p, peek(p), punct))
		return syntax_error(p);
	p->pos++;
	return true;
}

/* Deep enough for any sensible expression, shallow enough for any stack. */
#define MAX_NESTING		128

bool
enter(parser *p)
{
	if (++p->depth > MAX_NESTING)
	{
		problem_set(p, PROB_LIMIT, "The expression is nested too deeply; maximum nesting: %d", MAX_NESTING);
		p->aborted = true;
		return false;
	}
	return true;
}

void
leave(parser *p)
{
	p->depth--;
}

/*
 * Notes that the expression uses placeholder, for the unused-placeholder
 * check.
 */
static void
mark_used(parser *p, const char *placeholder)
{
	if (p->ph->used == NULL)
		p->ph->used = json_object_new_object();
	if (p->ph->used == NULL || json_object_object_add(p->ph->used, placeholder, NULL) != 0)
		p->oom = true;
}

/*
 * Resolves the :placeholder at the current token and advances; NULL (and a
 * problem) when undefined.
 */
static json_object *
take_value(parser *p)
{
	const token *t = peek(p);
	char	   *name = tok_text(p, t);
	json_object *value = NULL;

	p->pos++;
	if (name == NULL)
	{
		p->oom = true;
		return NULL;
	}
	mark_used(p, name);
	if (p->ph->values == NULL || !json_object_object_get_ex(p->ph->values, name, &value) || value == NULL)
	{
		problem_set(p, PROB_VALUE, "An expression attribute value used in expression is not defined; attribute value: %s", name);
		value = NULL;
	}
	free(name);
	return value;
}

/* Appends the name at the current token (a name or #placeholder) to path. */
static bool
take_name(parser *p, ddb_path *path, const char *const *keywords)
{
	const token *t = peek(p);
	char	   *text;
	char	   *name = NULL;
	ddb_path_elem *grown;

	if (t->kind != TOK_IDENT && t->kind != TOK_NAME_PH)
		return syntax_error(p);
	if (t->kind == TOK_IDENT)
		for (; keywords && *keywords; keywords++)
			if (tok_is_keyword(p, t, *keywords))
				return syntax_error(p);
	text = tok_text(p, t);
	if (text == NULL)
	{
		p->oom = true;
		return false;
	}
	if (t->kind == TOK_IDENT)
	{
		if (ddb_is_reserved_word(text))
			problem_set(p, PROB_RESERVED, "Attribute name is a reserved keyword; reserved keyword: %s", text);
		name = text;
	}
	else
	{
		json_object *real = NULL;

		mark_used(p, text);
		if (p->ph->names != NULL && json_object_object_get_ex(p->ph->names, text, &real) &&
			json_object_is_type(real, json_type_string))
			name = strdup(json_object_get_string(real));
		else
		{
			problem_set(p, PROB_NAME, "An expression attribute name used in the document path is not defined; attribute name: %s", text);
			name = strdup(text);
		}
		free(text);
	}
	grown = name ? realloc(path->elems, (path->count + 1) * sizeof(*path->elems)) : NULL;
	if (grown == NULL)
	{
		free(name);
		p->oom = true;
		return false;
	}
	path->elems = grown;
	path->elems[path->count].is_index = false;
	path->elems[path->count].name = name;
	path->elems[path->count].index = 0;
	path->count++;
	p->pos++;
	return true;
}

/* A [n] list index into path's next element. */
static bool
take_index(parser *p, ddb_path *path)
{
	const token *t = peek(p);
	long		index = 0;
	size_t		i;
	ddb_path_elem *grown;

	if (t->kind != TOK_NUMBER)
		return syntax_error(p);
	for (i = 0; i < t->len; i++)
	{
		if (index > (INT_MAX - 9) / 10)
			return syntax_error(p);
		index = index * 10 + (p->text[t->start + i] - '0');
	}
	grown = realloc(path->elems, (path->count + 1) * sizeof(*path->elems));
	if (grown == NULL)
	{
		p->oom = true;
		return false;
	}
	path->elems = grown;
	path->elems[path->count].is_index = true;
	path->elems[path->count].name = NULL;
	path->elems[path->count].index = index;
	path->count++;
	p->pos++;
	return true;
}

bool
parse_path(parser *p, ddb_path *out, const char *const *keywords)
{
	memset(out, 0, sizeof(*out));
	if (!take_name(p, out, keywords))
		return false;
	for (;;)
	{
		const token *t = peek(p);

		if (tok_is(p, t, "."))
		{
			p->pos++;
			if (!take_name(p, out, keywords))
				return false;
		}
		else if (tok_is(p, t, "["))
		{
			p->pos++;
			if (!take_index(p, out) || !expect(p, "]"))
				return false;
		}
		else
			break;
	}
	if (out->count > DDB_MAX_PATH_DEPTH)
		problem_set(p, PROB_LIMIT, "The document path has too many nesting levels; nesting levels: %zu, maximum: %d",
					out->count, DDB_MAX_PATH_DEPTH);
	return true;
}

void
path_release(ddb_path *path)
{
	size_t		i;

	for (i = 0; i < path->count; i++)
		free(path->elems[i].name);
	free(path->elems);
	path->elems = NULL;
	path->count = 0;
}

bool
paths_equal(const ddb_path *a, const ddb_path *b)
{
	size_t		i;

	if (a->count != b->count)
		return false;
	for (i = 0; i < a->count; i++)
	{
		if (a->elems[i].is_index != b->elems[i].is_index)
			return false;
		if (a->elems[i].is_index ? a->elems[i].index != b->elems[i].index
			: strcmp(a->elems[i].name, b->elems[i].name) != 0)
			return false;
	}
	return true;
}

char	   *
ddb_path_render(const ddb_path *path)
{
	asl_strbuf	b = {0};
	size_t		i;

	asl_strbuf_add(&b, "[", 1);
	for (i = 0; i < path->count; i++)
	{
		if (i > 0)
			asl_strbuf_add(&b, ", ", 2);
		if (path->elems[i].is_index)
		{
			char		idx[32];

			snprintf(idx, sizeof(idx), "[%ld]", path->elems[i].index);
			asl_strbuf_add(&b, idx, strlen(idx));
		}
		else
			asl_strbuf_add(&b, path->elems[i].name, strlen(path->elems[i].name));
	}
	asl_strbuf_add(&b, "]", 1);
	if (b.oom)
	{
		free(b.data);
		return NULL;
	}
	return b.data;
}

void
check_overlaps(parser *p, const ddb_path *const *paths, size_t count)
{
	size_t		i,
				j,
				k;

	for (i = 0; i < count; i++)
		for (j = i + 1; j < count; j++)
		{
			const ddb_path *a = paths[i];
			const ddb_path *b = paths[j];
			bool		apart = false;
			problem		which = PROB_OVERLAP;
			char	   *ra,
					   *rb;

			for (k = 0; k < a->count && k < b->count && !apart; k++)
			{
				const ddb_path_elem *ea = &a->elems[k];
				const ddb_path_elem *eb = &b->elems[k];

				if (ea->is_index != eb->is_index)
				{
					which = PROB_CONFLICT;
					break;
				}
				apart = ea->is_index ? ea->index != eb->index : strcmp(ea->name, eb->name) != 0;
			}
			if (apart || p->problems[which] != NULL)
				continue;
			ra = ddb_path_render(a);
			rb = ddb_path_render(b);
			if (ra && rb)
				problem_set(p, which, "Two document paths %s with each other; must remove or rewrite one of these paths; path one: %s, path two: %s",
							which == PROB_OVERLAP ? "overlap" : "conflict", ra, rb);
			else
				p->oom = true;
			free(ra);
			free(rb);
		}
}

operand    *
operand_new(operand_kind kind)
{
	operand    *o = calloc(1, sizeof(*o));

	if (o)
		o->kind = kind;
	return o;
}

void
operand_free(operand *o)
{
	size_t		i;

	if (o == NULL)
		return;
	path_release(&o->path);
	json_object_put(o->value);
	free(o->name);
	for (i = 0; i < o->nargs; i++)
		operand_free(o->args[i]);
	free(o->args);
	free(o);
}

bool
operand_add_arg(operand *o, operand *arg)
{
	operand   **grown = realloc(o->args, (o->nargs + 1) * sizeof(*o->args));

	if (grown == NULL)
	{
		operand_free(arg);
		return false;
	}
	o->args = grown;
	o->args[o->nargs++] = arg;
	return true;
}

/* ---- operands conditions and updates read alike ---- */

operand    *
parse_value_operand(parser *p)
{
	operand    *o = operand_new(OPD_VALUE);
	json_object *v;

	if (o == NULL)
	{
		p->oom = true;
		return NULL;
	}
	v = take_value(p);
	o->value = v ? json_object_get(v) : NULL;
	return o;
}

operand    *
parse_path_operand(parser *p, const char *const *keywords)
{
	operand    *o = operand_new(OPD_PATH);

	if (o == NULL)
	{
		p->oom = true;
		return NULL;
	}
	if (!parse_path(p, &o->path, keywords))
	{
		operand_free(o);
		return NULL;
	}
	return o;
}

operand    *
parse_parenthesized(parser *p, operand *(*parse_inner) (parser *p))
{
	operand    *o;

	p->pos++;					/* the "(" */
	if (!enter(p))
		return NULL;
	o = parse_inner(p);
	if (o == NULL || !expect(p, ")"))
	{
		operand_free(o);
		return NULL;
	}
	leave(p);
	return o;
}

bool
call_ahead(const parser *p)
{
	return peek(p)->kind == TOK_IDENT && tok_is(p, peek_at(p, 1), "(");
}

operand    *
parse_call_operand(parser *p, const char *const *keywords, operand *(*parse_arg) (parser *p))
{
	const token *t = peek(p);
	operand    *call;

	for (; *keywords; keywords++)
		if (tok_is_keyword(p, t, *keywords))
		{
			syntax_error(p);
			return NULL;
		}
	call = operand_new(OPD_CALL);
	if (call == NULL || (call->name = tok_text(p, t)) == NULL)
	{
		operand_free(call);
		p->oom = true;
		return NULL;
	}
	p->pos += 2;				/* the name and "(" */
	if (!enter(p))
	{
		operand_free(call);
		return NULL;
	}
	for (;;)
	{
		operand    *arg = parse_arg(p);

		if (arg == NULL || !operand_add_arg(call, arg))
		{
			operand_free(call);
			return NULL;
		}
		if (!tok_is(p, peek(p), ","))
			break;
		p->pos++;
	}
	if (!expect(p, ")"))
	{
		operand_free(call);
		return NULL;
	}
	leave(p);
	return call;
}

const char *
operand_literal_type(const operand *o)
{
	if (o == NULL || o->kind != OPD_VALUE || o->value == NULL)
		return NULL;
	return ddb_type_name(ddb_value_type(o->value));
}

/* ---- placeholders ---- */

void
ddb_placeholders_init(ddb_placeholders *ph, json_object *names, json_object *values)
{
	ph->names = names;
	ph->values = values;
	ph->used = NULL;
}

void
ddb_placeholders_release(ddb_placeholders *ph)
{
	json_object_put(ph->used);
	ph->used = NULL;
}

/*
 * DynamoDB's message naming the placeholders defined in field but used by
 * no expression; NULL when all are used.
 */
static char *
unused_keys(json_object *defined, json_object *used, const char *field)
{
	asl_strbuf	b = {0};
	bool		any = false;
	char	   *msg = NULL;

	if (defined == NULL)
		return NULL;
	{
		json_object_object_foreach(defined, key, val)
		{
			(void) val;
			if (used != NULL && json_object_object_get_ex(used, key, NULL))
				continue;
			if (any)
				asl_strbuf_add(&b, ", ", 2);
			asl_strbuf_add(&b, key, strlen(key));
			any = true;
		}
	}
	if (!any)
		return NULL;
	if (b.oom || asprintf(&msg, "Value provided in %s unused in expressions: keys: {%s}", field, b.data) < 0)
		msg = strdup("out of memory");
	free(b.data);
	return msg;
}

char	   *
ddb_placeholders_unused(const ddb_placeholders *ph)
{
	char	   *msg = unused_keys(ph->names, ph->used, "ExpressionAttributeNames");

	if (msg == NULL)
		msg = unused_keys(ph->values, ph->used, "ExpressionAttributeValues");
	return msg;
}
